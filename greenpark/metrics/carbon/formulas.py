"""Carbon and energy accounting formulas: small pure functions, numbers in, numbers out.

References
----------
GB/T 2589-2020 General principles for calculation of the comprehensive energy consumption.
Chinese enterprise GHG accounting guidelines (industrial, trial): fuel combustion
CO2 = activity x NCV x C x OX x 44/12.
GHG Protocol Scope 2 Guidance (2015): location-based and market-based methods.
NDRC/MIIT/NEA zero-carbon park notice (2025, No. 910): CO2 per tce core indicator.
"""

from __future__ import annotations

import math

CO2_PER_C = 44.0 / 12.0


def fuel_co2_factor(ncv_gj_per_unit: float, carbon_tc_per_tj: float, oxidation: float) -> float:
    """CO2 emitted per unit of fuel burnt.

    Parameters
    ----------
    ncv_gj_per_unit : float
        Net calorific value. [GJ/unit]
    carbon_tc_per_tj : float
        Carbon content per unit of heat. [tC/TJ]
    oxidation : float
        Oxidation rate. [-]

    Returns
    -------
    float
        Emission factor. [tCO2/unit]
    """
    return ncv_gj_per_unit / 1000.0 * carbon_tc_per_tj * oxidation * CO2_PER_C


def electricity_tco2(energy_kwh: float, factor_tco2_per_mwh: float) -> float:
    """Emissions of electricity. [tCO2]

    Parameters
    ----------
    energy_kwh : float
        Electricity. [kWh]
    factor_tco2_per_mwh : float
        Grid emission factor. [tCO2/MWh]
    """
    return energy_kwh / 1000.0 * factor_tco2_per_mwh


def energy_tce(quantity: float, kgce_per_unit: float) -> float:
    """Standard coal equivalent of a quantity. [tce]

    Parameters
    ----------
    quantity : float
        Amount in the coefficient's unit. [unit]
    kgce_per_unit : float
        GB/T 2589 coefficient. [kgce/unit]
    """
    return quantity * kgce_per_unit / 1000.0


def primary_electricity_kgce_per_kwh(coal_rate_gce_per_kwh: float) -> float:
    """Primary-energy (等价值) coefficient of electricity from the year's thermal power
    supply coal rate. [kgce/kWh]

    Parameters
    ----------
    coal_rate_gce_per_kwh : float
        Coal consumption rate of thermal power supply. [gce/kWh]
    """
    return coal_rate_gce_per_kwh / 1000.0


def allocate_claims(net_purchased_kwh: float, claims_kwh: float) -> tuple[float, float]:
    """Split green-power / GEC claims into what can be used and the excess.

    Claims cannot exceed net purchased electricity; nothing is claimed against a net
    export.

    Returns
    -------
    (float, float)
        Claimed against consumption, and excess not used. [kWh]
    """
    used = min(max(net_purchased_kwh, 0.0), max(claims_kwh, 0.0))
    return used, max(claims_kwh, 0.0) - used


def intensity(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or NaN where the denominator is missing or not positive
    (never an infinity or a division error)."""
    if denominator is None or numerator is None:
        return math.nan
    if not math.isfinite(denominator) or denominator <= 0 or not math.isfinite(numerator):
        return math.nan
    return numerator / denominator


def change_pct(current: float, previous: float) -> float:
    """Relative change in percent, NaN when the previous value is missing or zero. [%]"""
    if (
        previous is None
        or current is None
        or not math.isfinite(previous)
        or previous == 0
        or not math.isfinite(current)
    ):
        return math.nan
    return (current - previous) / abs(previous) * 100.0
