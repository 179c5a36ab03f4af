"""What the zero-carbon metrics share: the settings, the period edge, the emissions basis
and the DataFrame edge of a :class:`~greenpark.core.findings.Result`."""

from __future__ import annotations

import math

from greenpark.core.config.zero_carbon import ZeroCarbonSettings
from greenpark.core.periods import Period, period_of
from greenpark.metrics.carbon.ledger import location_total, market_total
from greenpark.metrics.zerocarbon.formulas import indicator_table, meets


def settings_of(store) -> ZeroCarbonSettings:
    """The park's ``[zero_carbon]`` settings."""
    return store.park().zero_carbon


def park_period(store, period=None, year=None, month=None) -> Period:
    """The period of the arguments (exactly one), in the park's timezone: the edge."""
    return period_of(month=month, year=year, period=period, timezone=store.park().timezone)


def indicator_period(period: Period) -> Period:
    """The period the indicators cover: a single month stands for the rolling 12 months
    ending with it (what ``--month`` means for the indicator system); others as given."""
    if period.kind == "month":
        return Period.rolling12(period.last, period.timezone)
    return period


def period_label(period: Period) -> str:
    """``2025``, or ``2025-01..2025-12 (rolling 12 months)``, or the period's label."""
    if period.kind == "rolling12":
        return f"{period.label} (rolling 12 months)"
    return period.label


def emissions_tco2(lines, settings: ZeroCarbonSettings) -> float:
    """Emissions of ledger lines on the settings' basis (market or location). [tCO2]"""
    return market_total(lines) if settings.emissions_basis == "market" else location_total(lines)


def factor_ids(lines) -> list[str]:
    """The factor ids the ledger lines used, sorted."""
    return sorted({str(f) for f in lines["factor_id"].dropna()})


def book_mean(book, slot: str, months) -> float:
    """Mean of a FactorBook slot over ``months``. [the slot's unit]"""
    values = [book.get(slot, m).value for m in months]
    return sum(values) / len(values) if values else math.nan


def legacy_frame(result):
    """The Result's frame with, besides ``findings`` and ``inputs``, each input in
    ``frame.attrs`` (``definition``, ``basis``, ``crossing_year`` ... as before)."""
    frame = result.to_frame()
    for key, value in result.inputs.items():
        frame.attrs.setdefault(key, value)
    return frame


def to_float(value) -> float:
    """``value`` as a float, NaN when it is missing or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def indicator_row(
    ind: str, label: str, value, unit: str, status: str, note: str = "", threshold=None
) -> list:
    """One row of the indicator table (``COLUMNS`` of :mod:`.system`) for indicator
    ``ind`` of the shipped system; ``threshold`` replaces the table's (the core band's)."""
    ref = indicator_table()[ind]
    return [
        ind,
        ref["indicator_zh"],
        ref["indicator_en"],
        label,
        value,
        unit,
        ref["comparison"],
        float(ref["threshold"]) if threshold is None else threshold,
        status,
        ref["confidence"],
        ref["confidence"] != "A",
        note,
    ]


def status_of(value, ind: str, coverage_pct: float, threshold=None) -> str:
    """``met``/``not_met`` against the indicator's threshold; ``insufficient_data`` when
    the months are not all covered or there is no value."""
    if coverage_pct < 100.0:
        return "insufficient_data"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "insufficient_data"
    ref = indicator_table()[ind]
    limit = float(ref["threshold"]) if threshold is None else threshold
    return "met" if meets(value, ref["comparison"], limit) else "not_met"
