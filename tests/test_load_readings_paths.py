"""The fast path's duplicate check (a bitmap on a time grid) against irregular files."""

import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders.readings import load_readings


def stored(store):
    return store.con.execute("SELECT meter_key, ts, value FROM readings ORDER BY ALL").fetchall()


def test_irregular_timestamps_load(store, tmp_path):
    path = write(
        tmp_path / "irregular.csv",
        "meter_id,timestamp,value\n"
        "IMP,2025-01-01 00:00,1\nIMP,2025-01-01 00:07,2\nIMP,2025-01-01 00:15,3\n"
        "EXP,2025-01-01 00:00,4\nEXP,2025-01-01 00:07,5\n",
    )
    result = load_readings(store, path)[0]
    assert (result.status, result.rows_inserted) == ("loaded", 5)
    assert len(stored(store)) == 5


def test_off_grid_duplicate_is_caught(store, tmp_path):
    path = write(
        tmp_path / "dup.csv",
        "meter_id,timestamp,value\n"
        "IMP,2025-01-01 00:00,1\nIMP,2025-01-01 00:07,2\nIMP,2025-01-01 00:07,9\n",
    )
    with pytest.raises(InputError, match=r"line 4.*another value at the same time on line 3"):
        load_readings(store, path)
    assert stored(store) == []


def test_exact_repeat_is_dropped_once(store, tmp_path):
    path = write(
        tmp_path / "rep.csv",
        "meter_id,timestamp,value\n"
        "IMP,2025-01-01 00:00,1\nIMP,2025-01-01 00:15,2\nIMP,2025-01-01 00:15,2\n",
    )
    result = load_readings(store, path)[0]
    assert result.rows_inserted == 2
    assert any(f.message == "1 exact repeated row(s) ignored" for f in result.findings)
