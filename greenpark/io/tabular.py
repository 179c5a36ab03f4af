"""Tabular input files (CSV, XLSX, Parquet): format, encoding, header, transcoding.

DuckDB reads CSV and Parquet directly. What it cannot read natively is handled here:
GBK/GB18030 text is transcoded to a temporary UTF-8 file, and Excel sheets are read with
python-calamine (through pandas) into a frame of strings.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import InputError, Problem

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gbk": "gb18030",  # GB18030 is a superset of GBK and GB2312
    "gb2312": "gb18030",
    "gb18030": "gb18030",
}
_SNIFF_BYTES = 1 << 20


@dataclass
class TabularFile:
    """A tabular input file, ready for DuckDB.

    Attributes
    ----------
    path : Path
        The file as the user gave it (named in every message).
    fmt : str
        ``csv``, ``xlsx`` or ``parquet``.
    encoding : str or None
        Text encoding of a CSV (``utf-8``, ``utf-8-sig``, ``gb18030``).
    columns : list of str
        Header names in file order.
    read_path : Path
        What DuckDB reads (a UTF-8 copy for non-UTF-8 CSV).
    frame : pandas.DataFrame or None
        Excel content as strings (``None`` for CSV and Parquet).
    delimiter : str
        CSV delimiter.
    """

    path: Path
    fmt: str
    encoding: str | None
    columns: list[str]
    read_path: Path
    frame: object = None
    delimiter: str = ","
    _tmp: list[str] = field(default_factory=list, repr=False)

    @property
    def row_unit(self) -> str:
        return "line" if self.fmt == "csv" else "row"

    @property
    def header_lines(self) -> int:
        """Lines (CSV) or rows (XLSX) before the first data record."""
        return 0 if self.fmt == "parquet" else 1

    def cleanup(self) -> None:
        for tmp in self._tmp:
            Path(tmp).unlink(missing_ok=True)
        self._tmp.clear()


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "xlsx"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(
        str(path),
        [
            Problem(
                None,
                None,
                path.suffix or "(none)",
                "unsupported file type; use .csv, .xlsx or .parquet",
                "input.format",
            )
        ],
    )


def detect_encoding(path: Path, forced: str | None = None) -> str:
    """Encoding of a text file: the forced one, or UTF-8 (with BOM), else GB18030.

    Detection reads the first MiB; the whole file is checked when it is read.
    """
    if forced:
        key = forced.strip().lower().replace("_", "-")
        if key not in ENCODINGS:
            raise InputError(
                str(path),
                [
                    Problem(
                        None,
                        None,
                        forced,
                        f"unsupported encoding; use one of {', '.join(sorted(ENCODINGS))}",
                        "input.encoding",
                    )
                ],
            )
        return ENCODINGS[key]
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def open_tabular(
    path: str | os.PathLike, encoding: str | None = None, sheet: str | None = None
) -> TabularFile:
    """Inspect a file and prepare it for reading.

    Raises
    ------
    InputError
        File missing, empty, of an unknown type, or not in the given encoding.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), [Problem(None, None, None, "file not found", "input.missing")])
    if path.stat().st_size == 0:
        raise InputError(str(path), [Problem(None, None, None, "file is empty", "input.empty")])
    fmt = detect_format(path)
    if fmt == "parquet":
        return TabularFile(path, fmt, None, _parquet_columns(path), path)
    if fmt == "xlsx":
        frame = read_excel_strings(path, sheet)
        return TabularFile(path, fmt, None, [str(c) for c in frame.columns], path, frame=frame)
    enc = detect_encoding(path, encoding)
    header, delimiter = _csv_header(path, enc)
    tab = TabularFile(path, fmt, enc, header, path, delimiter=delimiter)
    if enc == "gb18030":
        tab.read_path = _transcode_to_utf8(path, enc, tab)
    return tab


def _csv_header(path: Path, encoding: str) -> tuple[list[str], str]:
    with open(path, "rb") as fh:
        raw, second = fh.readline(), fh.readline()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            [
                Problem(
                    1,
                    None,
                    None,
                    f"not valid {encoding} text (byte {exc.start} of the header); "
                    "is the encoding right? (--encoding)",
                    "input.encoding",
                )
            ],
        ) from None
    text = text.lstrip("\ufeff").rstrip("\r\n")
    if not text.strip():
        raise InputError(
            str(path), [Problem(1, None, None, "the header line is blank", "input.header")]
        )
    delimiter = _delimiter(text, second.decode(encoding, errors="replace").rstrip("\r\n"))
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    return [h.strip() for h in header], delimiter


def _delimiter(header: str, first_row: str) -> str:
    """The delimiter that splits the header and the first row into the same number (>= 2)
    of fields, quotes respected; comma first."""
    candidates = (",", "\t", ";", "|")

    def fields(text: str, delim: str) -> int:
        return len(next(csv.reader(io.StringIO(text), delimiter=delim), []))

    for delim in candidates:
        if fields(header, delim) >= 2 and (
            not first_row or fields(header, delim) == fields(first_row, delim)
        ):
            return delim
    return next((d for d in candidates if fields(header, d) >= 2), ",")


