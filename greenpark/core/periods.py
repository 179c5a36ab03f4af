"""Reporting periods in park local time, as UTC bounds for queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from greenpark.core.errors import GreenparkError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A half-open period [start, end) of park local time.

    Attributes
    ----------
    label : str
        ``YYYY-MM`` or ``YYYY``.
    start_local, end_local : datetime
        Naive local bounds.
    start_utc, end_utc : datetime
        Naive UTC bounds (what the database stores).
    """

    label: str
    start_local: dt.datetime
    end_local: dt.datetime
    start_utc: dt.datetime
    end_utc: dt.datetime

    @property
    def hours(self) -> float:
        """Length of the period. [h]"""
        return (self.end_utc - self.start_utc).total_seconds() / 3600


def month_period(month: str, timezone: str) -> Period:
    """The calendar month ``YYYY-MM`` in ``timezone``.

    Raises
    ------
    GreenparkError
        If ``month`` is not ``YYYY-MM``.
    """
    match = _MONTH.match(str(month).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise GreenparkError(f"--month {month!r}: expected YYYY-MM, e.g. 2025-06")
    year, mon = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, mon, 1)
    end = dt.datetime(year + mon // 12, mon % 12 + 1, 1)
    return Period(
        f"{year:04d}-{mon:02d}", start, end, to_utc(start, timezone), to_utc(end, timezone)
    )


def to_utc(local: dt.datetime, timezone: str) -> dt.datetime:
    """Naive local -> naive UTC (the earlier instant where a wall time is ambiguous)."""
    aware = local.replace(tzinfo=ZoneInfo(timezone), fold=0)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(utc: dt.datetime, timezone: str) -> dt.datetime:
    """Naive UTC -> naive local."""
    return utc.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def year_period(year: int | str, timezone: str) -> Period:
    """The calendar year ``YYYY`` in ``timezone``."""
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4):
        raise GreenparkError(f"--year {year!r}: expected YYYY, e.g. 2025")
    start, end = dt.datetime(int(text), 1, 1), dt.datetime(int(text) + 1, 1, 1)
    return Period(text, start, end, to_utc(start, timezone), to_utc(end, timezone))


def period_of(month: str | None, year: int | str | None, timezone: str) -> Period:
    """The period of ``--month`` or ``--year`` (exactly one must be given)."""
    if (month is None) == (year is None):
        raise GreenparkError("give exactly one of --month YYYY-MM or --year YYYY")
    return month_period(month, timezone) if month is not None else year_period(year, timezone)
