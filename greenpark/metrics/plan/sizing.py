"""``greenpark plan storage``: sweep battery sizes and PV build-out, dispatch each optimally
and rank them by NPV.

PV is built out roof by roof in order of LCOE (the current ``pv estimate``); for each
build-out step the bill without a battery is the reference of the battery's savings.
Formulas: docs/planning.md, "Sizing".
"""

from __future__ import annotations

import math

from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.metrics.plan import finance
from greenpark.metrics.plan.dispatch import Battery, dispatch

SWEEP_HOURS = (0.5, 1.0, 2.0, 4.0)  # default sizes: hours of the mean load
COLUMNS = (
    "pv_roofs",
    "pv_new_kwp",
    "battery_kwh",
    "battery_kw",
    "pv_capex_cny",
    "battery_capex_cny",
    "capex_cny",
    "bill_before_cny",
    "bill_after_cny",
    "annual_savings_cny",
    "om_cny",
    "simple_payback_years",
    "npv_cny",
    "irr_pct",
    "self_use_pct",
    "self_use_floor_met",
    "cycles",
    "best_npv",
)


def battery_of(storage, energy_kwh: float, power_kw: float | None = None) -> Battery:
    """A :class:`Battery` of ``energy_kwh`` with ``[plan.storage]``'s other settings (power
    = energy / duration unless given)."""
    if power_kw is None or power_kw <= 0:
        power_kw = safe_divide(energy_kwh, storage.duration_h) if energy_kwh else 0.0
    return Battery(
        energy_kwh=float(energy_kwh),
        power_kw=float(power_kw),
        round_trip_efficiency=storage.round_trip_efficiency,
        soc_min_pct=storage.soc_min_pct,
        soc_max_pct=storage.soc_max_pct,
        soc_initial_pct=storage.soc_initial_pct,
        degradation_cny_per_kwh=storage.degradation_cny_per_kwh,
    )


def battery_capex_cny(storage, battery: Battery) -> float:
    """energy x CNY/kWh + power x CNY/kW. [CNY]"""
    return (
        battery.energy_kwh * storage.capex_cny_per_kwh + battery.power_kw * storage.capex_cny_per_kw
    )


def default_sizes_kwh(data, storage) -> list[float]:
    """``[plan.storage]`` ``sizes_kwh``, or ``energy_kwh``, or :data:`SWEEP_HOURS` x the
    mean load (rounded to 10 kWh); always with 0 (no battery) first."""
    if storage.sizes_kwh:
        sizes = list(storage.sizes_kwh)
    elif storage.energy_kwh:
        sizes = [storage.energy_kwh]
    else:
        mean_kw = float(data.load_kwh.sum()) / (len(data.load_kwh) * data.step_h)
        sizes = [round(h * mean_kw / 10.0) * 10.0 for h in SWEEP_HOURS]
    return [0.0, *sorted({s for s in sizes if s > 0})]


def pv_steps(roofs, steps: int) -> list[int]:
    """Numbers of roofs (cheapest LCOE first) at each of ``steps`` + 1 build-out steps."""
    n = len(roofs)
    if n == 0 or steps <= 0:
        return [0]
    return sorted({math.ceil(k * n / steps) for k in range(steps + 1)})


