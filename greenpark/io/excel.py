"""Excel sheets (XLSX, XLSM) as frames of text, read with python-calamine (Rust).

The cells read as pandas' openpyxl reader gave them before (whole numbers without
``.0``, pandas' NA strings and empty cells ``None``, dates as ``YYYY-MM-DD HH:MM:SS``),
several times faster. Formula cells without a cached value are found by a zip scan
(:func:`greenpark.io.structure.xlsx_formulas_without_value`): calamine reads them as
blank and cannot tell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.io.structure import check_header, formula_problems

# pandas' default NA strings (pandas.io.parsers.STR_NA_VALUES): read_excel made them blank.
_NA_STRINGS = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"}
    | {"<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)


def check_xlsx_structure(
    path: Path, sheet: str | None = None, header_row: int = 1, header: list | None = None
) -> None:
    """Empty or repeated headers (in the 1-based ``header_row``; ``header``: its cells as
    text, read again when None) and formula cells without a cached value: errors."""
    if header is None:
        columns = _excel_columns(path, sheet)
        header = [c[header_row - 1] for c in columns if len(c) >= header_row]
    check_header(path, list(header), "row")
    problems = formula_problems(path, sheet)  # a zip scan, parsed only if a formula exists
    if problems:
        raise InputError(str(path), problems[:20], total=len(problems), unit="row")


def read_excel_strings(path: Path, sheet: str | None = None, header: int | None = 0):
    """Read one sheet of an Excel workbook into a DataFrame of strings (None for blanks).

    Date cells become ``YYYY-MM-DD HH:MM:SS`` text, whole numbers their digits, other
    numbers their repr. ``header``: the 0-based row of the header, or None for none
    (columns 0, 1 ...).
    """
    columns = _excel_columns(path, sheet)
    if header is None:
        return _frame(columns, 0, list(range(len(columns))))
    cells = [col[header] if len(col) > header else None for col in columns]
    return _frame(columns, header + 1, _names(cells))


def _names(cells: list) -> list[str]:
    return [c if c else f"Unnamed: {i}" for i, c in enumerate(cells)]


def _frame(columns: list[list], start: int, names: list):
    """A frame of ``columns`` from row ``start`` (0-based) on, under ``names``."""
    import pandas as pd

    frame = pd.DataFrame(
        {i: col[start:] for i, col in enumerate(columns)}, dtype=object, columns=range(len(names))
    )
    frame.columns = names
    return frame


class SheetTable:
    """The data rows of a sheet as text columns, without pandas (a load of readings
    never imports it).

    Attributes
    ----------
    names : list of str
        Column names (``Unnamed: i`` for a blank header cell).
    columns : list of list
        One list of text cells (None for blanks) per column, the rows below the header.
    header_cells : list
        The header row's cells as text (None for blanks).
    """

    def __init__(self, names: list[str], columns: list[list], header_cells: list):
        self.names = names
        self.columns = columns
        self.header_cells = header_cells
        self._frame = None

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def to_pandas(self):
        """The rows as an object-dtype DataFrame (made once)."""
        if self._frame is None:
            self._frame = _frame(self.columns, 0, self.names)
            self._frame.attrs["header_cells"] = list(self.header_cells)
        return self._frame


def read_excel_table(path: Path, sheet: str | None = None, header_row: int | None = None):
    """One sheet as :func:`read_excel_strings` does, with its header found below any
    title rows (or at ``header_row``, 1-based).

    Returns
    -------
    (pandas.DataFrame, int, list of (int, str))
        The data rows as strings under the header's names (``Unnamed: i`` for a blank
        header cell; the cells themselves in ``frame.attrs["header_cells"]``), the
        header's row number and the skipped title rows with their text.
    """
    table, row, skipped = read_sheet_table(path, sheet, header_row)
    return table.to_pandas(), row, skipped


def read_sheet_table(path: Path, sheet: str | None = None, header_row: int | None = None):
    """:func:`read_excel_table` as a :class:`SheetTable` (no pandas)."""
    from greenpark.io import tabular

    columns = _excel_columns(path, sheet)
    count = len(columns[0]) if columns else 0
    if header_row is not None and header_row > count:
        rule = f"--header-row {header_row}: the sheet has only {count} row(s)"
        raise InputError(str(path), [Problem(None, None, str(header_row), rule, "input.header")])
    scan = tabular.HEADER_SCAN_ROWS + 1
    head = [list(r) for r in zip(*(c[:scan] for c in columns), strict=True)]
    if header_row is None:
        index = tabular.header_index(head)
    else:
        head = [[c[i] for c in columns] for i in range(header_row)]
        index = header_row - 1
    cells = head[index] if head else []
    table = SheetTable(_names(cells), [c[index + 1 :] for c in columns], list(cells))
    skipped = [(i + 1, " ".join(c for c in head[i] if c)) for i in range(index) if any(head[i])]
    return table, index + 1, skipped


def _excel_columns(path: Path, sheet: str | None) -> list[list]:
    """The cells of a sheet as text (:func:`_excel_text`), column by column from row 1,
    trailing blank rows and columns dropped (as pandas does)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
    except Exception as exc:  # calamine: zip/xml/format errors for damaged files
        raise InputError(
            str(path),
            [Problem(None, None, None, f"not a readable Excel workbook ({exc})", "input.format")],
        ) from None
    if sheet is not None and sheet not in names:
        rule = f"Worksheet named '{sheet}' not found (the sheets: {', '.join(names)})"
        raise InputError(str(path), [Problem(None, None, sheet, rule, "input.sheet")])
    if not names:
        return []
    try:
        raw = book.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputError(
            str(path),
            [Problem(None, None, None, f"not a readable Excel workbook ({exc})", "input.format")],
        ) from None
    columns = [_column_text(col) for col in zip(*raw, strict=True)]
    while columns and not any(columns[-1]):
        columns.pop()
    end = max((_last_filled(col) for col in columns), default=0)
    return [col[:end] for col in columns]


def _last_filled(col: list) -> int:
    """1 + the index of the last non-blank cell of ``col`` (0 when all are blank)."""
    for i in range(len(col) - 1, -1, -1):
        if col[i] is not None:
            return i + 1
    return 0


def _column_text(col: tuple) -> list:
    """:func:`_excel_text` of every cell, each distinct value converted once (a bool
    among numbers equals 1.0 but reads ``True``: such a column is converted cell by cell)."""
    kinds = set(map(type, col))
    if bool in kinds and len(kinds) > 1:
        return [_excel_text(v) for v in col]
    lookup = {v: _excel_text(v) for v in set(col)}
    return list(map(lookup.__getitem__, col))


def _excel_text(value) -> str | None:
    """A calamine cell as the text pandas' openpyxl path gave: None for blanks and
    pandas' NA strings, whole floats as integers, dates at midnight with the time."""
    kind = type(value)
    if kind is str:
        return None if value in _NA_STRINGS else (value.strip() or None)
    if kind is float:
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is dt.datetime:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind is dt.date:
        return value.strftime("%Y-%m-%d 00:00:00")
    from greenpark.io import tabular

    return tabular._cell_text(value)
