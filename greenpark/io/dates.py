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


# Timestamps: an ISO 8601 date and time with nothing after it, or the same with an
# explicit UTC offset (Z, +08:00, -0500), which is then honoured, not dropped.
_ISO_BODY = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?)?"
)
ISO_PLAIN = _ISO_BODY
ISO_WITH_OFFSET = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?"
    r" ?(Z|z|" + r"[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)"
)  # real offsets only: -14:00..+14:00 (DuckDB would compute +25:00 or +05:99 too)
YEARS = (1900, 2199)
# Strict strptime formats the fast readings path can hand to DuckDB's CSV reader, each
# with the pattern that recognises it in a sample cell.
FAST_FORMATS = (
    ("%Y-%m-%d %H:%M:%S", r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"),
    ("%Y-%m-%d %H:%M", r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"),
    ("%Y-%m-%dT%H:%M:%S", r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"),
    ("%Y-%m-%dT%H:%M", r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"),
    ("%Y/%m/%d %H:%M:%S", r"[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"),
    ("%Y/%m/%d %H:%M", r"[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}"),
)


def fast_timestamp_format(sample: str | None) -> str | None:
    """The strict strptime format of a sample timestamp cell, if it is a common one."""
    text = (sample or "").strip()
    return next((fmt for fmt, pattern in FAST_FORMATS if re.fullmatch(pattern, text)), None)


def timestamp_sql(expr: str, formats_param: str = "?") -> str:
    """SQL: a text column as a naive local TIMESTAMP, strictly, or NULL.

    ISO 8601 text must be the whole cell (DuckDB's own cast ignores trailing text and
    drops UTC offsets); other layouts go through ``try_strptime`` with the formats bound
    at ``formats_param`` (used once). Check the years with :func:`year_ok_sql`.
    """
    text = f"trim({expr})"
    return (
        f"coalesce(CASE WHEN regexp_full_match({text}, '{ISO_PLAIN}') "
        f"THEN try_cast(replace({text}, ',', '.') AS TIMESTAMP) END, "
        f"try_strptime({text}, {formats_param}))"
    )


def year_ok_sql(expr: str) -> str:
    """SQL: the TIMESTAMP ``expr`` lies in the years greenpark accepts (:data:`YEARS`)."""
    return f"(year({expr}) BETWEEN {YEARS[0]} AND {YEARS[1]})"


def utc_from_offset_sql(expr: str) -> str:
    """SQL: the naive UTC TIMESTAMP of text with an explicit offset (``Z``, ``+08:00``),
    NULL for text without one."""
    text = f"trim({expr})"
    ts = f"timezone('UTC', try_cast({text} AS TIMESTAMPTZ))"
    return (
        f"CASE WHEN regexp_full_match({text}, '{ISO_WITH_OFFSET}') "
        f"AND year({ts}) BETWEEN {YEARS[0]} AND {YEARS[1]} THEN {ts} END"
    )
