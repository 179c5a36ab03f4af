"""``[zero_carbon]`` of park.toml: emissions basis, target year, plan, clean-energy definition."""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.errors import ConfigError

BASE_YEAR = 2025  # base year of the zero-carbon park trajectory (2025 notice No. 910)


@dataclass(frozen=True)
class ZeroCarbonSettings:
    """``[zero_carbon]`` of park.toml.

    Attributes
    ----------
    emissions_basis : str
        ``market`` (green power and GECs at zero; default) or ``location``.
    target_year : int
        Year the park aims to meet the core indicator (default 2030, an assumption).
    plan : dict
        Year -> planned tCO2/tce; replaces the linear trend when given.
    clean_carriers : list of str
        Carriers counted as clean besides on-site renewables and green power (e.g.
        ``["natural_gas"]``, as some Chinese statistics do). Default none.
    grid_clean_share_pct : float
        Share of (uncovered) grid electricity counted as clean, e.g. a provincial
        non-fossil share the park can source. Default 0. [%]
    count_green_power : bool
        Whether green-power trades and GECs count as clean energy (default true).
    """

    emissions_basis: str = "market"
    target_year: int = 2030
    plan: dict = field(default_factory=dict)
    clean_carriers: list = field(default_factory=list)
    grid_clean_share_pct: float = 0.0
    count_green_power: bool = True

    @classmethod
    def from_doc(cls, doc: dict, source: str = "park.toml") -> ZeroCarbonSettings:
        """From the parsed park.toml document (its ``[zero_carbon]`` table)."""
        section = doc.get("zero_carbon", {})
        unknown = sorted(set(section) - set(cls.__dataclass_fields__))
        if unknown:
            raise ConfigError(
                f"{source}: unknown key zero_carbon.{unknown[0]} (known: "
                f"{', '.join(sorted(cls.__dataclass_fields__))})"
            )
        settings = cls(**section)
        settings.validate(source)
        return settings

    def validate(self, source: str) -> None:
        from greenpark.core.vocab import CARRIERS

        if self.emissions_basis not in ("market", "location"):
            raise ConfigError(
                f"{source}: zero_carbon.emissions_basis must be market or "
                f"location, got {self.emissions_basis!r}"
            )
        if not isinstance(self.target_year, int) or self.target_year < BASE_YEAR:
            raise ConfigError(
                f"{source}: zero_carbon.target_year {self.target_year!r} is "
                f"before the base year {BASE_YEAR}"
            )
        bad = [c for c in self.clean_carriers if c not in CARRIERS]
        if bad:
            raise ConfigError(f"{source}: zero_carbon.clean_carriers: unknown carrier {bad[0]!r}")
        if not 0 <= float(self.grid_clean_share_pct) <= 100:
            raise ConfigError(f"{source}: zero_carbon.grid_clean_share_pct must be 0-100")
        for year, value in self.plan.items():
            if not str(year).isdigit() or not isinstance(value, int | float) or value < 0:
                raise ConfigError(
                    f"{source}: zero_carbon.plan must map years to tCO2/tce, "
                    f"got {year!r} = {value!r}"
                )

    def definition(self) -> str:
        """The clean-energy definition in words (printed with the result)."""
        parts = ["on-site renewable electricity"]
        if self.count_green_power:
            parts.append("green power and GECs claimed")
        if self.grid_clean_share_pct:
            parts.append(f"{self.grid_clean_share_pct:g} % of uncovered grid electricity")
        parts += self.clean_carriers
        return "clean energy = " + " + ".join(parts) + " (tce, calorific), over total energy"
