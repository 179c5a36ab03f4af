"""Zero-carbon park formulas: the indicator table, size bands, threshold tests, the gap and
the trend. Pure functions: numbers in, numbers out.

References
----------
NDRC/MIIT/NEA notice on zero-carbon park construction (2025, No. 910), annex indicator
system (trial). See ``greenpark/data/zero_carbon_park_indicators.csv``.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from importlib import resources

from greenpark.core.config.zero_carbon import BASE_YEAR

SMALL_BAND_MIN_TCE = 200_000.0
LARGE_BAND_MIN_TCE = 1_000_000.0
MIN_TREND_POINTS = 6
BOUNDARY_RTOL = 1e-9


@cache
def indicator_table() -> dict[str, dict]:
    """Rows of the shipped indicator system, by id."""
    path = resources.files("greenpark") / "data" / "zero_carbon_park_indicators.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def core_threshold(annual_energy_tce: float) -> tuple[str, float, str]:
    """Size band of the core indicator from the park's annual energy use.

    Parameters
    ----------
    annual_energy_tce : float
        Comprehensive energy consumption of a year. [tce]

    Returns
    -------
    (indicator id, threshold [tCO2/tce], note)
    """
    table = indicator_table()
    if meets(annual_energy_tce, ">=", LARGE_BAND_MIN_TCE):
        return "core_large", float(table["core_large"]["threshold"]), ""
    note = (
        ""
        if meets(annual_energy_tce, ">=", SMALL_BAND_MIN_TCE)
        else (
            "the park uses under 200k tce/yr: no official band was found; the 0.2 threshold of "
            "the 200k-1M tce band is applied"
        )
    )
    return "core_small", float(table["core_small"]["threshold"]), note


def meets(value: float, comparison: str, threshold: float) -> bool:
    """The one threshold comparison of the indicator engine: inclusive, as the notice
    writes it (``<=``, ``>=``); a value within a relative 1e-9 of the threshold
    (floating-point noise, e.g. twelve monthly sums of an exact annual figure) counts as
    on it. Size bands, indicator statuses, product grades, the gap and the trajectory's
    crossing year all compare through it.

    Parameters
    ----------
    value : float
        [the threshold's unit]
    comparison : str
        ``<=`` or ``>=``.
    threshold : float
        [the value's unit]
    """
    if comparison not in ("<=", ">="):
        raise ValueError(f"comparison {comparison!r}: '<=' or '>='")
    slack = BOUNDARY_RTOL * max(abs(threshold), 1e-12)
    return value <= threshold + slack if comparison == "<=" else value >= threshold - slack


def electricity_gap_mwh(
    emissions_tco2: float, energy_tce: float, threshold: float, factor_tco2_per_mwh: float
) -> float:
    """Zero-carbon electricity that must replace grid purchases to meet the threshold.

    Replacing X MWh of grid electricity removes X x factor tCO2 and leaves energy use
    unchanged: X = (E - threshold x T) / factor, at least 0.

    Parameters
    ----------
    emissions_tco2 : float
        Emissions of the period. [tCO2]
    energy_tce : float
        Energy use of the period. [tce]
    threshold : float
        Core indicator threshold. [tCO2/tce]
    factor_tco2_per_mwh : float
        Factor of the grid electricity replaced. [tCO2/MWh]

    Returns
    -------
    float
        [MWh]
    """
    allowed = threshold * energy_tce
    if meets(emissions_tco2, "<=", allowed):
        return 0.0
    return (emissions_tco2 - allowed) / factor_tco2_per_mwh


def gas_allowed_nm3(
    threshold: float,
    other_energy_tce: float,
    other_emissions_tco2: float,
    gas_tco2_per_nm3: float,
    gas_kgce_per_nm3: float,
) -> float:
    """Natural gas compatible with the threshold once grid electricity is zero-carbon.

    Solves G x g + E_other <= threshold x (T_other + G x k / 1000) for G.

    Parameters
    ----------
    threshold : float
        [tCO2/tce]
    other_energy_tce : float
        Energy use other than natural gas. [tce]
    other_emissions_tco2 : float
        Emissions other than natural gas and grid electricity. [tCO2]
    gas_tco2_per_nm3 : float
        Natural gas emission factor. [tCO2/Nm3]
    gas_kgce_per_nm3 : float
        Natural gas standard-coal coefficient. [kgce/Nm3]

    Returns
    -------
    float
        [Nm3]; infinite when gas alone stays under the threshold.
    """
    denominator = gas_tco2_per_nm3 - threshold * gas_kgce_per_nm3 / 1000.0
    if denominator <= 0:
        return math.inf
    return max(0.0, (threshold * other_energy_tce - other_emissions_tco2) / denominator)


def linear_projection(
    months_index: list[float], values: list[float], years: list[int]
) -> dict[int, float]:
    """Least-squares line through (month index, value), evaluated at each December.

    ``months_index`` counts months from January of the base year (0 = Jan 2025).

    Returns
    -------
    dict
        Year -> projected value at its December. [unit of ``values``]
    """
    n = len(values)
    mx, my = sum(months_index) / n, sum(values) / n
    sxx = sum((x - mx) ** 2 for x in months_index)
    slope = sum((x - mx) * (y - my) for x, y in zip(months_index, values, strict=True)) / sxx
    return {y: my + slope * ((y - BASE_YEAR) * 12 + 11 - mx) for y in years}


def product_grade(intensity: float, grade1: float, grade2: float, grade3: float) -> int:
    """Grade of a product energy intensity against a national limit standard
    (1 most advanced; 4 means above the grade-3 limit value). Lower intensity is better."""
    for grade, limit in ((1, grade1), (2, grade2), (3, grade3)):
        if meets(intensity, "<=", limit):
            return grade
    return 4
