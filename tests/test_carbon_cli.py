"""The carbon commands on the small park of test_carbon_spine: Period options, Results
printed with their findings (under the table, or on stderr for csv/json)."""

import json

import pytest
from click.testing import CliRunner
from test_carbon_spine import GRID, RESIDUAL, TCE_PER_KWH, small  # noqa: F401

from greenpark.cli import cli


@pytest.fixture
def run(small):  # noqa: F811
    small.close()  # the CLI opens the file itself
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["--db", small.path, *args])

    return invoke


def test_carbon_json_with_findings_on_stderr(run):
    out = run("carbon", "--month", "2024-01", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = {r["scope"]: r for r in json.loads(out.stdout)}
    assert rows["total"]["emissions_location_tco2"] == pytest.approx(31 * GRID)
    assert rows["total"]["emissions_market_tco2"] == pytest.approx(31 * RESIDUAL)
    assert "Note: green_power.vintage: G (vintage 2023-12) not counted for 2024-01" in out.stderr
    assert "Note: factor.fallback: grid.average.province.Jiangsu.2023" in out.stderr


def test_carbon_table_prints_the_findings_under_it(run):
    out = run("carbon", "--month", "2023-11")
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("Energy and CO2 2023-11 by scope")
    assert "Note: green_power.excess: 2023-11: claims of 100.000 MWh exceed" in out.stdout


def test_carbon_period_range_and_ledger(run):
    out = run("carbon", "--period", "2023-11..2024-01", "--by", "source", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = {r["source"]: r for r in json.loads(out.stdout)}
    assert rows["electricity"]["energy_tce"] == pytest.approx(92_000 * TCE_PER_KWH)
    ledger = run("carbon", "--year", "2023", "--ledger")
    assert ledger.exit_code == 0, ledger.output
    # Nov and Dec: one import line and two market lines each
    assert ledger.stdout.startswith("Carbon ledger 2023: 6 lines")


def test_carbon_period_options_are_exclusive(run):
    out = run("carbon", "--month", "2024-01", "--year", "2024")
    assert out.exit_code == 1  # as tests/test_waste_commands.py asserts for `waste`
    assert "give either --month YYYY-MM or --year YYYY" in out.output
    assert "not several" in out.output
    missing = run("carbon")
    assert missing.exit_code == 2


def test_intensity_changes(run):
    out = run("intensity", "--month", "2023-12", "--changes", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = {r["metric"]: r for r in json.loads(out.stdout)}
    assert rows["energy_tce"]["mom_pct"] == pytest.approx((31 - 30) / 30 * 100)
    assert rows["energy_tce"]["yoy_pct"] is None
    assert set(rows["energy_tce"]) == {
        "metric",
        "mom_pct",
        "yoy_pct",
        "ytd_yoy_pct",
        "rolling_12m_yoy_pct",
        "mom_complete",
        "yoy_complete",
        "ytd_yoy_complete",
        "rolling_12m_yoy_complete",
    }
    # IMP reads daily from 2023-11-01: December and November are complete (31/31, 30/30);
    # December 2022 and the months of 2023 before November have nothing (issue 11)
    flags = {k: v for k, v in rows["energy_tce"].items() if k.endswith("_complete")}
    assert flags == {
        "mom_complete": True,
        "yoy_complete": False,
        "ytd_yoy_complete": False,
        "rolling_12m_yoy_complete": False,
    }
    assert "readings.incomplete" in out.stderr
    args = ["--month", "2023-12", "--by", "enterprise", "--changes", "--format", "json"]
    ent = run("intensity", *args)
    assert ent.exit_code == 0, ent.output
    by_id = {r["enterprise_id"]: r for r in json.loads(ent.stdout)}
    assert set(by_id) == {"E1", "(not submetered)", "(park-level green power)", "total"}
    e1 = by_id["E1"]
    december, november = 15.5 * GRID / 120, 15 * GRID / 100
    assert e1["mom_pct"] == pytest.approx((december - november) / november * 100)
    table = run("intensity", "--month", "2023-12")
    assert table.stdout.startswith("Intensities 2023-12 (park)")


def test_factors_show_and_list(run):
    out = run("factors", "show", "electricity.location", "--year", "2024", "--format", "json")
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)
    assert (row["from_month"], row["factor_id"], row["value"], row["year"]) == (
        "2024-01",
        "grid.average.province.Jiangsu.2023",
        GRID,
        2023,
    )
    assert "no factor published for 2024" in row["note"]
    heat = run("factors", "list", "--kind", "heat", "--format", "json")
    assert heat.exit_code == 0, heat.output
    assert [(r["factor_id"], r["value"], r["unit"]) for r in json.loads(heat.stdout)] == [
        ("heat.purchased", 0.11, "tCO2/GJ")
    ]
