#!/usr/bin/env python
"""Deterministic generator of the demo park's rooftop PV inputs (synthetic).

Writes into ``datasets/demo-park/`` (or ``--out DIR``):

* ``roofs.csv``: 49 roofs on buildings B01..B30 of enterprises E01..E30. Flat roofs
  carry racked modules facing south; pitched steel roofs (1:10, ~6 deg) are modelled
  face by face (the north face too). The three existing systems of the meter registry
  sit on their roofs with the tilt/azimuth of ``generate.py``: PV-01 800 kWp on B03
  (18 deg, 180 deg), PV-02 500 kWp on B16 (22 deg, 172 deg), PV-03 150 kWp on B12
  (10 deg, 190 deg).
* ``weather_suzhou_tmy.epw``: a synthetic typical-year-like hourly weather year for the
  park (31.30 N, 120.70 E, 5 m, UTC+8) in EnergyPlus EPW format: pvlib Ineichen clear
  sky (Linke turbidity climatology bundled with pvlib) x a seeded cloudiness model
  (daily clear-sky index from a Beta distribution with Suzhou-like monthly means,
  plum-rain season cloudier, smoothed hourly fluctuation), Erbs decomposition into
  DNI/DHI, seasonal + diurnal air temperature and a seeded wind speed. **Not measured
  data.**
* ``weather_2025_measured.csv``: "measured" hourly GHI, air temperature and wind for
  2025, the hourly means of the weather that ``generate.py`` used to make the PV meter
  readings (imported from it, same seed), so that ``greenpark pv performance`` has
  weather for the metered months. GHI only: greenpark decomposes it with Erbs.

Usage::

    python datasets/demo-park/generate_pv.py [--out DIR]

No network and no wall clock: two runs write byte-identical files.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

HERE = Path(__file__).resolve().parent
SEED = 20240404
LATITUDE, LONGITUDE, ALTITUDE_M, UTC_OFFSET_H = 31.30, 120.70, 5.0, 8
EPW_YEAR = 2001  # any non-leap year: greenpark re-dates typical years
# Suzhou-like monthly mean clear-sky index and plum-rain value, as in generate.py
CLEARNESS_MONTHLY = (0.58, 0.53, 0.55, 0.60, 0.62, 0.52, 0.62, 0.70, 0.63, 0.64, 0.60, 0.60)
CLEARNESS_PLUM_RAIN = 0.40
STEEL_ROOF_PITCH_DEG = 5.7  # 1:10 pitched steel portal-frame roofs
BUILDING_AZIMUTH_DEG = 172.0  # street grid rotated 8 deg east of south

# building, roof faces: (kind, area m2, tilt, azimuth offset or absolute, usable, extra)
EXISTING = {
    "B03": (14000, 18.0, 180.0, 0.70, 800.0),
    "B16": (9500, 22.0, 172.0, 0.70, 500.0),
    "B12": (3200, 10.0, 190.0, 0.60, 150.0),
}


# ---------------------------------------------------------------------------------------
# Roofs
# ---------------------------------------------------------------------------------------


def roofs_frame(rng: np.random.Generator) -> pd.DataFrame:
    """52 roofs: flat (racked) and pitched (flush, two faces) on B01..B30."""
    rows = []
    for n in range(1, 31):
        building, enterprise = f"B{n:02d}", f"E{n:02d}"
        if building in EXISTING:
            area, tilt, azimuth, usable, kwp = EXISTING[building]
            rows.append(
                _roof(
                    f"R-{building}-1",
                    building,
                    enterprise,
                    area,
                    tilt,
                    azimuth,
                    "flat",
                    usable,
                    kwp,
                )
            )
            continue
        area = float(np.round(rng.uniform(2500, 16000), -1))
        if n % 3 == 0:  # pitched steel roof: both faces
            for face, az in (("S", BUILDING_AZIMUTH_DEG), ("N", BUILDING_AZIMUTH_DEG + 180)):
                rows.append(
                    _roof(
                        f"R-{building}-{face}",
                        building,
                        enterprise,
                        area / 2,
                        STEEL_ROOF_PITCH_DEG,
                        az,
                        "pitched",
                        None,
                        None,
                    )
                )
        else:
            tilt = float(rng.choice([10.0, 15.0, 20.0]))
            usable = None if n % 4 == 0 else float(np.round(rng.uniform(0.5, 0.75), 2))
            rows.append(
                _roof(
                    f"R-{building}-1", building, enterprise, area, tilt, 180.0, "flat", usable, None
                )
            )
            if n % 2 == 0 or n % 5 == 0:  # a lower annex roof
                rows.append(
                    _roof(
                        f"R-{building}-2",
                        building,
                        enterprise,
                        area * 0.3,
                        tilt,
                        180.0,
                        "flat",
                        usable,
                        None,
                    )
                )
    frame = pd.DataFrame(rows)
    frame.loc[frame["roof_id"] == "R-B28-1", "capex_cny_per_kwp"] = 4200.0  # cold store
    return frame


def _roof(roof_id, building, enterprise, area, tilt, azimuth, kind, usable, kwp) -> dict:
    return {
        "roof_id": roof_id,
        "building_id": building,
        "enterprise_id": enterprise,
        "area_m2": round(area, 1),
        "tilt_deg": tilt,
        "azimuth_deg": azimuth,
        "roof_type": kind,
        "usable_fraction": usable,
        "mounting": None,
        "existing_pv_kwp": kwp,
        "capex_cny_per_kwp": None,
    }


# ---------------------------------------------------------------------------------------
# Typical-year-like weather (EPW)
# ---------------------------------------------------------------------------------------


def typical_weather(rng: np.random.Generator) -> pd.DataFrame:
    """Hourly weather of a synthetic year in local standard time (interval starts)."""
    starts = pd.date_range(f"{EPW_YEAR}-01-01", periods=8760, freq="1h")
    tz = f"Etc/GMT-{UTC_OFFSET_H}"
    times = (starts + pd.Timedelta(minutes=30)).tz_localize(tz)
    site = pvlib.location.Location(LATITUDE, LONGITUDE, tz, ALTITUDE_M)
    solpos = site.get_solarposition(times)
    clear = site.get_clearsky(times, model="ineichen", solar_position=solpos)
    days = pd.date_range(f"{EPW_YEAR}-01-01", periods=365, freq="D")
    doy = days.day_of_year.to_numpy()
    mid_month = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30]) + 15
    mean_kt = np.interp(doy, mid_month, CLEARNESS_MONTHLY, period=365)
    plum = ((days.month == 6) & (days.day >= 15)) | ((days.month == 7) & (days.day <= 15))
    mean_kt = np.where(plum, CLEARNESS_PLUM_RAIN, mean_kt)
    kt_day = rng.beta(mean_kt * 4.0, (1.0 - mean_kt) * 4.0).clip(0.05, 1.0)
    wiggle = np.convolve(rng.standard_normal(8760 + 5), np.ones(6) / np.sqrt(6), "valid")
    kt = np.repeat(kt_day, 24)
    kt = (kt + 0.8 * kt * (1 - kt) * wiggle[:8760]).clip(0.03, 1.08)
    ghi = clear["ghi"].to_numpy() * kt
    split = pvlib.irradiance.erbs(ghi, solpos["zenith"].to_numpy(), times)
    hour = starts.hour.to_numpy() + 0.5
    seasonal = 16.5 - 12.5 * np.cos(2 * np.pi * (starts.day_of_year.to_numpy() - 20) / 365)
    temp = seasonal + (1.5 + 4.0 * kt) * np.cos(2 * np.pi * (hour - 14.5) / 24)
    wind = (2.3 + 0.8 * rng.standard_normal(8760)).clip(0.2, 9.0)
    return pd.DataFrame(
        {
            "ghi": ghi,
            "dni": np.asarray(split["dni"]),
            "dhi": np.asarray(split["dhi"]),
            "temp_air": temp,
            "wind_speed": wind,
        },
        index=starts,
    )


EPW_HEADER = (
    f"LOCATION,Suzhou demo park (synthetic),JS,CHN,greenpark synthetic,999999,"
    f"{LATITUDE:.2f},{LONGITUDE:.2f},{UTC_OFFSET_H:.1f},{ALTITUDE_M:.1f}\n"
    "DESIGN CONDITIONS,0\nTYPICAL/EXTREME PERIODS,0\nGROUND TEMPERATURES,0\n"
    "HOLIDAYS/DAYLIGHT SAVING,No,0,0,0\n"
    "COMMENTS 1,SYNTHETIC typical-year-like weather made by datasets/demo-park/"
    "generate_pv.py (pvlib Ineichen clear sky x seeded cloudiness); not measured data\n"
    "COMMENTS 2,Hour 1 = 00:00-01:00 local standard time (UTC+8)\n"
    "DATA PERIODS,1,1,Data,Monday, 1/ 1,12/31\n"
)


def epw_text(wx: pd.DataFrame) -> str:
    """EPW data lines (35 fields; unused fields carry the EPW missing codes)."""
    out = io.StringIO()
    out.write(EPW_HEADER)
    for ts, row in zip(wx.index, wx.itertuples(index=False), strict=True):
        out.write(
            f"{ts.year},{ts.month},{ts.day},{ts.hour + 1},60,"
            "?9,"
            f"{row.temp_air:.1f},99.9,999,999999,9999,9999,9999,"
            f"{row.ghi:.0f},{row.dni:.0f},{row.dhi:.0f},999999,999999,999999,9999,"
            f"999,{row.wind_speed:.1f},99,99,9999,99999,9,999999999,999,.999,999,99,999,"
            "999,99\n"
        )
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# "Measured" 2025 weather from generate.py's model
# ---------------------------------------------------------------------------------------


def measured_2025() -> pd.DataFrame:
    """Hourly means of generate.py's 15-min weather for 2025 (local time, +08:00)."""
    spec = importlib.util.spec_from_file_location("demo_generate", HERE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # dataclasses look their module up while it loads
    spec.loader.exec_module(gen)
    index = pd.date_range(gen.START, gen.END, freq="15min")
    days = pd.date_range(gen.START[:10], gen.END[:10], freq="D")
    weather = gen.interval_weather(index, gen.daily_weather(days))
    sun = gen.solar_irradiance(index, weather["kt"].to_numpy())
    frame = pd.DataFrame(
        {"ghi": sun["ghi"].to_numpy(), "temp_air": weather["temp_air"].to_numpy()}, index=index
    )
    hourly = frame[frame.index.year == 2025].resample("1h").mean()
    hourly["wind_speed"] = 1.5  # generate.py models PV with a constant 1.5 m/s
    return hourly


def measured_csv(hourly: pd.DataFrame) -> str:
    lines = ["timestamp,ghi_w_per_m2,temp_air_degc,wind_speed_m_per_s"]
    for ts, row in zip(hourly.index, hourly.itertuples(index=False), strict=True):
        lines.append(
            f"{ts:%Y-%m-%dT%H:%M}+08:00,{row.ghi:.1f},{row.temp_air:.2f},{row.wind_speed:.1f}"
        )
    return "\n".join(lines) + "\n"


def generate(out: Path) -> None:
    """Write every PV input file into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    roofs = roofs_frame(rng)
    (out / "roofs.csv").write_text(
        roofs.to_csv(index=False, lineterminator="\n", float_format="%g"), encoding="utf-8"
    )
    (out / "weather_suzhou_tmy.epw").write_text(
        epw_text(typical_weather(rng)), encoding="utf-8", newline="\n"
    )
    (out / "weather_2025_measured.csv").write_text(
        measured_csv(measured_2025()), encoding="utf-8", newline="\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    generate(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
