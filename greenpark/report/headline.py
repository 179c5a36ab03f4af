"""Headline figures of a report: each comparison window and the changes between them.

A monthly report shows the month, the previous month, the same month last year, the
year to date and the year to date last year; an annual report the year and the previous
year. Windows are :meth:`greenpark.core.periods.Period.windows` (the one place of month
arithmetic); change columns have the names of :data:`greenpark.core.periods.CHANGES`.
"""

from __future__ import annotations

import math

from greenpark.core.numeric import change_pct, safe_divide
from greenpark.core.periods import CHANGES

METRICS = (  # headline metric -> unit
    ("energy_tce", "tce"),
    ("electricity_kwh", "kWh"),
    ("emissions_location_tco2", "tCO2"),
    ("emissions_market_tco2", "tCO2"),
    ("tco2_per_tce_location", "tCO2/tce"),
    ("tco2_per_tce_market", "tCO2/tce"),
    ("tco2_per_10k_cny_location", "tCO2/10k CNY"),
    ("tce_per_10k_cny", "tce/10k CNY"),
    ("clean_energy_share_pct", "%"),
    ("pv_generation_kwh", "kWh"),
    ("pv_self_consumed_pct", "%"),
    ("solid_waste_utilization_pct", "%"),
)
INTENSITY_METRICS = (
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "tco2_per_10k_cny_location",
    "tce_per_10k_cny",
)
# headline column -> comparison window (a key of Period.windows(); a year compares two years)
COLUMNS = {
    "monthly": {
        "current": "month",
        "previous": "previous_month",
        "last_year": "month_last_year",
        "ytd": "ytd",
        "ytd_last_year": "ytd_last_year",
    },
    "annual": {"current": "year", "previous": "previous_year"},
}
# window -> row of the park intensities table (greenpark.metrics.carbon.tables)
INTENSITY_ROWS = {
    "month": "month",
    "previous_month": "previous_month",
    "month_last_year": "month_last_year",
    "ytd": "ytd",
    "ytd_last_year": "ytd_last_year",
    "year": "ytd",
    "previous_year": "ytd_last_year",
}
# windows whose clean energy share (zero-carbon indicator system) the headline shows
CLEAN_SHARE_WINDOWS = ("month", "previous_month", "month_last_year", "year", "previous_year")
CHANGE_COLUMNS = {
    "monthly": {name: CHANGES[name] for name in ("mom_pct", "yoy_pct", "ytd_yoy_pct")},
    "annual": {"yoy_pct": ("year", "previous_year")},
}


def report_windows(kind: str, period) -> dict:
    """The comparison windows of a ``monthly`` or ``annual`` report of ``period``.

    Returns
    -------
    dict of str -> Period
        Keyed by the window names of :data:`COLUMNS`.
    """
    if kind == "annual":
        return {"year": period, "previous_year": period.previous()}
    windows = period.windows()
    return {name: windows[name] for name in COLUMNS["monthly"].values()}


def headline(kind: str, windows: dict, intensities, series, waste_pct: dict, clean_pct: dict):
    """Headline figures for each comparison window and their changes.

    Parameters
    ----------
    kind : {"monthly", "annual"}
    windows : dict of str -> Period
        :func:`report_windows`.
    intensities : pandas.DataFrame
        Park intensities (one row per window, column ``period``).
    series : pandas.DataFrame
        The monthly series of the report (``month`` as ``YYYY-MM``).
    waste_pct, clean_pct : dict of str -> float
        Industrial solid waste utilization and clean energy share per window. [%]

    Returns
    -------
    pandas.DataFrame
        ``metric, unit``, one column per window (``current``, ``previous``, and for a
        month ``last_year``, ``ytd``, ``ytd_last_year``), the changes (``mom_pct``,
        ``yoy_pct``, ``ytd_yoy_pct``; annual ``yoy_pct``) and ``change_unit`` (``%``
        relative change, or ``pp`` percentage points for shares).
    """
    import pandas as pd

    rows_by_period = intensities.set_index("period")
    values: dict[str, dict] = {m: {} for m, _ in METRICS}
    for name, window in windows.items():
        row = rows_by_period.loc[INTENSITY_ROWS[name]]
        for metric in INTENSITY_METRICS:
            values[metric][name] = float(row[metric])
        _series_metrics(values, series, name, window)
        values["solid_waste_utilization_pct"][name] = waste_pct.get(name, math.nan)
        values["clean_energy_share_pct"][name] = clean_pct.get(name, math.nan)
    rows = []
    for metric, unit in METRICS:
        row = {"metric": metric, "unit": unit}
        row.update({column: values[metric][w] for column, w in COLUMNS[kind].items()})
        for change, (now, before) in CHANGE_COLUMNS[kind].items():
            row[change] = _change(values[metric][now], values[metric][before], unit)
        row["change_unit"] = "pp" if unit == "%" else "%"
        rows.append(row)
    return pd.DataFrame(rows)


def _change(now: float, before: float, unit: str) -> float:
    """Relative change [%], or the difference of two shares [pp]."""
    if unit != "%":
        return change_pct(now, before)
    if now is None or before is None or math.isnan(now) or math.isnan(before):
        return math.nan
    return now - before


def _series_metrics(values: dict, series, name: str, window) -> None:
    """Electricity and on-site PV of a window from the monthly series (NaN unless every
    month of the window has readings)."""
    wanted = {f"{m:%Y-%m}" for m in window.months}
    rows = series[series["month"].isin(wanted)]
    complete = (
        len(rows) == len(wanted) and "energy_tce" in rows and rows["energy_tce"].notna().all()
    )
    sums = {
        c: float(rows[c].sum()) if complete else math.nan
        for c in ("electricity_kwh", "pv_generation_kwh", "grid_export_kwh")
    }
    values["electricity_kwh"][name] = sums["electricity_kwh"]
    values["pv_generation_kwh"][name] = sums["pv_generation_kwh"]
    used = max(sums["pv_generation_kwh"] - sums["grid_export_kwh"], 0.0) if complete else math.nan
    values["pv_self_consumed_pct"][name] = 100.0 * safe_divide(used, sums["pv_generation_kwh"])
