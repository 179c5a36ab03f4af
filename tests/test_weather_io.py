"""Weather readers on small real-format fixtures (tests/data/weather/README.md)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from greenpark.core.errors import InputError
from greenpark.io.weather import TYPICAL_YEAR, detect_format, read_weather

DATA = Path(__file__).parent / "data" / "weather"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "weather"


def utc(text):
    return pd.Timestamp(text, tz="UTC")


def test_formats_are_detected():
    assert detect_format(DATA / "pvgis_45n8e_cut.epw") == "epw"
    assert detect_format(DATA / "pvgis_45n8e_cut.json") == "pvgis_json"
    assert detect_format(DATA / "723170TYA_cut.csv") == "tmy3"


def test_epw_missing_codes_become_nan_and_times_become_utc():
    data, meta = read_weather(DATA / "pvgis_45n8e_cut.epw")
    assert meta["typical_year"] and meta["source_format"] == "epw"
    assert (meta["latitude"], meta["longitude"], meta["altitude_m"]) == (45.0, 8.0, 250.0)
    # EPW hour 1 = 00:00-01:00 local standard time, TZ +1 -> starts 23:00 UTC the day before
    assert data.index[0] == utc(f"{TYPICAL_YEAR - 1}-12-31 23:00")
    assert len(data) == 48
    # hour 9 (line 17): 08:00 local = 07:00 UTC; GHI 32, DNI 0, DHI 32, 2.10 degC, 0.6 m/s
    row = data.loc[utc(f"{TYPICAL_YEAR}-01-01 07:00")]
    assert (row["ghi"], row["dni"], row["dhi"], row["temp_air"], row["wind_speed"]) == (
        32.0,
        0.0,
        32.0,
        2.10,
        0.6,
    )
    # the three values replaced by hand with EPW missing codes
    assert np.isnan(data.loc[utc(f"{TYPICAL_YEAR}-01-01 08:00"), "ghi"])
    assert np.isnan(data.loc[utc(f"{TYPICAL_YEAR}-01-01 10:00"), "temp_air"])
    assert np.isnan(data.loc[utc(f"{TYPICAL_YEAR}-01-01 11:00"), "wind_speed"])
    assert data.isna().sum().sum() == 3
    codes = [f["code"] for f in meta["findings"]]
    assert codes.count("weather.missing_code") == 3


def pvgis_csv(tmp_path):
    """A PVGIS TMY CSV in the exact layout of PVGIS output (8,760 rows: pvlib's reader
    needs them all); values: 2.04 degC, 0.75 m/s, GHI 0 at night and 100 W/m2 by day."""
    head = [
        "Latitude (decimal degrees): 45.000",
        "Longitude (decimal degrees): 8.000",
        "Elevation (m): 250.0",
        "Irradiance Time Offset (h): 0.1761",
        "month,year",
    ]
    head += [f"{m},2018" for m in range(1, 13)]
    head.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    rows = [
        f"{t:%Y%m%d:%H%M},2.04,94.38,{100.0 if 8 <= t.hour < 16 else 0.0},0.0,"
        f"{100.0 if 8 <= t.hour < 16 else 0.0},283.58,0.75,257.0,99870.0"
        for t in pd.date_range("2018-01-01", periods=8760, freq="1h")
    ]
    tail = ["", "T2m: 2-m air temperature (degree Celsius)", "", "PVGIS (c) European Union"]
    path = tmp_path / "pvgis_tmy.csv"
    path.write_text("\r\n".join(head + rows + tail) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["pvgis_45n8e_cut.json", "csv"])
def test_pvgis_json_and_csv(name, tmp_path):
    path = pvgis_csv(tmp_path) if name == "csv" else DATA / name
    assert detect_format(path) == ("pvgis_csv" if name == "csv" else "pvgis_json")
    data, meta = read_weather(path)
    assert meta["typical_year"] and meta["latitude"] == 45.0 and meta["altitude_m"] == 250.0
    # first record 20180101:0000 UTC: T2m 2.04, G(h) 0, WS10m 0.75 -> re-dated to 1990
    assert data.index[0] == utc(f"{TYPICAL_YEAR}-01-01 00:00")
    first = data.iloc[0]
    assert (first["temp_air"], first["ghi"], first["wind_speed"]) == (2.04, 0.0, 0.75)
    assert len(data) == (8760 if name == "csv" else 48) and not data.isna().any().any()
    assert "weather.pvgis_wind" in [f["code"] for f in meta["findings"]]


def test_tmy3_hour_ending_labels_become_starts():
    data, meta = read_weather(DATA / "723170TYA_cut.csv")
    assert (meta["latitude"], meta["longitude"]) == (36.1, -79.95)
    # 01/01/1988 01:00 (hour ending, UTC-5) = interval 00:00-01:00 local = 05:00 UTC
    assert data.index[0] == utc(f"{TYPICAL_YEAR}-01-01 05:00")
    assert data.iloc[0]["temp_air"] == 10.0 and data.iloc[0]["wind_speed"] == 6.2


def test_bundled_tmy3_full_year_has_no_leap_hole():
    data, _ = read_weather(Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV")
    assert len(data) == 8760
    assert (data.index[1:] - data.index[:-1] == pd.Timedelta(hours=1)).all()


@pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared/fixtures/weather not present (reference files kept beside the repository)",
)
def test_shared_full_pvgis_files_agree_across_formats():
    epw, _ = read_weather(SHARED / "pvgis_tmy_45.000_8.000_2005_2023.epw")
    js, _ = read_weather(SHARED / "pvgis_tmy_45.000_8.000_2005_2023.json")
    csv, _ = read_weather(SHARED / "pvgis_tmy_45.000_8.000_2005_2023.csv")
    assert len(epw) == len(js) == len(csv) == 8760
    assert (js["ghi"] == csv["ghi"]).all()
    assert abs(epw["ghi"].sum() - js["ghi"].sum()) / js["ghi"].sum() < 1e-3


def write(tmp_path, text, name="wx.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_csv_with_offsets_and_ghi_only(tmp_path):
    path = write(
        tmp_path,
        "timestamp,ghi_w_per_m2,temp_air_degc,wind_speed\n"
        "2025-06-01T08:00+08:00,300,25,2\n2025-06-01T09:00+08:00,500,26,2\n",
    )
    data, meta = read_weather(path)
    assert not meta["typical_year"] and meta["latitude"] is None
    assert list(data.index) == [utc("2025-06-01 00:00"), utc("2025-06-01 01:00")]
    assert list(data["ghi"]) == [300.0, 500.0] and data["dni"].isna().all()


def test_plain_csv_naive_timestamps_need_a_timezone(tmp_path):
    path = write(tmp_path, "timestamp,ghi,temp_air\n2025-06-01 08:00,300,25\n")
    with pytest.raises(InputError) as exc:
        read_weather(path)
    assert "line 2, column 'timestamp'" in str(exc.value)
    assert "no timezone" in str(exc.value)
    data, meta = read_weather(path, timezone="Asia/Shanghai")
    assert data.index[0] == utc("2025-06-01 00:00")
    assert data["wind_speed"].iloc[0] == 1.0
    assert meta["findings"][0]["code"] == "weather.no_wind"


def test_plain_csv_bad_number_and_missing_column(tmp_path):
    bad = write(
        tmp_path, "timestamp,ghi,temp_air\n2025-06-01T08:00Z,300,25\n2025-06-01T09:00Z,lots,25\n"
    )
    with pytest.raises(InputError) as exc:
        read_weather(bad)
    assert "line 3, column 'ghi': value 'lots': must be a number" in str(exc.value)
    missing = write(tmp_path, "timestamp,ghi\n2025-06-01T08:00Z,300\n", "m.csv")
    with pytest.raises(InputError, match="column 'temp_air'.*required column is missing"):
        read_weather(missing)
    half = write(tmp_path, "timestamp,ghi,dni,temp_air\n2025-06-01T08:00Z,300,200,25\n", "h.csv")
    with pytest.raises(InputError, match="give both dni and dhi"):
        read_weather(half)
