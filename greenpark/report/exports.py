"""``greenpark export TABLE``: one metric table as CSV, Parquet, JSON or XLSX.

Each table is one registry line: a metric function returning a
:class:`~greenpark.core.findings.Result` for a :class:`~greenpark.core.periods.Period`.

CSV cells that a spreadsheet would read as formulas are prefixed with ``'`` (OWASP CSV
injection), XLSX text is written as text, columns carry their unit in the name.
"""

from __future__ import annotations

from pathlib import Path

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import Period, period_of

EXPORT_FORMATS = ("csv", "parquet", "json", "xlsx")
# table -> (description, period: "month", "year", "either" or "none")
TABLES: dict[str, tuple[str, str]] = {
    "energy": ("energy per carrier and flow, with coverage", "either"),
    "energy-meters": ("energy per meter, with coverage", "either"),
    "carbon": ("energy and CO2 by scope (location- and market-based)", "either"),
    "carbon-sources": ("energy and CO2 by source", "either"),
    "carbon-enterprises": ("energy, CO2 and intensities per enterprise", "either"),
    "carbon-industries": ("energy, CO2 and intensities per industry", "either"),
    "ledger": ("every activity x factor line", "either"),
    "intensities": ("intensities: month, YTD, rolling 12 months", "month"),
    "waste": ("waste quantities and rates", "either"),
    "resources": ("water reuse and waste heat per month", "year"),
    "resource-indicators": ("zero-carbon resource indicators", "year"),
    "quality": ("data-quality findings", "month"),
    "factors": ("the shipped factor library", "none"),
    "zero-carbon": ("zero-carbon park indicators", "either"),
    "pv": ("value of the stored rooftop PV estimate", "year"),
}


def export_result(store, table: str, period=None):
    """The :class:`~greenpark.core.findings.Result` of ``table`` for ``period``.

    Parameters
    ----------
    table : str
        A key of :data:`TABLES`.
    period : Period or None
        A month or a year (:data:`TABLES` says which a table takes); a table of a year
        given a month uses the month's calendar year.

    Raises
    ------
    GreenparkError
        Unknown table, or a period the table does not take.
    """
    if table not in TABLES:
        raise GreenparkError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    need = TABLES[table][1]
    if need == "month" and (period is None or period.kind != "month"):
        raise GreenparkError(f"export {table} needs --month YYYY-MM")
    if need in ("either", "year") and period is None:
        raise GreenparkError(f"export {table} needs --month YYYY-MM or --year YYYY")
    if need == "year":
        period = Period.year(period.last.year)
    return _TABLE_FUNCS[table](store, period)


def export_table(store, table: str, month: str | None = None, year: str | None = None, period=None):
    """The DataFrame of ``table`` (``month``/``year`` text or a ``period``); see
    :func:`export_result`."""
    given = [v for v in (month, year, period) if v is not None]
    p = period_of(month=month, year=year, period=period) if given else None
    return export_result(store, table, p).to_frame()


def _energy(by):
    def get(store, period):
        from greenpark.metrics.energy import energy_result

        return energy_result(store, period, by=by)

    return get


def _carbon(by):
    def get(store, period):
        from greenpark.metrics.carbon.tables import carbon_by

        return carbon_by(store, period, by=by)

    return get


def _ledger(store, period):
    from greenpark.metrics.carbon.tables import ledger_lines

    return ledger_lines(store, period)


def _intensities(store, period):
    from greenpark.metrics.carbon.tables import park_intensities

    return park_intensities(store, period)


def _waste(store, period):
    from greenpark.metrics.waste import waste_rates

    return waste_rates(store, period)


def _resources(store, period):
    from greenpark.metrics.resources import resources_table

    return resources_table(store, period)


def _resource_indicators(store, period):
    from greenpark.metrics.resources import resource_indicators

    return resource_indicators(store, period)


def _quality(store, period):
    from greenpark.metrics.quality import data_quality

    return data_quality(store, period)


def _factors(store, period):
    from greenpark.metrics.carbon.factor_tables import shipped_factors

    return shipped_factors()


def _zero_carbon(store, period):
    from greenpark.metrics.zerocarbon import indicators_result

    return indicators_result(store, period)


def _pv(store, period):
    from greenpark.metrics.pv.value import pv_value

    return pv_value(store, period)


_TABLE_FUNCS = {
    "energy": _energy("carrier"),
    "energy-meters": _energy("meter"),
    "carbon": _carbon("scope"),
    "carbon-sources": _carbon("source"),
    "carbon-enterprises": _carbon("enterprise"),
    "carbon-industries": _carbon("industry"),
    "ledger": _ledger,
    "intensities": _intensities,
    "waste": _waste,
    "resources": _resources,
    "resource-indicators": _resource_indicators,
    "quality": _quality,
    "factors": _factors,
    "zero-carbon": _zero_carbon,
    "pv": _pv,
}


def write_export(
    frame,
    fmt: str,
    path: str | Path | None,
    sheet: str = "data",
    encoding: str | None = None,
    lang: str = "en",
) -> str | None:
    """Write ``frame`` as ``fmt`` to ``path``; CSV and JSON without a path are returned as
    text for stdout. Files are written to a temporary name and renamed; a CSV file is
    UTF-8 with BOM unless ``encoding`` (``utf-8``, ``gb18030``) says otherwise. CSV,
    JSON and Parquet keep the column ids (stable for programs); an xlsx sheet is for
    people: ``lang`` ``zh`` gives it Chinese headers and values.

    Raises
    ------
    GreenparkError
        Unknown format, a binary format without a path, or a path that cannot be written.
    """
    from greenpark.io.csv_writer import write_text_file
    from greenpark.io.files import atomic_path, write_text_atomic
    from greenpark.report.output import render
    from greenpark.report.paths import check_writable_file

    if fmt not in EXPORT_FORMATS:
        raise GreenparkError(f"--format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt in ("parquet", "xlsx") and path is None:
        raise GreenparkError(f"--format {fmt} writes a file: give --output FILE")
    if fmt in ("csv", "json"):
        text = render(frame, fmt)
        if path is None:
            return text
        if fmt == "csv":
            write_text_file(check_writable_file(path), text, encoding)
        else:
            write_text_atomic(check_writable_file(path), text)
        return None
    path = check_writable_file(path)
    with atomic_path(path) as tmp:
        if fmt == "xlsx":
            from greenpark.report.workbook import write_frame_xlsx

            write_frame_xlsx(frame, tmp, sheet[:31], lang=lang)
        else:
            _parquet(frame, tmp)
    return None


def _parquet(frame, path: Path) -> None:
    out = frame.copy()
    out.attrs = {}
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_parquet_text).astype(object)
    out.to_parquet(path, index=False)


def _parquet_text(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)
