"""Tables of the factor library for people: what ships, and what a park uses."""

from __future__ import annotations

import datetime as dt

from greenpark.core.errors import GreenparkError
from greenpark.core.factors import (
    COAL_ROWS,
    FACTOR_SLOTS,
    FUEL_ROWS,
    coal_coefficient,
    fuel_parameters,
    grid_table,
    purchased_heat_factor,
)
from greenpark.core.findings import Result
from greenpark.core.periods import Period
from greenpark.metrics.carbon.edge import park_period, result_inputs

COLUMNS = ["factor_id", "value", "unit", "year", "source", "confidence", "note"]
IN_USE_COLUMNS = ["from_month", *COLUMNS[:-1], "override", "note"]
KINDS = ("all", "grid", "fuel", "tce", "heat")


def shipped_factors(kind: str = "all") -> Result:
    """The shipped factors.

    Parameters
    ----------
    kind : {"all", "grid", "fuel", "tce", "heat"}

    Returns
    -------
    Result
        Frame with ``COLUMNS`` (``value`` in ``unit``; ``year`` the data year or empty).
    """
    import pandas as pd

    if kind not in KINDS:
        raise GreenparkError(f"--kind {kind!r}: choose one of {', '.join(KINDS)}")
    rows = []
    if kind in ("all", "grid"):
        rows += [_grid_row(r) for r in grid_table()]
    if kind in ("all", "fuel"):
        for carrier in FUEL_ROWS:
            rows += [_row(f) for f in fuel_parameters(carrier).values()]
    if kind in ("all", "tce"):
        rows += [_row(coal_coefficient(c)) for c in COAL_ROWS]
    if kind in ("all", "heat"):
        rows.append(_row(purchased_heat_factor()))
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({"year": "Int64"})
    return Result(frame, inputs={"kind": kind})


def _grid_row(r: dict) -> list:
    return [
        f"grid.{r['kind']}.{r['level']}.{r['area_en']}.{r['data_year']}",
        float(r["kgco2_per_kwh"]),
        "tCO2/MWh",
        int(r["data_year"]),
        r["source"],
        r["confidence"],
        r["area_zh"],
    ]


def _row(f) -> list:
    return [f.factor_id, f.value, f.unit, f.year, f.source, f.confidence, f.note]


def factor_in_use(store, key: str, period: Period | str | int | None = None) -> Result:
    """The factor a park's accounting uses for slot ``key`` in each month of ``period``
    (default: this calendar year) where it changes: shipped or overridden, with notes.

    Returns
    -------
    Result
        Frame with ``IN_USE_COLUMNS``: ``from_month`` (YYYY-MM), the factor (``value`` in
        ``unit``), ``override`` and ``note``.
    """
    import pandas as pd

    if key not in FACTOR_SLOTS:
        raise GreenparkError(f"unknown factor key {key!r}; keys: {', '.join(FACTOR_SLOTS)}")
    period = park_period(store, dt.date.today().year if period is None else period)
    book = store.factor_book()
    rows, last = [], None
    for month in period.months:
        f = book.get(key, month)
        current = (f.factor_id, f.value, f.source, f.note)
        if current != last:
            rows.append([f"{month:%Y-%m}", *_row(f)[:-1], f.override, f.note])
            last = current
    frame = pd.DataFrame(rows, columns=IN_USE_COLUMNS).astype({"year": "Int64"})
    return Result(frame, inputs=result_inputs(store, period, key=key))


# ----------------------------------------------------------- DataFrame edges (public API)
def factor_library(kind: str = "all"):
    """:func:`shipped_factors` as a DataFrame."""
    return shipped_factors(kind).to_frame()


def effective_factor(store, key: str, year: int | None = None):
    """:func:`factor_in_use` of a calendar year (default: this one) as a DataFrame."""
    return factor_in_use(store, key, year).to_frame()
