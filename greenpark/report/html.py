"""Render a :class:`~greenpark.report.builder.ReportData` as one self-contained HTML page.

Jinja2 with autoescaping on: every string from the data is escaped; the only markup
inserted unescaped is the SVG of :mod:`greenpark.report.charts`, which escapes its own
text. No network: no scripts, fonts, images or styles from elsewhere. Formatting only —
the numbers come from the builder.

The page is a written summary, the headline cards and table, then the sections of
:data:`greenpark.report.html_sections.SECTIONS` (one function each, returning a title
and blocks: tables, charts, notes), then an appendix. Column headers, units and values
come from the label catalogue (:mod:`greenpark.core.labels`), numbers are formatted by
column kind (:mod:`greenpark.core.formats`), finding messages by code
(:mod:`greenpark.core.messages`).
"""

from __future__ import annotations

import functools
import math

from greenpark.core import labels as cat
from greenpark.core.formats import format_number
from greenpark.core.periods import CHANGES
from greenpark.report.labels import check_lang, label

TEMPLATE = "report.html.j2"
CARDS = (
    "energy_tce",
    "electricity_kwh",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_market",
    "clean_energy_share_pct",
)
NUMERIC_KINDS = {"year", "count", "kwh", "tce", "tco2", "energy", "mass", "money", "pct"}
NUMERIC_KINDS |= {"ratio", "factor", "quantity"}
NAME_KINDS = {"id", "text"}  # names, codes, file names and citations: shown as written
# headline metric -> formatting kind
METRIC_KINDS = {
    "energy_tce": "tce",
    "electricity_kwh": "kwh",
    "emissions_location_tco2": "tco2",
    "emissions_market_tco2": "tco2",
    "pv_generation_kwh": "kwh",
}


def render_html(data, lang: str = "zh") -> str:
    """The report page as text (UTF-8 when written)."""
    from markupsafe import Markup

    check_lang(lang)
    env = _environment()
    ctx = context(data, lang)
    for section in ctx["sections"]:
        for block in section.get("blocks", ()):
            if block["type"] == "chart":
                block["svg"] = Markup(block["svg"])
    return env.get_template(TEMPLATE).render(**ctx)


@functools.cache
def _environment():
    """The Jinja environment of the report templates, made once per process.

    Compiled templates are kept in Jinja's own bytecode cache (a private folder in the
    temporary directory, keyed by each template's source checksum), so that a new
    process does not compile the template again (about 0.05 s); without a usable cache
    folder the template is compiled as before.
    """
    import jinja2

    try:
        cache = jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        cache = None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("greenpark.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=cache,
    )
    env.filters["codes"] = mark_codes
    return env


# --------------------------------------------------------------------------- formatting
def fmt(value, column: str = "", lang: str = "en", kind: str | None = None) -> str:
    """A cell as text: NaN/None as an en dash, numbers by the column's kind, categorical
    values in ``lang``."""
    if value is None:
        return "–"
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return _bool(value, column, lang)
    kind = kind or cat.kind(column)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "–"
        if kind is None and column.endswith("_pct"):
            kind = "pct"
        return format_number(float(value), kind if kind in NUMERIC_KINDS else None)
    text = str(value)
    if text in ("nan", "NaT", "<NA>", "None", ""):
        return "–"
    if kind == "unit":
        return cat.unit_text(text, lang)
    return str(cat.value_label(column, text, lang))


