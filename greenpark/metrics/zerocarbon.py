"""Zero-carbon park progress: the national indicator system, the trajectory from the 2025
base year, and what closes the gap.

References
----------
NDRC/MIIT/NEA notice on zero-carbon park construction (2025, No. 910), annex indicator
system (trial): core indicator CO2 per tce <= 0.2 (200k-1M tce/yr) or <= 0.3 (>= 1M
tce/yr), confidence A; guiding indicators, thresholds provisional (B). See
``greenpark/data/zero_carbon_park_indicators.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from functools import cache
from importlib import resources

from greenpark.core.config.zero_carbon import BASE_YEAR, ZeroCarbonSettings
from greenpark.core.errors import GreenparkError
from greenpark.core.periods import months_between
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import (
    build_ledger,
    location_total,
    market_total,
)

SMALL_BAND_MIN_TCE = 200_000.0
LARGE_BAND_MIN_TCE = 1_000_000.0
MIN_TREND_POINTS = 6
COLUMNS = [
    "indicator_id",
    "indicator_zh",
    "indicator_en",
    "period",
    "value",
    "unit",
    "comparison",
    "threshold",
    "status",
    "confidence",
    "provisional",
    "note",
]


@cache
def indicator_table() -> dict[str, dict]:
    """Rows of the shipped indicator system, by id."""
    path = resources.files("greenpark") / "data" / "zero_carbon_park_indicators.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def settings_of(store) -> ZeroCarbonSettings:
    return store.park().zero_carbon


def period_months(year=None, month=None) -> tuple[str, list[dt.date]]:
    """A calendar year, or the rolling 12 months ending with ``month``."""
    if (year is None) == (month is None):
        raise GreenparkError("give exactly one of --year YYYY or --month YYYY-MM")
    if year is not None:
        text = str(year).strip()
        if not (text.isdigit() and len(text) == 4):
            raise GreenparkError(f"--year {year!r}: expected YYYY")
        y = int(text)
        return text, months_between(dt.date(y, 1, 1), dt.date(y, 12, 1))
    from greenpark.core.periods import month_period

    last = month_period(month, "UTC").start_local.date()
    first = _shift(last, -11)
    return f"{first:%Y-%m}..{last:%Y-%m} (rolling 12 months)", months_between(first, last)


def _shift(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


# ------------------------------------------------------------------ pure functions
def core_threshold(annual_energy_tce: float) -> tuple[str, float, str]:
    """Size band of the core indicator from the park's annual energy use.

    Parameters
    ----------
    annual_energy_tce : float
        Comprehensive energy consumption of a year. [tce]

    Returns
    -------
    (indicator id, threshold [tCO2/tce], note)
    """
    table = indicator_table()
    if annual_energy_tce >= LARGE_BAND_MIN_TCE:
        return "core_large", float(table["core_large"]["threshold"]), ""
    note = (
        ""
        if annual_energy_tce >= SMALL_BAND_MIN_TCE
        else (
            "the park uses under 200k tce/yr: no official band was found; the 0.2 threshold of "
            "the 200k-1M tce band is applied"
        )
    )
    return "core_small", float(table["core_small"]["threshold"]), note


BOUNDARY_RTOL = 1e-9


def meets(value: float, comparison: str, threshold: float) -> bool:
    """Inclusive comparison, as the notice writes it (<=, >=); a value within a relative
    1e-9 of the threshold (floating-point noise) counts as on it."""
    slack = BOUNDARY_RTOL * max(abs(threshold), 1e-12)
    return value <= threshold + slack if comparison == "<=" else value >= threshold - slack


def electricity_gap_mwh(
    emissions_tco2: float, energy_tce: float, threshold: float, factor_tco2_per_mwh: float
) -> float:
    """Zero-carbon electricity that must replace grid purchases to meet the threshold.

    Replacing X MWh of grid electricity removes X x factor tCO2 and leaves energy use
    unchanged: X = (E - threshold x T) / factor, at least 0. [MWh]
    """
    excess = emissions_tco2 - threshold * energy_tce
    if excess <= 0:
        return 0.0
    return excess / factor_tco2_per_mwh


def gas_allowed_nm3(
    threshold: float,
    other_energy_tce: float,
    other_emissions_tco2: float,
    gas_tco2_per_nm3: float,
    gas_kgce_per_nm3: float,
) -> float:
    """Natural gas compatible with the threshold once grid electricity is zero-carbon.

    Solves G x g + E_other <= threshold x (T_other + G x k / 1000) for G. [Nm3]
    """
    denominator = gas_tco2_per_nm3 - threshold * gas_kgce_per_nm3 / 1000.0
    if denominator <= 0:
        return math.inf
    return max(0.0, (threshold * other_energy_tce - other_emissions_tco2) / denominator)


def linear_projection(
    months_index: list[float], values: list[float], years: list[int]
) -> dict[int, float]:
    """Least-squares line through (month index, value), evaluated at each December.

    ``months_index`` counts months from January of the base year (0 = Jan 2025).
    """
    n = len(values)
    mx, my = sum(months_index) / n, sum(values) / n
    sxx = sum((x - mx) ** 2 for x in months_index)
    slope = sum((x - mx) * (y - my) for x, y in zip(months_index, values, strict=True)) / sxx
    return {y: my + slope * ((y - BASE_YEAR) * 12 + 11 - mx) for y in years}


# ------------------------------------------------------------------ indicator engine
def indicators(store, year=None, month=None):
    """Every indicator of the national system for a year or the rolling 12 months to
    ``month``.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS``; ``status`` is ``met``, ``not_met``, ``not_applicable`` or
        ``insufficient_data``. ``frame.attrs``: ``findings``, ``definition`` (the
        clean-energy definition), ``basis``, ``period``.
    """
    import pandas as pd

    settings = settings_of(store)
    label, months = period_months(year, month)
    led = build_ledger(store, months)
    findings = list(led.findings)
    coverage = _coverage(led.lines, months)
    energy = float(led.lines["energy_tce"].sum())
    emissions = _emissions(led.lines, settings)
    rows = [
        _core_row(label, emissions, energy, coverage, findings),
        _clean_row(label, led.lines, energy, settings, coverage),
        _product_row(store, label, months, findings),
    ]
    rows += _resource_rows(store, year, month, label, findings)
    findings += _leading_findings(store)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs.update(
        findings=findings,
        definition=settings.definition(),
        basis=settings.emissions_basis,
        period=label,
    )
    return frame


def _emissions(lines, settings: ZeroCarbonSettings) -> float:
    return market_total(lines) if settings.emissions_basis == "market" else location_total(lines)


def _coverage(lines, months) -> float:
    """Share of the period's months that have readings. [%]"""
    have = set(lines["month"])
    return 100.0 * sum(1 for m in months if m in have) / len(months)


