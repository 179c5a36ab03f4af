"""Read an input file exactly as ``load`` would, without a database: pvlib-style
``read_*`` functions returning ``(DataFrame, metadata)`` and writing nothing.

:func:`read_readings` opens the file with the loader's own reader
(:func:`greenpark.io.tabular.open_tabular`: encoding, delimiter, header below title
rows), plans its columns (:func:`greenpark.loaders.columns.plan_columns`), stages every
cell as text with its line number as the careful path does, in an in-memory DuckDB, and
parses timestamps and values with the loader's formats. :func:`read_table` does the same
for the registry-like tables (meters, enterprises, production, green power, factor
overrides, roofs) with their row rules. ``greenpark preview`` prints both.
"""

from __future__ import annotations

from pathlib import Path

from greenpark.core.errors import InputError
from greenpark.io.tabular import TOTAL_LABELS, drop_total_rows, open_tabular, read_small_table
from greenpark.loaders.columns import plan_columns, rename_columns

READINGS_COLUMNS = ["meter_id", "timestamp", "value", "line"]
TABLE_KINDS = (
    "meters",
    "enterprises",
    "production",
    "green_power",
    "factor_overrides",
    "product_energy",
    "process_emissions",
    "roofs",
    "waste",
    "water",
    "waste_heat",
    "wind_sites",
)
# Every kind ``greenpark preview --kind`` reads (readings and weather have their readers).
KINDS = ("readings", *TABLE_KINDS, "weather")
# A problem found on more than this many rows of one column is counted, not listed.
LINES_SHOWN = 5


def read_readings(
    path,
    layout: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    timestamp_convention: str = "start",
    timestamp_format: str | None = None,
    interval_minutes: float | None = None,
):
    """A readings file as ``load readings`` reads it, without touching any database.

    Parameters
    ----------
    path : str or Path
        CSV, XLSX or Parquet; long or wide.
    layout, mapping, encoding, sheet, header_row, timestamp_convention,
    timestamp_format, interval_minutes
        As :class:`greenpark.loaders.readings.ReadingsOptions` (``interval_minutes``
        [min]).

    Returns
    -------
    (pandas.DataFrame, dict)
        Rows ``meter_id, timestamp, value, line``: one per meter and interval, the
        timestamp the interval's start (naive, the file's local time), the value as in
        the file (its unit, before a meter's multiplier), ``line`` the file's line or
        row; rows with problems and total rows are left out. Metadata: ``file, format,
        encoding, delimiter, header_row, title_rows, layout, columns`` (canonical name
        -> header), ``rows, meters, ts_min, ts_max, interval_min`` (per meter [min]),
        ``total_rows`` (lines), ``problems`` (per column and rule: count, first lines,
        first value) and ``hints`` (e.g. the other timestamp convention).

    Raises
    ------
    InputError
        What ``load`` refuses before reading rows: a missing file, an unknown encoding,
        a mapped column that is not there.
    """
    import duckdb

    from greenpark.loaders.readings import ReadingsOptions
    from greenpark.loaders.readings_careful import _stage
    from greenpark.loaders.readings_job import Job

    options = ReadingsOptions(
        layout=layout,
        mapping=dict(mapping or {}),
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
        timestamp_convention=timestamp_convention,
        timestamp_format=timestamp_format,
        interval_minutes=interval_minutes,
    )
    tab = open_tabular(path, encoding, sheet, header_row)
    con = duckdb.connect()
    try:
        plan = plan_columns(str(path), tab.columns, options.mapping, layout, tab.row_unit)
        job = Job(con, tab, plan, options, "UTC", None, None, lambda text: None)
        _stage(job)
        _parse(con, options)
        frame = _rows(con)
        meta = _metadata(tab, plan, con, frame)
    finally:
        con.close()
        tab.cleanup()
    meta["hints"] = convention_hints(frame, timestamp_convention, meta["interval_min"])
    return frame, meta


