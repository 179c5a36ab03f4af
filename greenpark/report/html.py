"""Render a :class:`~greenpark.report.builder.ReportData` as one self-contained HTML page.

Jinja2 with autoescaping on: every string from the data is escaped; the only markup
inserted unescaped is the SVG of :mod:`greenpark.report.charts`, which escapes its own
text. No network: no scripts, fonts, images or styles from elsewhere. Formatting only —
the numbers come from the builder.
"""

from __future__ import annotations

import math

from greenpark.core.periods import CHANGES
from greenpark.report import charts, plan_section
from greenpark.report.headers import unit_of
from greenpark.report.labels import check_lang, label
from greenpark.report.workbook import FACTOR_COLUMNS

TEMPLATE = "report.html.j2"
CARDS = (
    "energy_tce",
    "electricity_kwh",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_market",
    "clean_energy_share_pct",
)
SKIP_UNITS = {"see unit", "see factor_unit"}


def render_html(data, lang: str = "zh") -> str:
    """The report page as text (UTF-8 when written)."""
    import jinja2
    from markupsafe import Markup

    check_lang(lang)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("greenpark.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    ctx = context(data, lang)
    ctx["charts"] = {k: Markup(v) for k, v in ctx["charts"].items()}
    return env.get_template(TEMPLATE).render(**ctx)


# --------------------------------------------------------------------------- formatting
def fmt(value, column: str = "") -> str:
    """A cell as text: NaN/None as an en dash, numbers with a fixed number of decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✔" if value else "✘"
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        if column.endswith("_pct"):
            return f"{value:,.1f}"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 1 or value == 0:
            return f"{value:,.2f}"
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    text = str(value)
    return "–" if text in ("nan", "NaT", "<NA>", "None") else text


def signed(value, unit: str) -> str:
    """A change with its sign and unit (``+3.2 %``, ``-0.4 pp``)."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:+,.1f} {unit}"


def view(frame, columns=None) -> dict:
    """A table for the template: ``headers`` (with units) and formatted ``rows``."""
    if frame is None:
        return {"headers": [], "rows": []}
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    headers = []
    for c in columns:
        unit = unit_of(c)
        headers.append(f"{c} [{unit}]" if unit and unit not in SKIP_UNITS else c)
    rows = [
        [fmt(v, c) for v, c in zip(rec, columns, strict=True)]
        for rec in frame[columns].itertuples(index=False, name=None)
    ]
    return {"headers": headers, "rows": rows}


# ------------------------------------------------------------------------------ context
def context(data, lang: str) -> dict:
    """Everything the template needs, as plain strings, lists and dicts."""
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
        "empty_message": data.empty_message,
        "charts": {},
        "plan_html": "",
        "notes": _notes(data),
        "inputs": view(data.tables["inputs"]),
        "method": view(data.tables["method"]),
    }
    if data.empty:
        return ctx
    ctx.update(_headline(data, lang))
    ctx["tables"] = _tables(data, lang)
    ctx["charts"] = _charts(data, lang)
    ctx["quality_summary"] = data.values["quality"]
    ctx["plan_html"] = plan_section.html_fragment(data, lang)
    return ctx


def _notes(data) -> dict[str, list[dict]]:
    """Per section: its method statements, then its findings (code and message)."""
    out: dict[str, list[dict]] = {}
    for section, notes in data.notes.items():
        out.setdefault(section, []).extend({"code": "", "text": n} for n in notes if n)
    for section, findings in data.findings.items():
        out.setdefault(section, []).extend({"code": f.code, "text": f.message} for f in findings)
    return out


def _headline(data, lang: str) -> dict:
    head = data.tables["headline"]
    windows = [
        c for c in ("current", "previous", "last_year", "ytd", "ytd_last_year") if c in head.columns
    ]
    changes = [c for c in CHANGES if c in head.columns]
    rows, cards = [], []
    for r in head.itertuples(index=False):
        rec = r._asdict()
        row = {
            "metric": label(r.metric, lang),
            "unit": r.unit,
            "values": [fmt(rec[w], r.metric) for w in windows],
            "changes": [signed(rec[c], r.change_unit) for c in changes],
        }
        rows.append(row)
        if r.metric in CARDS:
            cards.append(
                {
                    "label": row["metric"],
                    "value": row["values"][0],
                    "unit": r.unit,
                    "change": row["changes"][0],
                }
            )
    previous = "previous" if data.kind == "monthly" else "previous_year"
    header = [label(w if w != "previous" else previous, lang) for w in windows]
    return {
        "headline": {"windows": header, "changes": [label(c, lang) for c in changes], "rows": rows},
        "cards": cards,
    }


def _tables(data, lang: str) -> dict:
    t = data.tables
    out = {
        "energy_carrier": view(t["energy_carrier"]),
        "carbon_scope": view(t["carbon_scope"]),
        "carbon_source": view(t["carbon_source"]),
        "carbon_enterprise": view(
            t["carbon_enterprise"],
            [
                "enterprise_id",
                "name_zh" if lang == "zh" else "name",
                "industry",
                "electricity_kwh",
                "energy_tce",
                "emissions_location_tco2",
                "emissions_market_tco2",
                "value_added_10k_cny",
                "tco2_per_10k_cny_location",
            ],
        ),
        "carbon_industry": view(t["carbon_industry"]),
        "tou": view(t["tou"]),
        "factors": view(t["factors"], FACTOR_COLUMNS),
        "findings": view(t["findings"]),
        "coverage": view(t["coverage_below"]),
    }
    for name in ("waste", "resources", "resource_indicators", "pv_value", "zero_carbon"):
        if name in t:
            out[name] = view(t[name])
    return out


# ------------------------------------------------------------------------------- charts
def _charts(data, lang: str) -> dict:
    out = {
        "energy": _energy_chart(data, lang),
        "scope": _scope_chart(data, lang),
        "heatmap": _heatmap(data, lang),
    }
    if "trajectory" in data.tables:
        out["trajectory"] = _trajectory_chart(data, lang)
    return out


def _energy_chart(data, lang: str) -> str:
    series = data.tables["series"]
    shown = series.tail(13 if data.kind == "monthly" else 12)
    sources = [c for c in series.columns if c.endswith("_tce") and c != "energy_tce"]
    return charts.bar_chart(
        label("energy_monthly", lang),
        "tce",
        list(shown["month"]),
        [(c[: -len("_tce")], list(shown[c])) for c in sources],
    )


def _scope_chart(data, lang: str) -> str:
    scope = data.tables["carbon_scope"]
    rows = scope[scope["scope"] != "total"]
    return charts.bar_chart(
        label("emissions_by_scope", lang),
        "tCO2",
        list(rows["scope"]),
        [
            (label("location", lang), list(rows["emissions_location_tco2"])),
            (label("market", lang), list(rows["emissions_market_tco2"])),
        ],
        stacked=False,
    )


def _heatmap(data, lang: str) -> str:
    days, values = data.values["load_grid"]
    return charts.heatmap(label("load_profile", lang), "kWh", days, values)


def _trajectory_chart(data, lang: str) -> str:
    t = data.tables["trajectory"]
    actual = t["kind"] == "actual"
    values = list(t["tco2_per_tce"])
    return charts.line_chart(
        label("trajectory", lang),
        "tCO2/tce",
        list(t["month"]),
        [
            (
                label("actual", lang),
                [v if a else math.nan for v, a in zip(values, actual, strict=True)],
                False,
            ),
            (
                label("projected", lang),
                [math.nan if a else v for v, a in zip(values, actual, strict=True)],
                True,
            ),
            (label("threshold", lang), list(t["threshold"]), True),
        ],
    )
