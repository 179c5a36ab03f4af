"""The one CSV writer: every CSV greenpark writes (``--format csv``, exports, the
quarantine file, workbook-side CSVs) goes through :func:`csv_text` or :func:`write_csv`.

* A field is quoted when it holds a CR, an LF, the delimiter or a quote (quotes doubled),
  so a bare ``\\r`` can never start a new row in a spreadsheet.
* User text cannot become a formula: a cell starting with ``= + - @ TAB CR``, or holding
  one of those right after a line break, gets a ``'`` in front of it (``'=cmd``).
  Numbers (int and float values) are written as numbers; text is always neutralised.
* Files on disk are UTF-8 with a BOM by default (Excel then opens Chinese text right),
  or ``utf-8`` / ``gb18030`` on request; text for stdout is plain UTF-8. Files are
  written to a temporary name and renamed (:func:`greenpark.io.files.atomic_write`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from greenpark.io.files import atomic_write

OUTPUT_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
DEFAULT_FILE_ENCODING = "utf-8-sig"
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_AFTER_BREAK = re.compile(r"([\r\n])(?=[=+\-@\t])")


def neutralise(text: str) -> str:
    """User text that a spreadsheet would read as a formula, made inert with ``'``."""
    if text.startswith(_TRIGGERS):
        text = "'" + text
    return _AFTER_BREAK.sub(r"\1'", text)


def cell_text(value) -> str:
    """One value as CSV cell text: blanks and non-finite floats empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, bool | int):
        return str(value)
    module = type(value).__module__
    if module.startswith(("numpy", "pandas")):
        return _library_value(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return neutralise(str(value))


def _library_value(value) -> str:
    import pandas as pd

    if value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    item = value.item() if hasattr(value, "item") else value
    return cell_text(item) if item is not value else neutralise(str(value))


def quote(text: str, delimiter: str = ",") -> str:
    """Quote a field when it holds CR, LF, the delimiter or a quote."""
    if any(ch in text for ch in ("\r", "\n", '"', delimiter)):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(header: Iterable, rows: Iterable[Iterable], delimiter: str = ",") -> str:
    """CSV text (LF line ends) of a header and rows of values."""
    lines = [delimiter.join(quote(cell_text(h), delimiter) for h in header)]
    lines += [delimiter.join(quote(cell_text(v), delimiter) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def frame_csv_text(frame) -> str:
    """CSV text of a DataFrame (its columns, then its rows in order); date and time
    columns as pandas writes them (dates only when every time is midnight)."""
    columns = [_column_cells(frame[c]) for c in frame.columns]
    rows = zip(*columns, strict=True) if columns else iter(())
    header = [str(c) for c in frame.columns]
    lines = [",".join(quote(neutralise(h)) for h in header)]
    lines += [",".join(quote(cell) for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def _column_cells(series) -> list[str]:
    if series.dtype.kind == "M":
        text = series.astype(str)
        return ["" if missing else t for t, missing in zip(text, series.isna(), strict=True)]
    return [cell_text(v) for v in series.tolist()]


def check_encoding(encoding: str | None) -> str:
    """The output encoding (default UTF-8 with BOM); ValueError names the choices."""
    enc = (encoding or DEFAULT_FILE_ENCODING).strip().lower().replace("_", "-")
    enc = {"utf8": "utf-8", "gbk": "gb18030"}.get(enc, enc)
    if enc not in OUTPUT_ENCODINGS:
        raise ValueError(f"output encoding must be one of {', '.join(OUTPUT_ENCODINGS)}")
    return enc


def write_csv(path, header: Iterable, rows: Iterable[Iterable], encoding: str | None = None):
    """Write a CSV file atomically (temporary file, then rename).

    Parameters
    ----------
    path : str or Path
    header : iterable
    rows : iterable of iterables
    encoding : str, optional
        ``utf-8-sig`` (default), ``utf-8`` or ``gb18030``.
    """
    write_text_file(path, csv_text(header, rows), encoding)


def write_text_file(path, text: str, encoding: str | None = None) -> None:
    """Write CSV text to ``path`` atomically in the chosen output encoding."""
    enc = check_encoding(encoding)
    data = text.encode(enc, errors="strict" if enc != "gb18030" else "replace")
    with atomic_write(path) as fh:
        fh.write(data)
