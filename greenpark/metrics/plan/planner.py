"""``greenpark plan pathway``: the levers of park.toml (or a file) evaluated on the park's
base year, the MACC, the cheapest combination and the year-by-year path, as one Result."""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide


def pathway_result(store, target_year: int | None = None, levers=None, period=None) -> Result:
    """The pathway to the core indicator's threshold by ``target_year``.

    Parameters
    ----------
    store : greenpark.store.Store
    target_year : int, optional
        Default ``[zero_carbon]`` ``target_year``.
    levers : sequence of Lever, optional
        Default ``[[plan.levers]]`` of park.toml.
    period : Period, str or int, optional
        The base year (a calendar year of metered data; default the newest full one).

    Returns
    -------
    Result
        ``frame``: the MACC (:data:`~greenpark.metrics.plan.pathway.MACC_COLUMNS`);
        ``tables``: ``path`` (year by year), ``baseline`` (one row); ``inputs``: base
        year, target year, basis, threshold, discount rate, factor ids, assumptions.
    """
    import pandas as pd

    from greenpark.metrics.plan.baseline import baseline
    from greenpark.metrics.plan.levers import Context, effects
    from greenpark.metrics.plan.pathway import plan_pathway
    from greenpark.metrics.plan.sizing import assumptions_of
    from greenpark.metrics.pv.value import value_period

    park = store.park()
    target = park.zero_carbon.target_year if target_year is None else int(target_year)
    period = value_period(store, period)
    if target <= period.first.year:
        raise GreenparkError(
            f"plan pathway: --target-year {target} must be after the base year {period.first.year}"
        )
    base = baseline(store, period)
    levers = park.plan.levers if levers is None else tuple(levers)
    if not levers:
        raise GreenparkError(
            "plan pathway: no levers: add [[plan.levers]] to park.toml or give --levers FILE "
            "(docs/config.md)"
        )
    ctx = Context(base, park.plan.discount_rate, park.tariff)
    ctx.pv_roofs = _once(lambda: _pv_roofs(store, period))
    ctx.storage = lambda energy, power: _storage(store, period, energy, power)
    curve, path, found = plan_pathway(effects(levers, ctx), base, target)
    findings = _collapsed(base.findings) + ctx.findings + found + [_held_constant(base, target)]
    inputs = {
        "base_year": base.year,
        "target_year": target,
        "basis": base.basis,
        "threshold_tco2_per_tce": base.threshold_tco2_per_tce,
        "discount_rate": park.plan.discount_rate,
        "factor_ids": base.factor_ids,
        "assumptions": assumptions_of(park),
    }
    row = {
        "base_year": base.year,
        "basis": base.basis,
        "emissions_tco2": base.emissions_tco2,
        "energy_tce": base.energy_tce,
        "tco2_per_tce": base.indicator_tco2_per_tce,
        "threshold_tco2_per_tce": base.threshold_tco2_per_tce,
        "grid_uncovered_mwh": base.grid_uncovered_mwh,
        "grid_factor_tco2_per_mwh": base.factors["grid"],
    }
    tables = {"path": path, "baseline": pd.DataFrame([row])}
    return Result(curve, findings, inputs, tables)


def _collapsed(findings) -> list[Finding]:
    """The base year's ledger findings once per code and subject (a factor fallback is
    said once, not for each of the twelve months)."""
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.data.get("factor_id"), f.data.get("instrument_id"), f.data.get("meter_id"))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _once(build):
    cache = []

    def get():
        if not cache:
            cache.append(build())
        return cache[0]

    return get


def _pv_roofs(store, period):
    """Roofs with the energy they would use on site and the bill they would save: the
    park's share of new PV used on site (all roofs built, no battery) applied to each."""
    from greenpark.metrics.plan.dispatch import Battery, dispatch
    from greenpark.metrics.plan.inputs import interval_data, new_pv_kwh, roof_table
    from greenpark.metrics.plan.tariff import period_codes

    roofs = roof_table(store)
    if roofs.empty:
        return roofs
    data = interval_data(store, period)
    tariff = store.park().tariff
    codes = period_codes(data.months, data.hours, tariff)
    new = new_pv_kwh(store, roofs, data)
    args = (codes, data.month_index, tariff, Battery(0, 0), data.step_h)
    before = dispatch(data.load_kwh, data.pv_existing_kwh, *args)
    after = dispatch(data.load_kwh, data.pv_existing_kwh + new, *args)
    extra_export = float(after.series["export_kwh"].sum() - before.series["export_kwh"].sum())
    total = float(new.sum())
    used_share = safe_divide(total - extra_export, total)
    saving_per_kwh = safe_divide(
        before.bill_after["total_cny"] - after.bill_after["total_cny"], total
    )
    energy = roofs["new_annual_energy_kwh"]
    return roofs.assign(
        used_mwh=energy * used_share / 1000.0,
        savings_cny=energy * saving_per_kwh,
        lifetime_years=store.park().economics.lifetime_years,
    )


def _storage(store, period, energy_kwh, power_kw):
    """The battery's yearly figures against the metered load and PV (or None without a
    size)."""
    from greenpark.metrics.plan.dispatch import dispatch
    from greenpark.metrics.plan.inputs import interval_data
    from greenpark.metrics.plan.sizing import battery_capex_cny, battery_of
    from greenpark.metrics.plan.tariff import period_codes

    settings = store.park().plan.storage
    energy = energy_kwh or settings.energy_kwh
    if not energy:
        return None
    battery = battery_of(settings, energy, power_kw or settings.power_kw)
    data = interval_data(store, period)
    tariff = store.park().tariff
    codes = period_codes(data.months, data.hours, tariff)
    found = dispatch(
        data.load_kwh, data.pv_existing_kwh, codes, data.month_index, tariff, battery, data.step_h
    )
    capex = battery_capex_cny(settings, battery)
    series = found.series
    return {
        "capex_cny": capex,
        "om_cny": capex * settings.om_pct_of_capex_per_year / 100.0,
        "savings_cny": found.bill_before["total_cny"]
        - found.bill_after["total_cny"]
        - found.degradation_cny,
        "import_reduction_mwh": float(
            series["grid_import_before_kwh"].sum() - series["grid_import_kwh"].sum()
        )
        / 1000.0,
        "lifetime_years": settings.lifetime_years,
    }


def _held_constant(base, target: int) -> Finding:
    return Finding(
        "plan.activity_constant",
        f"the path holds the base year {base.year}'s activity, energy mix and factors "
        f"constant to {target}: only the levers change emissions and energy",
        severity="info",
        data={"base_year": base.year, "target_year": target},
    )


def plan_storage(store, year=None, sizes=None, pv_steps: int = 1):
    """:func:`~greenpark.metrics.plan.sizing.storage_plan` as a DataFrame (``attrs``:
    findings, inputs and the ``bill`` and ``roofs`` tables)."""
    from greenpark.metrics.plan.sizing import storage_plan

    return storage_plan(store, year, sizes, pv_steps).to_frame()


def plan_pathway(store, target_year=None, levers=None, year=None):
    """:func:`pathway_result`'s MACC as a DataFrame (``attrs``: findings, inputs and the
    ``path`` and ``baseline`` tables)."""
    return pathway_result(store, target_year, levers, year).to_frame()
