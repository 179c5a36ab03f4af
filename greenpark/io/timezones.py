"""Local (park) time to UTC, refusing times that do not exist or are ambiguous."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

# Before this date many zones (Asia/Shanghai included) still changed offsets.
FIXED_SINCE = dt.datetime(1992, 1, 1)


@cache
def fixed_offset_seconds(timezone: str) -> int | None:
    """The zone's UTC offset if it has not changed since 1992 (and won't up to 2100).

    Parameters
    ----------
    timezone : str
        IANA zone name.

    Returns
    -------
    int or None
        Offset east of UTC [s], or None for zones with daylight saving or other changes.
    """
    zone = ZoneInfo(timezone)
    offsets = {
        dt.datetime(year, month, 15, tzinfo=zone).utcoffset()
        for year in range(FIXED_SINCE.year, 2101)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds())


def local_to_utc(local_naive, timezone: str):
    """Convert naive local timestamps to naive UTC, flagging impossible ones.

    Parameters
    ----------
    local_naive : pandas.Series of datetime64
        Wall-clock times in ``timezone``.
    timezone : str
        IANA zone name.

    Returns
    -------
    pandas.DataFrame
        Columns ``ts_local``, ``ts_utc`` (NaT where invalid) and ``problem`` (None, or
        ``"does not exist"`` / ``"is ambiguous"`` in the zone).
    """
    import pandas as pd

    local = pd.Series(pd.to_datetime(local_naive), name="ts_local").reset_index(drop=True)
    localized = local.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    problem = pd.Series([None] * len(local), dtype=object)
    bad = localized.isna() & local.notna()
    if bad.any():
        shifted = local[bad].dt.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
        problem[bad] = [
            f"does not exist in {timezone} (clocks jump forward)"
            if pd.notna(s) and s.tz_localize(None) != t
            else f"is ambiguous in {timezone} (clocks fall back)"
            for s, t in zip(shifted, local[bad], strict=True)
        ]
    utc = localized.dt.tz_convert("UTC").dt.tz_localize(None)
    return pd.DataFrame({"ts_local": local, "ts_utc": utc, "problem": problem})


def check_timezone(name: str, option: str = "--timezone") -> str:
    """An IANA zone name, or an InputError naming the option (``Mars/Olympus`` ...)."""
    from zoneinfo import ZoneInfoNotFoundError

    from greenpark.core.errors import InputError, Problem

    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: e.g. "Asia", a folder
        raise InputError(
            option,
            [
                Problem(
                    None, None, str(name), "not an IANA timezone (e.g. Asia/Shanghai)", "cli.option"
                )
            ],
        ) from None
    return str(name)
