"""Exact calendar dates and months in input files: the whole cell must be one.

``2025-06-30``, ``2025/06/30``, ``2025.06.30`` and ``2025年6月30日`` are dates; a cell an
Excel date became (``2025-06-30 00:00:00``) is one too. ``2025-02-30``, ``2025-01-01garbage``
and ``2025-06-30 13:00`` are not: nothing is cut off or rolled over. Months are written
``2025-06`` (or ``2025/06``, ``2025.06``, ``2025年6月``), or as the first day of the month.
"""

from __future__ import annotations

import datetime as dt
import re

_SEP = r"[-/.]"
_DATE = re.compile(
    rf"(?P<y>\d{{4}})(?:{_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})"
    r"|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日)"
    r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
)
_MONTH = re.compile(rf"(?P<y>\d{{4}})(?:{_SEP}(?P<m>\d{{1,2}})|年(?P<m2>\d{{1,2}})月)")


def parse_date(text: str) -> dt.date:
    """One cell as a calendar date.

    Raises
    ------
    ValueError
        Whose text is the rule: the whole cell must be a real date.
    """
    match = _DATE.fullmatch(str(text).strip())
    if not match:
        raise ValueError("must be a date like 2025-06-30 (the whole cell)")
    year, month = int(match["y"]), int(match["m"] or match["m2"])
    day = int(match["d"] or match["d2"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {year}-{month:02d}-{day:02d}") from None


def parse_month(text: str) -> dt.date:
    """One cell as a calendar month: its first day.

    Raises
    ------
    ValueError
        Whose text is the rule: a month like 2025-06, or the first day of one.
    """
    cell = str(text).strip()
    match = _MONTH.fullmatch(cell)
    if match:
        month = int(match["m"] or match["m2"])
        if not 1 <= month <= 12:
            raise ValueError(f"no such month: {month}")
        return dt.date(int(match["y"]), month, 1)
    try:
        day = parse_date(cell)
    except ValueError:
        raise ValueError("must be a month like 2025-06 (the whole cell)") from None
    if day.day != 1:
        raise ValueError("must be a month like 2025-06 (this is a day within a month)")
    return day
