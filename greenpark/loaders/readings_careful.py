"""The careful path of a readings load: every cell read as text, every row checked.

Used for Excel files, time zones with daylight saving, interval-end timestamps, with a
quarantine file, and whenever the fast path finds anything unusual. Each problem is
named with its file, line, column, value and rule (:mod:`greenpark.loaders.readings_checks`);
with ``--quarantine`` the bad rows are written there and the rest is loaded.

Long files in fixed-offset zones are first read by the lean read
(:mod:`greenpark.loaders.readings_lean`: one parallel query, aggregate checks); the full
path below runs when that hands over, with the same result either way.
"""

from __future__ import annotations

from greenpark.core.errors import InputError, Problem
from greenpark.io.dates import timestamp_sql, utc_from_offset_sql, year_ok_sql
from greenpark.io.files import MAX_LINE_BYTES
from greenpark.io.numbers import number_sql
from greenpark.io.structure import first_long_line, lines_are_records, scan_records
from greenpark.io.timezones import FIXED_SINCE, local_to_utc
from greenpark.loaders.common import LoadResult, next_load_id
from greenpark.loaders.readings_checks import (
    check_rows,
    problems,
    write_quarantine,
)
from greenpark.loaders.readings_job import MAX_PROBLEMS_SHOWN, Job, first_line
from greenpark.store import raise_if_interrupted, register_frame

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


def run_careful(job: Job) -> LoadResult:
    """Read every cell as text, check every row, then store the good rows.

    Raises
    ------
    InputError
        Naming every problem (file, line, column, value, rule), unless a quarantine
        file takes the bad rows.
    """
    con = job.con
    load_id = next_load_id(con)
    job.progress(f"{job.tab.path.name}: reading every row")
    from greenpark.loaders import readings_lean  # it builds on this module's readers

    if readings_lean.lean_possible(job):
        result = readings_lean.run_lean(job, load_id)  # an error's rollback drops its tables
        for name in ("gp_lean", "gp_lean_keys", "gp_lean_set"):
            con.execute(f"DROP TABLE IF EXISTS {name}")
        if result is not None:
            return result
        for name in ("gp_stg", "gp_rejects", "gp_rejects_scan"):  # read again, in full
            con.execute(f"DROP TABLE IF EXISTS {name}")
    _stage(job)
    _parse(job, load_id)
    con.execute("DROP TABLE IF EXISTS gp_stg")  # every cell is in gp_cand: free its memory
    check_rows(job)
    found = problems(job)
    result = LoadResult(
        str(job.tab.path),
        "loaded",
        load_id,
        rows_in_file=con.execute("SELECT count(*) FROM gp_cand").fetchone()[0],
    )
    if found:
        if not job.options.quarantine:
            total = len(found)
            raise InputError(
                str(job.tab.path),
                found[:MAX_PROBLEMS_SHOWN],
                total=total,
                unit=job.tab.row_unit,
            )
        result.rows_quarantined = write_quarantine(job)
    if result.rows_in_file == 0 and not result.rows_quarantined:
        raise InputError(
            str(job.tab.path),
            [Problem(None, None, None, "no readings in the file (header only?)", "input.no_rows")],
        )
    job.progress(f"{job.tab.path.name}: storing")
    _store_rows(job, result)
    ts_min, ts_max, n_meters = con.execute(
        "SELECT min(ts), max(ts), count(DISTINCT meter_key) FROM gp_cand WHERE problem IS NULL"
    ).fetchone()
    result.meters = n_meters
    job.move_registers(load_id, result, fast=False)
    return job.finish(result, ts_min, ts_max)


def _formats(job: Job) -> list[str]:
    """The strptime formats tried, in order, after ISO 8601 (``--timestamp-format`` first)."""
    user = job.options.timestamp_format
    return ([user] if user else []) + TIMESTAMP_FORMATS


