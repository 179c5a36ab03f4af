"""The structure of a tabular file: headers, field counts, physical line numbers.

Nothing structural is dropped or guessed: an empty or repeated header, a row with more
(or fewer) fields than the header, and an unknown column that looks like a misspelling
of a known one are errors; an unknown column that resembles none is a named finding.
Line numbers are *physical* lines of the file, counting blank lines and the extra lines
of quoted fields that hold a newline, so that an editor's "go to line" lands on the row.
"""

from __future__ import annotations

import csv
from array import array
from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.io.files import MAX_LINE_BYTES

MAX_SHOWN = 20
MAX_COLUMNS = 4096


def header_problems(header: list, unit: str = "line") -> list[Problem]:
    """Empty and repeated header names (1-based column positions in the messages), and
    more columns than :data:`MAX_COLUMNS`."""
    if len(header) > MAX_COLUMNS:
        rule = f"{len(header)} columns; the limit is {MAX_COLUMNS} (split a wide file by meter)"
        return [Problem(1, None, None, rule, "input.too_many_columns")]
    problems, first = [], {}
    for pos, name in enumerate(header, start=1):
        text = "" if name is None else str(name).strip()
        if not text:
            problems.append(
                Problem(1, None, None, f"column {pos} has no header name", "input.empty_header")
            )
            continue
        if text in first:
            problems.append(
                Problem(
                    1,
                    text,
                    text,
                    f"header repeated (columns {first[text]} and {pos}); which one is meant?",
                    "input.duplicate_header",
                )
            )
        first.setdefault(text, pos)
    return problems


def check_header(path, header: list, unit: str = "line") -> None:
    """Raise :class:`InputError` for an empty or repeated header name."""
    problems = header_problems(header, unit)
    if problems:
        raise InputError(str(path), problems[:MAX_SHOWN], total=len(problems), unit=unit)


def unknown_columns(header: list[str], known: list[str]) -> tuple[list[Problem], list[str]]:
    """Columns of a file that no rule reads: misspellings of a known column (errors, with
    a did-you-mean) and the others (returned by name, for a finding)."""
    import difflib  # here, not at import: 9 ms that a process reading no table never needs

    errors, ignored = [], []
    present = set(header)
    for name in header:
        if name in known:
            continue
        close = [k for k in difflib.get_close_matches(name, known, n=1, cutoff=0.8)]
        if close and close[0] not in present:
            errors.append(
                Problem(
                    1,
                    name,
                    name,
                    f"unknown column; did you mean {close[0]!r}? (else {close[0]} is not read "
                    "and its default would apply)",
                    "input.unknown_column",
                )
            )
        else:
            ignored.append(name)
    return errors, ignored


def first_long_line(path, limit: int = MAX_LINE_BYTES) -> int | None:
    """Physical number of the first line longer than ``limit`` bytes (read in bounded
    pieces: an over-long line is never held in memory), or None."""
    line, length = 1, 0
    with open(path, "rb") as fh:
        while piece := fh.readline(limit + 1):
            length += len(piece)
            if length > limit:
                return line
            if piece.endswith(b"\n"):
                line, length = line + 1, 0
    return None


def newline_count(path) -> tuple[int, bool]:
    """Number of LF bytes in a file and whether it ends with one (read in 4 MiB chunks)."""
    count, last = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count, last == b"\n"


def lines_are_records(
    path, records: int, header_lines: int, counted: tuple[int, bool] | None = None
) -> bool:
    """Whether record ``i`` (0-based) is physical line ``i + 1 + header_lines`` of the file:
    no blank lines, no quoted newlines. ``counted``: :func:`newline_count` of the file,
    if known (else the file is read)."""
    count, ends = counted or newline_count(path)
    return count == records + header_lines - (0 if ends else 1)


