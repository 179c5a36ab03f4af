"""Water reuse and waste-heat utilization (greenpark/resources.py), computed by hand."""

from __future__ import annotations

import math
import warnings

import pytest
from conftest import write

from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.loaders.waste import load_waste_heat, load_water_monthly
from greenpark.metrics.resources import (
    resource_indicators,
    resources_table,
    waste_heat_utilization_rate_pct,
    water_reuse_rate_pct,
)

METERS = """\
meter_id,carrier,role,unit
WI,water,water_intake,m3
WR1,water,water_recycled,m3
WR2,water,water_recycled,m3
WH1,heat,waste_heat_recovered,GJ
WH2,heat,waste_heat_recovered,MJ
"""
# Local (Asia/Shanghai) interval starts: 2025-01-31 23:00 is January, 02-01 00:00 February.
READINGS = """\
meter_id,timestamp,value
WI,2025-01-01 00:00,100
WI,2025-01-31 23:00,50
WI,2025-02-01 00:00,70
WR1,2025-01-10 00:00,400
WR2,2025-01-10 00:00,200
WH1,2025-01-05 00:00,30
WH1,2025-01-20 00:00,10
WH1,2025-02-03 00:00,25
WH2,2025-01-05 00:00,7000
"""
# February: intake is metered (the file's 999 is ignored), recycled comes from the file.
# March: file only, one row in m3 and one in 万立方米 (10,000 m3).
WATER = """\
month,enterprise_id,intake,recycled,unit
2025-02,,999,630,m3
2025-03,E01,60,200,m3
2025-03,E02,0.004,0.01,万立方米
"""
HEAT = """\
month,source_id,meter_id,recoverable,recovered,unit,applicable,reason
2025-01,F1,WH1,80,,GJ,,
2025-01,F2,,10,5,MWh,,
2025-01,F3,,,,GJ,false,no heat source
2025-02,F1,WH1,20,,GJ,,
2025-03,F1,WH1,50,,GJ,,
"""


@pytest.fixture
def res_store(store, tmp_path):
    load_meters(store, write(tmp_path / "m.csv", METERS))
    load_readings(store, write(tmp_path / "r.csv", READINGS))
    load_water_monthly(store, write(tmp_path / "w.csv", WATER))
    load_waste_heat(store, write(tmp_path / "h.csv", HEAT))
    return store


