"""The careful path's lean read: one parallel query parses and checks every row.

:func:`run_lean` reads a long file in a fixed-offset zone in parallel, every row's
meter, UTC time, value, verdict of the row rules (:mod:`~greenpark.loaders.readings_checks`)
and the hash of its cells into ``gp_lean``. The rows that break a row rule and those the
rules between rows or with stored readings must see (repeats, stored times, register
meters) are read again with their lines and go through the full path's own parse, rules
and store; the others break no rule and are stored straight from ``gp_lean``. Stamps
before :data:`~greenpark.io.timezones.FIXED_SINCE` or many such rows hand over to the
full careful path (:func:`~greenpark.loaders.readings_careful.run_careful`), which reads
the file again. Either way the stored rows, the quarantine file and every problem are
the full path's.
"""

from __future__ import annotations

import datetime as dt

from greenpark.core.errors import InputError, Problem
from greenpark.io.dates import timestamp_sql, utc_from_offset_sql, year_ok_sql
from greenpark.io.numbers import DEFAULT_FORMAT, NUMBER_PATTERN, current_format, number_sql
from greenpark.io.structure import lines_are_records
from greenpark.io.timezones import FIXED_SINCE
from greenpark.loaders.common import LoadResult
from greenpark.loaders.readings_careful import (
    _formats,
    _interval_sql,
    _parse,
    _read,
    _store_rows,
)
from greenpark.loaders.readings_checks import (
    check_rows,
    problems,
    rows_for_full_rules,
    total_label_sql,
    total_labels,
    write_quarantine,
)
from greenpark.loaders.readings_job import MAX_PROBLEMS_SHOWN, Job

# Above this share of the rows needing the full rules, the full path reads the file: a
# 5M-row re-export took 27 s of CPU through the subset (every row), 19 s in full.
MAX_SUBSET_SHARE = 0.25
MIN_SUBSET_HAND_OVER = 100_000  # rows: fewer always go through the subset
# Up to this many rows for the full rules, all breaking a row rule, with up to this many
# distinct cell texts, are found by their text in the file (no second read).
MAX_LINES_FETCHED = 10_000
MAX_TEXTS_SEARCHED = 8


def lean_possible(job: Job) -> bool:
    """Whether the lean careful path applies: a long file in a fixed-offset zone whose
    interval shift is known before reading (stamps at the start, or ``--interval``)."""
    return (
        job.plan.layout == "long"
        and job.offset_s is not None
        and (job.options.timestamp_convention == "start" or bool(job.options.interval_minutes))
    )


def run_lean(job: Job, load_id) -> LoadResult | None:
    """The careful path with one parallel parse of every row (``gp_lean``) and the full
    rules on the few rows that need them.

    The rows that break a row rule, and those the rules between rows or with stored
    readings must see (:func:`~greenpark.loaders.readings_checks.rows_for_full_rules`),
    are read again with their lines and go through the full path's parse, rules and
    store (``gp_stg`` -> ``gp_cand``); every other row breaks no rule and is stored
    straight from ``gp_lean``. A stamp from before :data:`FIXED_SINCE` (the zone's own
    rules), or many rows for the full rules (:data:`MAX_SUBSET_SHARE`), returns None:
    the full careful path reads the whole file then. The result and every problem are
    those of the full path either way.
    """
    con = job.con
    state: dict = {}
    _read(job, lambda sql, params: _create_lean(job, sql, params, state), False, "gp_lean")
    if state["hand_over"]:
        return None
    _parse(job, load_id)  # the subset, as the full path parses every row
    con.execute("DROP TABLE IF EXISTS gp_stg")
    check_rows(job)
    found = problems(job)
    rows = state["rows"]
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
    _store_rows(job, result)  # the subset's good rows (repeats, stored rows, registers)
    others = "ok AND h NOT IN (SELECT h FROM gp_lean_set)"
    con.execute(
        f"INSERT INTO readings SELECT meter_key, ts, value, ? FROM gp_lean WHERE {others}",
        [load_id],
    )  # noqa: S608 - internal names
    # As the full path: over the rows stored and the total rows (their problem is NULL).
    ts_min, ts_max, n_meters = con.execute(f"""
        SELECT min(ts), max(ts), count(DISTINCT meter_key) FROM (
            SELECT meter_key, ts FROM gp_lean WHERE {others}
            UNION ALL SELECT meter_key, ts FROM gp_cand WHERE problem IS NULL)""").fetchone()  # noqa: S608
    result.meters = n_meters
    job.move_registers(load_id, result, fast=False)
    return job.finish(result, ts_min, ts_max)


