"""Carbon and energy intensities of the park, its enterprises and industries, for the
comparison windows of a month (:meth:`~greenpark.core.periods.Period.windows`) and their
changes (:data:`~greenpark.core.periods.CHANGES`).

One ledger is built for the span of all windows (:func:`intensity_span`) and every window
is cut from it, so carbon tables of any window of the same month are slices too.

References
----------
NDRC/MIIT/NEA zero-carbon park notice (2025, No. 910): CO2 per tce core indicator.
"""

from __future__ import annotations

import math

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import change_pct
from greenpark.core.periods import CHANGES, Period, month_start
from greenpark.metrics.carbon.breakdown import add_intensities, by_enterprise
from greenpark.metrics.carbon.edge import park_period, result_inputs
from greenpark.metrics.carbon.ledger import ledger_for, location_total, market_total, metered_months
from greenpark.metrics.coverage import with_coverage

INTENSITY_COLUMNS = [
    "period",
    "first_month",
    "last_month",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "value_added_10k_cny",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "tco2_per_10k_cny_location",
    "tce_per_10k_cny",
]
# intensity column -> (numerator, denominator) of the park's window rows
PARK_INTENSITIES = {
    "tco2_per_tce_location": ("emissions_location_tco2", "energy_tce"),
    "tco2_per_tce_market": ("emissions_market_tco2", "energy_tce"),
    "tco2_per_10k_cny_location": ("emissions_location_tco2", "value_added_10k_cny"),
    "tce_per_10k_cny": ("energy_tce", "value_added_10k_cny"),
}
# The figure whose changes an enterprise or industry shows.
ENTITY_CHANGE_OF = "tco2_per_10k_cny_location"


def intensity_span(period: Period) -> Period:
    """The months of every comparison window of ``period``'s last month (24 months)."""
    windows = list(period.windows().values())
    return windows[0].span(*windows[1:])


def park_intensities(store, period: Period | str) -> Result:
    """Park intensities for the month, year to date and rolling 12 months ending with
    ``period``'s last month, each with its comparison windows, and the changes.

    Returns
    -------
    Result
        One row per window (``month``, ``previous_month``, ``month_last_year``, ``ytd``,
        ``ytd_last_year``, ``rolling_12m``, ``rolling_12m_last_year``), columns
        ``INTENSITY_COLUMNS``: energy [tce], emissions [tCO2], value added [10k CNY],
        intensities [tCO2/tce, tCO2/10k CNY, tce/10k CNY]. A window lacking readings in
        some month is NaN (``readings.incomplete``); value-added figures are NaN
        (``production.missing``) where production data are incomplete; zero value added
        gives NaN, never inf. ``tables["changes"]``: one row per figure (``metric``) with
        the columns of :data:`~greenpark.core.periods.CHANGES` [%].
    """
    import pandas as pd

    period = park_period(store, period)
    windows = period.windows()
    led = ledger_for(store, intensity_span(period))
    production = store.cached("intensity.production", lambda: _production(store))
    reported = production.groupby("month")["enterprise_id"].agg(set)  # once, not per window
    findings, rows = list(led.findings), []
    for name, window in windows.items():
        row, found = _window_row(name, window, led.lines, production, reported)
        rows.append(row)
        findings += found
    frame = pd.DataFrame(rows, columns=INTENSITY_COLUMNS[:7])
    add_intensities(frame, PARK_INTENSITIES)
    frame = frame[INTENSITY_COLUMNS]
    inputs = result_inputs(
        store, period, led.lines, windows={k: w.label for k, w in windows.items()}
    )
    result = Result(frame, findings, inputs, {"changes": park_changes(frame)})
    return with_coverage(result, store, list(windows.values()))


def _production(store):
    """Production rows (``month`` as first days) and the enterprises expected to report
    (``attrs["expected"]``: the registry, else those that reported). Read once per store
    (:meth:`~greenpark.store.Store.cached`): shared, do not modify it."""
    frame = store.con.execute(
        "SELECT enterprise_id, month, value_added_10k_cny FROM production ORDER BY month"
    ).df()
    frame["month"] = frame["month"].map(month_start)
    expected = {
        r[0] for r in store.con.execute("SELECT enterprise_id FROM enterprises").fetchall()
    } or set(frame["enterprise_id"])
    frame.attrs["expected"] = expected
    return frame


def _window_row(
    name: str, window: Period, lines, production, reported
) -> tuple[list, list[Finding]]:
    chosen = lines[lines["month"].isin(set(window.months))]
    head = [name, f"{window.first:%Y-%m}", f"{window.last:%Y-%m}"]
    with_data = len(metered_months(chosen))
    if with_data < window.n_months:
        found = Finding(
            "readings.incomplete",
            f"{name} ({window.first:%Y-%m} to {window.last:%Y-%m}) has readings in "
            f"{with_data} of {window.n_months} months",
            data={
                "period": window.label,
                "window": name,
                "months_with_data": int(with_data),
                "months": window.n_months,
            },
        )
        return head + [math.nan] * 4, [found]
    va, found = _value_added(production, window, reported)
    energy = float(chosen["energy_tce"].sum())
    return head + [energy, location_total(chosen), market_total(chosen), va], found


