"""What closes the gap to the core indicator: zero-carbon electricity needed, the natural
gas still allowed, the part rooftop PV supplies, green power and GECs.

Every factor comes from the park's FactorBook (through the ledger lines, or looked up per
month where a period has no such lines), so overrides and the factor level apply.
"""

from __future__ import annotations

import math

from greenpark.core.config.zero_carbon import ZeroCarbonSettings
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import ledger_for
from greenpark.metrics.zerocarbon.common import (
    book_mean,
    emissions_tco2,
    factor_ids,
    legacy_frame,
    park_period,
    settings_of,
)
from greenpark.metrics.zerocarbon.formulas import (
    core_threshold,
    electricity_gap_mwh,
    gas_allowed_nm3,
    meets,
)


def grid_slot(settings: ZeroCarbonSettings) -> str:
    """The FactorBook slot of the grid electricity a zero-carbon supply replaces."""
    if settings.emissions_basis == "market":
        return "electricity.market_residual"
    return "electricity.location"


def gap_result(
    store,
    period: Period | str,
    pv_potential_mwh: float | None = None,
    wind_potential_mwh: float | None = None,
) -> Result:
    """What it takes to meet the core indicator in ``period`` (normally a year).

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period or str
    pv_potential_mwh : float, optional
        Annual rooftop PV potential usable on site [MWh]; by default read from the park's
        stored PV estimate (``greenpark pv estimate``), else not available.
    wind_potential_mwh : float, optional
        Annual distributed wind energy usable on site [MWh]; by default the
        ``wind estimate`` of the stored wind sites, else not available (a lever after PV).

    Returns
    -------
    Result
        ``frame``: one row, ``period, emissions_tco2, energy_tce, tco2_per_tce,
        threshold_tco2_per_tce, allowed_emissions_tco2, excess_emissions_tco2,
        grid_factor_tco2_per_mwh, grid_purchase_uncovered_mwh,
        zero_carbon_electricity_needed_mwh, electricity_alone_sufficient,
        natural_gas_tco2, natural_gas_nm3, natural_gas_allowed_nm3,
        excess_after_zero_carbon_electricity_tco2, rooftop_pv_potential_mwh,
        rooftop_pv_closes_mwh, green_power_needed_mwh, gecs_needed,
        distributed_wind_potential_mwh, distributed_wind_closes_mwh``. ``inputs``:
        ``period``, ``basis``, ``factor_slot``, ``factor_ids``, ``threshold_tco2_per_tce``.
    """
    import pandas as pd

    period = park_period(store, period)
    settings = settings_of(store)
    led = ledger_for(store, period)
    lines, book = led.lines, store.factor_book()
    energy, emissions = float(lines["energy_tce"].sum()), emissions_tco2(lines, settings)
    _, threshold, _ = core_threshold(energy)
    slot = grid_slot(settings)
    uncovered_mwh, factor = grid_purchase(lines, settings, book, slot, period)
    gas = natural_gas(lines, book, period)
    pv = _pv_potential(store) if pv_potential_mwh is None else pv_potential_mwh
    wind, wind_notes = (
        wind_potential(store) if wind_potential_mwh is None else (wind_potential_mwh, [])
    )
    row = gap_row(emissions, energy, threshold, uncovered_mwh, factor, gas, pv, wind)
    frame = pd.DataFrame([{"period": period.label, **row}])
    inputs = {
        "period": period.label,
        "basis": settings.emissions_basis,
        "factor_slot": slot,
        "factor_ids": factor_ids(lines),
        "threshold_tco2_per_tce": threshold,
    }
    findings = list(led.findings) + _gap_findings(row, period.label) + wind_notes
    return Result(frame, findings, inputs)


def gap(store, year, pv_potential_mwh: float | None = None):
    """:func:`gap_result` for a calendar year as a DataFrame (``frame.attrs`` carries
    ``findings`` and ``basis``)."""
    return legacy_frame(gap_result(store, park_period(store, year=year), pv_potential_mwh))


def gap_row(
    emissions, energy, threshold, uncovered_mwh, factor, gas: dict, pv, wind=math.nan
) -> dict:
    """The gap figures from the period's totals (see :func:`gap_result` for the columns).

    Parameters
    ----------
    emissions, energy : float
        [tCO2], [tce]
    threshold : float
        [tCO2/tce]
    uncovered_mwh, factor : float
        Grid purchase still emitting [MWh] and its factor [tCO2/MWh].
    gas : dict
        ``nm3, tco2, tce, factor`` [tCO2/Nm3], ``kgce`` [kgce/Nm3].
    pv : float
        Rooftop PV usable on site; NaN when not estimated. [MWh]
    wind : float
        Distributed wind usable on site, after PV; NaN when there are no wind sites. [MWh]
    """
    needed = electricity_gap_mwh(emissions, energy, threshold, factor)
    other_em = emissions - gas["tco2"] - uncovered_mwh * factor
    allowed = (
        gas_allowed_nm3(threshold, energy - gas["tce"], other_em, gas["factor"], gas["kgce"])
        if gas["factor"]
        else math.nan
    )
    replaceable = min(needed, uncovered_mwh)
    pv_closes = min(replaceable, pv) if pv == pv else math.nan
    green = replaceable - (pv_closes if pv_closes == pv_closes else 0.0)
    wind_closes = min(green, wind) if wind == wind else math.nan
    green -= wind_closes if wind_closes == wind_closes else 0.0
    return {
        "emissions_tco2": emissions,
        "energy_tce": energy,
        "tco2_per_tce": carbon.intensity(emissions, energy),
        "threshold_tco2_per_tce": threshold,
        "allowed_emissions_tco2": threshold * energy,
        "excess_emissions_tco2": max(0.0, emissions - threshold * energy),
        "grid_factor_tco2_per_mwh": factor,
        "grid_purchase_uncovered_mwh": uncovered_mwh,
        "zero_carbon_electricity_needed_mwh": needed,
        "electricity_alone_sufficient": meets(needed, "<=", uncovered_mwh),
        "natural_gas_tco2": gas["tco2"],
        "natural_gas_nm3": gas["nm3"],
        "natural_gas_allowed_nm3": allowed,
        "excess_after_zero_carbon_electricity_tco2": max(
            0.0, emissions - uncovered_mwh * factor - threshold * energy
        ),
        "rooftop_pv_potential_mwh": pv,
        "rooftop_pv_closes_mwh": pv_closes,
        "green_power_needed_mwh": green,
        "gecs_needed": math.ceil(green - 1e-9) if green > 0 else 0,
        "distributed_wind_potential_mwh": wind,
        "distributed_wind_closes_mwh": wind_closes,
    }


