"""Data-quality findings per meter, computed in DuckDB.

Rules (docs/methodology.md, "Data quality"):

* ``readings.coverage`` / ``readings.missing_meter``: received against expected
  intervals of every registered meter active in the period
  (:mod:`greenpark.metrics.coverage`), below ``[quality] coverage_min_pct`` (default
  99 %): an error for boundary meters, a warning for submeters; a meter that sent
  nothing is an error;
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

How it is computed (the same findings as running every rule's query for every meter):
most meters read on an even grid. One aggregate scan (:func:`reading_profile`) proves
which meters' readings are exactly such a grid (no gaps, coverage from their count)
without a flat-line run and without a value above the spike threshold; the window rules
(time-ordered readings) then run only for the other meters, the spike rule only for
meters that may have a spike, and the negative-value rule is one filtered scan.
"""

from __future__ import annotations

import datetime as dt

from greenpark.core.findings import Finding, Result, unique
from greenpark.core.periods import Period, period_of, to_local
from greenpark.metrics.coverage import coverage_findings, coverage_min_pct, meter_coverage

SPIKE_FACTOR = 5.0
FLAT_MIN_HOURS = 12.0
FLAT_MIN_READINGS = 4
# unit: of value ("%" coverage, "h" hours missing, the meter's canonical unit for a
# reading value), so that tables for people format it by its meaning
COLUMNS = ["severity", "code", "meter_id", "start", "end", "value", "unit", "message"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

# The readings of the period ([?, ?)), of some meters only where {meters} says so.
_ROWS = "WITH r AS (SELECT meter_key, ts, value FROM readings WHERE ts >= ? AND ts < ? {meters})"
_IN_METERS = "AND (meter_key IN (SELECT unnest(?::INTEGER[])) OR (? AND meter_key IS NULL))"
# ... in time order per meter, and the usual interval of each meter.
_SEQ = """,
seq AS MATERIALIZED (
    SELECT meter_key, ts, value, lag(ts) OVER w AS prev_ts, lag(value) OVER w AS prev_value
    FROM r WINDOW w AS (PARTITION BY meter_key ORDER BY ts)
),
steps AS (
    SELECT meter_key, mode(epoch(ts) - epoch(prev_ts)) AS step_s
    FROM seq WHERE prev_ts IS NOT NULL GROUP BY meter_key
)
"""

# The rules; the window rules need _SEQ, the others only r.
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
    # A run of equal values is its first reading and the readings equal to the one before
    # (`eq`, usually few); consecutive ones of those belong to one run when nothing lies
    # between them (a reading's previous one is the last `eq` one).
    "flat": f"""
        SELECT 'warning', 'readings.flat_line', meter_key, min(prev_ts), max(ts),
               any_value(value),
               printf('the same value %.3f for %.1f h (stuck meter?)', any_value(value),
                      (epoch(max(ts)) - epoch(min(prev_ts))) / 3600.0)
        FROM (SELECT *, sum(CASE WHEN prev_ts = last_ts THEN 0 ELSE 1 END)
                            OVER (PARTITION BY meter_key ORDER BY ts) AS run
              FROM (SELECT *, lag(ts) OVER (PARTITION BY meter_key ORDER BY ts) AS last_ts
                    FROM seq WHERE value = prev_value AND value <> 0))
        GROUP BY meter_key, run
        HAVING (epoch(max(ts)) - epoch(min(prev_ts))) / 3600.0 >= {FLAT_MIN_HOURS}
           AND count(*) + 1 >= {FLAT_MIN_READINGS}""",
}
WINDOW_RULES = ("gap", "flat")

