"""The weather of a PV model run: a stored weather set, the cached PVGIS typical year, or
a screening estimate (clear sky x monthly clearness indices); months in park time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from greenpark.core.errors import ConfigError, GreenparkError
from greenpark.io.weather import TYPICAL_YEAR, instant_offset_min

SCREENING_LABEL = "screening estimate"
FULL_YEAR_HOURS = (8760, 8784)


@dataclass
class Weather:
    """Hourly weather chosen for a model run.

    Attributes
    ----------
    data : pandas.DataFrame
        Index: UTC hour starts; ``ghi``, ``dni``, ``dhi``, ``temp_air``, ``wind_speed``.
    label : str
        What it is (file name, or ``screening estimate ...``).
    weather_id : int or None
        Row of ``weather_sets`` (None for a screening estimate).
    screening : bool
        Clear-sky x monthly clearness indices, not measured or typical-year data.
    typical_year : bool
    instant_offset_min : float
        Minutes after each hour start at which its values apply (the source's convention,
        :data:`greenpark.io.weather.INSTANT_OFFSET_MIN`; 30 for a screening estimate). [min]
    """

    data: object
    label: str
    weather_id: int | None
    screening: bool
    typical_year: bool
    instant_offset_min: float = 30.0


def read_weather_set(con, weather_id: int) -> Weather:
    """A stored weather set by id."""
    import pandas as pd

    row = con.execute(
        "SELECT name, typical_year, hours, source_format FROM weather_sets WHERE weather_id = ?",
        [weather_id],
    ).fetchone()
    if row is None:
        raise GreenparkError(f"--weather {weather_id}: no such weather set")
    data = con.execute(
        "SELECT ts, ghi_w_per_m2 AS ghi, dni_w_per_m2 AS dni, dhi_w_per_m2 AS dhi, "
        "temp_air_degc AS temp_air, wind_speed_m_per_s AS wind_speed FROM weather_hourly "
        "WHERE weather_id = ? ORDER BY ts",
        [weather_id],
    ).df()
    data.index = pd.DatetimeIndex(data.pop("ts")).tz_localize("UTC")
    label = f"weather set {weather_id}: {row[0]}" + (" (typical year)" if row[1] else "")
    return Weather(data, label, weather_id, False, bool(row[1]), instant_offset_min(row[3]))


def choose_weather(store, park, settings, which: str | None = None) -> Weather:
    """The weather for an annual estimate.

    Parameters
    ----------
    which : str, optional
        A weather set id; ``pvgis`` (download once, then the cached set); ``screening``;
        or None: the newest full-year typical set, else the newest full-year measured
        set, else a screening estimate.
    """
    if which == "screening":
        return screening(park, settings)
    if which == "pvgis":
        return pvgis_weather(store, park)
    if which not in (None, "auto"):
        try:
            weather_id = int(which)
        except ValueError:
            raise GreenparkError(
                f"--weather {which!r}: give a weather set id, 'pvgis' or 'screening'"
            ) from None
        return _full_year(read_weather_set(store.con, weather_id))
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE hours IN (8760, 8784) "
        "ORDER BY typical_year DESC, weather_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return screening(park, settings)
    return read_weather_set(store.con, row[0])


def _full_year(weather: Weather) -> Weather:
    if len(weather.data) not in FULL_YEAR_HOURS:
        raise GreenparkError(
            f"{weather.label} covers {len(weather.data)} hours; an annual "
            "estimate needs a full year (8760 or 8784 hours)"
        )
    return weather


def screening(park, settings) -> Weather:
    """Clear-sky x monthly clearness indices for the park's location (typical year)."""
    import pandas as pd

    from greenpark.metrics.pv.model import midpoints, screening_weather, sun_geometry

    if settings.screening_clearness_index is None:
        raise ConfigError(
            "no weather loaded and no pv.screening_clearness_index in "
            "park.toml: load a weather file ('greenpark load weather FILE'), "
            "use --weather pvgis, or give 12 monthly clearness indices for a "
            "screening estimate"
        )
    starts = pd.date_range(f"{TYPICAL_YEAR}-01-01", periods=8760, freq="1h", tz="UTC", name="ts")
    sun = sun_geometry(midpoints(starts), park.latitude, park.longitude, park.altitude_m)
    data = screening_weather(
        sun,
        park.latitude,
        park.longitude,
        park.altitude_m,
        settings.screening_clearness_index,
        settings.screening_temp_air_degc,
        settings.screening_wind_speed_m_per_s,
    )
    data.index = starts
    label = (
        f"{SCREENING_LABEL}: Ineichen clear sky x monthly clearness indices "
        f"{list(settings.screening_clearness_index)}"
    )
    return Weather(data, label, None, True, True)


def pvgis_weather(store, park) -> Weather:
    """The cached PVGIS TMY for the park's location, downloading it the first time."""
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE source_format = 'pvgis_api' "
        "AND abs(latitude - ?) < 0.01 AND abs(longitude - ?) < 0.01 "
        "ORDER BY weather_id DESC LIMIT 1",
        [park.latitude, park.longitude],
    ).fetchone()
    if row is not None:
        return read_weather_set(store.con, row[0])
    from greenpark.loaders.weather import store_downloaded

    try:
        from greenpark.io.weather import get_pvgis_tmy

        data, meta = get_pvgis_tmy(park.latitude, park.longitude)
    except Exception as exc:  # noqa: BLE001 - network errors of any kind
        raise GreenparkError(
            f"PVGIS download failed ({type(exc).__name__}: {exc}); load a "
            "weather file with 'greenpark load weather FILE' instead"
        ) from None
    weather_id = store_downloaded(store, data, meta)
    return read_weather_set(store.con, weather_id)


def local_months(ts_utc, timezone: str, typical_year: bool):
    """Month (1-12) of each hour in park time; typical years use the zone's standard
    offset (they are not real dates, so no daylight saving applies)."""

    if typical_year:
        offset = _standard_offset(timezone)
        return (ts_utc + offset).month.to_numpy()
    return ts_utc.tz_convert(timezone).month.to_numpy()


def _standard_offset(timezone: str):
    from zoneinfo import ZoneInfo

    import pandas as pd

    zone = ZoneInfo(timezone)
    jan, jul = (dt.datetime(2025, m, 1, tzinfo=zone).utcoffset() for m in (1, 7))
    return pd.Timedelta(min(jan, jul))
