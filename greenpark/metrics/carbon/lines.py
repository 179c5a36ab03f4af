"""The shape of a ledger line, the roles that make one, and totals over lines.

A ledger line is one activity of one month (a boundary meter's monthly total, or a
green-power split of the net purchase), with the factor applied and its result.
"""

from __future__ import annotations

from greenpark.core.factors import Factor

NOT_SUBMETERED = "(not submetered)"
NOT_SUBMETERED_NOTE = (
    "park total minus enterprise submeters: common areas, losses, on-site "
    "generation, unallocated fuels, park-level green power / "
    "未分表：公共区域、损耗、自发电、未分配燃料、园区级绿电"
)

# role -> (scope, activity, sign, emission slot, basis)
ROLE_ACTIVITY = {
    "grid_import": (
        "scope2",
        "purchased electricity (grid import)",
        1.0,
        "electricity.location",
        "location",
    ),
    "grid_export": (
        "scope2",
        "exported electricity (grid export)",
        -1.0,
        "electricity.location",
        "location",
    ),
    "pv_generation": ("on_site", "on-site PV generation (zero-emission)", 1.0, None, "both"),
    "wind_generation": ("on_site", "on-site wind generation (zero-emission)", 1.0, None, "both"),
    "fuel": ("scope1", "fuel combustion", 1.0, "fuel.co2", "both"),
    "heat_import": ("scope2", "purchased heat", 1.0, "heat.purchased", "both"),
    "heat_export": ("scope2", "exported heat", -1.0, "heat.purchased", "both"),
}
LEDGER_COLUMNS = [
    "month",
    "meter_id",
    "enterprise_id",
    "scope",
    "source",
    "activity",
    "basis",
    "quantity",
    "unit",
    "factor_id",
    "factor_value",
    "factor_unit",
    "factor_source",
    "factor_year",
    "confidence",
    "override",
    "note",
    "emissions_tco2",
    "energy_tce",
]
# The columns a line takes before its factor, and after it.
_ACTIVITY = LEDGER_COLUMNS[:9]


def ledger_line(activity: dict, factor: Factor, emissions_tco2: float, energy_tce: float) -> list:
    """One ledger line (``LEDGER_COLUMNS`` order).

    Parameters
    ----------
    activity : dict
        ``month, meter_id, enterprise_id, scope, source, activity, basis, quantity, unit``.
    factor : Factor
        The emission factor applied.
    emissions_tco2 : float
        Its result. [tCO2]
    energy_tce : float
        Its energy. [tce]
    """
    return [
        *(activity[c] for c in _ACTIVITY),
        factor.factor_id,
        factor.value,
        factor.unit,
        factor.source,
        factor.year,
        factor.confidence,
        factor.override,
        factor.note,
        emissions_tco2,
        energy_tce,
    ]


def location_total(lines) -> float:
    """Location-based total of ledger lines. [tCO2]"""
    return float(lines.loc[lines["basis"].isin(["location", "both"]), "emissions_tco2"].sum())


def market_total(lines) -> float:
    """Market-based total of ledger lines. [tCO2]"""
    return float(lines.loc[lines["basis"].isin(["market", "both"]), "emissions_tco2"].sum())
