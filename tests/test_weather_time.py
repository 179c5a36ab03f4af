"""Weather time conventions and the solar-noon check at load (issue 13, item 9)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenpark.io.weather import INSTANT_OFFSET_MIN, read_weather, time_offset_min
from greenpark.loaders.weather import load_weather

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "weather"
LON = 120.7  # the conftest park


def symmetric_days(shift_min: float = 0.0, days: int = 30):
    """Hourly GHI (hour starts, UTC) of a profile symmetric about each day's solar noon,
    sampled at hour start + 30 min, optionally labelled ``shift_min`` late."""
    from pvlib import solarposition

    starts = pd.date_range("2025-03-01", periods=24 * days, freq="h", tz="UTC")
    minutes = starts.hour * 60.0 + 30.0
    eot = solarposition.equation_of_time_spencer71(starts.dayofyear.to_numpy())
    noon = 720.0 - 4.0 * LON - np.asarray(eot)  # solar noon [min UTC]; before 00 UTC here
    apart = (minutes - noon + 720.0) % 1440.0 - 720.0  # minutes from that noon
    ghi = np.clip(900.0 * np.cos(np.pi * apart / 720.0), 0.0, None)
    index = starts + pd.Timedelta(minutes=shift_min)
    return pd.DataFrame({"ghi": ghi}, index=index)


def test_the_conventions_per_source():
    # EPW and TMY3 hour-ending means and plain CSV interval means: mid-hour; PVGIS: HH:10
    assert INSTANT_OFFSET_MIN["epw"] == INSTANT_OFFSET_MIN["tmy3"] == 30.0
    assert INSTANT_OFFSET_MIN["csv"] == 30.0
    assert INSTANT_OFFSET_MIN["pvgis_json"] == INSTANT_OFFSET_MIN["pvgis_csv"] == 10.0


def test_a_profile_at_solar_noon_has_no_offset_and_a_shift_shows():
    assert abs(time_offset_min(symmetric_days(), LON, 30.0)) < 2.0
    # labelled one hour late (e.g. a UTC+8 file read as UTC+7): the peak seems 60 min late
    assert time_offset_min(symmetric_days(60.0), LON, 30.0) == pytest.approx(60.0, abs=2.0)
    assert time_offset_min(symmetric_days(-60.0), LON, 30.0) == pytest.approx(-60.0, abs=2.0)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/fixtures/weather not present")
def test_the_shared_pvgis_epw_is_noticed(store):
    # Its header says UTC+1 while its rows are the UTC rows of the JSON: read as UTC+1 the
    # hours land 60 min early, and the EPW (+30 min) and PVGIS (+10 min) instants differ
    # by 20 min: the EPW's offset is the JSON's - 60 + 20 min.
    epw = SHARED / "pvgis_tmy_45.000_8.000_2005_2023.epw"
    json_ = SHARED / "pvgis_tmy_45.000_8.000_2005_2023.json"
    data, meta = read_weather(json_)
    json_offset = time_offset_min(data, meta["longitude"], 10.0)
    assert abs(json_offset) < 10.0
    result = load_weather(store, epw)
    (found,) = [f for f in result.findings if f.code == "weather.time_offset"]
    assert found.data["offset_min"] == pytest.approx(json_offset - 60.0 + 20.0, abs=1.0)
    assert "before solar noon" in found.message
    assert not [f for f in load_weather(store, json_).findings if f.code == "weather.time_offset"]


def test_the_model_evaluates_each_source_at_its_instant(store):
    from greenpark.metrics.pv.model import midpoints
    from greenpark.metrics.pv.weather import read_weather_set

    data = Path(__file__).parent / "data" / "weather"
    pvgis = load_weather(store, data / "pvgis_45n8e_cut.json")
    tmy3 = load_weather(store, data / "723170TYA_cut.csv")
    ids = dict(store.con.execute("SELECT name, weather_id FROM weather_sets").fetchall())
    wx_pvgis = read_weather_set(store.con, ids["pvgis_45n8e_cut.json"])
    wx_tmy3 = read_weather_set(store.con, ids["723170TYA_cut.csv"])
    assert (wx_pvgis.instant_offset_min, wx_tmy3.instant_offset_min) == (10.0, 30.0)
    first = wx_pvgis.data.index[0]
    assert midpoints(wx_pvgis.data.index, 10.0)[0] == first + pd.Timedelta(minutes=10)
    assert pvgis.status == tmy3.status == "loaded"
