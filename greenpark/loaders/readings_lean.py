"""The careful path's lean read: one parallel query parses and checks every row.

:func:`run_lean` reads a long file in a fixed-offset zone once, in parallel: every row's
meter, UTC time and value, the text only of the rows that break a row rule
(:mod:`~greenpark.loaders.readings_checks`). The rules between rows and with stored
readings are proved unbroken in aggregate; where they might not be, or a stamp predates
:data:`~greenpark.io.timezones.FIXED_SINCE`, it hands over to the full careful path
(:func:`~greenpark.loaders.readings_careful.run_careful`), which reads the file again.
Either way the stored rows, the quarantine file and every problem are the full path's.
"""

from __future__ import annotations

import datetime as dt

from greenpark.core.errors import InputError, Problem
from greenpark.io.dates import timestamp_sql, utc_from_offset_sql, year_ok_sql
from greenpark.io.numbers import DEFAULT_FORMAT, NUMBER_PATTERN, current_format, number_sql
from greenpark.io.timezones import FIXED_SINCE
from greenpark.loaders.common import LoadResult
from greenpark.loaders.readings_careful import _formats, _interval_sql, _read
from greenpark.loaders.readings_checks import (
    check_row_rules,
    good_rows_need_checks,
    problems,
    total_label_sql,
    total_labels,
    write_quarantine,
)
from greenpark.loaders.readings_job import MAX_PROBLEMS_SHOWN, Job


def lean_possible(job: Job) -> bool:
    """Whether the lean careful path applies: a long file in a fixed-offset zone whose
    interval shift is known before reading (stamps at the start, or ``--interval``)."""
    return (
        job.plan.layout == "long"
        and job.offset_s is not None
        and (job.options.timestamp_convention == "start" or bool(job.options.interval_minutes))
    )


def run_lean(job: Job, load_id) -> LoadResult | None:
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
               {number_sql("json_extract_string(l.bad_text, '$[2]')")} AS value,
               m.meter_key, m.reading_type, m.to_canonical * m.multiplier AS factor,
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
        INSERT INTO readings SELECT meter_key, ts, value, ? FROM gp_lean
        WHERE bad_row IS NULL""",
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
    """``gp_lean`` from the text rows ``stage``: every row's meter, UTC time and value as
    stored (times the meter's factor), and ``bad_row`` (the line) and ``bad_text`` (the
    meter, timestamp and value cells as a JSON array) of the rows that break a row rule
    of :mod:`~greenpark.loaders.readings_checks`.

    The expressions are those of the full path's parse
    (:func:`~greenpark.loaders.readings_careful._parse`), except that a stamp which is
    exactly the file's common layout (:func:`_exact_stamp_sql`) is read by that alone.
    Columns NULL on good rows and one text column: 5M rows take ~0.2 GB.
    """
    formats = _formats(job)
    quick, exact = _exact_stamp_sql(job, "s.ts_raw")
    # Stamps at the start: no shift (subtracting a zero interval costs 0.08 s per 5M rows).
    start = job.options.timestamp_convention == "start"
    shift = "" if start else f" - {_interval_sql(job)}"
    sql = f"""
        CREATE OR REPLACE TEMP TABLE gp_lean AS
        SELECT CASE WHEN NOT ok THEN row_no END AS bad_row, meter_key, ts,
               value * factor AS value,
               CASE WHEN NOT ok THEN to_json([meter_cell, ts_raw, value_raw]) END AS bad_text
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
        SELECT s.row_no, s.meter_id AS meter_cell, trim(s.meter_id) AS meter_id, s.ts_raw,
               s.value_raw,
               CASE WHEN {exact} THEN {quick} ELSE {timestamp_sql("s.ts_raw")} END AS ts_parsed,
               NULL::TIMESTAMP AS ts_local,
               CASE WHEN {exact} THEN NULL ELSE {utc_from_offset_sql("s.ts_raw")} END AS ts_given,
               {_value_sql("s.value_raw")} AS value,
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
    Each bad row without its line keeps ``bad_row`` NULL (:func:`run_lean` hands over)."""
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
