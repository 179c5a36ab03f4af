"""The careful path's rules: what is wrong with each row of a readings file.

Every row of ``gp_cand`` (one per meter and timestamp, with its line number) gets the
first rule it breaks as ``code``, ``problem``, ``problem_col`` and ``problem_value``:
blank or unknown meter, unreadable timestamp or value, a local time that does not exist,
two values for the same meter and time, a conflict with a stored reading, or a register
that goes backwards. Exact repeats are marked ``readings.repeated`` and dropped.
"""

from __future__ import annotations

from greenpark.core.errors import Problem
from greenpark.loaders.readings_job import Job, equal_sql
from greenpark.loaders.registers import sequence_sql

# (condition, column, value column, rule text or None: keep the problem set earlier, code)
ROW_RULES = [
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


def check_rows(job: Job) -> None:
    """Fill ``problem`` for every row that breaks a rule (first rule broken wins)."""
    con = job.con
    for cond, col, value_col, rule, code in ROW_RULES:
        column = "col" if col == "value" else "?"
        params = [] if col == "value" else [_header(job, col)]
        con.execute(
            f"""
            UPDATE gp_cand SET code = ?, problem = coalesce(?, problem),
                   problem_col = {column}, problem_value = {value_col}
            WHERE code IS NULL AND {cond}""",
            [code, rule, *params],
        )  # noqa: S608
    if job.plan.layout == "wide":
        con.execute("UPDATE gp_cand SET problem_col = col WHERE code = 'readings.unknown_meter'")
    _check_duplicates(job)
    _check_stored(job)
    _check_register_sequence(job)


def _header(job: Job, canonical: str) -> str:
    """The file's header of a canonical column (``meter_id``, ``timestamp``, ``value``)."""
    plan = job.plan
    name = {"meter_id": plan.meter_id, "timestamp": plan.timestamp, "value": plan.value}
    return plan.source.get(name.get(canonical) or "", canonical)


def _check_duplicates(job: Job) -> None:
    """Two values for one meter and time: an error on the later rows; exact repeats are
    marked ``readings.repeated`` (kept once)."""
    con, unit = job.con, job.tab.row_unit  # row_unit is "line" or "row", never user text
    repeated_keys = con.execute("""
        SELECT count(*) FROM (SELECT meter_key, ts FROM gp_cand WHERE code IS NULL
                              GROUP BY ALL HAVING count(*) > 1)""").fetchone()[0]
    if not repeated_keys:
        return  # one pass proves there is nothing to mark
    con.execute(f"""
        UPDATE gp_cand SET code = 'readings.duplicate', problem_col = d.col,
               problem_value = gp_cand.value_raw,
               problem = printf('meter %s has another value at the same time on {unit} %d',
                                gp_cand.meter_id, d.first_row)
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


def _check_stored(job: Job) -> None:
    """Compare with stored readings: equal -> unchanged, different -> conflict."""
    con = job.con
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
              AND {equal_sql(value, stored)}""")  # noqa: S608
        if job.options.replace:
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


def _check_register_sequence(job: Job) -> None:
    """A register that goes backwards (no rollover, no reset) is an input error."""
    con = job.con
    has_registers = con.execute(
        "SELECT count(*) FROM gp_cand WHERE code IS NULL AND reading_type = 'register'"
    ).fetchone()[0]
    if not has_registers:
        return
    replace = (
        "AND (meter_key, ts) NOT IN (SELECT (meter_key, ts) FROM gp_cand WHERE code IS NULL)"
        if job.options.replace
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


def problems(job: Job) -> list[Problem]:
    """Every row's problem, in file order (repeats are not problems)."""
    rows = job.con.execute("""
        SELECT row_no, problem_col, problem_value, problem, code FROM gp_cand
        WHERE code IS NOT NULL AND code <> 'readings.repeated'
        ORDER BY row_no, problem_col""").fetchall()
    return [Problem(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def write_quarantine(job: Job) -> int:
    """Write the rows with problems, with their reasons, to the quarantine CSV.

    Returns
    -------
    int
        Rows written.
    """
    import csv

    rows = job.con.execute("""
        SELECT row_no, problem_col, problem_value, code, problem, meter_id, ts_raw,
               value_raw FROM gp_cand
        WHERE code IS NOT NULL AND code <> 'readings.repeated' ORDER BY row_no""").fetchall()
    with open(job.options.quarantine, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "file",
                job.tab.row_unit,
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
            writer.writerow([job.tab.path.name, *[_csv_safe(v) for v in row]])
    return len(rows)


def _csv_safe(value):
    """Quarantine cells are user text: never let a spreadsheet read them as formulas."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
