"""The wind resource of a model run: a stored weather set (EPW, TMY3, PVGIS, measured CSV)
or a mast file with several heights; terrain roughness classes; the defaults a site may
leave blank, each with its source.
"""

from __future__ import annotations

from greenpark.core.config.pv import ILLUSTRATIVE, Setting
from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding

EWA = "European Wind Atlas (Troen & Petersen 1989, Risø), roughness classes"
# Roughness class -> (roughness length [m], description).
TERRAIN_CLASSES: dict[str, tuple[float, str]] = {
    "0": (0.0002, "water surface"),
    "0.5": (0.0024, "completely open terrain, smooth surface (runways, mown grass)"),
    "1": (0.03, "open agricultural area without fences or hedgerows, very few buildings"),
    "1.5": (0.055, "agricultural land with some houses and 8 m hedgerows ~1,250 m apart"),
    "2": (0.1, "agricultural land with some houses and 8 m hedgerows ~500 m apart"),
    "2.5": (0.2, "agricultural land with many houses, shrubs, plants, hedgerows ~250 m apart"),
    "3": (0.4, "villages, small towns, agricultural land with many or tall hedgerows, forests"),
    "3.5": (0.8, "larger cities with tall buildings"),
    "4": (1.6, "very large cities with tall buildings and skyscrapers"),
}
GREENPARK = "greenpark assumption, not a published figure: set it per site"
WIND_DEFAULTS: dict[str, Setting] = {
    "availability_pct": Setting(97.0, "%", GREENPARK, "NV"),
    "other_losses_pct": Setting(
        2.0, "%", GREENPARK + " (electrical losses, icing, curtailment)", "NV"
    ),
    "wake_model": Setting(
        "dena_mean",
        "",
        "windpowerlib wind farm efficiency curve 'dena_mean' (dena Grid Study II, 2010), "
        "for sites of more than one turbine without wake_loss_pct",
        "B",
    ),
    "capex_cny_per_kw": Setting(6500.0, "CNY/kW", ILLUSTRATIVE, "NV"),
    "om_cny_per_kw_year": Setting(150.0, "CNY/kW/a", ILLUSTRATIVE, "NV"),
    "lifetime_years": Setting(20, "a", ILLUSTRATIVE, "NV"),
    "wind_height_m": Setting(
        10.0, "m", "WMO standard anemometer height (EPW, TMY3 and PVGIS WS10m data)", "B"
    ),
    "temperature_height_m": Setting(2.0, "m", "WMO screen height of air temperature", "B"),
    "pressure_height_m": Setting(0.0, "m", "station-level pressure, taken at ground level", "NV"),
    "temp_air_degc": Setting(15.0, "degC", "ISA standard atmosphere at sea level", "A"),
    "pressure_pa": Setting(101325.0, "Pa", "ISA standard atmosphere at sea level", "A"),
}
ZERO_CELSIUS_K = 273.15


def terrain_roughness_m(terrain_class: str) -> float:
    """Roughness length of a European Wind Atlas roughness class. [m]"""
    return TERRAIN_CLASSES[str(terrain_class)][0]


def stored_resource(store, which: str | None = None):
    """The wind resource from a stored weather set (as ``pv estimate --weather``).

    Parameters
    ----------
    which : str, optional
        A weather set id, or None: the newest full-year typical set, else the newest
        full-year measured set.

    Raises
    ------
    GreenparkError
        No weather set, a screening estimate, or wind speeds missing or assumed (a plain
        CSV without a wind speed column), naming the weather file and the value.
    """
    from greenpark.metrics.pv.weather import choose_weather

    park = store.park()
    if which == "screening":
        raise GreenparkError("--weather screening: a screening estimate has no wind data")
    chosen = choose_weather(store, park, park.pv, which)
    if chosen.weather_id is None:
        raise GreenparkError(
            "no full-year weather set stored: load one with 'greenpark load weather FILE' "
            "(EPW, TMY3, PVGIS or measured CSV with wind_speed), or give --mast FILE"
        )
    return read_resource(store.con, chosen.weather_id)


