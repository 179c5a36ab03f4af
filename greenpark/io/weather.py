"""Weather files -> hourly irradiance, temperature and wind in UTC.

Readers per source, each returning ``(data, metadata)``:

* ``data``: DataFrame indexed by the **UTC start** of each interval (tz-aware), with
  columns ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s],
  ``pressure_pa`` [Pa] (``dni``/``dhi`` all-NaN when a file has GHI only); missing values
  are NaN.
* ``metadata``: ``name``, ``source_format``, ``typical_year`` (a TMY: its hours come from
  different years and are re-dated to :data:`TYPICAL_YEAR`), ``latitude``,
  ``longitude``, ``altitude_m`` (None when the file has none), ``wind_height_m`` (10 m,
  the WMO anemometer height, for EPW, TMY3 and PVGIS; None for a plain CSV) and
  ``findings``.

EPW, TMY3 and PVGIS TMY (JSON and CSV) are parsed by ``pvlib.iotools``; plain CSV of
measured irradiance is parsed here. Time conventions, per source (:data:`INSTANT_OFFSET_MIN`
gives the instant each value represents, minutes after the UTC hour start the index holds):

* EPW: hour-ending labels (1..24) in the time zone of the header's LOCATION line; pvlib
  returns them as hour starts in that zone; values are sums or means over the hour: the
  instant is the middle of the hour (+30 min).
* TMY3: hour-ending labels in local standard time (the header's UTC offset, no daylight
  saving); rebuilt here as hour starts; means over the hour: +30 min.
* PVGIS (TMY JSON, CSV and the API): UTC; PVGIS's hourly values are stamped HH:10, the
  time of the satellite observation they come from (the TMY rounds the stamp to HH:00):
  the instant is +10 min.
* plain CSV: interval starts (with a UTC offset, or naive with ``--timezone``) of means
  over the interval: +30 min for hourly data.

:func:`time_offset_min` checks at load that the daily irradiance peak sits at solar
noon (a wrong time zone or a shifted file shows as an offset).
"""

from __future__ import annotations

import csv
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.core.findings import Finding
from greenpark.io.files import MAX_LINE_BYTES, check_input_file

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure_pa")
# Not pvlib's "pressure": a pvlib ModelChain given this frame keeps its altitude-based pressure.
PVLIB_PRESSURE = {"pressure": "pressure_pa"}
# Weather files are read whole (a year of 1-minute data is about 30 MB): larger is refused.
MAX_WEATHER_BYTES = 64 << 20
FORMATS = ("epw", "tmy3", "pvgis_json", "pvgis_csv", "csv")
TYPICAL_YEAR = 1990  # non-leap; pvlib's choice for re-dated typical years
# Minutes after the UTC hour start at which each source's hourly value applies (above).
INSTANT_OFFSET_MIN = {
    "epw": 30.0,
    "tmy3": 30.0,
    "pvgis_json": 10.0,
    "pvgis_csv": 10.0,
    "pvgis_api": 10.0,
    "csv": 30.0,
}
# A mean daily irradiance centroid farther than this from solar noon is a finding. [min]
MAX_NOON_OFFSET_MIN = 30.0
# EnergyPlus weather file "missing" codes (EnergyPlus Auxiliary Programs, EPW data fields)
EPW_MISSING = {
    "ghi": 9999.0,
    "dni": 9999.0,
    "dhi": 9999.0,
    "temp_air": 99.9,
    "wind_speed": 999.0,
    "pressure_pa": 999999.0,
}
# Plain CSV: accepted headers for each canonical column (unit-suffixed names included).
CSV_ALIASES = {
    "timestamp": ("timestamp", "time", "datetime", "ts"),
    "ghi": ("ghi", "ghi_w_per_m2", "ghi_w_m2"),
    "dni": ("dni", "dni_w_per_m2", "dni_w_m2"),
    "dhi": ("dhi", "dhi_w_per_m2", "dhi_w_m2"),
    "temp_air": ("temp_air", "temp_air_degc", "temperature_degc", "temp_air_c"),
    "wind_speed": ("wind_speed", "wind_speed_m_per_s", "wind_speed_m_s"),
    "pressure_pa": ("pressure_pa", "pressure"),
}