def _row(ind: str, label: str, value, unit, status: str, note: str = "", threshold=None) -> list:
    ref = indicator_table()[ind]
    provisional = ref["confidence"] != "A"
    return [
        ind,
        ref["indicator_zh"],
        ref["indicator_en"],
        label,
        value,
        unit,
        ref["comparison"],
        float(ref["threshold"]) if threshold is None else threshold,
        status,
        ref["confidence"],
        provisional,
        note,
    ]


def _status(value, ind: str, coverage: float, threshold=None) -> str:
    if coverage < 100.0:
        return "insufficient_data"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "insufficient_data"
    ref = indicator_table()[ind]
    limit = float(ref["threshold"]) if threshold is None else threshold
    return "met" if meets(value, ref["comparison"], limit) else "not_met"


def _core_row(label, emissions, energy, coverage, findings) -> list:
    annual = energy * 100.0 / coverage if coverage else 0.0
    ind, threshold, note = core_threshold(annual)
    value = carbon.intensity(emissions, energy)
    status = _status(value, ind, coverage, threshold)
    if coverage < 100.0:
        note = (note + "; " if note else "") + f"readings cover {coverage:.0f} % of the months"
        findings.append(
            f"zero_carbon.coverage: {label}: readings in {coverage:.0f} % of the "
            "months; indicators marked insufficient_data"
        )
    return _row(ind, label, value, "tCO2/tce", status, note, threshold)


def _clean_row(label, lines, energy, settings: ZeroCarbonSettings, coverage) -> list:
    from greenpark.core.factors import coal_coefficient

    elec_kgce = coal_coefficient("electricity").value
    location = lines[lines["basis"].isin(["location", "both"])]
    onsite = float(location.loc[location["scope"] == "on_site", "energy_tce"].sum())
    market = lines[lines["basis"] == "market"]
    green_kwh = float(market.loc[market["factor_id"] == "zero_emission", "quantity"].sum())
    uncovered_kwh = float(market.loc[market["factor_id"] != "zero_emission", "quantity"].sum())
    clean = onsite
    if settings.count_green_power:
        clean += green_kwh * elec_kgce / 1000.0
    clean += max(uncovered_kwh, 0.0) * settings.grid_clean_share_pct / 100.0 * elec_kgce / 1000
    for carrier in settings.clean_carriers:
        clean += float(location.loc[location["source"] == carrier, "energy_tce"].sum())
    value = 100.0 * clean / energy if energy > 0 else math.nan
    return _row(
        "clean_energy_share",
        label,
        value,
        "%",
        _status(value, "clean_energy_share", coverage),
        settings.definition(),
    )


