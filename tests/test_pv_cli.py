"""The PV commands through the CLI: formats, exit codes, unchanged database on bad input."""

import json
from pathlib import Path

import pvlib
from click.testing import CliRunner
from test_pv_estimate import PARK, ROOFS

from greenpark.cli import cli

TMY3 = str(Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV")


def setup(tmp_path):
    (tmp_path / "park.toml").write_text(PARK, encoding="utf-8")
    (tmp_path / "roofs.csv").write_text(ROOFS, encoding="utf-8")
    env = {"GREENPARK_DB": str(tmp_path / "cli.duckdb")}
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["init", "--config", str(tmp_path / "park.toml")], env=env).exit_code
        == 0
    )
    return runner, env


def test_load_and_estimate(tmp_path):
    runner, env = setup(tmp_path)
    out = runner.invoke(
        cli, ["load", "roofs", str(tmp_path / "roofs.csv"), "--format", "json"], env=env
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)[0]["rows_inserted"] == 3
    out = runner.invoke(cli, ["load", "weather", TMY3, "--format", "json"], env=env)
    assert json.loads(out.output)[0]["rows_inserted"] == 8760
    out = runner.invoke(cli, ["pv", "estimate"], env=env)
    assert out.exit_code == 0, out.output
    assert "Rooftop PV estimate: 3 roof(s)" in out.output
    assert out.output.splitlines()[3].startswith("R1 ")
    out = runner.invoke(cli, ["pv", "estimate", "--roof", "R1", "--format", "json"], env=env)
    records = json.loads(out.output)
    assert [r["roof_id"] for r in records] == ["R1", "park"]
    assert records[0]["capacity_kwp"] == 54.0  # 1000 m2 x 0.5 x 0.108 kW/m2
    assert records[1]["capacity_kwp"] == 54.0
    for column in (
        "annual_energy_kwh",
        "specific_yield_kwh_per_kwp",
        "capacity_factor_pct",
        "energy_m06_kwh",
        "estimate_kind",
    ):
        assert column in records[0]
    out = runner.invoke(cli, ["pv", "estimate", "--format", "csv"], env=env)
    assert out.output.splitlines()[0].startswith("roof_id,building_id")


def test_bad_roof_file_exits_2_and_changes_nothing(tmp_path):
    runner, env = setup(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(ROOFS.replace("R2,B1,E1,500,30,90", "R2,B1,E1,500,30,-90"), encoding="utf-8")
    out = runner.invoke(cli, ["load", "roofs", str(bad)], env=env)
    assert out.exit_code == 2
    assert "line 3, column 'azimuth_deg': value '-90': must be at least 0" in out.output
    out = runner.invoke(cli, ["pv", "estimate"], env=env)
    assert out.exit_code == 1 and "no roofs loaded" in out.output


def test_value_and_performance_need_data(tmp_path):
    runner, env = setup(tmp_path)
    out = runner.invoke(cli, ["pv", "value"], env=env)
    assert out.exit_code == 1 and "no PV estimate stored" in out.output
    out = runner.invoke(cli, ["pv", "performance", "--month", "2025-13"], env=env)
    assert out.exit_code == 1 and "expected YYYY-MM" in out.output
