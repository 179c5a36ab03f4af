"""Every class of bad input, for every loader, through the CLI: a clean error, never a
traceback, and an unchanged database.

Each case is (command, file name, file bytes, extra options, message parts). The test
runs ``greenpark load <command>`` in-process, and checks that

* the exit code is non-zero and stderr starts with ``Error:`` (no traceback);
* every message part is in the message (file, physical line, column, value, rule);
* the database checksum (every row of every table) is what it was before.

One park serves the whole module: a refused load changes nothing, which is the point.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from db_helpers import make_park, snapshot

from greenpark.cli import cli


def xlsx(rows: list[list]) -> bytes:
    """A workbook's bytes (openpyxl writes formulas without a cached value)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parquet(columns: dict) -> bytes:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.table(columns), out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """An XLSX whose one sheet inflates to 80 MiB of XML (about 100 kB zipped)."""
    import io
    import zipfile

    raw = io.BytesIO(xlsx([["meter_id", "timestamp", "value"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", b" " * (80 << 20) + b"</sheetData>")
            dst.writestr(info.filename, data)
    return out.getvalue()


READINGS = b"meter_id,timestamp,value\n"
METERS = b"meter_id,carrier,role,unit\n"
PRODUCTION = b"enterprise_id,month,value_added_10k_cny\n"
ROOFS = b"roof_id,building_id,enterprise_id,area_m2,tilt_deg,azimuth_deg,roof_type\n"
WATER = b"month,fresh_water_m3,reused_water_m3\n"
GREEN = b"instrument_id,type,mwh,period_start,period_end,vintage\n"

CASES = [
    # -- silent reinterpretation: numbers (one strict grammar for every loader)
    ("readings", "comma.csv", READINGS + b'M1,2025-03-01 00:00,"1,5"\n', [],
     ["comma.csv", "line 2", "'value'", "'1,5'", "not a number"]),
    ("readings", "fullwidth.csv", READINGS + "M1,2025-03-01 00:00,１２\n".encode(), [],
     ["line 2", "'１２'", "not a number"]),
    ("readings", "underscore.csv", READINGS + b"M1,2025-03-01 00:00,1_000\n", [],
     ["line 2", "'1_000'", "not a number"]),
    ("readings", "overflow.csv", READINGS + b"M2,2025-03-01 00:00,1e308\n", [],
     ["line 2", "'1e308'", "not a finite number"]),
    ("readings", "inf.csv", READINGS + b"M1,2025-03-01 00:00,inf\n", [],
     ["line 2", "'inf'", "not a number"]),
    ("production", "p_comma.csv", PRODUCTION + b'E1,2025-06,"0,75"\n', [],
     ["line 2", "'value_added_10k_cny'", "'0,75'", "--decimal"]),
    ("production", "p_groups.csv", PRODUCTION + b'E1,2025-06,"1,2,3"\n', ["--thousands", ","],
     ["line 2", "'1,2,3'", "groups of three"]),
    ("production", "p_inf.csv", PRODUCTION + b"E1,2025-06,1e999\n", [],
     ["line 2", "'1e999'", "finite"]),
    ("roofs", "r_comma.csv", ROOFS + b'R1,B1,E1,"1,5",10,180,flat\n', [],
     ["line 2", "'area_m2'", "'1,5'", "decimal"]),
    ("waste", "waste_comma.csv", b"month,enterprise_id,stream,category,generated\n"
     b'2025-06,E1,S1,hazardous,"1,5"\n', [], ["line 2", "'generated'", "'1,5'", "--decimal"]),
    ("green-power", "gp_comma.csv", GREEN + b'G1,gec,"0,75",2025-06-01,2025-06-30,2025-06\n', [],
     ["line 2", "'mwh'", "'0,75'", "--decimal"]),
    ("green-power", "gp_date.csv", GREEN + b"G1,gec,5,2025-06-01,2025-06-30x,2025-06\n", [],
     ["line 2", "'period_end'", "'2025-06-30x'", "the whole cell"]),
    ("green-power", "gp_inf.csv", GREEN + b"G1,gec,inf,2025-06-01,2025-06-30,2025-06\n", [],
     ["line 2", "'mwh'", "'inf'"]),
    # -- dates must match exactly
    ("production", "p_month.csv", PRODUCTION + b"E1,2025-06xyz,5\n", [],
     ["line 2", "'month'", "'2025-06xyz'", "the whole cell"]),
    ("water", "w_day.csv", WATER + b"2025-02-30,5,1\n", [],
     ["line 2", "'2025-02-30'", "month"]),
    ("readings", "ts_garbage.csv", READINGS + b"M1,2025-01-01 00:15:00 garbage,1\n", [],
     ["line 2", "'timestamp'", "garbage", "cannot parse timestamp"]),
    ("readings", "ts_feb30.csv", READINGS + b"M1,2025-02-30 00:00,1\n", [],
     ["line 2", "'2025-02-30 00:00'", "cannot parse timestamp"]),
    ("readings", "ts_year1.csv", READINGS + b"M1,0001-01-01 00:00,1\n", [],
     ["line 2", "'0001-01-01 00:00'", "1900-2199"]),
    ("readings", "ts_offset25.csv", READINGS + b"M1,2025-03-01T00:15:00+25:00,1\n", [],
     ["line 2", "'2025-03-01T00:15:00+25:00'", "cannot parse timestamp"]),
    ("readings", "ts_offset99.csv", READINGS + b"M1,2025-03-01 00:15:00+05:99,1\n", [],
     ["line 2", "'2025-03-01 00:15:00+05:99'"]),
    ("weather", "w_offset.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00+25:00,5,25\n"
     b"2025-06-01T09:00+25:00,5,25\n", [], ["line 2", "'2025-06-01T08:00+25:00'", "the whole"]),
    # -- structure: nothing dropped
    ("readings", "extra.csv", READINGS + b"M1,2025-03-01 00:00,1,9\n", [],
     ["line 2", "4 fields", "extra field"]),
    ("readings", "short.csv", READINGS + b"M1,2025-03-01 00:00\n", [],
     ["line 2", "2 fields", "cut short"]),
    ("readings", "two_values.csv", b"meter_id,timestamp,value,value\nM1,2025-03-01 00:00,1,2\n",
     [], ["line 1", "'value'", "repeated"]),
    ("readings", "empty_head.csv", b"timestamp,M1,\n2025-03-01 00:00,1,2\n", [],
     ["line 1", "column 3 has no header"]),
    ("meters", "misspelt.csv", b"meter_id,carrier,role,unit,multipler\nX1,electricity,"
     b"grid_import,kWh,2\n", [], ["line 1", "'multipler'", "did you mean 'multiplier'"]),
    ("meters", "m_extra.csv", METERS + b"X1,electricity,grid_import,kWh,2\n", [],
     ["line 2", "5 fields", "extra field"]),
    ("production", "p_extra.csv", PRODUCTION + b"E1,2025-06,5,7\n", [],
     ["line 2", "4 fields"]),
    # -- physical line numbers: blank lines and quoted newlines counted
    ("readings", "blank_lines.csv", READINGS + b"M1,2025-03-01 00:00,1\n\n\n\nM1,2025-03-01"
     b" 00:15,x\n", [], ["line 6", "'x'"]),
    ("readings", "quoted_nl.csv", READINGS + b'M1,2025-03-01 00:00,1\n"M\n1",2025-03-01 00:15,'
     b"2\nM1,2025-03-01 00:30,x\n", [], ["line 5", "'x'"]),
    ("production", "p_blank.csv", PRODUCTION + b"E1,2025-06,5\n\nE1,2025-07,x\n", [],
     ["line 4", "'x'"]),
    # -- units: a safe grammar before pint
    ("meters", "u_paren.csv", METERS + b"X1,electricity,grid_import,(\n", [],
     ["line 2", "'unit'", "incomplete"]),
    ("meters", "u_star.csv", METERS + b"X1,electricity,grid_import,*\n", [],
     ["line 2", "'unit'", "without an operand"]),
    ("meters", "u_slash.csv", METERS + b"X1,electricity,grid_import,1/\n", [],
     ["line 2", "incomplete"]),
    ("meters", "u_tower.csv", METERS + b"X1,electricity,grid_import,9**9**9 kWh\n", [],
     ["line 2", "stacked"]),
    ("meters", "u_tower2.csv", METERS + b"X1,electricity,grid_import,2**2**2**2**2 kWh\n", [],
     ["line 2", "stacked"]),
    ("meters", "u_inf.csv", METERS + b"X1,electricity,grid_import,1e999 kWh\n", [],
     ["line 2", "finite"]),
    ("meters", "u_long.csv", METERS + b"X1,electricity,grid_import," + b"k" * 200 + b"\n", [],
     ["line 2", "longer than 40"]),
    ("meters", "m_mult.csv", b"meter_id,carrier,role,unit,multiplier\nX1,electricity,"
     b"grid_import,kWh,\"1,5\"\n", [], ["line 2", "'multiplier'", "'1,5'"]),
    # -- encodings and odd bytes
    ("readings", "cr_head.csv", b"meter_id,timestamp\rvalue\nM1,2025-03-01 00:00,1\n", [],
     ["line 1", "carriage return"]),
    ("readings", "gb_cut.csv", READINGS + "M1,2025-03-01 00:00,1 # 电".encode("gb18030")[:-1],
     ["--encoding", "gb18030"], ["gb_cut.csv", "cut off"]),
    ("readings", "nul.csv", READINGS + b"M1,2025-03-01 00:00,1\x00\n", [],
     ["line 2", "not a number"]),
    # -- options
    ("readings", "opt_fmt.csv", READINGS + b"M1,2025-03-01 00:00,1\n",
     ["--timestamp-format", "%Q"], ["--timestamp-format", "%Q", "strptime"]),
    ("readings", "opt_int.csv", READINGS + b"M1,2025-03-01 00:00,1\n",
     ["--interval", "inf", "--timestamp-convention", "end"], ["--interval", "inf"]),
    ("weather", "opt_tz.csv", b"time,ghi,temp_air\n2025-03-01 00:00,0,5\n",
     ["--timezone", "Mars/Olympus"], ["Mars/Olympus", "IANA"]),
    # -- weather: the same grammar, and physical bounds
    ("weather", "w_neg.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00Z,-5,25\n", [],
     ["line 2", "'ghi'", "'-5'", "physical bound"]),
    ("weather", "w_inf.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00Z,inf,25\n", [],
     ["line 2", "'ghi'", "'inf'", "finite"]),
    ("weather", "w_comma.csv", b'timestamp,ghi,temp_air\n2025-06-01T08:00Z,"1,5",25\n', [],
     ["line 2", "'1,5'", "decimal"]),
    # -- weather: physical lines (blank lines, quoted newlines), whole-cell timestamps
    ("weather", "w_blank.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00Z,5,25\n\n\n"
     b"2025-06-01T09:00Z,x,25\n", [], ["w_blank.csv", "line 5", "'ghi'", "'x'", "number"]),
    ("weather", "w_quoted.csv", b'timestamp,ghi,temp_air,note\n2025-06-01T08:00Z,5,25,"a\nb"\n'
     b"2025-06-01T09:00Z,-1,25,c\n", [], ["line 4", "'ghi'", "'-1'", "physical bound"]),
    ("weather", "w_dup.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00Z,5,25\n\n"
     b"2025-06-01T08:00Z,5,25\n", [], ["line 4", "'timestamp'", "repeated"]),
    ("weather", "w_month.csv", b"timestamp,ghi,temp_air\n2025-06,5,25\n2025-06-01 01:00,5,25\n",
     ["--timezone", "Asia/Shanghai"], ["line 2", "'2025-06'", "the whole cell"]),
    ("weather", "w_year1.csv", b"timestamp,ghi,temp_air\n0001-01-01T00:00Z,5,25\n"
     b"0001-01-01T01:00Z,5,25\n", [], ["line 2", "'0001-01-01T00:00Z'", "1900-2199"]),
    ("weather", "w_mixed.csv", b"timestamp,ghi,temp_air\n2025-06-01 08:00,5,25\n"
     b"2025-06-01T01:00Z,5,25\n", ["--timezone", "Asia/Shanghai"],
     ["line 3", "with and without a UTC offset"]),
    ("weather", "w_extra.csv", b"timestamp,ghi,temp_air\n2025-06-01T08:00Z,5,25,7\n", [],
     ["line 2", "4 fields", "extra field"]),
    ("weather", "w_head.csv", b"timestamp,ghi,ghi\n2025-06-01T08:00Z,5,25\n", [],
     ["line 1", "'ghi'", "repeated"]),
    ("weather", "w_gbk.csv", "timestamp,ghi,temp_air,备注\n2025-06-01T08:00Z,5,25,电\n"
     .encode("gbk"), ["--encoding", "utf-8"], ["w_gbk.csv", "utf-8"]),
    ("weather", "w_long.csv", b"timestamp,ghi,temp_air\n" + b"1" * (2 << 20) + b"\n", [],
     ["line 2", "longer than"]),
    ("weather", "w_first.csv", b"t" * (2 << 20) + b"\n", [], ["line 1", "longer than"]),
    ("readings", "open_quote.csv", READINGS + b"M1,2025-03-01 00:00,1\n\nM1,2025-03-01 00:15,"
     b'"1\n' + b"12345678\n" * 10, [], ["open_quote.csv", "line 4", "never closed"]),
    ("readings", "bomb.xlsx", None, [], ["bomb.xlsx", "inflates to", "limit"]),
    # -- the XLSX and Parquet paths
    ("readings", "formula.xlsx", xlsx([["meter_id", "timestamp", "value"],
                                       ["M1", "2025-03-01 00:00", "=1+1"]]), [],
     ["formula.xlsx", "'C2'", "formula without a cached value"]),
    ("production", "p_formula.xlsx", xlsx([["enterprise_id", "month", "value_added_10k_cny"],
                                           ["E1", "2025-06", "=2*3"]]), [],
     ["'C2'", "cached value"]),
    ("readings", "dup.xlsx", xlsx([["meter_id", "timestamp", "value", "value"],
                                   ["M1", "2025-03-01 00:00", 1, 2]]), [],
     ["row 1", "'value'", "repeated"]),
    ("readings", "comma.xlsx", xlsx([["meter_id", "timestamp", "value"],
                                     ["M1", "2025-03-01 00:00", "1,5"]]), [],
     ["row 2", "'1,5'", "not a number"]),
    ("readings", "ts.xlsx", xlsx([["meter_id", "timestamp", "value"],
                                  ["M1", "2025-01-01garbage", 1]]), [],
     ["row 2", "'2025-01-01garbage'", "cannot parse timestamp"]),
    ("readings", "wide_empty.xlsx", xlsx([["timestamp", "M1", None], ["2025-03-01 00:00", 1, 2]]),
     [], ["row 1", "column 3 has no header"]),
    ("readings", "offset_bad.xlsx", xlsx([["meter_id", "timestamp", "value"],
                                          ["M1", "2025-03-01T00:15:00+25:00", 1]]), [],
     ["row 2", "'timestamp'"]),
    ("readings", "comma.parquet", parquet({"meter_id": ["M1"], "timestamp": ["2025-03-01 00:00"],
                                           "value": ["1,5"]}), [],
     ["row 1", "'1,5'", "not a number"]),
    ("readings", "inf.parquet", parquet({"meter_id": ["M2"], "timestamp": ["2025-03-01 00:00"],
                                         "value": [1e308]}), [],
     ["row 1", "not a finite number"]),
    ("readings", "wide.csv", b"timestamp," + b",".join(b"M%d" % i for i in range(5000)) + b"\n"
     b"2025-03-01 00:00" + b",1" * 5000 + b"\n", [], ["line 1", "5001 columns", "limit"]),
    ("production", "p_nul.csv", b"enterprise_id,month,value_added_10k_cny\nE\x001,2025-06,5\n",
     [], ["line 2", "NUL"]),
    ("meters", "m_nul.csv", METERS + b"X1,electricity,grid_import,kWh\x00\n", [],
     ["line 2", "NUL"]),
    # -- empty and size
    ("weather", "empty.epw", b"", [], ["empty.epw", "empty"]),
    ("readings", "empty.csv", b"", [], ["empty.csv", "empty"]),
    ("readings", "long_line.csv", READINGS + b"M1,2025-03-01 00:00," + b"1" * (1 << 21) + b"\n",
     [], ["line 2", "longer than"]),
    ("readings", "long_line3.csv", READINGS + b"M1,2025-03-01 00:00,1\nM1,2025-03-01 00:15,"
     + b"1" * (5 << 20) + b"\n", [], ["line 3", "longer than"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def park(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("matrix")
    db = make_park(root / "park")
    runner = CliRunner()
    ent = root / "ent.csv"
    ent.write_text("enterprise_id,name\nE1,One\n", encoding="utf-8")
    assert runner.invoke(cli, ["--db", str(db), "load", "enterprises", str(ent)]).exit_code == 0
    return db


@pytest.fixture(scope="module")
def before(park) -> str:
    """The checksum every refused load must leave unchanged."""
    return checksum(park)


def checksum(db: Path) -> str:
    return hashlib.sha256(repr(snapshot(db)).encode()).hexdigest()


@pytest.mark.parametrize(
    ("command", "name", "content", "options", "parts"), CASES, ids=[c[1] for c in CASES]
)
def test_bad_input_is_refused_cleanly(
    park, before, tmp_path, command, name, content, options, parts
):
    path = tmp_path / name
    path.write_bytes(content if content is not None else zip_bomb())
    result = CliRunner().invoke(cli, ["--db", str(park), "load", command, *options, str(path)])
    message = result.stderr
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert message.startswith(("Error:", "Usage:")), message
    for part in parts:
        assert part.lower() in message.lower(), f"{part!r} not in: {message}"
    assert checksum(park) == before


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
@pytest.mark.parametrize("command", ["readings", "meters", "production", "weather"])
def test_not_a_regular_file_is_refused_at_once(park, before, tmp_path, kind, command):
    if kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
    elif kind == "directory":
        path = tmp_path / "folder.csv"
        path.mkdir()
    else:
        path = Path("/dev/zero")
    result = CliRunner().invoke(cli, ["--db", str(park), "load", command, str(path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert any(w in result.output for w in ("FIFO", "directory", "device", "not a regular"))
    assert checksum(park) == before


def test_init_refuses_a_fifo_and_an_endless_config(tmp_path):
    fifo = tmp_path / "park.toml"
    os.mkfifo(fifo)
    for config in (fifo, Path("/dev/zero")):
        result = CliRunner().invoke(
            cli, ["--db", str(tmp_path / "x.duckdb"), "init", "--config", str(config)]
        )
        assert result.exit_code != 0
        assert "not a regular file" in result.output


def test_a_failing_second_file_says_the_first_was_committed(tmp_path):
    from greenpark.store import open_store

    park = make_park(tmp_path / "park")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(READINGS + b"M1,2031-01-01 00:00,7.25\n")
    second.write_bytes(READINGS + b"M1,2031-01-01 00:15,x\n")
    args = ["--db", str(park), "load", "readings", str(first), str(second)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "second.csv: line 2" in result.stderr
    assert f"loaded before this file: {first}" in result.stderr
    assert "nothing was changed" not in result.stderr
    with open_store(park, read_only=True) as store:
        stored = store.con.execute(
            "SELECT ts, value FROM readings WHERE ts >= TIMESTAMP '2030-01-01'"
        ).fetchall()
    # first.csv's one row, 00:00 local at UTC+8 = 16:00 UTC the day before; none of second's
    import datetime as dt

    assert stored == [(dt.datetime(2030, 12, 31, 16, 0), 7.25)]
