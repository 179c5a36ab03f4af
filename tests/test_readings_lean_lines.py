"""The lean read finds the lines of a few bad rows by their text (no second read).

``readings_lean._fetch_subset`` builds ``gp_stg`` from the lines equal to the bad rows'
cells joined by the delimiter (:func:`greenpark.io.structure.lines_equal_to`) and
declines (the numbered second read runs) whenever that could differ: quoted cells,
lines that are not records, rows that break no row rule. Expected lines and values
are written out by hand; the differential test compares both routes byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from db_helpers import make_park

from greenpark.io.structure import lines_equal_to
from greenpark.loaders import readings_lean
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store

UTC = dt.datetime


@pytest.fixture
def fetched(monkeypatch) -> list:
    """What each call of ``_fetch_subset`` returned (True: the lines were found)."""
    calls: list = []
    real = readings_lean._fetch_subset

    def spy(job):
        calls.append(real(job))
        return calls[-1]

    monkeypatch.setattr(readings_lean, "_fetch_subset", spy)
    return calls


def load(db: Path, path: Path, **options):
    with open_store(db) as store:
        return load_readings(store, path, ReadingsOptions(**options))[0]


def quarantined(path: Path) -> list[tuple]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [(int(r["line"]), r["code"], r["value"]) for r in csv.DictReader(fh)]


def test_lines_equal_to_counts_lines_and_newlines(tmp_path):
    path = tmp_path / "f.txt"
    # lines: 1 "ab", 2 "x", 3 "ab" (CRLF), 4 "", 5 "xab", 6 "ab" (no newline at the end)
    path.write_bytes(b"ab\nx\nab\r\n\nxab\nab")
    for chunk in (1, 3, 1 << 22):
        found, counted = lines_equal_to(path, [b"ab", b"x", b"zz"], 10, chunk_bytes=chunk)
        assert found == {b"ab": [3, 6], b"x": [2], b"zz": []}  # line 1 is never a match
        assert counted == (5, False)
    found, _ = lines_equal_to(path, [b"ab"], 1)
    assert found == {b"ab": [3, 6]}  # more than the limit: the search stopped at limit + 1
    path.write_bytes(b"h\nab\r\n")
    assert lines_equal_to(path, [b"ab"], 5) == ({b"ab": [2]}, (2, True))
    path.write_bytes(b"")
    assert lines_equal_to(path, [b"ab"], 5) == ({b"ab": []}, (0, False))


def test_bad_rows_found_by_their_text(tmp_path, fetched):
    db = make_park(tmp_path / "park")
    path = tmp_path / "r.csv"
    # Columns in another order, CRLF line ends, the same bad text twice.
    path.write_bytes(
        b"timestamp,meter_id,value\r\n"  # 1
        b"2024-01-01 00:00:00,M1,1\r\n"  # 2 good
        b"2024-01-01 00:15:00,M1,oops\r\n"  # 3 not a number
        b"2024-01-01 00:30:00,M1,2\r\n"  # 4 good
        b"2024-01-01 00:15:00,M1,oops\r\n"  # 5 the same text: its own line
        b"2024-01-01 00:45:00,,3\r\n"  # 6 no meter
        b"2024-01-01 01:00:00,M1,4"  # 7 good, no line end
    )
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert fetched == [True]
    assert quarantined(quarantine) == [
        (3, "readings.bad_value", "oops"),
        (5, "readings.bad_value", "oops"),
        (6, "readings.blank_meter", ""),
    ]
    assert (result.rows_in_file, result.rows_inserted, result.rows_quarantined) == (6, 3, 3)


@pytest.mark.parametrize(
    ("name", "text", "lines"),
    [
        # A quoted cell: the line is not the cells joined by commas.
        (
            "quoted",
            'meter_id,timestamp,value\nM1,2024-01-01 00:00:00,1\n"M1",2024-01-01 00:15:00,oops\n',
            [3],
        ),
        # A blank line: lines are not records (the physical line is still named).
        (
            "blank",
            "meter_id,timestamp,value\n\nM1,2024-01-01 00:00:00,1\nM1,2024-01-01 00:15:00,oops\n",
            [4],
        ),
    ],
)
def test_the_second_read_when_the_text_cannot_tell(tmp_path, fetched, name, text, lines):
    db = make_park(tmp_path / "park")
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    quarantine = tmp_path / "q.csv"
    result = load(db, path, quarantine=str(quarantine))
    assert fetched == [False]
    assert [line for line, _, _ in quarantined(quarantine)] == lines
    assert (result.rows_inserted, result.rows_quarantined) == (1, 1)


def test_both_routes_give_the_same_load(tmp_path, monkeypatch):
    path = tmp_path / "r.csv"
    path.write_text(
        "meter_id,timestamp,value\n"
        "M1,2024-01-01 00:00:00,1\n"
        "M1,2024-01-01 00:15:00,x\n"
        "M9,2024-01-01 00:30:00,2\n"
        "M2,2024-01-01 00:30:00,3\n"
        "M1,2024-01-01 00:15:00,x\n",
        encoding="utf-8",
    )
    outcomes = []
    for fetch in (True, False):
        if not fetch:
            monkeypatch.setattr(readings_lean, "_fetch_subset", lambda job: False)
        db = make_park(tmp_path / f"park_{fetch}")
        quarantine = tmp_path / f"q_{fetch}.csv"
        result = load(db, path, quarantine=str(quarantine))
        with open_store(db, read_only=True) as store:
            rows = store.con.execute("SELECT * FROM readings ORDER BY ALL").fetchall()
        findings = sorted((f.code, f.message) for f in result.findings)
        summary = (result.rows_in_file, result.rows_inserted, result.rows_quarantined)
        outcomes.append((summary, findings, rows, quarantine.read_bytes()))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == (5, 2, 3)
