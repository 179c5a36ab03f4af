"""Abatement levers: what each costs a year and what it abates on the judged basis.

Each lever kind has one evaluator registered in :data:`EVALUATORS` (``@evaluator("kind")``)
that turns a :class:`~greenpark.core.config.plan.Lever` into one or more
:class:`Effect` rows; a new kind (e.g. wind) is one ``LEVER_KINDS`` entry in
greenpark/core/config/plan.py and one evaluator here. Formulas: docs/planning.md, "Levers".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from greenpark.core.findings import Finding
from greenpark.core.numeric import safe_divide
from greenpark.metrics.plan import finance

GJ_PER_TCE = 29.3076  # GB/T 2589: 1 kgce = 29 307.6 kJ
KWH_PER_GJ = 1000.0 / 3.6

EFFECT_COLUMNS = (
    "lever_id",
    "kind",
    "name",
    "year",
    "divisible",
    "capex_cny",
    "annual_cost_cny",
    "abated_tco2",
    "energy_saved_tce",
    "grid_mwh",
    "source",
)


@dataclass
class Effect:
    """One lever's yearly effect at full size.

    Attributes
    ----------
    annual_cost_cny : float
        Net annualised cost: capex x CRF(r, N) + O&M + energy bought - energy saved. [CNY/a]
    abated_tco2 : float
        Emissions removed on the judged basis. [tCO2/a]
    energy_saved_tce : float
        Comprehensive energy consumption removed (negative if added). [tce/a]
    grid_mwh : float
        Emitting grid electricity it replaces (negative if it adds some). [MWh/a]
    """

    lever_id: str
    kind: str
    name: str
    year: int | None
    divisible: bool
    capex_cny: float
    annual_cost_cny: float
    abated_tco2: float
    energy_saved_tce: float
    grid_mwh: float
    source: str = ""


@dataclass
class Context:
    """What evaluators read: the baseline, the discount rate, the tariff and, for PV and
    storage, callables onto the park's data (so the pure kinds need no database)."""

    baseline: object
    rate: float
    tariff: object
    pv_roofs: Callable | None = None
    storage: Callable | None = None
    findings: list = field(default_factory=list)


EVALUATORS: dict[str, Callable] = {}


def evaluator(kind: str):
    """Register the evaluator of a lever kind."""

    def register(func):
        EVALUATORS[kind] = func
        return func

    return register


def effects(levers, ctx: Context):
    """Every lever's :class:`Effect` rows as a DataFrame (:data:`EFFECT_COLUMNS`)."""
    import pandas as pd

    rows = []
    for lever in levers:
        rows += [asdict(e) for e in EVALUATORS[lever.kind](lever, ctx)]
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))


def _effect(lever, capex=0.0, cost=0.0, tco2=0.0, tce=0.0, mwh=0.0, **over) -> Effect:
    fields = {
        "lever_id": lever.id,
        "kind": lever.kind,
        "name": lever.name or lever.id,
        "year": lever.year,
        "divisible": lever.divisible,
        "capex_cny": capex,
        "annual_cost_cny": cost,
        "abated_tco2": tco2,
        "energy_saved_tce": tce,
        "grid_mwh": mwh,
        "source": lever.source,
    }
    return Effect(**{**fields, **over})


def _zero_on_location(lever, ctx: Context) -> bool:
    if ctx.baseline.basis == "market":
        return False
    ctx.findings.append(
        Finding(
            "plan.location_basis",
            f"lever {lever.id}: green power and certificates abate nothing on the location "
            "basis the zero-carbon status is judged on",
            data={"lever_id": lever.id},
        )
    )
    return True


@evaluator("green_power")
def green_power(lever, ctx: Context) -> list[Effect]:
    """mwh x residual grid factor (market basis; 0 on location) at mwh x premium."""
    mwh = lever.params["mwh"]
    tco2 = 0.0 if _zero_on_location(lever, ctx) else mwh * ctx.baseline.factors["grid"]
    return [_effect(lever, cost=mwh * lever.params["premium_cny_per_mwh"], tco2=tco2, mwh=mwh)]


@evaluator("green_certificates")
def green_certificates(lever, ctx: Context) -> list[Effect]:
    """1 GEC = 1 MWh: as green power, at the certificate price."""
    n = lever.params["certificates"]
    tco2 = 0.0 if _zero_on_location(lever, ctx) else n * ctx.baseline.factors["grid"]
    return [_effect(lever, cost=n * lever.params["cny_per_certificate"], tco2=tco2, mwh=n)]


