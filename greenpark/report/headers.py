"""Units of result columns for headers such as ``energy_tce [tce]``: from the label
catalogue (:mod:`greenpark.core.labels`), or, for a column it does not list, read from
the name (``energy_tce`` -> ``tce``)."""

from __future__ import annotations

EXACT = {
    "quantity": "see unit",
    "value": "see unit",
    "factor_value": "see factor_unit",
    "tco2_per_tce": "tCO2/tce",
    "threshold": "see unit",
    "cny_per_tco2": "CNY/tCO2",
}
PREFIXES = (  # intensity columns carry their unit at the start
    ("tco2_per_tce", "tCO2/tce"),
    ("tco2_per_10k_cny", "tCO2/10k CNY"),
    ("tce_per_10k_cny", "tce/10k CNY"),
)
SUFFIXES = (
    ("_10k_cny", "10k CNY"),
    ("_cny_per_kwh", "CNY/kWh"),
    ("_kwh_per_kwp", "kWh/kWp"),
    ("_tco2_per_mwh", "tCO2/MWh"),
    ("_t_per_10k_cny", "t/10k CNY"),
    ("_tco2", "tCO2"),
    ("_tce", "tce"),
    ("_kwh", "kWh"),
    ("_mwh", "MWh"),
    ("_kwp", "kWp"),
    ("_pct", "%"),
    ("_m3", "m3"),
    ("_m2", "m2"),
    ("_gj", "GJ"),
    ("_cny", "CNY"),
    ("_min", "min"),
    ("_deg", "deg"),
    ("_t", "t"),
)


def unit_of(column: str) -> str:
    """The unit of a column (the catalogue's, else what its name declares), or ``""``."""
    from greenpark.core.labels import COLUMNS

    if column in EXACT:
        return EXACT[column]
    if column in COLUMNS:
        return COLUMNS[column][2]
    for prefix, unit in PREFIXES:
        if column.startswith(prefix):
            return unit
    for suffix, unit in SUFFIXES:
        if column.endswith(suffix):
            return unit
    return ""


def header(column: str) -> str:
    """``column [unit]`` (or just ``column`` without a unit)."""
    unit = unit_of(column)
    return f"{column} [{unit}]" if unit else column
