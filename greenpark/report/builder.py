"""Collect the results of a reporting period for the renderers: compute once, render many.

A report builds the carbon ledger once, for the span of every window it shows
(:func:`greenpark.metrics.carbon.ledger.prime`), and every table is a slice of it; the
factor book and the park config are the store's, built once per store. Every number a
report or the audit workbook shows is computed here, in :mod:`greenpark.report.sections`,
:mod:`greenpark.report.tables` and :mod:`greenpark.report.headline` (or by the metric
functions they call); renderers only format.

A monthly report compares the month with the previous month, the same month last year
and the year to date; an annual report compares the year with the previous one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from greenpark import __version__
from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.core.periods import Period
from greenpark.report import plan_section, sections
from greenpark.report import tables as rt
from greenpark.report.headline import headline, report_windows
from greenpark.report.summary import summary_facts
from greenpark.report.wind_section import wind

KINDS = {"monthly": "month", "annual": "year"}
SECTIONS = (  # in the order they are built
    sections.carbon,
    sections.energy,
    sections.resources,
    sections.pv,
    sections.pv_monthly,
    sections.zero_carbon,
    wind,
    sections.year_progress,
    sections.quality,
    plan_section.plan,  # annual reports of parks with a [plan]
)
# findings table: section key -> the name shown, in the order shown
FINDING_SECTIONS = {
    "quality": "data quality",
    "waste": "waste",
    "carbon": "carbon",
    "intensities": "intensities",
    "resources": "resources",
    "pv": "pv",
    "wind": "wind",
    "zero_carbon": "zero_carbon",
    "trajectory": "trajectory",
    "plan": "plan",
}
FINDINGS_COLUMNS = [
    "section",
    "severity",
    "code",
    "meter_id",
    "start",
    "end",
    "message",
    "message_zh",
]


@dataclass
class ReportData:
    """Everything a report shows, for one park and period.

    Attributes
    ----------
    kind : str
        ``monthly`` or ``annual``.
    period : str
        ``YYYY-MM`` or ``YYYY`` (the label of the report's Period).
    park : greenpark.core.config.ParkConfig
    generated_at : str
        ISO 8601 time of generation (the only part that changes between identical runs).
    empty : bool
        True when the period has no readings (a report made with ``allow_empty``).
    tables : dict of str -> pandas.DataFrame
        The result tables; missing sections are absent.
    findings : dict of str -> list of Finding
        What a reader must know, per section (``carbon``, ``quality``, ``waste`` ...).
    notes : dict of str -> list of str
        Method statements per section (where time-of-use hours come from, the clean
        energy definition).
    values : dict
        ``summary`` (the audit workbook's figures), ``quality`` (meter counts).
    """

    kind: str
    period: str
    park: object
    generated_at: str
    version: str = __version__
    empty: bool = False
    empty_message: str = ""
    tables: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    def table(self, name: str):
        return self.tables.get(name)


# ------------------------------------------------------------------------------ periods
def report_period(kind: str, period: str | Period) -> Period:
    """The Period of a ``monthly`` (``YYYY-MM``) or ``annual`` (``YYYY``) report.

    Raises
    ------
    GreenparkError
        Bad ``kind`` or period text, or a Period of another kind.
    """
    if kind not in KINDS:
        raise GreenparkError(f"report kind {kind!r}: choose monthly or annual")
    if isinstance(period, Period):
        if period.kind != KINDS[kind]:
            raise GreenparkError(f"a {kind} report needs a {KINDS[kind]}, not {period.label}")
        return period
    return Period.month(period) if kind == "monthly" else Period.year(period)


def report_span(period: Period) -> tuple[Period, Period]:
    """The months of the report's monthly series (24 months ending with the period: every
    comparison window lies inside), and the span whose ledger the report builds (the
    series and the zero-carbon trajectory's months)."""
    from greenpark.metrics.zerocarbon.projection import trajectory_span

    series = period.span(*period.windows().values())
    return series, series.span(trajectory_span(period))


# ------------------------------------------------------------------------------- build
def build(
    store,
    kind: str,
    period: str | Period,
    allow_empty: bool = False,
    generated_at: str | None = None,
    allow_incomplete: bool = False,
) -> ReportData:
    """Collect every section of a monthly or annual report.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database (read-only is enough).
    kind : {"monthly", "annual"}
    period : str or Period
        ``YYYY-MM`` (monthly) or ``YYYY`` (annual), or the Period.
    allow_empty : bool
        Without readings in the period: return a report that says so instead of raising.
    generated_at : str, optional
        Generation time to print (default: now, UTC, to the second).
    allow_incomplete : bool
        Build even when a boundary meter sent nothing in the period (its figures are
        then marked incomplete, as every figure below the coverage threshold is).

    Raises
    ------
    GreenparkError
        Bad period; no readings in it (unless ``allow_empty``); a boundary meter with
        0 % coverage in it (unless ``allow_incomplete``).
    """
    from greenpark.metrics.carbon.ledger import prime

    park = store.park()
    p = report_period(kind, period).localized(park.timezone)
    stamp = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    data = ReportData(kind, p.label, park, stamp)
    data.tables["inputs"] = rt.input_files(store)
    data.tables["method"] = rt.method_choices(park)
    empty = _empty_message(store, p)
    if empty:
        if not allow_empty:
            raise GreenparkError(f"{empty}; use --allow-empty to write a report that says so")
        data.empty, data.empty_message = True, empty
        return data
    series, span = report_span(p)
    prime(store, span)  # first: the coverage's meter totals are then the ledger's sums
    _refuse_silent_meters(store, p, allow_incomplete)
    b = sections.Build(store, kind, p, report_windows(kind, p), series, data)
    for section in SECTIONS:
        section(b)
    t = data.tables
    t["headline"] = headline(
        kind,
        b.windows,
        t["intensities"],
        t["series"],
        sections.waste_rates_by_window(b),
        sections.clean_shares(b),
    )
    t["completeness"] = completeness(store, kind, b.windows, p)
    t["findings"] = findings_table(data)
    data.values["written_summary"] = summary_facts(data)
    data.values["quality"] = {
        "meters": len(t["coverage"]),
        "below": len(t["coverage_below"]),
        "findings": len(t["quality"]),
    }
    return data


def _refuse_silent_meters(store, period: Period, allow: bool) -> None:
    """Raise when a boundary meter sent nothing in the period (unless ``allow``)."""
    from greenpark.metrics.coverage import meter_coverage

    meters = meter_coverage(store, period)
    silent = meters[meters["boundary"] & (meters["received"] == 0)]
    if silent.empty or allow:
        return
    names = ", ".join(f"{r.meter_id} ({r.role})" for r in silent.itertuples(index=False))
    raise GreenparkError(
        f"{period.label}: boundary meter(s) with no readings (coverage 0 %): {names}; its "
        "figures would be wrong. Load their readings, or use --allow-incomplete to write a "
        "report that marks them incomplete (greenpark check lists every meter's coverage)"
    )


def completeness(store, kind: str, windows: dict, period: Period):
    """Per headline column (``current``, ``previous`` ...): its window, whether every
    boundary meter reached the coverage threshold there, and a note naming those that
    did not with their missing share (:func:`greenpark.metrics.coverage.boundary_coverage`).

    Returns
    -------
    pandas.DataFrame
        ``column, window, period, complete, note, note_zh`` (the note in Chinese).
    """
    import pandas as pd

    from greenpark.metrics.coverage import boundary_coverage, incomplete_text
    from greenpark.report.headline import COLUMNS

    coverage = boundary_coverage(store, list(windows.values()), basis=period)
    rows = []
    for column, name in COLUMNS[kind].items():
        label = windows[name].label
        mine = coverage[coverage["period"] == label]
        low = mine[~mine["complete"].astype(bool)]
        notes = [incomplete_text(low, lang) if len(low) else "" for lang in ("en", "zh")]
        rows.append([column, name, label, low.empty, *notes])
    names = ["column", "window", "period", "complete", "note", "note_zh"]
    return pd.DataFrame(rows, columns=names)


def _empty_message(store, period: Period) -> str:
    start, end = period.utc_bounds()
    # the first reading found is enough (no count of the period's readings)
    found = store.con.execute(
        "SELECT 1 FROM readings WHERE ts >= ? AND ts < ? LIMIT 1", [start, end]
    ).fetchone()
    if found:
        return ""
    span = store.con.execute("SELECT min(ts), max(ts) FROM readings").fetchone()
    stored = (
        f"stored readings run from {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d} (UTC)"
        if span[0]
        else "no readings are stored"
    )
    return f"no readings in {period.label} ({stored})"


# ----------------------------------------------------------------------------- findings
def sectioned_findings(data: ReportData) -> list[tuple[str, Finding]]:
    """(section, finding) of every section, each finding once (the first section that
    has it), in the order of :data:`FINDING_SECTIONS`."""
    seen, out = set(), []
    for section in FINDING_SECTIONS:
        for f in data.findings.get(section, []):
            key = (f.code, f.message, f.severity, repr(sorted(f.to_dict().items())))
            if key not in seen:
                seen.add(key)
                out.append((section, f))
    return out


def findings_table(data: ReportData):
    """Every finding of the report: the meters' data quality first, then the sections.

    Returns
    -------
    pandas.DataFrame
        ``section, severity, code, meter_id, start, end, message, message_zh``
        (``start``/``end``: the finding's ``first``/``last`` time, or its month or period;
        ``message_zh`` from the message catalogue, :mod:`greenpark.core.messages`).
    """
    import pandas as pd

    from greenpark.core.messages import message

    rows = []
    for section, f in sectioned_findings(data):
        d = f.data
        start = _first(d, "first", "start", "month", "period")
        rows.append(
            [
                FINDING_SECTIONS[section],
                f.severity,
                f.code,
                d.get("meter_id"),
                _when(start),
                _when(_first(d, "last", "end")),
                f.message,
                message(f, "zh"),
            ]
        )
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS, dtype=object)


def _first(data, *keys):
    return next((data[k] for k in keys if data.get(k) is not None), None)


def _when(value) -> str | None:
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
