"""The careful path's rules: what is wrong with each row of a readings file.

Every row of ``gp_cand`` (one per meter and timestamp, with its line number) gets the
first rule it breaks as ``code``, ``problem``, ``problem_col`` and ``problem_value``:
blank or unknown meter, unreadable timestamp or value, a local time that does not exist,
two values for the same meter and time, a conflict with a stored reading, or a register
that goes backwards. Exact repeats are marked ``readings.repeated`` and dropped.
"""

from __future__ import annotations

from greenpark.core.errors import Problem
from greenpark.io.numbers import DEFAULT_FORMAT, current_format
from greenpark.loaders.common import FIRST_LINES_SHOWN, PER_ROW_MAX
from greenpark.loaders.readings_job import Job, equal_sql
from greenpark.loaders.registers import sequence_sql

# Largest (meter, time step) bitmap of the repeat check (32 MiB).
MAX_BITMAP_BITS = 2**28
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
        "cannot parse timestamp (expected e.g. 2025-01-31 13:45 or 2025-01-31T05:45Z, "
        "the whole cell, years 1900-2199; see --timestamp-format)",
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
    (
        "value IS NULL",
        "value",
        "value_raw",
        "value is not a number (finite, '.' as the decimal mark, no thousands "
        "separators, unless --decimal / --thousands say otherwise)",
        "readings.bad_value",
    ),
    (
        "NOT isfinite(value * coalesce(factor, 1))",
        "value",
        "value_raw",
        "value times the meter's unit factor and multiplier is not a finite number",
        "readings.bad_value",
    ),
]


def check_rows(job: Job) -> None:
    """Fill ``problem`` for every row that breaks a rule (first rule broken wins)."""
    check_row_rules(job)
    _check_duplicates(job)
    _check_stored(job)
    _check_register_sequence(job)


def check_row_rules(job: Job) -> None:
    """The rules of one row alone (total rows, then :data:`ROW_RULES`, first broken
    wins); the rules between rows and with stored readings are :func:`check_rows`'."""
    con = job.con
    _mark_totals(job)
    fmt = current_format()
    for cond, col, value_col, rule, code in ROW_RULES:
        if cond == "value IS NULL" and fmt != DEFAULT_FORMAT:
            rule = f"value is not a number ({fmt.rule})"  # the declared --decimal/--thousands
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


def _mark_totals(job: Job) -> None:
    """Total rows (合计, 总计, 小计, Total ... as the meter or the timestamp) are not
    readings: marked ``readings.total_row`` and left out (a finding of the load)."""
    labels = total_labels()
    # A label is never a timestamp (ts_local is NULL), and the meters are few: the text
    # rule runs on those rows and on the distinct meter ids only, not on every row.
    job.con.execute(
        f"""
        UPDATE gp_cand SET unchanged = true, code = 'readings.total_row'
        WHERE code IS NULL AND (
            (ts_local IS NULL AND {total_label_sql("ts_raw")})
            OR meter_id IN (
                SELECT d.meter_id FROM (SELECT DISTINCT meter_id FROM gp_cand) d
                WHERE {total_label_sql("d.meter_id")}))""",  # noqa: S608 - internal names
        [labels, labels],
    )


def total_labels() -> list[str]:
    """The total-row labels as :func:`total_label_sql` compares them (no spaces)."""
    from greenpark.io.tabular import TOTAL_LABELS

    return sorted(t.replace(" ", "") for t in TOTAL_LABELS)


def total_label_sql(expr: str) -> str:
    """SQL: the text ``expr`` (an internal name) is a total label; binds one parameter,
    :func:`total_labels`."""
    return f"rtrim(lower(replace(trim({expr}), ' ', '')), ':：') IN (SELECT unnest(?::VARCHAR[]))"


