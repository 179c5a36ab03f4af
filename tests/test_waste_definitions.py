"""Waste definitions of issue 13 (item 6), every number by hand: the hazardous 利用处置率,
general vs general + hazardous utilization for the G3 indicator, and over-utilized rows."""

from __future__ import annotations

import pytest
from conftest import write
from test_waste import HEADER

from greenpark.loaders.waste import load_waste
from greenpark.metrics.resources import resource_indicators
from greenpark.metrics.waste import waste_rates
from greenpark.metrics.waste.formulas import utilization_disposal_rate_pct
from greenpark.store import open_store
from greenpark.store.park import init_park

TOML = """
[park]
id = "w"
name = "W"
latitude = 31.3
longitude = 120.7
province = "Jiangsu"
{zero_carbon}
"""
# January, every row balanced (G = (U - U_s) + S + (D - D_s) + X):
# E01 slag: general 100 t generated, 80 utilized, 20 stored.
# E02 oil (HW08): 10 t generated, all 10 recycled: nothing disposed.
# E03 sludge (HW17): 8 t generated; 5 t utilized (2 t of them prior-year stock), 4 t
#   disposed (1 t prior-year stock), 2 t stored: 8 = 3 + 2 + 3.
LEDGER = HEADER + (
    "2025-01,E01,slag,general_industrial_solid,,,t,100,80,0,0,0,20,0,recycling\n"
    "2025-01,E02,oil,hazardous,,HW08,t,10,10,0,0,0,0,0,recycling\n"
    "2025-01,E03,sludge,hazardous,,HW17,t,8,5,2,4,1,2,0,incineration\n"
)


def make_store(tmp_path, zero_carbon: str = ""):
    db = tmp_path / "w.duckdb"
    init_park(str(db), write(tmp_path / "park.toml", TOML.format(zero_carbon=zero_carbon)))
    return open_store(db)


def test_utilization_disposal_rate_formula():
    # (5 + 4) / (8 + 2 + 1) = 9 / 11
    assert utilization_disposal_rate_pct(5.0, 4.0, 8.0, 2.0, 1.0) == pytest.approx(100 * 9 / 11)


def test_an_enterprise_recycling_all_its_oil_scores_100_percent(tmp_path):
    with make_store(tmp_path) as store:
        load_waste(store, write(tmp_path / "l.csv", LEDGER))
        rows = waste_rates(store, "2025-01", by="enterprise").frame.set_index("enterprise_id")
        oil = rows.loc["E02"]
        assert oil["hazardous_utilization_disposal_rate_pct"] == pytest.approx(100.0)  # 10 / 10
        assert oil["hazardous_safe_disposal_rate_pct"] == pytest.approx(0.0)  # disposal only
        sludge = rows.loc["E03"]
        assert sludge["hazardous_utilization_disposal_rate_pct"] == pytest.approx(100 * 9 / 11)
        park = waste_rates(store, "2025-01").frame.iloc[0]
        # hazardous: (10 + 5 + 4) / (18 + 2 + 1) = 19 / 21
        assert park["hazardous_utilization_disposal_rate_pct"] == pytest.approx(100 * 19 / 21)


def test_g3_is_judged_on_general_waste_by_default_and_shows_both(tmp_path):
    with make_store(tmp_path) as store:
        load_waste(store, write(tmp_path / "l.csv", LEDGER))
        park = waste_rates(store, "2025-01").frame.iloc[0]
        general = 100 * 80 / 100  # 80 %
        industrial = 100 * (80 + 10 + 5) / (100 + 18 + 2)  # 95 / 120 = 79.17 %
        assert park["general_utilization_rate_pct"] == pytest.approx(general)
        assert park["industrial_utilization_rate_pct"] == pytest.approx(industrial)
        g3 = resource_indicators(store, "2025-01").frame.set_index("indicator_id")
        row = g3.loc["solid_waste_utilization"]
        assert row["value_pct"] == pytest.approx(general)
        assert row["meets_threshold"] is True  # 80 >= 80
        assert "judged on 一般工业固体废物综合利用率, general only: 80.0 %" in row["note"]
        assert "general + hazardous: 79.2 %" in row["note"]
        assert 'solid_waste_basis = "general"' in row["note"]