def _transcode_to_utf8(path: Path, encoding: str, tab: TabularFile) -> Path:
    """Copy a GB18030 file to a temporary UTF-8 file, naming the line of a bad byte."""
    fd, tmp = tempfile.mkstemp(prefix="greenpark-", suffix=".csv")
    tab._tmp.append(tmp)
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out, open(path, "rb") as src:
        while chunk := src.read(1 << 22):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_line = line + chunk[: exc.start].count(b"\n")
                tab.cleanup()
                raise InputError(
                    str(path),
                    [
                        Problem(
                            bad_line,
                            None,
                            None,
                            f"not valid {encoding} text (is the encoding right?)",
                            "input.encoding",
                        )
                    ],
                ) from None
            line += chunk.count(b"\n")
            out.write(text)
        out.write(decoder.decode(b"", final=True))
    return Path(tmp)


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(
            str(path),
            [Problem(None, None, None, f"not a readable Parquet file ({exc})", "input.format")],
        ) from None


def read_excel_strings(path: Path, sheet: str | None = None):
    """Read one sheet of an Excel workbook into a DataFrame of strings (None for blanks).

    Date cells become ``YYYY-MM-DD HH:MM:SS`` text, numbers their repr (whole numbers
    without ``.0``). The workbook is parsed by python-calamine (Rust); a plain sheet (one
    header row of distinct texts, no blank rows) is converted column by column, anything
    else goes through pandas' reader on the same engine, which gives the same cells.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine: zip/xml errors for damaged files
        raise _not_excel(path, exc) from None
    if sheet is not None and sheet not in book.sheet_names:
        problem = Problem(None, None, sheet, f"Worksheet named '{sheet}' not found", "input.sheet")
        raise InputError(str(path), [problem])
    try:
        ws = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        rows = ws.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine: a damaged sheet
        raise _not_excel(path, exc) from None
    frame = _plain_sheet_frame(rows)
    return frame if frame is not None else _pandas_excel_strings(path, sheet)


def _not_excel(path: Path, exc: Exception) -> InputError:
    problem = Problem(None, None, None, f"not a readable Excel workbook ({exc})", "input.format")
    return InputError(str(path), [problem])


def _pandas_excel_strings(path: Path, sheet: str | None):
    """pandas' reader (calamine engine): header repair, blank rows, NA texts."""
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="calamine")
    except ValueError as exc:
        raise InputError(str(path), [Problem(None, None, sheet, str(exc), "input.sheet")]) from None
    except Exception as exc:  # calamine: zip/xml errors for damaged files
        raise _not_excel(path, exc) from None
    return _text_frame(frame)


def _plain_sheet_frame(rows: list[list]):
    """The text frame of a plain sheet's calamine rows, or None when it is not plain."""
    import pandas as pd
    from pandas._libs.parsers import STR_NA_VALUES

    if not rows or not rows[0]:
        return None
    header = rows[0]
    if not all(isinstance(h, str) and h and h not in STR_NA_VALUES for h in header):
        return None
    names = [h.strip() for h in header]
    if len(set(header)) < len(header) or len(set(names)) < len(names):
        return None
    body = rows[1:]
    columns = list(zip(*body, strict=True)) if body else [()] * len(header)
    maybe_blank = [i for i, v in enumerate(columns[0]) if v == ""] if body else []
    if any(all(col[i] == "" for col in columns) for i in maybe_blank):
        return None  # a blank row: pandas' reader decides what it is
    return pd.DataFrame(
        {n: _column_text(list(col), STR_NA_VALUES) for n, col in zip(names, columns, strict=True)},
        dtype=object,
    )


def _column_text(values: list, na_texts) -> list:
    """One column of calamine cells as text, cell for cell what pandas + _cell_text give."""
    kinds = set(map(type, values))
    if kinds and kinds <= {dt.datetime, dt.date}:
        return [_stamp_text(v) for v in values]
    if kinds == {str}:
        return [None if v in na_texts else (v.strip() or None) for v in values]
    if kinds == {float}:
        return [str(int(v)) if v.is_integer() else str(v) for v in values]
    return [_raw_cell_text(v, na_texts) for v in values]


def _stamp_text(value) -> str:
    """A date or datetime cell as ``YYYY-MM-DD HH:MM:SS`` (isoformat: strftime's text
    without microseconds, and much faster)."""
    if type(value) is dt.date:
        return value.isoformat() + " 00:00:00"
    if value.microsecond:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat(" ")


def _raw_cell_text(value, na_texts) -> str | None:
    """One calamine cell as text: as pandas' calamine reader + :func:`_cell_text` would."""
    if isinstance(value, str):
        return None if value in na_texts else (value.strip() or None)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return None if value != value else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00:00")
    text = str(value).strip()
    return text or None


def _cell_text(value) -> str | None:
    import datetime as dt

    import pandas as pd

    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = str(value).strip()
    return text or None


def read_small_table(tab: TabularFile):
    """Read a small registry-like file (meters, enterprises ...) as a frame of strings.

    Blank cells are ``None``; cells are stripped. Line numbers of row ``i`` (0-based) are
    ``i + 1 + tab.header_lines``.
    """
    import pandas as pd

    if tab.frame is not None:
        return tab.frame
    if tab.fmt == "parquet":
        return _text_frame(pd.read_parquet(tab.read_path))
    try:
        frame = pd.read_csv(
            tab.read_path,
            dtype=str,
            keep_default_na=False,
            sep=tab.delimiter,
            encoding="utf-8-sig",
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(
            str(tab.path), [Problem(None, None, None, f"cannot parse: {exc}", "input.format")]
        ) from None
    return _text_frame(frame)


def _text_frame(frame):
    """Every cell as stripped text, blanks as None, in an object-dtype frame."""
    import pandas as pd

    out = pd.DataFrame(
        {str(c).strip(): [_cell_text(v) for v in frame[c].tolist()] for c in frame.columns},
        dtype=object,
    )
    return out
