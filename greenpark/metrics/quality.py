"""Data-quality findings per meter, computed in DuckDB.

Rules (docs/methodology.md, "Data quality"):

* ``readings.coverage``: readings x usual interval cover less than 99 % of the period;
* ``readings.gap``: consecutive readings further apart than the usual interval;
* ``readings.negative``: negative interval values;
* ``readings.spike``: a value above ``SPIKE_FACTOR`` x the meter's 99th percentile in
  the period;
* ``readings.flat_line``: the same non-zero value for at least ``FLAT_MIN_HOURS`` and
  ``FLAT_MIN_READINGS`` consecutive readings;
* ``readings.register_reset`` / ``register_rollover``: from loading register meters;
* ``readings.repeated``: exact duplicate rows dropped while loading.

The usual interval of a meter is the most common spacing of its readings. Duplicates
cannot be stored: the loader refuses them (different values) or drops them (repeats).
"""

from __future__ import annotations

from greenpark.core.periods import month_period, to_local

SPIKE_FACTOR = 5.0
FLAT_MIN_HOURS = 12.0
FLAT_MIN_READINGS = 4
COVERAGE_MIN_PCT = 99.0
COLUMNS = ["severity", "code", "meter_id", "start", "end", "value", "message"]

_BASE = """
WITH r AS (SELECT meter_key, ts, value FROM readings WHERE ts >= ? AND ts < ?),
seq AS (
    SELECT meter_key, ts, value, lag(ts) OVER w AS prev_ts, lag(value) OVER w AS prev_value
    FROM r WINDOW w AS (PARTITION BY meter_key ORDER BY ts)
),
steps AS (
    SELECT meter_key, mode(epoch(ts) - epoch(prev_ts)) AS step_s
    FROM seq WHERE prev_ts IS NOT NULL GROUP BY meter_key
)
"""

_QUERIES = {
    "gap": """
        SELECT 'warning', 'readings.gap', s.meter_key, s.prev_ts + to_seconds(st.step_s), s.ts,
               (epoch(s.ts) - epoch(s.prev_ts)) / 3600.0 - st.step_s / 3600.0,
               printf('%.2f h of readings missing', (epoch(s.ts) - epoch(s.prev_ts)
                      - st.step_s) / 3600.0)
        FROM seq s JOIN steps st USING (meter_key)
        WHERE s.prev_ts IS NOT NULL AND epoch(s.ts) - epoch(s.prev_ts) > st.step_s""",
    "negative": """
        SELECT 'warning', 'readings.negative', meter_key, min(ts), max(ts), min(value),
               printf('%d negative value(s), lowest %.3f', count(*), min(value))
        FROM r WHERE value < 0 GROUP BY meter_key""",
    "spike": f"""
        SELECT 'warning', 'readings.spike', r.meter_key, r.ts, r.ts, r.value,
               printf('value %.3f is %.0fx the meter''s 99th percentile %.3f',
                      r.value, r.value / p.p99, p.p99)
        FROM r JOIN (SELECT meter_key, quantile_cont(value, 0.99) AS p99 FROM r
                     GROUP BY meter_key) p USING (meter_key)
        WHERE p.p99 > 0 AND r.value > {SPIKE_FACTOR} * p.p99""",
    "flat": f"""
        SELECT 'warning', 'readings.flat_line', meter_key, min(ts), max(ts), any_value(value),
               printf('the same value %.3f for %.1f h (stuck meter?)', any_value(value),
                      (epoch(max(ts)) - epoch(min(ts))) / 3600.0)
        FROM (SELECT *, sum(CASE WHEN value = prev_value THEN 0 ELSE 1 END)
                            OVER (PARTITION BY meter_key ORDER BY ts) AS run
              FROM seq)
        WHERE value <> 0
        GROUP BY meter_key, run
        HAVING (epoch(max(ts)) - epoch(min(ts))) / 3600.0 >= {FLAT_MIN_HOURS}
           AND count(*) >= {FLAT_MIN_READINGS}""",
}


