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

import datetime as dt

from greenpark.core.findings import Finding, Result, unique
from greenpark.core.periods import Period, period_of, to_local

SPIKE_FACTOR = 5.0
FLAT_MIN_HOURS = 12.0
FLAT_MIN_READINGS = 4
COVERAGE_MIN_PCT = 99.0
COLUMNS = ["severity", "code", "meter_id", "start", "end", "value", "message"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

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


def data_quality(store, period: Period | str | None = None) -> Result:
    """Data-quality findings, per meter, for a period or for all stored readings.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    period : Period or str, optional
        In park local time (``2025-03``, ``2025``, ``2025-01..2025-06``); all data when
        omitted.

    Returns
    -------
    Result
        ``findings``: one :class:`~greenpark.core.findings.Finding` per problem, with data
        ``meter_id``, ``period`` (label), ``first`` and ``last`` (park local time) and
        ``figures`` (``value``: hours missing, the value, the coverage [%] ...), then the
        waste-ledger findings of the period's years; sorted by severity, meter and time.
        ``frame``: the same as a table, :func:`quality_frame`. ``inputs``: the period,
        the timezone and the rule thresholds.
    """
    timezone = store.park().timezone
    if period is not None:
        period = period_of(period=period, timezone=timezone)
    bounds = _bounds(store.con, period)
    findings = [] if bounds is None else _meter_findings(store.con, timezone, period, *bounds)
    if bounds is not None:
        findings += _waste_findings(store, period)
    findings = unique(findings)  # the Result would drop exact repeats: so does the table
    return Result(quality_frame(findings), findings, _inputs(period, timezone))


def check(store, month: str | None = None):
    """Data-quality findings as a DataFrame (:data:`COLUMNS`); see :func:`data_quality`.

    ``month`` is ``YYYY-MM`` in park local time; all data when omitted.
    """
    return data_quality(store, None if month is None else Period.month(month)).to_frame()


def quality_frame(findings: list[Finding]):
    """Findings -> the quality table: :data:`COLUMNS`, one row per finding.

    ``start`` is the finding's ``first`` time (or its month's first day), ``end`` its
    ``last`` time, ``value`` its ``figures["value"]``.
    """
    import pandas as pd

    rows = [
        [
            f.severity,
            f.code,
            f.data.get("meter_id"),
            _start(f.data),
            f.data.get("last"),
            f.data.get("figures", {}).get("value"),
            f.message,
        ]
        for f in findings
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["meter_id"] = frame["meter_id"].astype(object).where(frame["meter_id"].notna(), None)
    for col in ("end", "value"):  # blank cells (waste rows) stay blank, not NaT or NaN
        if frame[col].isna().any():
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _start(data: dict):
    if data.get("first") is not None:
        return data["first"]
    month = data.get("month")
    return dt.datetime(month.year, month.month, 1) if month is not None else None


def _bounds(con, period: Period | None):
    """UTC ``[start, end)`` and hours of the period, or of the stored readings (hours
    None); None when there is nothing to check."""
    if period is not None:
        start, end = period.utc_bounds()
        return start, end, period.hours
    start, end = con.execute("SELECT min(ts), max(ts) + INTERVAL 1 SECOND FROM readings").fetchone()
    return None if start is None else (start, end, None)


def _inputs(period: Period | None, timezone: str) -> dict:
    return {
        "period": period.label if period else "all",
        "timezone": timezone,
        "rules": {
            "spike_factor": SPIKE_FACTOR,
            "flat_min_hours": FLAT_MIN_HOURS,
            "flat_min_readings": FLAT_MIN_READINGS,
            "coverage_min_pct": COVERAGE_MIN_PCT,
        },
    }


def _meter_findings(con, timezone, period: Period | None, start, end, hours) -> list[Finding]:
    """The reading rules and the loaders' register findings, as Findings in order."""
    rows = [
        r for sql in _QUERIES.values() for r in con.execute(_BASE + sql, [start, end]).fetchall()
    ]
    rows += _coverage(con, start, end, hours) + _load_findings(con, start, end)
    ids = dict(con.execute("SELECT meter_key, meter_id FROM meters").fetchall())
    label = period.label if period else None
    found = [_finding(row, ids, timezone, label) for row in rows]
    return sorted(found, key=_order)


def _finding(row: tuple, ids: dict, timezone: str, period: str | None) -> Finding:
    severity, code, meter_key, first, last, value, message = row
    data = {
        "meter_id": ids.get(meter_key),
        "first": None if first is None else to_local(first, timezone),
        "last": None if last is None else to_local(last, timezone),
        "figures": {"value": value},
    }
    if period is not None:
        data["period"] = period
    return Finding(code, message, severity, data)


def _order(f: Finding) -> tuple:
    """Errors first, then by meter, time and code (findings without one last)."""
    meter, first = f.data["meter_id"], f.data["first"]
    return (
        SEVERITY_ORDER[f.severity],
        meter is None,
        meter or "",
        first is None,
        first or dt.datetime.min,
        f.code,
    )


def _waste_findings(store, period: Period | None) -> list[Finding]:
    """Waste-ledger findings (balance, plausibility) of the period's calendar years, those
    about a month outside the period left out; see
    :func:`greenpark.metrics.waste.waste_check`."""
    from greenpark.metrics.waste import waste_check

    if period is None:
        return list(waste_check(store))
    years = Period.range(dt.date(period.first.year, 1, 1), dt.date(period.last.year, 12, 1))
    return [
        f
        for f in waste_check(store, years)
        if f.data.get("month") is None or f.data["month"] in period
    ]


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
