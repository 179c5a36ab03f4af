"""Load the meter registry (meters.csv / .xlsx / .parquet) into the park database."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.core.units import UnitError, factor_to
from greenpark.core.vocab import (
    CARRIERS,
    METER_COLUMNS_OPTIONAL,
    METER_COLUMNS_REQUIRED,
    READING_TYPES,
    ROLES,
    VOLUME_REFERENCES,
)
from greenpark.io.numbers import parse_number
from greenpark.io.structure import unknown_columns
from greenpark.io.tabular import drop_total_rows, open_tabular, read_small_table
from greenpark.loaders.columns import rename_columns
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

KIND = "meters"
# Attributes that change what stored readings mean: frozen once a meter has readings.
FROZEN = ("carrier", "unit", "reading_type", "multiplier", "register_max", "volume_reference")
GAS_CARRIERS = ("natural_gas",)
# The unit names that declare their reference themselves.
UNIT_REFERENCES = {"nm3": "normal", "sm3": "standard"}
COLUMNS = (
    "meter_id",
    "name",
    "carrier",
    "role",
    "unit",
    "canonical_unit",
    "to_canonical",
    "reading_type",
    "multiplier",
    "register_max",
    "parent_id",
    "enterprise_id",
    "building_id",
    "volume_reference",
    "commissioned_on",
    "decommissioned_on",
)
SERVICE_DATES = ("commissioned_on", "decommissioned_on")
METER_COLUMNS = METER_COLUMNS_REQUIRED + METER_COLUMNS_OPTIONAL


def load_meters(
    store,
    path: str | Path,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load a meter registry file; new meters are added, changed ones updated.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    path : str or Path
        CSV, XLSX or Parquet with columns ``meter_id, carrier, role, unit`` and optional
        ``name, reading_type, multiplier, register_max, parent_id, enterprise_id,
        building_id, commissioned_on, decommissioned_on`` (dates ``YYYY-MM-DD``: the
        meter reports from the first, up to the day before the second).
    mapping : dict, optional
        Canonical column -> header in the file (``{"meter_id": "表计编号"}``).
    encoding : str, optional
        Text encoding of a CSV (``utf-8``, ``gbk``, ``gb18030``); detected when None.
    sheet : str, optional
        Excel sheet (default: the first).
    header_row : int, optional
        1-based line or row of the header; detected below title rows when None.

    Returns
    -------
    LoadResult

    Raises
    ------
    InputError
        For unknown carriers or roles, units that do not fit the carrier, duplicate ids,
        unknown parents or parent cycles, or changes to meters that already have readings.
        Nothing is loaded then.
    """
    started = time.perf_counter()
    store.require_current()
    path = Path(path)
    tab = open_tabular(path, encoding, sheet, header_row)
    try:
        frame, totals = drop_total_rows(read_small_table(tab), tab)
    finally:
        tab.cleanup()
    options = given_options(mapping=mapping, encoding=encoding, sheet=sheet, header_row=header_row)
    frame = rename_columns(frame, mapping or {}, METER_COLUMNS, KIND, tab)
    sha = FileDigest(path)
    con = store.con
    if previous_load(con, KIND, sha, options):
        result = LoadResult(
            str(path),
            "unchanged",
            rows_in_file=len(frame),
            meters=len(frame),
            seconds=time.perf_counter() - started,
        )
        result.note("load.unchanged", "this file was loaded before; nothing changed")
        return result
    rows = _validate(frame, tab, store)
    result = LoadResult(str(path), "loaded", rows_in_file=len(rows), meters=len(rows))
    for row in rows:
        if row.pop("_assumed_reference", False):
            result.note(
                "meters.gas_volume_reference",
                f"meter {row['meter_id']}: unit {row['unit']} without volume_reference: taken "
                "as normal cubic metres (0 degC, 101.325 kPa); if the meter reads standard "
                "volumes (20 degC, the Chinese trade reference) declare volume_reference = "
                "standard or unit Sm3 (1 Sm3 = 0.9318 Nm3); working-condition volumes need "
                "volume_reference = working and the conversion factor as multiplier",
                "warning",
                meter_id=row["meter_id"],
                line=row["_line"],
            )
    if frame.attrs.get("ignored_columns"):
        ignored = frame.attrs["ignored_columns"]
        result.note("input.ignored_columns", f"column(s) not read: {', '.join(ignored)}")
    note_layout(result, tab, totals)
    with store.transaction():
        changed = _upsert(con, rows, tab)
        if not changed:
            result.status = "unchanged"
            result.note("load.already_stored", "every meter was already stored as in the file")
        else:
            result.load_id = next_load_id(con)
            result.rows_inserted = changed
            write_log(
                con,
                result,
                KIND,
                sha,
                str(path),
                options,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
    result.seconds = time.perf_counter() - started
    return result


def _validate(frame, tab, store) -> list[dict]:
    missing = [c for c in METER_COLUMNS_REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            str(tab.path),
            [
                Problem(1, c, None, "required column is missing", "meters.missing_column")
                for c in missing
            ],
        )
    if frame.empty:
        raise InputError(
            str(tab.path), [Problem(None, None, None, "no meters in the file", "input.no_rows")]
        )
    known = list(METER_COLUMNS_REQUIRED + METER_COLUMNS_OPTIONAL)
    problems, ignored = unknown_columns([str(c) for c in frame.columns], known)
    if problems:  # "multipler": refused, else the default multiplier would apply
        raise InputError(str(tab.path), problems, unit=tab.row_unit)
    frame.attrs["ignored_columns"] = ignored
    rows, seen = [], {}
    lines = frame.attrs.get("lines")  # physical lines (CSV), else record positions
    for i, rec in zip(frame.index, frame.to_dict("records"), strict=True):
        line = lines[i] if lines else i + 1 + tab.header_lines
        row = {c: rec.get(c) for c in METER_COLUMNS_REQUIRED + METER_COLUMNS_OPTIONAL}
        found = _check_row(row, line)
        if row["meter_id"] in seen:
            found.append(
                Problem(
                    line,
                    "meter_id",
                    row["meter_id"],
                    f"duplicate meter id (first on {tab.row_unit} {seen[row['meter_id']]})",
                    "meters.duplicate",
                )
            )
        seen.setdefault(row["meter_id"], line)
        problems += found
        row["_line"] = line
        rows.append(row)
    if not problems:
        problems += _check_parents(rows, store)
    if problems:
        problems = per_column(problems, tab.row_unit)
        raise InputError(str(tab.path), problems[:20], total=len(problems), unit=tab.row_unit)
    return rows


def _check_row(row: dict, line: int) -> list[Problem]:
    out = []
    if not row["meter_id"]:
        return [Problem(line, "meter_id", None, "meter id is blank", "meters.blank_id")]
    nul = next((k for k, v in row.items() if isinstance(v, str) and "\x00" in v), None)
    if nul:
        return [Problem(line, nul, row[nul], "holds a NUL byte", "meters.nul")]
    carrier, role = row["carrier"], row["role"]
    if carrier not in CARRIERS:
        out.append(
            Problem(
                line,
                "carrier",
                carrier,
                f"unknown carrier; valid: {', '.join(CARRIERS)}",
                "meters.carrier",
            )
        )
    if role not in ROLES:
        out.append(
            Problem(line, "role", role, f"unknown role; valid: {', '.join(ROLES)}", "meters.role")
        )
    elif carrier in CARRIERS and ROLES[role] is not None and carrier not in ROLES[role]:
        out.append(
            Problem(line, "role", role, f"role {role} cannot measure {carrier}", "meters.role")
        )
    if carrier in CARRIERS:
        row["canonical_unit"] = CARRIERS[carrier]
        try:
            row["to_canonical"] = factor_to(row["unit"] or "", CARRIERS[carrier])
        except UnitError as exc:
            out.append(
                Problem(
                    line,
                    "unit",
                    row["unit"],
                    f"meter {row['meter_id']}: {exc} ({carrier} is measured in "
                    f"{CARRIERS[carrier]})",
                    "meters.unit",
                )
            )
    out += _volume_reference(row, line)
    row["reading_type"] = row["reading_type"] or "interval"
    if row["reading_type"] not in READING_TYPES:
        out.append(
            Problem(
                line,
                "reading_type",
                row["reading_type"],
                "must be 'interval' or 'register'",
                "meters.reading_type",
            )
        )
    out += _service_dates(row, line)
    out += _number(row, "multiplier", line, default=1.0)
    out += _number(row, "register_max", line, default=None)
    if row["register_max"] is not None and row["reading_type"] != "register":
        out.append(
            Problem(
                line,
                "register_max",
                str(row["register_max"]),
                "register_max is only for register meters",
                "meters.register_max",
            )
        )
    return out


def _volume_reference(row: dict, line: int) -> list[Problem]:
    """The reference conditions of a gas meter's volumes (``volume_reference``): declared
    by the column or the unit (Nm3, Sm3); a plain volume unit without it is taken as normal
    (a warning at load). Standard volumes convert at 273.15/293.15; working-condition
    volumes need the conversion factor to Nm3 as the meter's multiplier."""
    ref = row["volume_reference"] or None
    row["volume_reference"] = ref
    if row["carrier"] not in GAS_CARRIERS or "to_canonical" not in row:
        if ref is not None:
            return [_ref_problem(line, ref, "volume_reference is for gas meters (natural_gas)")]
        return []
    if ref is not None and ref not in VOLUME_REFERENCES:
        return [_ref_problem(line, ref, f"must be one of {', '.join(VOLUME_REFERENCES)}")]
    implied = UNIT_REFERENCES.get(str(row["unit"]).strip().lower())
    if implied is not None:
        if ref not in (None, implied):
            return [_ref_problem(line, ref, f"unit {row['unit']} is {implied} volume")]
        row["volume_reference"] = implied
        return []
    if ref is None:
        row["volume_reference"], row["_assumed_reference"] = "normal", True
    elif ref == "standard":
        row["to_canonical"] *= 273.15 / 293.15
    elif ref == "working" and row["multiplier"] is None:
        rule = "working-condition volumes need multiplier = the conversion factor to Nm3"
        return [_ref_problem(line, ref, rule)]
    return []


def _ref_problem(line: int, value, rule: str) -> Problem:
    return Problem(line, "volume_reference", value, rule, "meters.volume_reference")


def _service_dates(row: dict, line: int) -> list[Problem]:
    """``commissioned_on`` / ``decommissioned_on`` as dates (``YYYY-MM-DD``, blank: none);
    the meter is expected to report from the first up to the day before the second."""
    out = []
    for key in SERVICE_DATES:
        text = row[key]
        if text is None:
            continue
        day, _, clock = str(text).strip().partition(" ")
        try:
            if clock.strip() not in ("", "00:00", "00:00:00"):  # an Excel date cell's time
                raise ValueError(clock)
            row[key] = dt.date.fromisoformat(day)
        except ValueError:
            row[key] = None
            out.append(Problem(line, key, text, "must be a date YYYY-MM-DD", f"meters.{key}"))
    on, off = (row[k] for k in SERVICE_DATES)
    if on is not None and off is not None and off <= on:
        rule = "decommissioning must come after commissioning"
        out.append(Problem(line, "decommissioned_on", str(off), rule, "meters.decommissioned_on"))
    return out


def _number(row: dict, key: str, line: int, default) -> list[Problem]:
    text = row[key]
    if text is None:
        row[key] = default
        return []
    try:
        value = parse_number(text)
    except ValueError as exc:
        row[key] = default
        return [Problem(line, key, text, f"{exc} (and positive)", f"meters.{key}")]
    if value <= 0:
        row[key] = default
        return [Problem(line, key, text, "must be a positive number", f"meters.{key}")]
    row[key] = value
    return []


def _check_parents(rows: list[dict], store) -> list[Problem]:
    stored = dict(store.con.execute("SELECT meter_id, parent_id FROM meters").fetchall())
    parents = {**stored, **{r["meter_id"]: r["parent_id"] for r in rows}}
    out = []
    for row in rows:
        parent = row["parent_id"]
        if parent is None:
            continue
        if parent not in parents:
            out.append(
                Problem(
                    row["_line"],
                    "parent_id",
                    parent,
                    "unknown parent meter",
                    "meters.unknown_parent",
                )
            )
            continue
        chain, node = [row["meter_id"]], parent
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if node is not None:
            out.append(
                Problem(
                    row["_line"],
                    "parent_id",
                    parent,
                    "parent cycle: " + " -> ".join([*chain, node]),
                    "meters.parent_cycle",
                )
            )
    return out


def _upsert(con, rows: list[dict], tab) -> int:
    """Insert new meters, update changed ones; return how many changed."""
    stored = {
        r[0]: r
        for r in con.execute(
            f"SELECT {', '.join(COLUMNS)}, meter_key FROM meters m"  # noqa: S608 - constant
        ).fetchall()
    }
    next_key = con.execute("SELECT coalesce(max(meter_key), 0) + 1 FROM meters").fetchone()[0]
    changed, problems, new = 0, [], []
    for row in rows:
        values = [row[c] for c in COLUMNS]
        old = stored.get(row["meter_id"])
        if old is None:
            new.append([next_key, *values])
            next_key += 1
            changed += 1
            continue
        if tuple(old[: len(COLUMNS)]) == tuple(values):
            continue
        diffs = [c for c, a, b in zip(COLUMNS, old, values, strict=False) if a != b]
        frozen = [c for c in diffs if c in FROZEN]
        if frozen and _has_readings(con, old[-1]):
            problems.append(
                Problem(
                    row["_line"],
                    frozen[0],
                    str(row[frozen[0]]),
                    f"meter {row['meter_id']} already has readings; its {frozen[0]} cannot change",
                    "meters.frozen",
                )
            )
            continue
        sets = ", ".join(f"{c} = ?" for c in COLUMNS[1:])
        con.execute(
            f"UPDATE meters SET {sets} WHERE meter_id = ?",  # noqa: S608
            [*values[1:], row["meter_id"]],
        )
        changed += 1
    if problems:
        raise InputError(str(tab.path), problems[:20], total=len(problems), unit=tab.row_unit)
    _insert(con, new)
    return changed


def _has_readings(con, meter_key: int) -> bool:
    """Whether the meter has stored readings or register readings (asked only for a
    meter whose frozen columns would change)."""
    return con.execute(
        "SELECT EXISTS (SELECT 1 FROM readings WHERE meter_key = $k) "
        "OR EXISTS (SELECT 1 FROM register_readings WHERE meter_key = $k)",
        {"k": meter_key},
    ).fetchone()[0]


def _insert(con, rows: list[list], batch: int = 200) -> None:
    """Insert new meter rows (``meter_key`` and :data:`COLUMNS`), a few hundred per
    statement instead of one statement per meter."""
    one = f"({', '.join('?' * (len(COLUMNS) + 1))})"
    for first in range(0, len(rows), batch):
        part = rows[first : first + batch]
        con.execute(
            f"INSERT INTO meters (meter_key, {', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES {', '.join([one] * len(part))}",
            [v for row in part for v in row],
        )