def lines_equal_to(
    path, texts, limit: int, chunk_bytes: int = 1 << 22
) -> tuple[dict[bytes, list[int]], tuple[int, bool]]:
    """The physical lines (after the first) that are exactly one of ``texts``, in one
    pass that also counts the file's newlines.

    Parameters
    ----------
    path : str or Path
    texts : iterable of bytes
        Whole lines without their ending (a line ends in LF, CRLF or the end of the
        file), none empty or ending in CR.
    limit : int
        Lines wanted at most: a text found on more stops the search there (its list
        then holds ``limit + 1`` lines).
    chunk_bytes : int
        Bytes counted at a time. [B]

    Returns
    -------
    found : dict
        Text -> the 1-based numbers of the lines equal to it, ascending.
    counted : (int, bool)
        :func:`newline_count` of the file.
    """
    found: dict[bytes, list[int]] = {t: [] for t in texts}
    count, carry = 0, b""  # count: LFs before ``carry``, the line the last chunk cut
    with open(path, "rb") as fh:  # read, not mapped: a mapped file's pages count as RSS
        while chunk := fh.read(chunk_bytes):
            buf = carry + chunk if carry else chunk
            cut = buf.rfind(b"\n") + 1  # buf[:cut]: whole lines, from line count + 1
            if not cut:
                carry = buf
                continue
            for text, lines in found.items():
                if count and _ends_at(buf, len(text)) and buf.startswith(text):
                    lines.append(count + 1)  # buf's first line (line 1 is never a match)
                needle, pos = b"\n" + text, -1
                while len(lines) <= limit and (pos := buf.find(needle, pos + 1, cut)) >= 0:
                    if _ends_at(buf, pos + len(needle)):
                        lines.append(count + buf.count(b"\n", 0, pos) + 2)
            count += buf.count(b"\n", 0, cut)
            carry = buf[cut:]
    last = carry.removesuffix(b"\r")  # the last line, when it has no LF
    if carry and count and last in found and len(found[last]) <= limit:
        found[last].append(count + 1)
    return found, (count, not carry and count > 0)


def _ends_at(buf: bytes, end: int) -> bool:
    """Whether a line of ``buf`` ends at ``end`` (LF or CRLF there)."""
    return buf[end : end + 1] == b"\n" or buf[end : end + 2] == b"\r\n"


def scan_records(
    path, delimiter: str, header_lines: int, width: int, unit: str = "line", strict: bool = False
):
    """Physical start line of every data record; records whose field count is not
    ``width`` are errors naming their line.

    Returns
    -------
    array of int
        Start line of data record ``i`` at index ``i`` (blank lines skipped).

    Raises
    ------
    InputError
        Rows with more or fewer fields than the header, a line over the size limit.
    """
    starts, problems = array("q"), []
    csv.field_size_limit(MAX_LINE_BYTES)
    with open(path, encoding="utf-8-sig", newline="", errors="replace") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=strict)
        previous = 0
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                if start <= header_lines or not row:
                    continue
                starts.append(start)
                if len(row) != width and len(problems) < MAX_SHOWN:
                    problems.append(_field_count_problem(start, row, width))
        except csv.Error as exc:
            raise _split_error(path, previous + 1, exc, unit) from None
    if problems:
        raise InputError(str(path), problems, unit=unit)
    return starts


def _split_error(path, line: int, exc: Exception, unit: str) -> InputError:
    rule = f"cannot split the line: {exc}"
    if "unexpected end of data" in str(exc):
        rule = 'a quote (") opened in the record starting on this line is never closed'
    elif "field larger than field limit" in str(exc):
        rule = (
            f"a field starting on this line is longer than {MAX_LINE_BYTES} bytes: is a "
            'quote (") opened here and never closed?'
        )
    return InputError(str(path), [Problem(line, None, None, rule, "input.structure")], unit=unit)


def _field_count_problem(line: int, row: list[str], width: int) -> Problem:
    text = ",".join(row)
    shown = text if len(text) <= 80 else text[:77] + "..."
    if len(row) > width:
        rule = f"{len(row)} fields but the header has {width}: an extra field (nothing is dropped)"
    else:
        rule = f"{len(row)} fields but the header has {width} (is the line cut short?)"
    return Problem(line, None, shown, rule, "input.field_count")


# An XLSX is inflated by its reader (openpyxl holds every cell): the XML it holds is
# bounded, so a small zip that inflates to gigabytes (a zip bomb) is refused unread.
# 64 MiB of sheet XML is ~1M rows of three columns (~0.5 GB peak to read).
MAX_XLSX_INFLATED_BYTES = 64 << 20


