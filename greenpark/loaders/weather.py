"""``greenpark load weather``: a weather file -> hourly rows in ``weather_hourly``.

One transaction per file, the load logged with its sha256 (the same file twice changes
nothing). Sub-hourly data are averaged to hours (a finding); coarser data are refused.
Gaps are an error unless ``fill`` (linear interpolation in time, reported). GHI-only
data get DNI/DHI from the Erbs decomposition. Coordinates far from the park are a
finding.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.core.findings import Finding
from greenpark.io.timezones import check_timezone
from greenpark.io.weather import WEATHER_COLUMNS, read_weather
from greenpark.loaders.common import (
    FileDigest,
    LoadResult,
    given_options,
    next_load_id,
    note_layout,
    previous_load,
    write_log,
)

KIND = "weather"
MAX_GAPS_SHOWN = 5
EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance. [km]"""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def to_hourly(data, path: str, findings: list):
    """Average sub-hourly data to hours; refuse irregular or coarser-than-hourly data."""
    import pandas as pd

    if len(data) < 2:
        raise InputError(
            path, [Problem(None, None, None, "fewer than 2 timestamps", "weather.too_short")]
        )
    step = pd.Series(data.index).diff().dropna().mode().iloc[0]
    hour = pd.Timedelta(hours=1)
    if step > hour:
        raise InputError(
            path,
            [
                Problem(
                    None,
                    "timestamp",
                    str(step),
                    "weather must be hourly or finer; this file's usual step is coarser",
                    "weather.resolution",
                )
            ],
        )
    if step < hour:
        if hour % step != pd.Timedelta(0):
            raise InputError(
                path,
                [
                    Problem(
                        None,
                        "timestamp",
                        str(step),
                        "the usual step does not divide an hour",
                        "weather.resolution",
                    )
                ],
            )
        data = data.resample("1h").mean()
        findings.append(
            Finding(
                "weather.resampled", f"{step} data averaged to hourly means", "info", {"file": path}
            )
        )
    off_hour = (data.index.minute != 0) | (data.index.second != 0)
    if off_hour.any():
        raise InputError(
            path,
            [
                Problem(
                    None,
                    "timestamp",
                    str(data.index[off_hour][0]),
                    "hourly timestamps must fall on the hour",
                    "weather.resolution",
                )
            ],
        )
    return data


def fill_gaps(data, path: str, fill: bool, findings: list):
    """Reindex to every hour; missing hours/values are an error unless ``fill``."""
    import pandas as pd

    full = pd.date_range(data.index[0], data.index[-1], freq="1h", name="ts")
    data = data.reindex(full)
    needed = [c for c in WEATHER_COLUMNS if not data[c].isna().all() or c in ("ghi", "temp_air")]
    needed = [c for c in needed if c != "pressure_pa"]  # optional: wind assumes ISA, said so
    holes = data[needed].isna().any(axis=1)
    if not holes.any():
        return data
    if not fill:
        first = [str(t) for t in data.index[holes][:MAX_GAPS_SHOWN]]
        raise InputError(
            path,
            [
                Problem(
                    None,
                    None,
                    None,
                    f"{int(holes.sum())} hour(s) "
                    f"missing or incomplete (first, UTC: "
                    f"{', '.join(first)}); use --fill to interpolate them",
                    "weather.gap",
                )
            ],
        )
    data[needed] = data[needed].interpolate(method="time", limit_direction="both")
    findings.append(
        Finding(
            "weather.filled",
            f"{int(holes.sum())} hour(s) filled by linear interpolation (--fill)",
            data={"file": path, "hours": int(holes.sum())},
        )
    )
    return data


def complete_irradiance(data, latitude: float, longitude: float, altitude_m: float, findings: list):
    """Add DNI and DHI from GHI (Erbs) when the file has GHI only."""
    from greenpark.metrics.pv.model import decompose_ghi, midpoints, sun_geometry

    if not data["dni"].isna().all():
        return data, None
    sun = sun_geometry(
        midpoints(data.index), latitude, longitude, altitude_m, data["temp_air"].to_numpy()
    )
    data["dni"], data["dhi"] = decompose_ghi(data["ghi"].to_numpy(), sun)
    findings.append(
        Finding("weather.decomposed", "GHI only: DNI and DHI from the Erbs decomposition", "info")
    )
    return data, "erbs"