def detect_format(path: str | Path) -> str:
    """Guess the weather file format from its name and first line.

    Returns
    -------
    str
        One of :data:`FORMATS`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".epw":
        return "epw"
    if suffix == ".json":
        return "pvgis_json"
    first = _first_line(path)
    if first.lower().startswith("latitude"):
        return "pvgis_csv"
    csv.field_size_limit(MAX_LINE_BYTES)  # the first line is at most that long (read bounded)
    fields = next(csv.reader([first]), [])
    if len(fields) == 7 and fields[0].strip().isdigit():
        return "tmy3"
    return "csv"


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            return fh.readline(MAX_LINE_BYTES).strip()  # bounded: a 1 GB line is not read
    except FileNotFoundError:
        raise InputError(
            str(path), [Problem(None, None, None, "file not found", "input.not_found")]
        ) from None


def read_weather(
    path: str | Path,
    fmt: str | None = None,
    timezone: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """Read a weather file of any supported format.

    Parameters
    ----------
    path : str or Path
    fmt : str, optional
        One of :data:`FORMATS`; detected when omitted.
    timezone : str, optional
        IANA zone of naive timestamps in a plain CSV (the other formats define theirs).
    mapping : dict, optional
        Plain CSV: canonical column -> header in the file.
    encoding, sheet, header_row : optional
        Plain CSV (or an XLSX/Parquet table of measured weather): text encoding
        (detected when None), Excel sheet, 1-based header line (detected below title
        rows when None), as every loader reads them (:func:`read_measured_csv`).

    Returns
    -------
    (pandas.DataFrame, dict)
        See the module docstring.

    Raises
    ------
    InputError
        Unreadable file, missing columns, timestamps without a timezone.
    """
    # FIFO/device/dir/empty refused; weather files are read whole, so their size is bounded
    path = check_input_file(path, max_bytes=MAX_WEATHER_BYTES, what="weather file")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(
            str(path),
            [
                Problem(
                    None,
                    None,
                    fmt,
                    f"unknown weather format; choose one of {', '.join(FORMATS)}",
                    "weather.format",
                )
            ],
        )
    reader = {
        "epw": read_epw,
        "tmy3": read_tmy3,
        "pvgis_json": read_pvgis,
        "pvgis_csv": read_pvgis,
    }.get(fmt)
    if reader is None:
        return read_measured_csv(path, timezone, mapping, encoding, sheet, header_row)
    try:
        return reader(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is bad input
        raise InputError(
            str(path),
            [
                Problem(
                    None,
                    None,
                    None,
                    f"cannot read as {fmt}: {type(exc).__name__}: {exc}",
                    "weather.unreadable",
                )
            ],
        ) from None


def read_epw(path: str | Path):
    """EnergyPlus EPW (via ``pvlib.iotools.read_epw``); missing-value codes become NaN."""
    import numpy as np
    from pvlib import iotools

    raw, meta = iotools.read_epw(str(path))
    raw = raw.rename(columns={"atmospheric_pressure": "pressure_pa"})  # [Pa]
    data = raw[list(WEATHER_COLUMNS)].astype(float)
    findings = []
    for col, code in EPW_MISSING.items():
        missing = np.isclose(data[col], code) | (data[col] > code)
        if missing.any():
            data.loc[missing, col] = np.nan
            findings.append(
                _finding(
                    "weather.missing_code",
                    f"{int(missing.sum())} {col} value(s) with the EPW missing code {code:g}",
                )
            )
    data = _retime_typical(data, findings)
    return data, _meta(
        path, "epw", True, meta["latitude"], meta["longitude"], meta["altitude"], findings
    )


def read_tmy3(path: str | Path):
    """NREL TMY3 CSV (via ``pvlib.iotools.read_tmy3``); hour-ending labels -> starts."""
    import pandas as pd
    from pvlib import iotools

    raw, meta = iotools.read_tmy3(str(path), map_variables=True)
    raw["pressure_pa"] = raw["pressure"] * 100.0  # TMY3 pressure is in mbar
    data = raw[list(WEATHER_COLUMNS)].astype(float)
    # Rebuild the starts from the file's own date and hour-ending time: pvlib turns
    # "02/28/1996 24:00" into 1 March, and the hour before that would be 29 February.
    day = pd.to_datetime(raw["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
    hour = raw["Time (HH:MM)"].str.split(":").str[0].astype(int)
    starts = pd.DatetimeIndex(day + pd.to_timedelta(hour - 1, unit="h"))
    data.index = starts.tz_localize(raw.index.tz)
    findings = []
    data = _retime_typical(data, findings)
    return data, _meta(
        path, "tmy3", True, meta["latitude"], meta["longitude"], meta["altitude"], findings
    )


def read_pvgis(path: str | Path):
    """PVGIS TMY, JSON or CSV output (via ``pvlib.iotools.read_pvgis_tmy``)."""
    from pvlib import iotools

    raw, meta = iotools.read_pvgis_tmy(str(path), map_variables=True)
    data = raw.rename(columns=PVLIB_PRESSURE)[list(WEATHER_COLUMNS)].astype(float)
    fmt = "pvgis_json" if Path(path).suffix.lower() == ".json" else "pvgis_csv"
    return parse_pvgis(data, meta, path, fmt)


def parse_pvgis(data, meta: dict, name, fmt: str):
    """PVGIS TMY frame + metadata (from a file or the API) -> ``(data, metadata)``."""
    inputs = meta.get("inputs", {})
    location = inputs.get("location", inputs)
    findings = [
        _finding(
            "weather.pvgis_wind",
            "PVGIS wind speed is at 10 m (WS10m); used as is for cell temperature",
        )
    ]
    data = _retime_typical(data.rename(columns=PVLIB_PRESSURE)[list(WEATHER_COLUMNS)], findings)
    return data, _meta(
        name,
        fmt,
        True,
        location.get("latitude"),
        location.get("longitude"),
        location.get("elevation"),
        findings,
    )


def _retime_typical(data, findings: list):
    """Re-date a typical year to TYPICAL_YEAR in its own clock, then convert to UTC."""
    import pandas as pd

    index = data.index
    leap = (index.month == 2) & (index.day == 29)
    if leap.any():
        findings.append(
            _finding(
                "weather.leap_day",
                f"{int(leap.sum())} hour(s) of 29 February dropped from the typical year",
            )
        )
        data, index = data[~leap], index[~leap]
    local = index.tz_localize(None)
    days = {"year": TYPICAL_YEAR, "month": local.month, "day": local.day}
    naive = pd.DatetimeIndex(pd.to_datetime(days) + (local - local.normalize()))
    out = data.copy()
    out.index = naive.tz_localize(index.tz).tz_convert("UTC")
    out.index.name = "ts"
    return out.sort_index()


def _meta(path, fmt: str, typical: bool, lat, lon, alt, findings: list) -> dict:
    def num(v):
        return None if v is None else float(v)

    return {
        "name": Path(str(path)).name,
        "source_format": fmt,
        "typical_year": typical,
        "latitude": num(lat),
        "longitude": num(lon),
        "altitude_m": num(alt),
        "wind_height_m": None if fmt == "csv" else 10.0,  # WMO anemometer height
        "findings": findings,
    }


def instant_offset_min(source_format: str | None) -> float:
    """Minutes after the hour start at which a source's hourly value applies (30 when
    the source is unknown, e.g. a screening estimate). [min]"""
    return INSTANT_OFFSET_MIN.get(source_format or "", 30.0)


def time_offset_min(data, longitude: float, offset_min: float = 30.0) -> float:
    """Mean offset of the daily irradiance peak from solar noon. [min]

    Each day's peak is taken as the GHI-weighted centroid of its hours (the instant each
    value represents: hour start + ``offset_min``), which for a day's symmetric profile
    is its peak, at sub-hourly resolution, in local mean solar time (UTC + longitude / 15
    h: days are cut at solar midnight); solar noon is 12:00 local mean solar time minus
    the equation of time (Spencer 1971, via pvlib). Days with less than 1 kWh/m2 are left
    out (cloudy days carry little timing information).

    Parameters
    ----------
    data : pandas.DataFrame
        Hourly, indexed by UTC hour starts (tz-aware), with ``ghi`` [W/m2].
    longitude : float
        [deg east]
    offset_min : float
        :func:`instant_offset_min` of the source. [min]

    Returns
    -------
    float
        Positive: the peak comes after solar noon. NaN without a usable day. [min]
    """
    import numpy as np
    import pandas as pd
    from pvlib import solarposition

    ghi = data["ghi"].clip(lower=0.0).fillna(0.0).to_numpy()
    # local mean solar time (UTC + 4 min per degree east), so that a day is not cut at 00 UTC
    solar = data.index.tz_convert("UTC").tz_localize(None) + pd.to_timedelta(
        offset_min + 4.0 * longitude, unit="min"
    )
    days = solar.normalize()
    minutes = (solar - days).total_seconds().to_numpy() / 60.0
    frame = pd.DataFrame({"day": days, "ghi": ghi, "weighted": ghi * minutes})
    per_day = frame.groupby("day")[["ghi", "weighted"]].sum()
    per_day = per_day[per_day["ghi"] >= 1000.0]
    if per_day.empty:
        return float("nan")
    centroid = per_day["weighted"].to_numpy() / per_day["ghi"].to_numpy()
    eot = solarposition.equation_of_time_spencer71(per_day.index.day_of_year.to_numpy())
    return float(np.mean(centroid - (720.0 - np.asarray(eot))))


def _finding(code: str, message: str) -> Finding:
    return Finding(code, message, severity="info")


def read_measured_csv(
    path, timezone=None, mapping=None, encoding=None, sheet=None, header_row=None
):
    """A plain table of measured weather: see :func:`greenpark.io.weather_csv.read_measured_csv`."""
    from greenpark.io.weather_csv import read_measured_csv as read

    return read(path, timezone, mapping, encoding, sheet, header_row)


def get_pvgis_tmy(latitude: float, longitude: float, timeout: int = 30):
    """Download a PVGIS TMY (network; only when the user asks for it).

    Returns
    -------
    (pandas.DataFrame, dict)
        As :func:`read_weather`.
    """
    from pvlib import iotools

    raw, meta = iotools.get_pvgis_tmy(
        latitude,
        longitude,
        outputformat="json",
        map_variables=True,
        timeout=timeout,
        coerce_year=None,
    )
    name = f"PVGIS TMY {latitude:.3f},{longitude:.3f}"
    data, metadata = parse_pvgis(raw, meta, name, "pvgis_api")
    metadata["name"] = name
    return data, metadata
