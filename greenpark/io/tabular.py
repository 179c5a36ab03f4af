"""Tabular input files (CSV, XLSX, Parquet): format, encoding, header, transcoding.

DuckDB reads CSV and Parquet directly. What it cannot read natively is handled here:
GBK/GB18030 text is transcoded to a temporary UTF-8 file, and Excel sheets are read with
python-calamine (Rust) into a frame of strings, as pandas' openpyxl reader would read them
(whole numbers without ``.0``, pandas' NA strings blank).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem
from greenpark.io.files import MAX_LINE_BYTES, check_input_file, remove_stale_temp, temp_path
from greenpark.io.structure import (
    check_header,
    check_xlsx_size,
    read_csv_records,
)

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
HASH_SLICE_BYTES = 1 << 22  # [bytes] hashed at a time (a background hash stops between)
TRANSCODE_CHUNK_BYTES = 1 << 20  # [bytes] read and checked (ASCII or not) at a time
# Registry and ledger files are read whole in Python: bounded memory.
MAX_SMALL_TABLE_BYTES = 64 << 20
HEADER_SCAN_ROWS = 20  # rows searched for the header below title rows
# A row whose first non-blank cell is one of these sums the rows above: never data.
TOTAL_LABELS = frozenset(
    {"合计", "总计", "小计", "共计", "total", "subtotal", "grand total", "sum"}
)


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
        What DuckDB reads (a UTF-8 copy for non-UTF-8 CSV, made when first asked for).
    data_path : Path
        A file whose lines below the header DuckDB reads as UTF-8, the header and title
        lines taken from ``columns`` and skipped (``header = true``, ``names`` given):
        a GB18030 file whose data lines are all ASCII is read as it is, no copy.
    frame : greenpark.io.excel.SheetTable or None
        Excel content as text columns (``None`` for CSV and Parquet).
    delimiter : str
        CSV delimiter.
    header_row : int
        1-based line (CSV) or row (XLSX) of the header; 0 for Parquet.
    skipped : list of (int, str)
        Title rows above the header that were skipped: their line and text.
    """

    path: Path
    fmt: str
    encoding: str | None
    columns: list[str]
    _read_path: Path | None
    frame: object = None
    delimiter: str = ","
    header_row: int = 1
    skipped: list = field(default_factory=list)
    _tmp: list[str] = field(default_factory=list, repr=False)
    _data_path: Path | None = field(default=None, repr=False)

    @property
    def read_path(self) -> Path:
        if self._read_path is None:  # a GB18030 file read as it is so far: copy it now
            self._read_path = _transcode_to_utf8(self.path, self.encoding, self)
        return self._read_path

    @property
    def data_path(self) -> Path:
        return self._data_path or self.read_path

    @property
    def row_unit(self) -> str:
        return "line" if self.fmt == "csv" else "row"

    @property
    def header_lines(self) -> int:
        """Lines (CSV) or rows (XLSX) before the first data record."""
        return 0 if self.fmt == "parquet" else self.header_row

    def cleanup(self) -> None:
        for tmp in self._tmp:
            Path(tmp).unlink(missing_ok=True)
        self._tmp.clear()


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex (see :func:`hash_slices`)."""
    digest = hashlib.sha256()
    for _ in hash_slices(path, digest, 0):
        pass
    return digest.hexdigest()


def hash_slices(path: str | os.PathLike, digest, offset: int):
    """Feed ``digest`` the bytes of ``path`` from ``offset`` on, one slice of
    :data:`HASH_SLICE_BYTES` at a time (read into one reused buffer), yielding the
    offset reached after each; hashlib releases the GIL meanwhile."""
    buffer = bytearray(HASH_SLICE_BYTES)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        fh.seek(offset)
        while count := fh.readinto(buffer):
            digest.update(view[:count])
            offset += count
            yield offset


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
    path: str | os.PathLike,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> TabularFile:
    """Inspect a file and prepare it for reading.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        Text encoding of a CSV; detected when None.
    sheet : str, optional
        Excel sheet (default: the first).
    header_row : int, optional
        1-based line (CSV) or row (XLSX) of the header; when None, the first of the first
        :data:`HEADER_SCAN_ROWS` rows that looks like one (:func:`header_index`): title
        rows above it are skipped and listed in ``skipped``.

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
        check_xlsx_size(path)  # a zip bomb is refused before the sheet is inflated
        table, row, skipped = read_sheet_table(path, sheet, header_row)
        check_xlsx_structure(path, sheet, row, table.header_cells)
        return TabularFile(
            path, fmt, None, list(table.names), path, table, header_row=row, skipped=skipped
        )
    enc = detect_encoding(path, encoding)
    header, delimiter, row, skipped = _csv_header(path, enc, header_row)
    check_header(path, header)
    tab = TabularFile(
        path, fmt, enc, header, path, delimiter=delimiter, header_row=row, skipped=skipped
    )
    if enc == "gb18030":
        if _ascii_below(path, enc, row):  # the copy is made only if the careful path asks
            tab._read_path, tab._data_path = None, path
        else:
            tab._read_path = _transcode_to_utf8(path, enc, tab)
    return tab


