"""The carbon area on the spine: Period in, Result out, findings as Finding objects tagged
with their month, one ledger per store.

A small Jiangsu park, November 2023 to January 2024, daily readings:
  grid import 1,000 kWh/d; submeter S1 (enterprise E1) 500 kWh/d.
Green power:
  X: 100 MWh, November 2023, vintage 2023-11 -> 30 MWh used, 70 MWh excess in November;
  G: 62 MWh over 2023-12-01..2024-01-31 (62 days), vintage 2023-12 -> 31 MWh in December,
     not counted in January 2024 (vintage outside the reporting year).
Factors: Jiangsu 2023 grid 0.5827, national residual 2023 0.6096 tCO2/MWh; 2024 has no
published factor, so January 2024 falls back to 2023. GB/T 2589 electricity 0.1229 kgce/kWh.
"""

import datetime as dt
import math

import pandas as pd
import pytest
from conftest import write

from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.carbon import ledger as ledger_module
from greenpark.metrics.carbon.ledger import BUILDS, build_ledger, ledger_for
from greenpark.metrics.carbon.tables import (
    carbon_by,
    carbon_table,
    energy_tce_by,
    entity_intensities,
    entity_intensities_by,
    intensities,
    ledger_lines,
    park_intensities,
)

NOV, DEC, JAN = dt.date(2023, 11, 1), dt.date(2023, 12, 1), dt.date(2024, 1, 1)
GRID, RESIDUAL, TCE_PER_KWH = 0.5827, 0.6096, 0.1229 / 1000
CHANGE_COLUMNS = ["mom_pct", "yoy_pct", "ytd_yoy_pct", "rolling_12m_yoy_pct"]

METERS = """\
meter_id,carrier,role,unit,parent_id,enterprise_id
IMP,electricity,grid_import,kWh,,
S1,electricity,submeter,kWh,IMP,E1
"""


@pytest.fixture
def small(tmp_path, park_toml):
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = tmp_path / "small.duckdb"
    init_park(str(db), park_toml())
    days = pd.date_range("2023-11-01", "2024-01-31", freq="D").strftime("%Y-%m-%d 00:00")
    pd.DataFrame({"timestamp": days, "IMP": 1000.0, "S1": 500.0}).to_csv(
        tmp_path / "r.csv", index=False
    )
    with open_store(db) as store:
        load_meters(store, write(tmp_path / "m.csv", METERS))
        load_readings(store, tmp_path / "r.csv")
        load_accounting_input(
            store, "enterprises", write(tmp_path / "e.csv", "enterprise_id,name\nE1,One\n")
        )
        load_accounting_input(
            store,
            "production",
            write(
                tmp_path / "p.csv",
                "enterprise_id,month,value_added_10k_cny\nE1,2023-11,100\nE1,2023-12,120\n",
            ),
        )
        load_accounting_input(
            store,
            "green_power",
            write(
                tmp_path / "g.csv",
                "instrument_id,type,mwh,period_start,period_end,vintage\n"
                "X,gec,100,2023-11-01,2023-11-30,2023-11\n"
                "G,gec,62,2023-12-01,2024-01-31,2023-12\n",
            ),
        )
    with open_store(db) as store:
        yield store


def _codes(findings):
    return sorted((f.code, f.data.get("month")) for f in findings)


