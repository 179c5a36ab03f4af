"""What the loaders want a user to know comes as Findings: dotted code, severity, message,
and the file (and line, count) in their data; the load commands print "code: message"."""

import json

import pytest
from click.testing import CliRunner
from db_helpers import HEADER, METERS_CSV, make_park

from greenpark.cli import cli
from greenpark.core.findings import Finding
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.store import open_store

UNCHANGED = "this file was loaded before; nothing changed"


@pytest.fixture
def park_db(tmp_path):
    return make_park(tmp_path / "park")


def load(db, path):
    with open_store(db) as store:
        return load_readings(store, path)[0]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_again(park_db, tmp_path):
    path = write(tmp_path, "a.csv", HEADER + "M1,2024-01-01 00:00,1\n")
    assert load(park_db, path).findings == []
    again = load(park_db, path)
    assert again.findings == [Finding("load.unchanged", UNCHANGED, "info", {"file": str(path)})]
    assert again.to_dict()["findings"] == f"load.unchanged: {UNCHANGED}"


def test_exact_repeat_names_its_line(park_db, tmp_path):
    # line 1 header, line 2 and line 3 the same reading: line 3 is the repeat
    path = write(tmp_path, "r.csv", HEADER + "M1,2024-01-01 00:00,1\nM1,2024-01-01 00:00,1\n")
    result = load(park_db, path)
    assert result.rows_inserted == 1
    (found,) = result.findings
    assert (found.code, found.severity) == ("load.repeated_rows", "info")
    assert found.message == "1 exact repeated row(s) ignored"
    assert found.data == {"file": str(path), "count": 1, "line": 3}


def test_rows_already_stored(park_db, tmp_path):
    load(park_db, write(tmp_path, "a.csv", HEADER + "M1,2024-01-01 00:00,1\n"))
    result = load(park_db, write(tmp_path, "b.csv", HEADER + "M1,2024-01-01 00:00,1.0\n"))
    assert result.status == "unchanged"
    assert [f.code for f in result.findings] == ["load.already_stored"]


def test_register_events(park_db, tmp_path):
    # register_max 1000: 990 -> 5 wraps (1000 - 990 + 5 = 15 <= 10 % of 1000): a rollover;
    # 500 -> 2 does not wrap within 10 % and 2 <= 1 % of 500: a reset (meter replaced).
    text = (
        HEADER + "G1,2024-01-01 00:00,990\nG1,2024-01-01 01:00,5\n"
        "G1,2024-01-01 02:00,500\nG1,2024-01-01 03:00,2\n"
    )
    result = load(park_db, write(tmp_path, "g.csv", text))
    got = {f.code: (f.severity, f.message, f.data["count"]) for f in result.findings}
    assert got == {
        "readings.register_rollover": ("info", "1 register rollover(s); see 'greenpark check'", 1),
        "readings.register_reset": ("warning", "1 register reset(s); see 'greenpark check'", 1),
    }


def test_meters_and_tables(tmp_path):
    db = make_park(tmp_path / "park", baseline=False)
    header, *rows = METERS_CSV.splitlines(keepends=True)
    meters = write(tmp_path, "meters_reordered.csv", header + "".join(reversed(rows)))
    overrides = write(
        tmp_path,
        "overrides.csv",
        "factor_key,value,unit,source,valid_from,valid_to,note\n"
        "tce.electricity,0.3,kgce/kWh,audit,2025-01-01,2025-12-31,\n"
        "tce.electricity,0.3,kgce/kWh,audit,2025-01-01,2025-12-31,\n",
    )
    with open_store(db) as store:
        same = load_meters(store, meters)  # other bytes, the same meters as stored
        first = load_accounting_input(store, "factor_overrides", overrides)
        again = load_accounting_input(store, "factor_overrides", overrides)
    # the gas meter's plain m3 is taken as Nm3, and says so (issue 13)
    assert (same.status, [f.code for f in same.findings]) == (
        "unchanged",
        ["meters.gas_volume_reference", "load.already_stored"],
    )
    assert [(f.code, f.data["line"], f.data["count"]) for f in first.findings] == [
        ("load.repeated_rows", 3, 1)
    ]
    assert [f.code for f in again.findings] == ["load.unchanged"]


def test_load_command_prints_code_and_message(park_db, tmp_path):
    path = write(tmp_path, "a.csv", HEADER + "M1,2024-01-01 00:00,1\n")
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(park_db), "load", "readings", str(path)])
    out = runner.invoke(
        cli, ["--db", str(park_db), "load", "readings", str(path), "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)
    assert row["status"] == "unchanged"
    assert row["findings"] == f"load.unchanged: {UNCHANGED}"