def _stage(job: Job) -> None:
    """``gp_stg``: one text row per meter and timestamp, with its line number."""
    create = "CREATE OR REPLACE TEMP TABLE gp_stg AS"
    _read(job, lambda sql, params: job.con.execute(f"{create} {sql}", params))


def _read(job: Job, create, numbered: bool = True, records: str = "gp_stg") -> None:
    """Read the file as text rows (``row_no, col, meter_id, ts_raw, value_raw``) into
    ``gp_stg``: ``create(select, params)`` runs the statements that make it (long layout;
    the wide one stages ``gp_stg`` itself). Unreadable files, rejected lines and rows
    with the wrong field count are named here; ``row_no`` becomes the physical line.

    ``numbered=False``: a CSV's ``row_no`` in ``select`` is NULL (``create`` numbers the
    rows it keeps): ``row_number() OVER ()`` reads the file in one thread, and every
    expression above it in the same query runs in that thread too. ``records``: the
    table holding one row per record (``gp_stg`` itself unless ``create`` keeps some).
    """
    plan = job.plan
    if numbered or job.tab.fmt != "csv":
        src, params = job.varchar_source()
    else:
        csv, params = job.csv_source(typed=False)
        src = f"SELECT NULL::BIGINT AS row_no, * FROM {csv}"
    job.register_colmap()
    try:
        with job.unordered():
            if plan.layout == "long":
                sql = (
                    f"SELECT row_no, ? AS col, {plan.meter_id} AS meter_id, "
                    f"{plan.timestamp} AS ts_raw, {plan.value} AS value_raw FROM ({src})"
                )
                create(sql, [plan.source[plan.value], *params])
            else:
                _stage_wide(job, src, params)
    except Exception as exc:
        raise_if_interrupted(exc)
        long_line = first_long_line(job.tab.read_path) if job.tab.fmt == "csv" else None
        if long_line:
            raise InputError(
                str(job.tab.path),
                [
                    Problem(
                        long_line,
                        None,
                        None,
                        f"line is longer than {MAX_LINE_BYTES} bytes (the limit per line)",
                        "input.line_too_long",
                    )
                ],
            ) from None
        if job.tab.fmt == "csv":
            _scan(job, strict=True)  # a record DuckDB could not sniff or split, by its line
        raise InputError(
            str(job.tab.path),
            [
                Problem(
                    None,
                    None,
                    None,
                    f"cannot read the file: {first_line(exc)}",
                    "input.format",
                )
            ],
        ) from None
    if job.tab.fmt == "csv":
        _physical_lines(job, records)
        _raise_rejects(job)


def _stage_wide(job: Job, src: str, params: list) -> None:
    """``gp_stg`` of a wide file, unpivoted a batch of meter columns at a time
    (bounded memory; the file is read once, row numbers and all: see
    :meth:`Job.wide_batches`)."""
    cols = ", ".join(c for c, _, _ in job.plan.meter_columns)
    select = f"row_no, {job.plan.timestamp} AS ts_raw, {cols} FROM ({src})"
    verb = "CREATE OR REPLACE TEMP TABLE gp_stg AS"
    for names, source, batch_params in job.wide_batches(select, params):
        batch = ", ".join(names)
        job.con.execute(
            f"{verb} SELECT u.row_no, m.header AS col, m.meter_id, u.ts_raw, u.value_raw "
            f"FROM (UNPIVOT (SELECT row_no, ts_raw, {batch} FROM {source}) ON {batch} "
            f"INTO NAME col VALUE value_raw) u JOIN gp_colmap m USING (col)",
            batch_params,
        )
        verb = "INSERT INTO gp_stg"


