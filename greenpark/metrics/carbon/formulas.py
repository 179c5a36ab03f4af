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

from greenpark.core.factors import CO2_PER_C, fuel_co2_factor, primary_electricity_kgce_per_kwh
from greenpark.core.numeric import change_pct, safe_divide

__all__ = [
    "CO2_PER_C",
    "allocate_claims",
    "change_pct",
    "electricity_tco2",
    "energy_tce",
    "fuel_co2_factor",
    "intensity",
    "primary_electricity_kgce_per_kwh",
    "safe_divide",
]


def electricity_tco2(energy_kwh, factor_tco2_per_mwh):
    """Emissions of electricity. [tCO2]

    Parameters
    ----------
    energy_kwh : float, array or Series
        Electricity. [kWh]
    factor_tco2_per_mwh : float, array or Series
        Grid emission factor. [tCO2/MWh]
    """
    return energy_kwh / 1000.0 * factor_tco2_per_mwh


def energy_tce(quantity, kgce_per_unit):
    """Standard coal equivalent of a quantity. [tce]

    Parameters
    ----------
    quantity : float, array or Series
        Amount in the coefficient's unit. [unit]
    kgce_per_unit : float, array or Series
        GB/T 2589 coefficient. [kgce/unit]
    """
    return quantity * kgce_per_unit / 1000.0


def allocate_claims(net_purchased_kwh, claims_kwh):
    """Split green-power / GEC claims into what can be used and the excess.

    Claims cannot exceed net purchased electricity; nothing is claimed against a net
    export.

    Parameters
    ----------
    net_purchased_kwh : float, array or Series
        Grid import minus grid export. [kWh]
    claims_kwh : float, array or Series
        Green power and GECs claimable. [kWh]

    Returns
    -------
    (float, float) or (array, array) or (Series, Series)
        Claimed against consumption, and excess not used. [kWh]
    """
    import numpy as np

    claims = np.maximum(claims_kwh, 0.0)
    used = np.minimum(np.maximum(net_purchased_kwh, 0.0), claims)
    return used, claims - used


# Intensities and changes are safe ratios: one implementation, in greenpark.core.numeric.
intensity = safe_divide
