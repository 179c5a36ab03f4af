"""The application's single pint registry and unit conversion helpers.

pint is used at the edges only: to turn the unit a user declares into a factor to the
canonical unit of a carrier. DataFrames and the database hold plain floats.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from greenpark.core.errors import GreenparkError

# Units as they appear in Chinese metering exports, spelled the way pint understands.
ALIASES = {
    "度": "kWh",
    "千瓦时": "kWh",
    "千瓦·时": "kWh",
    "万千瓦时": "10000 kWh",
    "兆瓦时": "MWh",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "wh": "Wh",
    "m3": "m**3",
    "m2": "m**2",
    "立方米": "m**3",
    "方": "m**3",
    "万立方米": "10000 m**3",
    "标方": "Nm3",
    "nm3": "Nm3",
    "nm³": "Nm3",
    "m³": "m**3",
    "m²": "m**2",
    "吨": "t",
    "千克": "kg",
    "公斤": "kg",
    "吉焦": "GJ",
    "兆焦": "MJ",
    "gj": "GJ",
    "mj": "MJ",
    "tce": "tce",
    "吨标煤": "tce",
    "千克标煤": "kgce",
    "kw": "kW",
}


class UnitError(GreenparkError):
    """A unit is unknown or does not fit what it measures."""


@cache
def registry():
    """Return the application's pint UnitRegistry (built once, on first use)."""
    import pint

    ureg = pint.UnitRegistry()
    path = resources.files("greenpark") / "data" / "units.txt"
    ureg.load_definitions(str(path))
    return ureg


def normalize_unit(unit: str) -> str:
    """Map a unit label as found in exports to a pint expression.

    Parameters
    ----------
    unit : str
        Unit label, e.g. ``"度"``, ``"MWh"``, ``"m³"``.

    Returns
    -------
    str
        A string pint can parse.
    """
    text = str(unit).strip()
    text = ALIASES.get(text, ALIASES.get(text.lower(), text))
    # "m3" and "m2" inside compound units (MJ/m3, kWh/m2): pint wants m**3.
    text = re.sub(
        r"(?<![A-Za-z])m([23³²])(?![0-9])",
        lambda m: "m**" + {"³": "3", "²": "2"}.get(m.group(1), m.group(1)),
        text,
    )
    return text


@cache
def factor_to(unit: str, canonical: str) -> float:
    """Factor that converts a value in ``unit`` into ``canonical``.

    Parameters
    ----------
    unit : str
        The unit the data comes in.
    canonical : str
        The canonical unit of the carrier.

    Returns
    -------
    float
        Multiply a value in ``unit`` by this to get ``canonical``. [canonical/unit]

    Raises
    ------
    UnitError
        If the unit is unknown or has another dimension than ``canonical``.
    """
    import pint

    if not str(unit).strip():
        raise UnitError("unit is empty")
    ureg = registry()
    try:
        quantity = ureg.parse_expression(normalize_unit(unit)) * 1.0
        return float(quantity.to(normalize_unit(canonical)).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(f"unit {unit!r} does not measure the same thing as {canonical}") from None
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        ValueError,
        AttributeError,
        TypeError,
    ):
        raise UnitError(f"unknown unit {unit!r}") from None
