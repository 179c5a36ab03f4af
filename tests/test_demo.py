"""The demo park end to end, checked against the dataset files read independently."""

import json
from pathlib import Path

import pandas as pd
import pytest

from greenpark.demo import run_demo
from greenpark.metrics.energy import energy
from greenpark.metrics.quality import check
from greenpark.store import open_store

DATA = Path(__file__).resolve().parents[1] / "datasets" / "demo-park"
LEDGER_BUILDS = {}  # ledger builds of the demo run (the fixture fills it)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from greenpark.metrics.carbon.ledger import BUILDS

    out = tmp_path_factory.mktemp("demo")
    lines = []
    before = BUILDS["count"]
    folder = run_demo(db_path=out / "demo.duckdb", output_dir=out, echo=lines.append)
    LEDGER_BUILDS["demo"] = BUILDS["count"] - before
    return out / "demo.duckdb", folder, "\n".join(lines)


def test_demo_writes_its_latest_month(demo):
    _, folder, printed = demo
    assert folder.name == "2025-12"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["park"] == "demo-park"
    assert (folder / "energy_by_meter.csv").stat().st_size > 0
    assert "苏州示范绿色产业园" in printed and "grid_import" in printed


def test_demo_builds_one_ledger_for_its_tables_and_report(demo):
    # the month's report, the year's carbon table, intensities, zero-carbon indicators
    # and gap are all slices of the one ledger of the report's 24-month span
    assert LEDGER_BUILDS["demo"] == 1
    _, folder, printed = demo
    assert (folder / "report.html").is_file() and (folder / "report.xlsx").is_file()
    assert "Monthly report:" in printed and "Zero-carbon gap 2025" in printed


def test_demo_grid_import_matches_the_parquet(demo):
    db, _, _ = demo
    wide = pd.read_parquet(DATA / "readings_2025.parquet")
    nov = wide[(wide["timestamp"] >= "2025-11-01") & (wide["timestamp"] < "2025-12-01")]
    with open_store(db, read_only=True) as store:
        got = energy(store, "2025-11", by="meter").set_index("meter_id")
    assert got.loc["GRID-IMP", "quantity"] == pytest.approx(nov["GRID-IMP"].sum(), rel=1e-9)
    # E07-EL is metered in MWh: stored in kWh
    assert got.loc["E07-EL", "quantity"] == pytest.approx(nov["E07-EL"].sum() * 1000, rel=1e-9)


def test_demo_gas_register_handles_rollover_and_replacement(demo):
    db, _, _ = demo
    raw = pd.read_csv(DATA / "gas_register_gbk.csv", encoding="gbk")
    readings = raw.iloc[:, 2].to_numpy()
    deltas = readings[1:] - readings[:-1]
    wrapped = deltas < 0
    # rollovers wrap at 1,000,000 (wrapped delta within 10 % of it); the replacement
    # (down to ~12) is unknown consumption and adds nothing
    rollover = wrapped & (1_000_000 + deltas <= 100_000)
    reset = wrapped & ~rollover
    expected = deltas[~wrapped].sum() + (1_000_000 + deltas[rollover]).sum()
    with open_store(db, read_only=True) as store:
        total = store.con.execute(
            "SELECT sum(value) FROM readings JOIN meters USING (meter_key) "
            "WHERE meter_id = 'GAS-MAIN'"
        ).fetchone()[0]
    assert total == pytest.approx(expected, rel=1e-9)
    assert (rollover.sum(), reset.sum()) == (3, 1)


def test_demo_irregularities_are_found(demo):
    db, _, _ = demo
    with open_store(db, read_only=True) as store:
        found = check(store)
    got = {(r.code, r.meter_id, str(r.start)) for r in found.itertuples()}
    assert ("readings.gap", "E05-EL", "2025-03-11 09:00:00") in got
    assert ("readings.flat_line", "E14-EL", "2025-08-20 00:00:00") in got
    assert ("readings.spike", "E22-EL", "2025-11-05 10:30:00") in got
    assert ("readings.register_reset", "GAS-MAIN", "2025-06-15 08:00:00") in got
    # the stuck water meter and a waste-ledger imbalance are in the same report
    assert ("readings.flat_line", "W-INTAKE", "2024-10-21 00:00:00") in got
    assert ("waste.balance", None, "2024-11-01 00:00:00") in got
    # two equal daily steam readings are not a stuck meter
    assert not any(code == "readings.flat_line" and meter == "STEAM-E15" for code, meter, _ in got)


def test_demo_is_idempotent(demo):
    from greenpark.demo import build_demo

    db, _, _ = demo
    results = build_demo(db, fresh=False)
    assert {r.status for r in results} == {"unchanged"}


def test_demo_scope2_matches_the_input_files(demo):
    _, folder, _ = demo
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    scope2 = next(r for r in summary["carbon_by_scope"] if r["scope"] == "scope2")
    wide = pd.read_parquet(DATA / "readings_2025.parquet")
    steam = pd.read_csv(DATA / "steam_daily.csv")
    steam_gj = steam.loc[
        steam["meter_id"].eq("STEAM-IMP") & steam["timestamp"].str.startswith("2025"), "value"
    ].sum()
    net_mwh = (wide["GRID-IMP"].sum() - wide["GRID-EXP"].sum()) / 1000
    # Jiangsu 2023 grid factor (newest published for 2025) and purchased heat 0.11 tCO2/GJ
    expected = net_mwh * 0.5827 + steam_gj * 0.11
    assert scope2["emissions_location_tco2"] == pytest.approx(expected, rel=1e-9)


def test_pv_months_in_one_model_run_are_each_months_own(demo):
    # the report's PV-by-month table: one model run over the 12 months' hours gives each
    # month the figures of its own performance() call (checked by hand in
    # test_pv_performance.py), and the same findings
    from greenpark.core.periods import Period
    from greenpark.metrics.pv.performance import performance, performance_months

    db, _, _ = demo
    with open_store(db, read_only=True) as store:
        tz = store.park().timezone
        months = [Period.month(m, tz) for m in Period.rolling12("2025-12", tz).months]
        together = performance_months(store, months)
        for month, result in zip(months, together, strict=True):
            alone = performance(store, month)
            pd.testing.assert_frame_equal(result.frame, alone.frame, rtol=1e-12)
            assert [f.code for f in result.findings] == [f.code for f in alone.findings]
            assert result.inputs == alone.inputs
