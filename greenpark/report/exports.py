"""``greenpark export TABLE``: one metric table as CSV, Parquet, JSON or XLSX.

CSV cells that a spreadsheet would read as formulas are prefixed with ``'`` (OWASP CSV
injection), XLSX text is written as text, columns carry their unit in the name.
"""

from __future__ import annotations

from pathlib import Path

from greenpark.core.errors import GreenparkError

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


def export_table(store, table: str, month: str | None = None, year: str | None = None):
    """The DataFrame of ``table`` for the period.

    Raises
    ------
    GreenparkError
        Unknown table, or a period the table does not take.
    """
    if table not in TABLES:
        raise GreenparkError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    need = TABLES[table][1]
    if need == "month" and month is None:
        raise GreenparkError(f"export {table} needs --month YYYY-MM")
    if need in ("either", "year") and month is None and year is None:
        raise GreenparkError(f"export {table} needs --month YYYY-MM or --year YYYY")
    year = year if year is not None or month is None else month[:4]
    return _TABLE_FUNCS[table](store, month, year)


def _energy(by):
    def get(store, month, year):
        from greenpark.metrics.energy import energy

        return energy(store, month=month, by=by) if month else energy(store, by=by, year=year)

    return get


def _carbon(by):
    def get(store, month, year):
        from greenpark.metrics.carbon.tables import carbon_table

        return carbon_table(store, month=month, year=None if month else year, by=by)

    return get


def _ledger(store, month, year):
    from greenpark.metrics.carbon.tables import ledger

    return ledger(store, month=month, year=None if month else year)


def _intensities(store, month, year):
    from greenpark.metrics.carbon.tables import intensities

    return intensities(store, month)


def _waste(store, month, year):
    from greenpark.metrics.waste import waste_rates

    return (waste_rates(store, month=month) if month else waste_rates(store, year=year)).frame


def _resources(store, month, year):
    from greenpark.metrics.resources import resources_table

    return resources_table(store, year).frame


def _resource_indicators(store, month, year):
    from greenpark.metrics.resources import resource_indicators

    return resource_indicators(store, year).frame


def _quality(store, month, year):
    from greenpark.metrics.quality import check

    return check(store, month=month)


def _factors(store, month, year):
    from greenpark.metrics.carbon.factor_tables import factor_library

    return factor_library()


def _zero_carbon(store, month, year):
    try:
        from greenpark.metrics import zerocarbon
    except ImportError:
        raise GreenparkError("zero-carbon indicators are not available in this greenpark") from None
    return (
        zerocarbon.indicators(store, month=month)
        if month
        else zerocarbon.indicators(store, year=year)
    )


def _pv(store, month, year):
    from greenpark.metrics.pv.value import value

    return value(store, int(year)).frame


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


def write_export(frame, fmt: str, path: str | Path | None, sheet: str = "data") -> str | None:
    """Write ``frame`` as ``fmt`` to ``path``; CSV and JSON without a path are returned as
    text for stdout.

    Raises
    ------
    GreenparkError
        Unknown format, a binary format without a path, or a path that cannot be written.
    """
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
        check_writable_file(path).write_text(text, encoding="utf-8")
        return None
    path = check_writable_file(path)
    if fmt == "xlsx":
        from greenpark.report.workbook import write_frame_xlsx

        write_frame_xlsx(frame, path, sheet[:31])
    else:
        _parquet(frame, path)
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
