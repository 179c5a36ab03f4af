"""greenpark load weather: gaps, --fill, resampling, decomposition, distance, idempotence."""

from pathlib import Path

import pytest

from greenpark.core.errors import InputError
from greenpark.loaders.weather import distance_km, load_weather

DATA = Path(__file__).parent / "data" / "weather"


def counts(store):
    return store.con.execute(
        "SELECT (SELECT count(*) FROM weather_sets), (SELECT count(*) FROM weather_hourly), "
        "(SELECT count(*) FROM load_log WHERE kind = 'weather')"
    ).fetchone()


def test_gaps_are_refused_and_nothing_is_stored(store):
    with pytest.raises(InputError) as exc:
        load_weather(store, DATA / "pvgis_45n8e_cut.epw")
    assert "3 hour(s) missing or incomplete" in str(exc.value)
    assert "use --fill" in str(exc.value)
    assert counts(store) == (0, 0, 0)


def test_fill_interpolates_and_reports(store):
    result = load_weather(store, DATA / "pvgis_45n8e_cut.epw", fill=True)
    assert result.status == "loaded" and result.rows_inserted == 48
    text = " | ".join(str(f) for f in result.findings)
    assert "3 hour(s) filled by linear interpolation" in text
    assert "km from the park" in text  # 45 N 8 E is in Italy, the park in Suzhou
    assert "not usable for an annual estimate" in text
    (ghi,) = store.con.execute(
        "SELECT ghi_w_per_m2 FROM weather_hourly WHERE ts = '1990-01-01 08:00'"
    ).fetchone()
    assert ghi == pytest.approx((32.0 + 165.0) / 2)  # hours 9 and 11 of the EPW
    (temp,) = store.con.execute(
        "SELECT temp_air_degc FROM weather_hourly WHERE ts = '1990-01-01 10:00'"
    ).fetchone()
    assert temp == pytest.approx((4.27 + 7.80) / 2)
    again = load_weather(store, DATA / "pvgis_45n8e_cut.epw", fill=True)
    assert again.status == "unchanged"
    assert counts(store) == (1, 48, 1)


def test_sub_hourly_csv_is_averaged_and_ghi_only_decomposed(store, tmp_path):
    lines = ["timestamp,ghi,temp_air,wind_speed"]
    for h in range(4):  # 15-min data for 00:00..03:45 UTC (08:00..11:45 in Suzhou)
        for q, ghi in enumerate((100, 200, 300, 400)):
            lines.append(f"2025-06-01T{h:02d}:{15 * q:02d}Z,{ghi + h},20,2")
    path = tmp_path / "station.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_weather(store, path)
    assert result.rows_inserted == 4
    assert any("averaged to hourly means" in f for f in result.findings)
    assert any("Erbs" in f for f in result.findings)
    rows = store.con.execute(
        "SELECT ghi_w_per_m2, dni_w_per_m2 + dhi_w_per_m2 > 0 FROM weather_hourly ORDER BY ts"
    ).fetchall()
    assert [r[0] for r in rows] == [(100 + 200 + 300 + 400) / 4 + h for h in range(4)]
    assert all(r[1] for r in rows)
    typical, hours = store.con.execute("SELECT typical_year, hours FROM weather_sets").fetchone()
    assert (typical, hours) == (False, 4)


def test_coarser_than_hourly_is_refused(store, tmp_path):
    path = tmp_path / "two_hourly.csv"
    path.write_text(
        "timestamp,ghi,temp_air\n2025-06-01T00:00Z,1,2\n2025-06-01T02:00Z,1,2\n"
        "2025-06-01T04:00Z,1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="hourly or finer"):
        load_weather(store, path)
    assert counts(store) == (0, 0, 0)


def test_distance_km_by_hand():
    # one degree of latitude on a 6371 km sphere: 2 pi 6371 / 360 = 111.19 km
    assert distance_km(31.0, 120.0, 32.0, 120.0) == pytest.approx(111.195, abs=1e-3)