def _product_row(store, label, months, findings) -> list:
    years = sorted({m.year for m in months})
    rows = store.con.execute(
        "SELECT enterprise_id, product, intensity, grade1_limit, grade2_limit, grade3_limit "
        "FROM product_energy WHERE year = ?",
        [years[-1]],
    ).fetchall()
    if not rows:
        return _row(
            "product_energy_intensity",
            label,
            math.nan,
            "grade",
            "insufficient_data",
            f"no product energy intensities declared for {years[-1]} "
            "('greenpark load product-energy')",
        )
    grades = [product_grade(r[2], r[3], r[4], r[5]) for r in rows]
    failing = [f"{r[0]} {r[1]} (grade {g})" for r, g in zip(rows, grades, strict=True) if g > 2]
    worst = max(grades)
    note = f"{len(rows) - len(failing)} of {len(rows)} declared products at grade 2 or better" + (
        f"; not: {', '.join(failing)}" if failing else ""
    )
    if failing:
        findings.append(f"zero_carbon.product_energy: {note}")
    return _row(
        "product_energy_intensity",
        label,
        float(worst),
        "grade",
        "met" if worst <= 2 else "not_met",
        note,
    )


def product_grade(intensity: float, grade1: float, grade2: float, grade3: float) -> int:
    """Grade of a product energy intensity against a national limit standard
    (1 most advanced; 4 means above the grade-3 limit value). Lower intensity is better."""
    for grade, limit in ((1, grade1), (2, grade2), (3, grade3)):
        if intensity <= limit:
            return grade
    return 4


RESOURCE_INDICATORS = ("solid_waste_utilization", "waste_heat_utilization", "water_reuse")


def _resource_rows(store, year, month, label, findings) -> list:
    """The three resource indicators; missing inputs make them insufficient data, never
    an error that hides the other indicators."""
    try:
        return _resource_rows_of(store, year, month, label, findings)
    except GreenparkError as exc:
        findings.append(f"zero_carbon.resources: {exc}")
        return [
            _row(ind, label, math.nan, "%", "insufficient_data", str(exc))
            for ind in RESOURCE_INDICATORS
        ]


def _resource_rows_of(store, year, month, label, findings) -> list:
    from greenpark.metrics.resources import resource_indicators

    if year is None:
        return _rolling_resource_rows(store, month, label, findings)
    result = resource_indicators(store, year)
    findings += [getattr(f, "message", str(f)) for f in result.findings]
    rows = []
    for rec in result.frame.itertuples():
        value = rec.value_pct
        if rec.status == "not_applicable":
            status = "not_applicable"
        else:
            status = _status(value, rec.indicator_id, 100.0)
        rows.append(_row(rec.indicator_id, label, value, "%", status, rec.note or ""))
    return rows


def _rolling_resource_rows(store, month, label, findings) -> list:
    import pandas as pd

    from greenpark.metrics.resources import (
        resources_table,
        waste_heat_utilization_rate_pct,
        water_reuse_rate_pct,
    )
    from greenpark.metrics.waste import waste_rates

    last = period_months(month=month)[1][-1]
    frames = [resources_table(store, y).frame for y in sorted({_shift(last, -11).year, last.year})]
    monthly = pd.concat(frames)
    monthly = monthly[monthly["period"].str.len() == 7]
    inside = monthly[monthly["period"].between(f"{_shift(last, -11):%Y-%m}", f"{last:%Y-%m}")]
    water = water_reuse_rate_pct(
        inside["water_recycled_m3"].sum(min_count=1), inside["water_intake_m3"].sum(min_count=1)
    )
    heat = waste_heat_utilization_rate_pct(
        inside["waste_heat_recovered_gj"].sum(min_count=1),
        inside["waste_heat_recoverable_gj"].sum(min_count=1),
    )
    waste = waste_rates(store, month=month, window="rolling12")
    findings += [f.message for f in waste.findings]
    solid = waste.frame["industrial_utilization_rate_pct"].iloc[0]
    return [
        _row(ind, label, _float(v), "%", _status(_float(v), ind, 100.0))
        for ind, v in (
            ("solid_waste_utilization", solid),
            ("waste_heat_utilization", heat),
            ("water_reuse", water),
        )
    ]


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _leading_findings(store) -> list[str]:
    from greenpark.core.config import MAX_LEADING_INDUSTRIES

    park = store.park()
    out = list(park.findings)
    declared = {
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT industry FROM enterprises WHERE leading_industry"
        ).fetchall()
    }
    if len(declared) > MAX_LEADING_INDUSTRIES:
        out.append(
            f"zero_carbon.leading_industries: enterprises declare {len(declared)} "
            f"leading industries ({', '.join(sorted(declared))}); the 2025 park "
            f"guidelines set at most {MAX_LEADING_INDUSTRIES}"
        )
    return out