def check(store, month: str | None = None):
    """Data-quality findings, per meter, for a month or for all stored readings.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    month : str, optional
        ``YYYY-MM`` in park local time; all data when omitted.

    Returns
    -------
    pandas.DataFrame
        ``severity`` (error, warning, info), ``code``, ``meter_id``, ``start`` and ``end``
        (park local time), ``value``, ``message``; sorted by meter and time.
    """
    import pandas as pd

    park = store.park()
    con = store.con
    if month:
        period = month_period(month, park.timezone)
        start, end, hours = period.start_utc, period.end_utc, period.hours
    else:
        start, end = con.execute(
            "SELECT min(ts), max(ts) + INTERVAL 1 SECOND FROM readings"
        ).fetchone()
        if start is None:
            return pd.DataFrame(columns=COLUMNS)
        hours = None
    parts = [con.execute(_BASE + sql, [start, end]).fetchall() for sql in _QUERIES.values()]
    parts.append(_coverage(con, start, end, hours))
    parts.append(_load_findings(con, start, end))
    rows = [row for part in parts for row in part]
    frame = pd.DataFrame(
        rows, columns=["severity", "code", "meter_key", "start", "end", "value", "message"]
    )
    meters = _finish(frame, con, park.timezone)
    ledger = _waste_findings(store, month)
    return pd.concat([meters, ledger], ignore_index=True) if len(ledger) else meters


def _waste_findings(store, month: str | None):
    """Waste-ledger findings (balance, plausibility) in the same shape, ``meter_id`` empty;
    see :func:`greenpark.metrics.waste.waste_check`."""
    import pandas as pd

    from greenpark.metrics.waste import waste_check

    rows = []
    for f in waste_check(store, year=month[:4] if month else None):
        when = f.data.get("month")
        if month and when and str(when)[:7] != month:
            continue
        start = pd.Timestamp(str(when)[:7] + "-01") if when else None
        rows.append([f.severity, f.code, None, start, None, None, f.message])
    return pd.DataFrame(rows, columns=COLUMNS)


def _coverage(con, start, end, hours) -> list[tuple]:
    """Meters whose readings cover less than COVERAGE_MIN_PCT of the period (or, without a
    month, of their own first-to-last span)."""
    span = "? " if hours else "(epoch(max(ts)) - epoch(min(ts))) / 3600.0 + st.step_s / 3600.0"
    params = [start, end] + ([hours] if hours else [])
    sql = (
        _BASE
        + f"""
        , cov AS (
            SELECT meter_key, min(ts) AS first_ts, max(ts) AS last_ts,
                   100.0 * count(*) * any_value(st.step_s) / 3600.0 / ({span}) AS pct
            FROM r JOIN steps st USING (meter_key) GROUP BY meter_key, st.step_s)
        SELECT 'warning', 'readings.coverage', meter_key, first_ts, last_ts, pct,
               printf('readings cover %.1f %% of the period', pct)
        FROM cov WHERE pct < {COVERAGE_MIN_PCT}"""
    )  # noqa: S608 - constant fragments only
    return con.execute(sql, params).fetchall()


def _load_findings(con, start, end) -> list[tuple]:
    return con.execute(
        """
        SELECT CASE code WHEN 'readings.register_rollover' THEN 'info'
                         WHEN 'readings.register_backwards' THEN 'error' ELSE 'warning' END,
               code, meter_key, ts, ts, NULL::DOUBLE, message
        FROM load_findings WHERE ts IS NULL OR (ts >= ? AND ts < ?)""",
        [start, end],
    ).fetchall()


def _finish(frame, con, timezone: str):
    import pandas as pd

    ids = dict(con.execute("SELECT meter_key, meter_id FROM meters").fetchall())
    frame["meter_id"] = frame["meter_key"].map(ids).astype(object)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).map(
            lambda t: None if pd.isna(t) else to_local(t.to_pydatetime(), timezone)
        )
    order = {"error": 0, "warning": 1, "info": 2}
    frame["_order"] = frame["severity"].map(order)
    frame = frame.sort_values(["_order", "meter_id", "start", "code"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)
