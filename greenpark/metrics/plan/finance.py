"""Money over a project's life: annualised cost, NPV, IRR and simple payback.

Pure functions of floats; the annuity sum is PV economics' (one formula in greenpark:
:func:`greenpark.metrics.pv.economics.annuity_sum`). Formulas: docs/planning.md.
"""

from __future__ import annotations

import math

from greenpark.core.numeric import safe_divide


def annuity_sum(rate: float, years: int, growth: float = 0.0) -> float:
    """sum over t = 1..N of (1 + g)^(t-1) / (1 + r)^t. [a]"""
    from greenpark.metrics.pv.economics import annuity_sum as pv_annuity

    return float(pv_annuity(rate, years, growth))


def capital_recovery_factor(rate: float, years: int) -> float:
    """CRF = 1 / A(r, N): the yearly payment that repays 1 over N years at rate r. [1/a]"""
    return 1.0 / annuity_sum(rate, years)


def cash_flows(capex_cny: float, net_benefit_cny: float, years: int, growth: float = 0.0):
    """Year 0 .. N: -capex, then the net benefit growing by ``growth`` a year. [CNY]"""
    return [-capex_cny] + [net_benefit_cny * (1.0 + growth) ** (t - 1) for t in range(1, years + 1)]


def npv_of(flows, rate: float) -> float:
    """sum over t of flow_t / (1 + r)^t. [CNY]"""
    return float(sum(f / (1.0 + rate) ** t for t, f in enumerate(flows)))


def irr_of(flows) -> float:
    """The rate at which :func:`npv_of` is 0 (scipy's ``brentq`` on (-99 %, 1000 %)). [1/a];
    NaN when the flows do not change sign there."""
    from scipy.optimize import brentq

    lo, hi = -0.99, 10.0
    f_lo, f_hi = npv_of(flows, lo), npv_of(flows, hi)
    if not (math.isfinite(f_lo) and math.isfinite(f_hi)) or f_lo * f_hi > 0:
        return math.nan
    return float(brentq(lambda r: npv_of(flows, r), lo, hi, xtol=1e-10))


def simple_payback_years(capex_cny: float, net_benefit_cny: float) -> float:
    """capex / first-year net benefit. [a]; NaN when the benefit is not positive."""
    return safe_divide(capex_cny, net_benefit_cny)
