"""Load small registry and ledger files (enterprises, production, green power, waste ...).

One generic loader, driven by a :class:`TableSpec`: every cell is parsed and checked in
Python (these files have thousands of rows, not millions), problems are collected with
their line and column, and the rows go into their table in one transaction:

* a file loaded before (same sha256) changes nothing;
* a row whose key is stored with the same values is unchanged;
* a row whose key is stored with other values is a conflict (an error naming the
  line) unless ``replace``;
* the same key twice in a file with different values is an error naming both lines;
  exact repeats are ignored.

Target tables have the spec's columns plus ``load_id``; the column names come from the
spec (code), never from the file.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.io.dates import parse_date, parse_month
from greenpark.io.numbers import parse_number
from greenpark.io.structure import unknown_columns
from greenpark.io.tabular import drop_total_rows, open_tabular, read_small_table
from greenpark.loaders.common import (
    FileDigest,
    LoadResult,
    given_options,
    next_load_id,
    note_layout,
    per_column,
    previous_load,
    write_log,
)

MAX_PROBLEMS_SHOWN = 20
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


@dataclass(frozen=True)
class Column:
    """One column of a table file.

    Attributes
    ----------
    name : str
        Canonical column name (also the database column).
    kind : str
        ``text``, ``number``, ``int``, ``bool``, ``month`` (``YYYY-MM`` -> first day),
        ``date`` or ``choice``.
    required : bool
        The column must exist and every cell must have a value.
    choices : tuple of str
        Allowed values for ``choice``.
    minimum, maximum : float or None
        Bounds for numbers (inclusive).
    default : object
        Value for a blank optional cell.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None

    @property
    def sql_type(self) -> str:
        return {
            "number": "DOUBLE",
            "int": "BIGINT",
            "bool": "BOOLEAN",
            "month": "DATE",
            "date": "DATE",
        }.get(self.kind, "VARCHAR")


@dataclass(frozen=True)
class TableSpec:
    """What a table file holds and where it goes.

    Attributes
    ----------
    kind : str
        Name in ``load_log`` and in messages (``enterprises``, ``production`` ...).
    table : str
        Target table (columns: the spec's columns + ``load_id``).
    columns : tuple of Column
    key : tuple of str
        Columns that identify a row.
    row_check : callable, optional
        ``(row: dict, line: int) -> list[Problem]`` for rules across columns.
    db_check : callable, optional
        ``(con, rows: list[dict]) -> list[Problem]`` for rules against stored data
        (e.g. the enterprise must exist); rows carry their ``_line``.
    """

    kind: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    row_check: Callable[[dict, int], list[Problem]] | None = field(default=None)
    db_check: Callable[[object, list[dict]], list[Problem]] | None = field(default=None)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def create_sql(self) -> str:
        """``CREATE TABLE`` statement for a migration."""
        cols = ",\n    ".join(f"{c.name} {c.sql_type}" for c in self.columns)
        return f"CREATE TABLE {self.table} (\n    {cols},\n    load_id INTEGER NOT NULL\n)"


