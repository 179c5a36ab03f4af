"""The careful path of a readings load: every cell read as text, every row checked.

Used for Excel files, time zones with daylight saving, interval-end timestamps, with a
quarantine file, and whenever the fast path finds anything unusual. Each problem is
named with its file, line, column, value and rule (:mod:`greenpark.loaders.readings_checks`);
with ``--quarantine`` the bad rows are written there and the rest is loaded.
"""

from __future__ import annotations

import datetime as dt

from greenpark.core.errors import InputError, Problem
from greenpark.io.dates import timestamp_sql, utc_from_offset_sql, year_ok_sql
from greenpark.io.files import MAX_LINE_BYTES
from greenpark.io.numbers import number_sql
from greenpark.io.structure import first_long_line, lines_are_records, scan_records
from greenpark.io.timezones import FIXED_SINCE, local_to_utc
from greenpark.loaders.common import LoadResult, next_load_id
from greenpark.loaders.readings_checks import (
    check_row_rules,
    check_rows,
    good_rows_need_checks,
    problems,
    total_label_sql,
    total_labels,
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
    if _lean_possible(job):
        result = _run_lean(job, load_id)  # on an error the rollback drops its tables
        con.execute("DROP TABLE IF EXISTS gp_lean")
        con.execute("DROP TABLE IF EXISTS gp_lean_keys")
        if result is not None:
            return result
        for name in ("gp_cand", "gp_rejects", "gp_rejects_scan"):  # read again, in full
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


def _lean_possible(job: Job) -> bool:
    """Whether the lean careful path applies: a long file in a fixed-offset zone whose
    interval shift is known before reading (stamps at the start, or ``--interval``)."""
    return (
        job.plan.layout == "long"
        and job.offset_s is not None
        and (job.options.timestamp_convention == "start" or bool(job.options.interval_minutes))
    )


def _run_lean(job: Job, load_id) -> LoadResult | None:
    """The careful path in one read: every row parsed and checked by the row rules in one
    query into ``gp_lean``, the text kept only for the rows that break one.

    The rules between rows and with stored readings are proved unbroken in aggregate
    (:func:`~greenpark.loaders.readings_checks.good_rows_need_checks`); when they are
    not, or a stamp is from before :data:`FIXED_SINCE` (the zone's own rules), this
    returns None and the full careful path reads the file again: the result and every
    problem are those of the full path either way.
    """
    con = job.con
    _read(job, lambda sql, params: _create_lean(job, sql, params), "gp_lean", "bad_row", False)
    rows, earliest = con.execute("SELECT count(*), min(ts) FROM gp_lean").fetchone()
    # min(ts) <= min(ts_local) - offset: a stamp before FIXED_SINCE shows here (or a UTC
    # one). From then on the zone has one offset: ts_local = ts + offset + shift, for
    # stamps with an explicit offset too (gp_cand's ts_local below).
    if earliest is not None and earliest < FIXED_SINCE - dt.timedelta(seconds=job.offset_s):
        return None
    if con.execute(
        "SELECT count(*) FROM gp_lean WHERE bad_text IS NOT NULL AND bad_row IS NULL"
    ).fetchone()[0]:
        return None  # a bad row without its line
    if good_rows_need_checks(job):
        return None
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE gp_cand AS
        SELECT l.bad_row AS row_no, ? AS col,
               trim(json_extract_string(l.bad_text, '$[0]')) AS meter_id,
               json_extract_string(l.bad_text, '$[1]') AS ts_raw,
               json_extract_string(l.bad_text, '$[2]') AS value_raw,
               l.ts + INTERVAL ({int(job.offset_s)}) SECOND + {_interval_sql(job)} AS ts_local,
               l.value, m.meter_key, m.reading_type, m.to_canonical * m.multiplier AS factor,
               l.ts, CAST(NULL AS VARCHAR) AS problem, CAST(NULL AS VARCHAR) AS problem_col,
               CAST(NULL AS VARCHAR) AS problem_value, CAST(NULL AS VARCHAR) AS code,
               false AS unchanged, ? AS load_id
        FROM gp_lean l LEFT JOIN meters m ON m.meter_key = l.meter_key
        WHERE l.bad_row IS NOT NULL ORDER BY l.bad_row""",  # noqa: S608 - generated SQL
        [job.plan.source[job.plan.value], load_id],
    )
    check_row_rules(job)
    if con.execute("SELECT count(*) FROM gp_cand WHERE code IS NULL").fetchone()[0]:
        return None  # a row the lean query held bad breaks no rule: let the full path judge
    found = problems(job)
    result = LoadResult(str(job.tab.path), "loaded", load_id, rows_in_file=rows)
    if found:
        if not job.options.quarantine:
            raise InputError(
                str(job.tab.path),
                found[:MAX_PROBLEMS_SHOWN],
                total=len(found),
                unit=job.tab.row_unit,
            )
        result.rows_quarantined = write_quarantine(job)
    if rows == 0 and not result.rows_quarantined:
        raise InputError(
            str(job.tab.path),
            [Problem(None, None, None, "no readings in the file (header only?)", "input.no_rows")],
        )
    job.progress(f"{job.tab.path.name}: storing")
    con.execute(
        """
        INSERT INTO readings SELECT l.meter_key, l.ts, l.value * (m.to_canonical * m.multiplier), ?
        FROM gp_lean l JOIN meters m USING (meter_key) WHERE l.bad_row IS NULL""",
        [load_id],
    )
    con.execute("CREATE OR REPLACE TEMP TABLE gp_new_keys (meter_key INTEGER)")  # no registers
    # As the full path: over the stored rows and the total rows (their problem is NULL).
    ts_min, ts_max, n_meters = con.execute("""
        SELECT min(ts), max(ts), count(DISTINCT meter_key) FROM (
            SELECT meter_key, ts_min AS ts FROM gp_lean_keys
            UNION ALL SELECT meter_key, ts_max FROM gp_lean_keys
            UNION ALL SELECT meter_key, ts FROM gp_cand WHERE problem IS NULL)""").fetchone()
    result.meters = n_meters
    job.move_registers(load_id, result, fast=False)
    return job.finish(result, ts_min, ts_max)


def _create_lean(job: Job, stage: str, params: list) -> None:
    """``gp_lean`` from the text rows ``stage``: the meter, UTC time and value of
    every row, and ``bad_row`` (the line) and ``bad_text`` (meter, timestamp and value as
    a JSON array) of the rows that break a row rule of
    :mod:`~greenpark.loaders.readings_checks` (the same expressions as :func:`_parse`; a
    stamp that is exactly the file's common layout is read by it alone). Columns that are
    NULL on good rows, one text column: 5M rows take ~0.2 GB."""
    formats = _formats(job)
    fmt = _round_trip_format(job)
    quick = f"try_strptime(s.ts_raw, '{fmt}')"
    exact = f"strftime({quick}, '{fmt}') = s.ts_raw"  # the cell is that layout, nothing else
    sql = f"""
        CREATE OR REPLACE TEMP TABLE gp_lean AS
        SELECT CASE WHEN NOT ok THEN row_no END AS bad_row, meter_key, ts, value,
               CASE WHEN NOT ok THEN to_json([meter_cell, ts_raw, value_raw]) END AS bad_text
        FROM (
        SELECT *, coalesce(ts_given, ts_local - INTERVAL ({int(job.offset_s)}) SECOND)
                  - {_interval_sql(job)} AS ts,
               coalesce(meter_key IS NOT NULL AND NOT is_total AND ts_local IS NOT NULL
                        AND value IS NOT NULL AND isfinite(value * coalesce(factor, 1)),
                        false) AS ok
        FROM (
        SELECT * EXCLUDE (ts_parsed) REPLACE (
            CASE WHEN ts_given IS NOT NULL THEN timezone(?, CAST(ts_given AS TIMESTAMPTZ))
                 WHEN {year_ok_sql("ts_parsed")} THEN ts_parsed END AS ts_local)
        FROM (
        SELECT s.row_no, s.meter_id AS meter_cell, trim(s.meter_id) AS meter_id, s.ts_raw,
               s.value_raw,
               CASE WHEN {exact} THEN {quick} ELSE {timestamp_sql("s.ts_raw")} END AS ts_parsed,
               NULL::TIMESTAMP AS ts_local,
               CASE WHEN {exact} THEN NULL ELSE {utc_from_offset_sql("s.ts_raw")} END AS ts_given,
               {number_sql("s.value_raw")} AS value,
               m.meter_key, m.is_total, m.to_canonical * m.multiplier AS factor
        FROM ({stage}) s LEFT JOIN (
            SELECT meter_key, meter_id, to_canonical, multiplier,
                   {total_label_sql("meter_id")} AS is_total FROM meters) m
          ON m.meter_id = trim(s.meter_id))))"""  # noqa: S608 - generated expressions only
    job.con.execute(sql, [job.timezone, formats, *params, total_labels()])
    if job.tab.fmt == "csv":
        _number_bad_rows(job)


def _number_bad_rows(job: Job) -> None:
    """``bad_row`` of a CSV's bad rows, read without row numbers (in parallel): a second
    read in file order numbers every record and keeps those whose three cells are the
    text of a bad row (equal text, equal verdict); rows of equal text share its lines.
    Each bad row without its line keeps ``bad_row`` NULL (:func:`_run_lean` hands over)."""
    con = job.con
    if not con.execute("SELECT count(bad_text) FROM gp_lean").fetchone()[0]:
        return
    csv, params = job.csv_source(typed=False)
    names = ("'gp_rejects'", "'gp_rejects_scan'")
    if not all(n in csv for n in names):
        return  # unexpected reader options: the full path numbers the rows itself
    for name in names:  # the first read's rejects stay as they are
        csv = csv.replace(name, name[:-1] + "_again'")
    plan = job.plan
    cells = [plan.meter_id, plan.timestamp, plan.value]
    match = " AND ".join(f"f.{c} IS NOT DISTINCT FROM b.c{i}" for i, c in enumerate(cells))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE gp_lean_lines AS
        SELECT f.row_no, b.bad_text FROM (
            SELECT row_number() OVER () + {int(job.tab.header_lines)} AS row_no, * FROM {csv}) f
        JOIN (SELECT bad_text, json_extract_string(bad_text, '$[0]') AS c0,
                     json_extract_string(bad_text, '$[1]') AS c1,
                     json_extract_string(bad_text, '$[2]') AS c2
              FROM (SELECT DISTINCT bad_text FROM gp_lean WHERE bad_text IS NOT NULL)) b
          ON {match}""",  # noqa: S608 - generated names only
        params,
    )
    con.execute("""
        UPDATE gp_lean SET bad_row = n.row_no FROM (
            SELECT rowid AS id, bad_text, row_number() OVER (PARTITION BY bad_text) AS k
            FROM gp_lean WHERE bad_text IS NOT NULL) l
        JOIN (SELECT row_no, bad_text, row_number() OVER (PARTITION BY bad_text ORDER BY row_no)
              AS k FROM gp_lean_lines) n USING (bad_text, k)
        WHERE gp_lean.rowid = l.id""")
    for name in ("gp_lean_lines", "gp_rejects_again", "gp_rejects_scan_again"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _round_trip_format(job: Job) -> str:
    """The strftime layout :func:`_lean_sql` reads stamps in directly (a cell it prints
    back exactly): the file's common layout when that gives what :func:`_parse` would
    (an ISO layout, or the first format tried), else ISO with seconds."""
    fmt = job.fast_timestamp_format()
    if fmt and (fmt.startswith("%Y-%m-%d") or fmt == _formats(job)[0]):
        return fmt
    return "%Y-%m-%d %H:%M:%S"


def _formats(job: Job) -> list[str]:
    """The strptime formats tried, in order, after ISO 8601 (``--timestamp-format`` first)."""
    user = job.options.timestamp_format
    return ([user] if user else []) + TIMESTAMP_FORMATS


def _stage(job: Job) -> None:
    """``gp_stg``: one text row per meter and timestamp, with its line number."""
    create = "CREATE OR REPLACE TEMP TABLE gp_stg AS"
    _read(job, lambda sql, params: job.con.execute(f"{create} {sql}", params))


def _read(
    job: Job, create, table: str = "gp_stg", row_col: str = "row_no", numbered: bool = True
) -> None:
    """Read the file as text rows (``row_no, col, meter_id, ts_raw, value_raw``) into
    ``table``: ``create(select, params)`` runs the statements that make it (long layout;
    the wide one stages ``gp_stg``). Unreadable files, rejected lines and rows with the
    wrong field count are named here; ``row_col`` becomes the physical line.

    ``numbered=False``: a CSV's ``row_no`` is NULL, for ``create`` to number the rows it
    keeps. ``row_number() OVER ()`` reads the file in one thread, and every expression
    above it in the same query runs in that thread too.
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
        _physical_lines(job, table, row_col)
        _raise_rejects(job)


def _stage_wide(job: Job, src: str, params: list) -> None:
    """``gp_stg`` of a wide file, unpivoted a batch of meter columns at a time
    (bounded memory; the file is read once, row numbers and all: see
    :meth:`Job.wide_batches`)."""
    cols = ", ".join(c for c, _, _ in job.plan.meter_columns)
    select = f"row_no, {job.plan.timestamp} AS ts_raw, {cols} FROM ({src})"
    verb = "CREATE OR REPLACE TEMP TABLE gp_stg AS"
    for batch, source, batch_params in job.wide_batches(select, params):
        job.con.execute(
            f"{verb} SELECT u.row_no, m.header AS col, m.meter_id, u.ts_raw, u.value_raw "
            f"FROM (UNPIVOT (SELECT row_no, ts_raw, {batch} FROM {source}) ON {batch} "
            f"INTO NAME col VALUE value_raw) u JOIN gp_colmap m USING (col)",
            batch_params,
        )
        verb = "INSERT INTO gp_stg"


def _physical_lines(job: Job, table: str = "gp_stg", row_col: str = "row_no") -> None:
    """Make ``row_col`` of ``table`` the physical line of each record when blank lines or
    quoted newlines make them differ (or rows were rejected): a second, Python pass over
    the file, needed only then; rows with the wrong field count are named here."""
    con, tab = job.con, job.tab
    records = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    if job.plan.layout == "wide":
        records = con.execute("SELECT count(DISTINCT row_no) FROM gp_stg").fetchone()[0]
    rejected, too_long = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE error_type = 'LINE SIZE OVER MAXIMUM') "
        "FROM gp_rejects"
    ).fetchone()
    if too_long or (not rejected and lines_are_records(tab.read_path, records, tab.header_lines)):
        return  # a line over the limit is reported as such, never read into memory
    starts = _scan(job)
    if rejected or len(starts) != records:
        return  # not a field-count problem: DuckDB's own rejects are reported
    import numpy as np
    import pandas as pd

    first = 1 + tab.header_lines
    lines = pd.DataFrame({"rec": np.arange(first, first + len(starts)), "line": np.asarray(starts)})
    register_frame(con, "gp_lines", lines)
    con.execute(
        f"UPDATE {table} SET {row_col} = l.line FROM gp_lines l WHERE {table}.{row_col} = l.rec"
    )  # noqa: S608 - internal names
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
