"""Self-consumption and simple economics of new rooftop PV: pure functions.

Formulas and sources: docs/methodology.md, "Rooftop PV". Energy in kWh, money in CNY,
rates per year.
"""

from __future__ import annotations

import math


def self_consumption(pv_kwh, grid_import_kwh):
    """Split new PV output into the part the park uses and the part it exports.

    The park can absorb new PV only where it now imports: in each hour the new PV used
    on site is ``min(pv, grid_import)``; the rest is exported.

    Parameters
    ----------
    pv_kwh : numpy.ndarray
        New PV output per hour. [kWh]
    grid_import_kwh : numpy.ndarray
        Metered grid import in the same hours. [kWh]

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Self-consumed and exported new PV per hour. [kWh]
    """
    import numpy as np

    pv = np.asarray(pv_kwh, dtype=float)
    used = np.minimum(pv, np.maximum(np.asarray(grid_import_kwh, dtype=float), 0.0))
    return used, pv - used


def share_pct(part: float, whole: float) -> float:
    """part / whole x 100 [%]; NaN when the whole is 0."""
    return part / whole * 100.0 if whole > 0 else math.nan


def annuity_sum(rate: float, years: int, growth: float = 0.0) -> float:
    """Present value of 1 per year for ``years`` years, growing by ``growth`` a year.

    sum over t = 1..N of (1 + g)^(t-1) / (1 + r)^t.

    Parameters
    ----------
    rate : float
        Discount rate. [1/a]
    years : int
        Number of years. [a]
    growth : float
        Yearly change of the amount (negative for degradation). [1/a]
    """
    return sum((1.0 + growth) ** (t - 1) / (1.0 + rate) ** t for t in range(1, years + 1))


def lcoe_cny_per_kwh(
    capex_cny: float,
    om_cny_per_year: float,
    energy_kwh_year1: float,
    discount_rate: float,
    lifetime_years: int,
    degradation_pct_per_year: float,
) -> float:
    """Levelised cost of electricity.

    LCOE = (C + OM x A(r, N)) / (E1 x A(r, N, -d)), with A the annuity sum of
    :func:`annuity_sum`.

    Returns
    -------
    float
        [CNY/kWh]; NaN when there is no energy.
    """
    energy = energy_kwh_year1 * annuity_sum(
        discount_rate, lifetime_years, -degradation_pct_per_year / 100.0
    )
    if energy <= 0:
        return math.nan
    return (capex_cny + om_cny_per_year * annuity_sum(discount_rate, lifetime_years)) / energy


def npv_cny(
    capex_cny: float,
    revenue_cny_year1: float,
    om_cny_per_year: float,
    discount_rate: float,
    lifetime_years: int,
    degradation_pct_per_year: float,
) -> float:
    """Net present value: -C + R1 x A(r, N, -d) - OM x A(r, N). [CNY]

    Revenue (savings on purchased electricity plus export income) degrades with the
    modules; O&M does not.
    """
    growth = -degradation_pct_per_year / 100.0
    return (
        -capex_cny
        + revenue_cny_year1 * annuity_sum(discount_rate, lifetime_years, growth)
        - om_cny_per_year * annuity_sum(discount_rate, lifetime_years)
    )


def simple_payback_years(capex_cny: float, net_benefit_cny_per_year: float) -> float:
    """Capex / first-year net benefit. [a]; NaN when the benefit is not positive."""
    if net_benefit_cny_per_year <= 0:
        return math.nan
    return capex_cny / net_benefit_cny_per_year
