"""The waste rates' periods: ``--month M --window month|ytd|rolling12`` or ``--year Y``.

All month arithmetic is :class:`greenpark.core.periods.Period`'s; this module only maps a
window name to the Period constructor, and is the one edge that turns the string
arguments ``month=``, ``year=``, ``window=`` into a Period.
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import Period, period_of

WINDOWS = ("month", "ytd", "rolling12")
_BUILD = {"month": Period.month, "ytd": Period.ytd, "rolling12": Period.rolling12}


def windowed(period: Period, window: str = "month") -> Period:
    """The ``window`` ending with a month period's month.

    Parameters
    ----------
    period : Period
        A month (kind ``month``); any other period is returned unchanged, whatever the
        window (``--window`` applies to ``--month`` only).
    window : {"month", "ytd", "rolling12"}
        That month, January to it, or the 12 months ending with it.

    Returns
    -------
    Period

    Raises
    ------
    GreenparkError
        An unknown window.
    """
    if window not in WINDOWS:
        raise GreenparkError(f"--window {window!r}: choose one of {', '.join(WINDOWS)}")
    if period.kind != "month":
        return period
    return _BUILD[window](period.last, period.timezone)


def month_range(
    month: str | Period | None = None,
    year: str | int | None = None,
    window: str = "month",
    period: str | Period | None = None,
    timezone: str | None = None,
) -> Period:
    """The period of ``month`` + ``window``, ``year`` or ``period`` (exactly one).

    Parameters
    ----------
    month : str or Period, optional
        ``YYYY-MM``: the last month of the period (see ``window``).
    year : str or int, optional
        ``YYYY``: the calendar year.
    window : {"month", "ytd", "rolling12"}
        Applied to a month, see :func:`windowed`.
    period : str or Period, optional
        A Period, or ``2025-06``, ``2025``, ``2025-01..2025-06``.
    timezone : str, optional
        The park's timezone.

    Raises
    ------
    GreenparkError
        Neither or several of month, year and period, a malformed value or an unknown
        window.
    """
    if window not in WINDOWS:
        raise GreenparkError(f"--window {window!r}: choose one of {', '.join(WINDOWS)}")
    if isinstance(month, Period) and period is None:
        month, period = None, month
    if sum(v is not None for v in (month, year, period)) != 1:
        raise GreenparkError("give either --month YYYY-MM or --year YYYY")
    return windowed(period_of(month=month, year=year, period=period, timezone=timezone), window)


# Import compatibility: a month range is a Period now.
MonthRange = Period
