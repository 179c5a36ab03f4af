"""Measured weather as a plain table (CSV, XLSX, Parquet, read like every loader's table) and
the CSV helpers the wind files share.

Mast and power-curve cells are read with :func:`greenpark.io.structure.read_csv_records`
(weather tables with :func:`greenpark.io.tabular.open_tabular`), so every error names the
*physical* line (blank lines and quoted newlines counted); numbers go through the one
strict grammar (:mod:`greenpark.io.numbers`) within physical bounds; a timestamp must be
the whole cell (ISO date and time, an optional offset, a year in 1900-2199).
"""

from __future__ import annotations

from pathlib import Path

from greenpark.core.errors import InputError, Problem
from greenpark.io.files import MAX_LINE_BYTES
from greenpark.io.weather import CSV_ALIASES, WEATHER_COLUMNS, _finding, _meta


def read_measured_csv(
    path: str | Path,
    timezone: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """A table of measured weather: timestamp (interval start), ghi, [dni, dhi],
    temp_air, [wind_speed].

    Read like every loader's table (:func:`greenpark.io.tabular.open_tabular`): CSV in
    UTF-8 or GBK (``encoding``, detected when None), XLSX (``sheet``) or Parquet, the
    header on ``header_row`` or detected below title rows, total rows (合计, Total ...)
    left out; ``metadata["layout"]`` says which rows were skipped (``title_rows``,
    ``total_rows``, physical lines) and how the file was read (``format``,
    ``encoding``, ``delimiter``, ``header_row``, ``row_unit``).

    Timestamps with a UTC offset (``2025-06-01T08:00+08:00``) are converted to UTC;
    naive ones need ``timezone``. Sub-hourly data are kept at their resolution here
    (the loader resamples them to hourly).

    Raises
    ------
    InputError
        Missing columns, unparseable numbers or timestamps, naive timestamps without a
        timezone, repeated timestamps; naming the physical line.
    """
    import pandas as pd

    from greenpark.io.tabular import drop_total_rows, open_tabular, read_small_table

    path = Path(path)
    tab = open_tabular(path, encoding, sheet, header_row)
    try:
        raw, totals = drop_total_rows(read_small_table(tab), tab)
    finally:
        tab.cleanup()
    physical = raw.attrs.get("lines")
    lines = [physical[i] if physical else i + 1 + tab.header_lines for i in raw.index]
    raw = raw.reset_index(drop=True)
    raw = raw.where(raw.notna(), "")
    columns = _csv_columns(raw, path, mapping or {})
    frame = pd.DataFrame({c: raw[src] for c, src in columns.items()})
    ts = csv_timestamps(frame["timestamp"], columns["timestamp"], path, timezone, lines)
    data = pd.DataFrame(index=pd.DatetimeIndex(ts, name="ts"))
    for col in WEATHER_COLUMNS:
        data[col] = (
            csv_numbers(frame[col], columns[col], path, col, lines)
            if col in columns
            else float("nan")
        )
    dup = data.index.duplicated()
    if dup.any():
        i = int(dup.argmax())
        raise InputError(
            str(path),
            [
                Problem(
                    lines[i],
                    columns["timestamp"],
                    str(frame["timestamp"].iloc[i]),
                    "timestamp repeated",
                    "weather.duplicate",
                )
            ],
            unit=tab.row_unit,
        )
    findings = []
    if "wind_speed" not in columns:
        findings.append(
            _finding(
                "weather.no_wind", "no wind_speed column: 1 m/s assumed (greenpark assumption)"
            )
        )
        data["wind_speed"] = 1.0
    meta = _meta(path, "csv", False, None, None, None, findings)
    meta["layout"] = {
        "format": tab.fmt,
        "encoding": tab.encoding,
        "delimiter": tab.delimiter if tab.fmt == "csv" else None,
        "header_row": tab.header_row if tab.fmt != "parquet" else None,
        "row_unit": tab.row_unit,
        "title_rows": list(tab.skipped),
        "total_rows": list(totals),
        "columns": dict(columns),
    }
    return data.sort_index(), meta


def _csv_columns(raw, path: Path, mapping: dict) -> dict:
    headers = {str(h).strip().lower(): h for h in raw.columns}
    columns = {}
    for canonical, aliases in CSV_ALIASES.items():
        if canonical in mapping:
            if mapping[canonical] not in raw.columns:
                raise InputError(
                    str(path),
                    [
                        Problem(
                            1,
                            mapping[canonical],
                            None,
                            f"--map {canonical}: no such column",
                            "input.map",
                        )
                    ],
                )
            columns[canonical] = mapping[canonical]
            continue
        found = next((headers[a] for a in aliases if a in headers), None)
        if found is not None:
            columns[canonical] = found
    missing = [c for c in ("timestamp", "ghi", "temp_air") if c not in columns]
    if missing:
        raise InputError(
            str(path),
            [
                Problem(
                    1,
                    m,
                    None,
                    f"required column is missing; the file has: {', '.join(map(str, raw.columns))}",
                    "input.missing_column",
                )
                for m in missing
            ],
        )
    if ("dni" in columns) != ("dhi" in columns):
        raise InputError(
            str(path),
            [
                Problem(
                    1,
                    "dni" if "dni" not in columns else "dhi",
                    None,
                    "give both dni and dhi, or neither (GHI only is decomposed with Erbs)",
                    "input.missing_column",
                )
            ],
        )
    return columns


# A measured-weather timestamp: an ISO date and time, an optional offset; nothing else
# (pandas alone would read ``2025-06`` as a midnight and ``0001-01-01`` as a year).
TIMESTAMP_RE = (
    r"^(?P<year>\d{4})-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
    r"\s?(?P<offset>Z|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)?$"
)


def read_table(path: Path):
    """A small UTF-8 CSV (weather, a wind mast, a power curve) as text cells and the
    physical start line of each row.

    Returns
    -------
    (pandas.DataFrame, list of int)
        Cells as stripped text (``""`` for blanks) under the file's headers; the
        physical line of row ``i`` at index ``i``.

    Raises
    ------
    InputError
        A line over the size limit, bytes that are not UTF-8, an empty or repeated
        header, a row with another field count than the header, no data rows.
    """
    import pandas as pd

    from greenpark.io.structure import check_header, first_long_line, read_csv_records

    long_line = first_long_line(path)
    if long_line is not None:
        rule = f"line is longer than {MAX_LINE_BYTES} bytes (the limit per line)"
        raise InputError(str(path), [Problem(long_line, None, None, rule, "input.long_line")])
    try:
        header, rows, lines = read_csv_records(path, ",")
    except UnicodeDecodeError as exc:
        rule = f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"
        raise InputError(str(path), [Problem(None, None, None, rule, "input.encoding")]) from None
    check_header(path, header)
    if not rows:
        rule = "no data rows after the header"
        raise InputError(str(path), [Problem(None, None, None, rule, "input.no_rows")])
    raw = pd.DataFrame([[c or "" for c in r] for r in rows], columns=header, dtype=str)
    return raw, lines


def csv_timestamps(text, header: str, path: Path, timezone: str | None, lines=None):
    """One column of timestamp cells as a UTC DatetimeIndex (see the module docstring)."""
    import pandas as pd

    lines = lines if lines is not None else range(2, len(text) + 2)

    from greenpark.io.dates import YEARS

    cells = text.str.strip()
    shape = cells.str.extract(TIMESTAMP_RE)
    rule = (
        "not a timestamp: the whole cell must be YYYY-MM-DD HH:MM[:SS][Z|+HH:MM], "
        f"a real date, in the years {YEARS[0]}-{YEARS[1]}"
    )
    if shape["year"].isna().any():
        i = int(shape["year"].isna().to_numpy().argmax())
        raise InputError(
            str(path), [Problem(lines[i], header, text.iloc[i], rule, "weather.timestamp")]
        )
    aware = shape["offset"].notna()
    if aware.any() and not aware.all():
        i = int((aware != aware.iloc[0]).to_numpy().argmax())
        rule = "timestamps with and without a UTC offset in one file: which zone is meant?"
        raise InputError(
            str(path), [Problem(lines[i], header, text.iloc[i], rule, "weather.timestamp")]
        )
    # Mixed offsets (Z, +08:00) are each converted to UTC; naive ones are parsed as given.
    parsed = pd.to_datetime(cells, errors="coerce", utc=bool(aware.any()), format="mixed")
    bad = parsed.isna() | ~shape["year"].astype(int).between(*YEARS)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(
            str(path), [Problem(lines[i], header, text.iloc[i], rule, "weather.timestamp")]
        )
    index = pd.DatetimeIndex(parsed)
    if index.tz is not None:
        return index.tz_convert("UTC")
    if timezone is None:
        raise InputError(
            str(path),
            [
                Problem(
                    lines[0],
                    header,
                    text.iloc[0],
                    "timestamp has no "
                    "timezone and a plain CSV does not define one: "
                    "pass --timezone (e.g. Asia/Shanghai) or write "
                    "offsets like 2025-06-01T08:00+08:00",
                    "weather.naive_timestamp",
                )
            ],
        )
    from greenpark.io.timezones import local_to_utc

    conv = local_to_utc(pd.Series(index), timezone)
    bad = conv["problem"].notna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(
            str(path),
            [
                Problem(
                    lines[i],
                    header,
                    text.iloc[i],
                    conv["problem"][bad].iloc[0],
                    "weather.timestamp",
                )
            ],
        )
    return pd.DatetimeIndex(conv["ts_utc"]).tz_localize("UTC")


# Physical bounds of measured weather: values outside are errors, not data. Irradiance:
# never negative, and below 2000 W/m2 (the solar constant is 1361 W/m2, Kopp & Lean 2011,
# doi:10.1029/2010GL045777; cloud enhancement adds at most a few hundred for minutes).
# Air temperature: the WMO extremes are -89.2 and 56.7 degC. Wind: 0-100 m/s.
BOUNDS = {
    "ghi": (0.0, 2000.0, "W/m2"),
    "dni": (0.0, 2000.0, "W/m2"),
    "dhi": (0.0, 2000.0, "W/m2"),
    "temp_air": (-90.0, 60.0, "degC"),
    "wind_speed": (0.0, 100.0, "m/s"),
}


def csv_numbers(
    text, header: str, path: Path, column: str | None = None, lines: list | None = None
):
    """One column's cells by the strict number grammar, within the column's bounds.

    Every bad cell of the column is counted: one problem for the column (its first bad
    cell, with the count and the first lines), not one per row."""
    import numpy as np

    from greenpark.io.numbers import current_format, parse_number

    lines = lines if lines is not None else list(range(2, len(text) + 2))
    low, high, unit = BOUNDS.get(column, (-np.inf, np.inf, ""))
    values = np.full(len(text), np.nan)
    bad: list[tuple[int, str, str]] = []
    fmt = current_format()
    seen: dict = {}  # cell text -> its value (weather repeats its values: 0 W/m2 at night)
    for i, cell in enumerate(text.tolist()):
        value = seen.get(cell)
        if value is None:
            if not str(cell).strip():
                continue
            try:
                value = seen[cell] = parse_number(cell, fmt)
            except ValueError as exc:
                bad.append((lines[i], cell, f"must be a number: {exc}"))
                continue
        if not low <= value <= high:
            bad.append(
                (lines[i], cell, f"must be within {low:g}..{high:g} {unit} (a physical bound)")
            )
            continue
        values[i] = value
    if bad:
        line, cell, rule = bad[0]
        if len(bad) > 1:
            shown = ", ".join(str(b[0]) for b in bad[:5])
            rule += f" ({len(bad)} cells of this column: {shown}{' ...' if len(bad) > 5 else ''})"
        raise _value_error(path, line, header, cell, rule)
    return values


def _value_error(path: Path, line: int, header: str, cell: str, rule: str) -> InputError:
    return InputError(str(path), [Problem(line, header, cell, rule, "weather.value")])
