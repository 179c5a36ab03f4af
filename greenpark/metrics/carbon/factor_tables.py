"""Tables of the factor library for people: what ships, and what a park uses."""

from __future__ import annotations

import datetime as dt

from greenpark.core.errors import GreenparkError
from greenpark.core.factors import (
    COAL_ROWS,
    FUEL_ROWS,
    coal_coefficient,
    fuel_parameters,
    grid_table,
    purchased_heat_factor,
)

COLUMNS = ["factor_id", "value", "unit", "year", "source", "confidence", "note"]


def factor_library(kind: str = "all"):
    """The shipped factors as a DataFrame (``COLUMNS``).

    Parameters
    ----------
    kind : {"all", "grid", "fuel", "tce", "heat"}
    """
    import pandas as pd

    rows = []
    if kind in ("all", "grid"):
        rows += [
            [
                f"grid.{r['kind']}.{r['level']}.{r['area_en']}.{r['data_year']}",
                float(r["kgco2_per_kwh"]),
                "tCO2/MWh",
                int(r["data_year"]),
                r["source"],
                r["confidence"],
                r["area_zh"],
            ]
            for r in grid_table()
        ]
    if kind in ("all", "fuel"):
        for carrier in FUEL_ROWS:
            rows += [_row(f) for f in fuel_parameters(carrier).values()]
    if kind in ("all", "tce"):
        rows += [_row(coal_coefficient(c)) for c in COAL_ROWS]
    if kind in ("all", "heat"):
        rows.append(_row(purchased_heat_factor()))
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": "Int64"})


def _row(f) -> list:
    return [f.factor_id, f.value, f.unit, f.year, f.source, f.confidence, f.note]


def effective_factor(store, key: str, year: int | None = None):
    """The shipped and effective value of factor slot ``key`` for each month of ``year``
    that differs, as the park's accounting would use it.

    Returns
    -------
    pandas.DataFrame
        ``month, factor_id, value, unit, year, source, confidence, override, note``.
    """
    import pandas as pd

    from greenpark.core.factors import FACTOR_SLOTS

    if key not in FACTOR_SLOTS:
        raise GreenparkError(f"unknown factor key {key!r}; keys: {', '.join(FACTOR_SLOTS)}")
    book = store.factor_book()
    year = year or dt.date.today().year
    rows, last = [], None
    for m in range(1, 13):
        month = dt.date(year, m, 1)
        f = book.get(key, month)
        current = (f.factor_id, f.value, f.source, f.note)
        if current != last:
            rows.append(
                [
                    f"{month:%Y-%m}",
                    f.factor_id,
                    f.value,
                    f.unit,
                    f.year,
                    f.source,
                    f.confidence,
                    f.override,
                    f.note,
                ]
            )
            last = current
    return pd.DataFrame(
        rows,
        columns=[
            "from_month",
            "factor_id",
            "value",
            "unit",
            "year",
            "source",
            "confidence",
            "override",
            "note",
        ],
    ).astype({"year": "Int64"})
