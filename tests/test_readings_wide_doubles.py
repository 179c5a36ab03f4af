"""Wide CSV values read as DOUBLE by DuckDB's reader (no ``_`` in the data lines), or as
text when a ``_`` is there: the same rows either way, and ``1_000`` is still refused."""

import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.io.tabular import data_lines_contain, open_tabular
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings

HEAD = "timestamp,W_1,W2\n"


@pytest.fixture
def wide_store(store, tmp_path):
    meters = (
        "meter_id,carrier,role,unit\nW_1,electricity,submeter,kWh\nW2,electricity,submeter,MWh\n"
    )
    load_meters(store, write(tmp_path / "meters.csv", meters))
    return store


def stored(store) -> list[tuple]:
    return store.con.execute(
        "SELECT m.meter_id, strftime(r.ts, '%H:%M'), r.value FROM readings r "
        "JOIN meters m USING (meter_key) ORDER BY 1, 2"
    ).fetchall()


def test_underscore_only_in_the_header_is_not_counted(tmp_path):
    path = write(tmp_path / "w.csv", HEAD + "2025-01-01 08:00,1.5,2\n")
    assert not data_lines_contain(open_tabular(path), b"_")
    assert data_lines_contain(open_tabular(path), b":")


def test_wide_values_as_doubles_load_the_same_rows(wide_store, tmp_path):
    path = write(tmp_path / "w.csv", HEAD + "2025-01-01 08:00,1.5,2\n2025-01-01 08:15,,0.25\n")
    result = load_readings(wide_store, path)[0]
    assert (result.status, result.rows_inserted) == ("loaded", 3)  # the blank cell: no reading
    # 08:00 Asia/Shanghai is 00:00 UTC; W2 is in MWh: 2 MWh = 2000 kWh, 0.25 MWh = 250 kWh
    assert stored(wide_store) == [
        ("W2", "00:00", 2000.0),
        ("W2", "00:15", 250.0),
        ("W_1", "00:00", 1.5),
    ]


def test_digit_separator_in_a_wide_file_is_refused(wide_store, tmp_path):
    path = write(tmp_path / "w.csv", HEAD + "2025-01-01 08:00,1.5,2\n2025-01-01 08:15,1_000,3\n")
    with pytest.raises(InputError) as info:
        load_readings(wide_store, path)
    text = str(info.value)
    assert "line 3" in text and "1_000" in text and "W_1" in text
    assert wide_store.con.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


def test_wide_fast_path_units_multipliers_and_registers(store, tmp_path, monkeypatch):
    # Each column's meter key and factors go beside its cells (no join on names): MWh
    # times 1000, a multiplier of 40, a register stored as read in register_readings.
    from greenpark.loaders import readings

    meters = (
        "meter_id,carrier,role,unit,reading_type,multiplier,register_max\n"
        "A,electricity,submeter,kWh,interval,40,\n"
        "B,electricity,submeter,MWh,interval,,\n"
        "R,natural_gas,fuel,m3,register,,10000\n"
    )
    load_meters(store, write(tmp_path / "meters.csv", meters))
    careful = []
    real = readings.run_careful
    monkeypatch.setattr(readings, "run_careful", lambda job: careful.append(1) or real(job))
    path = write(
        tmp_path / "w.csv",
        "timestamp,B,R,A\n2025-01-01 08:00,0.5,100.25,1.5\n2025-01-01 08:15,1,100.75,\n",
    )
    result = load_readings(store, path)[0]
    assert (result.status, result.rows_inserted) == ("loaded", 5)  # A's blank: no reading
    assert stored(store) == [
        ("A", "00:00", 60.0),  # 1.5 kWh x 40
        ("B", "00:00", 500.0),  # 0.5 MWh = 500 kWh
        ("B", "00:15", 1000.0),
        ("R", "00:00", 0.5),  # the interval 00:00-00:15 of the register: 100.75 - 100.25
    ]
    assert careful == []  # the fast path stored them
    registers = store.con.execute(
        "SELECT strftime(ts, '%H:%M'), reading FROM register_readings ORDER BY 1"
    ).fetchall()
    assert registers == [("00:00", 100.25), ("00:15", 100.75)]