def load_table(
    store,
    spec: TableSpec,
    path: str | Path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load a table file described by ``spec`` (see the module docstring).

    Parameters
    ----------
    store : greenpark.store.Store
    spec : TableSpec
    path : str or Path
        CSV (UTF-8 or GBK), XLSX or Parquet.
    mapping : dict, optional
        Canonical column -> header in the file.
    replace : bool
        Overwrite stored rows with the same key and other values.
    encoding, sheet : str, optional
        Text encoding of a CSV (detected when None); Excel sheet (default the first).
    header_row : int, optional
        1-based line or row of the header; detected below title rows when None.

    Raises
    ------
    InputError
        Naming file, line, column, value and rule; the database is unchanged.
    """
    started = time.perf_counter()
    store.require_current()
    path = Path(path)
    tab = open_tabular(path, encoding, sheet, header_row)
    try:
        frame, totals = drop_total_rows(read_small_table(tab), tab)
    finally:
        tab.cleanup()
    sha = FileDigest(path)
    identity = given_options(mapping=mapping, encoding=encoding, sheet=sheet, header_row=header_row)
    if previous_load(store.con, spec.kind, sha, identity) and not replace:
        result = LoadResult(
            str(path), "unchanged", rows_in_file=len(frame), seconds=time.perf_counter() - started
        )
        result.note("load.unchanged", "this file was loaded before; nothing changed")
        return result
    frame = _rename(frame, mapping or {}, spec, tab)
    ignored = _check_columns(frame, spec, str(path), tab.row_unit)
    rows, repeated = parse_rows(frame, spec, str(path), tab.header_lines, tab.row_unit)
    if spec.db_check:
        problems = spec.db_check(store.con, rows)
        if problems:
            raise InputError(
                str(path), problems[:MAX_PROBLEMS_SHOWN], total=len(problems), unit=tab.row_unit
            )
    result = LoadResult(str(path), "loaded", rows_in_file=len(rows) + len(repeated))
    if ignored:
        result.note(
            "input.ignored_columns",
            f"column(s) not read by a {spec.kind} file: {', '.join(ignored)}",
            columns=ignored,
        )
    note_layout(result, tab, totals)
    if repeated:
        result.note(
            "load.repeated_rows",
            f"{len(repeated)} exact repeated row(s) ignored",
            count=len(repeated),
            line=repeated[0],
        )
    with store.transaction():
        result.load_id = next_load_id(store.con)
        _store(store.con, spec, rows, result, replace, str(path), tab.row_unit)
        if result.rows_inserted or result.rows_replaced:
            write_log(
                store.con,
                result,
                spec.kind,
                sha,
                str(path),
                {**identity, "replace": replace} if replace else identity,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        else:
            result.status, result.load_id = "unchanged", None
    result.seconds = time.perf_counter() - started
    return result


def _rename(frame, mapping: dict, spec: TableSpec, tab):
    from greenpark.loaders.columns import rename_columns

    return rename_columns(frame, mapping, spec.names, spec.kind, tab)


def _check_columns(frame, spec: TableSpec, path: str, unit: str) -> list[str]:
    """Misspelled columns are errors (did you mean ...?); returns the others' names."""
    errors, ignored = unknown_columns([str(c) for c in frame.columns], spec.names)
    if errors:
        raise InputError(path, errors, unit=unit)
    return ignored


def parse_rows(
    frame, spec: TableSpec, path: str, header_lines: int = 1, unit: str = "line"
) -> tuple[list[dict], list[int]]:
    """Parse and check every row; return (rows with ``_line``, lines of exact repeats).

    Raises
    ------
    InputError
        With every problem found (the first 20 listed).
    """
    missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
    if missing:
        raise InputError(
            path,
            [
                Problem(
                    1,
                    name,
                    None,
                    "required column is missing; the file "
                    f"has: {', '.join(map(str, frame.columns))}",
                    "input.missing_column",
                )
                for name in missing
            ],
            unit=unit,
        )
    if frame.empty:
        raise InputError(
            path, [Problem(None, None, None, "no rows in the file (header only?)", "input.no_rows")]
        )
    problems, rows, seen, repeated = [], [], {}, []
    lines = frame.attrs.get("lines")  # physical lines (CSV), else record positions
    for i, rec in zip(frame.index, frame.to_dict("records"), strict=True):
        line = lines[i] if lines else i + 1 + header_lines
        row, found = _parse_row(rec, spec, line)
        if not found and spec.row_check:
            found = spec.row_check(row, line)
        problems += found
        key = tuple(row.get(k) for k in spec.key)
        if key in seen and not found:
            first_line, first = seen[key]
            if {k: v for k, v in first.items() if k != "_line"} == {
                k: v for k, v in row.items() if k != "_line"
            }:
                repeated.append(line)
                continue
            problems.append(
                Problem(
                    line,
                    spec.key[-1],
                    str(key[-1]),
                    f"{_key_text(spec, key)} also on {unit} {first_line} with other values",
                    f"{spec.kind}.duplicate",
                )
            )
            continue
        seen.setdefault(key, (line, row))
        row["_line"] = line
        rows.append(row)
    if problems:
        problems = per_column(problems, unit)
        raise InputError(path, problems[:MAX_PROBLEMS_SHOWN], total=len(problems), unit=unit)
    return rows, repeated


def _parse_row(rec: dict, spec: TableSpec, line: int) -> tuple[dict, list[Problem]]:
    row, problems = {}, []
    for col in spec.columns:
        text = rec.get(col.name)
        if text is None:
            if col.required:
                problems.append(
                    Problem(line, col.name, None, "value is blank", f"{spec.kind}.blank")
                )
            row[col.name] = col.default
            continue
        try:
            row[col.name] = parse_cell(text, col)
        except ValueError as exc:
            problems.append(Problem(line, col.name, text, str(exc), f"{spec.kind}.{col.name}"))
    return row, problems


def parse_cell(text: str, col: Column):
    """Parse one cell's text for ``col``; raise ValueError with the rule broken."""
    kind = col.kind
    if "\x00" in text:
        raise ValueError("holds a NUL byte (is the file binary or in another encoding?)")
    if kind == "text":
        return text
    if kind == "choice":
        if text not in col.choices:
            raise ValueError(f"must be one of {', '.join(col.choices)}")
        return text
    if kind == "bool":
        low = text.lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        raise ValueError("must be true or false")
    if kind == "month":
        return parse_month(text)
    if kind == "date":
        return parse_date(text)
    return _number(text, col)


def _number(text: str, col: Column):
    value = parse_number(text)  # ValueError names the rule
    if col.kind == "int":
        if value != int(value):
            raise ValueError("must be a whole number")
        value = int(value)
    if col.minimum is not None and value < col.minimum:
        raise ValueError(f"must be at least {col.minimum:g}")
    if col.maximum is not None and value > col.maximum:
        raise ValueError(f"must be at most {col.maximum:g}")
    return value


def _key_text(spec: TableSpec, key: tuple) -> str:
    return ", ".join(f"{k}={v}" for k, v in zip(spec.key, key, strict=True))


def _store(
    con, spec: TableSpec, rows: list[dict], result: LoadResult, replace: bool, path: str, unit: str
) -> None:
    names = spec.names
    stored = {
        tuple(r[: len(spec.key)]): r[len(spec.key) :]
        for r in con.execute(
            f"SELECT {', '.join(spec.key)}, {', '.join(names)} FROM {spec.table}"
        ).fetchall()
    }
    inserts, conflicts = [], []
    for row in rows:
        key = tuple(row[k] for k in spec.key)
        values = tuple(row[n] for n in names)
        old = stored.get(key)
        if old is not None and _same(old, values):
            result.rows_unchanged += 1
            continue
        if old is not None and not replace:
            diff = next(
                n for n, a, b in zip(names, old, values, strict=True) if not _same([a], [b])
            )
            conflicts.append(
                Problem(
                    row["_line"],
                    diff,
                    str(row[diff]),
                    f"{_key_text(spec, key)} is stored with {diff} = "
                    f"{old[names.index(diff)]!r}; use --replace to overwrite",
                    f"{spec.kind}.conflict",
                )
            )
            continue
        if old is not None:
            where = " AND ".join(f"{k} = ?" for k in spec.key)
            con.execute(f"DELETE FROM {spec.table} WHERE {where}", list(key))
            result.rows_replaced += 1
        inserts.append([*values, result.load_id])
    if conflicts:
        raise InputError(path, conflicts[:MAX_PROBLEMS_SHOWN], total=len(conflicts), unit=unit)
    if inserts:
        _insert(con, spec, inserts)
    result.rows_inserted = len(inserts) - result.rows_replaced


def _insert(con, spec: TableSpec, inserts: list[list]) -> None:
    """Insert rows through a DataFrame (executemany is slow in DuckDB)."""
    import pandas as pd

    from greenpark.store import register_frame

    names = [*spec.names, "load_id"]
    frame = pd.DataFrame(inserts, columns=names, dtype=object)
    register_frame(con, "gp_table_rows", frame)
    try:
        casts = ", ".join(f"CAST({c.name} AS {c.sql_type})" for c in spec.columns)
        con.execute(
            f"INSERT INTO {spec.table} ({', '.join(names)}) "
            f"SELECT {casts}, CAST(load_id AS INTEGER) FROM gp_table_rows"
        )
    finally:
        con.unregister("gp_table_rows")


def _same(a, b) -> bool:
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or not math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif x != y:
            return False
    return True
