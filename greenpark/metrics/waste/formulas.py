"""Waste formulas: numbers, arrays or Series in, the same out.

Every formula, unit and source is in ``docs/methodology.md`` ("Waste, water and waste
heat"). A rate whose denominator is zero is not available: NaN (via
:func:`greenpark.core.numeric.safe_divide`), never a division by zero.
"""

from __future__ import annotations

from greenpark.core.numeric import safe_divide

INDUSTRIAL = ("general_industrial_solid", "hazardous")
RECYCLING_ROUTES = ("recycling", "composting")
DIVERSION_ROUTES = ("recycling", "reuse", "composting")
ENERGY_ROUTE = "energy_recovery"
# Balance tolerance (an assumption, see docs): |gap| <= max(0.01 t, 1 % of generated).
BALANCE_TOLERANCE_T = 0.01
BALANCE_TOLERANCE_FRACTION = 0.01


def rate_pct(numerator, denominator):
    """numerator / denominator x 100, NaN where the denominator is not positive.

    Parameters
    ----------
    numerator, denominator : float, array or pandas.Series
        Same unit. [any]

    Returns
    -------
    float, array or pandas.Series
        The rate. [%]
    """
    return safe_divide(100.0 * numerator, denominator)


def comprehensive_utilization_rate_pct(utilized_t, generated_t, utilized_from_storage_t):
    """Industrial solid waste comprehensive utilization rate (工业固体废物综合利用率).

    rate = utilized / (generated + utilized from prior-year storage) x 100.

    Parameters
    ----------
    utilized_t : float or Series
        Utilized in the period, including waste taken from prior-year storage. [t]
    generated_t : float or Series
        Generated in the period. [t]
    utilized_from_storage_t : float or Series
        Part of ``utilized_t`` taken from prior-year storage. [t]

    Returns
    -------
    float or Series
        [%]; NaN when the denominator is zero.

    References
    ----------
    Chinese environmental statistics definition, as collected in the project's shared
    reference (confidence B).
    """
    return rate_pct(utilized_t, generated_t + utilized_from_storage_t)


def utilization_disposal_rate_pct(
    utilized_t, disposed_t, generated_t, utilized_from_storage_t, disposed_from_storage_t
):
    """Hazardous waste utilization and disposal rate (危险废物利用处置率).

    rate = (utilized + disposed) / (generated + utilized from prior-year storage +
    disposed from prior-year storage) x 100.

    Parameters
    ----------
    utilized_t, disposed_t : float or Series
        Utilized and disposed in the period, incl. from prior-year storage. [t]
    generated_t : float or Series
        Generated in the period. [t]
    utilized_from_storage_t, disposed_from_storage_t : float or Series
        Parts of ``utilized_t`` and ``disposed_t`` taken from prior-year storage. [t]

    Returns
    -------
    float or Series
        [%]; NaN when the denominator is zero.

    References
    ----------
    Chinese environmental statistics, hazardous waste 利用处置率 (utilized + disposed over
    generated + prior-year stock utilized and disposed), as the issue-13 audit states it;
    the same structure as the comprehensive utilization rate of the shared reference (B).
    """
    return rate_pct(
        utilized_t + disposed_t, generated_t + utilized_from_storage_t + disposed_from_storage_t
    )


def excess_t(treated_t, available_t):
    """What a ledger row treats beyond what it had: max(0, treated - available). [t]

    Over-utilized rows (utilized > generated + utilized from storage) can only have taken
    the excess from undeclared prior-year storage: the rates count it there, so that a
    rate never exceeds 100 %, and the row is a ``waste.over_utilized`` finding.

    Parameters
    ----------
    treated_t, available_t : float or Series
        [t]
    """
    import numpy as np

    return np.maximum(0.0, treated_t - available_t)


def safe_disposal_rate_pct(disposed_t, generated_t, disposed_from_storage_t):
    """Hazardous waste disposal-only rate: disposed / (generated + disposed from storage);
    utilization left out (kept as a labelled extra: the statistical rate is
    :func:`utilization_disposal_rate_pct`).

    Parameters
    ----------
    disposed_t : float or Series
        Disposed in the period by licensed disposal, incl. from prior-year storage. [t]
    generated_t : float or Series
        Generated in the period. [t]
    disposed_from_storage_t : float or Series
        Part of ``disposed_t`` taken from prior-year storage. [t]

    Returns
    -------
    float or Series
        [%]; NaN when the denominator is zero. Defined by analogy with the utilization
        rate (an assumption, see docs/methodology.md).
    """
    return rate_pct(disposed_t, generated_t + disposed_from_storage_t)


def balance_gap_t(
    generated_t,
    utilized_t,
    utilized_from_storage_t,
    stored_t,
    disposed_t,
    disposed_from_storage_t,
    dumped_t,
):
    """generated - [(utilized - from storage) + stored + (disposed - from storage) + dumped].

    Parameters
    ----------
    generated_t, utilized_t, utilized_from_storage_t, stored_t, disposed_t,
    disposed_from_storage_t, dumped_t : float or Series
        Ledger quantities of the period. [t]

    Returns
    -------
    float or Series
        Positive: generated waste not accounted for; negative: more accounted for than
        generated. [t]
    """
    accounted = (
        (utilized_t - utilized_from_storage_t)
        + stored_t
        + (disposed_t - disposed_from_storage_t)
        + dumped_t
    )
    return generated_t - accounted


def balance_tolerance_t(
    generated_t,
    absolute_t: float = BALANCE_TOLERANCE_T,
    fraction: float = BALANCE_TOLERANCE_FRACTION,
):
    """Largest balance gap that is not a finding: max(absolute, fraction x generated).

    Parameters
    ----------
    generated_t : float or Series
        Generated in the period. [t]
    absolute_t : float
        Smallest tolerance. [t]
    fraction : float
        Tolerance as a fraction of generated. [1]

    Returns
    -------
    float or array
        [t]
    """
    import numpy as np

    return np.maximum(absolute_t, fraction * np.asarray(generated_t, dtype=float))


def waste_intensity_t_per_10k_cny(generated_t, value_added_10k_cny):
    """Waste generated per 10k CNY of value added, NaN where value added is not positive.

    Parameters
    ----------
    generated_t : float or Series
        [t]
    value_added_10k_cny : float or Series
        Industrial value added. [10k CNY]

    Returns
    -------
    float or Series
        [t/10k CNY]
    """
    return safe_divide(generated_t, value_added_10k_cny)