# One aggregate scan of the period, per meter with readings. For a candidate (first
# reading a_us, spacing d_us [us], block width; from its count and span): are all its
# readings distinct points of the grid a_us + k d_us (then, being (last - first) / d_us + 1
# of them, they are every point of it: `regular`), and has it a block of `width` grid
# points with one same non-zero value (a flat-line run of the rule's length always holds
# one: `flat_hint`)? `spike_free`: its largest value is at most SPIKE_FACTOR x a lower
# bound of its 99th percentile (the K-th largest block maximum is one when K readings
# are at or above the percentile's lower order statistic).
_GRID = f"""
WITH g AS (SELECT unnest(?::INTEGER[]) AS meter_key, unnest(?::BIGINT[]) AS a_us,
                  unnest(?::BIGINT[]) AS d_us, unnest(?::BIGINT[]) AS width),
x AS (SELECT r.meter_key, epoch_us(r.ts) - g.a_us AS off, g.d_us, g.width, r.value
      FROM readings r LEFT JOIN g USING (meter_key) WHERE r.ts >= ? AND r.ts < ? {{meters}}),
b AS (SELECT meter_key,
             bool_and(off % d_us = 0)
             AND bit_count(bit_or(1::BIGINT << (off // d_us % width))) = count(*) AS ok,
             count(value) = any_value(width) AND min(value) = max(value)
             AND min(value) <> 0 AS flat,
             max(value) AS top, count(value) AS nv
      FROM x GROUP BY meter_key, off // d_us // width),
m AS (SELECT meter_key, bool_and(ok) AS regular, bool_or(flat) AS flat_hint,
             max(top) AS top, sum(nv) AS nv, max(top, {{tops}}) AS tops
      FROM b GROUP BY meter_key)
SELECT meter_key, coalesce(regular, false), coalesce(flat_hint, false),
       coalesce(top <= {SPIKE_FACTOR}
                * list_extract(tops, (nv - floor((nv - 1) * 0.99) + 1)::BIGINT), false)
FROM m
"""
TOTALS = ["meter_key", "n_rows", "readings", "quantity", "first_us", "last_us"]
MAX_WIDTH = 62  # block width limit of the 64-bit distinctness mask
MAX_TOPS = 4096  # longest list of block maxima kept per meter for the spike bound
US = 1_000_000


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
    findings = [] if bounds is None else _meter_findings(store, timezone, period, *bounds)
    if bounds is not None:
        findings += _waste_findings(store, period)
    findings = unique(findings)  # the Result would drop exact repeats: so does the table
    inputs = _inputs(period, timezone, coverage_min_pct(store))
    coverage = meter_coverage(store, period) if bounds is not None else None
    tables = {} if coverage is None else {"coverage": coverage}
    return Result(quality_frame(findings), findings, inputs, tables)


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
            f.data.get("figures", {}).get("unit"),
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
    """UTC ``[start, end)`` of the period, or of the stored readings; None when there is
    nothing to check."""
    if period is not None:
        return period.utc_bounds()
    start, end = con.execute("SELECT min(ts), max(ts) + INTERVAL 1 SECOND FROM readings").fetchone()
    return None if start is None else (start, end)


def _inputs(period: Period | None, timezone: str, threshold_pct: float) -> dict:
    return {
        "period": period.label if period else "all",
        "timezone": timezone,
        "rules": {
            "spike_factor": SPIKE_FACTOR,
            "flat_min_hours": FLAT_MIN_HOURS,
            "flat_min_readings": FLAT_MIN_READINGS,
            "coverage_min_pct": threshold_pct,
        },
    }


def _meter_findings(store, timezone, period: Period | None, start, end) -> list[Finding]:
    """The reading rules and the loaders' register findings, as Findings in order.

    Meters whose readings are regular (:func:`reading_profile`) have no gaps; the window
    rules run only for the other meters
    (and for regular ones that may hold a flat line), the spike rule only for meters
    whose largest value may be a spike.
    """
    con = store.con
    profile = reading_profile(store, period)
    fast = profile["regular"] & ~profile["flat_hint"]
    slow = profile.loc[~fast, "meter_key"].tolist()
    spiky = profile.loc[fast & ~profile["spike_free"], "meter_key"].tolist()
    rules = _rules(con, (*WINDOW_RULES, "spike"), start, end, slow)
    rules["spike"] += _rules(con, ("spike",), start, end, spiky)["spike"]
    rules.update(_rules(con, ("negative",), start, end, None))
    rows = rules["gap"] + rules["negative"] + rules["spike"] + rules["flat"]
    rows += _load_findings(con, start, end)
    meters = con.execute("SELECT meter_key, meter_id, canonical_unit FROM meters").fetchall()
    ids = {key: meter_id for key, meter_id, _ in meters}
    units = {key: unit for key, _, unit in meters}
    label = period.label if period else None
    found = [_finding(row, ids, units, timezone, label) for row in rows]
    found += coverage_findings(meter_coverage(store, period), period, coverage_min_pct(store))
    return sorted(found, key=_order)


