"""Exceptions raised by the library; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field


class GreenparkError(Exception):
    """Base class for errors a user can act on (bad input, bad config, busy database)."""

    exit_code = 1


class ConfigError(GreenparkError):
    """park.toml (or another configuration) is missing a key or has a bad value."""


class DatabaseInUseError(GreenparkError):
    """Another process holds the park database open for writing."""

    exit_code = 3


@dataclass
class Problem:
    """One thing wrong with one place of an input file.

    Attributes
    ----------
    line : int or None
        1-based line (CSV) or row (XLSX, Parquet) number in the file.
    column : str or None
        Column name as it appears in the file.
    value : str or None
        The offending value, as text.
    rule : str
        What is wrong, in words.
    code : str
        A dotted machine-readable code, e.g. ``readings.unknown_meter``.
    """

    line: int | None
    column: str | None
    value: str | None
    rule: str
    code: str = "input.invalid"

    def describe(self, unit: str = "line") -> str:
        where = []
        if self.line is not None:
            where.append(f"{unit} {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        val = "" if self.value is None else f" value {self.value!r}:"
        prefix = ", ".join(where)
        return f"{prefix}:{val} {self.rule}" if prefix else f"{val} {self.rule}".strip()


@dataclass
class InputError(GreenparkError):
    """An input file breaks a rule; nothing of it was loaded.

    Parameters
    ----------
    path : str
        The file.
    problems : list of Problem
        The first problems found (``total`` says how many there were).
    total : int
        Number of problems found in all.
    unit : str
        ``line`` for text files, ``row`` for spreadsheets and Parquet.
    """

    path: str
    problems: list[Problem] = field(default_factory=list)
    total: int | None = None
    unit: str = "line"
    # What earlier files of the same command did (their loads were committed).
    context: str = ""
    exit_code = 2

    def __post_init__(self):
        super().__init__(str(self))

    def __str__(self) -> str:
        total = self.total if self.total is not None else len(self.problems)
        head = f"{self.path}: "
        tail = f"\n{self.context}" if self.context else ""
        if total == 1 and self.problems:
            return head + self.problems[0].describe(self.unit) + tail
        lines = [f"{head}{total} problem(s); nothing of this file was loaded"]
        lines += ["  " + p.describe(self.unit) for p in self.problems]
        if total > len(self.problems):
            lines.append(f"  ... and {total - len(self.problems)} more")
        return "\n".join(lines) + tail