def check_xlsx_size(path, limit: int = MAX_XLSX_INFLATED_BYTES) -> None:
    """Refuse a workbook whose members inflate to more than ``limit`` bytes, or that is
    not a zip at all (the sizes are the zip's own: a reader stops at them).

    Raises
    ------
    InputError
        ``input.too_large`` or ``input.unreadable``, naming the file.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            inflated = sum(info.file_size for info in book.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        rule = f"not a readable XLSX workbook (a zip file): {exc}"
        raise InputError(str(path), [Problem(None, None, None, rule, "input.unreadable")]) from None
    if inflated > limit:
        rule = (
            f"the workbook inflates to {inflated} bytes of XML; the limit is {limit} bytes "
            "(save a sheet this large as CSV)"
        )
        raise InputError(str(path), [Problem(None, None, None, rule, "input.too_large")])


def xlsx_formulas_without_value(path, sheet: str | None = None) -> list[str]:
    """Cells of a sheet holding a formula with no cached value (read as blank otherwise).

    Only sheets whose XML contains a formula at all are parsed, cell by cell.

    Returns
    -------
    list of str
        Cell references such as ``C7``.
    """
    import zipfile
    from xml.etree.ElementTree import iterparse

    with zipfile.ZipFile(path) as book:
        member = _sheet_member(book, sheet)
        if member is None:
            return []
        if not _has_formula(book, member):
            return []
        out = []
        with book.open(member) as fh:
            for _, elem in iterparse(fh):
                if elem.tag.endswith("}c"):
                    tags = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
                    value = tags.get("v")
                    if "f" in tags and (value is None or not (value.text or "").strip()):
                        out.append(elem.get("r"))
                    elem.clear()
        return out


def _has_formula(book, member: str) -> bool:
    """Whether a sheet's XML has an ``<f>`` (or prefixed ``<x:f>``) element, streamed."""
    tail = b""
    with book.open(member) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            if b"<f>" in text or b"<f " in text or b":f>" in text or b":f " in text:
                return True
            tail = text[-8:]
    return False


def _sheet_member(book, sheet: str | None) -> str | None:
    """The zip member of a sheet (by name; the first sheet when None)."""
    from xml.etree.ElementTree import fromstring

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        workbook = fromstring(book.read("xl/workbook.xml"))
        rels = fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return None
    sheets = workbook.find(f"{ns}sheets")
    chosen = None
    for item in sheets if sheets is not None else []:
        if sheet is None or item.get("name") == sheet:
            chosen = item.get(f"{rel_ns}id")
            break
    for rel in rels:
        if rel.get("Id") == chosen:
            target = rel.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    return None


def formula_problems(path: Path, sheet: str | None = None) -> list[Problem]:
    """Formula cells without a cached value, as problems (the workbook was never
    recalculated and saved: the value is not known, so it is not read as blank)."""
    return [
        Problem(
            None,
            ref,
            None,
            "formula without a cached value: open the workbook in Excel or LibreOffice, "
            "recalculate and save it (the value is unknown, not blank)",
            "input.formula_without_value",
        )
        for ref in xlsx_formulas_without_value(path, sheet)
    ]


def read_csv_records(path, delimiter: str, header_lines: int = 1, unit: str = "line"):
    """A small CSV (UTF-8) as header, rows of stripped text (None for blanks) and the
    physical start line of each row.

    Raises
    ------
    InputError
        Rows with a field count other than the header's, an unsplittable line.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    header, rows, lines, problems = None, [], [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, skipinitialspace=True)
        previous = 0
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                if start < header_lines or not row:
                    continue
                if header is None:
                    header = [h.strip() for h in row]
                    continue
                if len(row) != len(header) and len(problems) < MAX_SHOWN:
                    problems.append(_field_count_problem(start, row, len(header)))
                rows.append([(c.strip() or None) for c in row])
                lines.append(start)
        except csv.Error as exc:
            raise _split_error(path, previous + 1, exc, unit) from None
    if problems:
        raise InputError(str(path), problems, unit=unit)
    return header or [], rows, lines
