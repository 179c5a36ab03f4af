"""Load meter readings (CSV, XLSX, Parquet; long or wide) into the park database.

Each file is loaded in one transaction: all of it, or nothing. Two paths share it:

* the **fast path** streams a clean CSV/Parquet straight from DuckDB's reader into
  ``readings`` and checks the inserted rows with a few aggregate queries (nulls,
  duplicates by a bitmap, overlaps with stored rows);
* the **careful path** reads every cell as text with its line number, parses and checks
  each row, and either names every problem (file, line, column, value, rule) or, with a
  quarantine file, sets the bad rows aside and loads the rest.

The fast path hands over to the careful path (after a rollback) whenever anything looks
wrong, and is skipped where it cannot be exact (Excel, time zones with daylight saving,
interval-end timestamps). Both give the same rows for a clean file.

Modules: this one (options, one transaction per file, interruption),
:mod:`~greenpark.loaders.readings_job` (the file's SQL sources, registers, the load log),
:mod:`~greenpark.loaders.readings_fast`, :mod:`~greenpark.loaders.readings_careful` and
its row rules :mod:`~greenpark.loaders.readings_checks`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem
from greenpark.io.files import check_input_file
from greenpark.io.tabular import open_tabular
from greenpark.loaders.columns import plan_columns
from greenpark.loaders.common import FileDigest, LoadResult, note_layout, previous_load
from greenpark.loaders.readings_careful import TIMESTAMP_FORMATS, run_careful
from greenpark.loaders.readings_checks import total_row_lines
from greenpark.loaders.readings_fast import fast_path_possible, run_fast
from greenpark.loaders.readings_job import (
    KIND,
    MAX_PROBLEMS_SHOWN,
    RELATIVE_TOLERANCE,
    Job,
    NotClean,
)

__all__ = [
    "CONVENTIONS",
    "KIND",
    "MAX_PROBLEMS_SHOWN",
    "RELATIVE_TOLERANCE",
    "TIMESTAMP_FORMATS",
    "LoadInterrupted",
    "ReadingsOptions",
    "load_readings",
]

CONVENTIONS = ("start", "end")


@dataclass
class ReadingsOptions:
    """How to read a readings file (the CLI's ``load readings`` options).

    Attributes
    ----------
    layout : str or None
        ``long``, ``wide`` or None (detect).
    mapping : dict
        Canonical column (or, in wide files, meter id) -> header in the file.
    encoding : str or None
        Force a text encoding (``utf-8``, ``gbk``, ``gb18030``); None detects.
    timestamp_convention : str
        ``start`` (a stamp opens its interval) or ``end`` (it closes it).
    timestamp_format : str or None
        strptime format tried before the built-in ones.
    interval_minutes : float or None
        Interval length for ``end`` stamps; None infers it per meter. [min]
    replace : bool
        Overwrite stored readings that differ instead of refusing the file.
    quarantine : str or None
        Write rejected rows with reasons here and load the rest.
    sheet : str or None
        Excel sheet name (default: the first).
    header_row : int or None
        1-based line (CSV) or row (Excel) of the header; detected below title rows when
        None.
    """

    layout: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    timestamp_convention: str = "start"
    timestamp_format: str | None = None
    interval_minutes: float | None = None
    replace: bool = False
    quarantine: str | None = None
    sheet: str | None = None
    header_row: int | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, {}, False)}


def load_readings(
    store, paths, options: ReadingsOptions | None = None, progress=None
) -> list[LoadResult]:
    """Load one or more readings files, each in its own transaction.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    paths : str, Path or list of them
        Files to load, in order. Loading stops at the first file that fails.
    options : ReadingsOptions, optional
    progress : callable, optional
        Called with a short text before each step (for progress bars).

    Returns
    -------
    list of LoadResult
        One per file.

    Raises
    ------
    InputError
        Naming file, line, column, value and rule; the failing file changed nothing.
    """
    options = options or ReadingsOptions()
    if options.timestamp_convention not in CONVENTIONS:
        raise InputError(
            "--timestamp-convention",
            [
                Problem(
                    None, None, options.timestamp_convention, "must be start or end", "cli.option"
                )
            ],
        )
    check_options(options)
    if isinstance(paths, str | Path):
        paths = [paths]
    store.require_current()
    park = store.park()
    results: list[LoadResult] = []
    for p in paths:
        state = {"committed": False}
        try:
            results.append(
                _load_one(
                    store, Path(p), options, park.timezone, progress or (lambda s: None), state
                )
            )
        except KeyboardInterrupt:
            done = [r.path for r in results] + ([str(p)] if state["committed"] else [])
            raise LoadInterrupted(str(p), done, state["committed"]) from None
        except InputError as exc:
            if results:  # say what the command did keep: earlier files were committed
                exc.context = f"loaded before this file: {', '.join(r.path for r in results)}"
                exc.args = (str(exc),)
            raise
    return results


def check_options(options: ReadingsOptions) -> None:
    """Refuse options that cannot be right before any file is read.

    Raises
    ------
    InputError
        ``--interval`` not a finite number of minutes in (0, 1440], or a
        ``--timestamp-format`` DuckDB's strptime does not understand (``%Q``).
    """
    import math

    minutes = options.interval_minutes
    if minutes is not None and not (
        isinstance(minutes, int | float) and math.isfinite(minutes) and 0 < minutes <= 1440
    ):
        raise InputError(
            "--interval",
            [Problem(None, None, str(minutes), "must be minutes in (0, 1440]", "cli.option")],
        )
    if options.timestamp_format:
        import duckdb

        try:
            duckdb.connect().execute("SELECT try_strptime('', ?)", [options.timestamp_format])
        except duckdb.Error as exc:
            raise InputError(
                "--timestamp-format",
                [
                    Problem(
                        None,
                        None,
                        options.timestamp_format,
                        f"not a strptime format ({str(exc).splitlines()[0]})",
                        "cli.option",
                    )
                ],
            ) from None


class LoadInterrupted(GreenparkError):
    """Ctrl-C or SIGINT during ``load readings``: says exactly what was kept."""

    exit_code = 130

    def __init__(self, path: str, loaded: list[str], committed: bool):
        what = (
            f"{path} had already been committed"
            if committed
            else f"the load of {path} was rolled back"
        )
        kept = (
            f"; loaded before the interruption: {', '.join(loaded)}"
            if loaded
            else "; the database is as it was before this command"
        )
        super().__init__(f"interrupted: {what}{kept}")


def _load_one(
    store, path: Path, options: ReadingsOptions, timezone: str, progress, state: dict
) -> LoadResult:
    """One file in one transaction: the fast path if it can be exact and the file is
    clean, else (after a rollback) the careful path."""
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    progress(f"{path.name}: checking")
    check_input_file(path)  # a FIFO, device or directory is refused before any read
    sha = FileDigest(path)  # a repeat is known before the file is opened (transcoded, parsed)
    if previous_load(store.con, KIND, sha, options.to_dict()) and not options.replace:
        result = LoadResult(str(path), "unchanged", seconds=time.perf_counter() - started)
        result.note("load.unchanged", "this file was loaded before; nothing changed")
        return result
    tab = open_tabular(path, options.encoding, options.sheet, options.header_row)
    try:
        plan = plan_columns(str(path), tab.columns, options.mapping, options.layout, tab.row_unit)
        job = Job(store.con, tab, plan, options, timezone, sha, started_at, progress)
        result = None
        if fast_path_possible(job):
            try:
                with store.transaction():
                    result = run_fast(job)
                state["committed"] = True
            except NotClean:
                result = None
        totals = []
        if result is None:
            job.first_stamps = None  # only a committed fast load's checks are known
            with store.transaction():
                result = run_careful(job)
            totals = total_row_lines(store.con)
        state["committed"] = True
        note_layout(result, tab, totals)
        _note_convention(
            store.con, result, options.timestamp_convention, timezone, job.first_stamps
        )
    finally:
        tab.cleanup()
        _drop_temp(store.con)
        sha.cancel()  # logged loads have their hash by now; others need none
    result.seconds = time.perf_counter() - started
    return result


def _note_convention(
    con, result: LoadResult, declared: str, timezone: str, known: tuple | None = None
) -> None:
    """A ``readings.timestamp_convention`` finding when the stored interval starts look
    like the other convention (:func:`greenpark.loaders.preview.convention_hint`).

    ``known``: (load_id, first, second, last timestamp) of the load's stored rows, when
    the fast path's checks found them (:attr:`Job.first_stamps`); else they are read.
    """
    from greenpark.core.periods import to_local
    from greenpark.loaders.preview import convention_hint

    if result.load_id is None:
        return
    if known and known[0] == result.load_id:
        first, second, last = known[1:]
    else:
        first, second, last = con.execute(
            "WITH r AS (SELECT ts FROM readings WHERE load_id = ?) SELECT min(ts), "
            "min(ts) FILTER (WHERE ts > (SELECT min(ts) FROM r)), max(ts) FROM r",
            [result.load_id],
        ).fetchone()
    if second is None:
        return
    step = second - first
    hint = convention_hint(declared, to_local(first, timezone), to_local(last, timezone), step)
    if hint:
        result.note("readings.timestamp_convention", hint, "warning")


def _drop_temp(con) -> None:
    """Drop the load's temporary tables (the connection outlives the load)."""
    for name in (
        "gp_stg",
        "gp_cand",
        "gp_tz",
        "gp_new_keys",
        "gp_reg_keys",
        "gp_colmap",
        "gp_reg_check",
        "gp_interval",
    ):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    for name in ("gp_xlsx",):
        try:
            con.unregister(name)
        except Exception:  # noqa: S110 - not registered: nothing to undo
            pass
