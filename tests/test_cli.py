"""The CLI: help and examples everywhere, output formats, exit codes, start-up cost."""

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from greenpark import __version__
from greenpark.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group=cli, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_every_command_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, _ in all_commands():
        assert f"greenpark {' '.join(path)}" in doc, path


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output.strip() == f"greenpark, version {__version__}"


def test_console_script_and_shim_run():
    exe = Path(sys.executable).with_name("greenpark")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "Quick start" in out.stdout
    shim = subprocess.run(
        [sys.executable, "cli.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert shim.stdout == out.stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from greenpark.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'duckdb', 'pvlib', 'pint', 'numpy', "
        "'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_energy_formats_and_env_db(db, tmp_path):
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(
        "meter_id,timestamp,value\nIMP,2025-02-01 00:00,4\nIMP,2025-02-01 00:15,6\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    env = {"GREENPARK_DB": str(db)}
    load = runner.invoke(cli, ["load", "readings", str(csv_path), "--format", "json"], env=env)
    assert load.exit_code == 0, load.output
    assert json.loads(load.output)[0]["rows_inserted"] == 2
    out = runner.invoke(
        cli, ["energy", "--month", "2025-02", "--by", "meter", "--format", "json"], env=env
    )
    records = {r["meter_id"]: r for r in json.loads(out.stdout)}  # notes go to stderr
    assert records["IMP"]["quantity"] == 10.0
    assert records["IMP"]["unit"] == "kWh"
    assert set(records["IMP"]) == {
        "meter_id",
        "name",
        "carrier",
        "role",
        "unit",
        "parent_id",
        "enterprise_id",
        "quantity",
        "readings",
        "interval_min",
        "coverage_pct",
        "energy_tce",
        "inputs_complete",  # IMP sent 2 of February's 2688 quarter hours; EXP, PV, GAS none
    }
    assert records["IMP"]["inputs_complete"] is False
    assert "inputs.incomplete: the figures of 2025-02 rest on incomplete data" in out.stderr
    assert records["IMP"]["energy_tce"] == pytest.approx(10 * 0.1229 / 1000)  # GB/T 2589
    csv_out = runner.invoke(cli, ["energy", "--month", "2025-02", "--format", "csv"], env=env)
    header = "carrier,flow,unit,quantity,meters,coverage_pct,energy_tce,inputs_complete"
    assert csv_out.stdout.splitlines()[0] == header
    table = runner.invoke(cli, ["energy", "--month", "2025-02"], env=env)
    assert "grid_import" in table.output


def test_errors_exit_non_zero_without_traceback(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("meter_id,timestamp,value\nNOPE,2025-02-01 00:00,4\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "load", "readings", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv: line 2, column 'meter_id': value 'NOPE': unknown meter id" in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "none.duckdb"), "energy", "--month", "2025-01"]
    )
    assert missing.exit_code == 1 and "init" in missing.output


def test_init_command(tmp_path, park_toml):
    db = tmp_path / "new.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "init", "--config", str(park_toml())])
    assert result.exit_code == 0, result.output
    assert "park test-park" in result.output and db.exists()
    env = dict(os.environ)
    assert "GREENPARK_DB" not in env or env["GREENPARK_DB"]


def test_load_readings_declares_each_load_option_once():
    from greenpark.cli.load_options import LOAD_OPTIONS

    text = CliRunner().invoke(cli, ["load", "readings", "--help"]).output
    lines = [line.split()[0] for line in text.splitlines() if line.startswith("  --")]
    for name in LOAD_OPTIONS:
        assert lines.count(f"--{name}") == 1, name
    assert "meter id in wide files" in " ".join(text.split())  # its own --map help
