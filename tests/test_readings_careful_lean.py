"""The careful path's lean read (one parallel parse, the full rules on a subset) against
the full path.

``readings_lean.run_lean`` handles long files in fixed-offset zones: it must give
exactly what the full careful path gives (stored rows, the quarantine file, every
problem and its line), sending the rows a rule between rows or with stored readings
could apply to through the full rules, and hand over to the full path (returning None)
for stamps before 1992. Each test computes the expected rows and lines by hand; the
differential test also loads the same file with the lean read switched off and
compares everything.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from db_helpers import HEADER, make_park

from greenpark.core.errors import InputError
from greenpark.loaders import readings_lean
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store

UTC = dt.datetime

# Line numbers in the comments are the file's physical lines (line 1 is the header).
MESSY = (
    HEADER + "M1,2024-01-01 00:00:00,1.5\n"  # 2 good
    "M2,2024-01-01 00:00:00,2\n"  # 3 good: 2 MWh = 2000 kWh
    "M1,2024-01-01 00:15:00,abc\n"  # 4 not a number
    "M1,2024-01-01 00:15:00,abc\n"  # 5 the same text again: its own line
    "\n"  # 6 blank: not a record
    "X9,2024-01-01 00:30:00,1\n"  # 7 unknown meter
    "M1,2024-01-01T00:30:00,2.5\n"  # 8 good (ISO with T)
    "M1, 2024-01-01 00:45:00 ,3\n"  # 9 good (spaces around the stamp)
    "合计,,10\n"  # 10 a total row: left out, not quarantined
    "M2,2024-01-01 00:15:00+08:00,4\n"  # 11 good, explicit offset: 16:15 UTC, 4000 kWh
    "M1,1850-01-01 00:00:00,1\n"  # 12 year out of range
)
MESSY_STORED = [
    (UTC(2023, 12, 31, 16, 0), "M1", 1.5),
    (UTC(2023, 12, 31, 16, 0), "M2", 2000.0),
    (UTC(2023, 12, 31, 16, 15), "M2", 4000.0),
    (UTC(2023, 12, 31, 16, 30), "M1", 2.5),
    (UTC(2023, 12, 31, 16, 45), "M1", 3.0),
]


@pytest.fixture
def lean_calls(monkeypatch) -> list:
    """What each call of ``run_lean`` returned (None: it handed over)."""
    calls: list = []
    real = readings_lean.run_lean

    def spy(job, load_id):
        result = real(job, load_id)
        calls.append(result)
        return result

    monkeypatch.setattr(readings_lean, "run_lean", spy)
    return calls


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(db: Path, path: Path, **options):
    with open_store(db) as store:
        return load_readings(store, path, ReadingsOptions(**options))[0]


def stored_since(db: Path, since: dt.datetime) -> list[tuple]:
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT r.ts, m.meter_id, r.value FROM readings r JOIN meters m USING (meter_key) "
            "WHERE r.ts >= ? ORDER BY 1, 2",
            [since],
        ).fetchall()


def quarantined(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_lean_read_names_every_bad_row_by_its_line(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")
    path = write(tmp_path, "messy.csv", MESSY)
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert len(lean_calls) == 1 and lean_calls[0] is not None  # the lean read decided
    rows = quarantined(quarantine)
    assert [(int(r["line"]), r["code"], r["value"]) for r in rows] == [
        (4, "readings.bad_value", "abc"),
        (5, "readings.bad_value", "abc"),
        (7, "readings.unknown_meter", "X9"),
        (12, "readings.bad_timestamp", "1850-01-01 00:00:00"),
    ]
    assert (result.rows_in_file, result.rows_inserted, result.rows_quarantined) == (10, 5, 4)
    assert result.meters == 2
    assert stored_since(db, UTC(2023, 12, 31)) == MESSY_STORED


def test_lean_read_gives_what_the_full_path_gives(tmp_path, monkeypatch):
    path = write(tmp_path, "messy.csv", MESSY)
    outcomes = []
    for lean in (True, False):
        if not lean:
            monkeypatch.setattr(readings_lean, "lean_possible", lambda job: False)
        db = make_park(tmp_path / f"park_{lean}")
        quarantine = tmp_path / f"q_{lean}.csv"
        result = load(db, path, quarantine=str(quarantine))
        with open_store(db, read_only=True) as store:
            readings = store.con.execute("SELECT * FROM readings ORDER BY ALL").fetchall()
        findings = sorted((f.code, f.message) for f in result.findings)
        numbers = (result.rows_in_file, result.rows_inserted, result.rows_unchanged)
        summary = (numbers, result.rows_quarantined, result.meters, result.ts_min, result.ts_max)
        outcomes.append((summary, findings, readings, quarantine.read_bytes()))
    assert outcomes[0] == outcomes[1]


def test_lean_read_refusal_lists_the_same_problems(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")
    path = write(tmp_path, "messy.csv", MESSY)
    with pytest.raises(InputError) as caught:
        load(db, path)
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (4, "readings.bad_value"),
        (5, "readings.bad_value"),
        (7, "readings.unknown_meter"),
        (12, "readings.bad_timestamp"),
    ]
    assert stored_since(db, UTC(2023, 12, 31)) == []


def test_two_values_at_one_time_go_through_the_full_rules(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")
    path = write(
        tmp_path,
        "dup.csv",
        HEADER + "M1,2024-01-01 00:00:00,1\n"  # 2 good
        "M1,2024-01-01 00:00:00,2\n"  # 3 another value at the same time as line 2
        "M1,2024-01-01 00:15:00,x\n",  # 4 not a number
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert len(lean_calls) == 1 and lean_calls[0] is not None
    rows = quarantined(quarantine)
    assert [(int(r["line"]), r["code"]) for r in rows] == [
        (3, "readings.duplicate"),
        (4, "readings.bad_value"),
    ]
    assert "on line 2" in rows[0]["reason"]
    assert result.rows_inserted == 1
    assert stored_since(db, UTC(2023, 12, 31)) == [(UTC(2023, 12, 31, 16, 0), "M1", 1.0)]


def test_stored_rows_go_through_the_full_rules(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")  # holds M1 at 2023-12-01 00:00 (1.25) and 00:15 (2.5)
    path = write(
        tmp_path,
        "again.csv",
        HEADER + "M1,2023-12-01 00:00,1.25\n"  # 2 stored with this value: unchanged
        "M1,2023-12-01 00:30,5\n"  # 3 new
        "M1,2023-12-01 00:45,\n",  # 4 value blank
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert len(lean_calls) == 1 and lean_calls[0] is not None
    assert (result.rows_unchanged, result.rows_inserted, result.rows_quarantined) == (1, 1, 1)
    assert [int(r["line"]) for r in quarantined(quarantine)] == [4]
    assert stored_since(db, UTC(2023, 11, 30, 16, 30)) == [(UTC(2023, 11, 30, 16, 30), "M1", 5.0)]


def test_stamps_before_1992_follow_the_zone_rules(tmp_path, lean_calls):
    # Shanghai kept daylight saving time until 1991: 1991-06-01 00:00 was UTC+9.
    db = make_park(tmp_path / "park")
    path = write(
        tmp_path,
        "old.csv",
        HEADER + "M1,1991-06-01 00:00:00,7\n"  # 2 good: 1991-05-31 15:00 UTC
        "M1,1991-06-01 00:15:00,?\n",  # 3 not a number
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert lean_calls == [None]
    assert result.rows_inserted == 1
    assert stored_since(db, UTC(1991, 1, 1))[0] == (UTC(1991, 5, 31, 15, 0), "M1", 7.0)


def test_register_meters_go_through_the_full_rules(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")  # G1: register, max 1000
    path = write(
        tmp_path,
        "gas.csv",
        HEADER + "G1,2024-01-01 00:00:00,100\n"  # 2 good
        "G1,2024-01-01 00:15:00,90\n"  # 3 goes backwards (not near 0, not a rollover)
        "G1,2024-01-01 00:30:00,n/a\n",  # 4 not a number
    )
    quarantine = tmp_path / "q.csv"
    load(db, path, quarantine=str(quarantine))
    assert len(lean_calls) == 1 and lean_calls[0] is not None
    assert [(int(r["line"]), r["code"]) for r in quarantined(quarantine)] == [
        (3, "readings.register_backwards"),
        (4, "readings.bad_value"),
    ]


def test_lean_read_lines_below_title_rows_and_quoted_newlines(tmp_path, lean_calls):
    db = make_park(tmp_path / "park")
    path = write(
        tmp_path,
        "titled.csv",
        "Meter export\n"  # 1 title
        "generated 2024-01-02\n"  # 2 title
        "meter_id;timestamp;value\n"  # 3 header
        "M1;2024-01-01 00:00:00;1\n"  # 4 good
        '"M\n1";2024-01-01 00:15:00;2\n'  # 5-6 one record: meter "M\n1" is unknown
        "M1;2024-01-01 00:30:00;oops\n"  # 7 not a number
        "M1;2024-01-01 00:45:00;4\n",  # 8 good
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert len(lean_calls) == 1 and lean_calls[0] is not None
    assert [(int(r["line"]), r["code"]) for r in quarantined(quarantine)] == [
        (5, "readings.unknown_meter"),
        (7, "readings.bad_value"),
    ]
    assert (result.rows_inserted, result.rows_quarantined) == (2, 2)
    assert stored_since(db, UTC(2023, 12, 31)) == [
        (UTC(2023, 12, 31, 16, 0), "M1", 1.0),
        (UTC(2023, 12, 31, 16, 45), "M1", 4.0),
    ]


def test_lean_read_of_end_stamps_with_a_declared_interval(tmp_path, lean_calls):
    # "end" stamps close their interval: 00:15 with 15 minutes is the interval from 00:00.
    db = make_park(tmp_path / "park")
    path = write(
        tmp_path,
        "end.csv",
        HEADER + "M1,2024-01-01 00:15:00,1\n"  # 2 good: starts 2023-12-31 16:00 UTC
        "M1,2024-01-01 00:30:00+08:00,2\n"  # 3 good, explicit offset: starts 16:15 UTC
        "M1,2024-01-01 00:45:00,-\n",  # 4 not a number
    )
    quarantine = tmp_path / "q.csv"
    load(
        db,
        path,
        quarantine=str(quarantine),
        timestamp_convention="end",
        interval_minutes=15,
    )
    assert len(lean_calls) == 1 and lean_calls[0] is not None
    assert [int(r["line"]) for r in quarantined(quarantine)] == [4]
    assert stored_since(db, UTC(2023, 12, 31)) == [
        (UTC(2023, 12, 31, 16, 0), "M1", 1.0),
        (UTC(2023, 12, 31, 16, 15), "M1", 2.0),
    ]


def test_many_rows_for_the_full_rules_hand_over(tmp_path, lean_calls, monkeypatch):
    # A re-export: every good row is stored already. With no floor, 3 of 3 rows (two
    # stored, one bad: > 25 %) for the full rules send the file to the full path.
    monkeypatch.setattr(readings_lean, "MIN_SUBSET_HAND_OVER", 0)
    db = make_park(tmp_path / "park")  # holds M1 at 2023-12-01 00:00 (1.25) and 00:15 (2.5)
    path = write(
        tmp_path,
        "again.csv",
        HEADER + "M1,2023-12-01 00:00,1.25\n"  # 2 stored, same value
        "M1,2023-12-01 00:15,2.5\n"  # 3 stored, same value
        "M1,2023-12-01 00:30,n/a\n",  # 4 not a number
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert lean_calls == [None]
    assert (result.rows_unchanged, result.rows_inserted, result.rows_quarantined) == (2, 0, 1)
    assert [int(r["line"]) for r in quarantined(quarantine)] == [4]