def test_g3_on_general_plus_hazardous_when_configured(tmp_path):
    store = make_store(tmp_path, '[zero_carbon]\nsolid_waste_basis = "industrial"\n')
    with store:
        load_waste(store, write(tmp_path / "l.csv", LEDGER))
        row = resource_indicators(store, "2025-01").frame.set_index("indicator_id")
        g3 = row.loc["solid_waste_utilization"]
        assert g3["value_pct"] == pytest.approx(100 * 95 / 120)
        assert g3["meets_threshold"] is False  # 79.17 < 80
        assert g3["note"].startswith("judged on general + hazardous: 79.2 %")


def test_over_utilized_rows_never_push_a_rate_above_100(tmp_path):
    # A: 10 t generated, 5 utilized, 5 stored. B: 4 t generated, 6 utilized, nothing
    # declared from storage: 2 t excess, counted as prior-year storage.
    text = HEADER + (
        "2025-01,A,slag,general_industrial_solid,,,t,10,5,0,0,0,5,0,recycling\n"
        "2025-01,B,slag,general_industrial_solid,,,t,4,6,0,0,0,0,0,recycling\n"
    )
    with make_store(tmp_path) as store:
        result = load_waste(store, write(tmp_path / "o.csv", text))
        over = [f for f in result.findings if f.code == "waste.over_utilized"]
        assert len(over) == 1 and over[0].data["excess_t"] == pytest.approx(2.0)
        assert "count the 2.000 t excess as taken from prior-year storage" in over[0].message
        rates = waste_rates(store, "2025-01", by="enterprise").frame.set_index("enterprise_id")
        assert rates.loc["B", "general_utilization_rate_pct"] == pytest.approx(100.0)  # 6/(4+2)
        assert rates.loc["B", "over_utilized_t"] == pytest.approx(2.0)
        park = waste_rates(store, "2025-01").frame.iloc[0]
        # (5 + 6) / (14 + 2) = 68.75 %, not 11 / 14 = 78.6 % with B at 150 %
        assert park["general_utilization_rate_pct"] == pytest.approx(100 * 11 / 16)


def test_over_treated_hazardous_row_is_a_finding(tmp_path):
    # 4 t generated, 3 utilized, 3 disposed: U alone fits, U + D = 6 > 4 by 2 t.
    text = HEADER + "2025-01,H,oil,hazardous,,HW08,t,4,3,0,3,0,0,0,incineration\n"
    with make_store(tmp_path) as store:
        result = load_waste(store, write(tmp_path / "h.csv", text))
        treated = [f for f in result.findings if f.code == "waste.over_treated"]
        assert len(treated) == 1 and treated[0].data["excess_t"] == pytest.approx(2.0)
        park = waste_rates(store, "2025-01").frame.iloc[0]
        # (3 + 3) / (4 + 0 + 0 + 2) = 100 %; disposal only 3 / 4 = 75 %
        assert park["hazardous_utilization_disposal_rate_pct"] == pytest.approx(100.0)
        assert park["hazardous_safe_disposal_rate_pct"] == pytest.approx(75.0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_waste_table_shows_both_statistical_rates(tmp_path, lang):
    from greenpark.report.html import transposed
    from greenpark.report.html_sections import WASTE_COLUMNS

    with make_store(tmp_path) as store:
        load_waste(store, write(tmp_path / "l.csv", LEDGER))
        frame = waste_rates(store, "2025-01").frame
    rows = {r[0]: r[2] for r in transposed(frame, list(WASTE_COLUMNS), "period", lang)["rows"]}
    names = {
        "zh": (
            "危险废物利用处置率",
            "一般工业固废综合利用率",
            "工业固废综合利用率",
            "危险废物安全处置率",
        ),
        "en": (
            "Hazardous waste utilization and disposal rate",
            "General industrial solid waste utilization",
            "Industrial solid waste utilization",
            "Hazardous waste safe disposal",
        ),
    }[lang]
    # hazardous (10 + 5 + 4) / (18 + 2 + 1) = 90.48 %; general 80 / 100 = 80 %;
    # general + hazardous (80 + 10 + 5) / (100 + 18 + 2) = 79.17 %;
    # disposal only: disposed / (generated + disposed from storage) = 4 / (18 + 1) = 21.05 %
    expected = (100 * 19 / 21, 80.0, 100 * 95 / 120, 100 * 4 / 19)
    for name, value in zip(names, expected, strict=True):
        assert rows[name] == f"{value:.1f}", name  # pct cells: one decimal
