"""Reporting periods: the one place greenpark does month arithmetic.

A :class:`Period` is a run of whole calendar months in park local time: a month, a
calendar year, a year to date, a rolling 12 months or any month range. It is parsed
once at the edge (a CLI option or an API argument) with :meth:`Period.parse` or
:func:`period_of`, and every metric takes it. Database queries use its UTC bounds
(:meth:`Period.utc_bounds`), because readings are stored in UTC.

Change columns have one name each everywhere: :data:`CHANGES`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from greenpark.core.errors import GreenparkError

KINDS = ("month", "year", "ytd", "rolling12", "range")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2})\s*\.\.\s*(\d{4}-\d{2})$")

# The comparisons a report shows, by their one column name: (current, baseline) windows
# of :meth:`Period.windows`.
CHANGES = {
    "mom_pct": ("month", "previous_month"),
    "yoy_pct": ("month", "month_last_year"),
    "ytd_yoy_pct": ("ytd", "ytd_last_year"),
    "rolling_12m_yoy_pct": ("rolling_12m", "rolling_12m_last_year"),
}


def add_months(month: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) ``month``'s month."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_start(day: dt.date | dt.datetime) -> dt.date:
    """The first day of ``day``'s month."""
    return dt.date(day.year, day.month, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``'s month."""
    return add_months(month, 1) - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first`` to ``last`` inclusive."""
    first, last = month_start(first), month_start(last)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(max(count, 0))]


def to_utc(local: dt.datetime, timezone: str) -> dt.datetime:
    """Naive local -> naive UTC (the earlier instant where a wall time is ambiguous)."""
    aware = local.replace(tzinfo=ZoneInfo(timezone), fold=0)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(utc: dt.datetime, timezone: str) -> dt.datetime:
    """Naive UTC -> naive local."""
    return utc.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def parse_month(text: str, option: str = "--month") -> dt.date:
    """``YYYY-MM`` -> the first day of that month.

    Raises
    ------
    GreenparkError
        Naming ``option`` when the text is not a month.
    """
    match = _MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise GreenparkError(f"{option} {text!r}: expected YYYY-MM, e.g. 2025-06")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def parse_year(text: int | str, option: str = "--year") -> int:
    """``YYYY`` -> the year."""
    match = _YEAR.match(str(text).strip())
    if not match:
        raise GreenparkError(f"{option} {text!r}: expected YYYY, e.g. 2025")
    return int(match.group(1))


@dataclass(frozen=True)
class Period:
    """Whole calendar months ``first`` .. ``last`` (inclusive) in park local time.

    Attributes
    ----------
    first, last : datetime.date
        First days of the first and the last month.
    kind : str
        ``month``, ``year``, ``ytd``, ``rolling12`` or ``range`` (what it was built as:
        it names the period in labels and decides what :meth:`previous` means).
    timezone : str or None
        The park's IANA timezone, for local and UTC bounds (:meth:`localized`).
    """

    first: dt.date
    last: dt.date
    kind: str = "range"
    timezone: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise GreenparkError(f"period kind {self.kind!r}: choose one of {', '.join(KINDS)}")
        if self.first.day != 1 or self.last.day != 1:
            raise GreenparkError("a period runs from the first day of a month")
        if self.last < self.first:
            raise GreenparkError(
                f"period {self.first:%Y-%m}..{self.last:%Y-%m}: the last month is before the first"
            )

    # --- construction -------------------------------------------------------------
    @classmethod
    def month(cls, month: dt.date | str, timezone: str | None = None) -> Period:
        """One calendar month (``2025-06`` or a date in it)."""
        m = parse_month(month) if isinstance(month, str) else month_start(month)
        return cls(m, m, "month", timezone)

    @classmethod
    def year(cls, year: int | str, timezone: str | None = None) -> Period:
        """One calendar year."""
        y = parse_year(year)
        return cls(dt.date(y, 1, 1), dt.date(y, 12, 1), "year", timezone)

    @classmethod
    def ytd(cls, month: dt.date | str, timezone: str | None = None) -> Period:
        """January to ``month`` of ``month``'s year."""
        m = parse_month(month) if isinstance(month, str) else month_start(month)
        return cls(dt.date(m.year, 1, 1), m, "ytd", timezone)

    @classmethod
    def rolling12(cls, month: dt.date | str, timezone: str | None = None) -> Period:
        """The 12 months ending with ``month``."""
        m = parse_month(month) if isinstance(month, str) else month_start(month)
        return cls(add_months(m, -11), m, "rolling12", timezone)

    @classmethod
    def range(cls, first: dt.date | str, last: dt.date | str, timezone: str | None = None):
        """Any run of months, ``first`` to ``last`` inclusive."""
        a = parse_month(first, "--period") if isinstance(first, str) else month_start(first)
        b = parse_month(last, "--period") if isinstance(last, str) else month_start(last)
        return cls(a, b, "range", timezone)

    @classmethod
    def parse(cls, text: str | int, timezone: str | None = None) -> Period:
        """``2025-06`` (a month), ``2025`` (a year) or ``2025-01..2025-06`` (a range).

        Raises
        ------
        GreenparkError
            Saying what was expected.
        """
        value = str(text).strip()
        if _MONTH.match(value):
            return cls.month(value, timezone)
        if _YEAR.match(value):
            return cls.year(value, timezone)
        match = _RANGE.match(value)
        if match:
            return cls.range(match.group(1), match.group(2), timezone)
        raise GreenparkError(
            f"--period {text!r}: expected YYYY-MM, YYYY or YYYY-MM..YYYY-MM "
            "(e.g. 2025-06, 2025, 2025-01..2025-06)"
        )

    def localized(self, timezone: str) -> Period:
        """The same months in ``timezone`` (the park's)."""
        return Period(self.first, self.last, self.kind, timezone)

    # --- what it covers -----------------------------------------------------------
    @property
    def months(self) -> list[dt.date]:
        """First days of every month in the period."""
        return months_between(self.first, self.last)

    @property
    def n_months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= month_start(day) <= self.last

    def covers(self, other: Period) -> bool:
        """Whether every month of ``other`` is in this period."""
        return self.first <= other.first and other.last <= self.last

    @property
    def year_of(self) -> int:
        """The calendar year of the last month."""
        return self.last.year

    @property
    def label(self) -> str:
        """``2025-06``, ``2025``, or ``2025-01..2025-06`` (ytd, rolling, ranges); a
        period of one month (a January year to date) is labelled as that month."""
        if self.kind == "month" or self.first == self.last:
            return f"{self.first:%Y-%m}"
        if self.kind == "year":
            return f"{self.first:%Y}"
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"

    def __str__(self) -> str:
        return self.label

    # --- bounds -------------------------------------------------------------------
    @property
    def start_local(self) -> dt.datetime:
        """Naive local start (inclusive)."""
        return dt.datetime(self.first.year, self.first.month, 1)

    @property
    def end_local(self) -> dt.datetime:
        """Naive local end (exclusive): the start of the month after ``last``."""
        end = add_months(self.last, 1)
        return dt.datetime(end.year, end.month, 1)

    def utc_bounds(self, timezone: str | None = None) -> tuple[dt.datetime, dt.datetime]:
        """Naive UTC ``[start, end)`` of the period in ``timezone`` (default: its own)."""
        tz = timezone or self.timezone
        if tz is None:
            raise GreenparkError(f"period {self.label}: no timezone to place it in")
        return to_utc(self.start_local, tz), to_utc(self.end_local, tz)

    @property
    def start_utc(self) -> dt.datetime:
        return self.utc_bounds()[0]

    @property
    def end_utc(self) -> dt.datetime:
        return self.utc_bounds()[1]

    @property
    def hours(self) -> float:
        """Length of the period in its timezone. [h]"""
        start, end = self.utc_bounds()
        return (end - start).total_seconds() / 3600

    # --- relatives ----------------------------------------------------------------
    def shift(self, months: int) -> Period:
        """The same kind of period ``months`` later (earlier when negative)."""
        return Period(
            add_months(self.first, months), add_months(self.last, months), self.kind, self.timezone
        )

    def previous(self) -> Period:
        """The period just before, of the same length (the previous month, year ...)."""
        return self.shift(-self.n_months)

    def same_period_last_year(self) -> Period:
        return self.shift(-12)

    def windows(self) -> dict[str, Period]:
        """The comparison windows of a report ending with this period's last month.

        Keys: ``month``, ``previous_month``, ``month_last_year``, ``ytd``,
        ``ytd_last_year``, ``rolling_12m``, ``rolling_12m_last_year``.
        """
        month = Period.month(self.last, self.timezone)
        ytd = Period.ytd(self.last, self.timezone)
        rolling = Period.rolling12(self.last, self.timezone)
        return {
            "month": month,
            "previous_month": month.previous(),
            "month_last_year": month.same_period_last_year(),
            "ytd": ytd,
            "ytd_last_year": ytd.same_period_last_year(),
            "rolling_12m": rolling,
            "rolling_12m_last_year": rolling.same_period_last_year(),
        }

    def span(self, *others: Period) -> Period:
        """The smallest month range holding this period and ``others``."""
        first = min([self.first, *(o.first for o in others)])
        last = max([self.last, *(o.last for o in others)])
        return Period(first, last, "range", self.timezone)

    def to_dict(self) -> dict:
        return {
            "period": self.label,
            "kind": self.kind,
            "first_month": f"{self.first:%Y-%m}",
            "last_month": f"{self.last:%Y-%m}",
        }


def period_of(
    month: str | None = None,
    year: int | str | None = None,
    timezone: str | None = None,
    period: str | Period | None = None,
) -> Period:
    """The period of ``--month``, ``--year`` or ``--period`` (exactly one must be given)."""
    given = [v for v in (month, year, period) if v is not None]
    if len(given) != 1:
        raise GreenparkError("give exactly one of --month YYYY-MM or --year YYYY")
    if isinstance(period, Period):
        return period.localized(timezone) if timezone else period
    if period is not None:
        return Period.parse(period, timezone)
    return Period.month(month, timezone) if month is not None else Period.year(year, timezone)


def month_period(month: str, timezone: str) -> Period:
    """The calendar month ``YYYY-MM`` in ``timezone``."""
    return Period.month(month, timezone)


def year_period(year: int | str, timezone: str) -> Period:
    """The calendar year ``YYYY`` in ``timezone``."""
    return Period.year(year, timezone)