# ------------------------------------------------------------------- ledger findings
def test_ledger_findings_are_tagged_with_their_month(small):
    led = build_ledger(small, [NOV, DEC, JAN])
    assert all(isinstance(f, Finding) for f in led.findings)
    assert _codes(led.findings) == [
        ("factor.fallback", JAN),  # location: Jiangsu 2023 for 2024
        ("factor.fallback", JAN),  # market residual: national 2023 for 2024
        ("green_power.excess", NOV),
        ("green_power.vintage", JAN),
    ]
    by_code = {f.code: f for f in led.findings}
    vintage = by_code["green_power.vintage"]
    assert (vintage.data["instrument_id"], vintage.data["month"]) == ("G", JAN)
    assert "G" in vintage and "vintage" in vintage
    excess = by_code["green_power.excess"]
    assert excess.data["claims_mwh"] == pytest.approx(100.0)
    assert excess.data["net_purchased_mwh"] == pytest.approx(30.0)
    assert excess.data["excess_mwh"] == pytest.approx(70.0)
    fallbacks = [f for f in led.findings if f.code == "factor.fallback"]
    assert {f.data["factor_id"] for f in fallbacks} == {
        "grid.average.province.Jiangsu.2023",
        "grid.excluding_market_traded_nonfossil.national.CN.2023",
    }
    assert {f.data["year"] for f in fallbacks} == {2023}
    assert all("no factor published for 2024" in f for f in fallbacks)


@pytest.mark.parametrize(
    "months", [[NOV], [DEC], [JAN], [NOV, DEC], [DEC, JAN]], ids=lambda m: "+".join(map(str, m))
)
def test_a_slice_equals_a_fresh_build_findings_included(small, months):
    whole = build_ledger(small, [NOV, DEC, JAN])
    sliced = whole.slice(Period.range(months[0], months[-1]))
    fresh = build_ledger(small, months)
    pd.testing.assert_frame_equal(sliced.lines, fresh.lines)
    pd.testing.assert_frame_equal(sliced.enterprise, fresh.enterprise)
    assert sliced.findings == fresh.findings
    # the vintage finding hits January only
    vintage = [f for f in sliced.findings if f.code == "green_power.vintage"]
    assert len(vintage) == (1 if JAN in months else 0)


def test_claims_are_pro_rata_and_capped(small):
    lines = build_ledger(small, [NOV, DEC, JAN]).lines
    covered = lines[lines["activity"].str.contains("covered by")].set_index("month")
    assert covered.loc[NOV, "quantity"] == pytest.approx(30_000.0)  # capped at the net purchase
    assert covered.loc[DEC, "quantity"] == pytest.approx(62_000.0 * 31 / 62)
    assert covered.loc[JAN, "quantity"] == 0.0
    residual = lines[lines["activity"].str.contains("residual")].set_index("month")
    assert residual.loc[JAN, "emissions_tco2"] == pytest.approx(31 * RESIDUAL)


# ------------------------------------------------------------------------ results
def test_carbon_by_returns_a_result_with_its_inputs(small):
    result = carbon_by(small, "2023-12", by="scope")
    assert isinstance(result, Result)
    total = result.frame.set_index("scope").loc["total"]
    assert total["emissions_location_tco2"] == pytest.approx(31 * GRID)
    assert total["emissions_market_tco2"] == pytest.approx(0.0)
    assert total["energy_tce"] == pytest.approx(31_000 * TCE_PER_KWH)
    assert result.inputs["period"] == "2023-12"
    assert result.inputs["by"] == "scope"
    assert "grid.average.province.Jiangsu.2023" in result.inputs["factor_ids"]
    assert result.inputs["accounting"]["grid_factor_level"] == "province"
    assert result.findings == []  # December: no fallback, vintage or excess
    frame = carbon_table(small, period=Period.month(JAN), by="scope")
    assert all(isinstance(f, Finding) for f in frame.attrs["findings"])
    assert any("vintage" in f for f in frame.attrs["findings"])


def test_a_range_period(small):
    got = carbon_by(small, "2023-11..2024-01", by="source").frame.set_index("source")
    assert got.loc["electricity", "emissions_location_tco2"] == pytest.approx(92 * GRID)
    # market: November and December fully covered; January at the residual factor
    assert got.loc["electricity", "emissions_market_tco2"] == pytest.approx(31 * RESIDUAL)
    lines = ledger_lines(small, Period.range(NOV, JAN))
    assert set(lines.frame["month"]) == {NOV, DEC, JAN}
    assert lines.inputs["period"] == "2023-11..2024-01"


