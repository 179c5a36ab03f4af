"""The three resource indicators of the zero-carbon park system (solid waste, waste heat,
water reuse) for a period, from :func:`greenpark.metrics.resources.resource_indicators`."""

from __future__ import annotations

import math

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.core.periods import Period
from greenpark.metrics.zerocarbon.common import indicator_row, status_of, to_float

RESOURCE_INDICATORS = ("solid_waste_utilization", "waste_heat_utilization", "water_reuse")


def resource_rows(store, period: Period, label: str, findings: list) -> list:
    """Indicator rows of the resource indicators; missing inputs make them insufficient
    data, never an error that hides the other indicators.

    Parameters
    ----------
    period : Period
        The indicators' period (a year, a rolling 12 months ...).
    label : str
        The period as the indicator table shows it.
    findings : list of Finding
        Extended with the resource and waste findings.
    """
    try:
        return _rows(store, period, label, findings)
    except GreenparkError as exc:
        findings.append(Finding("zero_carbon.resources", str(exc), data={"period": label}))
        return [
            indicator_row(ind, label, math.nan, "%", "insufficient_data", str(exc))
            for ind in RESOURCE_INDICATORS
        ]


def _rows(store, period: Period, label: str, findings: list) -> list:
    from greenpark.metrics.resources import resource_indicators

    result = resource_indicators(store, period)
    findings += result.findings
    rows = []
    for rec in result.frame.itertuples():
        value = to_float(rec.value_pct)
        if rec.status == "not_applicable":
            status = "not_applicable"
        else:
            status = status_of(value, rec.indicator_id, 100.0)
        rows.append(indicator_row(rec.indicator_id, label, value, "%", status, rec.note or ""))
    return rows
