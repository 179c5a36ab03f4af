"""Where a carbon metric starts and what its result says it used.

A metric receives a :class:`~greenpark.core.periods.Period` (or text parsed here, the
edge) and places it in the park's timezone; its :class:`~greenpark.core.findings.Result`
records the period, the factors of the ledger lines it used and the ``[accounting]``
choices behind them.
"""

from __future__ import annotations

from greenpark.core.periods import Period, period_of

ACCOUNTING_CHOICES = ("grid_factor_level", "fuel_parameter_set", "electricity_tce_method")


def park_period(store, period: Period | str) -> Period:
    """``period`` (a Period or ``2025-06`` / ``2025`` / ``2025-01..2025-06``) in the park's
    timezone."""
    return period_of(period=period, timezone=store.park().timezone)


def result_inputs(store, period: Period, lines=None, **extra) -> dict:
    """The ``inputs`` of a carbon result: ``period`` (label), ``first_month``,
    ``last_month``, ``factor_ids`` of ``lines`` (sorted), the ``accounting`` choices and
    ``extra``."""
    settings = store.park().accounting
    inputs = {
        "period": period.label,
        "first_month": f"{period.first:%Y-%m}",
        "last_month": f"{period.last:%Y-%m}",
        **extra,
        "accounting": {c: getattr(settings, c) for c in ACCOUNTING_CHOICES},
    }
    if lines is not None:
        inputs["factor_ids"] = sorted(set(lines["factor_id"]))
    return inputs