def test_energy_by_carrier(small):
    got = energy_tce_by(small, Period.year(2023)).frame.set_index("carrier")
    assert got.loc["electricity", "quantity"] == pytest.approx(61_000.0)
    assert got.loc["electricity", "energy_tce"] == pytest.approx(61_000 * TCE_PER_KWH)
    assert got.loc["total", "energy_tce"] == pytest.approx(61_000 * TCE_PER_KWH)


def test_park_change_columns_have_one_name_each(small):
    result = park_intensities(small, "2023-12")
    changes = result.tables["changes"]
    assert list(changes.columns) == ["metric", *CHANGE_COLUMNS]
    row = changes.set_index("metric")
    # December 31,000 kWh against November 30,000 kWh
    assert row.loc["energy_tce", "mom_pct"] == pytest.approx((31 - 30) / 30 * 100)
    assert row.loc["emissions_location_tco2", "mom_pct"] == pytest.approx((31 - 30) / 30 * 100)
    assert row.loc["tco2_per_tce_location", "mom_pct"] == pytest.approx(0.0, abs=1e-9)
    # both months' market emissions are zero (fully covered): no change, never inf
    assert math.isnan(row.loc["emissions_market_tco2", "mom_pct"])
    # no readings a year earlier
    assert row["yoy_pct"].isna().all()
    # value added: E1 reported November 100 and December 120
    assert row.loc["value_added_10k_cny", "mom_pct"] == pytest.approx(20.0)
    frame = intensities(small, "2023-12")
    assert list(frame.attrs["changes"].columns) == list(changes.columns)


def test_intensity_findings(small):
    result = park_intensities(small, "2023-12")
    incomplete = [f for f in result.findings if f.code == "readings.incomplete"]
    ytd = next(f for f in incomplete if f.data["window"] == "ytd")
    assert (ytd.data["period"], ytd.data["months_with_data"], ytd.data["months"]) == (
        "2023-01..2023-12",
        2,
        12,
    )
    january = park_intensities(small, "2024-01")
    missing = [f for f in january.findings if f.code == "production.missing"]
    assert [(f.data["month"], f.data["enterprise_ids"]) for f in missing] == [(JAN, ["E1"])]
    month = january.frame.set_index("period").loc["month"]
    assert math.isnan(month["value_added_10k_cny"])
    assert month["tco2_per_tce_market"] == pytest.approx(31 * RESIDUAL / (31_000 * TCE_PER_KWH))


def test_entity_changes(small):
    result = entity_intensities_by(small, "2023-12", by="enterprise")
    changes = result.tables["changes"].set_index("enterprise_id")
    assert list(changes.columns) == CHANGE_COLUMNS
    # E1: 15.5 MWh x grid / 120 in December against 15 MWh x grid / 100 in November
    december, november = 15.5 * GRID / 120, 15 * GRID / 100
    assert changes.loc["E1", "mom_pct"] == pytest.approx((december - november) / november * 100)


# ------------------------------------------------------------------------ one build
def test_intensities_and_carbon_table_of_a_month_build_one_ledger(small):
    small.forget()
    before = BUILDS["count"]
    intensities(small, "2024-01")
    carbon_table(small, month="2024-01", by="scope")
    carbon_table(small, month="2024-01", by="enterprise")
    entity_intensities(small, "2024-01", by="enterprise")
    assert BUILDS["count"] - before == 1


def test_a_ledger_inside_a_built_one_is_a_slice(small):
    small.forget()
    before = BUILDS["count"]
    whole = ledger_for(small, Period.range(NOV, JAN, "Asia/Shanghai"))
    part = ledger_for(small, Period.month(JAN, "Asia/Shanghai"))
    assert BUILDS["count"] - before == 1
    assert set(part.lines["month"]) == {JAN}
    assert len(whole.findings) == 4
    assert _codes(part.findings) == [
        ("factor.fallback", JAN),
        ("factor.fallback", JAN),
        ("green_power.vintage", JAN),
    ]
    assert ledger_module.ledger_for is ledger_for
