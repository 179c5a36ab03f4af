"""Self-consumption and simple economics of new rooftop PV: pure functions.

Every function takes floats, numpy arrays or pandas Series alike (a Series in, a Series
out). Formulas and sources: docs/methodology.md, "Rooftop PV". Energy in kWh, money in
CNY, rates per year.
"""

from __future__ import annotations

from greenpark.core.numeric import safe_divide


def self_consumption(pv_kwh, grid_import_kwh):
    """Split new PV output into the part the park uses and the part it exports.

    The park can absorb new PV only where it now imports: in each hour the new PV used
    on site is ``min(pv, grid_import)``; the rest is exported.

    Parameters
    ----------
    pv_kwh : float, array or Series
        New PV output per hour. [kWh]
    grid_import_kwh : float, array or Series
        Metered grid import in the same hours. [kWh]

    Returns
    -------
    (used, exported)
        Self-consumed and exported new PV per hour, shaped like the input. [kWh]
    """
    import numpy as np

    used = np.minimum(pv_kwh, np.maximum(grid_import_kwh, 0.0))
    return used, pv_kwh - used


def share_pct(part, whole):
    """part / whole x 100 [%]; NaN where the whole is not positive."""
    return safe_divide(part, whole) * 100.0


def annuity_sum(rate, years: int, growth=0.0):
    """Present value of 1 per year for ``years`` years, growing by ``growth`` a year.

    sum over t = 1..N of (1 + g)^(t-1) / (1 + r)^t.

    Parameters
    ----------
    rate : float, array or Series
        Discount rate. [1/a]
    years : int
        Number of years. [a]
    growth : float, array or Series
        Yearly change of the amount (negative for degradation). [1/a]

    Returns
    -------
    float, array or Series
        [a]
    """
    import numpy as np

    t = np.arange(1, int(years) + 1, dtype=float)
    r = np.asarray(rate, dtype=float)[..., None]
    g = np.asarray(growth, dtype=float)[..., None]
    total = ((1.0 + g) ** (t - 1.0) / (1.0 + r) ** t).sum(axis=-1)
    return _shaped(total, rate, growth)


def lcoe_cny_per_kwh(
    capex_cny,
    om_cny_per_year,
    energy_kwh_year1,
    discount_rate,
    lifetime_years: int,
    degradation_pct_per_year,
):
    """Levelised cost of electricity.

    LCOE = (C + OM x A(r, N)) / (E1 x A(r, N, -d)), with A the annuity sum of
    :func:`annuity_sum`.

    Parameters
    ----------
    capex_cny : float, array or Series
        [CNY]
    om_cny_per_year : float, array or Series
        [CNY/a]
    energy_kwh_year1 : float, array or Series
        Energy of the first year. [kWh]
    discount_rate : float, array or Series
        [1/a]
    lifetime_years : int
        [a]
    degradation_pct_per_year : float, array or Series
        [%/a]

    Returns
    -------
    float, array or Series
        [CNY/kWh]; NaN where there is no energy.
    """
    energy = energy_kwh_year1 * annuity_sum(
        discount_rate, lifetime_years, -degradation_pct_per_year / 100.0
    )
    cost = capex_cny + om_cny_per_year * annuity_sum(discount_rate, lifetime_years)
    return safe_divide(cost, energy)


def npv_cny(
    capex_cny,
    revenue_cny_year1,
    om_cny_per_year,
    discount_rate,
    lifetime_years: int,
    degradation_pct_per_year,
):
    """Net present value: -C + R1 x A(r, N, -d) - OM x A(r, N). [CNY]

    Revenue (savings on purchased electricity plus export income) degrades with the
    modules; O&M does not. Arguments as :func:`lcoe_cny_per_kwh` (``revenue_cny_year1``
    [CNY] in place of the energy).
    """
    growth = -degradation_pct_per_year / 100.0
    return (
        -capex_cny
        + revenue_cny_year1 * annuity_sum(discount_rate, lifetime_years, growth)
        - om_cny_per_year * annuity_sum(discount_rate, lifetime_years)
    )


def simple_payback_years(capex_cny, net_benefit_cny_per_year):
    """Capex / first-year net benefit. [a]; NaN where the benefit is not positive."""
    return safe_divide(capex_cny, net_benefit_cny_per_year)


def _shaped(values, *operands):
    """``values`` as a float when every operand is a number, as a Series with the first
    Series operand's index, else as an array."""
    for operand in operands:
        if hasattr(operand, "index") and hasattr(operand, "to_numpy"):
            import pandas as pd

            return pd.Series(values, index=operand.index)
    if all(isinstance(o, int | float) for o in operands):
        return float(values)
    return values