def _physical_lines(job: Job, records_table: str = "gp_stg") -> None:
    """Make ``row_no`` of ``gp_stg`` the physical line of each record when blank lines or
    quoted newlines make them differ (or rows were rejected): a second, Python pass over
    the file, needed only then; rows with the wrong field count are named here.
    ``records_table`` holds one row per record (long layout)."""
    con, tab = job.con, job.tab
    records = con.execute(f"SELECT count(*) FROM {records_table}").fetchone()[0]  # noqa: S608
    if job.plan.layout == "wide":
        records = con.execute("SELECT count(DISTINCT row_no) FROM gp_stg").fetchone()[0]
    rejected, too_long = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE error_type = 'LINE SIZE OVER MAXIMUM') "
        "FROM gp_rejects"
    ).fetchone()
    if too_long or (
        not rejected and lines_are_records(tab.read_path, records, tab.header_lines, job.newlines)
    ):
        return  # a line over the limit is reported as such, never read into memory
    starts = _scan(job)
    if rejected or len(starts) != records:
        return  # not a field-count problem: DuckDB's own rejects are reported
    import numpy as np
    import pandas as pd

    first = 1 + tab.header_lines
    lines = pd.DataFrame({"rec": np.arange(first, first + len(starts)), "line": np.asarray(starts)})
    register_frame(con, "gp_lines", lines)
    con.execute("UPDATE gp_stg SET row_no = l.line FROM gp_lines l WHERE gp_stg.row_no = l.rec")
    con.unregister("gp_lines")


def _scan(job: Job, strict: bool = False):
    """:func:`scan_records` over the file DuckDB read, errors naming the user's file (not
    the UTF-8 copy of a GBK file)."""
    tab = job.tab
    try:
        return scan_records(
            tab.read_path,
            tab.delimiter,
            tab.header_lines,
            len(job.plan.names),
            tab.row_unit,
            strict,
        )
    except InputError as exc:
        exc.path = str(tab.path)
        raise


def _raise_rejects(job: Job) -> None:
    """Lines DuckDB's CSV reader could not split into the header's columns."""
    rejects = job.con.execute("""
        SELECT line, column_name, csv_line, error_type, error_message FROM gp_rejects
        ORDER BY line""").fetchall()
    if not rejects:
        return
    problems = [
        Problem(line, None, csv_line, _reject_rule(kind, msg), "input.structure")
        for line, _, csv_line, kind, msg in rejects
    ]
    raise InputError(
        str(job.tab.path),
        problems[:MAX_PROBLEMS_SHOWN],
        total=len(problems),
        unit=job.tab.row_unit,
    )


