"""A tariff applied to interval data: period of each interval, its price, and the bill.

Pure functions over numpy arrays: local timestamps in, period codes (the index of
:data:`~greenpark.core.config.tariffs.ALL_PERIODS`), prices and bill components out.
Formulas: docs/planning.md, "Tariff and bill".
"""

from __future__ import annotations

from greenpark.core.config.tariffs import ALL_PERIODS

BILL_COMPONENTS = (
    *(f"energy_{p}_cny" for p in ALL_PERIODS),
    "demand_charge_cny",
    "capacity_charge_cny",
    "export_income_cny",
    "total_cny",
)


def period_codes(months, hours, tariff):
    """Period code of each interval from its local month and clock hour.

    Parameters
    ----------
    months, hours : array of int
        Local month (1-12) and hour (0-23) of each interval's start.
    tariff : greenpark.core.config.tariffs.Tariff

    Returns
    -------
    numpy.ndarray of int
        Index into :data:`ALL_PERIODS` per interval.
    """
    import numpy as np

    table = np.asarray(tariff.period_table(), dtype=int)
    return table[np.asarray(months, dtype=int), np.asarray(hours, dtype=int)]


def interval_prices(codes, tariff):
    """Purchase price of each interval. [CNY/kWh]"""
    import numpy as np

    return np.asarray(tariff.period_prices(), dtype=float)[codes]


def export_price(tariff) -> float:
    """Income per exported kWh: the export price, or 0 when export is not allowed
    (surplus PV is then curtailed). [CNY/kWh]"""
    return tariff.export_cny_per_kwh if tariff.export_allowed else 0.0


def monthly_peak_kw(import_kwh, month_index, step_h: float, n_months: int):
    """Maximum demand of each month: the largest interval import over the interval. [kW]"""
    import numpy as np

    peak = np.zeros(n_months)
    np.maximum.at(peak, month_index, np.asarray(import_kwh, dtype=float) / step_h)
    return peak


def bill(import_kwh, export_kwh, codes, month_index, tariff, step_h: float) -> dict:
    """The electricity bill of a series by component. [CNY]

    energy of period p = sum of import x price(p) over its intervals; demand charge =
    sum over months of maximum demand [kW] x demand charge [CNY/kW/month]; capacity
    charge = capacity [kVA] x charge [CNY/kVA/month] x months; export income = export x
    export price (0 without export); total = energy + demand + capacity - export income.

    Parameters
    ----------
    import_kwh, export_kwh : array
        Grid import and export per interval. [kWh]
    codes : array of int
        Period code per interval (:func:`period_codes`).
    month_index : array of int
        0-based month of each interval within the series.
    tariff : greenpark.core.config.tariffs.Tariff
    step_h : float
        Interval length. [h]

    Returns
    -------
    dict
        :data:`BILL_COMPONENTS` -> CNY.
    """
    import numpy as np

    imp = np.asarray(import_kwh, dtype=float)
    prices = interval_prices(codes, tariff)
    by_period = np.bincount(codes, weights=imp * prices, minlength=len(ALL_PERIODS))
    n_months = int(month_index.max()) + 1 if len(month_index) else 0
    peaks = monthly_peak_kw(imp, month_index, step_h, n_months)
    out = {f"energy_{p}_cny": float(by_period[i]) for i, p in enumerate(ALL_PERIODS)}
    out["demand_charge_cny"] = float(peaks.sum() * tariff.demand_charge_cny_per_kw_month)
    out["capacity_charge_cny"] = float(
        tariff.capacity_kva * tariff.capacity_charge_cny_per_kva_month * n_months
    )
    out["export_income_cny"] = float(np.sum(export_kwh) * export_price(tariff))
    out["total_cny"] = (
        float(by_period.sum())
        + out["demand_charge_cny"]
        + out["capacity_charge_cny"]
        - out["export_income_cny"]
    )
    return out