def _ascii_below(path: Path, encoding: str, header_row: int) -> bool:
    """Whether every byte below line ``header_row`` is ASCII (the same text in UTF-8) and
    the lines down to it are valid ``encoding`` text (else the copy names the bad line).

    Reading 160 MB to check it takes ~0.05 s; copying it took 0.3-0.7 s of system time.
    """
    with open(path, "rb") as fh:
        head = b"".join(fh.readline(MAX_LINE_BYTES + 1) for _ in range(header_row))
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            return False
        while chunk := fh.read(TRANSCODE_CHUNK_BYTES):
            if not chunk.isascii():
                return False
    return True


def _csv_header(path: Path, encoding: str, header_row: int | None = None):
    """The header (a list of names), the delimiter, the header's 1-based line and the
    skipped title lines of a CSV file."""
    lines = _head_lines(path, encoding, max(header_row or 0, HEADER_SCAN_ROWS) + 1)
    if header_row is not None and header_row > len(lines):
        rule = f"--header-row {header_row}: the file has only {len(lines)} line(s)"
        raise InputError(str(path), [Problem(None, None, str(header_row), rule, "input.header")])
    if header_row is None:
        delimiter = _common_delimiter(lines)
        rows = [_split(text, delimiter) for text in lines]
        index = header_index(rows)
    else:
        index = header_row - 1
    text = lines[index] if lines else ""
    if "\r" in text:
        rule = (
            "the header line holds a bare carriage return (CR without LF); save the file "
            "with CRLF or LF line ends"
        )
        raise InputError(str(path), [Problem(index + 1, None, None, rule, "input.structure")])
    if not text.strip():
        raise InputError(
            str(path), [Problem(index + 1, None, None, "the header line is blank", "input.header")]
        )
    following = lines[index + 1] if index + 1 < len(lines) else ""
    delimiter = _delimiter(text, following)
    header = _split(text, delimiter)
    skipped = [(i + 1, lines[i]) for i in range(index) if lines[i].strip()]
    return [h.strip() for h in header], delimiter, index + 1, skipped