def _parse(con, options) -> None:
    """``gp_prev``: the staged cells parsed; ``kind`` names what is wrong, if anything."""
    from greenpark.loaders.readings_careful import TIMESTAMP_FORMATS

    formats = ([options.timestamp_format] if options.timestamp_format else []) + TIMESTAMP_FORMATS
    labels = sorted(t.replace(" ", "") for t in TOTAL_LABELS)
    con.execute(
        """
        CREATE TEMP TABLE gp_prev AS
        SELECT *, CASE
            WHEN rtrim(lower(replace(trim(ts_raw), ' ', '')), ':：') IN (SELECT unnest(?))
              OR rtrim(lower(replace(trim(meter_id), ' ', '')), ':：') IN (SELECT unnest(?))
              THEN 'total'
            WHEN meter_id IS NULL THEN 'meter id is blank'
            WHEN ts_raw IS NULL THEN 'timestamp is blank'
            WHEN ts_local IS NULL THEN 'cannot parse timestamp'
            WHEN value_raw IS NULL THEN 'value is blank'
            WHEN value IS NULL OR NOT isfinite(value) THEN 'value is not a number' END AS kind
        FROM (SELECT row_no, col, trim(meter_id) AS meter_id, ts_raw, value_raw,
                     coalesce(try_cast(trim(ts_raw) AS TIMESTAMP),
                              try_strptime(trim(ts_raw), ?)) AS ts_local,
                     try_cast(trim(value_raw) AS DOUBLE) AS value FROM gp_stg)""",
        [labels, labels, formats],
    )
    shift = "INTERVAL 0 SECOND"
    if options.timestamp_convention == "end":
        shift = f"INTERVAL ({float(options.interval_minutes or 0) * 60}) SECOND"
        if not options.interval_minutes:
            shift = "coalesce(i.step, INTERVAL 0 SECOND)"
    con.execute(f"""
        CREATE TEMP TABLE gp_prev_ok AS
        WITH i AS (SELECT meter_id, mode(d) AS step FROM (
            SELECT meter_id, ts_local - lag(ts_local) OVER w AS d FROM gp_prev
            WHERE kind IS NULL WINDOW w AS (PARTITION BY meter_id ORDER BY ts_local))
            WHERE d > INTERVAL 0 SECOND GROUP BY meter_id)
        SELECT p.meter_id, p.ts_local - {shift} AS timestamp, p.value, p.row_no AS line,
               epoch(i.step) / 60.0 AS interval_min
        FROM gp_prev p LEFT JOIN i USING (meter_id) WHERE p.kind IS NULL""")  # noqa: S608


def _rows(con):
    sql = "SELECT meter_id, timestamp, value, line FROM gp_prev_ok ORDER BY meter_id, timestamp"
    frame = con.execute(sql).df()
    frame["meter_id"] = frame["meter_id"].astype(object)
    return frame