def sweep(data, roofs, new_pv_of, tariff, storage, econ, sizes, steps: int, rate: float):
    """Dispatch every (PV step, battery size) and price it.

    Parameters
    ----------
    data : greenpark.metrics.plan.inputs.IntervalData
    roofs : pandas.DataFrame
        :func:`greenpark.metrics.plan.inputs.roof_table` (cheapest first).
    new_pv_of : callable
        ``new_pv_of(roofs_subset) -> array`` of new PV per interval. [kWh]
    tariff, storage, econ
        ``[tariff]``, ``[plan.storage]``, ``[pv.economics]``.
    sizes : list of float
        Battery energies, 0 first. [kWh]
    steps : int
        PV build-out steps.
    rate : float
        Discount rate. [1/a]

    Returns
    -------
    (pandas.DataFrame, tuple)
        :data:`COLUMNS` per combination; and for the best by NPV its bill components
        (with the new PV, with PV and battery, as metered) and dispatch series.
    """
    import pandas as pd

    from greenpark.metrics.plan.tariff import period_codes

    codes = period_codes(data.months, data.hours, tariff)
    args = (codes, data.month_index, tariff)
    base = dispatch(data.load_kwh, data.pv_existing_kwh, *args, Battery(0, 0), data.step_h)
    rows, bills = [], {}
    for n_roofs in pv_steps(roofs, steps):
        chosen = roofs.iloc[:n_roofs]
        pv = data.pv_existing_kwh + new_pv_of(chosen)
        for size in sizes:
            battery = battery_of(storage, size)
            found = dispatch(data.load_kwh, pv, *args, battery, data.step_h)
            row, reference = _row(found, base, chosen, battery, storage, econ, rate, tariff)
            if size == 0:
                reference_bill = found.bill_after["total_cny"]
            row.update(_finance(row, reference_bill, storage, econ, rate, found))
            rows.append(row)
            bills[len(rows) - 1] = (found.bill_before, found.bill_after, reference, found.series)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    best = int(frame["npv_cny"].idxmax()) if frame["npv_cny"].notna().any() else 0
    frame["best_npv"] = frame.index == best
    return frame, bills[best]


def _row(found, base, chosen, battery, storage, econ, rate, tariff) -> tuple[dict, dict]:
    pv_total = float(found.series["pv_kwh"].sum())
    exported = float(found.series["export_kwh"].sum())
    self_use = safe_divide(pv_total - exported, pv_total) * 100.0
    floor = tariff.self_use_floor_pct
    row = {
        "pv_roofs": len(chosen),
        "pv_new_kwp": float(chosen["new_capacity_kwp"].sum()),
        "battery_kwh": battery.energy_kwh,
        "battery_kw": battery.power_kw,
        "pv_capex_cny": float(chosen["capex_cny"].sum()),
        "battery_capex_cny": battery_capex_cny(storage, battery),
        "bill_before_cny": base.bill_after["total_cny"],
        "bill_after_cny": found.bill_after["total_cny"] + found.degradation_cny,
        "self_use_pct": self_use,
        "self_use_floor_met": bool(self_use >= floor) if self_use == self_use else True,
        "cycles": found.cycles,
        "_pv_om": float(chosen["om_cny_per_year"].sum()),
    }
    row["capex_cny"] = row["pv_capex_cny"] + row["battery_capex_cny"]
    row["annual_savings_cny"] = row["bill_before_cny"] - row["bill_after_cny"]
    return row, base.bill_after


def _finance(row: dict, reference_bill: float, storage, econ, rate: float, found) -> dict:
    """PV cash flows (degrading, PV lifetime) + battery cash flows (its lifetime)."""
    pv_om = row.pop("_pv_om")
    battery_om = row["battery_capex_cny"] * storage.om_pct_of_capex_per_year / 100.0
    pv_benefit = row["bill_before_cny"] - reference_bill - pv_om
    battery_benefit = reference_bill - row["bill_after_cny"] - battery_om
    growth = -econ.degradation_pct_per_year / 100.0
    pv_flows = finance.cash_flows(row["pv_capex_cny"], pv_benefit, econ.lifetime_years, growth)
    bat_flows = finance.cash_flows(
        row["battery_capex_cny"], battery_benefit, storage.lifetime_years
    )
    years = max(len(pv_flows), len(bat_flows))
    flows = [
        (pv_flows[t] if t < len(pv_flows) else 0.0) + (bat_flows[t] if t < len(bat_flows) else 0.0)
        for t in range(years)
    ]
    net = pv_benefit + battery_benefit
    capex = row["capex_cny"]
    return {
        "om_cny": pv_om + battery_om,
        "simple_payback_years": finance.simple_payback_years(capex, net) if capex else math.nan,
        "npv_cny": finance.npv_of(flows, rate),
        "irr_pct": finance.irr_of(flows) * 100.0 if capex else math.nan,
    }