# ------------------------------------------------------------------ trajectory
def trajectory(store, month: str):
    """Rolling-12-month core indicator for every month from January of the base year to
    ``month``, then a projection to the target year.

    Returns
    -------
    pandas.DataFrame
        ``month, kind`` (``actual`` or ``projected``/``plan``), ``tco2_per_tce``,
        ``threshold``. ``frame.attrs``: ``crossing_year`` (first year-end at or under the
        threshold, or None), ``findings``, ``basis``.
    """
    import pandas as pd

    settings = settings_of(store)
    last = period_months(month=month)[1][-1]
    if last < dt.date(BASE_YEAR, 1, 1):
        raise GreenparkError(f"--month {month}: the trajectory starts in the base year {BASE_YEAR}")
    months = months_between(_shift(dt.date(BASE_YEAR, 1, 1), -11), last)
    led = build_ledger(store, months)
    lines = led.lines
    threshold = None
    rows = []
    for m in months_between(dt.date(BASE_YEAR, 1, 1), last):
        window = lines[lines["month"].between(_shift(m, -11), m)]
        complete = len(set(window["month"])) == 12
        energy = float(window["energy_tce"].sum())
        value = carbon.intensity(_emissions(window, settings), energy) if complete else math.nan
        if complete and threshold is None:
            threshold = core_threshold(energy)[1]
        rows.append([f"{m:%Y-%m}", "actual", value])
    threshold = threshold if threshold is not None else core_threshold(0.0)[1]
    future, kind, findings = _projection(rows, settings, last)
    rows += [[f"{y}-12", kind, v] for y, v in sorted(future.items())]
    frame = pd.DataFrame(rows, columns=["month", "kind", "tco2_per_tce"])
    frame["threshold"] = threshold
    crossing = next((y for y, v in sorted(future.items()) if v <= threshold), None)
    actual_met = [r[0] for r in rows if r[1] == "actual" and r[2] <= threshold]
    frame.attrs.update(
        crossing_year=int(actual_met[0][:4]) if actual_met else crossing,
        findings=led.findings + findings,
        basis=settings.emissions_basis,
        target_year=settings.target_year,
    )
    return frame


def _projection(rows, settings: ZeroCarbonSettings, last: dt.date):
    years = list(range(last.year + (last.month == 12), settings.target_year + 1))
    if settings.plan:
        plan = {int(y): float(v) for y, v in settings.plan.items()}
        return {y: plan[y] for y in years if y in plan}, "plan", []
    points = [(i, r[2]) for i, r in enumerate(rows) if not math.isnan(r[2])]
    if len(points) < MIN_TREND_POINTS:
        return (
            {},
            "projected",
            [
                f"zero_carbon.trajectory: {len(points)} complete rolling "
                f"months; at least {MIN_TREND_POINTS} are needed for a trend"
            ],
        )
    xs, ys = zip(*points, strict=True)
    return linear_projection(list(xs), list(ys), years), "projected", []