def _metadata(tab, plan, con, frame) -> dict:
    columns = {"timestamp": plan.source[plan.timestamp]}
    if plan.layout == "long":
        columns |= {"meter_id": plan.source[plan.meter_id], "value": plan.source[plan.value]}
    else:
        columns |= {meter: header for _, meter, header in plan.meter_columns}
    intervals = dict(
        con.execute(
            "SELECT meter_id, any_value(interval_min) FROM gp_prev_ok "
            "WHERE interval_min IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    totals = con.execute(
        "SELECT DISTINCT row_no FROM gp_prev WHERE kind = 'total' ORDER BY 1"
    ).fetchall()
    return {
        **_file_metadata(tab),
        "layout": plan.layout,
        "columns": columns,
        "rows": len(frame),
        "meters": sorted(set(frame["meter_id"])),
        "ts_min": None if frame.empty else frame["timestamp"].min().to_pydatetime(),
        "ts_max": None if frame.empty else frame["timestamp"].max().to_pydatetime(),
        "interval_min": intervals,
        "total_rows": [r[0] for r in totals],
        "problems": _problems(con),
    }


def _file_metadata(tab) -> dict:
    return {
        "file": str(tab.path),
        "format": tab.fmt,
        "encoding": tab.encoding,
        "delimiter": tab.delimiter if tab.fmt == "csv" else None,
        "header_row": tab.header_row if tab.fmt != "parquet" else None,
        "title_rows": [line for line, _ in tab.skipped],
    }


def _problems(con) -> list[dict]:
    """One entry per column and rule: the count, the first lines and the first value."""
    rows = con.execute(f"""
        SELECT col, kind, count(*), list(row_no ORDER BY row_no)[1:{LINES_SHOWN}],
               arg_min(coalesce(CASE WHEN kind LIKE 'value%' THEN value_raw END, ts_raw,
                                meter_id), row_no)
        FROM gp_prev WHERE kind IS NOT NULL AND kind <> 'total'
        GROUP BY col, kind ORDER BY min(row_no)""").fetchall()  # noqa: S608
    keys = ("column", "rule", "count", "lines", "value")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def convention_hints(frame, declared: str, intervals: dict) -> list[str]:
    """:func:`convention_hint` of a :func:`read_readings` frame (its meters sharing one
    interval), as a list of sentences (empty when nothing suggests a mistake)."""
    import datetime as dt

    steps = {round(v * 60) for v in intervals.values() if v == v and v}
    if frame.empty or len(steps) != 1:
        return []
    first, last = frame["timestamp"].min(), frame["timestamp"].max()
    step = dt.timedelta(seconds=steps.pop())
    hint = convention_hint(declared, first.to_pydatetime(), last.to_pydatetime(), step)
    return [hint] if hint else []


def convention_hint(declared: str, first, last, step) -> str | None:
    """Suggest the other timestamp convention when a file's interval starts show it.

    ``first`` and ``last`` are the first and last interval starts as read (naive local
    datetimes), ``step`` the interval (timedelta). Read as ``start``, stamps from 00:15 /
    01:00 (one interval after midnight) to 00:00 of a day are the interval-end pattern;
    read as ``end``, interval starts from 23:45 / 23:00 of the day before (the first stamp
    at 00:00) to one interval before the last 23:xx are the interval-start pattern.
    """
    import datetime as dt

    if not step:
        return None
    day = dt.timedelta(days=1)

    def clock(ts):
        return ts - dt.datetime(ts.year, ts.month, ts.day)

    if declared == "start" and clock(first) == step and clock(last) == dt.timedelta(0):
        return (
            f"the first stamp is {first:%H:%M} and the last {last:%Y-%m-%d %H:%M}: this looks "
            "like interval-end stamps; use --timestamp-convention end"
        )
    if declared == "end" and clock(first) == day - step and clock(last) == day - 2 * step:
        return (
            f"the first stamp is {first + step:%Y-%m-%d %H:%M} and the last "
            f"{last + step:%H:%M}: this looks like interval-start stamps; use "
            "--timestamp-convention start"
        )
    return None


def read_table(
    kind: str,
    path,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """A registry-like table as its ``load`` command reads it, writing nothing.

    Parameters
    ----------
    kind : str
        One of :data:`TABLE_KINDS`: ``meters``, ``enterprises``, ``production``,
        ``green_power``, ``factor_overrides``, ``product_energy``, ``process_emissions``,
        ``roofs``, ``waste``, ``water``, ``waste_heat``, ``wind_sites``. Rules against
        stored data (the enterprise or the heat meter must be registered, a month not in
        the future of the park's clock) are checked by ``load``, not here (a month after
        the current UTC month is still refused).
    path : str or Path
    mapping, encoding, sheet, header_row
        As the load command's options.

    Returns
    -------
    (pandas.DataFrame, dict)
        The rows under their canonical column names (total rows left out), typed where
        the table's rules parse them (text otherwise); metadata ``file, format,
        encoding, delimiter, header_row, title_rows, columns, rows, total_rows,
        problems`` (each: line, column, value, rule).
    """
    import pandas as pd

    if kind not in TABLE_KINDS:
        raise ValueError(f"kind {kind!r}: one of {', '.join(TABLE_KINDS)}")
    tab = open_tabular(Path(path), encoding, sheet, header_row)
    try:
        frame, totals = drop_total_rows(read_small_table(tab), tab)
    finally:
        tab.cleanup()
    names = _table_names(kind)
    headers = [str(c) for c in frame.columns]
    frame = rename_columns(frame, dict(mapping or {}), names, kind, tab)
    sources = dict(zip(map(str, frame.columns), headers, strict=True))
    problems, typed = [], frame
    if kind != "meters":
        from greenpark.loaders.tables import parse_rows

        try:
            spec = _spec(kind, Path(path))
            rows, _ = parse_rows(frame, spec, str(path), tab.header_lines, tab.row_unit)
            typed = pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows])
        except InputError as exc:
            problems = [vars(p) for p in exc.problems]
    meta = {
        **_file_metadata(tab),
        "columns": {c: sources[c] for c in frame.columns if c in names},
        "rows": len(frame),
        "total_rows": totals,
        "problems": problems,
    }
    return typed.reset_index(drop=True), meta