def _head_lines(path: Path, encoding: str, count: int) -> list[str]:
    """The first ``count`` lines of a text file, decoded (BOM and line ends removed)."""
    out = []
    with open(path, "rb") as fh:
        for number in range(1, count + 1):
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            if len(raw) > MAX_LINE_BYTES:
                rule = f"line is longer than {MAX_LINE_BYTES} bytes (the limit per line)"
                raise InputError(
                    str(path), [Problem(number, None, None, rule, "input.line_too_long")]
                )
            if number == 1 and b"\r" in raw.rstrip(b"\r\n"):
                rule = (
                    "the header line holds a bare carriage return (CR without LF); save the "
                    "file with CRLF or LF line ends"
                )
                raise InputError(str(path), [Problem(1, None, None, rule, "input.structure")])
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                if number > 1:  # the header search stops here; reading the file names it
                    break
                rule = (
                    f"not valid {encoding} text (byte {exc.start} of the line); "
                    "is the encoding right? (--encoding)"
                )
                raise InputError(
                    str(path), [Problem(number, None, None, rule, "input.encoding")]
                ) from None
            out.append(text.lstrip("\ufeff").rstrip("\r\n") if number == 1 else text.rstrip("\r\n"))
    return out


def _split(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error:  # e.g. a NUL or an odd quote in a title row: not a header
        return [text]


def _common_delimiter(lines: list[str]) -> str:
    """The delimiter giving the most lines the same (largest, >= 2) number of fields."""
    best, best_score = ",", (0, 0)
    for delim in (",", "\t", ";", "|"):
        counts = [len(_split(t, delim)) for t in lines if t.strip()]
        wide = [c for c in counts if c >= 2]
        if not wide:
            continue
        top = max(wide)
        score = (sum(1 for c in counts if c == top), top)
        if score > best_score:
            best, best_score = delim, score
    return best


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def header_index(rows: list[list]) -> int:
    """0-based index of the header among the first rows of a table.

    Title rows of monitoring-platform exports (the park and report name, the export
    time) fill one or two cells above the header; the header is the first row with at
    least two non-blank cells, at least 60 % as many as the fullest of the rows, and no
    more numbers than text among them. 0 when no row qualifies.
    """
    cells = [[str(c).strip() for c in row if c is not None and str(c).strip()] for row in rows]
    widest = max((len(c) for c in cells), default=0)
    for i, filled in enumerate(cells[:HEADER_SCAN_ROWS]):
        numbers = sum(_is_number(c) for c in filled)
        if len(filled) >= max(2, 0.6 * widest) and numbers * 2 <= len(filled):
            return i
    return 0


def is_total_row(cells) -> bool:
    """Whether a row is a total (合计, 总计, 小计, Total ...): its first non-blank cell
    is one of :data:`TOTAL_LABELS` (case, spaces and a trailing colon ignored)."""
    for cell in cells:
        if cell is None:
            continue
        text = str(cell).strip()
        if text:
            return text.lower().replace(" ", "").rstrip(":：") in _TOTAL_KEYS
    return False


_TOTAL_KEYS = frozenset(t.replace(" ", "") for t in TOTAL_LABELS)


def drop_total_rows(frame, tab: TabularFile):
    """``frame`` (read by :func:`read_small_table`) without its total rows, and their
    physical line numbers; the kept rows keep their index (row ``i`` is on physical line
    ``frame.attrs["lines"][i]`` when the reader recorded it, else ``i + 1 +
    tab.header_lines``)."""
    rows = zip(frame.index, frame.itertuples(index=False), strict=True)
    totals = [i for i, row in rows if is_total_row(row)]
    physical = frame.attrs.get("lines")
    lines = [physical[i] if physical else i + 1 + tab.header_lines for i in totals]
    return (frame.drop(index=totals) if totals else frame), lines


def _delimiter(header: str, first_row: str) -> str:
    """The delimiter that splits the header and the first row into the same number (>= 2)
    of fields, quotes respected; comma first."""
    candidates = (",", "\t", ";", "|")

    def fields(text: str, delim: str) -> int:
        return len(_split(text, delim))

    for delim in candidates:
        if fields(header, delim) >= 2 and (
            not first_row or fields(header, delim) == fields(first_row, delim)
        ):
            return delim
    return next((d for d in candidates if fields(header, d) >= 2), ",")


def _transcode_to_utf8(path: Path, encoding: str, tab: TabularFile) -> Path:
    """Copy a GB18030 file to a temporary UTF-8 file, naming the line of a bad byte.

    ASCII bytes are the same characters in GB18030 and UTF-8, so a chunk of ASCII bytes
    that starts on a character boundary (the decoder holds no pending bytes) is copied
    as it is; only the others are decoded (a GBK export is mostly ASCII digits below a
    Chinese header: 1.3 s of decoding on 160 MB became ~0.1 s of copying).
    """
    tmp = temp_path(".csv")  # named for this process: removed at the next start if killed
    tab._tmp.append(tmp)
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with open(tmp, "wb") as out, open(path, "rb") as src:
            while chunk := src.read(TRANSCODE_CHUNK_BYTES):
                if chunk.isascii() and not decoder.getstate()[0]:
                    out.write(chunk)
                    line += chunk.count(b"\n")
                    continue
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise _encoding_error(
                        path, encoding, line + chunk[: exc.start].count(b"\n")
                    ) from None
                line += chunk.count(b"\n")
                out.write(text.encode("utf-8"))
            try:
                out.write(decoder.decode(b"", final=True).encode("utf-8"))
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


def first_record_cell(tab: TabularFile, index: int) -> str | None:
    """Cell ``index`` of a CSV's first data record (None if there is none or it is odd)."""
    if tab.fmt != "csv":
        return None
    try:  # at most one line's limit is read: a 1 GB line is not loaded into memory
        with open(tab.data_path, encoding="utf-8-sig", newline="", errors="replace") as fh:
            head = fh.read(MAX_LINE_BYTES)
        reader = csv.reader(io.StringIO(head), delimiter=tab.delimiter)
        next(reader, None)
        row = next(reader, None)
    except (csv.Error, OSError):
        return None
    return row[index] if row and index < len(row) else None


def data_lines_contain(tab: TabularFile, byte: bytes) -> bool:
    """Whether ``byte`` occurs below the header of a CSV's :attr:`~TabularFile.data_path`
    (~10 ms for 35 MB once the file is in the page cache)."""
    with open(tab.data_path, "rb") as fh:
        for _ in range(tab.header_lines):
            fh.readline(MAX_LINE_BYTES + 1)
        while chunk := fh.read(TRANSCODE_CHUNK_BYTES):
            if byte in chunk:
                return True
    return False


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(
            str(path),
            [Problem(None, None, None, f"not a readable Parquet file ({exc})", "input.format")],
        ) from None


def _cell_text(value) -> str | None:
    import pandas as pd

    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = str(value).strip()
    return text or None


class LineNumbers(tuple):
    """The physical line of each row of a frame, kept in ``frame.attrs["lines"]``.

    Immutable, so a copy is the same object: pandas deep-copies a frame's attrs in every
    operation on it (thousands of line numbers, each time).
    """

    __slots__ = ()

    def __deepcopy__(self, memo):
        return self


def read_small_table(tab: TabularFile):
    """Read a small registry-like file (meters, enterprises ...) as a frame of strings.

    Blank cells are ``None``; cells are stripped. Line numbers of row ``i`` (0-based) are
    ``i + 1 + tab.header_lines``.
    """
    import pandas as pd

    if tab.frame is not None:
        return tab.frame.to_pandas()
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
    frame.attrs["lines"] = LineNumbers(lines)
    return frame


def _text_frame(frame):
    """Every cell as stripped text, blanks as None, in an object-dtype frame."""
    import pandas as pd

    out = pd.DataFrame(
        {str(c).strip(): [_cell_text(v) for v in frame[c].tolist()] for c in frame.columns},
        dtype=object,
    )
    return out


from greenpark.io.excel import (  # noqa: E402 - after the helpers excel.py imports from here
    check_xlsx_structure,
    read_excel_strings,
    read_excel_table,
    read_sheet_table,
)

__all__ = ["check_xlsx_structure", "read_excel_strings", "read_excel_table", "read_sheet_table"]
