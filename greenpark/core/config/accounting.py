"""``[accounting]`` of park.toml: grid factor level, fuel parameter set, tce method."""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.errors import ConfigError
from greenpark.core.factors import FUEL_PARAMETER_SETS, GRID_LEVELS


@dataclass(frozen=True)
class AccountingSettings:
    """``[accounting]`` of park.toml.

    Attributes
    ----------
    grid_factor_level : str
        ``province`` (default), ``region`` or ``national``.
    fuel_parameter_set : str
        ``cn_guideline_default`` or ``cn_guideline_newer``.
    electricity_tce_method : str
        ``calorific`` (当量值, default) or ``primary`` (等价值).
    coal_rate_gce_per_kwh : dict
        Year -> thermal power supply coal rate, needed for ``primary``. [gce/kWh]
    """

    grid_factor_level: str = "province"
    fuel_parameter_set: str = "cn_guideline_default"
    electricity_tce_method: str = "calorific"
    coal_rate_gce_per_kwh: dict = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict, source: str = "park.toml") -> AccountingSettings:
        """From the parsed park.toml document (its ``[accounting]`` table)."""
        section = doc.get("accounting", {})
        known = set(cls.__dataclass_fields__)
        for key in section:
            if key not in known:
                raise ConfigError(
                    f"{source}: unknown key accounting.{key} (known: {', '.join(sorted(known))})"
                )
        settings = cls(**{k: section[k] for k in known if k in section})
        settings._validate(source)
        return settings

    def _validate(self, source: str) -> None:
        checks = [
            ("grid_factor_level", self.grid_factor_level, GRID_LEVELS),
            ("fuel_parameter_set", self.fuel_parameter_set, tuple(FUEL_PARAMETER_SETS)),
            ("electricity_tce_method", self.electricity_tce_method, ("calorific", "primary")),
        ]
        for key, value, allowed in checks:
            if value not in allowed:
                raise ConfigError(
                    f"{source}: accounting.{key} = {value!r}; choose one of {', '.join(allowed)}"
                )
        for year, rate in self.coal_rate_gce_per_kwh.items():
            if not str(year).isdigit() or not isinstance(rate, int | float) or rate <= 0:
                raise ConfigError(
                    f"{source}: accounting.coal_rate_gce_per_kwh must map years "
                    f"to positive numbers, got {year!r} = {rate!r}"
                )
        if self.electricity_tce_method == "primary" and not self.coal_rate_gce_per_kwh:
            raise ConfigError(
                f"{source}: accounting.electricity_tce_method = 'primary' needs "
                "accounting.coal_rate_gce_per_kwh (e.g. {2024 = 302.4}), the "
                "year's thermal power supply coal rate"
            )