def _table_names(kind: str) -> list[str]:
    if kind == "meters":
        from greenpark.loaders.meters import METER_COLUMNS

        return list(METER_COLUMNS)
    return list(_spec(kind, Path(".")).names)


class _AnyMeter(frozenset):
    """Preview has no meter registry: every heat meter id passes (``load`` checks it)."""

    def __contains__(self, item) -> bool:
        return True


def _spec(kind: str, path: Path | None = None):
    """The TableSpec ``load`` uses for ``kind`` (without a database)."""
    import datetime as dt

    if kind == "roofs":
        from greenpark.loaders.roofs import ROOF_SPEC

        return ROOF_SPEC
    if kind in ("waste", "water", "waste_heat"):
        from greenpark.loaders import waste

        today = dt.datetime.now(dt.UTC).date().replace(day=1)
        if kind == "waste_heat":
            return waste.waste_heat_spec(today, _AnyMeter())
        return (waste.ledger_spec if kind == "waste" else waste.water_spec)(today)
    if kind == "wind_sites":
        import dataclasses

        from greenpark.loaders.wind_sites import WIND_SITES_SPEC, _row_check

        folder = (path or Path("wind_sites.csv")).resolve().parent
        return dataclasses.replace(WIND_SITES_SPEC, row_check=_row_check(folder, []))
    from greenpark.loaders.accounting_inputs import SPECS

    return SPECS[kind]


