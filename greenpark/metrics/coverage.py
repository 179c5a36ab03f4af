"""Expected against received readings, per registered meter and period.

Method (docs/methodology.md, "Data completeness"):

* a meter is **active** in a period from its ``commissioned_on`` date (00:00, park local
  time; the period's start when blank) to its ``decommissioned_on`` date (00:00, the
  first day out of service; the period's end when blank);
* its **interval** is the most common spacing of its readings in the period, or, with
  fewer than two readings there, of all its stored readings;
* **expected** = the number of intervals in its active span, ceil(active s / interval s);
  **received** = its non-blank readings in the period;
  **coverage_pct** = 100 x min(received, expected) / expected, and 0 for a meter that sent
  nothing (even when its interval is unknown);
* **longest_gap_h**: the longest stretch of the active span without a reading: from the
  start to the first reading, between two readings (less one interval), from the last
  interval's end to the end;
* a meter is **complete** when its coverage reaches ``[quality] coverage_min_pct`` of
  park.toml (default 99 %).

Without a period (all stored readings), the span is the park's: from the first stored
reading of any meter to the end of the last interval of any meter (each meter's span
within it limited by its service dates), so that a meter that stopped reporting while
the others went on shows the missing months, not 100 %.
"""

from __future__ import annotations

import datetime as dt
import math

from greenpark.core.findings import Finding
from greenpark.core.periods import Period, period_of, to_local, to_utc
from greenpark.core.vocab import BOUNDARY_ROLES

COLUMNS = [
    "meter_id",
    "role",
    "carrier",
    "boundary",
    "expected",
    "received",
    "coverage_pct",
    "longest_gap_h",
    "first_reading",
    "last_reading",
    "interval_min",
    "active_from",
    "active_to",
    "complete",
]
# The columns a Result's ``coverage`` keeps of the boundary meters its figures used.
RESULT_COLUMNS = ["period", "meter_id", "role", "carrier", "expected", "received", "coverage_pct"]

# Per meter of ?::INTEGER[], over its readings in [?, ?): the most common spacing of its
# readings and the largest one. [s]
SPACING_SQL = """
WITH r AS (
    SELECT meter_key, ts FROM readings
    WHERE ts >= ? AND ts < ? AND meter_key IN (SELECT unnest(?::INTEGER[]))
), d AS (
    SELECT meter_key, epoch(ts) - epoch(lag(ts) OVER (PARTITION BY meter_key ORDER BY ts)) AS d
    FROM r
)
SELECT meter_key, mode(d) AS step_s, max(d) AS max_step_s FROM d WHERE d > 0 GROUP BY meter_key
"""
_EVER = (dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1))
US = 1_000_000


def coverage_min_pct(store) -> float:
    """The park's coverage threshold (``[quality] coverage_min_pct``). [%]"""
    return float(store.park().quality.coverage_min_pct)


def meter_coverage(store, period: Period | None = None):
    """Expected and received readings of every meter active in ``period``.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    period : Period or str, optional
        In park local time (``2025-07``, ``2025``); all stored readings when None.

    Returns
    -------
    pandas.DataFrame
        One row per meter active in the period (:data:`COLUMNS`), boundary meters first:
        ``expected`` and ``received`` intervals [count], ``coverage_pct`` [%],
        ``longest_gap_h`` [h], ``first_reading`` and ``last_reading`` (park local time,
        blank without readings), ``interval_min`` [min] (NaN when unknown),
        ``active_from``/``active_to`` (local dates from the registry, blank when not
        set), ``complete`` (coverage at or above the threshold). Computed once per store
        and period: do not modify it.
    """
    if period is not None:
        period = period_of(period=period, timezone=store.park().timezone)
    return store.cached(("coverage.meters", period), lambda: _coverage(store, period))


def boundary_coverage(store, periods, basis: Period | None = None):
    """The coverage of the boundary meters in each of ``periods``, for a Result.

    The figures of ``basis`` (default: the first period) are :func:`meter_coverage`'s;
    other windows (a report's previous month, the same month last year, the year to
    date ...) count their received readings from the ledger's monthly sums
    (:func:`greenpark.metrics.carbon.ledger.meter_months`, no extra scan of the
    readings) against the intervals each meter has in ``basis``.

    Parameters
    ----------
    store : greenpark.store.Store
    periods : Period or list of Period
        Localized.
    basis : Period, optional

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS` and ``complete``; ``period`` is the period's label.
    """
    return _boundary(store, periods, basis)[0].copy()