def _value_added(production, window: Period, reported) -> tuple[float, list[Finding]]:
    """Value added of the park over ``window``, NaN (with a finding) unless every expected
    enterprise reported every month (``reported``: month -> the set of enterprises with a
    production row). [10k CNY]"""
    expected = production.attrs["expected"]
    if not expected:
        return math.nan, [
            Finding(
                "production.none",
                "no production data; value-added intensities are not available",
                data={"period": window.label},
            )
        ]
    for month in window.months:
        missing = sorted(expected - reported.get(month, set()))
        if missing:
            return math.nan, [_missing_production(month, missing)]
    inside = production["month"].isin(set(window.months))
    return float(production.loc[inside, "value_added_10k_cny"].sum()), []


def _missing_production(month, missing: list[str]) -> Finding:
    more = " ..." if len(missing) > 5 else ""
    return Finding(
        "production.missing",
        f"{month:%Y-%m} has no value added for {len(missing)} enterprise(s) "
        f"({', '.join(missing[:5])}{more}); per-value-added intensities of periods with "
        "this month are not available",
        data={"month": month, "period": f"{month:%Y-%m}", "enterprise_ids": missing},
    )


def park_changes(frame):
    """Changes of every figure of :func:`park_intensities`' rows between the windows of
    :data:`~greenpark.core.periods.CHANGES`.

    Returns
    -------
    pandas.DataFrame
        ``metric`` and one column per change (``mom_pct``, ``yoy_pct``, ``ytd_yoy_pct``,
        ``rolling_12m_yoy_pct``). [%]
    """
    import pandas as pd

    rows = frame.set_index("period")
    metrics = INTENSITY_COLUMNS[3:]
    out = pd.DataFrame({"metric": metrics})
    for name, (current, baseline) in CHANGES.items():
        now = rows.loc[current, metrics].to_numpy(dtype=float)
        before = rows.loc[baseline, metrics].to_numpy(dtype=float)
        out[name] = change_pct(now, before)
    return out


def entity_intensities_by(store, period: Period | str, by: str = "enterprise") -> Result:
    """Per-enterprise or per-industry energy, emissions and intensities for the windows
    of ``period``'s last month, with the changes of ``tco2_per_10k_cny_location``.

    Returns
    -------
    Result
        The columns of :func:`~greenpark.metrics.carbon.tables.carbon_by` ``by``
        enterprise or industry, plus ``period`` (the window); windows lacking readings in
        some month are left out (``readings.incomplete``). ``tables["changes"]``: one row
        per entity with the columns of :data:`~greenpark.core.periods.CHANGES`. [%]
    """
    import pandas as pd

    if by not in ("enterprise", "industry"):
        raise GreenparkError(f"--by {by!r}: choose enterprise or industry")
    period = park_period(store, period)
    windows = period.windows()
    led = ledger_for(store, intensity_span(period))
    parts, findings = [], list(led.findings)
    for name, window in windows.items():
        subset = led.enterprise[led.enterprise["month"].isin(set(window.months))]
        if subset["month"].nunique() < window.n_months:
            findings.append(_incomplete_entity_window(name, window))
            continue
        parts.append(by_enterprise(subset, store, by, window).assign(period=name))
    if not parts:
        raise GreenparkError(f"no readings in {windows['month'].label}")
    frame = pd.concat(parts, ignore_index=True)
    key = "enterprise_id" if by == "enterprise" else "industry"
    inputs = result_inputs(
        store, period, led.lines, by=by, windows={k: w.label for k, w in windows.items()}
    )
    return Result(frame, findings, inputs, {"changes": entity_changes(frame, key)})


def _incomplete_entity_window(name: str, window: Period) -> Finding:
    return Finding(
        "readings.incomplete",
        f"{name} ({window.first:%Y-%m} to {window.last:%Y-%m}) lacks readings in some "
        "months; not shown",
        data={"period": window.label, "window": name},
    )


def entity_changes(frame, key: str):
    """Changes of ``tco2_per_10k_cny_location`` per entity (``key``) between the windows
    of :data:`~greenpark.core.periods.CHANGES`; NaN where a window is not shown. [%]"""
    import pandas as pd

    values = frame.pivot_table(
        index=key, columns="period", values=ENTITY_CHANGE_OF, aggfunc="first", dropna=False
    )
    out = pd.DataFrame({key: values.index})
    for name, (current, baseline) in CHANGES.items():
        if current in values and baseline in values:
            out[name] = change_pct(
                values[current].to_numpy(dtype=float), values[baseline].to_numpy(dtype=float)
            )
        else:
            out[name] = math.nan
    return out


# ----------------------------------------------------------- DataFrame edges (public API)
def intensities(store, month: str | Period | None = None, period=None):
    """:func:`park_intensities` as a DataFrame (``attrs["findings"]``, ``attrs["changes"]``)."""
    return park_intensities(store, month if period is None else period).to_frame()


def entity_intensities(store, month=None, by: str = "enterprise", period=None):
    """:func:`entity_intensities_by` as a DataFrame (``attrs["changes"]``)."""
    return entity_intensities_by(store, month if period is None else period, by).to_frame()