def grid_purchase(lines, settings: ZeroCarbonSettings, book, slot: str, period: Period):
    """Grid electricity still emitting [MWh], and its factor [tCO2/MWh]: the period
    average of the ledger lines, or the FactorBook's mean over the months when nothing
    was bought."""
    if settings.emissions_basis == "market":
        part = lines[(lines["basis"] == "market") & (lines["factor_id"] != "zero_emission")]
    else:
        part = lines[lines["source"].eq("electricity") & lines["basis"].eq("location")]
    mwh = float(part["quantity"].sum()) / 1000.0
    tco2 = float(part["emissions_tco2"].sum())
    if mwh > 0:
        return mwh, tco2 / mwh
    return 0.0, book_mean(book, slot, period.months)


def natural_gas(lines, book, period: Period) -> dict:
    """Natural gas burnt in the period: ``nm3``, ``tco2``, ``tce``, its factor
    [tCO2/Nm3] and standard-coal coefficient [kgce/Nm3], both from the FactorBook."""
    gas = lines[(lines["source"] == "natural_gas") & (lines["basis"] == "both")]
    nm3 = float(gas["quantity"].sum())
    tco2 = float(gas["emissions_tco2"].sum())
    if nm3:
        factor = tco2 / nm3
    else:
        factor = float(gas["factor_value"].iloc[0]) if len(gas) else 0.0
    return {
        "nm3": nm3,
        "tco2": tco2,
        "tce": float(gas["energy_tce"].sum()),
        "factor": factor,
        "kgce": book_mean(book, "tce.natural_gas", period.months),
    }


def _pv_potential(store) -> float:
    """Annual energy of new rooftop PV in the latest stored estimate (``greenpark pv
    estimate``): each roof's annual energy x new capacity / capacity. [MWh]

    All of it is taken as used on site: a park load is far above its rooftop PV (the
    estimate's own self-consumption figures refine this).
    """
    row = store.con.execute("""
        SELECT count(*), sum(annual_energy_kwh * new_capacity_kwp / nullif(capacity_kwp, 0))
        FROM pv_roof_results WHERE run_id = (SELECT max(run_id) FROM pv_runs)""").fetchone()
    if not row[0]:
        return math.nan
    return float(row[1] or 0.0) / 1000.0


def wind_potential(store) -> tuple[float, list[Finding]]:
    """Annual energy of the stored wind sites (``greenpark wind estimate`` on the default
    weather) [MWh]; NaN without wind sites, or with a finding when no weather with wind
    data is stored. All of it is taken as used on site, as the PV potential
    (``greenpark energy-mix`` refines it)."""
    from greenpark.core.errors import GreenparkError
    from greenpark.metrics.wind.estimate import wind_estimate

    if not store.con.execute("SELECT count(*) FROM wind_sites").fetchone()[0]:
        return math.nan, []
    try:
        wind = wind_estimate(store)
    except GreenparkError as exc:
        note = f"wind sites stored but not estimated ({exc}): wind is left out of the gap"
        return math.nan, [Finding("zero_carbon.wind", note, data={})]
    stated = [f for f in wind.findings if f.code == "wind.resource"]  # height, roughness
    return float(wind.frame["annual_energy_kwh"].sum()) / 1000.0, stated


def _gap_findings(row: dict, label: str) -> list[Finding]:
    out = []
    if not row["electricity_alone_sufficient"]:
        out.append(
            Finding(
                "zero_carbon.gap",
                "replacing all remaining grid purchases "
                f"({row['grid_purchase_uncovered_mwh']:,.0f} MWh) does not reach the "
                "threshold: fuel and heat emissions must fall too (see "
                "natural_gas_allowed_nm3)",
                data={"period": label, "uncovered_mwh": row["grid_purchase_uncovered_mwh"]},
            )
        )
    if row["rooftop_pv_potential_mwh"] != row["rooftop_pv_potential_mwh"]:
        out.append(
            Finding(
                "zero_carbon.pv",
                "no rooftop PV estimate stored; run 'greenpark pv estimate' to see how much "
                "of the gap the roofs close",
                severity="info",
                data={"period": label},
            )
        )
    return out