def total_row_lines(con) -> list[int]:
    """Lines of the total rows the careful path left out (:func:`_mark_totals`)."""
    rows = con.execute(
        "SELECT DISTINCT row_no FROM gp_cand WHERE code = 'readings.total_row' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def rows_for_full_rules(job: Job, limit: int) -> int:
    """``gp_lean_set``: the text hashes ``h`` of the rows of ``gp_lean`` that the rules
    between rows and with stored readings (:func:`check_rows`) must see, with the rows
    that break a row rule (``ok`` false): of the others, every row of a register meter
    (the sequence rules), of a meter and time that occurs twice, or at a meter and time
    already stored. Every other row breaks no rule: proved in aggregate (no meter and
    time twice, none stored) or by a join. ``gp_lean_keys`` keeps the good rows' meters,
    counts and times.

    Returns
    -------
    int
        Rows in the set (one hash per row), or more than ``limit`` as soon as that is
        certain or likely (the stored readings within the file's times at its meters):
        the set is then incomplete, for a caller that will not use it.
    """
    con = job.con
    con.execute("""
        CREATE OR REPLACE TEMP TABLE gp_lean_keys AS
        SELECT meter_key, count(*) AS n, min(ts) AS ts_min, max(ts) AS ts_max
        FROM gp_lean WHERE ok GROUP BY ALL""")
    con.execute("CREATE OR REPLACE TEMP TABLE gp_lean_set AS SELECT h FROM gp_lean WHERE NOT ok")
    registers = con.execute("""
        SELECT count(*) FROM meters WHERE reading_type = 'register'
        AND meter_key IN (SELECT meter_key FROM gp_lean_keys)""").fetchone()[0]
    if registers:
        con.execute("""
            INSERT INTO gp_lean_set SELECT h FROM gp_lean WHERE ok AND meter_key IN
            (SELECT meter_key FROM meters WHERE reading_type = 'register')""")
    if _good_rows_repeat(con):
        con.execute("""
            INSERT INTO gp_lean_set SELECT h FROM gp_lean WHERE ok AND (meter_key, ts) IN (
                SELECT (meter_key, ts) FROM gp_lean WHERE ok GROUP BY ALL HAVING count(*) > 1)""")
    count = con.execute("SELECT count(*) FROM gp_lean_set").fetchone()[0]
    in_range = con.execute("""
        SELECT count(*) FROM readings r JOIN gp_lean_keys k USING (meter_key)
        WHERE r.ts BETWEEN k.ts_min AND k.ts_max""").fetchone()[0]
    if count > limit or in_range > limit:
        return count + in_range
    if in_range:
        con.execute("""
            INSERT INTO gp_lean_set SELECT l.h FROM gp_lean l
            JOIN readings r USING (meter_key, ts) WHERE l.ok""")
    return con.execute("SELECT count(*) FROM gp_lean_set").fetchone()[0]


def _good_rows_repeat(con) -> bool:
    """Whether a (meter, time) occurs twice among the good rows (``ok``) of ``gp_lean``.

    One pass setting a bit per row in a (meter, time step) bitmap: as many bits set as
    rows proves every key distinct (equal keys share a bit). Fewer (two times within
    one step, or a real repeat) or a bitmap over :data:`MAX_BITMAP_BITS`: the exact
    distinct count decides.
    """
    rows, k_min, k_max, e_min, e_max = con.execute(
        "SELECT sum(n), min(meter_key), max(meter_key), epoch_us(min(ts_min)), "
        "epoch_us(max(ts_max)) FROM gp_lean_keys"
    ).fetchone()
    if not rows:
        return False
    # The smallest gap between distinct times in a sample of the rows [us].
    step = (
        con.execute("""
            SELECT min(d) FROM (SELECT e - lag(e) OVER (ORDER BY e) AS d FROM
                (SELECT DISTINCT epoch_us(ts) AS e FROM
                    (SELECT ts FROM gp_lean WHERE ok LIMIT 50000)))
            WHERE d > 0""").fetchone()[0]
        or 1
    )
    slots = (e_max - e_min) // step + 1
    bits = (k_max - k_min + 1) * slots
    if bits <= MAX_BITMAP_BITS:
        distinct = con.execute(
            "SELECT bit_count(bitstring_agg((meter_key - ?) * ? + (epoch_us(ts) - ?) // ?, "
            "0, ?)) FROM gp_lean WHERE ok",
            [k_min, slots, e_min, step, bits - 1],
        ).fetchone()[0]
        if distinct == rows:
            return False
    distinct = con.execute(
        "SELECT count(DISTINCT (meter_key, ts)) FROM gp_lean WHERE ok"
    ).fetchone()[0]
    return distinct != rows


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
    """Every problem, in file order (repeats are not problems): one per row, or, where a
    rule is broken on more than :data:`PER_ROW_MAX` rows of one column (an unmapped
    column of a wide export, a unit column of text), one per column naming the first
    row's value, the count and the first lines."""
    rows = job.con.execute(f"""
        SELECT row_no, problem_col, problem_value, problem, code,
               count(*) OVER (PARTITION BY code, problem_col) AS n,
               row_number() OVER (PARTITION BY code, problem_col ORDER BY row_no) AS k
        FROM gp_cand
        WHERE code IS NOT NULL AND code NOT IN ('readings.repeated', 'readings.total_row')
        QUALIFY n <= {PER_ROW_MAX} OR k <= {FIRST_LINES_SHOWN}
        ORDER BY row_no, problem_col""").fetchall()
    out, lines = [], {}
    for line, col, value, rule, code, n, _ in rows:
        if n > PER_ROW_MAX and (code, col) in lines:
            lines[code, col].append(str(line))
            continue
        if n > PER_ROW_MAX:
            lines[code, col] = [str(line)]
            rule = f"{rule} ({n} {job.tab.row_unit}s of this column: {{lines}} ...)"
        out.append(Problem(line, col, value, rule, code))
    for p in out:
        if (p.code, p.column) in lines:
            p.rule = p.rule.replace("{lines}", ", ".join(lines[p.code, p.column]))
    return out


def write_quarantine(job: Job) -> int:
    """Write the rows with problems, with their reasons, to the quarantine CSV.

    Returns
    -------
    int
        Rows written.
    """
    from greenpark.io.csv_writer import write_csv

    rows = job.con.execute("""
        SELECT row_no, problem_col, problem_value, code, problem, meter_id, ts_raw,
               value_raw FROM gp_cand
        WHERE code IS NOT NULL AND code NOT IN ('readings.repeated', 'readings.total_row')
        ORDER BY row_no""").fetchall()
    header = [
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
    write_csv(job.options.quarantine, header, ([job.tab.path.name, *row] for row in rows))
    return len(rows)
