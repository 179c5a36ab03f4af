"""Write a report folder: ``report.html``, ``report.xlsx`` and ``summary.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from greenpark.core.errors import GreenparkError
from greenpark.report.labels import check_lang
from greenpark.report.paths import check_writable_file, report_dir

SUMMARY_TABLES = ("headline", "completeness", "carbon_scope", "energy_carrier", "zero_carbon")


@dataclass
class ReportFiles:
    """Where a report was written."""

    folder: Path
    html: Path
    xlsx: Path
    summary: Path
    empty: bool

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({"file": [str(p) for p in (self.html, self.xlsx, self.summary)]})


def write_report(
    store,
    kind: str,
    period,
    lang: str = "zh",
    output="reports",
    allow_empty: bool = False,
    generated_at: str | None = None,
    allow_incomplete: bool = False,
) -> ReportFiles:
    """Build the report of ``period`` and write it to ``output/<park id>/<period>/``.

    Parameters
    ----------
    store : greenpark.store.Store
    kind : {"monthly", "annual"}
    period : str or greenpark.core.periods.Period
        ``YYYY-MM`` (monthly) or ``YYYY`` (annual), or the Period.
    lang : {"zh", "en"}
    output : str or path-like
        Base folder (default ``reports``).
    allow_empty : bool
        Write a report that says the period has no data instead of failing.
    generated_at : str, optional
        ISO time to print as the generation time (default now).
    allow_incomplete : bool
        Write it even when a boundary meter sent nothing in the period.

    Raises
    ------
    GreenparkError
        Bad period or language, no data (without ``allow_empty``), a boundary meter
        without readings (without ``allow_incomplete``), output not writable.
    """
    from greenpark.io.files import atomic_path, write_text_atomic
    from greenpark.report.builder import build
    from greenpark.report.html import render_html
    from greenpark.report.workbook import write_workbook

    check_lang(lang)
    data = build(
        store,
        kind,
        period,
        allow_empty=allow_empty,
        generated_at=generated_at,
        allow_incomplete=allow_incomplete,
    )
    folder = report_dir(output, data.park.id, data.period)
    files = ReportFiles(
        folder, folder / "report.html", folder / "report.xlsx", folder / "summary.json", data.empty
    )
    # Each file is written to a temporary name and renamed: a full disk leaves no half file.
    write_text_atomic(files.html, render_html(data, lang))
    with atomic_path(files.xlsx) as tmp:
        write_workbook(data, tmp, lang=lang)
    write_text_atomic(files.summary, summary_json(data, files))
    return files


def write_audit(
    store,
    path,
    year: str | None = None,
    month: str | None = None,
    generated_at: str | None = None,
    period=None,
    allow_incomplete: bool = False,
    lang: str = "en",
) -> Path:
    """Write the audit workbook of a year or a month (``period``: a Period of kind year
    or month, or ``year``/``month`` text) to ``path``; ``lang`` ``zh``: Chinese sheet
    names and headers.

    Raises
    ------
    GreenparkError
        Not exactly one of the periods, no readings, a boundary meter without readings
        (unless ``allow_incomplete``), ``path`` not writable.
    """
    from greenpark.core.periods import period_of
    from greenpark.io.files import atomic_path
    from greenpark.report.builder import build
    from greenpark.report.workbook import write_workbook

    if [year, month, period].count(None) != 2:
        raise GreenparkError("give exactly one of --year YYYY or --month YYYY-MM")
    p = period_of(month=month, year=year, period=period)
    kind = "monthly" if p.kind == "month" else "annual"
    data = build(store, kind, p, generated_at=generated_at, allow_incomplete=allow_incomplete)
    path = check_writable_file(path)
    with atomic_path(path) as tmp:
        write_workbook(data, tmp, lang=check_lang(lang))
    return path


def summary_json(data, files: ReportFiles) -> str:
    """The report's key tables as JSON (JSON-safe values, stable key order)."""
    from greenpark.report.builder import FINDING_SECTIONS, sectioned_findings
    from greenpark.report.output import records

    out = {
        "park": data.park.id,
        "kind": data.kind,
        "period": data.period,
        "generated_at": data.generated_at,
        "greenpark_version": data.version,
        "empty": data.empty,
        "message": data.empty_message,
        "files": {"html": files.html.name, "xlsx": files.xlsx.name},
    }
    for name in SUMMARY_TABLES:
        if name in data.tables:
            out[name] = records(data.tables[name])
    if "summary" in data.values:
        out["audit_summary"] = records_of(data.values["summary"])
    out["findings"] = [
        {"section": FINDING_SECTIONS[section], **f.to_dict()}
        for section, f in sectioned_findings(data)
    ]
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def records_of(values: dict) -> dict:
    """A dict of numbers, JSON-safe (NaN -> null)."""
    import pandas as pd

    from greenpark.report.output import records

    return records(pd.DataFrame([values]))[0]
