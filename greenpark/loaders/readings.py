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
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem
from greenpark.io.tabular import TabularFile, open_tabular
from greenpark.io.timezones import FIXED_SINCE, fixed_offset_seconds, local_to_utc
from greenpark.loaders.columns import ColumnPlan, plan_columns
from greenpark.loaders.common import (
    FileDigest,
    LoadResult,
    next_load_id,
    previous_load,
    write_log,
)
from greenpark.loaders.registers import derive_deltas, sequence_sql
from greenpark.store import raise_if_interrupted, register_frame

KIND = "readings"
CONVENTIONS = ("start", "end")
# Formats tried, in order, for timestamps DuckDB does not parse as ISO 8601.
TIMESTAMP_FORMATS = [
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y%m%d %H:%M",
    "%Y%m%d%H%M%S",
    "%Y%m%d%H%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
]
RELATIVE_TOLERANCE = 1e-9
MAX_PROBLEMS_SHOWN = 20


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

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, {}, False)}


class _NotClean(Exception):
    """The fast path found something; the careful path will say what."""


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
    return results


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
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    progress(f"{path.name}: checking")
    tab = open_tabular(path, options.encoding, options.sheet)
    try:
        sha = FileDigest(path)
        if previous_load(store.con, KIND, sha) and not options.replace:
            return LoadResult(
                str(path),
                "unchanged",
                findings=["this file was loaded before; nothing changed"],
                seconds=time.perf_counter() - started,
            )
        plan = plan_columns(str(path), tab.columns, options.mapping, options.layout, tab.row_unit)
        job = _Job(store.con, tab, plan, options, timezone, sha, started_at, progress)
        result = None
        if job.fast_path_possible():
            try:
                with store.transaction():
                    result = job.run_fast()
                state["committed"] = True
            except _NotClean:
                result = None
        if result is None:
            with store.transaction():
                result = job.run_careful()
        state["committed"] = True
    finally:
        tab.cleanup()
        _drop_temp(store.con)
    result.seconds = time.perf_counter() - started
    return result


def _drop_temp(con) -> None:
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


