"""Names that the whole package shares: carriers, meter roles, canonical units, tables.

Column and table names live here and in ``greenpark/store/migrations.py`` only.
"""

from __future__ import annotations

# carrier -> canonical unit (DESIGN.md "Canonical units")
CARRIERS: dict[str, str] = {
    "electricity": "kWh",
    "natural_gas": "Nm3",
    "coal": "t",
    "coke": "t",
    "diesel": "t",
    "gasoline": "t",
    "fuel_oil": "t",
    "lpg": "t",
    "heat": "GJ",
    "water": "m3",
}

FUEL_CARRIERS = frozenset({"natural_gas", "coal", "coke", "diesel", "gasoline", "fuel_oil", "lpg"})

# role -> carriers it may measure (None: any carrier)
ROLES: dict[str, frozenset[str] | None] = {
    "grid_import": frozenset({"electricity"}),
    "grid_export": frozenset({"electricity"}),
    "pv_generation": frozenset({"electricity"}),
    "wind_generation": frozenset({"electricity"}),
    "fuel": FUEL_CARRIERS,
    "heat_import": frozenset({"heat"}),
    "heat_export": frozenset({"heat"}),
    "waste_heat_recovered": frozenset({"heat"}),
    "water_intake": frozenset({"water"}),
    "water_recycled": frozenset({"water"}),
    "submeter": None,
}

# Roles whose meters sit on the park boundary: park totals come from these.
BOUNDARY_ROLES = frozenset(
    {
        "grid_import",
        "grid_export",
        "pv_generation",
        "wind_generation",
        "fuel",
        "heat_import",
        "heat_export",
        "water_intake",
    }
)

READING_TYPES = ("interval", "register")

METER_COLUMNS_REQUIRED = ("meter_id", "carrier", "role", "unit")
METER_COLUMNS_OPTIONAL = (
    "name",
    "reading_type",
    "multiplier",
    "register_max",
    "parent_id",
    "enterprise_id",
    "building_id",
    "volume_reference",
    "commissioned_on",
    "decommissioned_on",
)
# Reference conditions of a gas meter's volumes: normal (0 degC, 101.325 kPa), standard
# (20 degC, 101.325 kPa, the Chinese trade reference) or working (line conditions: the
# meter's multiplier is then its conversion factor to Nm3).
VOLUME_REFERENCES = ("normal", "standard", "working")
READING_COLUMNS = ("meter_id", "timestamp", "value")
