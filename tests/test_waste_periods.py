"""Waste rates and resources over Periods (greenpark/metrics/waste/window.py, rates.py,
resources.py): windows across a year boundary, the string edge, the Result; every
expected number computed by hand below."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from click.testing import CliRunner
from conftest import write

from greenpark.cli import cli
from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.loaders.waste import load_waste, load_water_monthly
from greenpark.metrics.resources import resource_indicators, resources_table
from greenpark.metrics.waste import (
    ledger_check,
    ledger_findings,
    month_range,
    waste_check,
    waste_rates,
    windowed,
)

HEADER = "month,enterprise_id,stream,category,unit,generated,utilized,disposed,stored,route\n"
# Every row balances. The 12 months ending 2025-02 are 2024-03 .. 2025-02: 2024-02 and
# 2025-03 lie outside them.
LEDGER = HEADER + (
    "2024-02,E01,slag,general_industrial_solid,t,1000,0,1000,0,landfill\n"
    "2024-03,E01,slag,general_industrial_solid,t,100,60,0,40,recycling\n"
    "2024-12,E01,slag,general_industrial_solid,t,50,50,0,0,reuse\n"
    "2025-02,E01,slag,general_industrial_solid,t,30,0,30,0,landfill\n"
    "2025-03,E01,slag,general_industrial_solid,t,500,500,0,0,recycling\n"
)


@pytest.fixture
def ledger_store(store, tmp_path):
    load_waste(store, write(tmp_path / "ledger.csv", LEDGER))
    return store


# --- the window edge -------------------------------------------------------------------


def test_windows_are_periods():
    rolling = windowed(Period.month("2025-02"), "rolling12")
    assert (rolling.first, rolling.last, rolling.n_months) == (
        dt.date(2024, 3, 1),
        dt.date(2025, 2, 1),
        12,
    )
    ytd = windowed(Period.month("2025-02"), "ytd")
    assert (ytd.first, ytd.last, ytd.label) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
        "2025-01..2025-02",
    )
    # the year to date of January is January itself, labelled as a month (as before)
    assert windowed(Period.month("2025-01"), "ytd").label == "2025-01"
    # --window applies to a month; a year stays the year
    assert windowed(Period.year(2024), "rolling12") == Period.year(2024)
    with pytest.raises(GreenparkError, match="--window"):
        windowed(Period.month("2025-01"), "week")


def test_string_edge_builds_the_same_period():
    assert month_range(month="2025-02", window="rolling12") == Period.rolling12("2025-02")
    assert month_range(year="2024") == Period.year(2024)
    assert month_range(period="2024-11..2025-02") == Period.range("2024-11", "2025-02")
    # a Period given as month= (callers migrating to Periods) takes the window too
    assert month_range(month=Period.month("2025-06"), window="ytd") == Period.ytd("2025-06")
    with pytest.raises(GreenparkError, match="give either --month YYYY-MM or --year YYYY"):
        month_range(month="2025-02", period=Period.month("2025-02"))


# --- rates over Periods ----------------------------------------------------------------


def test_rolling_12_months_across_the_year_boundary(ledger_store):
    result = waste_rates(ledger_store, Period.rolling12("2025-02"))
    assert isinstance(result, Result)
    row = result.frame.iloc[0]
    assert row["period"] == "2024-03..2025-02"
    # inside: 2024-03 (100 t, 60 utilized), 2024-12 (50, 50), 2025-02 (30, 0 utilized)
    assert row["generated_t"] == pytest.approx(180.0)
    assert row["general_utilization_rate_pct"] == pytest.approx(100 * 110 / 180)
    # handled = utilized 110 + disposed 30; recycled: the recycling row's 60 t;
    # diverted adds reuse: 60 + 50
    assert row["handled_t"] == pytest.approx(140.0)
    assert row["recycling_rate_pct"] == pytest.approx(100 * 60 / 140)
    assert row["landfill_diversion_rate_pct"] == pytest.approx(100 * 110 / 140)
    assert (row["months"], row["rows"]) == (3, 3)
    missing = [f for f in result.findings if f.code == "waste.months_missing"]
    assert [(f.data["months_with_rows"], f.data["months_in_period"]) for f in missing] == [(3, 12)]
    assert result.inputs["period"] == "2024-03..2025-02"
    assert result.inputs["kind"] == "rolling12"


def test_period_and_string_forms_agree(ledger_store):
    by_period = waste_rates(ledger_store, Period.rolling12("2025-02")).frame
    by_text = waste_rates(ledger_store, month="2025-02", window="rolling12").frame
    assert by_period.equals(by_text)
    ytd = waste_rates(ledger_store, Period.ytd("2025-02")).frame.iloc[0]
    # January has no rows; February: 30 t generated, none utilized
    assert ytd["period"] == "2025-01..2025-02"
    assert (ytd["generated_t"], ytd["general_utilization_rate_pct"]) == (30.0, 0.0)
    year = waste_rates(ledger_store, year=2024).frame.iloc[0]
    # 2024: 1000 + 100 + 50 generated, 60 + 50 utilized
    assert year["period"] == "2024"
    assert year["general_utilization_rate_pct"] == pytest.approx(100 * 110 / 1150)
    text_period = waste_rates(ledger_store, "2024-03..2025-02").frame.iloc[0]
    assert text_period["generated_t"] == pytest.approx(180.0)


def test_result_is_json_safe(ledger_store):
    with pytest.raises(
        GreenparkError, match=r"no waste ledger rows in 2025-01 \(the ledger runs from 2024-02 to"
    ):
        waste_rates(ledger_store, Period.month("2025-01"), by="enterprise")
    out = json.loads(waste_rates(ledger_store, Period.ytd("2025-02")).to_json())
    assert out["inputs"]["period"] == "2025-01..2025-02"
    assert out["inputs"]["recycling_routes"] == ["recycling", "composting"]
    assert out["rows"][0]["industrial_waste_intensity_t_per_10k_cny"] is None  # NaN -> null


# --- findings --------------------------------------------------------------------------


def test_ledger_findings_are_core_findings_tagged_by_month(store, tmp_path):
    # 20 generated, 12 utilized: 8 t unaccounted for (tolerance max(0.01, 0.2) t)
    load_waste(
        store,
        write(
            tmp_path / "l.csv",
            HEADER + "2024-12,E02,scrap,general_industrial_solid,t,20,12,0,0,recycling\n",
        ),
    )
    (found,) = ledger_findings(store)
    assert isinstance(found, Finding) and found.code == "waste.balance"
    assert found.severity == "warning"
    assert found.data["month"] == dt.date(2024, 12, 1)
    assert (found.data["period"], found.data["enterprise_id"], found.data["stream"]) == (
        "2024-12",
        "E02",
        "scrap",
    )
    assert found.data["gap_t"] == pytest.approx(8.0)
    assert ledger_findings(store, Period.year(2025)) == []
    assert waste_check(store, year=2024) == [found]
    assert waste_check(store, Period.rolling12("2025-11")) == [found]
    check = ledger_check(store, Period.year(2024))
    assert check.inputs["period"] == "2024"
    assert check.frame[["code", "month", "stream"]].values.tolist() == [
        ["waste.balance", "2024-12", "scrap"]
    ]


def test_rate_unavailable_names_the_month(ledger_store, tmp_path):
    result = waste_rates(ledger_store, Period.month("2025-02"))
    unavailable = [f for f in result.findings if f.code == "waste.rate_unavailable"]
    # 2025-02 handles 30 t, so recycling is 0 %, not unavailable; nothing is unavailable
    assert unavailable == []
    load_waste(
        ledger_store,
        write(tmp_path / "z.csv", HEADER + "2024-06,E03,ash,general_industrial_solid,t,0,0,0,0,\n"),
    )
    result = waste_rates(ledger_store, Period.month("2024-06"))
    months = {f.data.get("month") for f in result.findings if f.code == "waste.rate_unavailable"}
    assert months == {dt.date(2024, 6, 1)}


# --- resources over Periods ------------------------------------------------------------


def test_resources_over_rolling_12_months(store, tmp_path):
    load_water_monthly(
        store,
        write(
            tmp_path / "w.csv",
            "month,intake,recycled\n2024-01,1000,0\n2024-12,100,300\n2025-01,50,150\n",
        ),
    )
    result = resources_table(store, Period.rolling12("2025-01"))
    frame = result.frame
    # 12 months 2024-02 .. 2025-01, then the period's row
    assert len(frame) == 13
    assert frame["period"].iloc[0] == "2024-02" and frame["period"].iloc[11] == "2025-01"
    total = frame.iloc[-1]
    assert total["period"] == "2024-02..2025-01"
    # 2024-01 is outside: intake 100 + 50, recycled 300 + 150 -> 450 / 600
    assert (total["water_intake_m3"], total["water_recycled_m3"]) == (150.0, 450.0)
    assert total["water_reuse_rate_pct"] == pytest.approx(75.0)
    incomplete = next(f for f in result.findings if f.code == "resources.water_incomplete")
    assert incomplete.data["months"] == [f"2024-{m:02d}" for m in range(2, 12)]
    assert result.inputs["period"] == "2024-02..2025-01"
    indicators = resource_indicators(store, Period.rolling12("2025-01")).frame
    water = indicators.set_index("indicator_id").loc["water_reuse"]
    assert water["period"] == "2024-02..2025-01"
    assert water["value_pct"] == pytest.approx(75.0)
    assert math.isnan(
        indicators.set_index("indicator_id").loc["solid_waste_utilization"]["value_pct"]
    )


def test_resources_year_forms_agree(store, tmp_path):
    load_water_monthly(store, write(tmp_path / "w.csv", "month,intake,recycled\n2024-12,100,300\n"))
    by_int = resources_table(store, 2024).frame
    assert by_int.equals(resources_table(store, "2024").frame)
    assert by_int.equals(resources_table(store, Period.year(2024)).frame)
    with pytest.raises(GreenparkError, match="--year '24': expected YYYY"):
        resources_table(store, "24")


# --- CLI -------------------------------------------------------------------------------


def test_cli_window_builds_the_period(db, tmp_path):
    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db), *args])

    assert run("load", "waste", str(write(tmp_path / "l.csv", LEDGER))).exit_code == 0
    out = run("waste", "--month", "2025-02", "--window", "rolling12", "--format", "json")
    assert out.exit_code == 0, out.output
    (record,) = json.loads(out.stdout)
    assert record["period"] == "2024-03..2025-02"
    assert record["general_utilization_rate_pct"] == pytest.approx(100 * 110 / 180)
    # the months_missing finding goes to stderr with --format json
    assert "waste.months_missing" in out.stderr
    table = run("waste", "--month", "2025-02", "--window", "ytd")
    assert "Waste 2025-01..2025-02 by park" in table.stdout
    assert "waste.months_missing" in table.stdout  # under the table
    bad = run("waste", "--month", "2025-13")
    assert bad.exit_code != 0 and "expected YYYY-MM" in bad.output