def _create_lean(job: Job, stage: str, params: list, state: dict) -> None:
    """``gp_lean`` from the text rows ``stage`` (read in parallel, without row numbers),
    then ``gp_stg``: the rows the full rules must see, read again with their lines.

    ``gp_lean`` holds every row's meter, UTC time and value as stored (times the meter's
    factor), ``ok`` (it breaks no row rule of :mod:`~greenpark.loaders.readings_checks`)
    and ``h``, the hash of its three cells as read: about 30 bytes a row (with
    ``bad_line``, the cells joined by the delimiter, of rows that break a rule). The
    expressions are those of the full path's parse
    (:func:`~greenpark.loaders.readings_careful._parse`), except that a stamp which is
    exactly the file's common layout (:func:`_exact_stamp_sql`) is read by that alone.
    ``state``: ``rows`` (records read) and ``hand_over`` (a stamp before 1992, or more
    than :data:`MAX_SUBSET_SHARE` of the rows, and :data:`MIN_SUBSET_HAND_OVER`, need
    the full rules).
    """
    con = job.con
    formats = _formats(job)
    quick, exact = _exact_stamp_sql(job, "s.ts_raw")
    cells = _cells_in_file_order(job)
    # Stamps at the start: no shift (subtracting a zero interval costs 0.08 s per 5M rows).
    start = job.options.timestamp_convention == "start"
    shift = "" if start else f" - {_interval_sql(job)}"
    sql = f"""
        CREATE OR REPLACE TEMP TABLE gp_lean AS
        SELECT meter_key, ts, value * factor AS value, ok,
               hash(meter_cell, ts_raw, value_raw) AS h,
               CASE WHEN NOT ok THEN {" || ? || ".join(f"coalesce({c}, '')" for c in cells)}
               END AS bad_line
        FROM (
        SELECT *, coalesce(ts_given, ts_local - INTERVAL ({int(job.offset_s)}) SECOND){shift}
                  AS ts,
               coalesce(meter_key IS NOT NULL AND NOT is_total AND ts_local IS NOT NULL
                        AND value IS NOT NULL AND isfinite(value * coalesce(factor, 1)),
                        false) AS ok
        FROM (
        SELECT * EXCLUDE (ts_parsed) REPLACE (
            CASE WHEN ts_given IS NOT NULL THEN timezone(?, CAST(ts_given AS TIMESTAMPTZ))
                 WHEN {year_ok_sql("ts_parsed")} THEN ts_parsed END AS ts_local)
        FROM (
        SELECT s.meter_id AS meter_cell, s.ts_raw, s.value_raw,
               CASE WHEN {exact} THEN {quick} ELSE {timestamp_sql("s.ts_raw")} END AS ts_parsed,
               NULL::TIMESTAMP AS ts_local,
               CASE WHEN {exact} THEN NULL ELSE {utc_from_offset_sql("s.ts_raw")} END AS ts_given,
               {_value_sql("s.value_raw")} AS value,
               m.meter_key, m.is_total, m.to_canonical * m.multiplier AS factor
        FROM ({stage}) s LEFT JOIN (
            SELECT meter_key, meter_id, to_canonical, multiplier,
                   {total_label_sql("meter_id")} AS is_total FROM meters) m
          ON m.meter_id = trim(s.meter_id))))"""  # noqa: S608 - generated expressions only
    delimiters = [job.tab.delimiter] * (len(cells) - 1)
    con.execute(sql, [*delimiters, job.timezone, formats, *params, total_labels()])
    rows, earliest = con.execute("SELECT count(*), min(ts) FROM gp_lean").fetchone()
    # min(ts) <= min(ts_local) - offset: a stamp before FIXED_SINCE shows here (or a UTC
    # one); from then on the zone has one offset, as the full path's SQL shift assumes.
    state["rows"] = rows
    early = earliest is not None and earliest < FIXED_SINCE - dt.timedelta(seconds=job.offset_s)
    # Many rows through the full rules (a re-export, a file of register meters): the full
    # path alone is cheaper, and its tables do not sit beside gp_lean's in memory.
    limit = max(MIN_SUBSET_HAND_OVER, int(rows * MAX_SUBSET_SHARE))
    subset = 0 if early else rows_for_full_rules(job, limit)
    state["hand_over"] = early or subset > limit
    _read_subset(job, 0 if state["hand_over"] else subset)


