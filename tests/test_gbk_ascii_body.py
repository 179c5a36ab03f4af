"""A GB18030 CSV whose data lines are all ASCII is read as it is (no UTF-8 copy); the
copy is made only when the careful path needs it, and a file with Chinese data is still
copied at once (so a bad byte is named when the file is opened)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from db_helpers import assert_unchanged, make_park, snapshot

from greenpark.core.errors import InputError
from greenpark.io.tabular import open_tabular
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store

TITLE = "某某园区 能耗报表\n"
HEADER = "表计编号,采集时间,正向有功总电能\n"
MAP = {"meter_id": "表计编号", "timestamp": "采集时间", "value": "正向有功总电能"}


def gbk_file(tmp_path: Path, body: str, name: str = "gbk.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((TITLE + HEADER + body).encode("gbk"))
    return path


def stored(db: Path) -> list[tuple]:
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT m.meter_id, r.ts, r.value FROM readings r JOIN meters m USING (meter_key) "
            "WHERE r.ts >= TIMESTAMP '2024-01-01' ORDER BY r.ts"
        ).fetchall()


def test_ascii_body_is_read_without_a_copy(tmp_path):
    body = "M1,2024-01-01 08:00,12.5\nM1,2024-01-01 08:15,13.75\n"
    path = gbk_file(tmp_path, body)
    tab = open_tabular(path, "gbk")
    try:
        assert tab.columns == ["表计编号", "采集时间", "正向有功总电能"]
        assert tab.header_row == 2
        assert tab.data_path == path and tab._tmp == []  # no copy so far
        copy = tab.read_path  # asked for: the UTF-8 copy is made now
        assert copy != path and tab._tmp == [str(copy)]
        assert copy.read_text(encoding="utf-8") == TITLE + HEADER + body
    finally:
        tab.cleanup()
    assert not copy.exists()


def test_chinese_body_is_copied_at_once(tmp_path):
    path = gbk_file(tmp_path, "电表1,2024-01-01 08:00,12.5\n")
    tab = open_tabular(path, "gbk")
    try:
        assert tab.data_path == tab.read_path != path
        assert tab.read_path.read_text(encoding="utf-8").endswith("电表1,2024-01-01 08:00,12.5\n")
    finally:
        tab.cleanup()


def test_ascii_body_loads_the_same_rows(tmp_path):
    db = make_park(tmp_path / "park")
    path = gbk_file(tmp_path, "M1,2024-01-01 08:00,12.5\nM1,2024-01-01 08:15,13.75\n")
    with open_store(db) as store:
        [result] = load_readings(store, path, ReadingsOptions(mapping=MAP, encoding="gbk"))
    assert (result.status, result.rows_inserted) == ("loaded", 2)
    # Asia/Shanghai is UTC+8: local 08:00 is 00:00 UTC.
    assert stored(db) == [
        ("M1", dt.datetime(2024, 1, 1, 0, 0), 12.5),
        ("M1", dt.datetime(2024, 1, 1, 0, 15), 13.75),
    ]


def test_ascii_body_with_a_bad_value_names_its_line(tmp_path):
    db = make_park(tmp_path / "park")
    # title line 1, header line 2, data lines 3 and 4: the bad value is on line 4
    path = gbk_file(tmp_path, "M1,2024-01-01 08:00,12.5\nM1,2024-01-01 08:15,abc\n")
    before = snapshot(db)
    with pytest.raises(InputError) as info, open_store(db) as store:
        load_readings(store, path, ReadingsOptions(mapping=MAP, encoding="gbk"))
    assert any(p.line == 4 and p.value == "abc" for p in info.value.problems), info.value
    assert_unchanged(db, before)
