"""Wind sites, estimates and the energy mix through the CLI, on a park database on disk,
with expected values worked out by hand from the shipped power curve points."""

from __future__ import annotations

import json

import duckdb
import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli

E82_AT_6_W = 321_000.0  # OEDB power_curves.csv, E-82/2000 at 6.0 m/s (tests/test_wind_model.py)
AVAILABILITY, OTHER_LOSSES = 0.97, 0.02  # the labelled defaults of a blank site
SITES = (
    "site_id,name,turbine_type,hub_height_m,turbine_count,roughness_length_m,terrain_class,"
    "capex_cny_per_kw\n"
    "W1,North lot,E-82/2000,100,1,0.1,,6000\n"
)


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def weather_csv(path, speed: float | None = 4.0):
    """A full 2025 of hourly measured weather (park time +08:00), constant wind speed."""
    import pandas as pd

    hours = pd.date_range("2025-01-01", periods=8760, freq="h")
    stamps = hours.strftime("%Y-%m-%dT%H:%M+08:00")
    header = "timestamp,ghi,temp_air" + (",wind_speed" if speed is not None else "")
    tail = f",{speed}" if speed is not None else ""
    path.write_text(
        header + "\n" + "\n".join(f"{t},0,15{tail}" for t in stamps) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def wind_db(db, tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    assert run(db, "load", "wind-sites", str(tmp_path / "sites.csv")).exit_code == 0
    loaded = run(db, "load", "weather", str(weather_csv(tmp_path / "w.csv")))
    assert loaded.exit_code == 0, loaded.output
    return db


def test_estimate_applies_the_log_law_and_the_curve_by_hand(wind_db):
    result = run(wind_db, "wind", "estimate", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    # 4 m/s at 10 m (assumed height of a plain CSV), z0 0.1 m, hub 100 m:
    # v = 4 ln(1000) / ln(100) = 6.0 m/s -> 321 kW; 8760 h; availability and other losses.
    assert row["mean_hub_wind_speed_m_per_s"] == pytest.approx(6.0, rel=1e-12)
    annual = E82_AT_6_W / 1000.0 * 8760 * AVAILABILITY * (1 - OTHER_LOSSES)
    assert row["annual_energy_kwh"] == pytest.approx(annual, rel=1e-12)
    assert row["gross_energy_kwh"] == pytest.approx(E82_AT_6_W / 1000.0 * 8760, rel=1e-12)
    assert row["capacity_kw"] == 2000.0 and row["wind_height_m"] == 10.0
    assert row["capacity_factor_pct"] == pytest.approx(annual / (2000.0 * 8760) * 100, rel=1e-12)
    assert row["full_load_hours_h"] == pytest.approx(annual / 2000.0, rel=1e-12)
    # LCOE = (C + OM A) / (E A), A = sum_{t=1..20} 1.06^-t, OM = 150 CNY/kW/a x 2000 kW.
    annuity = sum(1.06**-t for t in range(1, 21))
    capex, om = 6000.0 * 2000, 150.0 * 2000
    assert row["lcoe_cny_per_kwh"] == pytest.approx(
        (capex + om * annuity) / (annual * annuity), rel=1e-12
    )
    notes = result.stderr
    assert "wind.assumed_wind_height_m" in notes and "10 m" in notes
    assert "log law with roughness length W1 0.1 m" in notes


def test_monthly_energy_sums_to_the_year(wind_db):
    import greenpark as gp
    from greenpark.metrics.wind.estimate import wind_estimate

    with gp.open_store(wind_db, read_only=True) as store:
        result = wind_estimate(store)
    monthly = result.tables["monthly"]
    assert list(monthly["month"]) == list(range(1, 13))
    per_hour = E82_AT_6_W / 1000.0 * AVAILABILITY * (1 - OTHER_LOSSES)
    assert monthly["energy_kwh"].iloc[1] == pytest.approx(per_hour * 28 * 24, rel=1e-12)
    assert result.tables["hourly"].shape == (8760, 1)


def test_energy_mix_and_gap_lever_by_hand(wind_db, tmp_path):
    import pandas as pd

    import greenpark as gp
    from greenpark.metrics.zerocarbon.gap_analysis import gap_result

    hours = pd.date_range("2025-01-01", periods=8760, freq="h")
    lines = "\n".join(f"IMP,{t:%Y-%m-%d %H:%M},200" for t in hours)
    (tmp_path / "r.csv").write_text("meter_id,timestamp,value\n" + lines + "\n")
    assert run(wind_db, "load", "readings", str(tmp_path / "r.csv")).exit_code == 0
    result = run(wind_db, "energy-mix", "--year", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["source"]: r for r in json.loads(result.stdout)}
    wind_per_hour = E82_AT_6_W / 1000.0 * AVAILABILITY * (1 - OTHER_LOSSES)  # > 200 kWh
    wind = rows["wind"]
    assert wind["energy_kwh"] == pytest.approx(wind_per_hour * 8760, rel=1e-12)
    assert wind["self_consumed_kwh"] == pytest.approx(200.0 * 8760, rel=1e-12)
    assert wind["exported_kwh"] == pytest.approx((wind_per_hour - 200.0) * 8760, rel=1e-12)
    assert wind["night_energy_pct"] == pytest.approx(12 / 24 * 100, rel=1e-12)
    assert rows["pv"]["energy_kwh"] == 0.0 and "energy_mix.no_pv" in result.stderr
    with gp.open_store(wind_db, read_only=True) as store:
        factor = store.factor_book().get("electricity.location", pd.Timestamp("2025-06-01").date())
        gap = gap_result(store, "2025", pv_potential_mwh=0.0, wind_potential_mwh=0.0).frame
        lever = gap_result(store, "2025").frame.iloc[0]
    assert wind["co2_avoided_tco2"] == pytest.approx(200.0 * 8760 * factor.value / 1000, rel=1e-9)
    needed = min(
        gap["zero_carbon_electricity_needed_mwh"][0], gap["grid_purchase_uncovered_mwh"][0]
    )
    assert wind["gap_closed_mwh"] == pytest.approx(min(200.0 * 8.76, needed), rel=1e-12)
    assert wind["gap_closed_pct"] == pytest.approx(wind["gap_closed_mwh"] / needed * 100, rel=1e-12)
    # The gap analysis takes the wind sites' annual energy as a lever after PV.
    assert lever["distributed_wind_potential_mwh"] == pytest.approx(wind_per_hour * 8.76, rel=1e-12)
    assert lever["distributed_wind_closes_mwh"] == pytest.approx(
        min(needed, wind_per_hour * 8.76), rel=1e-12
    )


def sites_count(db) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM wind_sites").fetchone()[0]


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        ("W9,E-999/1,100,1,0.1", "turbine_type", "E-999/1", "not in windpowerlib's shipped"),
        ("W9,E-82/2000,100,1,-0.1", "roughness_length_m", "-0.1", "greater than 0 m"),
        ("W9,E-82/2000,30,1,0.1", "hub_height_m", "30", "half the rotor diameter (82 m)"),
    ],
    ids=["unknown-type", "negative-roughness", "hub-below-half-rotor"],
)
def test_bad_sites_are_refused_naming_file_line_and_value(db, tmp_path, row, column, value, rule):
    path = tmp_path / "bad_sites.csv"
    path.write_text(
        "site_id,turbine_type,hub_height_m,turbine_count,roughness_length_m\n"
        "W1,E-82/2000,98,1,0.1\n" + row + "\n",
        encoding="utf-8",
    )
    result = run(db, "load", "wind-sites", str(path))
    assert result.exit_code == 2
    message = result.stderr
    assert "bad_sites.csv" in message and "line 3" in message
    assert f"column '{column}'" in message and f"value '{value}'" in message and rule in message
    assert "Traceback" not in result.output
    assert sites_count(db) == 0  # nothing of the file was loaded


def test_a_hub_height_the_library_does_not_list_is_a_warning(db, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES, encoding="utf-8")
    result = run(db, "load", "wind-sites", str(path), "--format", "json")
    assert result.exit_code == 0
    (record,) = json.loads(result.stdout)
    assert "wind.hub_height_not_offered" in record["findings"]
    assert "100 m" in record["findings"] and "78, 84, 85, 98, 108, 138" in record["findings"]
    again = run(db, "load", "wind-sites", str(path), "--format", "json")
    assert json.loads(again.stdout)[0]["status"] == "unchanged"


def test_weather_without_wind_speed_is_an_error_naming_the_file(db, tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    run(db, "load", "wind-sites", str(tmp_path / "sites.csv"))
    assert (
        run(db, "load", "weather", str(weather_csv(tmp_path / "nowind.csv", None))).exit_code == 0
    )
    result = run(db, "wind", "estimate")
    assert result.exit_code == 1
    assert "nowind.csv" in result.stderr and "no wind_speed column" in result.stderr


def test_no_sites_and_turbine_listing(db):
    result = run(db, "wind", "estimate")
    assert result.exit_code == 1 and "greenpark load wind-sites" in result.stderr
    listing = run(db, "wind", "turbines", "--search", "e-82/2000", "--format", "csv")
    assert listing.exit_code == 0
    header, line = listing.stdout.splitlines()
    assert header.startswith("turbine_type,manufacturer,rated_power_kw,rotor_diameter_m")
    assert line.startswith("E-82/2000,Enercon,2000.0,82.0,")


def test_mast_estimate_uses_the_fitted_shear_exponent(db, tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    run(db, "load", "wind-sites", str(tmp_path / "sites.csv"))
    # 10 m: 4 m/s, 50 m: 4 * 5^0.25 m/s -> alpha = ln(v50 / v10) / ln(5) = 0.25.
    v50 = 4.0 * 5**0.25
    lines = [f"2025-03-01T{h:02d}:00+08:00,4.0,{v50!r}" for h in range(24)]
    mast = tmp_path / "mast.csv"
    mast.write_text("timestamp,wind_speed_10m,wind_speed_50m\n" + "\n".join(lines) + "\n")
    result = run(db, "wind", "estimate", "--mast", str(mast), "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    v_hub = v50 * (100.0 / 50.0) ** 0.25  # from the closest height, 50 m
    assert row["mean_hub_wind_speed_m_per_s"] == pytest.approx(v_hub, rel=1e-9)
    assert row["wind_height_m"] == 50.0
    assert "shear exponent 0.250" in result.stderr and "wind.partial_year" in result.stderr
    # E-82/2000 curve points 7 m/s: 532 kW, 8 m/s: 815 kW; 24 h annualised x 8760 / 24.
    p_kw = 532.0 + (815.0 - 532.0) * (v_hub - 7.0)
    assert row["gross_energy_kwh"] == pytest.approx(p_kw * 8760, rel=1e-9)


def test_mast_with_a_missing_speed_is_an_error_naming_file_line_and_value(db, tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    run(db, "load", "wind-sites", str(tmp_path / "sites.csv"))
    mast = tmp_path / "mast.csv"
    mast.write_text(
        "timestamp,wind_speed_10m,wind_speed_50m\n"
        "2025-03-01T00:00+08:00,4.0,5.0\n2025-03-01T01:00+08:00,,5.0\n"
    )
    result = run(db, "wind", "estimate", "--mast", str(mast))
    assert result.exit_code == 2
    assert "mast.csv" in result.stderr and "line 3" in result.stderr
    assert "wind_speed_10m" in result.stderr and "wind speed is missing" in result.stderr