def _boundary(store, periods, basis: Period | None):
    """(coverage frame, ``inputs.incomplete`` findings) of :func:`boundary_coverage`,
    once per store, periods and basis (a report asks for the same windows many times)."""
    periods = [periods] if isinstance(periods, Period) else list(periods)
    basis = basis or (periods[0] if periods else None)
    key = ("coverage.boundary", tuple(periods), basis)
    return store.cached(key, lambda: _boundary_build(store, periods, basis))


def _boundary_build(store, periods: list, basis: Period | None):
    import pandas as pd

    if not periods:
        return pd.DataFrame(columns=[*RESULT_COLUMNS, "complete"]), []
    frames = [
        store.cached(("coverage.rows", p, basis), lambda p=p: _rows(store, p, basis))
        for p in periods
    ]
    frame = pd.concat(frames, ignore_index=True)
    return frame, incomplete_findings(frame)


def _rows(store, period: Period, basis: Period):
    """The boundary meters' coverage rows of one period (:data:`RESULT_COLUMNS` and
    ``complete``)."""
    meters = store.cached(
        ("coverage.boundary_meters", basis), lambda: _boundary_meters(store, basis)
    )
    rows = meters if period == basis else _window(store, period, meters)
    return rows.assign(period=period.label)[[*RESULT_COLUMNS, "complete"]]


def _boundary_meters(store, basis: Period):
    """The boundary meters' rows of :func:`meter_coverage` of ``basis``: from it when it
    is built, else from the boundary meters' readings only (every row is the meter's
    own: the same rows, without a scan of the other meters' readings)."""
    basis = period_of(period=basis, timezone=store.park().timezone)
    meters = store.peek(("coverage.meters", basis))
    if meters is None:
        registry = _registry(store)
        keys = registry.loc[registry["role"].isin(BOUNDARY_ROLES), "meter_key"].tolist()
        meters = _coverage(store, basis, keys)
    return meters[meters["boundary"]]


def _window(store, window: Period, basis):
    """Boundary meters' coverage of ``window`` from monthly sums and ``basis``'s
    intervals."""
    import pandas as pd

    from greenpark.metrics.carbon.ledger import meter_months

    months = meter_months(store, window)
    received: dict = {}
    for meter_id, count in zip(
        months["meter_id"].tolist(), months["readings"].tolist(), strict=True
    ):
        received[meter_id] = received.get(meter_id, 0) + count
    timezone = store.park().timezone
    dates = _service_dates(store)
    bounds = window.utc_bounds()
    rows = []
    columns = [basis[c].tolist() for c in ("meter_id", "role", "carrier", "interval_min")]
    for meter_id, role, carrier, interval_min in zip(*columns, strict=True):
        start, end = _active(dates[meter_id], bounds, timezone)
        if end <= start:  # not in service in the window
            continue
        step_s = None if _none(interval_min) is None else interval_min * 60.0
        n = math.nan if step_s is None else math.ceil((end - start).total_seconds() / step_s - 1e-9)
        got = int(received.get(meter_id, 0))
        pct = 0.0 if got == 0 else (100.0 * min(got, n) / n if n == n and n else math.nan)
        rows.append([meter_id, role, carrier, n, got, pct])
    out = pd.DataFrame(
        rows, columns=["meter_id", "role", "carrier", "expected", "received", "coverage_pct"]
    )
    out["expected"] = pd_int(out["expected"])
    out["complete"] = out["coverage_pct"] >= coverage_min_pct(store)
    return out


def _service_dates(store) -> dict:
    """meter_id -> ``commissioned_on``/``decommissioned_on`` of the registry (once per
    store)."""
    columns = ["commissioned_on", "decommissioned_on"]
    return store.cached(
        "coverage.service_dates",
        lambda: _registry(store).set_index("meter_id")[columns].to_dict("index"),
    )


def pd_int(values):
    """A nullable integer Series of counts (blank where unknown)."""
    import pandas as pd

    return pd.array([None if v != v else int(v) for v in values], dtype="Int64")


def with_coverage(result, store, periods, basis: Period | None = None):
    """``result`` with the coverage of the boundary meters its figures rest on
    (:func:`boundary_coverage`) and, per period with a meter below the threshold, an
    ``inputs.incomplete`` warning naming the meters and their missing share."""
    frame, findings = _boundary(store, periods, basis)
    result.coverage = frame.copy()
    result.findings.extend(findings)
    return result


