"""Zero-carbon park progress: the national indicator system, the trajectory from the 2025
base year, and what closes the gap.

Each metric takes ``(store, period)`` and returns a :class:`~greenpark.core.findings.Result`
(:func:`indicators_result`, :func:`trajectory_result`, :func:`gap_result`);
:func:`indicators`, :func:`trajectory` and :func:`gap` are their DataFrame edges.

References
----------
NDRC/MIIT/NEA notice on zero-carbon park construction (2025, No. 910), annex indicator
system (trial): core indicator CO2 per tce <= 0.2 (200k-1M tce/yr) or <= 0.3 (>= 1M
tce/yr), confidence A; guiding indicators, thresholds provisional (B). See
``greenpark/data/zero_carbon_park_indicators.csv``.
"""

from greenpark.metrics.zerocarbon.bases import StatusBasis, core_bases, status_basis
from greenpark.metrics.zerocarbon.common import settings_of
from greenpark.metrics.zerocarbon.formulas import (
    BOUNDARY_RTOL,
    LARGE_BAND_MIN_TCE,
    MIN_TREND_POINTS,
    SMALL_BAND_MIN_TCE,
    core_threshold,
    electricity_gap_mwh,
    gas_allowed_nm3,
    indicator_table,
    linear_projection,
    meets,
    product_grade,
)
from greenpark.metrics.zerocarbon.gap_analysis import gap, gap_result
from greenpark.metrics.zerocarbon.projection import trajectory, trajectory_result
from greenpark.metrics.zerocarbon.resources import RESOURCE_INDICATORS
from greenpark.metrics.zerocarbon.system import COLUMNS, indicators, indicators_result

__all__ = [
    "BOUNDARY_RTOL",
    "COLUMNS",
    "LARGE_BAND_MIN_TCE",
    "MIN_TREND_POINTS",
    "RESOURCE_INDICATORS",
    "SMALL_BAND_MIN_TCE",
    "StatusBasis",
    "core_bases",
    "core_threshold",
    "electricity_gap_mwh",
    "gap",
    "gap_result",
    "gas_allowed_nm3",
    "indicator_table",
    "indicators",
    "indicators_result",
    "linear_projection",
    "meets",
    "product_grade",
    "settings_of",
    "status_basis",
    "trajectory",
    "trajectory_result",
]
