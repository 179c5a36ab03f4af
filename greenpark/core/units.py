"""The application's single pint registry and unit conversion helpers.

pint is used at the edges only: to turn the unit a user declares into a factor to the
canonical unit of a carrier. DataFrames and the database hold plain floats.
"""

from __future__ import annotations

import math
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


MAX_UNIT_CHARS = 40
# One token of a unit: an exponent (** and a small integer), an operator, a parenthesis,
# a plain number (exponent of at most two digits) or a name.
_UNIT_TOKEN = re.compile(
    r"\*\*\s*[+-]?[0-9]\b|[*/()]|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,2})?(?![0-9])"
    r"|[^\W\d][\w]*|\s+"
)


class UnitError(GreenparkError):
    """A unit is unknown or does not fit what it measures."""


@cache
def registry():
    """Return the application's pint UnitRegistry (built once, on first use).

    pint keeps its parsed default definitions in its own cache folder (``cache_folder=
    ":auto:"``, the user's cache directory; keyed by the definition files' contents):
    0.03 s instead of 0.26 s per process. Without a usable cache folder the definitions
    are parsed as before.
    """
    import pint

    try:
        ureg = pint.UnitRegistry(cache_folder=":auto:")
    except OSError:  # no writable cache folder
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
    text = check_unit_text(unit)
    ureg = registry()
    try:
        quantity = ureg.parse_expression(text) * 1.0
        factor = float(quantity.to(normalize_unit(canonical)).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(f"unit {unit!r} does not measure the same thing as {canonical}") from None
    except Exception:  # pint raises many types for text its parser cannot take
        raise UnitError(f"unknown unit {unit!r}") from None
    if not math.isfinite(factor) or factor <= 0:
        raise UnitError(f"unit {unit!r} gives a factor of {factor!r}; it must be finite and > 0")
    return factor


def check_unit_text(unit: str) -> str:
    """Check a unit against the safe grammar and return it normalized for pint.

    The grammar: names (``kWh``, ``Nm3``), plain numbers (``10000``, ``1e3``), ``*``,
    ``/``, ``·``, parentheses (nesting at most 3 deep) and small integer exponents
    (``m**3``, ``m^2``, at most one per factor: no exponent towers), at most
    :data:`MAX_UNIT_CHARS` characters. pint evaluates what it is given, so an unchecked
    ``9**9**9 kWh`` would spin the CPU for minutes.

    Raises
    ------
    UnitError
        Naming the rule broken.
    """
    raw = str(unit).strip()
    if len(raw) > MAX_UNIT_CHARS:
        raise UnitError(f"unit is longer than {MAX_UNIT_CHARS} characters")
    text = normalize_unit(raw).replace("·", "*").replace("^", "**")
    tokens = _UNIT_TOKEN.findall(text)
    if "".join(tokens).replace(" ", "") != text.replace(" ", ""):
        raise UnitError(f"unit {unit!r}: only names, numbers, * / ** and ( ) are allowed")
    _check_unit_tokens([t for t in tokens if t.strip()], unit)
    return text


def _check_unit_tokens(tokens: list[str], unit: str) -> None:
    """Operators between operands, balanced parentheses, one small exponent per factor."""
    depth, expect_operand = 0, True
    for i, tok in enumerate(tokens):
        if tok == "(":
            depth += 1
            if depth > 3 or not expect_operand:
                raise UnitError(f"unit {unit!r}: misplaced or too deeply nested '('")
        elif tok == ")":
            depth -= 1
            if depth < 0 or expect_operand:
                raise UnitError(f"unit {unit!r}: unbalanced ')'")
        elif tok in ("*", "/"):
            if expect_operand:
                raise UnitError(f"unit {unit!r}: operator {tok!r} without an operand")
            expect_operand = True
        elif tok.startswith("**"):
            if expect_operand or (i >= 1 and tokens[i - 1].startswith("**")):
                raise UnitError(f"unit {unit!r}: exponents cannot be stacked")
        else:
            expect_operand = False
    if depth or expect_operand:
        raise UnitError(f"unit {unit!r} is incomplete")
