"""``greenpark plan storage|pathway`` on a park database, against figures by hand."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli

PARK = """
[park]
id = "plan-park"
name = "Plan Park"
timezone = "Asia/Shanghai"
province = "Jiangsu"
latitude = 31.3
longitude = 120.7

[tariff]
peak_hours = [[8, 24]]
flat_hours = []
valley_hours = [[0, 8]]
peak_cny_per_kwh = 1.0
valley_cny_per_kwh = 0.3

[plan]
discount_rate = 0.06

[plan.storage]
round_trip_efficiency = 0.81
soc_min_pct = 0
soc_max_pct = 100
duration_h = 4
capex_cny_per_kwh = 900
om_pct_of_capex_per_year = 2
lifetime_years = 10

[[plan.levers]]
id = "gp"
kind = "green_power"
mwh = 1000
premium_cny_per_mwh = 20
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    folder = tmp_path_factory.mktemp("plan")
    (folder / "park.toml").write_text(PARK, encoding="utf-8")
    (folder / "meters.csv").write_text(
        "meter_id,carrier,role,unit\nIMP,electricity,grid_import,kWh\n", encoding="utf-8"
    )
    hours = pd.date_range("2025-01-01", "2025-12-31 23:00", freq="1h")
    (folder / "imp.csv").write_text(
        "meter_id,timestamp,value\n" + "".join(f"IMP,{t:%Y-%m-%d %H:%M},100\n" for t in hours),
        encoding="utf-8",
    )
    path = folder / "park.duckdb"
    init_park(str(path), folder / "park.toml")
    with open_store(path) as store:
        load_meters(store, folder / "meters.csv")
        load_readings(store, [folder / "imp.csv"])
    return path


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "plan", *args])


def test_storage_sizing_by_hand(db):
    # 100 kW flat, valley 0-8 h at 0.3, peak 8-24 h at 1.0; 200 kWh, 200 / 4 h = 50 kW,
    # round trip 0.81: each day buys 200 / 0.9 kWh in the valley and delivers 180 at
    # peak: 180 - 66.67 = 113.33 CNY a day, 365 days.
    run = invoke(db, "storage", "--year", "2025", "--size-kwh", "200", "--format", "json")
    assert run.exit_code == 0, run.output
    rows = json.loads(run.stdout)["rows"]
    assert [r["battery_kwh"] for r in rows] == [0.0, 200.0]
    row = rows[1]
    savings = 365 * (180 * 1.0 - 200 / 0.9 * 0.3)
    capex = 200 * 900.0
    net = savings - capex * 0.02
    annuity = (1 - 1.06**-10) / 0.06
    assert row["battery_kw"] == 50.0
    assert row["annual_savings_cny"] == pytest.approx(savings, abs=1e-4)
    assert row["capex_cny"] == capex and row["om_cny"] == pytest.approx(3600.0)
    assert row["simple_payback_years"] == pytest.approx(capex / net, rel=1e-9)
    assert row["npv_cny"] == pytest.approx(-capex + net * annuity, abs=1e-3)
    irr = row["irr_pct"] / 100
    assert -capex + net * (1 - (1 + irr) ** -10) / irr == pytest.approx(0, abs=1e-3)
    assert row["cycles"] == pytest.approx(365 * 180 / 200, abs=1e-6)
    assert row["best_npv"] and not rows[0]["best_npv"]
    # Notes (assumptions, findings) go to stderr, so that stdout stays JSON.
    assert "plan.no_pv_estimate" in run.stderr


def test_storage_table_shows_the_bill_and_writes_the_series(db, tmp_path):
    series = tmp_path / "dispatch.csv"
    run = invoke(db, "storage", "--size-kwh", "200", "--lang", "en", "--series", str(series))
    assert run.exit_code == 0, run.output
    assert run.output.startswith("PV + storage sizing 2025 (60-minute data)")
    assert "Electricity bill by component" in run.output
    frame = pd.read_csv(series)
    assert len(frame) == 8760 and frame.columns[:2].tolist() == ["ts_utc", "ts_local"]
    # The day's valley charge: 200 kWh stored of 222.2 bought, 50 kW at most per hour.
    first_day = frame.iloc[:24]
    assert first_day["charge_kwh"].sum() == pytest.approx(200 / 0.9, abs=1e-6)
    assert first_day["charge_kwh"].max() <= 50 + 1e-9
    assert first_day["soc_kwh"].max() == pytest.approx(200, abs=1e-6)
    zh = invoke(db, "storage", "--size-kwh", "200")
    assert zh.output.startswith("光伏+储能配置 2025")


def residual_factor(db) -> float:
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        return store.factor_book().get("electricity.market_residual", dt.date(2025, 6, 1)).value


def test_pathway_cheapest_share_of_green_power_by_hand(db):
    # 876 MWh bought at the residual factor f; energy 876,000 kWh x 0.1229 kgce/kWh.
    # Need E - 0.2 T; green power 1000 MWh abates 1000 f at 20,000 CNY: share = need /
    # (1000 f), cost = share x 20,000.
    f = residual_factor(db)
    emissions, energy = 876 * f, 876_000 * 0.1229 / 1000
    need = emissions - 0.2 * energy
    run = invoke(db, "pathway", "--target-year", "2028", "--format", "json", "--lang", "en")
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    (row,) = out["rows"]
    assert row["abated_tco2"] == pytest.approx(1000 * f)
    assert row["cny_per_tco2"] == pytest.approx(20.0 / f)
    assert row["chosen_share"] == pytest.approx(need / (1000 * f), rel=1e-6)
    last = out["tables"]["path"][-1]
    assert last["year"] == 2028 and last["meets_threshold"]
    assert last["tco2_per_tce"] == pytest.approx(0.2, rel=1e-6)
    assert last["annual_cost_cny"] == pytest.approx(need / (1000 * f) * 20_000, rel=1e-6)
    assert out["inputs"]["basis"] == "market"


def test_pathway_out_of_reach_says_by_how_much(db, tmp_path):
    f = residual_factor(db)
    need = 876 * f - 0.2 * 876_000 * 0.1229 / 1000
    levers = tmp_path / "levers.toml"
    levers.write_text(
        '[[levers]]\nid = "kiln"\nkind = "process"\ntco2_per_year = 100\nannual_cost_cny = 5000\n',
        encoding="utf-8",
    )
    run = invoke(
        db,
        "pathway",
        "--target-year",
        "2030",
        "--levers",
        str(levers),
        "--table",
        "path",
        "--format",
        "csv",
    )
    assert run.exit_code == 0, run.output
    assert run.stdout.splitlines()[0].startswith("year,levers,emissions_tco2")
    assert f"{need - 100:,.1f} tCO2 short" in run.stderr


def test_pathway_bad_levers_file_names_the_key(db, tmp_path):
    levers = tmp_path / "bad.toml"
    levers.write_text('[[levers]]\nid = "x"\nkind = "green_power"\nmwh = -1\n', encoding="utf-8")
    run = invoke(db, "pathway", "--levers", str(levers))
    assert run.exit_code == 1
    assert "levers[0].mwh = -1 is outside" in run.output
    assert "missing key levers[0].premium_cny_per_mwh" in run.output
    assert "Traceback" not in run.output


def test_pathway_target_before_the_base_year_is_an_error(db):
    run = invoke(db, "pathway", "--target-year", "2026", "--year", "2026")
    assert run.exit_code == 1
    assert "--target-year 2026 must be after the base year 2026" in run.output
