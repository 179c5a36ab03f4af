"""``greenpark energy-mix``: modelled wind and PV against the metered load, hour by hour.

Three rows: new rooftop PV alone (the current ``pv estimate``), distributed wind alone
(``wind estimate`` of the stored sites) and both together. In each hour the new
generation covers grid import first and exports the rest
(:func:`greenpark.metrics.pv.economics.self_consumption`), so the combined row is not the
sum of the two single rows where both generate more than the park imports. Formulas:
docs/methodology.md, "Distributed wind".
"""

from __future__ import annotations

import math

from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.core.periods import Period

SOURCES = ("pv", "wind", "pv_and_wind")
NIGHT_HOURS = (18, 6)  # local hours [18:00, 06:00) count as night
WINTER_MONTHS = (12, 1, 2)
COLUMNS = [
    "source",
    "year",
    "capacity_kw",
    "energy_kwh",
    "night_energy_pct",
    "winter_energy_pct",
    "self_consumed_kwh",
    "exported_kwh",
    "self_consumption_pct",
    "zero_carbon_gap_mwh",
    "gap_closed_mwh",
    "gap_closed_pct",
    "co2_avoided_tco2",
    "grid_factor_tco2_per_mwh",
    "capex_cny",
    "om_cny",
    "savings_cny",
    "export_income_cny",
    "simple_payback_years",
    "lcoe_cny_per_kwh",
]


def energy_mix(
    store,
    period: Period | str | int | None = None,
    weather: str | None = None,
    mast=None,
    timezone: str | None = None,
) -> Result:
    """PV, wind and both against the metered load of a calendar year.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, str or int, optional
        A calendar year of metered load (default: the newest fully metered year).
    weather, mast, timezone : optional
        The wind resource, as :func:`greenpark.metrics.wind.estimate.wind_estimate`.

    Returns
    -------
    Result
        ``frame``: one row per source of :data:`SOURCES` (:data:`COLUMNS`); ``inputs``:
        ``period``, ``pv_run_id``, ``wind_resource``, ``factor_ids``, ``assumptions``.
    """
    import numpy as np

    from greenpark.metrics.pv.value import (
        _coverage_findings,
        _metered_load,
        hourly_factors,
        value_period,
    )
    from greenpark.metrics.wind.estimate import wind_estimate

    park = store.park()
    period = value_period(store, period)
    load, hours = _metered_load(store.con, period)
    grid_import = load["grid_import_kwh"].fillna(0.0).to_numpy()
    findings = _coverage_findings(load, period)
    pv, pv_money, pv_run = _pv_side(store, hours, findings)
    wind = wind_estimate(store, weather=weather, mast=mast, timezone=timezone)
    findings += wind.findings
    wind_kwh = _wind_on_hours(wind, hours)
    wind_money = _wind_money(wind.frame)
    factors = hourly_factors(store.factor_book(), hours, period)
    gap_mwh = _gap_mwh(store, period, findings)
    prices = np.asarray(park.tariff.hourly_prices())[hours.tz_convert(park.timezone).hour]
    context = (grid_import, factors, prices, park.tariff.export_cny_per_kwh, gap_mwh, hours, park)
    rows = [
        source_row("pv", pv, pv_money, context),
        source_row("wind", wind_kwh, wind_money, context),
        source_row("pv_and_wind", pv + wind_kwh, _sum_money(pv_money, wind_money), context),
    ]
    frame = _frame(rows, period.first.year)
    inputs = {
        "period": period.label,
        "pv_run_id": pv_run,
        "wind_resource": wind.inputs["resource"],
        "wind_height_m": wind.inputs["wind_height_m"],
        "factor_slot": "electricity.location",
        "factor_ids": sorted({f.factor_id for f in factors}),
        "assumptions": wind.inputs["assumptions"],
        "attribution": "each row on its own: the combined row is one hourly balance",
    }
    return Result(frame, findings, inputs, {"sites": wind.frame})


