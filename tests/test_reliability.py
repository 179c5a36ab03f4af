"""What the hardening promises, shown on correct input: offsets honoured, declared number
formats read, quoted newlines loaded, one CSV writer that never emits a live formula,
atomic writes, SIGTERM, leftovers removed. docs/reliability.md lists the guarantees.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from db_helpers import make_park

from greenpark.cli import cli
from greenpark.core.errors import GreenparkError
from greenpark.io.csv_writer import csv_text, neutralise, write_csv
from greenpark.io.files import atomic_write, remove_stale_temp
from greenpark.io.numbers import NumberFormat, number_format, parse_number
from greenpark.loaders.readings import load_readings
from greenpark.store import open_store


@pytest.fixture(scope="module")
def park(tmp_path_factory) -> Path:
    return make_park(tmp_path_factory.mktemp("rel") / "park")


def stored(db: Path, since: str, until: str = "2100-01-01") -> list[tuple]:
    """M1's stored (UTC time, kWh) from ``since`` to before ``until``."""
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT ts, value FROM readings JOIN meters USING (meter_key) "
            "WHERE meter_id = 'M1' AND ts >= ? AND ts < ? ORDER BY ts",
            [since, until],
        ).fetchall()


# ----------------------------------------------------------------------- timestamps
def test_explicit_offsets_are_converted_mixed_in_one_file(park, tmp_path):
    path = tmp_path / "offsets.csv"
    path.write_text(
        "meter_id,timestamp,value\n"
        "M1,2025-03-01T00:15:00Z,1\n"  # UTC as given
        "M1,2025-03-01 00:15:00-05:00,2\n"  # 00:15 at UTC-5 = 05:15 UTC
        "M1,2025-03-01 10:45,3\n"  # park local (UTC+8): 02:45 UTC
        "M1,2025-03-01T12:00:00+0530,4\n",  # 12:00 at UTC+5:30 = 06:30 UTC
        encoding="utf-8",
    )
    with open_store(park) as store:
        (result,) = load_readings(store, path)
    assert result.status == "loaded"
    assert stored(park, "2025-02-28", "2025-03-02") == [
        (dt.datetime(2025, 3, 1, 0, 15), 1.0),
        (dt.datetime(2025, 3, 1, 2, 45), 3.0),
        (dt.datetime(2025, 3, 1, 5, 15), 2.0),
        (dt.datetime(2025, 3, 1, 6, 30), 4.0),
    ]


def test_offsets_in_an_xlsx_file(park, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["meter_id", "timestamp", "value"])
    sheet.append(["M1", "2025-04-01T00:15:00Z", 1])
    sheet.append(["M1", "2025-04-01T00:15:00+08:00", 2])  # = 2025-03-31 16:15 UTC
    book.save(tmp_path / "offsets.xlsx")
    with open_store(park) as store:
        load_readings(store, tmp_path / "offsets.xlsx")
    assert stored(park, "2025-03-31", "2025-04-02") == [
        (dt.datetime(2025, 3, 31, 16, 15), 2.0),
        (dt.datetime(2025, 4, 1, 0, 15), 1.0),
    ]


def test_tz_aware_parquet_timestamps_keep_their_instant(park, tmp_path):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "meter_id": ["M1", "M1"],
            # 09:00 in Tokyo (UTC+9) is 00:00 UTC; 12:00 UTC stays 12:00 UTC.
            "timestamp": [
                pd.Timestamp("2025-07-01 09:00", tz="Asia/Tokyo"),
                pd.Timestamp("2025-07-01 21:00", tz="Asia/Tokyo"),
            ],
            "value": [1.0, 2.0],
        }
    )
    frame.to_parquet(tmp_path / "aware.parquet")
    with open_store(park) as store:
        load_readings(store, tmp_path / "aware.parquet")
    assert stored(park, "2025-06-30", "2025-07-02") == [
        (dt.datetime(2025, 7, 1, 0, 0), 1.0),
        (dt.datetime(2025, 7, 1, 12, 0), 2.0),
    ]


# -------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("text", "fmt", "value"),
    [
        ("1.5", NumberFormat(), 1.5),
        (" -0.75 ", NumberFormat(), -0.75),
        ("1,5", NumberFormat(","), 1.5),
        ("1.234.567,5", NumberFormat(",", "."), 1234567.5),
        ("1,234,567.5", NumberFormat(".", ","), 1234567.5),
        ("1 234", NumberFormat(".", " "), 1234.0),
        ("2e3", NumberFormat(), 2000.0),
    ],
)
def test_declared_formats_are_read(text, fmt, value):
    assert parse_number(text, fmt) == value


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("1,5", NumberFormat()),
        ("1.5", NumberFormat(",")),  # with --decimal , a point is not a decimal mark
        ("1,2,3", NumberFormat(".", ",")),
        ("12,34", NumberFormat(".", ",")),
        ("１２", NumberFormat()),
        ("1_000", NumberFormat()),
        ("0x10", NumberFormat()),
        ("nan", NumberFormat()),
        ("1e999", NumberFormat()),
    ],
)
def test_everything_else_is_refused(text, fmt):
    with pytest.raises(ValueError):
        parse_number(text, fmt)


