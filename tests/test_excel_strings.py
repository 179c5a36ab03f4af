"""Excel cells as text (python-calamine): the plain-sheet path and pandas' path agree."""

import datetime as dt

import openpyxl

from greenpark.io.tabular import read_excel_strings, read_excel_table


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


def test_title_rows_leading_blank_column_and_midnight_dates(tmp_path):
    # Calamine reads a midnight datetime as a date and starts at A1 only when asked:
    # by hand, the header is row 4 (below two title rows and a blank one), column A is
    # blank, the midnight stamp keeps its time, 2024.0 reads "2024", "NA" is blank.
    path = tmp_path / "titled.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B1"] = "绿园 园区 能耗导出"
    sheet["B2"] = "导出时间 2025-02-01"
    for col, value in zip("BCD", ["meter_id", "timestamp", 2024], strict=True):
        sheet[f"{col}4"] = value
    for col, value in zip("BCD", ["M1", dt.datetime(2025, 1, 1), 2024.0], strict=True):
        sheet[f"{col}5"] = value
    for col, value in zip("BCD", ["NA", dt.datetime(2025, 1, 1, 0, 15), 0.5], strict=True):
        sheet[f"{col}6"] = value
    book.save(path)
    frame, row, skipped = read_excel_table(path)
    assert row == 4
    assert skipped == [(1, "绿园 园区 能耗导出"), (2, "导出时间 2025-02-01")]
    assert list(frame.columns) == ["Unnamed: 0", "meter_id", "timestamp", "2024"]
    assert frame.values.tolist() == [
        [None, "M1", "2025-01-01 00:00:00", "2024"],
        [None, None, "2025-01-01 00:15:00", "0.5"],
    ]
    # --header-row 5 takes the first data row as the header: row numbers stay physical.
    frame, row, skipped = read_excel_table(path, header_row=5)
    assert row == 5 and len(frame) == 1 and len(skipped) == 3
