"""A load is the file's bytes together with the options that change their meaning; the
load log shows those options; the meter registry takes --map/--encoding/--sheet."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import write

from greenpark.cli.app import cli
from greenpark.core.errors import InputError
from greenpark.loaders.common import load_identity, load_log
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import ReadingsOptions, load_readings

# IMP's forward register in `kwh`, the same meter's reverse register in `kwh_rev`
TWO_REGISTERS = (
    "meter_id,timestamp,kwh,kwh_rev\n"
    "IMP,2025-03-01 00:00,10,1\n"
    "IMP,2025-03-01 00:15,12,2\n"
    "IMP,2025-03-01 00:30,11,0\n"
)


def _readings(store):
    return store.con.execute(
        "SELECT m.meter_id, r.value FROM readings r JOIN meters m USING (meter_key) "
        "ORDER BY m.meter_id, r.ts"
    ).fetchall()


def test_the_identity_holds_only_options_that_change_the_meaning():
    assert load_identity({}) == "{}"
    assert load_identity({"timestamp_convention": "start", "replace": True}) == "{}"
    got = load_identity({"mapping": {"value": "kwh"}, "timestamp_convention": "end"})
    assert json.loads(got) == {"mapping": {"value": "kwh"}, "timestamp_convention": "end"}


def test_same_bytes_other_mapping_is_a_new_load(store, tmp_path):
    path = write(tmp_path / "regs.csv", TWO_REGISTERS)
    forward = ReadingsOptions(mapping={"value": "kwh"})
    (first,) = load_readings(store, path, forward)
    assert first.status == "loaded" and first.rows_inserted == 3
    (again,) = load_readings(store, path, forward)
    assert again.status == "unchanged"  # same bytes, same meaning
    copy = tmp_path / "copy of regs.csv"
    shutil.copy(path, copy)
    (renamed,) = load_readings(store, copy, forward)
    assert renamed.status == "unchanged"  # a renamed copy is the same load
    reverse = ReadingsOptions(mapping={"value": "kwh_rev"})
    with pytest.raises(InputError) as err:  # a new load: it meets the conflict rules
        load_readings(store, path, reverse)
    assert "kwh_rev" in str(err.value)
    assert _readings(store) == [("IMP", 10.0), ("IMP", 12.0), ("IMP", 11.0)]  # unchanged
    (replaced,) = load_readings(
        store, path, ReadingsOptions(mapping={"value": "kwh_rev"}, replace=True)
    )
    assert replaced.rows_replaced == 3
    assert _readings(store) == [("IMP", 1.0), ("IMP", 2.0), ("IMP", 0.0)]
    log = load_log(store)
    readings = log[log["kind"] == "readings"]
    assert [json.loads(i) for i in readings["identity"]] == [
        {"mapping": {"value": "kwh"}},
        {"mapping": {"value": "kwh_rev"}},
    ]
    assert json.loads(readings["options"].iloc[-1])["replace"] is True


def test_meters_with_chinese_headers_in_gbk(store, tmp_path):
    text = "表计编号,能源种类,用途,单位,上级表计\nE9,electricity,submeter,kWh,IMP\n"
    path = tmp_path / "表计台账.csv"
    path.write_bytes(text.encode("gbk"))
    mapping = {
        "meter_id": "表计编号",
        "carrier": "能源种类",
        "role": "用途",
        "unit": "单位",
        "parent_id": "上级表计",
    }
    result = load_meters(store, path, mapping, encoding="gbk")
    assert result.status == "loaded" and result.rows_inserted == 1
    row = store.con.execute("SELECT role, parent_id FROM meters WHERE meter_id = 'E9'").fetchone()
    assert row == ("submeter", "IMP")
    with pytest.raises(InputError) as err:
        load_meters(store, path, {"meter_id": "编号"}, encoding="gbk")
    assert "--map meter_id=编号: no such column" in str(err.value)


def test_cli_load_meters_map_and_load_log(db, tmp_path):
    path = write(
        tmp_path / "m.csv",
        "编号,carrier,role,unit,commissioned_on\nE8,water,submeter,m3,2025-07-16\n",
    )
    runner = CliRunner()
    out = runner.invoke(
        cli, ["--db", str(db), "load", "meters", "--map", "meter_id=编号", str(path)]
    )
    assert out.exit_code == 0, out.output
    bad = write(
        tmp_path / "bad.csv",
        "meter_id,carrier,role,unit,commissioned_on\nE7,water,submeter,m3,16/07/2025\n",
    )
    out = runner.invoke(cli, ["--db", str(db), "load", "meters", str(bad)])
    assert out.exit_code == 2  # an input error
    assert "line 2" in out.output and "commissioned_on" in out.output and "16/07/2025" in out.output
    log = runner.invoke(cli, ["--db", str(db), "load", "log", "--format", "json"])
    rows = json.loads(log.stdout)
    assert [r["file_name"] for r in rows] == ["meters.csv", "m.csv"]
    assert json.loads(rows[-1]["identity"]) == {"mapping": {"meter_id": "编号"}}


def test_a_repeat_is_known_by_size_time_and_sample_else_by_its_bytes(store, tmp_path):
    import os

    # 28 days of the grid import, 96 readings a day; value i % 10 on reading i
    body = "meter_id,timestamp,value\n" + "".join(
        f"IMP,2025-01-{1 + i // 96:02d} {(i % 96) // 4:02d}:{(i % 4) * 15:02d},{i % 10}\n"
        for i in range(96 * 28)
    )
    path = tmp_path / "big.csv"
    path.write_text(body)
    (first,) = load_readings(store, path)
    assert first.status == "loaded" and first.rows_inserted == 96 * 28
    sql = "SELECT file_mtime_ns, sample_sha256 FROM load_log WHERE file_name = ?"
    logged = store.con.execute(sql, ["big.csv"]).fetchall()
    assert logged[0][0] == os.stat(path).st_mtime_ns and len(logged[0][1]) == 64
    (again,) = load_readings(store, path)  # same size, time and sample
    assert again.status == "unchanged"
    path.write_text(body)  # the same bytes, a new modification time: the full hash decides
    os.utime(path, ns=(0, logged[0][0] + 10**9))
    (rewritten,) = load_readings(store, path)
    assert rewritten.status == "unchanged"
    # One value changed in place (the same size, a new time): a new load, its row replaced.
    edited = body.replace("IMP,2025-01-28 23:45,7", "IMP,2025-01-28 23:45,8")
    assert len(edited) == len(body) and edited != body
    path.write_text(edited)
    os.utime(path, ns=(0, logged[0][0] + 2 * 10**9))
    (changed,) = load_readings(store, path, ReadingsOptions(replace=True))
    assert changed.status == "loaded" and changed.rows_replaced == 1