def source_row(source: str, gen, money: dict, context) -> dict:
    """The figures of one source (or both) from its hourly generation [kWh]."""
    import numpy as np

    from greenpark.metrics.pv import economics as pe
    from greenpark.metrics.pv.value import co2_figures

    grid_import, factors, prices, export_price, gap_mwh, hours, park = context
    used, exported = pe.self_consumption(gen, grid_import)
    local = hours.tz_convert(park.timezone)
    night = (local.hour >= NIGHT_HOURS[0]) | (local.hour < NIGHT_HOURS[1])
    winter = np.isin(local.month, WINTER_MONTHS)
    total = float(gen.sum())
    co2 = co2_figures(gen, used, factors)
    savings = float(np.sum(used * prices))
    export_income = float(exported.sum()) * export_price
    net = savings + export_income - money["om_cny"]
    closed = min(float(used.sum()) / 1000.0, gap_mwh) if gap_mwh == gap_mwh else math.nan
    return {
        "source": source,
        "capacity_kw": money["capacity_kw"],
        "energy_kwh": total,
        "night_energy_pct": pe.share_pct(float(gen[night].sum()), total),
        "winter_energy_pct": pe.share_pct(float(gen[winter].sum()), total),
        "self_consumed_kwh": float(used.sum()),
        "exported_kwh": float(exported.sum()),
        "self_consumption_pct": pe.share_pct(float(used.sum()), total),
        "zero_carbon_gap_mwh": gap_mwh,
        "gap_closed_mwh": closed,
        "gap_closed_pct": pe.share_pct(closed, gap_mwh),
        "co2_avoided_tco2": co2["co2_avoided_tco2"],
        "grid_factor_tco2_per_mwh": co2["grid_factor_tco2_per_mwh"],
        "capex_cny": money["capex_cny"],
        "om_cny": money["om_cny"],
        "savings_cny": savings,
        "export_income_cny": export_income,
        "simple_payback_years": pe.simple_payback_years(money["capex_cny"], net),
        "lcoe_cny_per_kwh": money["lcoe_cny_per_kwh"],
    }


def _frame(rows: list[dict], year: int):
    import pandas as pd

    return pd.DataFrame([{**r, "year": year} for r in rows], columns=COLUMNS)


def _pv_side(store, hours, findings: list):
    """New PV per hour, its money figures and the run id (zeros and a finding without a
    stored PV estimate)."""
    import numpy as np

    from greenpark.core.errors import GreenparkError
    from greenpark.metrics.pv import economics as pe
    from greenpark.metrics.pv.value import _capex, _current_run, _new_pv

    try:
        run = _current_run(store.con)
    except GreenparkError:
        findings.append(
            Finding(
                "energy_mix.no_pv",
                "no PV estimate stored ('greenpark pv estimate'): the PV row is zero",
                severity="info",
            )
        )
        zero = {"capacity_kw": 0.0, "capex_cny": 0.0, "om_cny": 0.0, "lcoe_cny_per_kwh": math.nan}
        return np.zeros(len(hours)), zero, None
    econ = store.park().economics
    pv = _new_pv(store.con, run["run_id"], hours)
    capex, kwp = _capex(store.con, run["run_id"], econ)
    om = econ.om_cny_per_kwp_year * kwp
    lcoe = pe.lcoe_cny_per_kwh(
        capex,
        om,
        float(pv.sum()),
        econ.discount_rate,
        econ.lifetime_years,
        econ.degradation_pct_per_year,
    )
    money = {"capacity_kw": kwp, "capex_cny": capex, "om_cny": om, "lcoe_cny_per_kwh": lcoe}
    return pv, money, run["run_id"]


def _wind_on_hours(wind: Result, hours):
    """The park's wind output (all sites) placed on the period's hours. [kWh]"""
    import numpy as np

    from greenpark.metrics.pv.value import align_by_utc_hour

    hourly = wind.tables["hourly"].sum(axis=1).resample("1h").sum()  # a 10-min mast: hours
    return np.nan_to_num(align_by_utc_hour(hourly.index, hourly.to_numpy(), hours))


def _wind_money(sites) -> dict:
    """Capacity, capex, O&M and the energy-weighted LCOE of all wind sites."""
    energy = float(sites["annual_energy_kwh"].sum())
    cost = float((sites["lcoe_cny_per_kwh"] * sites["annual_energy_kwh"]).sum())
    return {
        "capacity_kw": float(sites["capacity_kw"].sum()),
        "capex_cny": float(sites["capex_cny"].sum()),
        "om_cny": float(sites["om_cny_per_year"].sum()),
        "lcoe_cny_per_kwh": safe_divide(cost, energy),
    }


def _sum_money(pv: dict, wind: dict) -> dict:
    out = {k: pv[k] + wind[k] for k in ("capacity_kw", "capex_cny", "om_cny")}
    out["lcoe_cny_per_kwh"] = math.nan  # different lifetimes: no one LCOE
    return out


def _gap_mwh(store, period: Period, findings: list) -> float:
    """Zero-carbon electricity the park still needs in the period (the gap analysis). [MWh]"""
    from greenpark.metrics.zerocarbon.gap_analysis import gap_result

    row = gap_result(store, period, pv_potential_mwh=0.0, wind_potential_mwh=0.0).frame.iloc[0]
    gap = min(row["zero_carbon_electricity_needed_mwh"], row["grid_purchase_uncovered_mwh"])
    if gap <= 0:
        findings.append(
            Finding(
                "energy_mix.no_gap",
                f"the park meets the core indicator in {period.label}: no gap to close",
                severity="info",
                data={"period": period.label},
            )
        )
    return float(gap)