def _rules(con, rules, start, end, meter_keys: list | None) -> dict[str, list]:
    """Finding rows of ``rules`` (:data:`_QUERIES`) for ``meter_keys`` (None: all), in
    one query: the readings ordered once for all window rules."""
    found = {rule: [] for rule in rules}
    if meter_keys is not None and not meter_keys:
        return found
    params = [start, end]
    if meter_keys is not None:
        params += [[k for k in meter_keys if k is not None], None in meter_keys]
    sql = _ROWS.replace("{meters}", "" if meter_keys is None else _IN_METERS)
    if set(rules) & set(WINDOW_RULES):
        sql += _SEQ
    sql += "\nUNION ALL\n".join(f"SELECT '{rule}', * FROM ({_QUERIES[rule]})" for rule in rules)
    for rule, *row in con.execute(sql, params).fetchall():
        found[rule].append(tuple(row))
    return found


def reading_profile(store, period: Period | None = None, meter_keys: list | None = None):
    """Per meter, its readings in ``period`` (all stored readings when None) and whether
    their spacing is regular; computed once per store and period.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    period : Period, optional
        Localized (the park's timezone).
    meter_keys : list of int, optional
        Only these meters (registered ones): their rows of the full profile, every
        figure and flag being the meter's own, from a scan of their readings only (or
        from the full profile when it is already built).

    Returns
    -------
    pandas.DataFrame
        One row per meter with readings: ``meter_key``, ``n_rows``, ``readings``
        (non-blank values), ``quantity`` (their sum, canonical unit), ``first_us`` and
        ``last_us`` (UTC epoch [us]); ``regular``: the readings are exactly the points
        of one even grid from first to last, in whole seconds, so every spacing is the
        usual interval ``step_s`` [s] (NaN when not regular) and there is no gap;
        ``flat_hint``: a regular meter that may hold a flat line; ``spike_free``: a
        regular meter proven to have no value above the spike threshold (both from
        :data:`_GRID`). The frame is shared: do not modify it.
    """
    if meter_keys is None:
        return store.cached(("quality.profile", period), lambda: _profile(store, period))
    keys = sorted(set(meter_keys))
    full = store.peek(("quality.profile", period))
    if full is not None:
        return full[full["meter_key"].isin(keys)].reset_index(drop=True)
    key = ("quality.profile", period, tuple(keys))
    return store.cached(key, lambda: _profile(store, period, keys))


def _profile(store, period: Period | None, keys: list | None = None):
    import pandas as pd

    bounds = _bounds(store.con, period)
    if bounds is None:
        totals = pd.DataFrame({c: pd.Series(dtype="int64") for c in TOTALS})
        return _with_grid(store.con, totals, None, None, keys)
    totals = _meter_totals(store, period, *bounds[:2], keys)
    return _with_grid(store.con, totals, *bounds[:2], keys)


def _meter_totals(store, period: Period | None, start, end, keys: list | None = None):
    """Per meter (of ``keys`` only when given): ``n_rows, readings, quantity, first_us,
    last_us`` in ``[start, end)``; from the ledger's monthly sums
    (:func:`~greenpark.metrics.carbon.ledger.meter_months`, one scan per report) when
    they are there and their months are that span exactly."""
    from greenpark.metrics.carbon.ledger import meter_months

    months = None
    if period is not None and _months_fit(period, start, end):
        months = meter_months(store, period, build=False)
    if months is not None and keys is not None:
        months = months[months["meter_key"].isin(keys)]
    if months is not None and period.n_months == 1:
        return months[TOTALS].reset_index(drop=True)
    if months is not None:
        how = {"n_rows": "sum", "readings": "sum", "quantity": "sum"}
        how.update(first_us="min", last_us="max")
        return months[TOTALS].groupby("meter_key", sort=True).agg(how).reset_index()
    return _scan_totals(store.con, start, end, keys)


def _scan_totals(con, start, end, keys: list | None = None):
    """:func:`_meter_totals` from the readings themselves (one aggregate scan)."""
    meters = "" if keys is None else "AND meter_key IN (SELECT unnest(?::INTEGER[]))"
    return con.execute(
        f"""
        SELECT meter_key, count(*) AS n_rows, count(value) AS readings, sum(value) AS quantity,
               epoch_us(min(ts)) AS first_us, epoch_us(max(ts)) AS last_us
        FROM readings WHERE ts >= ? AND ts < ? AND meter_key IS NOT NULL {meters}
        GROUP BY meter_key ORDER BY meter_key""",
        [start, end] + ([] if keys is None else [[int(k) for k in keys]]),
    ).df()


