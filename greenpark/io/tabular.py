"""Tabular input files (CSV, XLSX, Parquet): format, encoding, header, transcoding.

DuckDB reads CSV and Parquet directly. What it cannot read natively is handled here:
GBK/GB18030 text is transcoded to a temporary UTF-8 file, and Excel sheets are read with
openpyxl (through pandas) into a frame of strings.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem
from greenpark.io.files import MAX_LINE_BYTES, check_input_file, remove_stale_temp, temp_path
from greenpark.io.structure import check_header, formula_problems, read_csv_records

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
# Registry and ledger files are read whole in Python: bounded memory.
MAX_SMALL_TABLE_BYTES = 64 << 20


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
    try:  # the whole file read: a character cut off at its end is not UTF-8 either
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _SNIFF_BYTES)
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
    path = check_input_file(path)  # a FIFO, device or directory is refused at once
    remove_stale_temp()
    fmt = detect_format(path)
    if fmt == "parquet":
        return TabularFile(path, fmt, None, _parquet_columns(path), path)
    if fmt == "xlsx":
        frame = read_excel_strings(path, sheet)
        check_xlsx_structure(path, sheet)
        return TabularFile(path, fmt, None, [str(c) for c in frame.columns], path, frame=frame)
    enc = detect_encoding(path, encoding)
    header, delimiter = _csv_header(path, enc)
    check_header(path, header)
    tab = TabularFile(path, fmt, enc, header, path, delimiter=delimiter)
    if enc == "gb18030":
        tab.read_path = _transcode_to_utf8(path, enc, tab)
    return tab


def _csv_header(path: Path, encoding: str) -> tuple[list[str], str]:
    with open(path, "rb") as fh:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        second = fh.readline(MAX_LINE_BYTES + 1)
    for number, line in ((1, raw), (2, second)):
        if len(line) > MAX_LINE_BYTES:
            raise InputError(
                str(path),
                [
                    Problem(
                        number,
                        None,
                        None,
                        f"line is longer than {MAX_LINE_BYTES} bytes (the limit per line)",
                        "input.line_too_long",
                    )
                ],
            )
    if b"\r" in raw.rstrip(b"\r\n"):
        raise InputError(
            str(path),
            [
                Problem(
                    1,
                    None,
                    None,
                    "the header line holds a bare carriage return (CR without LF); save the "
                    "file with CRLF or LF line ends",
                    "input.structure",
                )
            ],
        )
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
    try:
        delimiter = _delimiter(text, second.decode(encoding, errors="replace").rstrip("\r\n"))
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(
            str(path), [Problem(1, None, None, f"cannot split the header: {exc}", "input.header")]
        ) from None
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
    tmp = temp_path(".csv")  # named for this process: removed at the next start if killed
    tab._tmp.append(tmp)
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out, open(path, "rb") as src:
            while chunk := src.read(1 << 22):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise _encoding_error(
                        path, encoding, line + chunk[: exc.start].count(b"\n")
                    ) from None
                line += chunk.count(b"\n")
                out.write(text)
            try:
                out.write(decoder.decode(b"", final=True))
            except UnicodeDecodeError:
                raise _encoding_error(
                    path, encoding, line, "a character is cut off at the end"
                ) from None
    except OSError as exc:
        tab.cleanup()
        raise GreenparkError(
            f"{path}: cannot write the UTF-8 copy ({exc.strerror or exc}); nothing was loaded"
        ) from None
    except BaseException:
        tab.cleanup()
        raise
    return Path(tmp)


def _encoding_error(path: Path, encoding: str, line: int, what: str = "") -> InputError:
    rule = f"not valid {encoding} text (is the encoding right?)"
    return InputError(
        str(path),
        [Problem(line, None, None, f"{rule}: {what}" if what else rule, "input.encoding")],
    )


def check_xlsx_structure(path: Path, sheet: str | None = None) -> None:
    """Empty or repeated headers and formula cells without a cached value: errors."""
    import pandas as pd

    raw = pd.read_excel(path, sheet_name=sheet or 0, header=None, nrows=1, dtype=object)
    header = [None if pd.isna(v) else str(v) for v in raw.iloc[0].tolist()] if len(raw) else []
    check_header(path, header, "row")
    problems = formula_problems(path, sheet)
    if problems:
        raise InputError(str(path), problems[:20], total=len(problems), unit="row")


def first_record_cell(tab: TabularFile, index: int) -> str | None:
    """Cell ``index`` of a CSV's first data record (None if there is none or it is odd)."""
    if tab.fmt != "csv":
        return None
    try:  # at most one line's limit is read: a 1 GB line is not loaded into memory
        with open(tab.read_path, encoding="utf-8-sig", newline="", errors="replace") as fh:
            head = fh.read(MAX_LINE_BYTES)
        reader = csv.reader(io.StringIO(head), delimiter=tab.delimiter)
        next(reader, None)
        row = next(reader, None)
    except (csv.Error, OSError):
        return None
    return row[index] if row and index < len(row) else None


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

    Date cells become ``YYYY-MM-DD HH:MM:SS`` text, numbers their repr.
    """
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
    except ValueError as exc:
        raise InputError(str(path), [Problem(None, None, sheet, str(exc), "input.sheet")]) from None
    except Exception as exc:  # openpyxl: zipfile/xml errors for damaged files
        raise InputError(
            str(path),
            [Problem(None, None, None, f"not a readable Excel workbook ({exc})", "input.format")],
        ) from None
    return _text_frame(frame)


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
    if tab.path.stat().st_size > MAX_SMALL_TABLE_BYTES:
        raise InputError(
            str(tab.path),
            [
                Problem(
                    None,
                    None,
                    None,
                    f"a table file may be at most {MAX_SMALL_TABLE_BYTES >> 20} MiB",
                    "input.too_large",
                )
            ],
        )
    try:  # physical line numbers, every field kept: see greenpark.io.structure
        header, rows, lines = read_csv_records(
            tab.read_path, tab.delimiter, tab.header_lines, tab.row_unit
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            str(tab.path), [Problem(None, None, None, f"cannot parse: {exc}", "input.format")]
        ) from None
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.attrs["lines"] = lines
    return frame


def _text_frame(frame):
    """Every cell as stripped text, blanks as None, in an object-dtype frame."""
    import pandas as pd

    out = pd.DataFrame(
        {str(c).strip(): [_cell_text(v) for v in frame[c].tolist()] for c in frame.columns},
        dtype=object,
    )
    return out