# ------------------------------------------------------------------ gap analysis
def gap(store, year, pv_potential_mwh: float | None = None):
    """What it takes to meet the core indicator in ``year``.

    Parameters
    ----------
    store : greenpark.store.Store
    year : int or str
    pv_potential_mwh : float, optional
        Annual rooftop PV potential usable on site [MWh]; by default read from the park's
        stored PV estimate (``greenpark pv estimate``), else not available.

    Returns
    -------
    pandas.DataFrame
        One row: ``emissions_tco2, energy_tce, tco2_per_tce, threshold_tco2_per_tce,
        allowed_emissions_tco2, excess_emissions_tco2, grid_factor_tco2_per_mwh,
        grid_purchase_uncovered_mwh, zero_carbon_electricity_needed_mwh,
        electricity_alone_sufficient, natural_gas_tco2, natural_gas_nm3,
        natural_gas_allowed_nm3, excess_after_zero_carbon_electricity_tco2,
        rooftop_pv_potential_mwh, rooftop_pv_closes_mwh,
        green_power_needed_mwh, gecs_needed``.
    """
    import pandas as pd

    settings = settings_of(store)
    label, months = period_months(year=year)
    led = build_ledger(store, months)
    lines = led.lines
    energy, emissions = float(lines["energy_tce"].sum()), _emissions(lines, settings)
    _, threshold, _ = core_threshold(energy)
    factor_id = (
        "electricity.market_residual"
        if settings.emissions_basis == "market"
        else "electricity.location"
    )
    uncovered_mwh, factor = _grid_purchase(lines, settings, factor_id)
    needed = electricity_gap_mwh(emissions, energy, threshold, factor)
    gas = _gas(lines)
    other_em = emissions - gas["tco2"] - uncovered_mwh * factor
    allowed = (
        gas_allowed_nm3(threshold, energy - gas["tce"], other_em, gas["factor"], gas["kgce"])
        if gas["factor"]
        else math.nan
    )
    pv = _pv_potential(store) if pv_potential_mwh is None else pv_potential_mwh
    replaceable = min(needed, uncovered_mwh)
    pv_closes = min(replaceable, pv) if pv == pv else math.nan
    green = replaceable - (pv_closes if pv_closes == pv_closes else 0.0)
    row = {
        "period": label,
        "emissions_tco2": emissions,
        "energy_tce": energy,
        "tco2_per_tce": carbon.intensity(emissions, energy),
        "threshold_tco2_per_tce": threshold,
        "allowed_emissions_tco2": threshold * energy,
        "excess_emissions_tco2": max(0.0, emissions - threshold * energy),
        "grid_factor_tco2_per_mwh": factor,
        "grid_purchase_uncovered_mwh": uncovered_mwh,
        "zero_carbon_electricity_needed_mwh": needed,
        "electricity_alone_sufficient": needed <= uncovered_mwh,
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
    }
    frame = pd.DataFrame([row])
    frame.attrs.update(findings=led.findings + _gap_notes(row), basis=settings.emissions_basis)
    return frame


def _grid_purchase(lines, settings: ZeroCarbonSettings, factor_id: str):
    """Grid electricity still emitting, and its factor (tCO2/MWh, period average)."""
    if settings.emissions_basis == "market":
        part = lines[(lines["basis"] == "market") & (lines["factor_id"] != "zero_emission")]
    else:
        part = lines[lines["source"].eq("electricity") & lines["basis"].eq("location")]
    mwh = float(part["quantity"].sum()) / 1000.0
    tco2 = float(part["emissions_tco2"].sum())
    if mwh > 0:
        return mwh, tco2 / mwh
    values = part["factor_value"]
    return 0.0, float(values.iloc[0]) if len(values) else math.nan


def _gas(lines) -> dict:
    from greenpark.core.factors import coal_coefficient

    gas = lines[(lines["source"] == "natural_gas") & (lines["basis"] == "both")]
    nm3 = float(gas["quantity"].sum())
    tco2 = float(gas["emissions_tco2"].sum())
    return {
        "nm3": nm3,
        "tco2": tco2,
        "tce": float(gas["energy_tce"].sum()),
        "factor": tco2 / nm3 if nm3 else float(gas["factor_value"].iloc[0]) if len(gas) else 0.0,
        "kgce": coal_coefficient("natural_gas").value,
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


def _gap_notes(row: dict) -> list[str]:
    notes = []
    if not row["electricity_alone_sufficient"]:
        notes.append(
            "zero_carbon.gap: replacing all remaining grid purchases "
            f"({row['grid_purchase_uncovered_mwh']:,.0f} MWh) does not reach the threshold: "
            "fuel and heat emissions must fall too (see natural_gas_allowed_nm3)"
        )
    if row["rooftop_pv_potential_mwh"] != row["rooftop_pv_potential_mwh"]:
        notes.append(
            "zero_carbon.pv: no rooftop PV estimate stored; run 'greenpark pv "
            "estimate' to see how much of the gap the roofs close"
        )
    return notes
