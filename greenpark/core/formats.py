"""One number-formatting table by column kind, for everything people read (CLI tables,
the HTML report, the workbook's number formats), and clean values for machines (CSV,
JSON: unrounded, but without binary noise such as ``4671461.499999999``).

A column's kind comes from the label catalogue (:func:`greenpark.core.labels.kind`).
"""

from __future__ import annotations

import math

# kind -> (decimals, thousands separator, Excel number format); decimals None: as
# published (every significant digit, up to 15)
FORMATS: dict[str, tuple[int | None, bool, str]] = {
    "year": (0, False, "0"),
    "count": (0, True, "#,##0"),
    "kwh": (0, True, "#,##0"),
    "tce": (2, True, "#,##0.00"),
    "tco2": (2, True, "#,##0.00"),
    "energy": (1, True, "#,##0.0"),
    "mass": (3, True, "#,##0.000"),
    "money": (2, True, "#,##0.00"),
    "pct": (1, True, "0.0"),
    "ratio": (4, False, "0.0000"),
    "factor": (None, False, "General"),
    "quantity": (None, True, "#,##0.###"),
}
# a value column shared by rows of different units (the zero-carbon indicators: value,
# threshold): the kind follows the row's unit
UNIT_KINDS = {
    "%": "pct",
    "tCO2/tce": "ratio",
    "grade": "count",
    "tCO2": "tco2",
    "tce": "tce",
    "kWh": "kwh",
    "MWh": "mass",
    "h": "energy",  # hours (a gap's length): 1 decimal, as longest_gap_h
}
ROW_UNIT_COLUMNS = frozenset({"value", "threshold"})
SIGNIFICANT = 15  # digits kept by clean(): the noise of float sums lies in the 16th-17th


def clean(value):
    """A float without binary noise (15 significant digits); other values unchanged.

    >>> clean(4671461.499999999)
    4671461.5
    """
    if isinstance(value, float) and math.isfinite(value) and value != 0:
        return float(f"{value:.{SIGNIFICANT}g}")
    return value


def format_number(value: float, kind: str | None) -> str:
    """``value`` as text for people, by the column's kind (see :data:`FORMATS`).

    Unknown kinds: thousands-separated, 2 decimals from 1 up, 4 significant digits
    below 1.
    """
    decimals, thousands, _ = FORMATS.get(kind, (-1, True, ""))
    sep = "," if thousands else ""
    if decimals is None:  # as published: all digits, no trailing zeros
        text = f"{clean(value):.{SIGNIFICANT}g}"
        if "e" in text:
            return text
        if thousands and abs(value) >= 1000:
            whole, _, frac = text.partition(".")
            return f"{int(whole):,}" + (f".{frac}" if frac else "")
        return text
    if decimals == -1:
        if value == 0:
            return "0"
        if abs(value) >= 1:
            return f"{value:,.2f}"
        return f"{value:.4g}"
    if kind in ("year", "count"):
        return f"{round(value):{sep}d}"
    text = f"{value:{sep}.{decimals}f}"
    if value != 0 and math.isfinite(value) and float(text.replace(",", "")) == 0:
        return f"{value:.2g}"  # never a non-zero value as 0 or -0 (e.g. a -0.3 kWh reading)
    return text


def row_kind(column: str, unit) -> str | None:
    """The kind of a :data:`ROW_UNIT_COLUMNS` cell from its row's ``unit`` (None for
    other columns and units: the column's own kind applies)."""
    if column in ROW_UNIT_COLUMNS and isinstance(unit, str):
        return UNIT_KINDS.get(unit)
    return None


def excel_format(kind: str | None) -> str:
    """The Excel number format of a kind (``#,##0.00`` for unknown kinds)."""
    return FORMATS.get(kind, (None, True, "#,##0.00"))[2]