class _Job:
    """One file's load: builds the SQL, runs the fast or careful path."""

    def __init__(
        self,
        con,
        tab: TabularFile,
        plan: ColumnPlan,
        options: ReadingsOptions,
        timezone: str,
        sha: str,
        started_at,
        progress,
    ):
        self.con, self.tab, self.plan, self.options = con, tab, plan, options
        self.timezone, self.sha, self.started_at, self.progress = (
            timezone,
            sha,
            started_at,
            progress,
        )
        self.offset_s = fixed_offset_seconds(timezone)

    # ------------------------------------------------------------------ sources
    def _csv_source(self, typed: bool) -> tuple[str, list]:
        plan = self.plan
        args = [
            "header = true",
            "delim = ?",
            "names = ?",
            "store_rejects = true",
            "rejects_table = 'gp_rejects'",
            "rejects_scan = 'gp_rejects_scan'",
            "quote = '\"'",
            "escape = '\"'",
        ]
        params = [str(self.tab.read_path), self.tab.delimiter, plan.names]
        if typed:
            types = {plan.timestamp: "TIMESTAMP"}
            if plan.layout == "long":
                types |= {plan.meter_id: "VARCHAR", plan.value: "DOUBLE"}
            else:
                types |= {c: "DOUBLE" for c, _, _ in plan.meter_columns}
            args.append("types = ?")
            params.append([types.get(n, "VARCHAR") for n in plan.names])
            if self.options.timestamp_format:
                args.append("timestampformat = ?")
                params.append(self.options.timestamp_format)
        else:
            args += ["all_varchar = true", "null_padding = true"]
        return f"read_csv(?, {', '.join(args)})", params

    def _varchar_source(self) -> tuple[str, list]:
        """All columns as text plus ``row_no``, the line/row number in the file."""
        names = ", ".join(self.plan.names)
        if self.tab.fmt == "csv":
            src, params = self._csv_source(typed=False)
            sql = f"SELECT row_number() OVER () + {self.tab.header_lines} AS row_no, * FROM {src}"
            return sql, params
        if self.tab.fmt == "parquet":
            casts = ", ".join(f"CAST({n} AS VARCHAR) AS {n}" for n in self.plan.names)
            sql = (
                f"SELECT file_row_number + 1 AS row_no, {casts} "
                f"FROM read_parquet(?, file_row_number = true) AS s({names}, file_row_number)"
            )
            return sql, [str(self.tab.read_path)]
        frame = self.tab.frame.copy()
        frame.columns = self.plan.names
        frame.insert(
            0, "row_no", range(1 + self.tab.header_lines, len(frame) + 1 + self.tab.header_lines)
        )
        register_frame(self.con, "gp_xlsx", frame)
        return "SELECT * FROM gp_xlsx", []

    def _typed_source(self) -> tuple[str, list]:
        """Columns (meter_id, ts_local, value) typed, no row numbers (fast path)."""
        plan = self.plan
        if self.tab.fmt == "csv":
            src, params = self._csv_source(typed=True)
            base = f"SELECT * FROM {src}"
        else:
            base = f"SELECT * FROM read_parquet(?) AS s({', '.join(plan.names)})"
            params = [str(self.tab.read_path)]
        if plan.layout == "long":
            sql = (
                f"SELECT CAST({plan.meter_id} AS VARCHAR) AS meter_id, "
                f"CAST({plan.timestamp} AS TIMESTAMP) AS ts_local, "
                f"CAST({plan.value} AS DOUBLE) AS value FROM ({base})"
            )
            return sql, params
        cols = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" for c, _, _ in plan.meter_columns)
        sql = (
            f"SELECT m.meter_id, u.ts_local, u.value FROM (UNPIVOT (SELECT "
            f"CAST({plan.timestamp} AS TIMESTAMP) AS ts_local, {cols} FROM ({base})) "
            f"ON {', '.join(c for c, _, _ in plan.meter_columns)} "
            f"INTO NAME col VALUE value) u JOIN gp_colmap m USING (col)"
        )
        return sql, params

    def _register_colmap(self) -> None:
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE gp_colmap (col VARCHAR, meter_id VARCHAR, header VARCHAR)"
        )
        if self.plan.meter_columns:
            self.con.executemany(
                "INSERT INTO gp_colmap VALUES (?, ?, ?)", [list(t) for t in self.plan.meter_columns]
            )

    # ---------------------------------------------------------------- fast path
    def fast_path_possible(self) -> bool:
        return (
            self.tab.fmt in ("csv", "parquet")
            and self.offset_s is not None
            and self.options.timestamp_convention == "start"
            and self.options.quarantine is None
        )

    def run_fast(self) -> LoadResult:
        con = self.con
        load_id = next_load_id(con)
        self._register_colmap()
        src, params = self._typed_source()
        self.progress(f"{self.tab.path.name}: reading")
        try:
            con.execute(
                f"""
                INSERT INTO readings
                SELECT m.meter_key, s.ts_local - INTERVAL ({self.offset_s}) SECOND,
                       CASE WHEN m.reading_type = 'register' THEN s.value
                            ELSE s.value * m.to_canonical * m.multiplier END, ?
                FROM ({src}) s LEFT JOIN meters m ON m.meter_id = s.meter_id
            """,
                [load_id, *params],
            )  # noqa: S608 - SQL text holds generated names only
        except Exception as exc:  # any reader/cast error: let the careful path explain
            raise_if_interrupted(exc)
            raise _NotClean(str(exc)) from None
        self.progress(f"{self.tab.path.name}: checking rows")
        if self.tab.fmt == "csv" and con.execute("SELECT count(*) FROM gp_rejects").fetchone()[0]:
            raise _NotClean("rejected lines")
        stats = con.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE meter_key IS NULL OR ts IS NULL
                                               OR value IS NULL OR NOT isfinite(value)),
                   min(ts), max(ts), count(DISTINCT meter_key),
                   min(epoch(ts))::BIGINT, max(epoch(ts))::BIGINT, max(meter_key)
            FROM readings WHERE load_id = ?""",
            [load_id],
        ).fetchone()
        rows, bad, ts_min, ts_max, n_meters, e_min, e_max, k_max = stats
        if rows == 0 or bad or ts_min < FIXED_SINCE:
            raise _NotClean("blank, unknown or early values")
        if self._has_duplicates(load_id, e_min, e_max, k_max, rows):
            raise _NotClean("duplicates")
        result = LoadResult(
            str(self.tab.path), "loaded", load_id, rows_in_file=rows, meters=n_meters
        )
        self._settle_overlaps_fast(load_id, ts_min, ts_max, result)
        self._move_registers(load_id, result, fast=True)
        return self._finish(result, ts_min, ts_max)

    def _has_duplicates(self, load_id, e_min, e_max, k_max, rows) -> bool:
        """Exact duplicate check on (meter, timestamp) with a bitmap when it fits."""
        # Candidate grid step: the smallest gap between timestamps in a sample of the file.
        # Rows off that grid send the check to the exact (slower) DISTINCT count.
        step = (
            self.con.execute(
                "SELECT min(d) FROM (SELECT e - lag(e) OVER (ORDER BY e) AS d FROM "
                "(SELECT DISTINCT epoch(ts)::BIGINT AS e FROM "
                "(SELECT ts FROM readings WHERE load_id = ? LIMIT 50000))) WHERE d > 0",
                [load_id],
            ).fetchone()[0]
            or 1
        )
        slots = (e_max - e_min) // step + 1
        if slots * (k_max + 1) < 2**31:
            # One pass: off-grid count and the (meter, slot) bitmap's population count.
            off_grid, distinct = self.con.execute(
                "SELECT count(*) FILTER (WHERE (epoch(ts)::BIGINT - ?) % ? <> 0), "
                "bit_count(bitstring_agg(meter_key::BIGINT * ? + (epoch(ts)::BIGINT - ?) // ?, "
                "0, ?)) FROM readings WHERE load_id = ?",
                [e_min, step, slots, e_min, step, slots * (k_max + 1), load_id],
            ).fetchone()
            if not off_grid:
                return distinct != rows
        distinct = self.con.execute(
            "SELECT count(DISTINCT (meter_key, ts)) FROM readings WHERE load_id = ?", [load_id]
        ).fetchone()[0]
        return distinct != rows

    def _settle_overlaps_fast(self, load_id, ts_min, ts_max, result: LoadResult) -> None:
        """Rows already stored: equal ones are dropped from this load, different ones are
        replaced (``--replace``) or sent to the careful path for a precise error."""
        con = self.con
        overlap = con.execute(
            """
            SELECT count(*) FROM readings r
            WHERE r.load_id <> ? AND r.ts BETWEEN ? AND ?
              AND r.meter_key IN (SELECT DISTINCT meter_key FROM readings WHERE load_id = ?)
        """,
            [load_id, ts_min, ts_max, load_id],
        ).fetchone()[0]
        if not overlap:
            return
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE gp_cand AS
            SELECT n.meter_key, n.ts, n.value AS new_value, o.value AS old_value
            FROM readings n JOIN readings o
              ON o.meter_key = n.meter_key AND o.ts = n.ts AND o.load_id <> n.load_id
            WHERE n.load_id = ? AND o.ts BETWEEN ? AND ?
        """,
            [load_id, ts_min, ts_max],
        )
        same, differ = con.execute(f"""
            SELECT count(*) FILTER (WHERE {_equal("new_value", "old_value")}),
                   count(*) FILTER (WHERE NOT {_equal("new_value", "old_value")})
            FROM gp_cand""").fetchone()
        if differ and not self.options.replace:
            raise _NotClean("conflicts with stored readings")
        con.execute(
            f"""
            DELETE FROM readings WHERE load_id = ? AND (meter_key, ts) IN
            (SELECT (meter_key, ts) FROM gp_cand WHERE {_equal("new_value", "old_value")})
        """,
            [load_id],
        )
        if differ:
            con.execute(
                f"""
                DELETE FROM readings WHERE load_id <> ? AND (meter_key, ts) IN
                (SELECT (meter_key, ts) FROM gp_cand
                 WHERE NOT {_equal("new_value", "old_value")})""",
                [load_id],
            )
        result.rows_unchanged, result.rows_replaced = same, differ

    def _move_registers(self, load_id, result: LoadResult, fast: bool) -> None:
        """Move this load's register rows to register_readings and rebuild their deltas."""
        con = self.con
        if fast:
            con.execute(
                """
                CREATE OR REPLACE TEMP TABLE gp_reg_keys AS
                SELECT DISTINCT r.meter_key FROM readings r JOIN meters m USING (meter_key)
                WHERE r.load_id = ? AND m.reading_type = 'register'""",
                [load_id],
            )
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE gp_reg_keys AS SELECT * FROM gp_new_keys")
        if not con.execute("SELECT count(*) FROM gp_reg_keys").fetchone()[0]:
            return
        if fast:
            con.execute(
                """
                CREATE OR REPLACE TEMP TABLE gp_reg_check AS
                SELECT meter_key, ts, value AS reading, load_id FROM readings
                WHERE load_id = ? AND meter_key IN (SELECT meter_key FROM gp_reg_keys)""",
                [load_id],
            )
            stored_equal_or_new = con.execute("""
                SELECT count(*) FROM gp_reg_check n JOIN register_readings o USING (meter_key, ts)
            """).fetchone()[0]
            if stored_equal_or_new:
                raise _NotClean("register readings overlap stored ones")
            con.execute("INSERT INTO register_readings SELECT * FROM gp_reg_check")
            con.execute(
                "DELETE FROM readings WHERE load_id = ? AND meter_key IN "
                "(SELECT meter_key FROM gp_reg_keys)",
                [load_id],
            )
        counts = derive_deltas(con, "gp_reg_keys")
        if counts.get("backwards"):
            raise _NotClean("register going backwards")
        for kind in ("rollover", "reset"):
            if counts.get(kind):
                result.findings.append(f"{counts[kind]} register {kind}(s); see 'greenpark check'")

    def _finish(self, result: LoadResult, ts_min, ts_max) -> LoadResult:
        con = self.con
        result.rows_inserted = con.execute(
            "SELECT (SELECT count(*) FROM readings JOIN meters USING (meter_key) "
            "WHERE load_id = ? AND reading_type <> 'register') + "
            "(SELECT count(*) FROM register_readings WHERE load_id = ?)",
            [result.load_id, result.load_id],
        ).fetchone()[0]
        if result.rows_quarantined:
            result.status = "loaded_with_quarantine"
        if not result.rows_inserted and not result.rows_replaced:
            result.status = "unchanged"
            result.findings.append("every row was already stored with the same value")
        if ts_min is not None:
            result.ts_min, result.ts_max = (self._local(ts_min), self._local(ts_max))
        write_log(
            con,
            result,
            KIND,
            self.sha,
            str(self.tab.path),
            self.options.to_dict(),
            self.started_at,
            ts_min,
            ts_max,
        )
        if result.status == "unchanged":
            con.execute("DELETE FROM load_log WHERE load_id = ?", [result.load_id])
            result.load_id = None
        return result

    def _local(self, ts_utc) -> str:
        from zoneinfo import ZoneInfo

        return (
            ts_utc.replace(tzinfo=dt.UTC)
            .astimezone(ZoneInfo(self.timezone))
            .replace(tzinfo=None)
            .isoformat(sep=" ")
        )

    # ------------------------------------------------------------- careful path
    def run_careful(self) -> LoadResult:
        con = self.con
        load_id = next_load_id(con)
        self.progress(f"{self.tab.path.name}: reading every row")
        self._stage()
        self._parse(load_id)
        self._check_rows()
        problems = self._problems()
        result = LoadResult(
            str(self.tab.path),
            "loaded",
            load_id,
            rows_in_file=con.execute("SELECT count(*) FROM gp_cand").fetchone()[0],
        )
        if problems:
            if not self.options.quarantine:
                total = len(problems)
                raise InputError(
                    str(self.tab.path),
                    problems[:MAX_PROBLEMS_SHOWN],
                    total=total,
                    unit=self.tab.row_unit,
                )
            result.rows_quarantined = self._write_quarantine()
        if result.rows_in_file == 0 and not result.rows_quarantined:
            raise InputError(
                str(self.tab.path),
                [
                    Problem(
                        None, None, None, "no readings in the file (header only?)", "input.no_rows"
                    )
                ],
            )
        self.progress(f"{self.tab.path.name}: storing")
        result.findings += self._store_rows(load_id, result)
        ts_min, ts_max, n_meters = con.execute(
            "SELECT min(ts), max(ts), count(DISTINCT meter_key) FROM gp_cand WHERE problem IS NULL"
        ).fetchone()
        result.meters = n_meters
        self._move_registers(load_id, result, fast=False)
        return self._finish(result, ts_min, ts_max)

    def _stage(self) -> None:
        con, plan = self.con, self.plan
        src, params = self._varchar_source()
        self._register_colmap()
        if plan.layout == "long":
            sql = (
                f"SELECT row_no, ? AS col, {plan.meter_id} AS meter_id, "
                f"{plan.timestamp} AS ts_raw, {plan.value} AS value_raw FROM ({src})"
            )
            params = [plan.source[plan.value], *params]
        else:
            cols = ", ".join(c for c, _, _ in plan.meter_columns)
            sql = (
                f"SELECT u.row_no, m.header AS col, m.meter_id, u.ts_raw, u.value_raw FROM "
                f"(UNPIVOT (SELECT row_no, {plan.timestamp} AS ts_raw, {cols} FROM ({src})) "
                f"ON {cols} INTO NAME col VALUE value_raw) u JOIN gp_colmap m USING (col)"
            )
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE gp_stg AS {sql}", params)
        except Exception as exc:
            raise_if_interrupted(exc)
            raise InputError(
                str(self.tab.path),
                [
                    Problem(
                        None,
                        None,
                        None,
                        f"cannot read the file: {_first_line(exc)}",
                        "input.format",
                    )
                ],
            ) from None
        if self.tab.fmt == "csv":
            self._raise_rejects()

    def _raise_rejects(self) -> None:
        rejects = self.con.execute("""
            SELECT line, column_name, csv_line, error_type, error_message FROM gp_rejects
            ORDER BY line""").fetchall()
        if not rejects:
            return
        problems = [
            Problem(line, None, csv_line, _reject_rule(kind, msg), "input.structure")
            for line, _, csv_line, kind, msg in rejects
        ]
        raise InputError(
            str(self.tab.path),
            problems[:MAX_PROBLEMS_SHOWN],
            total=len(problems),
            unit=self.tab.row_unit,
        )

    def _parse(self, load_id) -> None:
        con = self.con
        formats = (
            [self.options.timestamp_format] if self.options.timestamp_format else []
        ) + TIMESTAMP_FORMATS
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE gp_cand AS
            SELECT s.row_no, s.col, trim(s.meter_id) AS meter_id, s.ts_raw, s.value_raw,
                   coalesce(try_cast(trim(s.ts_raw) AS TIMESTAMP),
                            try_strptime(trim(s.ts_raw), ?)) AS ts_local,
                   try_cast(trim(s.value_raw) AS DOUBLE) AS value,
                   m.meter_key, m.reading_type, m.to_canonical * m.multiplier AS factor,
                   CAST(NULL AS TIMESTAMP) AS ts, CAST(NULL AS VARCHAR) AS problem,
                   CAST(NULL AS VARCHAR) AS problem_col, CAST(NULL AS VARCHAR) AS problem_value,
                   CAST(NULL AS VARCHAR) AS code, false AS unchanged, ? AS load_id
            FROM gp_stg s LEFT JOIN meters m ON m.meter_id = trim(s.meter_id)
        """,
            [formats, load_id],
        )
        self._to_utc()

    def _to_utc(self) -> None:
        con = self.con
        local = con.execute(
            "SELECT DISTINCT ts_local FROM gp_cand WHERE ts_local IS NOT NULL"
        ).df()["ts_local"]
        tz = local_to_utc(local, self.timezone)
        register_frame(con, "gp_tz_frame", tz)
        con.execute("CREATE OR REPLACE TEMP TABLE gp_tz AS SELECT * FROM gp_tz_frame")
        con.unregister("gp_tz_frame")
        shift = self._interval_sql()
        con.execute(f"""
            UPDATE gp_cand SET ts = z.ts_utc - {shift},
                   problem = CASE WHEN z.problem IS NOT NULL THEN 'timestamp ' || z.problem END
            FROM gp_tz z WHERE z.ts_local = gp_cand.ts_local""")  # noqa: S608

    def _interval_sql(self) -> str:
        """SQL for the interval length to subtract from ``end`` stamps."""
        if self.options.timestamp_convention == "start":
            return "INTERVAL 0 SECOND"
        if self.options.interval_minutes:
            return f"INTERVAL ({float(self.options.interval_minutes) * 60}) SECOND"
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE gp_interval AS
            SELECT meter_key, mode(d) AS step FROM (
                SELECT meter_key, ts_local - lag(ts_local) OVER
                    (PARTITION BY meter_key ORDER BY ts_local) AS d
                FROM (SELECT DISTINCT meter_key, ts_local FROM gp_cand
                      WHERE meter_key IS NOT NULL AND ts_local IS NOT NULL))
            WHERE d > INTERVAL 0 SECOND GROUP BY meter_key""")
        return (
            "coalesce((SELECT step FROM gp_interval i "
            "WHERE i.meter_key = gp_cand.meter_key), INTERVAL 0 SECOND)"
        )

    def _check_rows(self) -> None:
        """Fill ``problem`` for every row that breaks a rule (first rule broken wins)."""
        con = self.con
        rules = [
            (
                "meter_id IS NULL",
                "meter_id",
                "meter_id",
                "meter id is blank",
                "readings.blank_meter",
            ),
            (
                "meter_key IS NULL",
                "meter_id",
                "meter_id",
                "unknown meter id (load it with 'greenpark load meters' first)",
                "readings.unknown_meter",
            ),
            (
                "ts_raw IS NULL",
                "timestamp",
                "ts_raw",
                "timestamp is blank",
                "readings.blank_timestamp",
            ),
            (
                "ts_local IS NULL",
                "timestamp",
                "ts_raw",
                "cannot parse timestamp (expected e.g. 2025-01-31 13:45; see --timestamp-format)",
                "readings.bad_timestamp",
            ),
            (
                "problem IS NOT NULL AND code IS NULL",
                "timestamp",
                "ts_raw",
                None,
                "readings.timezone",
            ),
            ("value_raw IS NULL", "value", "value_raw", "value is blank", "readings.blank_value"),
            ("value IS NULL", "value", "value_raw", "value is not a number", "readings.bad_value"),
            (
                "NOT isfinite(value)",
                "value",
                "value_raw",
                "value is not a finite number",
                "readings.bad_value",
            ),
        ]
        for cond, col, value_col, rule, code in rules:
            column = "col" if col == "value" else "?"
            params = [] if col == "value" else [self._header(col)]
            con.execute(
                f"""
                UPDATE gp_cand SET code = ?, problem = coalesce(?, problem),
                       problem_col = {column}, problem_value = {value_col}
                WHERE code IS NULL AND {cond}""",
                [code, rule, *params],
            )  # noqa: S608
        if self.plan.layout == "wide":
            con.execute(
                "UPDATE gp_cand SET problem_col = col WHERE code = 'readings.unknown_meter'"
            )
        self._check_duplicates()
        self._check_stored()
        self._check_register_sequence()

    def _header(self, canonical: str) -> str:
        plan = self.plan
        name = {"meter_id": plan.meter_id, "timestamp": plan.timestamp, "value": plan.value}
        return plan.source.get(name.get(canonical) or "", canonical)

    def _check_duplicates(self) -> None:
        con = self.con
        con.execute(f"""
            UPDATE gp_cand SET code = 'readings.duplicate', problem_col = d.col,
                   problem_value = gp_cand.value_raw,
                   problem = printf('meter %s has another value at the same time on {
            self.tab.row_unit
        } %d', gp_cand.meter_id, d.first_row)
            FROM (SELECT meter_key, ts, min(row_no) AS first_row, any_value(col) AS col
                  FROM gp_cand WHERE code IS NULL GROUP BY ALL
                  HAVING count(DISTINCT value) > 1) d
            WHERE gp_cand.code IS NULL AND gp_cand.meter_key = d.meter_key AND gp_cand.ts = d.ts
              AND gp_cand.row_no <> d.first_row""")  # noqa: S608
        # Exact repeats (same meter, time and value): keep the first, drop the rest.
        con.execute("""
            UPDATE gp_cand SET unchanged = true, code = 'readings.repeated'
            WHERE code IS NULL AND row_no IN (
                SELECT row_no FROM (SELECT row_no, row_number() OVER
                    (PARTITION BY meter_key, ts ORDER BY row_no) AS k
                    FROM gp_cand WHERE code IS NULL) WHERE k > 1)""")

    def _check_stored(self) -> None:
        """Compare with stored readings: equal -> unchanged, different -> conflict."""
        con = self.con
        for table, value, stored in (
            ("readings", "gp_cand.value * gp_cand.factor", "o.value"),
            ("register_readings", "gp_cand.value", "o.reading"),
        ):
            reg = "= 'register'" if table == "register_readings" else "<> 'register'"
            con.execute(f"""
                UPDATE gp_cand SET unchanged = true
                FROM {table} o
                WHERE gp_cand.code IS NULL AND gp_cand.reading_type {reg}
                  AND o.meter_key = gp_cand.meter_key AND o.ts = gp_cand.ts
                  AND {_equal(value, stored)}""")  # noqa: S608
            if self.options.replace:
                continue
            con.execute(f"""
                UPDATE gp_cand SET code = 'readings.conflict', problem_col = gp_cand.col,
                       problem_value = gp_cand.value_raw,
                       problem = printf('meter %s already has %s at this time (load %d); '
                                        'use --replace to overwrite', gp_cand.meter_id,
                                        ({stored})::VARCHAR, o.load_id)
                FROM {table} o
                WHERE gp_cand.code IS NULL AND NOT gp_cand.unchanged
                  AND gp_cand.reading_type {reg}
                  AND o.meter_key = gp_cand.meter_key AND o.ts = gp_cand.ts""")  # noqa: S608

    def _check_register_sequence(self) -> None:
        """A register that goes backwards (no rollover, no reset) is an input error."""
        con = self.con
        has_registers = con.execute(
            "SELECT count(*) FROM gp_cand WHERE code IS NULL AND reading_type = 'register'"
        ).fetchone()[0]
        if not has_registers:
            return
        replace = (
            "AND (meter_key, ts) NOT IN (SELECT (meter_key, ts) FROM gp_cand WHERE code IS NULL)"
            if self.options.replace
            else ""
        )
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE gp_reg_check AS
            SELECT meter_key, ts, value AS reading, row_no FROM gp_cand
            WHERE code IS NULL AND reading_type = 'register' AND NOT unchanged
            UNION ALL
            SELECT meter_key, ts, reading, NULL FROM register_readings
            WHERE meter_key IN (SELECT meter_key FROM gp_cand WHERE reading_type = 'register')
            {replace}""")  # noqa: S608
        con.execute(f"""
            UPDATE gp_cand SET code = 'readings.register_backwards', problem_col = gp_cand.col,
                   problem_value = gp_cand.value_raw,
                   problem = printf('register reading goes backwards from %s to %s '
                                    '(not a rollover at register_max, not a reset to near 0)',
                                    q.prev_reading::VARCHAR, q.reading::VARCHAR)
            FROM ({sequence_sql("gp_reg_check")}) q
            WHERE q.kind = 'backwards' AND q.row_no = gp_cand.row_no
              AND q.meter_key = gp_cand.meter_key""")  # noqa: S608

    def _problems(self) -> list[Problem]:
        rows = self.con.execute("""
            SELECT row_no, problem_col, problem_value, problem, code FROM gp_cand
            WHERE code IS NOT NULL AND code <> 'readings.repeated'
            ORDER BY row_no, problem_col""").fetchall()
        return [Problem(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def _write_quarantine(self) -> int:
        import csv

        rows = self.con.execute("""
            SELECT row_no, problem_col, problem_value, code, problem, meter_id, ts_raw,
                   value_raw FROM gp_cand
            WHERE code IS NOT NULL AND code <> 'readings.repeated' ORDER BY row_no""").fetchall()
        with open(self.options.quarantine, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                [
                    "file",
                    self.tab.row_unit,
                    "column",
                    "value",
                    "code",
                    "reason",
                    "meter_id",
                    "timestamp",
                    "raw_value",
                ]
            )
            for row in rows:
                writer.writerow([self.tab.path.name, *[_csv_safe(v) for v in row]])
        return len(rows)

    def _store_rows(self, load_id, result: LoadResult) -> list[str]:
        con = self.con
        findings = []
        repeated = con.execute(
            "SELECT count(*) FROM gp_cand WHERE code = 'readings.repeated'"
        ).fetchone()[0]
        if repeated:
            findings.append(f"{repeated} exact repeated row(s) ignored")
        result.rows_unchanged = con.execute(
            "SELECT count(*) FROM gp_cand WHERE code IS NULL AND unchanged"
        ).fetchone()[0]
        if self.options.replace:
            result.rows_replaced = con.execute("""
                SELECT count(*) FROM gp_cand c JOIN readings o USING (meter_key, ts)
                WHERE c.code IS NULL AND NOT c.unchanged AND c.reading_type <> 'register'
            """).fetchone()[0]
            con.execute("""
                DELETE FROM readings WHERE (meter_key, ts) IN (SELECT (meter_key, ts)
                FROM gp_cand WHERE code IS NULL AND NOT unchanged AND reading_type <> 'register')
            """)
            con.execute("""
                DELETE FROM register_readings WHERE (meter_key, ts) IN (SELECT (meter_key, ts)
                FROM gp_cand WHERE code IS NULL AND NOT unchanged AND reading_type = 'register')
            """)
        con.execute("""
            INSERT INTO readings SELECT meter_key, ts, value * factor, load_id FROM gp_cand
            WHERE code IS NULL AND NOT unchanged AND reading_type <> 'register'""")
        con.execute("""
            INSERT INTO register_readings SELECT meter_key, ts, value, load_id FROM gp_cand
            WHERE code IS NULL AND NOT unchanged AND reading_type = 'register'""")
        # Register deltas are rebuilt for every register meter this file touched.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE gp_new_keys AS SELECT DISTINCT meter_key FROM gp_cand
            WHERE code IS NULL AND NOT unchanged AND reading_type = 'register'""")
        return findings


def _equal(a: str, b: str) -> str:
    """SQL: two floats equal within a relative tolerance (expressions are internal)."""
    return f"(abs(({a}) - ({b})) <= {RELATIVE_TOLERANCE} * greatest(abs({a}), abs({b}), 1e-12))"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _reject_rule(kind: str, message: str) -> str:
    rules = {
        "MISSING COLUMNS": "too few columns (is the line cut short?)",
        "TOO MANY COLUMNS": "too many columns",
        "INVALID UNICODE": "not valid text in the file's encoding (is --encoding right?)",
        "UNQUOTED VALUE": "badly quoted value",
        "LINE SIZE OVER MAXIMUM": "line too long",
    }
    return rules.get(kind, _first_line(Exception(message)))


def _csv_safe(value):
    """Quarantine cells are user text: never let a spreadsheet read them as formulas."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