def _months_fit(period: Period, start, end) -> bool:
    """True when the ledger's months (local time at a fixed UTC offset) are ``[start,
    end)`` exactly."""
    from greenpark.io.timezones import fixed_offset_seconds

    offset = fixed_offset_seconds(period.timezone)
    if offset is None:
        return False
    shift = dt.timedelta(seconds=offset)
    return (start, end) == (period.start_local - shift, period.end_local - shift)


def _with_grid(con, totals, start, end, only: list | None = None):
    """``totals`` with ``step_s``, ``regular``, ``flat_hint`` and ``spike_free`` (see
    :func:`reading_profile`), from one aggregate scan (:data:`_GRID`, of the readings of
    the meters of ``only`` when given); meters with readings but not in ``totals`` (not in the
    meters table) are added, irregular."""
    import numpy as np
    import pandas as pd

    keys, n = totals["meter_key"].to_numpy("int64"), totals["n_rows"].to_numpy("int64")
    first, last = totals["first_us"].to_numpy("int64"), totals["last_us"].to_numpy("int64")
    d_us = np.where(n > 1, (last - first) // np.maximum(n - 1, 1), 0)
    even = (n > 1) & (d_us > 0) & (last - first == d_us * (n - 1))
    even &= (first % US == 0) & (d_us % US == 0)
    step_s = d_us / US
    # every flagged run holds `need` readings, so a whole aligned block of `width`
    need = np.ceil(FLAT_MIN_HOURS * 3600.0 / np.maximum(step_s, 1.0))
    need = np.maximum(FLAT_MIN_READINGS, need).astype("int64")
    width = np.clip((need + 1) // 2, 1, MAX_WIDTH)
    nv = totals["readings"].to_numpy("int64")
    tops = int(np.clip((nv - np.floor((nv - 1) * 0.99) + 1).max(initial=1), 1, MAX_TOPS))
    params = [keys[even].tolist(), first[even].tolist(), d_us[even].tolist()]
    params += [width[even].tolist(), start, end]
    sql = _GRID.replace("{tops}", str(tops))
    if only is not None:
        params.append([int(k) for k in only])
    meters = "" if only is None else "AND r.meter_key IN (SELECT unnest(?::INTEGER[]))"
    rows = con.execute(sql.replace("{meters}", meters), params).fetchall()
    found = {key: flags for key, *flags in rows}
    out = totals.copy()
    out["meter_key"] = out["meter_key"].astype(object)
    out["step_s"] = np.where(even, step_s, np.nan)
    known = set(keys.tolist())
    extra = [k for k in found if k is None or k not in known]
    if extra:
        out = pd.concat([out, pd.DataFrame({"meter_key": extra}, dtype=object)], ignore_index=True)
    flags = [found.get(k, (False, False, False)) for k in out["meter_key"]]
    for i, col in enumerate(("regular", "flat_hint", "spike_free")):
        out[col] = np.array([f[i] for f in flags], dtype=bool)
    out.loc[~out["regular"], "step_s"] = np.nan
    return out


# the unit of a rule's value: hours missing for a gap, else the meter's reading unit
VALUE_UNITS = {"readings.gap": "h"}


def _finding(row: tuple, ids: dict, units: dict, timezone: str, period: str | None) -> Finding:
    severity, code, meter_key, first, last, value, message = row
    figures = {"value": value}
    if value is not None:
        figures["unit"] = VALUE_UNITS.get(code, units.get(meter_key))
    data = {
        "meter_id": ids.get(meter_key),
        "first": None if first is None else to_local(first, timezone),
        "last": None if last is None else to_local(last, timezone),
        "figures": figures,
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


def _load_findings(con, start, end) -> list[tuple]:
    return con.execute(
        """
        SELECT CASE code WHEN 'readings.register_rollover' THEN 'info'
                         WHEN 'readings.register_backwards' THEN 'error' ELSE 'warning' END,
               code, meter_key, ts, ts, NULL::DOUBLE, message
        FROM load_findings WHERE ts IS NULL OR (ts >= ? AND ts < ?)""",
        [start, end],
    ).fetchall()
