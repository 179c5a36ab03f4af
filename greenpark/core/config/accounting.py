"""``[accounting]`` of park.toml: grid factor level, fuel parameter set, tce method."""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.config.validate import Table
from greenpark.core.factors import FUEL_PARAMETER_SETS, GRID_LEVELS

TCE_METHODS = ("calorific", "primary")
COAL_RATE_YEARS = (2000, 2100)
# Thermal power supply coal rate bounds: 1 kWh is 122.9 gce at 100 % efficiency; China's
# fleet was near 400 gce/kWh in 2000 and 302 in 2024. [gce/kWh]
COAL_RATE_GCE_PER_KWH = (100.0, 1000.0)
# An enterprise's green power / GECs beyond its own metered consumption: counted against
# the park's net purchase ("park") or not counted ("none").
EXCESS_GREEN_POWER_RULES = ("park", "none")
# Vintage rule of green power / GECs: the consumption month's calendar year (default) or
# within vintage_window_months of the consumption month.
VINTAGE_RULES = ("calendar_year", "window")
VINTAGE_WINDOW_MONTHS = (0, 60)


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
    coal_rate_gce_per_kwh : dict of int to float
        Year -> thermal power supply coal rate, needed for ``primary``. [gce/kWh]
    enterprise_excess_green_power : str
        ``park`` (default): an enterprise's claims beyond its own metered consumption
        count against the park's net purchase, as the labelled park-level green-power
        line; ``none``: they are not counted. Either way a finding gives the MWh.
    vintage_rule : str
        ``calendar_year`` (default): an instrument counts in months of its vintage's
        calendar year; ``window``: in months within ``vintage_window_months`` of it.
    vintage_window_months : int
        The window of ``vintage_rule = "window"`` (default 12). [months]
    """

    grid_factor_level: str = "province"
    fuel_parameter_set: str = "cn_guideline_default"
    electricity_tce_method: str = "calorific"
    coal_rate_gce_per_kwh: dict = field(default_factory=dict)
    enterprise_excess_green_power: str = "park"
    vintage_rule: str = "calendar_year"
    vintage_window_months: int = 12


ACCOUNTING_KEYS = tuple(AccountingSettings.__dataclass_fields__)


def read_accounting(table: Table) -> AccountingSettings:
    """``[accounting]`` from its table; problems are recorded on ``table``'s checker."""
    d = AccountingSettings()
    table.keys(ACCOUNTING_KEYS)
    settings = AccountingSettings(
        grid_factor_level=table.choice("grid_factor_level", GRID_LEVELS, d.grid_factor_level),
        fuel_parameter_set=table.choice(
            "fuel_parameter_set", FUEL_PARAMETER_SETS, d.fuel_parameter_set
        ),
        electricity_tce_method=table.choice(
            "electricity_tce_method", TCE_METHODS, d.electricity_tce_method
        ),
        coal_rate_gce_per_kwh=table.year_map(
            "coal_rate_gce_per_kwh", COAL_RATE_YEARS, *COAL_RATE_GCE_PER_KWH
        ),
        enterprise_excess_green_power=table.choice(
            "enterprise_excess_green_power",
            EXCESS_GREEN_POWER_RULES,
            d.enterprise_excess_green_power,
        ),
        vintage_rule=table.choice("vintage_rule", VINTAGE_RULES, d.vintage_rule),
        vintage_window_months=table.integer(
            "vintage_window_months", d.vintage_window_months, *VINTAGE_WINDOW_MONTHS
        ),
    )
    needs_rate = settings.electricity_tce_method == "primary"
    if needs_rate and table.ok("coal_rate_gce_per_kwh") and not settings.coal_rate_gce_per_kwh:
        table.fail(
            "coal_rate_gce_per_kwh",
            None,
            "accounting.electricity_tce_method = 'primary' needs "
            "accounting.coal_rate_gce_per_kwh (e.g. {2024 = 302.4}), the "
            "year's thermal power supply coal rate",
        )
    return settings