def test_rate_formulas():
    assert water_reuse_rate_pct(600.0, 150.0) == pytest.approx(100 * 600 / 750)
    assert waste_heat_utilization_rate_pct(58.0, 116.0) == pytest.approx(50.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(water_reuse_rate_pct(0.0, 0.0))
        assert math.isnan(waste_heat_utilization_rate_pct(5.0, 0.0))


def test_water_per_month_and_year(res_store):
    result = resources_table(res_store, 2025)
    frame = result.frame.set_index("period")
    assert list(result.frame.columns) == [
        "period",
        "water_intake_m3",
        "water_recycled_m3",
        "water_reuse_rate_pct",
        "water_source",
        "waste_heat_recovered_gj",
        "waste_heat_recoverable_gj",
        "waste_heat_utilization_rate_pct",
        "waste_heat_status",
        "waste_heat_note",
    ]
    assert len(frame) == 13 and result.frame["period"].iloc[-1] == "2025"
    # January, meters: intake 100 + 50, recycled 400 + 200
    assert frame.loc["2025-01", ["water_intake_m3", "water_recycled_m3"]].tolist() == [150, 600]
    assert frame.loc["2025-01", "water_reuse_rate_pct"] == pytest.approx(100 * 600 / 750)
    assert frame.loc["2025-01", "water_source"] == "meters"
    # February: intake metered 70, recycled 630 from the file
    assert frame.loc["2025-02", "water_reuse_rate_pct"] == pytest.approx(100 * 630 / 700)
    assert frame.loc["2025-02", "water_source"] == "meters+file"
    # March, file: intake 60 + 40, recycled 200 + 100
    assert frame.loc["2025-03", ["water_intake_m3", "water_recycled_m3"]].tolist() == pytest.approx(
        [100.0, 300.0]
    )
    assert frame.loc["2025-03", "water_source"] == "file"
    assert math.isnan(frame.loc["2025-04", "water_reuse_rate_pct"])
    # Year: intake 150 + 70 + 100 = 320, recycled 600 + 630 + 300 = 1530
    assert frame.loc["2025", "water_reuse_rate_pct"] == pytest.approx(100 * 1530 / 1850)
    codes = {f.code: f for f in result.findings}
    assert "water_intake comes from meters (WI)" in codes["resources.water_source_overlap"].message
    assert codes["resources.water_incomplete"].data["months"] == [
        f"2025-{m:02d}" for m in range(4, 13)
    ]


def test_waste_heat_per_month_and_year(res_store):
    result = resources_table(res_store, 2025)
    frame = result.frame.set_index("period")
    # January: F1 metered 30 + 10 of 80 GJ; F2 declared 5 of 10 MWh = 18 of 36 GJ
    assert frame.loc["2025-01", "waste_heat_recovered_gj"] == pytest.approx(58.0)
    assert frame.loc["2025-01", "waste_heat_recoverable_gj"] == pytest.approx(116.0)
    assert frame.loc["2025-01", "waste_heat_utilization_rate_pct"] == pytest.approx(50.0)
    assert frame.loc["2025-01", "waste_heat_note"] == "F3 not applicable: no heat source"
    # February: 25 of 20 GJ (a finding); March: F1's meter has no readings
    assert frame.loc["2025-02", "waste_heat_utilization_rate_pct"] == pytest.approx(125.0)
    assert frame.loc["2025-03", "waste_heat_status"] == "not_available"
    assert frame.loc["2025-04", "waste_heat_status"] == "not_declared"
    # Year: the two available months, (58 + 25) / (116 + 20)
    assert frame.loc["2025", "waste_heat_utilization_rate_pct"] == pytest.approx(100 * 83 / 136)
    messages = {f.code: f.message for f in result.findings}
    assert messages["resources.waste_heat_over_recoverable"] == (
        "2025-02: source F1 recovered 25.0 GJ, more than its declared recoverable 20.0 GJ: "
        "check the declaration"
    )
    assert messages["resources.waste_heat_meter_missing"].startswith(
        "2025-03: source F1 reads meter WH1, which has no readings in the month"
    )
    # WH2 (7000 MJ = 7 GJ) is read by no declared source
    assert messages["resources.waste_heat_meter_undeclared"].startswith(
        "meter WH2 recorded 7.0 GJ of recovered waste heat but no declared source reads it"
    )


def test_waste_heat_not_applicable_for_a_year(store, tmp_path):
    load_waste_heat(
        store,
        write(
            tmp_path / "h.csv",
            (
                "month,source_id,applicable,reason\n"
                "2024-01,PARK,false,no process heat above 60 degC\n"
            ),
        ),
    )
    result = resources_table(store, 2024)
    year = result.frame.iloc[-1]
    assert year["waste_heat_status"] == "not_applicable"
    assert math.isnan(year["waste_heat_utilization_rate_pct"])
    assert year["waste_heat_note"] == "PARK not applicable: no process heat above 60 degC"
    assert [f.code for f in result.findings if f.code.startswith("resources.waste_heat")] == [
        "resources.waste_heat_not_applicable"
    ]


def test_nothing_declared(store):
    result = resources_table(store, 2024)
    assert result.frame.iloc[-1]["waste_heat_status"] == "not_declared"
    codes = [f.code for f in result.findings]
    assert codes == ["resources.water_unavailable", "resources.waste_heat_unavailable"]


def test_indicators_against_thresholds(res_store):
    frame = resource_indicators(res_store, 2025).frame.set_index("indicator_id")
    assert list(frame.index) == ["solid_waste_utilization", "waste_heat_utilization", "water_reuse"]
    water = frame.loc["water_reuse"]
    assert water["value_pct"] == pytest.approx(100 * 1530 / 1850)
    assert (water["threshold_pct"], water["meets_threshold"], water["confidence"]) == (
        80.0,
        True,
        "B",
    )
    assert frame.loc["waste_heat_utilization", "threshold_pct"] == 50.0
    solid = frame.loc["solid_waste_utilization"]
    assert solid["status"] == "not_available" and solid["meets_threshold"] is None
    assert "no waste ledger loaded" in solid["note"]