def _parse(job: Job, load_id) -> None:
    """``gp_cand``: typed timestamps and values, the meter, UTC time, empty problems."""
    con = job.con
    formats = _formats(job)
    # Explicit UTC offsets (Z, +08:00) are honoured: such a row's UTC time is given, and
    # ts_local is its wall time in the park's zone (for the interval of 'end' stamps).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE gp_cand AS
        SELECT * EXCLUDE (ts_parsed) REPLACE (
            CASE WHEN ts_given IS NOT NULL THEN timezone(?, CAST(ts_given AS TIMESTAMPTZ))
                 WHEN {year_ok_sql("ts_parsed")} THEN ts_parsed END AS ts_local)
        FROM (
        SELECT s.row_no, s.col, trim(s.meter_id) AS meter_id, s.ts_raw, s.value_raw,
               {timestamp_sql("s.ts_raw")} AS ts_parsed, NULL::TIMESTAMP AS ts_local,
               {utc_from_offset_sql("s.ts_raw")} AS ts_given,
               {number_sql("s.value_raw")} AS value,
               m.meter_key, m.reading_type, m.to_canonical * m.multiplier AS factor,
               CAST(NULL AS TIMESTAMP) AS ts, CAST(NULL AS VARCHAR) AS problem,
               CAST(NULL AS VARCHAR) AS problem_col, CAST(NULL AS VARCHAR) AS problem_value,
               CAST(NULL AS VARCHAR) AS code, false AS unchanged, ? AS load_id
        FROM gp_stg s LEFT JOIN meters m ON m.meter_id = trim(s.meter_id))
    """,  # noqa: S608 - SQL text holds generated expressions only
        [job.timezone, formats, load_id],
    )
    _to_utc(job)


def _to_utc(job: Job) -> None:
    """Local wall times -> UTC (refusing times that do not exist or are ambiguous).

    In a zone with one offset since :data:`~greenpark.io.timezones.FIXED_SINCE` and
    stamps from then on, a shift in SQL (no pandas); otherwise pandas' zone rules. Rows
    with an explicit offset (``ts_given``) keep their given UTC time either way.
    """
    con = job.con
    shift = _interval_sql(job)
    if job.offset_s is not None:
        earliest = con.execute(
            "SELECT min(ts_local) FROM gp_cand WHERE ts_local IS NOT NULL AND ts_given IS NULL"
        ).fetchone()[0]
        if earliest is None or earliest >= FIXED_SINCE:
            con.execute(f"""
                UPDATE gp_cand SET ts = ts_local - INTERVAL ({int(job.offset_s)}) SECOND - {shift}
                WHERE ts_given IS NULL AND ts_local IS NOT NULL""")  # noqa: S608
            con.execute(f"UPDATE gp_cand SET ts = ts_given - {shift} WHERE ts_given IS NOT NULL")  # noqa: S608
            return
    local = con.execute(
        "SELECT DISTINCT ts_local FROM gp_cand WHERE ts_local IS NOT NULL AND ts_given IS NULL"
    ).df()["ts_local"]
    tz = local_to_utc(local, job.timezone)
    register_frame(con, "gp_tz_frame", tz)
    con.execute("CREATE OR REPLACE TEMP TABLE gp_tz AS SELECT * FROM gp_tz_frame")
    con.unregister("gp_tz_frame")
    con.execute(f"""
        UPDATE gp_cand SET ts = z.ts_utc - {shift},
               problem = CASE WHEN z.problem IS NOT NULL THEN 'timestamp ' || z.problem END
        FROM gp_tz z WHERE z.ts_local = gp_cand.ts_local AND gp_cand.ts_given IS NULL""")  # noqa: S608
    con.execute(f"UPDATE gp_cand SET ts = ts_given - {shift} WHERE ts_given IS NOT NULL")  # noqa: S608


def _interval_sql(job: Job) -> str:
    """SQL for the interval length to subtract from ``end`` stamps."""
    if job.options.timestamp_convention == "start":
        return "INTERVAL 0 SECOND"
    if job.options.interval_minutes:
        return f"INTERVAL ({float(job.options.interval_minutes) * 60}) SECOND"
    job.con.execute("""
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


def _store_rows(job: Job, result: LoadResult) -> None:
    """Insert the good rows that are not stored yet (replacing with ``--replace``)."""
    con = job.con
    repeated, first_repeat = con.execute(
        "SELECT count(*), min(row_no) FROM gp_cand WHERE code = 'readings.repeated'"
    ).fetchone()
    if repeated:
        result.note(
            "load.repeated_rows",
            f"{repeated} exact repeated row(s) ignored",
            count=repeated,
            line=first_repeat,
        )
    result.rows_unchanged = con.execute(
        "SELECT count(*) FROM gp_cand WHERE code IS NULL AND unchanged"
    ).fetchone()[0]
    if job.options.replace:
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


def _reject_rule(kind: str, message: str) -> str:
    """What a DuckDB CSV reject means for the person who made the file."""
    rules = {
        "MISSING COLUMNS": "too few columns (is the line cut short?)",
        "TOO MANY COLUMNS": "too many columns",
        "INVALID UNICODE": "not valid text in the file's encoding (is --encoding right?)",
        "UNQUOTED VALUE": "badly quoted value",
        "LINE SIZE OVER MAXIMUM": "line too long",
    }
    return rules.get(kind, first_line(Exception(message)))
