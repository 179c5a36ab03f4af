"""The core indicator's trajectory: rolling-12-month tCO2/tce for every month since January
of the base year, then a projection (linear trend, or the park's plan) to the target year."""

from __future__ import annotations

import datetime as dt
import math

from greenpark.core.config.zero_carbon import BASE_YEAR, ZeroCarbonSettings
from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import ledger_for, metered_months
from greenpark.metrics.zerocarbon.common import (
    emissions_tco2,
    legacy_frame,
    park_period,
    settings_of,
)
from greenpark.metrics.zerocarbon.formulas import (
    MIN_TREND_POINTS,
    core_threshold,
    linear_projection,
    meets,
)


def trajectory_span(period: Period) -> Period:
    """The months whose ledger the trajectory to ``period``'s last month reads: the rolling
    12 months ending with January of the base year, to that last month."""
    base = Period.rolling12(dt.date(BASE_YEAR, 1, 1), period.timezone)
    return base.span(Period.month(period.last, period.timezone))


def trajectory_result(store, period: Period | str) -> Result:
    """Rolling-12-month core indicator for every month from January of the base year to
    the last month of ``period``, then a projection to the target year.

    The ledger of the whole span is read once (:func:`ledger_for`); each rolling window is
    a slice of its lines.

    Returns
    -------
    Result
        ``frame``: ``month, kind`` (``actual`` or ``projected``/``plan``),
        ``tco2_per_tce``, ``threshold`` [tCO2/tce]. ``inputs``: ``period``, ``basis``,
        ``target_year``, ``crossing_year`` (first year-end at or under the threshold, or
        None), ``threshold_tco2_per_tce``.

    Raises
    ------
    GreenparkError
        If the period ends before the base year, or there are no readings at all.
    """
    import pandas as pd

    period = park_period(store, period)
    settings = settings_of(store)
    last = period.last
    if last < dt.date(BASE_YEAR, 1, 1):
        raise GreenparkError(
            f"--month {last:%Y-%m}: the trajectory starts in the base year {BASE_YEAR}"
        )
    led = ledger_for(store, trajectory_span(period))
    rows, threshold = _actual_rows(led.lines, settings, period)
    future, kind, findings = _projection(rows, settings, last)
    rows += [[f"{y}-12", kind, v] for y, v in sorted(future.items())]
    frame = pd.DataFrame(rows, columns=["month", "kind", "tco2_per_tce"])
    frame["threshold"] = threshold
    crossing = next((y for y, v in sorted(future.items()) if meets(v, "<=", threshold)), None)
    actual_met = [r[0] for r in rows if r[1] == "actual" and meets(r[2], "<=", threshold)]
    inputs = {
        "period": f"{last:%Y-%m}",
        "basis": settings.emissions_basis,
        "target_year": settings.target_year,
        "crossing_year": int(actual_met[0][:4]) if actual_met else crossing,
        "threshold_tco2_per_tce": threshold,
    }
    return Result(frame, list(led.findings) + findings, inputs)


def trajectory(store, month: str | Period):
    """:func:`trajectory_result` as a DataFrame; ``frame.attrs`` carries ``crossing_year``,
    ``findings``, ``basis`` and ``target_year``."""
    return legacy_frame(trajectory_result(store, park_period(store, period=month)))


def _actual_rows(lines, settings: ZeroCarbonSettings, period: Period):
    """``[month, "actual", tCO2/tce]`` per month from January of the base year, NaN where
    the rolling window is incomplete; and the threshold of the first complete window."""
    threshold = None
    rows = []
    start = Period.month(dt.date(BASE_YEAR, 1, 1), period.timezone)
    for month in start.span(Period.month(period.last)).months:
        window = Period.rolling12(month)
        part = lines[lines["month"].between(window.first, window.last)]
        complete = len(metered_months(part)) == window.n_months
        energy = float(part["energy_tce"].sum())
        value = carbon.intensity(emissions_tco2(part, settings), energy) if complete else math.nan
        if complete and threshold is None:
            threshold = core_threshold(energy)[1]
        rows.append([f"{month:%Y-%m}", "actual", value])
    return rows, threshold if threshold is not None else core_threshold(0.0)[1]


def _projection(rows, settings: ZeroCarbonSettings, last: dt.date):
    years = list(range(last.year + (last.month == 12), settings.target_year + 1))
    if settings.plan:
        plan = {int(y): float(v) for y, v in settings.plan.items()}
        return {y: plan[y] for y in years if y in plan}, "plan", []
    points = [(i, r[2]) for i, r in enumerate(rows) if not math.isnan(r[2])]
    if len(points) < MIN_TREND_POINTS:
        finding = Finding(
            "zero_carbon.trajectory",
            f"{len(points)} complete rolling months; at least {MIN_TREND_POINTS} are "
            "needed for a trend",
            data={"complete_months": len(points), "needed": MIN_TREND_POINTS},
        )
        return {}, "projected", [finding]
    xs, ys = zip(*points, strict=True)
    return linear_projection(list(xs), list(ys), years), "projected", []
