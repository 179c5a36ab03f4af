"""Waste rates (greenpark/waste.py): every number computed by hand below."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import pandas as pd
import pytest
from conftest import write

from greenpark.core.errors import GreenparkError
from greenpark.loaders.waste import load_waste
from greenpark.metrics.waste import (
    balance_gap_t,
    balance_tolerance_t,
    comprehensive_utilization_rate_pct,
    ledger_findings,
    ledger_findings_table,
    month_range,
    rate_pct,
    safe_disposal_rate_pct,
    waste_intensity_t_per_10k_cny,
    waste_rates,
)

HEADER = (
    "month,enterprise_id,stream,category,subtype,hw_code,unit,generated,utilized,"
    "utilized_from_storage,disposed,disposed_from_storage,stored,dumped,route\n"
)
# January: every row balances. E01 slag uses 10 t of prior-year storage; E01 sludge is in kg;
# E02 oil (kg) uses 0.5 t of storage; E02 rags dispose 0.5 t of prior-year storage.
# February: E01 slag generates nothing.
LEDGER = HEADER + (
    "2025-01,E01,slag,general_industrial_solid,slag,,t,100,90,10,0,0,20,0,recycling\n"
    "2025-01,E01,sludge,general_industrial_solid,sludge,,kg,40000,0,0,40000,0,0,0,landfill\n"
    "2025-01,E02,oil,hazardous,waste oil,HW08,kg,2000,2000,500,0,0,500,0,recycling\n"
    "2025-01,E02,rags,hazardous,rags,HW49,t,3,0,0,3.5,0.5,0,0,incineration\n"
    "2025-01,E02,paper,recyclable,paper,,t,5,5,0,0,0,0,0,reuse\n"
    "2025-01,E03,msw,domestic,,,t,8,0,0,8,0,0,0,energy_recovery\n"
    "2025-02,E01,slag,general_industrial_solid,slag,,t,0,0,0,0,0,0,0,\n"
)


@pytest.fixture
def ledger_store(store, tmp_path):
    load_waste(store, write(tmp_path / "ledger.csv", LEDGER))
    return store


# --- pure formulas -------------------------------------------------------------------


def test_comprehensive_utilization_rate_counts_prior_year_storage():
    # 90 t utilized, of which 10 t from prior-year storage, 100 t generated: 90 / 110.
    assert comprehensive_utilization_rate_pct(90.0, 100.0, 10.0) == pytest.approx(100 * 90 / 110)


def test_zero_denominator_is_nan_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(comprehensive_utilization_rate_pct(0.0, 0.0, 0.0))
        assert math.isnan(safe_disposal_rate_pct(0.0, 0.0, 0.0))
        assert math.isnan(waste_intensity_t_per_10k_cny(5.0, 0.0))
        series = rate_pct(pd.Series([1.0, 0.0, 3.0]), pd.Series([4.0, 0.0, -1.0]))
    assert series.iloc[0] == 25.0 and series.iloc[1:].isna().all()


def test_balance_gap_and_tolerance():
    # 100 generated = (90 - 10) + 15 stored + (8 - 3) disposed + 0 dumped + gap 0 -> 100 - 100
    assert balance_gap_t(100.0, 90.0, 10.0, 15.0, 8.0, 3.0, 0.0) == pytest.approx(0.0)
    # 50 generated, 30 utilized (none from storage), 12 stored: 8 t unaccounted for.
    assert balance_gap_t(50.0, 30.0, 0.0, 12.0, 0.0, 0.0, 0.0) == pytest.approx(8.0)
    # Tolerance: max(0.01 t, 1 % of generated).
    assert balance_tolerance_t(0.5) == pytest.approx(0.01)
    assert balance_tolerance_t(250.0) == pytest.approx(2.5)


def test_month_ranges():
    assert month_range(month="2025-06").label == "2025-06"
    ytd = month_range(month="2025-06", window="ytd")
    assert (ytd.first, ytd.last, ytd.n_months) == (dt.date(2025, 1, 1), dt.date(2025, 6, 1), 6)
    rolling = month_range(month="2025-02", window="rolling12")
    assert rolling.label == "2024-03..2025-02" and rolling.n_months == 12
    assert month_range(year=2024).label == "2024"
    for kwargs, text in [
        ({}, "either --month"),
        ({"month": "2025-13"}, "expected YYYY-MM"),
        ({"month": "2025-01", "year": "2025"}, "either --month"),
        ({"year": "25"}, "expected YYYY"),
        ({"month": "2025-01", "window": "week"}, "--window"),
    ]:
        with pytest.raises(GreenparkError, match=text):
            month_range(**kwargs)


# --- rates from a ledger -------------------------------------------------------------


def test_park_rates_for_a_month(ledger_store):
    row = waste_rates(ledger_store, month="2025-01").frame.iloc[0]
    # general: utilized 90 + 0, generated 100 + 40, from storage 10 -> 90 / 150
    assert row["general_utilization_rate_pct"] == pytest.approx(100 * 90 / 150)
    # hazardous: utilized 2 (2000 kg), generated 2 + 3, from storage 0.5 -> 2 / 5.5
    assert row["hazardous_utilization_rate_pct"] == pytest.approx(100 * 2 / 5.5)
    # combined industrial: 92 / (145 + 10.5)
    assert row["industrial_generated_t"] == pytest.approx(145.0)
    assert row["industrial_utilization_rate_pct"] == pytest.approx(100 * 92 / 155.5)
    # hazardous safe disposal: 3.5 disposed / (5 generated + 0.5 disposed from storage)
    assert row["hazardous_safe_disposal_rate_pct"] == pytest.approx(100 * 3.5 / 5.5)
    # handled = utilized 97 + disposed 51.5 + dumped 0
    assert row["handled_t"] == pytest.approx(148.5)
    # recycled (recycling, composting): slag 90 + oil 2; diverted adds reuse (paper 5)
    assert row["recycled_t"] == pytest.approx(92.0)
    assert row["recycling_rate_pct"] == pytest.approx(100 * 92 / 148.5)
    assert row["landfill_diversion_rate_pct"] == pytest.approx(100 * 97 / 148.5)
    assert row["generated_t"] == pytest.approx(100 + 40 + 2 + 3 + 5 + 8)
    assert row["period"] == "2025-01" and row["rows"] == 6 and row["months"] == 1


def test_energy_recovery_setting(ledger_store):
    row = waste_rates(ledger_store, month="2025-01", count_energy_recovery=True).frame.iloc[0]
    # the 8 t of domestic waste to energy recovery now count: 100 and 105 of 148.5
    assert row["recycling_rate_pct"] == pytest.approx(100 * 100 / 148.5)
    assert row["landfill_diversion_rate_pct"] == pytest.approx(100 * 105 / 148.5)


def test_by_category_and_enterprise(ledger_store):
    cat = waste_rates(ledger_store, month="2025-01", by="category").frame.set_index("category")
    assert list(cat.index) == ["domestic", "general_industrial_solid", "hazardous", "recyclable"]
    assert cat.loc["hazardous", "generated_t"] == pytest.approx(5.0)
    assert math.isnan(cat.loc["hazardous", "general_utilization_rate_pct"])
    assert cat.loc["recyclable", "landfill_diversion_rate_pct"] == pytest.approx(100.0)
    ent = waste_rates(ledger_store, month="2025-01", by="enterprise").frame
    e02 = ent.set_index("enterprise_id").loc["E02"]
    # E02: hazardous 2 / (5 + 0.5); industrial = hazardous only
    assert e02["industrial_utilization_rate_pct"] == pytest.approx(100 * 2 / 5.5)
    stream = waste_rates(ledger_store, month="2025-01", by="stream").frame
    assert list(stream.columns[:4]) == ["period", "enterprise_id", "stream", "category"]
    assert len(stream) == 6


def test_zero_generation_is_not_available_with_a_finding(ledger_store):
    result = waste_rates(ledger_store, month="2025-02")
    row = result.frame.iloc[0]
    assert row["generated_t"] == 0.0
    assert math.isnan(row["general_utilization_rate_pct"])
    assert math.isnan(row["recycling_rate_pct"])
    codes = [(f.code, f.data.get("rate")) for f in result.findings]
    assert ("waste.rate_unavailable", "general_utilization_rate_pct") in codes
    assert ("waste.rate_unavailable", "hazardous_utilization_rate_pct") not in codes


def test_year_to_date_and_rolling_windows(ledger_store):
    ytd = waste_rates(ledger_store, month="2025-02", window="ytd")
    assert ytd.frame.iloc[0]["period"] == "2025-01..2025-02"
    assert ytd.frame.iloc[0]["general_utilization_rate_pct"] == pytest.approx(100 * 90 / 150)
    assert ytd.frame.iloc[0]["months"] == 2
    rolling = waste_rates(ledger_store, month="2025-02", window="rolling12")
    missing = [f for f in rolling.findings if f.code == "waste.months_missing"]
    assert missing and missing[0].data["months_with_rows"] == 2
    with pytest.raises(
        GreenparkError,
        match=r"no waste ledger rows in 2024 \(the ledger runs "
        r"from 2025-01 to 2025-02\)",
    ):
        waste_rates(ledger_store, year=2024)


def test_no_ledger_loaded(store):
    with pytest.raises(GreenparkError, match="no waste ledger loaded"):
        waste_rates(store, year=2025)


def test_waste_intensity_with_production(ledger_store):
    con = ledger_store.con
    con.execute(
        "INSERT INTO production (enterprise_id, month, value_added_10k_cny, load_id) "
        "VALUES ('E01', DATE '2025-01-01', 2000, 99), ('E02', DATE '2025-01-01', 500, 99)"
    )
    park = waste_rates(ledger_store, month="2025-01").frame.iloc[0]
    # industrial 145 t / (2000 + 500) 10k CNY
    assert park["value_added_10k_cny"] == pytest.approx(2500.0)
    assert park["industrial_waste_intensity_t_per_10k_cny"] == pytest.approx(145 / 2500)
    ent = waste_rates(ledger_store, month="2025-01", by="enterprise")
    frame = ent.frame.set_index("enterprise_id")
    assert frame.loc["E01", "industrial_waste_intensity_t_per_10k_cny"] == pytest.approx(140 / 2000)
    assert frame.loc["E02", "industrial_waste_intensity_t_per_10k_cny"] == pytest.approx(5 / 500)
    assert math.isnan(frame.loc["E03", "industrial_waste_intensity_t_per_10k_cny"])
    assert not [f for f in ent.findings if f.code.startswith("waste.intensity")]
    ytd = waste_rates(ledger_store, month="2025-02", window="ytd")
    assert [f.code for f in ytd.findings if f.code.startswith("waste.intensity")] == [
        "waste.intensity_partial"
    ]


def test_waste_intensity_without_production_table(ledger_store):
    ledger_store.con.execute("DROP TABLE IF EXISTS production")
    result = waste_rates(ledger_store, month="2025-01")
    assert math.isnan(result.frame.iloc[0]["industrial_waste_intensity_t_per_10k_cny"])
    assert "no production table" in next(
        f.message for f in result.findings if f.code == "waste.intensity_unavailable"
    )


# --- findings --------------------------------------------------------------------------


def test_ledger_findings_name_the_rows(store, tmp_path):
    text = HEADER + (
        # 50 generated, 30 utilized, 12 stored: 8 t unaccounted for (tolerance 0.5 t)
        "2025-03,E05,scrap,general_industrial_solid,,,t,50,30,0,0,0,12,0,recycling\n"
        # 0.3 t off on 40 t is inside the 1 % tolerance
        "2025-03,E06,scrap,general_industrial_solid,,,t,40,39.7,0,0,0,0,0,recycling\n"
        # utilized 6 > generated 4 + storage 0 (and unbalanced)
        "2025-03,E07,oil,hazardous,,HW08,t,4,6,0,0,0,0,0,recycling\n"
        # hazardous dumped; disposed without a route
        "2025-03,E08,mud,hazardous,,HW17,t,2,0,0,1,0,0,1,\n"
    )
    result = load_waste(store, write(tmp_path / "march.csv", text))
    assert [f.message for f in result.findings] == [
        "march.csv: 2025-03 E05 stream scrap: generated 50.000 t but the row accounts for "
        "42.000 t (gap +8.000 t, tolerance 0.500 t)",
        "march.csv: 2025-03 E07 stream oil: generated 4.000 t but the row accounts for "
        "6.000 t (gap -2.000 t, tolerance 0.040 t)",
        "march.csv: 2025-03 E07 stream oil: utilized 6.000 t exceeds generated + utilized "
        "from storage (4.000 t); undeclared prior-year storage? The rates count the 2.000 t "
        "excess as taken from prior-year storage (so no rate exceeds 100 %)",
        "march.csv: 2025-03 E08 stream mud: 1.000 t of hazardous waste (HW17) reported as dumped",
        "march.csv: 2025-03 E08 stream mud: 1.000 t utilized or disposed without a route; "
        "counted as neither recycled nor diverted",
    ]
    frame = ledger_findings_table(ledger_findings(store))
    assert list(frame["severity"]) == ["error", "warning", "warning", "warning", "warning"]
    assert list(frame.columns) == [
        "severity",
        "code",
        "month",
        "enterprise_id",
        "stream",
        "file",
        "message",
    ]
    assert frame.iloc[0]["code"] == "waste.hazardous_dumped"
    assert frame.iloc[1][["month", "enterprise_id", "stream"]].tolist() == [
        "2025-03",
        "E05",
        "scrap",
    ]


def test_unknown_enterprise_when_registry_is_loaded(ledger_store):
    ledger_store.con.execute(
        "INSERT INTO enterprises (enterprise_id, load_id) VALUES ('E01', 98), ('E02', 98)"
    )
    found = [
        f.message for f in ledger_findings(ledger_store) if f.code == "waste.unknown_enterprise"
    ]
    assert found == ["waste ledger: enterprise E03 is not in the enterprise registry"]