def read_weather(
    path,
    source_format: str | None = None,
    timezone: str | None = None,
    mapping: dict | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """A weather file as ``load weather`` reads it, writing nothing.

    Parameters
    ----------
    path : str or Path
        EPW, TMY3, PVGIS TMY (JSON/CSV) or a plain table of measured weather.
    source_format, timezone, mapping, encoding, sheet, header_row
        As ``greenpark load weather`` (``--source-format`` ...).

    Returns
    -------
    (pandas.DataFrame, dict)
        Rows ``ts`` (UTC interval start), ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air``
        [degC], ``wind_speed`` [m/s], ``pressure_pa`` [Pa] as read (before the load's
        resampling to hours, gap filling and decomposition); metadata ``file, format
        (the weather format), encoding, delimiter, header_row, title_rows, columns,
        rows, ts_min, ts_max, interval_min, missing_hours`` (hours absent between the
        first and last stamp), ``total_rows``, ``latitude, longitude, typical_year``,
        ``findings`` (code: message) and ``problems`` (empty: a weather file with a bad
        cell is refused as a whole, see :class:`greenpark.core.errors.InputError`).
    """
    import pandas as pd

    from greenpark.io.weather import read_weather as read

    data, meta = read(path, source_format, timezone, mapping, encoding, sheet, header_row)
    layout = meta.get("layout") or {}
    steps = pd.Series(data.index).diff().dropna()
    step = steps.mode().iloc[0] if len(steps) else None
    hours = 0
    if len(data) > 1:
        expected = pd.date_range(data.index[0], data.index[-1], freq="1h")
        hours = int(len(expected.difference(data.index.floor("1h"))))
    out = {
        "file": str(path),
        "format": meta["source_format"],
        "encoding": layout.get("encoding"),
        "delimiter": layout.get("delimiter"),
        "header_row": layout.get("header_row"),
        "title_rows": [line for line, _ in layout.get("title_rows", [])],
        "columns": layout.get("columns", {}),
        "rows": len(data),
        "ts_min": None if data.empty else data.index[0].to_pydatetime(),
        "ts_max": None if data.empty else data.index[-1].to_pydatetime(),
        "interval_min": {} if step is None else {"all": step.total_seconds() / 60.0},
        "missing_hours": hours,
        "total_rows": layout.get("total_rows", []),
        "latitude": meta["latitude"],
        "longitude": meta["longitude"],
        "typical_year": meta["typical_year"],
        "findings": [str(f) for f in meta["findings"]],
        "problems": [],
    }
    return data.reset_index(), out


def read_file(kind: str, path, **options):
    """Any loadable file read as its ``load`` command reads it: :func:`read_readings`
    (``kind="readings"``), :func:`read_weather` or :func:`read_table`; writing nothing.

    Returns
    -------
    (pandas.DataFrame, dict)
    """
    if kind == "readings":
        return read_readings(path, **options)
    if kind == "weather":
        return read_weather(path, **options)
    return read_table(kind, path, **options)


def read_meters(path, **options):
    """:func:`read_table` of a meter registry: ``(DataFrame, metadata)``."""
    return read_table("meters", path, **options)


def read_waste(path, **options):
    """:func:`read_table` of a waste ledger: ``(DataFrame, metadata)``."""
    return read_table("waste", path, **options)


def read_water(path, **options):
    """:func:`read_table` of a monthly water file: ``(DataFrame, metadata)``."""
    return read_table("water", path, **options)


def read_waste_heat(path, **options):
    """:func:`read_table` of waste-heat declarations: ``(DataFrame, metadata)``."""
    return read_table("waste_heat", path, **options)


def read_process_emissions(path, **options):
    """:func:`read_table` of process emissions: ``(DataFrame, metadata)``."""
    return read_table("process_emissions", path, **options)


def read_roofs(path, **options):
    """:func:`read_table` of a roof registry: ``(DataFrame, metadata)``."""
    return read_table("roofs", path, **options)


def read_wind_sites(path, **options):
    """:func:`read_table` of a wind site registry: ``(DataFrame, metadata)``."""
    return read_table("wind_sites", path, **options)


def preview_text(meta: dict) -> str:
    """The metadata of :func:`read_readings` / :func:`read_table` as lines of text."""
    lines = [f"Preview of {meta['file']} (nothing is written)"]
    shown = ("format", "encoding", "delimiter", "header_row", "title_rows", "layout")
    shown += ("columns", "rows", "meters", "ts_min", "ts_max", "interval_min", "total_rows")
    shown += ("missing_hours", "findings")
    for key in shown:
        if key in meta and meta[key] not in (None, [], {}):
            lines.append(f"  {key}: {_text(meta[key])}")
    for p in meta.get("problems", []):
        if "count" in p:
            where = ", ".join(map(str, p["lines"]))
            what = f"{p['count']} row(s), first: {where}; value {p['value']!r}"
            lines.append(f"  problem: column {p['column']!r}: {p['rule']} ({what})")
        else:
            where = f"line {p['line']}, column {p['column']!r}"
            lines.append(f"  problem: {where}: {p['rule']} (value {p['value']!r})")
    lines += [f"  hint: {hint}" for hint in meta.get("hints", [])]
    return "\n".join(lines)


def _text(value) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(map(str, value[:20])) + (" ..." if len(value) > 20 else "")
    return str(value)
