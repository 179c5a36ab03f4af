"""Zero-carbon metrics on the spine: Period in, Result out (Finding objects, inputs), one
ledger for the trajectory and the indicators, every factor from the FactorBook. Numbers
worked out by hand (factors as in test_zerocarbon.py)."""

import pytest
from conftest import write
from test_zerocarbon import ELEC, GAS_F, GAS_K, GRID, build

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.metrics.carbon.ledger import BUILDS, prime
from greenpark.metrics.zerocarbon import (
    gap_result,
    indicators,
    indicators_result,
    trajectory_result,
)
from greenpark.metrics.zerocarbon.projection import trajectory_span


def override(store, tmp_path, slot, value, unit, name="o.csv"):
    path = write(
        tmp_path / name,
        "factor_key,value,unit,source,valid_from,valid_to\n"
        f"{slot},{value},{unit},park study,2025-01-01,2025-12-31\n",
    )
    load_accounting_input(store, "factor_overrides", path)


def test_indicators_take_a_period_and_return_a_result(tmp_path):
    imp, pv = 100_000.0, 400_000.0  # per month
    store = build(tmp_path, {"IMP": imp, "PV": pv})
    result = indicators_result(store, Period.year(2025))
    assert isinstance(result, Result)
    core = result.frame.set_index("indicator_id").loc["core_small"]
    # E = 12 x 100 MWh x 0.5827; T = 12 x 500,000 kWh x 0.1229 / 1000
    assert core["value"] == pytest.approx(12 * imp / 1000 * GRID / (12 * (imp + pv) * ELEC / 1000))
    assert result.inputs["period"] == "2025"
    assert result.inputs["basis"] == "location"
    assert result.inputs["band"] == "core_small"
    assert result.inputs["threshold_tco2_per_tce"] == 0.2
    assert result.inputs["coverage_pct"] == 100.0
    assert "grid.average.province.Jiangsu.2023" in result.inputs["factor_ids"]
    assert all(isinstance(f, Finding) for f in result.findings)
    # the text and the keyword edges give the same table
    assert indicators_result(store, "2025").frame.equals(result.frame)
    assert indicators(store, year=2025)["value"].equals(result.frame["value"])
    store.close()


def test_a_month_means_the_rolling_12_months_ending_with_it(tmp_path):
    store = build(tmp_path, {"IMP": 1000.0}, months=18, start="2024-07")
    by_month = indicators_result(store, "2025-06")
    rolling = indicators_result(store, Period.rolling12("2025-06"))
    assert by_month.inputs["period"] == "2024-07..2025-06 (rolling 12 months)"
    assert by_month.frame.equals(rolling.frame)
    assert indicators(store, month="2025-06")["period"].iloc[0] == by_month.inputs["period"]
    store.close()


def test_the_coverage_finding_names_its_period(tmp_path):
    store = build(tmp_path, {"IMP": 1000.0}, months=9)
    result = indicators_result(store, "2025")
    (finding,) = [f for f in result.findings if f.code == "zero_carbon.coverage"]
    assert finding.data["period"] == "2025"
    assert finding.data["coverage_pct"] == pytest.approx(75.0)  # 9 of 12 months
    assert result.inputs["coverage_pct"] == pytest.approx(75.0)
    store.close()


def test_no_period_is_an_error_at_the_edge(tmp_path):
    store = build(tmp_path, {"IMP": 1.0})
    with pytest.raises(GreenparkError, match="exactly one"):
        indicators_result(store, None)
    store.close()


def test_one_ledger_for_trajectory_indicators_and_gap(tmp_path):
    store = build(tmp_path, {"IMP": [1000.0] * 24, "PV": [0.0] * 24}, months=24, start="2024-01")
    before = BUILDS["count"]
    prime(store, trajectory_span(Period.month("2025-12")))
    trajectory_result(store, "2025-12")
    indicators_result(store, "2025")
    indicators_result(store, "2025-06")
    gap_result(store, "2025")
    assert BUILDS["count"] - before == 1
    store.close()