def read_resource(con, weather_id: int):
    """A stored weather set as a :class:`~greenpark.metrics.wind.model.Resource`."""
    import json

    import numpy as np
    import pandas as pd

    from greenpark.metrics.wind.model import Resource

    name, findings_json, height = con.execute(
        "SELECT name, findings, wind_height_m FROM weather_sets WHERE weather_id = ?",
        [weather_id],
    ).fetchone()
    codes = {f["code"] for f in json.loads(findings_json or "[]")}
    if "weather.no_wind" in codes:
        raise GreenparkError(
            f"weather set {weather_id} ({name}): the file has no wind_speed column (1 m/s "
            "was assumed for PV cell temperature); load weather with measured wind speed"
        )
    data = con.execute(
        "SELECT ts, wind_speed_m_per_s, temp_air_degc, pressure_pa FROM weather_hourly "
        "WHERE weather_id = ? ORDER BY ts",
        [weather_id],
    ).df()
    speed = data["wind_speed_m_per_s"].to_numpy(dtype=float)
    missing = ~np.isfinite(speed)
    if missing.any():
        first = data["ts"].iloc[int(missing.argmax())]
        raise GreenparkError(
            f"weather set {weather_id} ({name}): wind speed missing in {int(missing.sum())} "
            f"hour(s), first at {first} UTC (value {speed[missing][0]!r}); load the file "
            "again with --fill or with complete wind data"
        )
    findings = []
    temp, pressure = (
        _filled(data, "temp_air_degc", findings, name),
        _filled(data, "pressure_pa", findings, name),
    )
    if height is None:
        height = WIND_DEFAULTS["wind_height_m"].value
        findings.append(_assumed("wind_height_m", height, name))
    return Resource(
        index=pd.DatetimeIndex(data["ts"]).tz_localize("UTC"),
        wind_speed_m_per_s=speed[:, None],
        heights_m=(float(height),),
        temp_air_k=temp + ZERO_CELSIUS_K,
        pressure_pa=pressure,
        label=f"weather set {weather_id}: {name}",
        findings=findings,
    )


def _filled(data, column: str, findings: list, name: str):
    """A temperature or pressure column; the ISA value where it is missing (a finding)."""
    import numpy as np

    key = "temp_air_degc" if column.startswith("temp") else "pressure_pa"
    values = data[column].to_numpy(dtype=float)
    gaps = ~np.isfinite(values)
    if gaps.any():
        values = np.where(gaps, WIND_DEFAULTS[key].value, values)
        findings.append(_assumed(key, WIND_DEFAULTS[key].value, name, int(gaps.sum())))
    return values


def _assumed(key: str, value, name: str, hours: int | None = None) -> Finding:
    setting = WIND_DEFAULTS[key]
    where = f" in {hours} hour(s)" if hours else ""
    return Finding(
        f"wind.assumed_{key}",
        f"{name}: {key} = {value:g} {setting.unit} assumed{where} ({setting.source}, "
        f"{setting.confidence})",
        severity="info",
        data={"file": name, "value": value, "hours": hours},
    )


def mast_resource(path, timezone: str | None):
    """The wind resource of a mast file: every height, the fitted shear exponent.

    Returns
    -------
    Resource
        ``shear_exponent`` set; the model extrapolates from the closest height with it
        (power law).
    """
    from greenpark.io.wind import read_mast
    from greenpark.metrics.wind.model import Resource

    data, meta = read_mast(path, timezone=timezone)
    findings = [
        Finding(
            "wind.shear_exponent",
            f"{meta['name']}: shear exponent {meta['shear_exponent']:.3f} fitted to the mean "
            f"wind speeds at {', '.join(f'{h:g}' for h in meta['heights_m'])} m "
            f"({meta['hours']} intervals)",
            severity="info",
            data={"file": meta["name"], "shear_exponent": meta["shear_exponent"]},
        )
    ]
    temp, pressure = (
        _filled(data, "temp_air", findings, meta["name"]),
        _filled(data, "pressure", findings, meta["name"]),
    )
    return Resource(
        index=data.index,
        wind_speed_m_per_s=data[meta["heights_m"]].to_numpy(dtype=float),
        heights_m=tuple(meta["heights_m"]),
        temp_air_k=temp + ZERO_CELSIUS_K,
        pressure_pa=pressure,
        label=f"mast {meta['name']}",
        shear_exponent=meta["shear_exponent"],
        findings=findings,
    )
