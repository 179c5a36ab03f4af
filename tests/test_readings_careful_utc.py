"""The careful path's local -> UTC: a fixed shift since 1992, the zone's rules before."""

import datetime as dt

from conftest import write

from greenpark.loaders.readings import ReadingsOptions, load_readings


def test_quarantine_load_converts_old_and_new_stamps(store, tmp_path):
    path = write(
        tmp_path / "r.csv",
        "meter_id,timestamp,value\n"
        "IMP,2025-01-01 08:00,1\n"  # UTC+8: 00:00 UTC
        "IMP,1990-07-01 12:00,2\n"  # China's summer time of 1986-1991, UTC+9: 03:00 UTC
        "IMP,2025-01-01 08:15,x\n",  # not a number: quarantined
    )
    options = ReadingsOptions(quarantine=str(tmp_path / "q.csv"))
    result = load_readings(store, path, options)[0]
    assert (result.rows_inserted, result.rows_quarantined) == (2, 1)
    assert store.con.execute("SELECT ts, value FROM readings ORDER BY ts").fetchall() == [
        (dt.datetime(1990, 7, 1, 3, 0), 2.0),
        (dt.datetime(2025, 1, 1, 0, 0), 1.0),
    ]


def test_fixed_shift_keeps_explicit_offsets(store, tmp_path):
    # Every stamp since 1992: the SQL shift (UTC+8); a stamp with its own offset keeps it.
    path = write(
        tmp_path / "r.csv",
        "meter_id,timestamp,value\n"
        "IMP,2025-01-01 08:00,1\n"  # UTC+8: 00:00 UTC
        "IMP,2025-01-01T08:15:00+09:00,2\n"  # given: 23:15 UTC the day before
        "IMP,2025-01-01 08:30:00Z,3\n"  # given: 08:30 UTC
        "IMP,2025-01-01 08:45,x\n",  # not a number: quarantined
    )
    options = ReadingsOptions(quarantine=str(tmp_path / "q.csv"))
    result = load_readings(store, path, options)[0]
    assert (result.rows_inserted, result.rows_quarantined) == (3, 1)
    assert store.con.execute("SELECT ts, value FROM readings ORDER BY ts").fetchall() == [
        (dt.datetime(2024, 12, 31, 23, 15), 2.0),
        (dt.datetime(2025, 1, 1, 0, 0), 1.0),
        (dt.datetime(2025, 1, 1, 8, 30), 3.0),
    ]