def time_findings(data, longitude: float, source_format: str, path: str) -> list[Finding]:
    """``weather.time_offset`` when the daily irradiance peak sits more than 30 minutes
    from solar noon on average (a wrong time zone, or a shifted file)."""
    from greenpark.io.weather import MAX_NOON_OFFSET_MIN, instant_offset_min, time_offset_min

    instant = instant_offset_min(source_format)
    offset = time_offset_min(data, longitude, instant)
    if not abs(offset) > MAX_NOON_OFFSET_MIN:
        return []
    side = "after" if offset > 0 else "before"
    message = (
        f"{path}: the daily irradiance peak sits {abs(offset):.0f} min {side} solar noon on "
        f"average (more than {MAX_NOON_OFFSET_MIN:g} min; values taken at hour start + "
        f"{instant:g} min, the {source_format} convention): a wrong time zone or shifted "
        "timestamps? The modelled hours would be shifted by as much"
    )
    data_ = {"file": path, "offset_min": offset, "instant_offset_min": instant}
    return [Finding("weather.time_offset", message, data=data_)]


def prepare(data, meta: dict, park, settings, path: str, fill: bool):
    """Hourly, gap-free, complete weather + the distance finding."""
    findings = list(meta["findings"])
    data = to_hourly(data, path, findings)
    data = fill_gaps(data, path, fill, findings)
    lat = meta["latitude"] if meta["latitude"] is not None else park.latitude
    lon = meta["longitude"] if meta["longitude"] is not None else park.longitude
    alt = meta["altitude_m"] if meta["altitude_m"] is not None else park.altitude_m
    data, decomposition = complete_irradiance(data, lat, lon, alt, findings)
    findings += time_findings(data, lon, meta["source_format"], path)
    distance = None
    if meta["latitude"] is not None:
        distance = distance_km(park.latitude, park.longitude, lat, lon)
        if distance > settings.max_weather_distance_km:
            findings.append(
                Finding(
                    "weather.distance",
                    f"weather location {lat:.3f}, {lon:.3f} is {distance:,.0f} km from the "
                    f"park (more than {settings.max_weather_distance_km:g} km)",
                    data={"file": path, "distance_km": distance},
                )
            )
    if meta["typical_year"] and len(data) != 8760:
        findings.append(
            Finding(
                "weather.partial_year",
                f"typical year with {len(data)} hours, not 8760: not usable for an annual estimate",
                data={"file": path, "hours": len(data)},
            )
        )
    place = {"latitude": lat, "longitude": lon, "altitude_m": alt, "distance_km": distance}
    return data, findings, decomposition, place