def incomplete_findings(coverage) -> list[Finding]:
    """One ``inputs.incomplete`` warning per period of ``coverage`` with a boundary meter
    below the threshold."""
    out = []
    complete = coverage["complete"].astype(bool)
    if complete.all():
        return out
    low = coverage[~complete]
    by_period: dict = {}  # period -> its rows (meter_id, role, coverage_pct), in order
    columns = [low[c].tolist() for c in ("period", "meter_id", "role", "coverage_pct")]
    for label, *row in zip(*columns, strict=True):
        by_period.setdefault(label, []).append(row)
    for label, rows in by_period.items():
        missing = {m: None if _none(pct) is None else 100.0 - pct for m, _, pct in rows}
        message = f"the figures of {label} rest on incomplete data: " + _incomplete_text(rows)
        data = {"period": label, "meters": list(missing), "figures": {"missing_pct": missing}}
        out.append(Finding("inputs.incomplete", message, "warning", data))
    return out


def incomplete_text(rows, lang: str = "en") -> str:
    """``GRID-IMP (grid_import) 100.0 % missing; ...`` of coverage rows (``lang="zh"``:
    ``GRID-IMP（电网购入）缺失 100.0 %；...``)."""
    columns = [rows[c].tolist() for c in ("meter_id", "role", "coverage_pct")]
    return _incomplete_text(list(zip(*columns, strict=True)), lang)


def _incomplete_text(rows: list, lang: str = "en") -> str:
    """:func:`incomplete_text` of ``(meter_id, role, coverage_pct)`` tuples."""
    from greenpark.core.labels import term

    parts = []
    for meter_id, role, pct in rows:
        known = _none(pct) is not None
        if lang == "zh":
            share = f"缺失 {100 - pct:.1f} %" if known else "缺失比例未知"
            parts.append(f"{meter_id}（{term(role, 'zh')}）{share}")
            continue
        share = f"{100 - pct:.1f} %" if known else "share unknown"
        parts.append(f"{meter_id} ({role}) {share} missing")
    return ("；" if lang == "zh" else "; ").join(parts)


def coverage_findings(frame, period: Period | None, threshold_pct: float) -> list[Finding]:
    """``readings.missing_meter`` (error) for a meter with no readings in its active span,
    ``readings.coverage`` for one below ``threshold_pct`` (error for boundary meters,
    warning for submeters and other meters)."""
    out = []
    label = period.label if period is not None else "all stored readings"
    for r in frame.itertuples(index=False):
        data = {
            "meter_id": r.meter_id,
            "first": _none(r.first_reading),
            "last": _none(r.last_reading),
            "figures": {
                "value": float(r.coverage_pct),
                "unit": "%",
                "expected": None if _none(r.expected) is None else int(r.expected),
                "received": int(r.received),
                "longest_gap_h": _none(r.longest_gap_h),
            },
        }
        if period is not None:
            data["period"] = period.label
        if r.received == 0:
            expected = "" if _none(r.expected) is None else f" (expected {r.expected})"
            message = f"{r.role} meter sent no readings in {label}{expected}: coverage 0 %"
            out.append(Finding("readings.missing_meter", message, "error", data))
        elif r.coverage_pct < threshold_pct:
            severity = "error" if r.boundary else "warning"
            message = f"readings cover {r.coverage_pct:.1f} % of the period"
            out.append(Finding("readings.coverage", message, severity, data))
    return out