def test_decimal_comma_loads_when_declared(park, tmp_path):
    path = tmp_path / "comma.csv"
    path.write_text('meter_id,timestamp,value\nM1,2025-05-01 08:00,"1,5"\n', encoding="utf-8")
    with open_store(park) as store, number_format(decimal=","):
        load_readings(store, path)
    assert stored(park, "2025-05-01", "2025-05-02") == [(dt.datetime(2025, 5, 1, 0, 0), 1.5)]


def test_a_quoted_newline_loads_and_later_lines_are_physical(park, tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(
        'meter_id,timestamp,value,note\nM1,2025-06-01 08:00,1,"two\nlines"\n\n'
        "M1,2025-06-01 08:15,2,x\n",
        encoding="utf-8",
    )
    with open_store(park) as store:
        (result,) = load_readings(store, path)
    assert result.rows_inserted == 2
    bad = tmp_path / "quoted_bad.csv"
    bad.write_text(path.read_text(encoding="utf-8").replace(",2,x", ",?,x"), encoding="utf-8")
    out = CliRunner().invoke(cli, ["--db", str(park), "load", "readings", str(bad)])
    assert out.exit_code == 2 and "line 5, column 'value': value '?'" in out.stderr


def test_an_unknown_column_that_is_no_misspelling_is_a_finding(park, tmp_path):
    path = tmp_path / "ent.csv"
    path.write_text("enterprise_id,name,remarks\nE7,Seven,hello\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--db", str(park), "load", "enterprises", str(path)])
    assert out.exit_code == 0, out.output
    assert "input.ignored_columns" in out.output and "remarks" in out.output


# ------------------------------------------------------------------------ CSV writer
def test_fields_with_cr_lf_delimiter_or_quote_are_quoted():
    text = csv_text(["a", "b"], [["x\ry", 'say "hi"'], ["1,2", "line\nbreak"]])
    assert text == 'a,b\n"x\ry","say ""hi"""\n"1,2","line\nbreak"\n'


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=x", "'\r'=x"),
        ("ok\r=cmd|' /C calc'!A0", "ok\r'=cmd|' /C calc'!A0"),
        ("ok\n+1", "ok\n'+1"),
        ("plain", "plain"),
    ],
)
def test_formula_triggers_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_files_get_a_bom_by_default_and_other_encodings_on_request(tmp_path):
    write_csv(tmp_path / "a.csv", ["名称"], [["电"]])
    assert (tmp_path / "a.csv").read_bytes() == "\ufeff名称\n电\n".encode()
    write_csv(tmp_path / "b.csv", ["名称"], [["电"]], encoding="gb18030")
    assert (tmp_path / "b.csv").read_bytes() == "名称\n电\n".encode("gb18030")
    with pytest.raises(ValueError):
        write_csv(tmp_path / "c.csv", ["x"], [], encoding="latin-1")


def test_stdout_csv_has_no_bom(park):
    out = CliRunner().invoke(
        cli, ["--db", str(park), "export", "energy-meters", "--year", "2025", "--format", "csv"]
    )
    assert out.exit_code == 0, out.output
    assert not out.stdout.startswith("\ufeff")


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_part(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    class Full(OSError):
        pass

    with pytest.raises(GreenparkError, match="cannot write"):
        with atomic_write(target) as fh:
            fh.write(b"new, half")
            raise Full(28, "No space left on device")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# ----------------------------------------------------------------- signals, leftovers
def test_stale_temp_files_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f"greenpark-{dead}-abc.csv"
    mine = tmp_path / f"greenpark-{os.getpid()}-abc.csv"
    stale.write_text("x")
    mine.write_text("x")
    assert remove_stale_temp(str(tmp_path)) == [str(stale)]
    assert mine.exists() and not stale.exists()


def test_sigterm_rolls_back_with_a_message_and_exit_143(tmp_path):
    import duckdb

    db = make_park(tmp_path / "park", baseline=False)
    path = tmp_path / "big.csv"
    duckdb.connect().execute(
        "COPY (SELECT 'M1' AS meter_id, strftime(TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE,"
        " '%Y-%m-%d %H:%M') AS timestamp, 1.5 AS value FROM range(2000000) t(i)) TO "
        f"'{path}'"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # The careful path ('end' stamps) takes far longer than the wait below.
    proc = subprocess.Popen(
        [sys.executable, "-c", "from greenpark.cli import main; main()", "--db", str(db), "load",
         "readings", "--timestamp-convention", "end", str(path)],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    time.sleep(2.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "rolled back" in err and "Traceback" not in err
    with open_store(db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


def test_check_works_on_a_read_only_database(tmp_path):
    db = make_park(tmp_path / "park")
    db.chmod(0o444)
    try:
        out = CliRunner().invoke(cli, ["--db", str(db), "check"])
    finally:
        db.chmod(0o644)
    assert out.exit_code == 0, out.output
