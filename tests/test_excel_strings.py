"""Excel cells as text (python-calamine): the plain-sheet path and pandas' path agree."""

import datetime as dt

import openpyxl

from greenpark.io.tabular import read_excel_strings


def workbook(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


CELLS = [
    ["M1", dt.datetime(2025, 1, 1), 5],
    ["M1", dt.datetime(2025, 1, 1, 0, 15, 30, 700000), 0.25],
    [" M2 ", "2025-01-01 00:30", "NA"],
    ["M3", None, -3.0],
]
# By hand: whole numbers without ".0", datetimes to the second, texts stripped, "NA" and
# empty cells None.
EXPECTED = [
    ["M1", "2025-01-01 00:00:00", "5"],
    ["M1", "2025-01-01 00:15:30", "0.25"],
    ["M2", "2025-01-01 00:30", None],
    ["M3", None, "-3"],
]


def test_plain_sheet(tmp_path):
    path = workbook(tmp_path / "plain.xlsx", [["meter_id", "timestamp", "value"], *CELLS])
    frame = read_excel_strings(path)
    assert list(frame.columns) == ["meter_id", "timestamp", "value"]
    assert frame.values.tolist() == EXPECTED


def test_sheet_with_a_blank_row_and_a_blank_header(tmp_path):
    # Not plain: pandas names the blank header; the blank row stays, all None.
    with_x = [[r[0], "x", *r[1:]] for r in CELLS]
    rows = [["meter_id", None, "timestamp", "value"], *with_x[:2], [None] * 4, *with_x[2:]]
    frame = read_excel_strings(workbook(tmp_path / "odd.xlsx", rows))
    assert list(frame.columns) == ["meter_id", "Unnamed: 1", "timestamp", "value"]
    expected = [[r[0], "x", *r[1:]] for r in EXPECTED]
    assert frame.values.tolist() == [*expected[:2], [None] * 4, *expected[2:]]