def load_weather(
    store,
    path,
    fmt: str | None = None,
    timezone: str | None = None,
    fill: bool = False,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load a weather file into the park database.

    Parameters
    ----------
    store : greenpark.store.Store
    path : str or Path
        EPW, TMY3, PVGIS TMY (JSON or CSV) or plain CSV.
    fmt : str, optional
        Format (detected when omitted).
    timezone : str, optional
        Zone of naive timestamps in a plain CSV.
    fill : bool
        Interpolate missing hours instead of refusing the file.
    mapping : dict, optional
        Plain CSV column mapping.
    encoding, sheet, header_row : optional
        Plain CSV (or XLSX/Parquet) of measured weather: text encoding (detected when
        None), Excel sheet, 1-based header line (detected below title rows when None).

    Returns
    -------
    LoadResult
        ``findings`` lists resampling, filling, decomposition and distance notes, and
        for a plain table the title rows (``input.title_rows``) and total rows
        (``input.total_row``) skipped.
    """

    started = time.perf_counter()
    store.require_current()
    path = Path(path)
    park = store.park()
    settings = park.pv
    sha = FileDigest(path)
    identity = given_options(mapping=mapping, encoding=encoding, sheet=sheet, header_row=header_row)
    if previous_load(store.con, KIND, sha, identity):
        unchanged = Finding(
            "load.unchanged",
            "this file was loaded before; nothing changed",
            "info",
            {"file": str(path)},
        )
        return LoadResult(str(path), "unchanged", findings=[unchanged])
    if timezone is not None:
        check_timezone(timezone)
    data, meta = read_weather(path, fmt, timezone, mapping, encoding, sheet, header_row)
    data, findings, decomposition, place = prepare(data, meta, park, settings, str(path), fill)
    result = LoadResult(str(path), "loaded", rows_in_file=len(data), meters=0)
    layout_notes(result, meta)
    findings = result.findings + list(findings)
    result.findings = list(findings)
    with store.transaction():
        result.load_id = next_load_id(store.con)
        weather_id = store_weather(
            store.con, data, meta, findings, decomposition, place, result.load_id
        )
        result.rows_inserted = len(data)
        write_log(
            store.con,
            result,
            KIND,
            sha,
            str(path),
            {**identity, "weather_id": weather_id, "fill": fill},
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            data.index[0].tz_localize(None),
            data.index[-1].tz_localize(None),
        )
    result.ts_min, result.ts_max = str(data.index[0]), str(data.index[-1])
    result.seconds = time.perf_counter() - started
    return result


def layout_notes(result: LoadResult, meta: dict) -> None:
    """``input.title_rows`` / ``input.total_row`` findings of a plain weather table
    (``meta["layout"]``, :func:`greenpark.io.weather.read_measured_csv`)."""
    from types import SimpleNamespace

    layout = meta.get("layout")
    if not layout:
        return
    tab = SimpleNamespace(
        skipped=layout["title_rows"], row_unit=layout["row_unit"], header_row=layout["header_row"]
    )
    note_layout(result, tab, layout["total_rows"])


def store_weather(
    con, data, meta: dict, findings: list, decomposition, place: dict, load_id: int
) -> int:
    """Insert one weather set and its hours (inside the caller's transaction)."""
    import pandas as pd

    from greenpark.store import register_frame

    weather_id = con.execute(
        "SELECT coalesce(max(weather_id), 0) + 1 FROM weather_sets"
    ).fetchone()[0]
    con.execute(
        "INSERT INTO weather_sets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            weather_id,
            meta["name"],
            meta["source_format"],
            meta["typical_year"],
            place["latitude"],
            place["longitude"],
            place["altitude_m"],
            place["distance_km"],
            data.index[0].tz_localize(None),
            data.index[-1].tz_localize(None),
            len(data),
            decomposition,
            json.dumps([f.to_dict() for f in findings], ensure_ascii=False),
            load_id,
            meta.get("wind_height_m"),
        ],
    )
    frame = pd.DataFrame({"ts": data.index.tz_localize(None)})
    for col in WEATHER_COLUMNS:
        frame[col] = data[col].to_numpy(dtype=float)
    register_frame(con, "gp_weather_rows", frame)
    try:
        con.execute(
            "INSERT INTO weather_hourly SELECT ?, ts, ghi, dni, dhi, temp_air, "
            "wind_speed, pressure_pa FROM gp_weather_rows",
            [weather_id],
        )
    finally:
        con.unregister("gp_weather_rows")
    return weather_id


def store_downloaded(store, data, meta: dict) -> int:
    """Store weather fetched from a web service (PVGIS) as a weather set; its id.

    Logged in ``load_log`` like a file (kind ``weather``), so the download is cached.
    """
    import hashlib

    park = store.park()
    settings = park.pv
    data, findings, decomposition, place = prepare(
        data, meta, park, settings, meta["name"], fill=False
    )
    sha = hashlib.sha256(data.to_csv().encode("utf-8")).hexdigest()
    result = LoadResult(meta["name"], "loaded", rows_in_file=len(data), rows_inserted=len(data))
    with store.transaction():
        result.load_id = next_load_id(store.con)
        weather_id = store_weather(
            store.con, data, meta, findings, decomposition, place, result.load_id
        )
        write_log(
            store.con,
            result,
            KIND,
            sha,
            meta["name"],
            {"weather_id": weather_id, "source": meta["source_format"]},
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            data.index[0].tz_localize(None),
            data.index[-1].tz_localize(None),
        )
    return weather_id