def test_the_trajectory_alone_builds_one_ledger_for_all_windows(tmp_path):
    store = build(tmp_path, {"IMP": [1000.0] * 24}, months=24, start="2024-01")
    before = BUILDS["count"]
    result = trajectory_result(store, Period.month("2025-12"))
    assert BUILDS["count"] - before == 1
    actual = result.frame[result.frame["kind"] == "actual"]
    assert len(actual) == 12  # Jan..Dec 2025, every window complete
    assert actual["tco2_per_tce"].to_list() == pytest.approx([GRID / ELEC] * 12)
    assert result.inputs["crossing_year"] is None and result.inputs["target_year"] == 2030
    store.close()


def test_gap_uses_the_park_override_of_the_grid_factor(tmp_path):
    imp, gas = 1_000_000.0, 10_000.0  # per month
    store = build(tmp_path, {"IMP": imp, "GAS": gas})
    override(store, tmp_path, "electricity.location", 0.5, "tCO2/MWh")
    got = gap_result(store, "2025", pv_potential_mwh=0.0)
    row = got.frame.iloc[0]
    e = 12 * (imp / 1000 * 0.5 + gas * GAS_F)
    t = 12 * (imp * ELEC + gas * GAS_K) / 1000
    assert row["grid_factor_tco2_per_mwh"] == pytest.approx(0.5)
    assert row["emissions_tco2"] == pytest.approx(e)
    assert row["zero_carbon_electricity_needed_mwh"] == pytest.approx((e - 0.2 * t) / 0.5)
    assert got.inputs["factor_slot"] == "electricity.location"
    assert "override.electricity.location" in got.inputs["factor_ids"]
    store.close()


def test_gap_without_grid_purchase_reads_the_factor_book(tmp_path):
    store = build(tmp_path, {"GAS": 10_000.0, "PV": 1000.0})
    override(store, tmp_path, "electricity.location", 0.45, "tCO2/MWh")
    override(store, tmp_path, "tce.natural_gas", 1.3, "kgce/m3", name="o2.csv")
    row = gap_result(store, "2025", pv_potential_mwh=0.0).frame.iloc[0]
    assert row["grid_purchase_uncovered_mwh"] == 0.0
    assert row["grid_factor_tco2_per_mwh"] == pytest.approx(0.45)
    # gas at 1.3 kgce/Nm3 (override): T = 12 x (10,000 x 1.3 + 1000 x 0.1229) / 1000
    assert row["energy_tce"] == pytest.approx(12 * (10_000 * 1.3 + 1000 * ELEC) / 1000)
    # G allowed from G x g = 0.2 x (T_pv + G x 1.3 / 1000), other emissions 0
    t_pv = 12 * 1000 * ELEC / 1000
    assert row["natural_gas_allowed_nm3"] == pytest.approx(0.2 * t_pv / (GAS_F - 0.2 * 1.3 / 1000))
    store.close()


def test_clean_share_converts_green_power_with_the_factor_book(tmp_path):
    store = build(tmp_path, {"IMP": 90_000.0, "PV": 10_000.0, "GAS": 1000.0})
    load_accounting_input(
        store,
        "green_power",
        write(
            tmp_path / "g.csv",
            "instrument_id,type,mwh,period_start,period_end,vintage\n"
            "G,gec,180,2025-01-01,2025-12-31,2025-06\n",
        ),
    )
    override(store, tmp_path, "tce.electricity", 0.3, "kgce/kWh")
    frame = indicators_result(store, "2025").frame.set_index("indicator_id")
    # clean = (PV 120,000 + GEC 180,000 kWh) x 0.3 / 1000 = 90 tce;
    # total = (1,200,000 kWh x 0.3 + 12,000 Nm3 x 1.33) / 1000 = 375.96 tce (374.5716 with
    # the gas-field 1.2143 before issue 13: the share was 24.0275 %)
    clean = (120_000 + 180_000) * 0.3 / 1000
    total = (1_200_000 * 0.3 + 12_000 * GAS_K) / 1000
    assert frame.loc["clean_energy_share", "value"] == pytest.approx(100 * clean / total)
    assert frame.loc["clean_energy_share", "value"] == pytest.approx(23.9387, abs=1e-4)
    store.close()