@evaluator("heat_pump")
def heat_pump(lever, ctx: Context) -> list[Effect]:
    """Gas boiler heat replaced by a heat pump.

    heat [GJ] = gas [Nm3] x kgce/Nm3 / 1000 x 29.3076 x boiler efficiency; electricity
    [kWh] = heat x 277.8 / COP; abated = gas x gas factor - electricity x grid factor;
    energy saved = gas x kgce/Nm3 / 1000 - electricity x kgce/kWh / 1000; cost = capex x
    CRF + O&M + electricity x price - gas x gas price.
    """
    p, f = lever.params, ctx.baseline.factors
    nm3 = p["gas_displaced_nm3"]
    heat_gj = nm3 * f["gas_kgce"] / 1000.0 * GJ_PER_TCE * p["boiler_efficiency"]
    kwh = heat_gj * KWH_PER_GJ / p["cop"]
    price = p["electricity_cny_per_kwh"]
    price = ctx.tariff.flat_cny_per_kwh if price is None else price
    cost = (
        p["capex_cny"] * finance.capital_recovery_factor(ctx.rate, p["lifetime_years"])
        + p["om_cny_per_year"]
        + kwh * price
        - nm3 * p["gas_cny_per_nm3"]
    )
    return [
        _effect(
            lever,
            capex=p["capex_cny"],
            cost=cost,
            tco2=nm3 * f["gas"] - kwh / 1000.0 * f["grid"],
            tce=nm3 * f["gas_kgce"] / 1000.0 - kwh * f["electricity_kgce"] / 1000.0,
            mwh=-kwh / 1000.0,
        )
    ]


@evaluator("efficiency")
def efficiency(lever, ctx: Context) -> list[Effect]:
    """saving_pct of a carrier's base-year energy and emissions, at cost_cny_per_tce per
    tce saved per year (electricity savings also remove grid MWh)."""
    p = lever.params
    carrier = ctx.baseline.carriers.get(p["carrier"], {"tco2": 0.0, "tce": 0.0})
    share = p["saving_pct"] / 100.0
    tce = carrier["tce"] * share
    mwh = ctx.baseline.grid_uncovered_mwh * share if p["carrier"] == "electricity" else 0.0
    if not carrier["tce"]:
        ctx.findings.append(
            Finding(
                "plan.lever_no_carrier",
                f"lever {lever.id}: the park used no {p['carrier']} in the base year",
                data={"lever_id": lever.id},
            )
        )
    return [
        _effect(
            lever, cost=tce * p["cost_cny_per_tce"], tco2=carrier["tco2"] * share, tce=tce, mwh=mwh
        )
    ]


@evaluator("process")
def process(lever, ctx: Context) -> list[Effect]:
    """Process emissions removed at a stated annual cost."""
    p = lever.params
    return [_effect(lever, cost=p["annual_cost_cny"], tco2=p["tco2_per_year"])]


@evaluator("rooftop_pv")
def rooftop_pv(lever, ctx: Context) -> list[Effect]:
    """One effect per roof: self-consumed new PV x grid factor; cost = capex x CRF + O&M -
    bill savings (the roof's share of the park's PV savings)."""
    roofs = ctx.pv_roofs() if ctx.pv_roofs else None
    if roofs is None or roofs.empty:
        ctx.findings.append(
            Finding(
                "plan.no_pv_estimate",
                f"lever {lever.id}: no rooftop PV estimate with new capacity "
                "(run 'greenpark pv estimate')",
                data={"lever_id": lever.id},
            )
        )
        return []
    wanted = lever.params.get("roofs") or ()
    if wanted:
        roofs = roofs[roofs["roof_id"].isin(wanted)]
    out = []
    for roof in roofs.itertuples():
        crf = finance.capital_recovery_factor(ctx.rate, roof.lifetime_years)
        out.append(
            _effect(
                lever,
                lever_id=f"{lever.id}:{roof.roof_id}",
                name=f"{lever.name or lever.id} {roof.roof_id}",
                capex=roof.capex_cny,
                cost=roof.capex_cny * crf + roof.om_cny_per_year - roof.savings_cny,
                tco2=roof.used_mwh * ctx.baseline.factors["grid"],
                mwh=roof.used_mwh,
            )
        )
    return out


@evaluator("storage")
def storage(lever, ctx: Context) -> list[Effect]:
    """The battery's import change x grid factor (losses make it negative unless it
    stores PV surplus); cost = capex x CRF + O&M - bill savings."""
    found = ctx.storage(lever.params.get("energy_kwh"), lever.params.get("power_kw"))
    if found is None:
        ctx.findings.append(
            Finding(
                "plan.storage_size",
                f"lever {lever.id}: give energy_kwh (or [plan.storage] energy_kwh)",
                data={"lever_id": lever.id},
            )
        )
        return []
    crf = finance.capital_recovery_factor(ctx.rate, found["lifetime_years"])
    cost = found["capex_cny"] * crf + found["om_cny"] - found["savings_cny"]
    mwh = found["import_reduction_mwh"]
    return [
        _effect(
            lever,
            capex=found["capex_cny"],
            cost=cost,
            tco2=mwh * ctx.baseline.factors["grid"],
            mwh=mwh,
        )
    ]


def cost_per_tco2(annual_cost_cny, abated_tco2):
    """annual cost / tCO2 abated [CNY/tCO2]; NaN where nothing is abated."""
    return safe_divide(annual_cost_cny, abated_tco2)
