"""Cumulative register readings -> interval consumption.

A register meter reports a running total R(t). Consumption over [t_{i-1}, t_i) is
R_i - R_{i-1}, times the meter's multiplier (CT/PT ratio) and unit factor, stamped at
t_{i-1} (interval start). When R goes down:

* ``rollover``: the register wrapped at ``register_max`` (the modulus: the register
  shows 0 where it would show ``register_max``) and the wrapped delta
  ``register_max - R_{i-1} + R_i`` is at most 10 % of ``register_max``;
* ``reset``: the new reading is at most 1 % of the previous one (meter replaced or
  reset): the consumption of that interval is unknown, so no value is stored and a
  finding is recorded; never a negative value;
* ``backwards``: anything else is an error in the input.
"""

from __future__ import annotations

ROLLOVER_MAX_FRACTION = 0.10
RESET_MAX_FRACTION = 0.01

CLASSIFY = f"""
    CASE
        WHEN prev_reading IS NULL THEN 'first'
        WHEN reading >= prev_reading THEN 'normal'
        WHEN register_max IS NOT NULL
             AND register_max - prev_reading + reading <= {ROLLOVER_MAX_FRACTION} * register_max
             AND register_max - prev_reading + reading >= 0 THEN 'rollover'
        WHEN reading <= {RESET_MAX_FRACTION} * prev_reading THEN 'reset'
        ELSE 'backwards'
    END"""


def sequence_sql(source: str) -> str:
    """SQL classifying each reading of ``source`` (meter_key, ts, reading, ...) against the
    previous reading of its meter. ``source`` is a table name chosen by greenpark."""
    return f"""
        SELECT q.*, {CLASSIFY} AS kind
        FROM (
            SELECT s.*, m.register_max, m.to_canonical * m.multiplier AS factor,
                   lag(s.ts) OVER w AS prev_ts, lag(s.reading) OVER w AS prev_reading
            FROM {source} s JOIN meters m USING (meter_key)
            WINDOW w AS (PARTITION BY s.meter_key ORDER BY s.ts)
        ) q"""  # noqa: S608 - source is an internal table name


def derive_deltas(con, meter_keys_table: str) -> dict[str, int]:
    """Rebuild the interval readings of the register meters in ``meter_keys_table``.

    Replaces their rows in ``readings`` and their register findings in ``load_findings``.

    Returns
    -------
    dict
        Count of readings per kind (normal, rollover, reset, backwards).
    """
    keys = f"SELECT meter_key FROM {meter_keys_table}"
    con.execute(f"DELETE FROM readings WHERE meter_key IN ({keys})")  # noqa: S608
    con.execute(
        f"DELETE FROM load_findings WHERE code LIKE 'readings.register_%' "  # noqa: S608
        f"AND meter_key IN ({keys})"
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE gp_reg_seq AS
        {sequence_sql(f"(SELECT * FROM register_readings WHERE meter_key IN ({keys}))")}
    """)
    con.execute("""
        INSERT INTO readings
        SELECT meter_key, prev_ts,
               CASE kind WHEN 'normal' THEN (reading - prev_reading) * factor
                         ELSE (register_max - prev_reading + reading) * factor END,
               load_id
        FROM gp_reg_seq WHERE kind IN ('normal', 'rollover')
    """)
    con.execute("""
        INSERT INTO load_findings
        SELECT load_id, 'readings.register_' || kind, meter_key, ts,
               printf('register %s: %s -> %s between %s and %s UTC', kind,
                      prev_reading::VARCHAR, reading::VARCHAR, prev_ts::VARCHAR, ts::VARCHAR)
        FROM gp_reg_seq WHERE kind IN ('rollover', 'reset', 'backwards')
    """)
    counts = dict(con.execute("SELECT kind, count(*) FROM gp_reg_seq GROUP BY kind").fetchall())
    con.execute("DROP TABLE gp_reg_seq")
    return counts