def _none(value):
    """``value``, or None for a blank one (None, NaN, NaT, NA)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def _coverage(store, period: Period | None, keys: list | None = None):
    """:func:`meter_coverage` (of the meters of ``keys`` only when given)."""
    import pandas as pd

    from greenpark.metrics.quality import reading_profile

    meters = _registry(store)
    if keys is not None:
        meters = meters[meters["meter_key"].isin(keys)]
    profile = reading_profile(store, period, keys)
    profile = profile[profile["meter_key"].notna() & profile["n_rows"].notna()]
    stats = meters.merge(
        profile[["meter_key", "readings", "first_us", "last_us", "step_s", "regular"]],
        on="meter_key",
        how="left",
    )
    stats["readings"] = stats["readings"].fillna(0).astype("int64")
    stats["regular"] = stats["regular"].fillna(False).astype(bool)
    _spacing(store, period, stats)
    span = _park_span(stats) if period is None else None
    timezone = store.park().timezone
    rows = [_row(r, period, timezone, span) for r in stats.to_dict("records")]
    frame = pd.DataFrame([r for r in rows if r is not None], columns=COLUMNS[:-1])
    frame["expected"] = frame["expected"].astype("Int64")  # a count; blank when unknown
    frame["complete"] = frame["coverage_pct"] >= coverage_min_pct(store)
    frame["boundary"] = frame["boundary"].astype(bool)
    order = frame.sort_values(["boundary", "meter_id"], ascending=[False, True]).index
    return frame.loc[order].reset_index(drop=True)


def _registry(store):
    """The meters and their service dates (once per store; do not modify it)."""
    return store.cached(
        "coverage.registry",
        lambda: store.con.execute(
            "SELECT meter_key, meter_id, role, carrier, commissioned_on, decommissioned_on "
            "FROM meters ORDER BY meter_id"
        ).df(),
    )


def _spacing(store, period: Period | None, stats) -> None:
    """``step_s`` and ``max_step_s`` [s] of every meter: regular meters from their
    profile; others from their readings in the period, or from all their readings when
    the period holds fewer than two."""
    stats["max_step_s"] = stats["step_s"].where(stats["regular"])
    start, end = period.utc_bounds() if period is not None else _EVER
    irregular = stats.loc[~stats["regular"] & (stats["readings"] > 1), "meter_key"]
    found = _spacings(store.con, start, end, irregular)
    few = stats.loc[stats["readings"] < 2, "meter_key"]
    ever = _spacings(store.con, *_EVER, few)
    for key, (step, biggest) in found.items():
        mask = stats["meter_key"] == key
        stats.loc[mask, "step_s"], stats.loc[mask, "max_step_s"] = step, biggest
    for key, (step, _) in ever.items():
        stats.loc[stats["meter_key"] == key, "step_s"] = step


def _spacings(con, start, end, keys) -> dict:
    if keys.empty:
        return {}
    rows = con.execute(SPACING_SQL, [start, end, keys.astype(int).tolist()]).fetchall()
    return {key: (float(step), float(biggest)) for key, step, biggest in rows}


def _park_span(stats) -> tuple[dt.datetime, dt.datetime] | None:
    """UTC ``[first reading of any meter, end of the last interval of any meter)``, or
    None without readings."""
    known = stats[stats["readings"] > 0]
    if known.empty:
        return None
    first = _utc(known["first_us"].min())
    ends = [
        _utc(r["last_us"]) + dt.timedelta(seconds=_none(r["step_s"]) or 0)
        for r in known.to_dict("records")
    ]
    return first, max(ends)


def _row(r: dict, period: Period | None, timezone: str, span=None) -> dict | None:
    """One meter's coverage row, or None when it is not active in the period (without a
    period: in ``span``, the park's stored span)."""
    step = _none(r["step_s"])
    first = None if _none(r["first_us"]) is None else _utc(r["first_us"])
    last = None if _none(r["last_us"]) is None else _utc(r["last_us"])
    if period is not None or span is not None:
        start, end = _active(r, period.utc_bounds() if period is not None else span, timezone)
        if end <= start:
            return None
    else:
        start = end = None
    span_s = None if start is None else (end - start).total_seconds()
    expected = math.nan if step is None or span_s is None else math.ceil(span_s / step - 1e-9)
    received = int(r["readings"])
    pct = 0.0 if received == 0 else math.nan
    if received and expected and expected == expected:
        pct = 100.0 * min(received, expected) / expected
    return {
        "meter_id": r["meter_id"],
        "role": r["role"],
        "carrier": r["carrier"],
        "boundary": r["role"] in BOUNDARY_ROLES,
        "expected": float(expected),
        "received": received,
        "coverage_pct": pct,
        "longest_gap_h": _longest_gap_h(start, end, first, last, step, r["max_step_s"]),
        "first_reading": None if first is None else to_local(first, timezone),
        "last_reading": None if last is None else to_local(last, timezone),
        "interval_min": math.nan if step is None else step / 60.0,
        "active_from": _day(r["commissioned_on"]),
        "active_to": _day(r["decommissioned_on"]),
    }


def _day(value) -> dt.date | None:
    value = _none(value)
    return value.date() if isinstance(value, dt.datetime) else value


def _utc(us) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(us))


def _active(r: dict, bounds, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC ``[start, end)`` of the meter's service within the UTC ``bounds``."""
    start, end = bounds
    on, off = _none(r["commissioned_on"]), _none(r["decommissioned_on"])
    if on is not None:
        start = max(start, to_utc(dt.datetime(on.year, on.month, on.day), timezone))
    if off is not None:
        end = min(end, to_utc(dt.datetime(off.year, off.month, off.day), timezone))
    return start, end


def _longest_gap_h(start, end, first, last, step, max_step_s) -> float:
    """The longest stretch of ``[start, end)`` without a reading. [h]"""
    if start is None:
        return math.nan
    if first is None:
        return (end - start).total_seconds() / 3600.0
    step = step or 0.0
    inner = 0.0 if _none(max_step_s) is None else max(float(max_step_s) - step, 0.0)
    lead = (first - start).total_seconds()
    trail = (end - last).total_seconds() - step
    return max(lead, inner, trail, 0.0) / 3600.0
