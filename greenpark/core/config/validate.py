"""The park.toml validation toolkit: typed keys, inclusive ranges, choices, unknown keys.

Every section of park.toml is read through a :class:`Table`. Each check that fails
records a :class:`KeyProblem` naming the dotted key (``pv.economics.discount_rate``), the
bad value and the rule; once the whole file has been read, :meth:`Checker.raise_if_any`
raises them all as one :class:`InvalidConfig`, a
:class:`~greenpark.core.errors.ConfigError` whose message starts with the source file.
No value of any type (text, booleans, tables, mixed lists, ``nan``, ``inf``, huge
integers, dates) makes a check raise anything else.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from greenpark.core.errors import ConfigError

MAX_SHOWN_CHARS = 60  # values longer than this are cut in messages
MAX_LISTED_PROBLEMS = 20  # problems listed in one error message
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_YEAR = re.compile(r"[0-9]{4}")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()  # default of a key that must be given


@dataclass(frozen=True)
class KeyProblem:
    """One thing wrong with one key.

    Attributes
    ----------
    key : str
        Dotted key, e.g. ``accounting.grid_factor_level``.
    value : str
        The bad value as shown in the message (``""`` for a missing key).
    text : str
        The whole sentence: key, value and rule.
    """

    key: str
    value: str
    text: str


class InvalidConfig(ConfigError):
    """park.toml breaks one or more rules; ``problems`` lists every one of them."""

    def __init__(self, source: str, problems: list[KeyProblem]):
        self.source, self.problems = source, list(problems)
        if len(problems) == 1:
            message = f"{source}: {problems[0].text}"
        else:
            lines = [f"  {p.text}" for p in problems[:MAX_LISTED_PROBLEMS]]
            if len(problems) > MAX_LISTED_PROBLEMS:
                lines.append(f"  ... and {len(problems) - MAX_LISTED_PROBLEMS} more")
            message = f"{source}: {len(problems)} problems:\n" + "\n".join(lines)
        super().__init__(message)


def did_you_mean(word, choices: Iterable) -> str:
    """``"; did you mean 'x'"`` for the closest of ``choices`` (difflib), or ``""``."""
    import difflib  # here, not at import: only a mistake needs it (9 ms per process)

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}" if close else ""


def show(value) -> str:
    """A short ``repr`` of ``value`` for a message; never raises, long ones are cut."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's int-to-str digit limit
        text = f"<an integer of {len(format(value, 'x'))} hex digits>"
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "..."


def number_text(x: float) -> str:
    """``3`` for 3.0, ``0.5`` for 0.5, ``1000000`` for 1e6 (bounds in messages)."""
    if isinstance(x, int) or (x.is_integer() and abs(x) < 1e15):
        return str(int(x))
    return repr(x)