def _read_subset(job: Job, subset: int) -> None:
    """``gp_stg`` (as the full path stages it): the rows whose cells hash into
    ``gp_lean_set``, from a second read that numbers the records in file order
    (``row_number() OVER ()`` directly over the reader, as the full path). A hash shared
    by another row only brings that row too: it then goes through the full rules as well,
    with the same outcome. No such rows: an empty ``gp_stg``, the file is not read again;
    a few rows that break a row rule: their lines are found by their text
    (:func:`_fetch_subset`) where that is exact, without the second read.
    """
    con, plan = job.con, job.plan
    if not subset:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE gp_stg (row_no BIGINT, col VARCHAR, "
            "meter_id VARCHAR, ts_raw VARCHAR, value_raw VARCHAR)"
        )
        return
    if subset <= MAX_LINES_FETCHED and _fetch_subset(job):
        return
    src, params = job.varchar_source()
    names = ("'gp_rejects'", "'gp_rejects_scan'")
    for name in names:  # the first read's rejects stay as they are
        src = src.replace(name, name[:-1] + "_again'")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE gp_stg AS
        SELECT row_no, ? AS col, {plan.meter_id} AS meter_id, {plan.timestamp} AS ts_raw,
               {plan.value} AS value_raw FROM ({src})
        WHERE hash({plan.meter_id}, {plan.timestamp}, {plan.value})
              IN (SELECT h FROM gp_lean_set)""",  # noqa: S608 - generated names only
        [plan.source[plan.value], *params],
    )
    for name in ("gp_rejects_again", "gp_rejects_scan_again"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _fetch_subset(job: Job) -> bool:
    """``gp_stg`` from the lines of the rows for the full rules, found by their text, when
    they are all rows that break a row rule and few.

    ``gp_lean`` keeps such a row's cells joined by the delimiter (``bad_line``): the text
    of its line when no cell needs quotes. Every line that is exactly that text is a
    record with those cells (so a row of ``gp_lean`` with that hash). Where every line
    is a record (no blank lines or quoted newlines, nothing rejected) line ``n`` is
    record ``n - 1 - header_lines``: as many such lines as rows with those cells are
    exactly the rows the numbered second read finds, with the ``row_no`` it gives them.
    One pass over the file's bytes (0.2 s CPU per 5M rows) against that read's 0.8 s of
    one thread
    per 5M rows. Anything else returns False, nothing made: the second read runs.
    """
    from greenpark.io.structure import lines_equal_to

    con, plan, tab = job.con, job.plan, job.tab
    if (
        tab.fmt != "csv"
        or len(plan.names) != 3  # other columns: their cells are not in bad_line
        or con.execute("SELECT count(*) FROM gp_rejects").fetchone()[0]
    ):
        return False
    groups = con.execute(
        "SELECT ok, bad_line, count(*) FROM gp_lean "
        "WHERE h IN (SELECT h FROM gp_lean_set) GROUP BY ALL"
    ).fetchall()
    if len(groups) > MAX_TEXTS_SEARCHED or any(ok for ok, _, _ in groups):
        return False
    order = [_cells_in_file_order(job).index(c) for c in ("meter_cell", "ts_raw", "value_raw")]
    wanted: dict[bytes, tuple] = {}  # line text -> (meter, timestamp, value cells, rows)
    for _, text, count in groups:
        fields = text.split(tab.delimiter)
        if len(fields) != 3 or any(c in text for c in ('"', "\r", "\n")):
            return False  # a cell with a delimiter, quote or line end: not its line's text
        cells = [fields[i] or None for i in order]  # DuckDB reads an empty cell as NULL
        wanted[text.encode("utf-8")] = (*cells, count)
    found, counted = lines_equal_to(tab.read_path, wanted, sum(w[3] for w in wanted.values()))
    records = con.execute("SELECT count(*) FROM gp_lean").fetchone()[0]
    if not lines_are_records(tab.read_path, records, tab.header_lines, counted):
        return False
    rows = []
    for text, (*cells, count) in wanted.items():
        lines = [n for n in found[text] if n > tab.header_lines]
        if len(lines) != count:
            return False
        rows += [(n, *cells) for n in lines]
    rows.sort(key=lambda r: r[0])
    job.newlines = counted  # the physical-line check needs no count of its own
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gp_stg AS SELECT unnest(?::BIGINT[]) AS row_no, "
        "? AS col, unnest(?::VARCHAR[]) AS meter_id, unnest(?::VARCHAR[]) AS ts_raw, "
        "unnest(?::VARCHAR[]) AS value_raw",
        [[r[0] for r in rows], plan.source[plan.value], *([r[i] for r in rows] for i in (1, 2, 3))],
    )
    return True


def _cells_in_file_order(job: Job) -> list[str]:
    """The names ``meter_cell``, ``ts_raw`` and ``value_raw`` of ``gp_lean``'s query in
    the order of their columns in the file (others left out)."""
    plan = job.plan
    at = {plan.meter_id: "meter_cell", plan.timestamp: "ts_raw", plan.value: "value_raw"}
    return [at[n] for n in plan.names if n in at]


def _value_sql(text: str) -> str:
    """SQL: :func:`~greenpark.io.numbers.number_sql` of the text column ``text``, a cell
    without spaces that matches its grammar read without ``trim`` (0.3 s less CPU per 5M
    cells): such a cell has nothing to trim, so both give the same DOUBLE or NULL."""
    full = number_sql(text)
    if current_format() != DEFAULT_FORMAT:
        return full  # --decimal / --thousands rewrite the text first
    cast = f"TRY_CAST({text} AS DOUBLE)"
    return (
        f"CASE WHEN regexp_full_match({text}, '{NUMBER_PATTERN}') "
        f"THEN CASE WHEN isfinite({cast}) THEN {cast} END ELSE {full} END"
    )


def _exact_stamp_sql(job: Job, text: str) -> tuple[str, str]:
    """SQL ``(stamp, exact)``: the text cell ``text`` read in one layout, and whether the
    cell is exactly what that stamp prints as in it (then the full parse,
    :func:`~greenpark.io.dates.timestamp_sql`, gives the same stamp and
    :func:`~greenpark.io.dates.utc_from_offset_sql` none: no offset is printed).

    The layout is the file's common one when the full parse reads it the same way (an
    ISO layout, whose branch comes first; or the first ``strptime`` format tried), else
    ISO with seconds. ISO with seconds is DuckDB's own text of a TIMESTAMP: a cast both
    ways, cheaper than ``strptime``/``strftime`` (it also prints ``infinity`` and years
    outside 1000-9999 with a suffix or more digits: the full parse reads those as NULL,
    and their years fail :func:`~greenpark.io.dates.year_ok_sql` here, so both give none).
    """
    fmt = job.fast_timestamp_format()
    if not fmt or not (fmt.startswith("%Y-%m-%d") or fmt == _formats(job)[0]):
        fmt = "%Y-%m-%d %H:%M:%S"
    if fmt == "%Y-%m-%d %H:%M:%S":
        stamp = f"try_cast({text} AS TIMESTAMP)"
        return stamp, f"CAST({stamp} AS VARCHAR) = {text}"
    stamp = f"try_strptime({text}, '{fmt}')"
    return stamp, f"strftime({stamp}, '{fmt}') = {text}"
