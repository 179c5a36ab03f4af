"""Carbon and energy tables for a period: the public API.

Each ``*_by``/``*_lines`` function takes ``(store, period)`` and returns a
:class:`~greenpark.core.findings.Result` (findings: factor fallbacks and overrides,
green-power vintage and excess); the DataFrame functions of the same tables
(``carbon_table``, ``energy_tce_table``, ``ledger``, ``intensities``,
``entity_intensities``) are their one-line edges, with the findings in
``frame.attrs["findings"]``.
"""

from __future__ import annotations

import math

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Result
from greenpark.core.periods import Period, period_of
from greenpark.metrics.carbon.breakdown import by_enterprise, by_ledger_column
from greenpark.metrics.carbon.edge import park_period, result_inputs
from greenpark.metrics.carbon.intensity import (
    INTENSITY_COLUMNS,
    entity_intensities,
    entity_intensities_by,
    intensities,
    intensity_span,
    park_intensities,
)
from greenpark.metrics.carbon.ledger import ledger_for
from greenpark.metrics.coverage import with_coverage

__all__ = [
    "BY_CARBON",
    "BY_ENERGY",
    "INTENSITY_COLUMNS",
    "carbon_by",
    "carbon_table",
    "energy_tce_by",
    "energy_tce_table",
    "entity_intensities",
    "entity_intensities_by",
    "intensities",
    "intensity_span",
    "ledger",
    "ledger_lines",
    "park_intensities",
]

BY_CARBON = ("scope", "source", "enterprise", "industry")
BY_ENERGY = ("carrier", "enterprise", "industry")


def ledger_lines(store, period: Period | str) -> Result:
    """Every ledger line of the period (see :mod:`greenpark.metrics.carbon.ledger`).

    Returns
    -------
    Result
        Frame with ``LEDGER_COLUMNS`` (``quantity`` in ``unit``, ``emissions_tco2``
        [tCO2], ``energy_tce`` [tce]).
    """
    period = park_period(store, period)
    led = ledger_for(store, period)
    inputs = result_inputs(store, period, led.lines, line_count=len(led.lines))
    return with_coverage(Result(led.lines.copy(), led.findings, inputs), store, period)


def carbon_by(store, period: Period | str, by: str = "scope") -> Result:
    """Energy and emissions of the period grouped ``by`` scope, source, enterprise or
    industry, with a total row.

    Returns
    -------
    Result
        Frame with the group column(s), ``energy_tce`` [tce], ``emissions_location_tco2``
        and ``emissions_market_tco2`` [tCO2]; totals equal the sums of the ledger lines.
        By enterprise or industry also ``electricity_kwh`` [kWh], ``value_added_10k_cny``
        [10k CNY] and intensities.
    """
    if by not in BY_CARBON:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY_CARBON)}")
    period = park_period(store, period)
    led = ledger_for(store, period)
    if by in ("scope", "source"):
        frame = by_ledger_column(led.lines, by)
    else:
        frame = by_enterprise(led.enterprise, store, by, period)
    result = with_coverage(
        Result(frame, led.findings, result_inputs(store, period, led.lines, by=by)), store, period
    )
    if by == "scope":
        from greenpark.metrics.carbon.breakdown import scopes_without_readings

        result.frame = scopes_without_readings(result.frame, result.coverage)
    return result


def energy_tce_by(store, period: Period | str, by: str = "carrier") -> Result:
    """Comprehensive energy consumption (GB/T 2589) of the period by carrier, enterprise
    or industry.

    Returns
    -------
    Result
        by carrier: ``carrier, quantity, unit, energy_tce`` (quantity in ``unit``, energy
        [tce]); by enterprise/industry: as :func:`carbon_by`.
    """
    import pandas as pd

    if by in ("enterprise", "industry"):
        return carbon_by(store, period, by)
    if by != "carrier":
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY_ENERGY)}")
    period = park_period(store, period)
    led = ledger_for(store, period)
    lines = led.lines[led.lines["basis"].isin(["location", "both"])]
    frame = (
        lines.groupby("source", sort=True)
        .agg(quantity=("quantity", "sum"), unit=("unit", "first"), energy_tce=("energy_tce", "sum"))
        .reset_index()
        .rename(columns={"source": "carrier"})
    )
    total = {"carrier": "total", "quantity": math.nan, "unit": None}
    total["energy_tce"] = float(lines["energy_tce"].sum())
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    result = Result(frame, led.findings, result_inputs(store, period, led.lines, by=by))
    return with_coverage(result, store, period)


# ----------------------------------------------------------- DataFrame edges (public API)
def ledger(store, month: str | None = None, year: int | str | None = None, period=None):
    """:func:`ledger_lines` as a DataFrame (findings in ``attrs["findings"]``)."""
    return ledger_lines(store, period_of(month, year, period=period)).to_frame()


def carbon_table(store, month=None, year=None, by: str = "scope", period=None):
    """:func:`carbon_by` as a DataFrame (findings in ``attrs["findings"]``)."""
    return carbon_by(store, period_of(month, year, period=period), by).to_frame()


def energy_tce_table(store, month=None, year=None, by: str = "carrier", period=None):
    """:func:`energy_tce_by` as a DataFrame (findings in ``attrs["findings"]``)."""
    return energy_tce_by(store, period_of(month, year, period=period), by).to_frame()