def is_number(value) -> bool:
    """An int or float, and not a bool (TOML ``true`` is no number)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def within(x: float, lo: float | None, hi: float | None, lo_open: bool = False) -> bool:
    """``lo <= x <= hi`` (``lo < x`` when ``lo_open``); ``None`` is no bound."""
    above = lo is None or (x > lo if lo_open else x >= lo)
    return above and (hi is None or x <= hi)


def interval_text(lo: float | None, hi: float | None, lo_open: bool = False) -> str:
    """``[0.5, 3]``, ``(0, 1]``, ``[0, inf)``."""
    left = "(-inf" if lo is None else ("(" if lo_open else "[") + number_text(lo)
    right = "inf)" if hi is None else number_text(hi) + "]"
    return f"{left}, {right}"


class Checker:
    """Collects the problems of one park.toml (``source`` names it in the error)."""

    def __init__(self, source: str = "park.toml"):
        self.source = source
        self.problems: list[KeyProblem] = []

    def root(self, doc: Mapping) -> Table:
        """The whole document as a :class:`Table` (its sections are sub-tables)."""
        return Table(self, doc, "")

    def add(self, key: str, value: str, text: str) -> None:
        self.problems.append(KeyProblem(key, value, text))

    def raise_if_any(self) -> None:
        """Raise :class:`InvalidConfig` with every problem recorded, if there is one."""
        if self.problems:
            raise InvalidConfig(self.source, self.problems)


class Table:
    """One table of park.toml (``name`` is its dotted path; ``""`` for the document).

    Each reader returns the checked value, the ``default`` when the key is absent
    (returned as given, not checked), or ``None`` after recording a problem.
    """

    def __init__(self, checker: Checker, data: Mapping, name: str):
        self.checker, self.data, self.name = checker, data, name
        self.failed: set[str] = set()

    @property
    def given(self) -> frozenset[str]:
        """Keys present in the file."""
        return frozenset(self.data)

    def key(self, key) -> str:
        """The dotted name of ``key`` (quoted when it is not a bare TOML key)."""
        key = str(key)
        if not _BARE_KEY.fullmatch(key):
            key = json.dumps(key, ensure_ascii=False)
        if len(key) > MAX_SHOWN_CHARS:
            key = key[: MAX_SHOWN_CHARS - 3] + "..."
        return f"{self.name}.{key}" if self.name else key

    def ok(self, *keys: str) -> bool:
        """No problem was recorded for any of ``keys`` (for checks across keys)."""
        return not self.failed.intersection(keys)

    def fail(self, key, value, text: str) -> None:
        """Record a problem: ``text`` is the whole sentence (key, value and rule)."""
        self.failed.add(str(key))
        self.checker.add(self.key(key), "" if value is None else show(value), text)

    def wrong_type(self, key, value, kind: str) -> None:
        """``pv.albedo must be a number, got 'high'``."""
        self.fail(key, value, f"{self.key(key)} must be {kind}, got {show(value)}")

    def out_of_range(self, key, value, lo, hi, lo_open: bool = False, note: str = "") -> None:
        """``pv.dc_ac_ratio = 9 is outside [0.5, 3]``."""
        where = interval_text(lo, hi, lo_open)
        self.fail(key, value, f"{self.key(key)} = {show(value)} is outside {where}{note}")

    def _get(self, key: str, default):
        """``(value, True)`` if given; ``(default, False)`` if not (recording a missing key)."""
        if key in self.data:
            return self.data[key], True
        if default is REQUIRED:
            self.fail(key, None, f"missing key {self.key(key)}")
            return None, False
        return default, False

    # --- readers ------------------------------------------------------------------
    def keys(self, known: Iterable[str], skip: Iterable[str] = ()) -> None:
        """Record every key not in ``known`` (nor ``skip``), with a did-you-mean."""
        known, skip = list(known), set(skip)
        for key in self.data:
            if key not in known and key not in skip:
                hint = did_you_mean(key, known)
                listed = ", ".join(sorted(known))
                self.fail(key, None, f"unknown key {self.key(key)}{hint} (known: {listed})")

    def table(self, key: str) -> Table:
        """The sub-table ``key`` (empty when absent; a problem when not a table)."""
        value = self.data.get(key, {})
        if not isinstance(value, Mapping):
            self.wrong_type(key, value, "a table")
            value = {}
        return Table(self.checker, value, self.key(key))

    def number(self, key: str, default=REQUIRED, lo=None, hi=None, *, lo_open=False, note=""):
        """A finite int or float within ``[lo, hi]`` (``(lo, hi]`` when ``lo_open``) [float]."""
        value, given = self._get(key, default)
        if not given:
            return value
        x = _finite(value)
        if x is None:
            self.wrong_type(key, value, "a finite number" if is_number(value) else "a number")
            return None
        if not within(x, lo, hi, lo_open):
            self.out_of_range(key, value, lo, hi, lo_open, note)
            return None
        return x

    def integer(self, key: str, default=REQUIRED, lo=None, hi=None, *, note=""):
        """A whole number (``25`` or ``25.0``) within ``[lo, hi]`` [int]."""
        value, given = self._get(key, default)
        if not given:
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not is_number(value) or not isinstance(value, int):
            self.wrong_type(key, value, "a whole number")
            return None
        if not within(value, lo, hi):
            self.out_of_range(key, value, lo, hi, note=note)
            return None
        return value

    def text(self, key: str, default=REQUIRED, *, empty_ok: bool = False):
        """A string, stripped; non-empty unless ``empty_ok``."""
        value, given = self._get(key, default)
        if not given:
            return value
        if not isinstance(value, str) or not (empty_ok or value.strip()):
            self.wrong_type(key, value, "a string" if empty_ok else "a non-empty string")
            return None
        return value.strip()

    def flag(self, key: str, default=REQUIRED):
        """``true`` or ``false`` (not 1, 0 or "yes")."""
        value, given = self._get(key, default)
        if given and not isinstance(value, bool):
            self.wrong_type(key, value, "true or false")
            return None
        return value

    def choice(self, key: str, choices: Iterable[str], default=REQUIRED):
        """One of ``choices`` (a did-you-mean for a near miss)."""
        value, given = self._get(key, default)
        choices = tuple(choices)
        if given and not (isinstance(value, str) and value in choices):
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            listed = ", ".join(choices)
            self.fail(key, value, f"{self.key(key)} = {show(value)}: choose one of {listed}{hint}")
            return None
        return value

    def strings(self, key: str, default=(), *, choices: Iterable[str] | None = None):
        """A list of non-empty strings, each one of ``choices`` when given [tuple]."""
        value, given = self._get(key, default)
        if not given:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.wrong_type(key, value, "a list of non-empty strings")
            return None
        out = tuple(v.strip() for v in value)
        allowed = None if choices is None else tuple(choices)
        bad = [v for v in out if allowed is not None and v not in allowed]
        if bad:
            hint = did_you_mean(bad[0], allowed)
            self.fail(
                key,
                value,
                f"{self.key(key)}: {show(bad[0])} is not one of {', '.join(allowed)}{hint}",
            )
            return None
        return out

    def year_map(self, key: str, years: tuple[int, int], lo=None, hi=None, *, lo_open=False):
        """A table ``{2024 = 302.4, ...}``: year keys in ``years``, values numbers in range.

        Returns
        -------
        dict of int to float
            Year -> value; ``{}`` when the key is absent.
        """
        if key in self.data and not isinstance(self.data[key], Mapping):
            self.wrong_type(key, self.data[key], "a table of year = number, like {2024 = 1.0}")
            return None
        sub = self.table(key)
        out = {}
        for year in sub.data:
            if not (_YEAR.fullmatch(str(year)) and years[0] <= int(year) <= years[1]):
                where = interval_text(*years)
                sub.fail(year, year, f"{sub.key(year)}: {show(year)} is not a year in {where}")
                continue
            out[int(year)] = sub.number(year, REQUIRED, lo, hi, lo_open=lo_open)
        if sub.failed:
            self.failed.add(key)
            return None
        return out

    def custom(self, key: str, default, convert: Callable, kind: str):
        """``convert(value)`` for a given value; ``None`` from it means "must be ``kind``"."""
        value, given = self._get(key, default)
        if not given:
            return value
        out = convert(value)
        if out is None:
            self.wrong_type(key, value, kind)
        return out


def _finite(value) -> float | None:
    """``float(value)`` for a finite number, else ``None`` (bools, text, nan, inf, 1e400)."""
    if not is_number(value):
        return None
    try:
        x = float(value)
    except OverflowError:
        return None
    return x if math.isfinite(x) else None
