"""``[zero_carbon]`` of park.toml: emissions basis, target year, plan, clean-energy definition."""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.config.validate import Table

BASE_YEAR = 2025  # base year of the zero-carbon park trajectory (2025 notice No. 910)
LAST_YEAR = 2100  # latest target or plan year accepted
EMISSIONS_BASES = ("market", "location")
# What the G3 solid-waste indicator (工业固体废物综合利用率) is judged on: the statistical
# 一般工业固体废物综合利用率 (general industrial solid waste only, default) or general +
# hazardous waste together.
SOLID_WASTE_BASES = ("general", "industrial")
# Planned carbon intensity of energy: coal is ~2.7 tCO2/tce, so 10 bounds any mix. [tCO2/tce]
PLAN_TCO2_PER_TCE = (0.0, 10.0)


@dataclass(frozen=True)
class ZeroCarbonSettings:
    """``[zero_carbon]`` of park.toml.

    Attributes
    ----------
    emissions_basis : str
        ``market`` (green power and GECs at zero; default) or ``location``.
    target_year : int
        Year the park aims to meet the core indicator (default 2030, an assumption).
    plan : dict of int to float
        Year -> planned tCO2/tce; replaces the linear trend when given. [tCO2/tce]
    clean_carriers : tuple of str
        Carriers counted as clean besides on-site renewables and green power (e.g.
        ``["natural_gas"]``, as some Chinese statistics do). Default none.
    grid_clean_share_pct : float
        Share of (uncovered) grid electricity counted as clean, e.g. a provincial
        non-fossil share the park can source. Default 0. [%]
    count_green_power : bool
        Whether green-power trades and GECs count as clean energy (default true).
    solid_waste_basis : str
        What the solid-waste indicator is judged on: ``general`` (一般工业固体废物综合利用率,
        general industrial solid waste only; default) or ``industrial`` (general +
        hazardous). Both rates are always shown.
    """

    emissions_basis: str = "market"
    target_year: int = 2030
    plan: dict = field(default_factory=dict)
    clean_carriers: tuple[str, ...] = ()
    grid_clean_share_pct: float = 0.0
    count_green_power: bool = True
    solid_waste_basis: str = "general"

    def definition(self) -> str:
        """The clean-energy definition in words (printed with the result)."""
        parts = ["on-site renewable electricity"]
        if self.count_green_power:
            parts.append("green power and GECs claimed")
        if self.grid_clean_share_pct:
            parts.append(f"{self.grid_clean_share_pct:g} % of uncovered grid electricity")
        parts += self.clean_carriers
        return "clean energy = " + " + ".join(parts) + " (tce, calorific), over total energy"


ZERO_CARBON_KEYS = tuple(ZeroCarbonSettings.__dataclass_fields__)


def read_zero_carbon(table: Table) -> ZeroCarbonSettings:
    """``[zero_carbon]`` from its table; problems are recorded on ``table``'s checker."""
    from greenpark.core.vocab import CARRIERS

    d = ZeroCarbonSettings()
    table.keys(ZERO_CARBON_KEYS)
    return ZeroCarbonSettings(
        emissions_basis=table.choice("emissions_basis", EMISSIONS_BASES, d.emissions_basis),
        target_year=table.integer(
            "target_year",
            d.target_year,
            BASE_YEAR,
            LAST_YEAR,
            note=f" (not before the base year {BASE_YEAR})",
        ),
        plan=table.year_map("plan", (BASE_YEAR, LAST_YEAR), *PLAN_TCO2_PER_TCE),
        clean_carriers=table.strings("clean_carriers", d.clean_carriers, choices=CARRIERS),
        grid_clean_share_pct=table.number("grid_clean_share_pct", d.grid_clean_share_pct, 0, 100),
        count_green_power=table.flag("count_green_power", d.count_green_power),
        solid_waste_basis=table.choice("solid_waste_basis", SOLID_WASTE_BASES, d.solid_waste_basis),
    )
