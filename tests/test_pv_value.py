"""greenpark pv value: self-consumption against metered load, CO2, economics."""

import numpy as np
import pandas as pd
import pytest
from test_pv_estimate import make_store

from greenpark.core.config.pv import economics
from greenpark.core.factors import grid_factor
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.pv.potential import estimate
from greenpark.metrics.pv.value import align_by_utc_hour, value, value_table


class Run:
    weather, screening = "w", False


def test_value_table_by_hand():
    pv = np.array([0.0, 60.0, 100.0])
    load = pd.DataFrame(
        {
            "grid_import_kwh": [40.0, 80.0, 70.0],
            "grid_export_kwh": 0.0,
            "pv_generation_kwh": [0.0, 10.0, 10.0],
        }
    )
    load["load_kwh"] = load["grid_import_kwh"] + load["pv_generation_kwh"]
    prices = np.array([0.3, 1.0, 0.65])
    econ = economics(
        '[park]\nid="x"\n[pv.economics]\ndiscount_rate = 0.0\nlifetime_years = 2\n'
        "degradation_pct_per_year = 0\nom_cny_per_kwp_year = 10\n"
    )
    factor = grid_factor("Jiangsu", 2023)
    row = value_table(
        pv,
        load,
        prices,
        0.4,
        (7000.0, 2.0),
        {"weather": "w", "screening": False},
        econ,
        factor,
        2023,
    )[0].iloc[0]
    # self-consumed: min(0,40) + min(60,80) + min(100,70) = 130; exported 30
    assert (row["self_consumed_kwh"], row["exported_kwh"]) == (130.0, 30.0)
    assert row["self_consumption_pct"] == pytest.approx(130 / 160 * 100)
    # consumption 40 + 90 + 80 = 210; existing PV on site 20
    assert row["self_sufficiency_before_pct"] == pytest.approx(20 / 210 * 100)
    assert row["self_sufficiency_after_pct"] == pytest.approx(150 / 210 * 100)
    # savings 60 x 1.0 + 70 x 0.65 = 105.5; export 30 x 0.4 = 12; O&M 2 kWp x 10 = 20
    assert row["savings_cny"] == pytest.approx(105.5)
    assert row["export_income_cny"] == pytest.approx(12.0)
    assert row["net_benefit_cny"] == pytest.approx(97.5)
    assert row["simple_payback_years"] == pytest.approx(7000 / 97.5)
    # r = 0, 2 years: LCOE = (7000 + 2 x 20) / (2 x 160); NPV = -7000 + 2 x 117.5 - 2 x 20
    assert row["lcoe_cny_per_kwh"] == pytest.approx(7040 / 320)
    assert row["npv_cny"] == pytest.approx(-7000 + 235 - 40)
    assert row["co2_avoided_tco2"] == pytest.approx(130 / 1000 * factor.value)
    assert factor.source in row["grid_factor_source"]


def test_align_by_utc_hour_maps_leap_day_to_28_february():
    src = pd.date_range("1990-02-28", periods=48, freq="1h", tz="UTC")  # 28 Feb, 1 Mar
    dst = pd.DatetimeIndex(["2024-02-29 05:00", "2024-03-01 05:00"], tz="UTC")
    assert align_by_utc_hour(src, np.arange(48.0), dst).tolist() == [5.0, 29.0]


def test_value_against_a_metered_year(tmp_path):
    with make_store(tmp_path) as store:
        meters = tmp_path / "meters.csv"
        meters.write_text(
            "meter_id,carrier,role,unit,building_id\nIMP,electricity,grid_import,kWh,\n",
            encoding="utf-8",
        )
        load_meters(store, meters)
        hours = pd.date_range("2025-01-01", "2025-12-31 23:00", freq="1h")
        readings = tmp_path / "imp.csv"
        readings.write_text(
            "meter_id,timestamp,value\n" + "".join(f"IMP,{t:%Y-%m-%d %H:%M},50\n" for t in hours),
            encoding="utf-8",
        )
        load_readings(store, [readings])
        estimate(store)
        result = value(store)
        row = result.frame.iloc[0]
        pv = store.con.execute(
            "SELECT sum(new_ac_kwh), sum(least(new_ac_kwh, 50)) FROM pv_park_hourly"
        ).fetchone()
        assert row["year"] == 2025
        assert row["pv_energy_kwh"] == pytest.approx(pv[0])
        assert row["self_consumed_kwh"] == pytest.approx(pv[1])
        assert row["consumption_kwh"] == 8760 * 50
        assert row["self_sufficiency_after_pct"] == pytest.approx(pv[1] / 438000 * 100)
        # 2025 factor not published: the newest earlier year is used, and said
        assert any(f["code"] == "pv.grid_factor" for f in result.findings)
        long = result.to_long()
        assert list(long.columns) == ["metric", "value", "unit"]
        assert long.set_index("metric").loc["capex_cny", "unit"] == "CNY"
