"""Bad readings and meter files are refused whole, with a message a user can act on.

Every refusal test checks three things:

* the library raises ``InputError`` (and the CLI exits with code 2 and ``Error:`` on stderr);
* the message names the file, the line, the column where there is one, and the value;
* the database is exactly as before (every row of every table).

The positive tests next to them prove the checks are not over-eager.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from db_helpers import (
    HEADER,
    assert_unchanged,
    make_park,
    snapshot,
)

from greenpark.cli import cli
from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store

# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def park_db(tmp_path) -> Path:
    return make_park(tmp_path / "park")


@pytest.fixture
def berlin_db(tmp_path) -> Path:
    return make_park(tmp_path / "berlin", timezone="Europe/Berlin")


# --------------------------------------------------------------------------- helpers


def load(db: Path, path, **options):
    with open_store(db) as store:
        return load_readings(store, path, ReadingsOptions(**options))


def cli_options(options: dict) -> list[str]:
    """ReadingsOptions keywords -> ``greenpark load readings`` options."""
    args: list[str] = []
    for key, value in options.items():
        if key == "mapping":
            for canonical, source in value.items():
                args += ["--map", f"{canonical}={source}"]
        elif key == "replace":
            if value:
                args.append("--replace")
        else:
            args += ["--" + key.replace("_", "-"), str(value)]
    return args


def run_cli(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def has_line(text: str, line: int) -> bool:
    return re.search(rf"\bline {line}\b", text) is not None


def has_column(text: str, column: str) -> bool:
    return re.search(rf"column\W{{1,3}}{re.escape(column)}\b", text) is not None


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def write_text(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def expect_refused(
    db: Path,
    path: Path,
    *,
    line: int | None = None,
    column: str | None = None,
    value: str | None = None,
    fragments: tuple[str, ...] = (),
    via_cli: bool = True,
    **options,
) -> InputError:
    """Load ``path`` through the library (and the CLI): refused, well named, DB untouched."""
    before = snapshot(db)
    with pytest.raises(InputError) as info:
        load(db, path, **options)
    err = info.value
    msg = str(err)
    assert str(path) in msg, f"file not named in: {msg}"
    if line is not None:
        assert has_line(msg, line), f"line {line} not named in: {msg}"
    if column is not None:
        assert has_column(msg, column), f"column {column!r} not named in: {msg}"
    if value is not None:
        assert value in msg, f"value {value!r} not named in: {msg}"
    for fragment in fragments:
        assert fragment.lower() in msg.lower(), f"{fragment!r} not in: {msg}"
    if line is not None:
        assert any(p.line == line for p in err.problems), err.problems
    if column is not None:
        assert any(p.column == column for p in err.problems), err.problems
    if value is not None:
        assert any(p.value == value for p in err.problems), err.problems
    assert_unchanged(db, before)

    if via_cli:
        result = run_cli("--db", db, "load", "readings", *cli_options(options), path)
        assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
        assert result.stderr.startswith("Error:"), result.stderr
        assert str(path) in result.stderr, result.stderr
        if line is not None:
            assert has_line(result.stderr, line), result.stderr
        if value is not None:
            assert value in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert_unchanged(db, before)
    return err


def expect_meters_refused(
    db: Path,
    path: Path,
    *,
    line: int,
    column: str,
    value: str | None,
    fragments: tuple[str, ...] = (),
) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as info, open_store(db) as store:
        load_meters(store, path)
    err = info.value
    msg = str(err)
    assert str(path) in msg, msg
    assert has_line(msg, line), f"line {line} not named in: {msg}"
    assert has_column(msg, column), f"column {column!r} not named in: {msg}"
    if value is not None:
        assert value in msg, f"value {value!r} not named in: {msg}"
    for fragment in fragments:
        assert fragment.lower() in msg.lower(), f"{fragment!r} not in: {msg}"
    assert_unchanged(db, before)

    result = run_cli("--db", db, "load", "meters", path)
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    assert result.stderr.startswith("Error:"), result.stderr
    assert str(path) in result.stderr and has_line(result.stderr, line), result.stderr
    assert_unchanged(db, before)
    return err


def readings_of(db: Path, meter_id: str, since: dt.datetime | None = None) -> list[tuple]:
    """(ts UTC, value) of a meter, ordered."""
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT r.ts, r.value FROM readings r JOIN meters m USING (meter_key) "
            "WHERE m.meter_id = ? AND r.ts >= ? ORDER BY r.ts",
            [meter_id, since or dt.datetime(2000, 1, 1)],
        ).fetchall()


def findings_of(db: Path) -> list[tuple]:
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT f.code, m.meter_id, f.ts FROM load_findings f "
            "LEFT JOIN meters m USING (meter_key) ORDER BY ALL"
        ).fetchall()


# ------------------------------------------------------------------ bad readings files


def test_empty_file_is_refused(park_db, tmp_path):
    path = write_bytes(tmp_path, "empty.csv", b"")
    expect_refused(park_db, path, fragments=("empty",))


def test_header_only_is_refused(park_db, tmp_path):
    path = write_text(tmp_path, "header_only.csv", HEADER)
    err = expect_refused(park_db, path)
    assert re.search(r"no readings|no rows|header only|empty", str(err), re.I), str(err)


def test_missing_value_column_in_long_layout(park_db, tmp_path):
    path = write_text(
        tmp_path, "no_value.csv", "meter_id,timestamp\nM1,2024-01-01 00:00\nM1,2024-01-01 00:15\n"
    )
    expect_refused(park_db, path, line=1, column="value", fragments=("missing",), layout="long")


def test_unknown_meter_id(park_db, tmp_path):
    path = write_text(
        tmp_path, "unknown_meter.csv", HEADER + "M1,2024-01-01 00:00,1\nZZ9,2024-01-01 00:15,2\n"
    )
    expect_refused(
        park_db, path, line=3, column="meter_id", value="ZZ9", fragments=("unknown meter",)
    )


@pytest.mark.parametrize("bad", ["abc", "12 kWh", "1.2.3"])
def test_non_numeric_value(park_db, tmp_path, bad):
    path = write_text(
        tmp_path, "non_numeric.csv", HEADER + f"M1,2024-01-01 00:00,1\nM1,2024-01-01 00:15,{bad}\n"
    )
    expect_refused(park_db, path, line=3, column="value", value=bad, fragments=("not a number",))


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_value(park_db, tmp_path, blank):
    path = write_text(
        tmp_path,
        "blank_value.csv",
        HEADER + f"M1,2024-01-01 00:00,1\nM1,2024-01-01 00:15,{blank}\nM1,2024-01-01 00:30,3\n",
    )
    expect_refused(park_db, path, line=3, column="value")


def test_unparsable_timestamp(park_db, tmp_path):
    path = write_text(
        tmp_path, "bad_ts.csv", HEADER + "M1,2024-01-01 00:00,1\nM1,2024-13-01 00:00,2\n"
    )
    expect_refused(park_db, path, line=3, column="timestamp", value="2024-13-01 00:00")


def test_timestamp_that_does_not_exist_in_park_timezone(berlin_db, tmp_path):
    # 2024-03-31: Berlin clocks jump from 02:00 to 03:00.
    path = write_text(
        tmp_path,
        "spring_gap.csv",
        HEADER + "M1,2024-03-31 01:45,1\nM1,2024-03-31 02:30,2\nM1,2024-03-31 03:00,3\n",
    )
    expect_refused(
        berlin_db,
        path,
        line=3,
        column="timestamp",
        value="2024-03-31 02:30",
        fragments=("not exist", "Europe/Berlin"),
    )


def test_ambiguous_timestamp_in_park_timezone(berlin_db, tmp_path):
    # 2024-10-27: Berlin clocks fall back from 03:00 to 02:00; 02:30 happens twice.
    path = write_text(
        tmp_path, "autumn_fold.csv", HEADER + "M1,2024-10-27 01:45,1\nM1,2024-10-27 02:30,2\n"
    )
    expect_refused(
        berlin_db,
        path,
        line=3,
        column="timestamp",
        value="2024-10-27 02:30",
        fragments=("ambiguous", "Europe/Berlin"),
    )


def test_same_meter_and_time_twice_with_different_values(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "dup.csv",
        HEADER + "M1,2024-01-01 00:00,1\nM1,2024-01-01 00:15,2\nM1,2024-01-01 00:00,3\n",
    )
    err = expect_refused(park_db, path, line=4, value="3")
    assert has_line(str(err), 2), f"first line of the duplicate not named: {err}"


def test_register_going_backwards_without_reset(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "backwards.csv",
        HEADER + "G1,2024-01-01 00:00,500\nG1,2024-01-01 01:00,510\nG1,2024-01-01 02:00,505\n",
    )
    expect_refused(park_db, path, line=4, column="value", value="505", fragments=("backwards",))


@pytest.mark.parametrize("cut", ["M", "M1,2024-01-0", "M1,2024-01-01 00:30"])
def test_file_truncated_in_the_middle_of_the_last_line(park_db, tmp_path, cut):
    full = (
        HEADER + "M1,2024-01-01 00:00,1.5\nM1,2024-01-01 00:15,2.5\nM1,2024-01-01 00:30,3.5\n"
    ).encode()
    last = b"M1,2024-01-01 00:30,3.5\n"
    data = full[: len(full) - len(last) + len(cut)]
    assert data.endswith(cut.encode()) and not data.endswith(b"\n")
    path = write_bytes(tmp_path, "truncated.csv", data)
    expect_refused(park_db, path, line=4)


def test_gbk_file_read_as_utf8_names_the_encoding(park_db, tmp_path):
    text = "表计编号,采集时间,正向有功总电能\nM1,2024-01-01 08:00,12.5\n"
    path = write_bytes(tmp_path, "gbk_export.csv", text.encode("gbk"))
    err = expect_refused(
        park_db,
        path,
        line=1,
        encoding="utf-8",
        mapping={"meter_id": "表计编号", "timestamp": "采集时间", "value": "正向有功总电能"},
    )
    msg = str(err)
    assert "utf-8" in msg.lower(), msg
    assert "encoding" in msg.lower(), f"message does not mention the encoding: {msg}"


@pytest.mark.parametrize("encoding", [None, "gbk", "utf-8"])
def test_garbage_bytes_are_refused(park_db, tmp_path, encoding):
    data = (
        (HEADER + "M1,2024-01-01 00:00,1\n").encode()
        + b"M1,2024-01-01 00:15,\xff\xfe\xff\x80\n"
        + b"M1,2024-01-01 00:30,3\n"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    path = write_bytes(tmp_path, "garbage.csv", data)
    options = {"encoding": encoding} if encoding else {}
    expect_refused(park_db, path, line=3, fragments=("encod",), **options)


# ------------------------------------------------------------------ bad meter registries

METERS_HEADER = "meter_id,carrier,role,unit,parent_id\n"


def test_meter_unit_that_does_not_fit_the_carrier(park_db, tmp_path):
    path = write_text(
        tmp_path, "meters_unit.csv", METERS_HEADER + "X1,electricity,grid_import,m3,\n"
    )
    err = expect_meters_refused(park_db, path, line=2, column="unit", value="m3")
    assert "X1" in str(err), f"meter not named: {err}"


def test_meter_with_unknown_carrier(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "meters_carrier.csv",
        METERS_HEADER + "X1,electricity,submeter,kWh,\nX2,plasma,submeter,kWh,\n",
    )
    expect_meters_refused(
        park_db, path, line=3, column="carrier", value="plasma", fragments=("carrier",)
    )


def test_meter_with_unknown_role(park_db, tmp_path):
    path = write_text(tmp_path, "meters_role.csv", METERS_HEADER + "X1,electricity,wizard,kWh,\n")
    expect_meters_refused(park_db, path, line=2, column="role", value="wizard", fragments=("role",))


def test_duplicate_meter_ids(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "meters_dup.csv",
        METERS_HEADER + "X1,electricity,submeter,kWh,M1\n"
        "X2,electricity,submeter,kWh,M1\nX1,electricity,submeter,kWh,M1\n",
    )
    err = expect_meters_refused(
        park_db, path, line=4, column="meter_id", value="X1", fragments=("duplicate",)
    )
    assert has_line(str(err), 2), f"first occurrence not named: {err}"


def test_meter_parent_cycle(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "meters_cycle.csv",
        METERS_HEADER + "A,electricity,submeter,kWh,B\nB,electricity,submeter,kWh,A\n",
    )
    expect_meters_refused(
        park_db, path, line=2, column="parent_id", value="B", fragments=("cycle",)
    )


def test_meter_with_unknown_parent(park_db, tmp_path):
    path = write_text(
        tmp_path, "meters_parent.csv", METERS_HEADER + "X1,electricity,submeter,kWh,NOPE\n"
    )
    expect_meters_refused(
        park_db, path, line=2, column="parent_id", value="NOPE", fragments=("parent",)
    )


# --------------------------------------------------------- positive counterparts

UTC = dt.datetime


@pytest.mark.parametrize("encoding", [None, "gbk"])
def test_gbk_file_with_chinese_headers_loads_with_map(park_db, tmp_path, encoding):
    text = "表计编号,采集时间,正向有功总电能\nM1,2024-01-01 08:00,12.5\nM1,2024-01-01 08:15,13.75\n"
    path = write_bytes(tmp_path, "gbk_export.csv", text.encode("gbk"))
    args = [
        "--map",
        "meter_id=表计编号",
        "--map",
        "timestamp=采集时间",
        "--map",
        "value=正向有功总电能",
    ]
    if encoding:
        args += ["--encoding", encoding]
    result = run_cli("--db", park_db, "load", "readings", *args, path)
    assert result.exit_code == 0, (result.output, result.stderr)
    # Asia/Shanghai is UTC+8: local 08:00 is 00:00 UTC.
    assert readings_of(park_db, "M1", since=UTC(2024, 1, 1)) == [
        (UTC(2024, 1, 1, 0, 0), 12.5),
        (UTC(2024, 1, 1, 0, 15), 13.75),
    ]


def test_utf8_with_bom_loads(park_db, tmp_path):
    path = write_bytes(
        tmp_path, "bom.csv", b"\xef\xbb\xbf" + (HEADER + "M1,2024-01-01 00:00,1.5\n").encode()
    )
    result = load(park_db, path)[0]
    assert result.status == "loaded"
    assert readings_of(park_db, "M1", since=UTC(2023, 12, 31, 16)) == [
        (UTC(2023, 12, 31, 16, 0), 1.5)
    ]


def test_mwh_meter_is_stored_in_kwh(park_db, tmp_path):
    path = write_text(
        tmp_path, "mwh.csv", HEADER + "M2,2024-01-01 00:00,1.5\nM2,2024-01-01 00:15,0.25\n"
    )
    load(park_db, path)
    assert readings_of(park_db, "M2") == [
        (UTC(2023, 12, 31, 16, 0), 1500.0),
        (UTC(2023, 12, 31, 16, 15), 250.0),
    ]


def test_register_rollover_is_stored_with_a_finding(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "rollover.csv",
        HEADER + "G1,2024-01-01 00:00,990\nG1,2024-01-01 01:00,995\nG1,2024-01-01 02:00,3\n",
    )
    result = load(park_db, path)[0]
    assert result.status == "loaded"
    # Deltas are stamped at the interval start (local 00:00 and 01:00 = 16:00, 17:00 UTC).
    assert readings_of(park_db, "G1") == [
        (UTC(2023, 12, 31, 16, 0), 5.0),
        (UTC(2023, 12, 31, 17, 0), 8.0),
    ]
    assert ("readings.register_rollover", "G1", UTC(2023, 12, 31, 18, 0)) in findings_of(park_db)


def test_register_reset_stores_no_negative_value(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "reset.csv",
        HEADER + "G1,2024-01-01 00:00,800\nG1,2024-01-01 01:00,900\n"
        "G1,2024-01-01 02:00,2\nG1,2024-01-01 03:00,5\n",
    )
    load(park_db, path)
    rows = readings_of(park_db, "G1")
    assert all(v >= 0 for _, v in rows), rows
    # 800 -> 900 and 2 -> 5 are known; the interval with the reset has no value.
    assert rows == [(UTC(2023, 12, 31, 16, 0), 100.0), (UTC(2023, 12, 31, 18, 0), 3.0)]
    assert any(
        code == "readings.register_reset" and meter == "G1"
        for code, meter, _ in findings_of(park_db)
    ), findings_of(park_db)


def read_quarantine(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_quarantine_sets_bad_rows_aside_and_loads_the_rest(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "messy.csv",
        HEADER + "M1,2024-02-01 00:00,1\n"  # line 2 good
        "ZZ9,2024-02-01 00:15,2\n"  # line 3 unknown meter
        "M1,2024-02-01 00:30,abc\n"  # line 4 not a number
        "M1,2024-02-01 00:45,4\n"  # line 5 good
        "M1,2024-13-01 01:00,5\n",
    )  # line 6 bad timestamp
    quarantine = tmp_path / "rejected.csv"
    result = run_cli("--db", park_db, "load", "readings", "--quarantine", quarantine, path)
    assert result.exit_code == 0, (result.output, result.stderr)
    rows = read_quarantine(quarantine)
    by_line = {int(r["line"]): r for r in rows}
    assert sorted(by_line) == [3, 4, 6], rows
    for row in rows:
        assert row["reason"].strip(), row
    assert by_line[3]["column"] == "meter_id" and by_line[3]["value"] == "ZZ9"
    assert by_line[4]["column"] == "value" and by_line[4]["value"] == "abc"
    assert by_line[6]["column"] == "timestamp" and by_line[6]["value"] == "2024-13-01 01:00"
    assert readings_of(park_db, "M1", since=UTC(2024, 1, 1)) == [
        (UTC(2024, 1, 31, 16, 0), 1.0),
        (UTC(2024, 1, 31, 16, 45), 4.0),
    ]
    with open_store(park_db, read_only=True) as store:
        logged = store.con.execute(
            "SELECT rows_quarantined, outcome FROM load_log WHERE file_name = 'messy.csv'"
        ).fetchall()
    assert logged == [(3, "loaded_with_quarantine")]


def test_quarantine_neutralises_formula_like_cells(park_db, tmp_path):
    formula_id = "=cmd|' /C calc'!A0"
    path = tmp_path / "formulas.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["meter_id", "timestamp", "value"])
        writer.writerow(["M1", "2024-02-01 00:00", "1"])
        writer.writerow([formula_id, "2024-02-01 00:15", "2"])
        writer.writerow(["@SUM(A1:A9)", "2024-02-01 00:30", "3"])
        writer.writerow(["M1", "2024-02-01 00:45", "+1+1"])
        writer.writerow(["M1", "2024-02-01 01:00", "-2-2"])
    quarantine = tmp_path / "rejected.csv"
    result = load(park_db, path, quarantine=str(quarantine))[0]
    assert result.status == "loaded_with_quarantine"
    rows = read_quarantine(quarantine)
    assert len(rows) == 4, rows
    by_line = {int(r["line"]): r for r in rows}
    assert by_line[3]["meter_id"] == "'" + formula_id
    assert by_line[3]["value"] == "'" + formula_id
    assert by_line[4]["meter_id"] == "'@SUM(A1:A9)"
    assert by_line[5]["raw_value"] == "'+1+1"
    assert by_line[6]["raw_value"] == "'-2-2"
    for row in rows:
        for key, cell in row.items():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (key, cell)


def test_timestamp_convention_end_stores_interval_starts(park_db, tmp_path):
    path = write_text(
        tmp_path, "end_stamps.csv", HEADER + "M1,2024-01-01 00:15,7\nM1,2024-01-01 00:30,8\n"
    )
    result = run_cli("--db", park_db, "load", "readings", "--timestamp-convention", "end", path)
    assert result.exit_code == 0, (result.output, result.stderr)
    # 00:15 closes 00:00-00:15 local = 16:00 UTC the day before.
    assert readings_of(park_db, "M1", since=UTC(2023, 12, 31, 12)) == [
        (UTC(2023, 12, 31, 16, 0), 7.0),
        (UTC(2023, 12, 31, 16, 15), 8.0),
    ]