def storage_plan(store, period=None, sizes=None, steps: int = 1) -> Result:
    """:func:`sweep` on the park's metered year (``period``; default the newest full
    year) with its tariff, storage settings and PV estimate.

    Returns
    -------
    Result
        ``frame``: :data:`COLUMNS`; ``series`` (an attribute): the best's dispatch
        series (:func:`series_frame`); ``tables``: ``bill`` (components as metered, with
        the new PV, and with the new PV and the battery, for the best by NPV),
        ``roofs`` (the build-out order); ``inputs``: period, interval, discount rate,
        lifetimes, assumptions.
    """
    import pandas as pd

    from greenpark.metrics.plan.inputs import interval_data, new_pv_kwh, roof_table
    from greenpark.metrics.pv.value import value_period

    park = store.park()
    plan = park.plan
    period = value_period(store, period)
    data = interval_data(store, period)
    roofs = roof_table(store)
    sizes = default_sizes_kwh(data, plan.storage) if sizes is None else [0.0, *sizes]
    frame, (before, after, reference, series) = sweep(
        data,
        roofs,
        lambda chosen: new_pv_kwh(store, chosen, data),
        park.tariff,
        plan.storage,
        park.economics,
        sorted(set(sizes)),
        steps,
        plan.discount_rate,
    )
    bill = pd.DataFrame(
        {
            "component": list(before),
            "metered_cny": [reference.get(k, math.nan) for k in before],
            "with_new_pv_cny": list(before.values()),
            "with_new_pv_and_battery_cny": list(after.values()),
        }
    )
    bill["savings_cny"] = bill["metered_cny"] - bill["with_new_pv_and_battery_cny"]
    findings = list(data.findings) + _findings(frame, roofs, park.tariff, period.label)
    inputs = {
        "period": period.label,
        "interval_minutes": data.step_h * 60.0,
        "intervals": len(data.load_kwh),
        "discount_rate": plan.discount_rate,
        "pv_lifetime_years": park.economics.lifetime_years,
        "battery_lifetime_years": plan.storage.lifetime_years,
        "assumptions": assumptions_of(park),
    }
    tables = {"bill": bill, "roofs": roofs}
    result = Result(frame, findings, inputs, tables)
    result.series = series_frame(data, series)  # not in tables: 35,040 rows stay out of JSON
    return result


def series_frame(data, series: dict):
    """The dispatch series of the best combination, one row per interval: ``ts_utc``,
    ``ts_local`` (interval starts) and :data:`~greenpark.metrics.plan.dispatch.SERIES_COLUMNS`
    [kWh]."""
    import pandas as pd

    frame = pd.DataFrame(series)
    frame.insert(0, "ts_local", data.ts_utc.tz_convert(data.period.timezone).tz_localize(None))
    frame.insert(0, "ts_utc", data.ts_utc.tz_localize(None))
    return frame


def assumptions_of(park) -> list[dict]:
    """The tariff, storage, plan and PV economics settings used, each with its source."""
    from greenpark.core.config.plan import PLAN_DEFAULTS, STORAGE_DEFAULTS
    from greenpark.core.config.pv import ECONOMICS_DEFAULTS, assumptions
    from greenpark.core.config.tariffs import TARIFF_DEFAULTS

    return (
        assumptions(park.tariff, TARIFF_DEFAULTS, "tariff")
        + assumptions(park.plan.storage, STORAGE_DEFAULTS, "plan.storage")
        + assumptions(park.plan, PLAN_DEFAULTS, "plan")
        + assumptions(park.economics, ECONOMICS_DEFAULTS, "pv.economics")
    )


def _findings(frame, roofs, tariff, label: str) -> list[Finding]:
    out = []
    if roofs.empty:
        out.append(
            Finding(
                "plan.no_pv_estimate",
                "no rooftop PV estimate with new capacity: only the battery is sized "
                "(run 'greenpark pv estimate')",
                severity="info",
                data={"period": label},
            )
        )
    missed = frame[~frame["self_use_floor_met"]]
    if tariff.self_use_floor_pct and len(missed):
        out.append(
            Finding(
                "plan.self_use_floor",
                f"{len(missed)} combination(s) use less than the self-use floor of "
                f"{tariff.self_use_floor_pct:g} % of PV output on site",
                data={"period": label, "floor_pct": tariff.self_use_floor_pct},
            )
        )
    return out
