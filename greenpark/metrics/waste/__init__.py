"""Waste rates: comprehensive utilization, hazardous waste, recycling, diversion, intensity.

* :mod:`~greenpark.metrics.waste.formulas`: pure formulas (numbers or Series in, the same out);
* :mod:`~greenpark.metrics.waste.ledger`: the waste ledger in t and its findings
  (``waste-check``);
* :mod:`~greenpark.metrics.waste.rates`: ``waste_rates(store, period) -> Result`` (once per
  store, period and options; ``prime_rates`` sums several periods in one query);
* :mod:`~greenpark.metrics.waste.intensity`: waste per value added;
* :mod:`~greenpark.metrics.waste.window`: ``--month/--window/--year`` -> Period (the edge).

Every formula, unit and source is in ``docs/methodology.md`` ("Waste, water and waste heat").
"""

from greenpark.core.findings import Finding, findings_frame
from greenpark.metrics.waste.formulas import (
    BALANCE_TOLERANCE_FRACTION,
    BALANCE_TOLERANCE_T,
    DIVERSION_ROUTES,
    ENERGY_ROUTE,
    INDUSTRIAL,
    RECYCLING_ROUTES,
    balance_gap_t,
    balance_tolerance_t,
    comprehensive_utilization_rate_pct,
    rate_pct,
    safe_disposal_rate_pct,
    waste_intensity_t_per_10k_cny,
)
from greenpark.metrics.waste.intensity import VALUE_ADDED_SQL
from greenpark.metrics.waste.ledger import (
    FINDING_COLUMNS,
    LEDGER_SQL,
    QUANTITY_COLUMNS,
    ledger_check,
    ledger_findings,
    ledger_findings_table,
    ledger_frame,
    waste_check,
)
from greenpark.metrics.waste.rates import (
    BY,
    OUTPUT_COLUMNS,
    SUMS_SQL,
    WasteResult,
    prime_rates,
    rates_frame,
    waste_rates,
)
from greenpark.metrics.waste.tables import register_units, text_nulls_to_none
from greenpark.metrics.waste.window import WINDOWS, MonthRange, month_range, windowed

__all__ = [
    "BALANCE_TOLERANCE_FRACTION",
    "BALANCE_TOLERANCE_T",
    "BY",
    "DIVERSION_ROUTES",
    "ENERGY_ROUTE",
    "FINDING_COLUMNS",
    "INDUSTRIAL",
    "LEDGER_SQL",
    "OUTPUT_COLUMNS",
    "QUANTITY_COLUMNS",
    "RECYCLING_ROUTES",
    "SUMS_SQL",
    "VALUE_ADDED_SQL",
    "WINDOWS",
    "Finding",
    "MonthRange",
    "WasteResult",
    "balance_gap_t",
    "balance_tolerance_t",
    "comprehensive_utilization_rate_pct",
    "findings_frame",
    "ledger_check",
    "ledger_findings",
    "ledger_findings_table",
    "ledger_frame",
    "month_range",
    "prime_rates",
    "rate_pct",
    "rates_frame",
    "register_units",
    "safe_disposal_rate_pct",
    "text_nulls_to_none",
    "waste_check",
    "waste_intensity_t_per_10k_cny",
    "waste_rates",
    "windowed",
]
