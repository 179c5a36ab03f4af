"""Wind inputs: air pressure from the weather readers, mast files and their shear exponent,
custom power curves; expected values read from the files by hand or worked out here."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from greenpark.core.errors import InputError
from greenpark.io.weather import read_weather
from greenpark.io.wind import fit_shear_exponent, read_mast, read_power_curve

DATA = Path(__file__).parent / "data" / "weather"


def test_epw_pressure_is_in_pa_and_the_wind_height_is_10_m():
    # EPW field 10 (0-based 9) is the atmospheric station pressure [Pa]
    with (DATA / "pvgis_45n8e_cut.epw").open() as fh:
        first = list(csv.reader(fh))[8]
    data, meta = read_weather(DATA / "pvgis_45n8e_cut.epw")
    assert data["pressure_pa"].iloc[0] == float(first[9])
    assert meta["wind_height_m"] == 10.0


def test_tmy3_pressure_mbar_becomes_pa():
    with (DATA / "723170TYA_cut.csv").open() as fh:
        rows = list(csv.reader(fh))
    mbar = float(rows[2][rows[1].index("Pressure (mbar)")])
    data, meta = read_weather(DATA / "723170TYA_cut.csv")
    assert data["pressure_pa"].iloc[0] == mbar * 100.0
    assert meta["wind_height_m"] == 10.0


def test_a_plain_csv_has_no_known_wind_height_and_an_optional_pressure(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "timestamp,ghi,temp_air,wind_speed,pressure_pa\n2025-06-01T08:00+08:00,100,25,3.5,100800\n"
    )
    data, meta = read_weather(path)
    assert data["pressure_pa"].iloc[0] == 100800.0 and meta["wind_height_m"] is None


def test_shear_exponent_is_the_log_slope_by_hand():
    assert fit_shear_exponent([10, 50], [5.0, 6.5]) == pytest.approx(
        math.log(6.5 / 5.0) / math.log(5.0), rel=1e-12
    )
    heights, speeds = [10.0, 40.0, 80.0], [5.0, 6.1, 7.2]
    x = [math.log(h) for h in heights]
    y = [math.log(v) for v in speeds]
    mx, my = sum(x) / 3, sum(y) / 3
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )
    assert fit_shear_exponent(heights, speeds) == pytest.approx(slope, rel=1e-12)


def test_mast_file_heights_means_and_exponent(tmp_path):
    path = tmp_path / "mast.csv"
    path.write_text(
        "timestamp,ws_10m,wind_speed_60m,风速_30m,temp_air\n"
        "2025-03-01 00:00,4,6,5,10\n2025-03-01 00:10,6,8,7,10\n"
    )
    data, meta = read_mast(path, timezone="Asia/Shanghai")
    assert meta["heights_m"] == [10.0, 30.0, 60.0]
    assert meta["mean_speeds_m_per_s"] == [5.0, 6.0, 7.0]
    assert meta["shear_exponent"] == pytest.approx(fit_shear_exponent([10, 30, 60], [5, 6, 7]))
    assert str(data.index[0]) == "2025-02-28 16:00:00+00:00"  # park time -> UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timestamp,wind_speed_10m\n2025-03-01T00:00+08:00,4\n", "two or more heights"),
        (
            "timestamp,wind_speed_10m,wind_speed_50m\n2025-03-01T00:00+08:00,4,-1\n",
            "line 2, column 'wind_speed_50m': value '-1': wind speed must be between 0 and 75",
        ),
        (
            "timestamp,wind_speed_10m,wind_speed_50m\n2025-03-01T00:00+08:00,4,fast\n",
            "line 2, column 'wind_speed_50m': value 'fast': must be a number",
        ),
    ],
    ids=["one-height", "negative", "not-a-number"],
)
def test_bad_mast_files_name_the_file_line_and_value(tmp_path, text, expected):
    path = tmp_path / "bad_mast.csv"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_mast(path)
    assert "bad_mast.csv" in str(info.value) and expected in str(info.value)


def test_power_curve_file_and_its_errors(tmp_path):
    good = tmp_path / "curve.csv"
    good.write_text("wind_speed_m_per_s,power_kw\n12,500\n3,0\n6,100\n")
    curve, meta = read_power_curve(good)
    assert list(curve["wind_speed_m_per_s"]) == [3.0, 6.0, 12.0]  # sorted by speed
    assert meta["rated_power_kw"] == 500.0
    bad = tmp_path / "bad_curve.csv"
    bad.write_text("wind_speed_m_per_s,power_kw\n3,0\n6,-100\n12,500\n")
    with pytest.raises(InputError) as info:
        read_power_curve(bad)
    assert "bad_curve.csv" in str(info.value) and "line 3" in str(info.value)
    assert "'-100'" in str(info.value)
    twice = tmp_path / "twice.csv"
    twice.write_text("wind_speed_m_per_s,power_kw\n3,0\n3,10\n12,500\n")
    with pytest.raises(InputError, match="wind speed repeated"):
        read_power_curve(twice)


def test_power_curve_errors_name_the_physical_line(tmp_path):
    # a title row above the header and a blank line: the bad cell is on physical line 6
    bad = tmp_path / "curve.csv"
    bad.write_text("Vestas curve,\nwind_speed_m_per_s,power_kw\n3,0\n\n6,100\n9,x\n12,500\n")
    with pytest.raises(InputError) as info:
        read_power_curve(bad)
    assert "line 6" in str(info.value) and "'x'" in str(info.value)
    twice = tmp_path / "twice.csv"
    twice.write_text("wind_speed_m_per_s,power_kw\n3,0\n\n6,10\n6,20\n12,500\n")
    with pytest.raises(InputError) as info:
        read_power_curve(twice)
    assert "line 5" in str(info.value) and "wind speed repeated" in str(info.value)


def test_a_site_with_a_bad_curve_file_is_refused_naming_both_files(db, tmp_path):
    from click.testing import CliRunner

    from greenpark.cli.app import cli

    (tmp_path / "curves").mkdir()
    (tmp_path / "curves" / "c.csv").write_text("wind_speed_m_per_s,power\n3,0\n")
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,turbine_type,power_curve_file,rotor_diameter_m,hub_height_m,roughness_length_m\n"
        "W1,my-100,curves/c.csv,20,30,0.1\n"
    )
    result = CliRunner().invoke(cli, ["--db", str(db), "load", "wind-sites", str(sites)])
    assert result.exit_code == 2
    assert "sites.csv" in result.stderr and "line 2" in result.stderr
    assert "c.csv" in result.stderr and "power_kw" in result.stderr
