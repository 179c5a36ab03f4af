"""greenpark preview / read_readings / read_table: a file as load reads it, nothing
written; the timestamp-convention hint of preview and load."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from click.testing import CliRunner
from conftest import write
from db_helpers import assert_unchanged, make_park, snapshot

from greenpark.cli.app import cli
from greenpark.loaders.preview import read_readings, read_table
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store


def _hour_ending(day: dt.datetime) -> str:
    """Hour-ending stamps of one day: 01:00 .. 24:00 (= next day 00:00)."""
    rows = (f"M1,{day + dt.timedelta(hours=h):%Y-%m-%d %H:%M},{h}\n" for h in range(1, 25))
    return "meter_id,timestamp,value\n" + "".join(rows)


HOUR_ENDING = _hour_ending(dt.datetime(2025, 7, 1))


def test_read_readings_long_with_mapping_and_problems(tmp_path):
    path = write(
        tmp_path / "export.csv",
        "表计编号,采集时间,正向有功\n"
        "M1,2025-07-01 00:00,1.5\n"
        "M1,2025-07-01 00:15,abc\n"
        "M1,2025-07-01 00:30,2.5\n"
        "M2,2025-07-01 00:00,4\n",
    )
    mapping = {"meter_id": "表计编号", "timestamp": "采集时间", "value": "正向有功"}
    frame, meta = read_readings(path, mapping=mapping)
    assert list(frame.columns) == ["meter_id", "timestamp", "value", "line"]
    assert frame.values.tolist() == [
        ["M1", pd.Timestamp("2025-07-01 00:00"), 1.5, 2],
        ["M1", pd.Timestamp("2025-07-01 00:30"), 2.5, 4],
        ["M2", pd.Timestamp("2025-07-01 00:00"), 4.0, 5],
    ]
    assert meta["layout"] == "long" and meta["columns"] == mapping
    assert (meta["encoding"], meta["delimiter"], meta["header_row"]) == ("utf-8", ",", 1)
    assert meta["meters"] == ["M1", "M2"]
    assert meta["interval_min"] == {"M1": 30.0}  # M2 has one reading: no interval
    assert meta["problems"] == [
        {
            "column": "正向有功",
            "rule": "value is not a number",
            "count": 1,
            "lines": [3],
            "value": "abc",
        }
    ]


def test_hour_ending_stamps_get_a_hint_and_end_shifts_them(tmp_path):
    path = write(tmp_path / "hour_ending.csv", HOUR_ENDING)
    frame, meta = read_readings(path)
    (hint,) = meta["hints"]
    assert "use --timestamp-convention end" in hint
    assert frame["timestamp"].min() == pd.Timestamp("2025-07-01 01:00")
    shifted, meta = read_readings(path, timestamp_convention="end")
    assert meta["hints"] == []
    assert shifted["timestamp"].min() == pd.Timestamp("2025-07-01 00:00")  # 01:00 closes 00:00
    assert shifted["timestamp"].max() == pd.Timestamp("2025-07-01 23:00")


def test_load_reports_the_convention_hint(tmp_path):
    db = make_park(tmp_path / "park")
    with open_store(db) as store:
        (result,) = load_readings(store, write(tmp_path / "he.csv", HOUR_ENDING))
        codes = {f.code: f for f in result.findings}
        assert "use --timestamp-convention end" in codes["readings.timestamp_convention"].message
        start = write(tmp_path / "start.csv", _hour_ending(dt.datetime(2025, 8, 1)))
        (declared_end,) = load_readings(
            store, start, ReadingsOptions(timestamp_convention="end", interval_minutes=60)
        )
        assert "readings.timestamp_convention" not in {f.code for f in declared_end.findings}


def test_preview_writes_nothing(tmp_path):
    db = make_park(tmp_path / "park")
    before = snapshot(db)
    path = write(tmp_path / "he.csv", HOUR_ENDING)
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(db), "preview", str(path), "--rows", "2"])
    assert out.exit_code == 0, out.output
    assert "Preview of" in out.output and "hint: the first stamp is 01:00" in out.output
    assert "First 2 of 24 rows" in out.output
    out = runner.invoke(cli, ["--db", str(db), "preview", str(path), "--format", "json"])
    got = json.loads(out.stdout)
    assert got["metadata"]["ts_max"] == "2025-07-02T00:00:00" and len(got["rows"]) == 10
    assert_unchanged(db, before)


def test_read_table_meters_and_problems(tmp_path):
    path = write(tmp_path / "m.csv", "编号,carrier,role,unit\nW1,water,water_intake,m3\n小计,,,\n")
    frame, meta = read_table("meters", path, mapping={"meter_id": "编号"})
    assert frame["meter_id"].tolist() == ["W1"] and meta["total_rows"] == [3]
    bad = write(tmp_path / "e.csv", "enterprise_id,name,leading_industry\nE1,One,maybe\n")
    frame, meta = read_table("enterprises", bad)
    (problem,) = meta["problems"]
    assert (problem["line"], problem["column"], problem["value"]) == (
        2,
        "leading_industry",
        "maybe",
    )