def _bool(value: bool, column: str, lang: str) -> str:
    if column == "meets_threshold":
        return cat.term("met" if value else "not_met", lang)
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def signed(value, unit: str) -> str:
    """A change with its sign and unit (``+3.2 %``, ``-0.4 pp``)."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:+,.1f} {unit}"


def view(frame, columns=None, lang: str = "en") -> dict:
    """A table for the template: ``headers`` (name and unit in ``lang``), formatted
    ``rows`` and which columns are ``numeric`` (right-aligned)."""
    if frame is None:
        return {"headers": [], "rows": [], "numeric": [], "names": []}
    from greenpark.core.formats import row_kind

    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    units = list(frame["unit"]) if "unit" in frame.columns else [None] * len(frame)
    rows = [
        [fmt(v, c, lang, row_kind(c, u)) for v, c in zip(rec, columns, strict=True)]
        for rec, u in zip(frame[columns].itertuples(index=False, name=None), units, strict=True)
    ]
    numeric = [cat.kind(c) in NUMERIC_KINDS or c.endswith("_pct") for c in columns]
    names = [cat.kind(c) in NAME_KINDS for c in columns]
    return {
        "headers": [cat.header(c, lang) for c in columns],
        "rows": rows,
        "numeric": numeric,
        "names": names,
    }


def transposed(frame, columns: list[str], header_column: str, lang: str) -> dict:
    """A few rows of many columns as a table of one row per column (indicator, unit,
    then one value column per row of ``frame``)."""
    if frame is None or frame.empty:
        return {"headers": [], "rows": [], "numeric": [], "names": []}
    heads = [label("metric", lang), label("unit", lang)]
    heads += [fmt(v, header_column, lang) for v in frame[header_column]]
    rows = [
        [cat.column_label(c, lang), cat.unit(c, lang)] + [fmt(v, c, lang) for v in frame[c]]
        for c in columns
        if c in frame.columns
    ]
    n = len(frame)
    return {
        "headers": heads,
        "rows": rows,
        "numeric": [False, False] + [True] * n,
        "names": [False] * (n + 2),
    }


# ------------------------------------------------------------------------------ context
def context(data, lang: str) -> dict:
    """Everything the template needs, as plain strings, lists and dicts."""
    from greenpark.report.html_sections import SECTIONS, appendix

    park = data.park
    name = park.name_zh if lang == "zh" and park.name_zh else park.name
    other = park.name if lang == "zh" else park.name_zh
    title = label("monthly_report" if data.kind == "monthly" else "annual_report", lang)
    ctx = {
        "lang": lang,
        "L": lambda key: label(key, lang),
        "park_name": name,
        "park_other_name": other or "",
        "park_id": park.id,
        "period": data.period,
        "title": title,
        "generated_at": data.generated_at,
        "version": data.version,
        "kind": data.kind,
        "empty": data.empty,
        "empty_message": _empty_message(data, lang),
        "summary": [],
        "cards": [],
        "headline": None,
        "sections": [],
    }
    if not data.empty:
        from greenpark.report.summary import summary_sentences

        ctx["summary"] = summary_sentences(data.values["written_summary"], lang)
        ctx.update(_headline(data, lang))
        ctx["sections"] = [s for s in (build(data, lang) for build in SECTIONS) if s]
    ctx["sections"].append(appendix(data, lang))
    return ctx


def _empty_message(data, lang: str) -> str:
    if not data.empty:
        return ""
    if lang == "zh":
        return f"{data.period} 无读数（数据库中无该期间的读数）"
    return data.empty_message


def _headline(data, lang: str) -> dict:
    head = data.tables["headline"]
    windows = [
        c for c in ("current", "previous", "last_year", "ytd", "ytd_last_year") if c in head.columns
    ]
    changes = [c for c in CHANGES if c in head.columns]
    low = _incomplete_columns(data)
    low_changes = [_change_incomplete(data.kind, c, low) for c in changes]
    rows, cards = [], []
    for r in head.itertuples(index=False):
        rec = r._asdict()
        kind = METRIC_KINDS.get(r.metric, "pct" if r.unit == "%" else "ratio")
        unit = cat.unit_text(r.unit, lang)
        row = {
            "metric": label(r.metric, lang),
            "unit": unit,
            "values": [fmt(rec[w], r.metric, lang, kind) for w in windows],
            "changes": [signed(rec[c], r.change_unit) for c in changes],
            "incomplete": [w in low for w in windows],
            "changes_incomplete": low_changes,
        }
        rows.append(row)
        if r.metric in CARDS:
            cards.append(
                {
                    "label": row["metric"],
                    "value": row["values"][0],
                    "unit": unit,
                    "change": row["changes"][0],
                    "incomplete": "current" in low,
                    "change_incomplete": low_changes[0] if low_changes else False,
                    "change_label": label(changes[0], lang) if changes else "",
                }
            )
    previous = "previous" if data.kind == "monthly" else "previous_year"
    header = [label(w if w != "previous" else previous, lang) for w in windows]
    notes = (
        [
            {
                "window": label(r.column if r.column != "previous" else previous, lang),
                "text": r.note_zh if lang == "zh" else r.note,
            }
            for r in data.tables["completeness"].itertuples(index=False)
            if not r.complete
        ]
        if "completeness" in data.tables
        else []
    )
    return {
        "headline": {"windows": header, "changes": [label(c, lang) for c in changes], "rows": rows},
        "cards": cards,
        "incomplete_notes": notes,
    }


def _incomplete_columns(data) -> set[str]:
    """Headline columns (``current``, ``previous`` ...) whose inputs are incomplete."""
    table = data.tables.get("completeness")
    if table is None:
        return set()
    return set(table.loc[~table["complete"].astype(bool), "column"])


def _change_incomplete(kind: str, change: str, low: set[str]) -> bool:
    """Whether a change column compares a window with incomplete inputs."""
    from greenpark.report.headline import CHANGE_COLUMNS, COLUMNS

    windows = set(CHANGE_COLUMNS[kind].get(change, ()))
    return any(COLUMNS[kind][c] in windows for c in low)


_CODE = None


def mark_codes(text):
    """``text`` escaped, with finding codes, park.toml keys (``[accounting] key``) and
    other snake_case ids set as ``<code translate="no">``: shown as written, in every
    language."""
    import re

    from markupsafe import Markup, escape

    global _CODE
    if _CODE is None:
        _CODE = re.compile(
            r"(\[[a-z_.]+\](?: [a-z0-9_]+)?|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)*_[a-z0-9_.]+\b"
            r"|\b[a-z]+\.[a-z_]+\b)"
        )
    out, last = [], 0
    text = str(text)
    for m in _CODE.finditer(text):
        out += [
            str(escape(text[last : m.start()])),
            f'<code translate="no">{escape(m.group(0))}</code>',
        ]
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
