"""Real export shapes: title rows above the header, total rows (合计/总计/小计/Total),
--header-row, problems reported once per column."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import write

from greenpark.cli.app import cli
from greenpark.core.errors import InputError
from greenpark.io.tabular import header_index, is_total_row, open_tabular
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import ReadingsOptions, load_readings


def _stored(store):
    return store.con.execute(
        "SELECT m.meter_id, count(*), sum(r.value) FROM readings r JOIN meters m "
        "USING (meter_key) GROUP BY ALL ORDER BY 1"
    ).fetchall()


def _platform_workbook(path):
    """A 能耗监测平台 wide export: two title rows, the header, two hours, a 合计 row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["测试园区能耗监测平台 小时用电报表"])
    sheet.append(["导出时间：2025-08-01 09:00"])
    sheet.append(["采集时间", "IMP", "EXP"])
    sheet.append(["2025-07-01 00:00", 10.5, 0])
    sheet.append(["2025-07-01 01:00", 11.5, 1])
    sheet.append(["合计", 22.0, 1])
    book.save(path)
    return path


def test_header_and_total_rules():
    rows = [
        ["园区能耗日报", None, None],
        ["导出时间: 2025-08-01"],
        ["时间", "A", "B"],
        ["1", "2", "3"],
    ]
    assert header_index(rows) == 2
    assert header_index([["timestamp", "IMP"], ["2025-01-01", "1"]]) == 0
    assert header_index([["1", "2", "3"], ["4", "5", "6"]]) == 0  # no header-like row: 0
    for label in ("合计", "总计", "小计", "Total", " TOTAL ", "合计：", "Grand total"):
        assert is_total_row([None, label, "12"]), label
    assert not is_total_row(["IMP", "合计"])  # only the first non-blank cell counts


def test_wide_excel_export_with_title_and_total_rows(store, tmp_path):
    path = _platform_workbook(tmp_path / "platform.xlsx")
    tab = open_tabular(path)
    assert (tab.columns, tab.header_row) == (["采集时间", "IMP", "EXP"], 3)
    assert [line for line, _ in tab.skipped] == [1, 2]
    (result,) = load_readings(store, path, ReadingsOptions(mapping={"timestamp": "采集时间"}))
    assert result.rows_inserted == 4  # 2 hours x 2 meters; the 合计 row is not a reading
    assert _stored(store) == [("EXP", 2, 1.0), ("IMP", 2, 22.0)]
    codes = {f.code: f for f in result.findings}
    assert "skipped 2 title row(s)" in codes["input.title_rows"].message
    assert codes["input.total_row"].message.endswith("on row 6")
    assert codes["input.total_row"].severity == "warning"


def test_csv_title_rows_total_row_and_header_row_option(store, tmp_path):
    text = (
        "测试园区 日报,,\ntimestamp,IMP,EXP\n2025-07-01 00:00,1,0\n2025-07-01 00:15,2,0\n总计,3,0\n"
    )
    path = write(tmp_path / "day.csv", text)
    (result,) = load_readings(store, path)
    assert _stored(store) == [("EXP", 2, 0.0), ("IMP", 2, 3.0)]
    assert {f.code for f in result.findings} >= {"input.title_rows", "input.total_row"}
    (same,) = load_readings(store, path, ReadingsOptions(header_row=2))
    assert same.status == "unchanged"  # the rows are already stored (a new identity)
    bad = write(tmp_path / "bad.csv", text.replace("2025-07-01 00:15,2,0", "2025-07-01 00:15,x,0"))
    with pytest.raises(InputError) as err:
        load_readings(store, bad)
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.value) == (4, "IMP", "x")  # physical line


def test_an_unmapped_column_is_one_problem(store, tmp_path):
    rows = "".join(f"2025-07-02 {h:02d}:00,{h},1\n" for h in range(10))
    path = write(tmp_path / "wide.csv", "timestamp,IMP,反向有功\n" + rows)
    with pytest.raises(InputError) as err:
        load_readings(store, path)
    (problem,) = err.value.problems  # not 10: once for the column, with the count
    assert problem.code == "readings.unknown_meter" and problem.column == "反向有功"
    assert "(10 lines of this column: 2, 3, 4, 5, 6 ...)" in problem.rule
    assert _stored(store) == []


def test_meter_registry_with_title_rows_and_a_total_row(store, tmp_path):
    path = write(
        tmp_path / "台账.csv",
        "表计台账（2025年）\nmeter_id,carrier,role,unit\nW1,water,water_intake,m3\n合计,,,\n",
    )
    result = load_meters(store, path)
    assert result.rows_inserted == 1
    assert {f.code for f in result.findings} == {"input.title_rows", "input.total_row"}
    ids = [r[0] for r in store.con.execute("SELECT meter_id FROM meters").fetchall()]
    assert "W1" in ids and "合计" not in ids


def test_cli_header_row_is_checked(db, tmp_path):
    path = write(tmp_path / "m.csv", "meter_id,carrier,role,unit\nW2,water,water_intake,m3\n")
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(db), "load", "meters", "--header-row", "5", str(path)])
    assert out.exit_code == 2 and "--header-row 5: the file has only 2 line(s)" in out.output
    out = runner.invoke(cli, ["--db", str(db), "load", "meters", "--header-row", "0", str(path)])
    assert out.exit_code == 2 and "--header-row" in out.output  # a usage error


def test_long_file_total_rows_in_the_meter_or_the_timestamp_column(store, tmp_path):
    # By hand: two readings of IMP; "合计" as the meter and "Total:" as the timestamp are
    # total rows (lines 4 and 5), left out with one warning.
    text = (
        "meter_id,timestamp,value\nIMP,2025-07-01 00:00,1\nIMP,2025-07-01 00:15,2\n"
        "合计,,3\nIMP, Total: ,3\n"
    )
    (result,) = load_readings(store, write(tmp_path / "long.csv", text))
    assert result.rows_inserted == 2
    assert _stored(store) == [("IMP", 2, 3.0)]
    totals = [f for f in result.findings if f.code == "input.total_row"]
    assert len(totals) == 1 and totals[0].message.startswith("2 total row(s)")
    assert totals[0].message.endswith("on line 4, 5")
