"""Safe arithmetic, in one place: division and relative change for floats, arrays or Series.

A missing, zero, negative (for a denominator) or non-finite operand gives NaN, never an
infinity, a warning or an exception; the same function serves one number or a column.
"""

from __future__ import annotations

import math


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, int | float)


def safe_divide(numerator, denominator):
    """``numerator / denominator``, NaN where the denominator is missing or not positive or
    an operand is not finite.

    Parameters
    ----------
    numerator, denominator : float, numpy array or pandas Series
        Same-shaped (or scalar) operands. [any unit]

    Returns
    -------
    float, array or Series
        The ratio. [numerator unit / denominator unit]
    """
    if _is_scalar(numerator) and _is_scalar(denominator):
        if numerator is None or denominator is None:
            return math.nan
        ok = math.isfinite(numerator) and math.isfinite(denominator) and denominator > 0
        return numerator / denominator if ok else math.nan
    import numpy as np

    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ok, num / np.where(ok, den, 1.0), np.nan)
    return _like(out, numerator, denominator)


def change_pct(current, previous):
    """Relative change ``(current - previous) / |previous| x 100``, NaN when ``previous``
    is missing or zero or an operand is not finite. [%]"""
    if _is_scalar(current) and _is_scalar(previous):
        if current is None or previous is None:
            return math.nan
        ok = math.isfinite(current) and math.isfinite(previous) and previous != 0
        return (current - previous) / abs(previous) * 100.0 if ok else math.nan
    import numpy as np

    cur = np.asarray(current, dtype=float)
    prev = np.asarray(previous, dtype=float)
    ok = np.isfinite(cur) & np.isfinite(prev) & (prev != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ok, (cur - prev) / np.abs(np.where(ok, prev, 1.0)) * 100.0, np.nan)
    return _like(out, current, previous)


def _like(values, *operands):
    """A Series with the index of the first Series operand, else the array."""
    for operand in operands:
        if hasattr(operand, "index") and hasattr(operand, "to_numpy"):
            import pandas as pd

            return pd.Series(values, index=operand.index)
    return values
