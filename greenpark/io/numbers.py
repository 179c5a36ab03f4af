"""One strict grammar for the numbers found in input files, used by every loader.

A number is an optional sign, digits with at most one decimal mark, and an optional
exponent: ``12``, ``-0.75``, ``1.5e3``, ``.5``. Nothing else is read as a number, so
nothing is reinterpreted silently:

* the decimal mark is ``.``; ``,`` only when the user declares it (``--decimal ,``), and
  then ``.`` is not one (``"1,5"`` is refused by default instead of becoming 15);
* thousands separators only when declared (``--thousands ,``), and then only in groups of
  three (``1,234,567``; ``1,2,3`` is refused);
* full-width digits (``１２``), ``1_000``, hexadecimal, ``inf`` and ``nan`` are refused;
* a value must be finite (``1e999`` is refused, and so is a product that overflows).

:func:`parse_number` parses one cell in Python (the table loaders); :func:`number_sql`
is the same grammar as a DuckDB expression (the readings loader's careful path), and
:data:`NUMBER_PATTERN` is what both share.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import re
from dataclasses import dataclass

# Digits, one optional decimal point, an optional exponent; the decimal mark is "."
# here: a declared "," is replaced by "." before matching (the "." is then refused).
NUMBER_PATTERN = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?"
_NUMBER = re.compile(NUMBER_PATTERN)
DECIMALS = (".", ",")
THOUSANDS = (None, ",", ".", " ", "'")
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff0c\uff0e\uff0b\uff0d]")
_MAX_CHARS = 64


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are written in a file.

    Attributes
    ----------
    decimal : str
        Decimal mark: ``.`` (default) or ``,``.
    thousands : str or None
        Declared thousands separator (``,``, ``.``, space, ``'``), or None: none allowed.
    """

    decimal: str = "."
    thousands: str | None = None

    def __post_init__(self):
        if self.decimal not in DECIMALS:
            raise ValueError(f"decimal mark must be one of {' '.join(DECIMALS)}")
        if self.thousands not in THOUSANDS:
            raise ValueError("thousands separator must be one of , . space '")
        if self.thousands == self.decimal:
            raise ValueError("the thousands separator cannot be the decimal mark")

    @property
    def rule(self) -> str:
        """The grammar in words, for error messages."""
        sep = (
            f"thousands separator {self.thousands!r} in groups of three"
            if self.thousands
            else "no thousands separators"
        )
        return f"must be a finite number with decimal mark {self.decimal!r} ({sep})"


DEFAULT_FORMAT = NumberFormat()


def parse_number(text: str, fmt: NumberFormat | None = None) -> float:
    """Parse one cell's text as a number, strictly.

    Parameters
    ----------
    text : str
        The cell, as in the file (surrounding spaces are allowed).
    fmt : NumberFormat, optional
        Declared decimal mark and thousands separator (default: :func:`current_format`).

    Returns
    -------
    float
        The finite value.

    Raises
    ------
    ValueError
        Whose text is the rule the cell breaks.
    """
    fmt = fmt or current_format()
    cleaned = _canonical(str(text), fmt)
    if cleaned is None or not _NUMBER.fullmatch(cleaned):
        raise ValueError(_why(str(text), fmt))
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError("must be a finite number (this one is too large)")
    return value


def _canonical(text: str, fmt: NumberFormat) -> str | None:
    """The text with declared separators removed and the decimal mark made ``.``."""
    text = text.strip()
    if not text or len(text) > _MAX_CHARS:
        return None
    if fmt.thousands:
        text = _drop_thousands(text, fmt)
        if text is None:
            return None
    if fmt.decimal == ",":
        if "." in text:
            return None
        text = text.replace(",", ".")
    return text


def _drop_thousands(text: str, fmt: NumberFormat) -> str | None:
    """``1,234,567.5`` -> ``1234567.5``; None when the groups are not of three."""
    sign = text[0] if text[0] in "+-" else ""
    body = text[len(sign) :]
    whole, mark, rest = body.partition(fmt.decimal)
    groups = whole.split(fmt.thousands)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return sign + "".join(groups) + mark + rest


def _why(text: str, fmt: NumberFormat) -> str:
    """The rule a refused cell breaks, as specific as it can be."""
    stripped = text.strip()
    if _FULL_WIDTH.search(stripped):
        return "full-width digits or signs are not read as numbers; use ASCII digits"
    if "_" in stripped:
        return "digit separators '_' are not read as numbers"
    if stripped.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return "must be a finite number"
    if fmt.decimal == "." and "," in stripped and not fmt.thousands:
        return (
            "',' is not a decimal mark here (give --decimal , if the file uses one) "
            "nor a declared thousands separator (--thousands ,)"
        )
    return fmt.rule


def number_sql(expr: str, fmt: NumberFormat | None = None) -> str:
    """The same grammar as a DuckDB expression: ``expr`` (text) as DOUBLE or NULL.

    Parameters
    ----------
    expr : str
        SQL expression of a text column (an internal name, never user text).
    fmt : NumberFormat
        Declared decimal mark and thousands separator (validated constants; default:
        :func:`current_format`).

    Returns
    -------
    str
        SQL: the finite DOUBLE, or NULL when the text breaks the grammar.
    """
    fmt = fmt or current_format()
    text = f"trim({expr})"
    if fmt.thousands:
        sep = fmt.thousands.replace("'", "''")
        grouped = (
            f"regexp_full_match({text}, '[+-]?[0-9]{{1,3}}([{sep}][0-9]{{3}})*"
            f"([{fmt.decimal}][0-9]*)?([eE][+-]?[0-9]{{1,3}})?')"
        )
        text = f"CASE WHEN {grouped} THEN replace({text}, '{sep}', '') ELSE {text} END"
    if fmt.decimal == ",":
        text = f"CASE WHEN contains({text}, '.') THEN NULL ELSE replace({text}, ',', '.') END"
    cast = f"TRY_CAST({text} AS DOUBLE)"
    return (
        f"CASE WHEN regexp_full_match({text}, '{NUMBER_PATTERN}') AND isfinite({cast}) "
        f"THEN {cast} END"
    )


_CURRENT = contextvars.ContextVar("greenpark_number_format", default=DEFAULT_FORMAT)


def current_format() -> NumberFormat:
    """The number format loaders use now (``.`` decimals, no separators by default)."""
    return _CURRENT.get()


@contextlib.contextmanager
def number_format(decimal: str = ".", thousands: str | None = None):
    """Declare how the numbers of the files loaded in this block are written.

    Parameters
    ----------
    decimal : str
        ``.`` or ``,``.
    thousands : str or None
        ``,``, ``.``, ``" "``, ``'`` or None.

    Raises
    ------
    ValueError
        For an unsupported mark (the CLI turns it into an option error).

    Examples
    --------
    >>> with number_format(decimal=","):
    ...     parse_number("1,5")
    1.5
    """
    token = _CURRENT.set(NumberFormat(decimal, thousands or None))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
