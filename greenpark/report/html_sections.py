"""The sections of the HTML report, each one self-contained: a function of
``(data, lang)`` returning ``{"id", "title", "blocks"}`` (or None when the report has
nothing for it), registered in :data:`SECTIONS` in the order shown.

A block is one of ``{"type": "table", "title", "table"}`` (a :func:`~greenpark.report.
html.view`), ``{"type": "chart", "svg"}``, ``{"type": "notes", "items"}`` (sentences) or
``{"type": "text", "text"}``. The template renders every section the same way, so a new
section is one function and one line in :data:`SECTIONS`.
"""

from __future__ import annotations

import math

from greenpark.core import labels as cat
from greenpark.core.messages import message
from greenpark.report import charts
from greenpark.report.html import transposed, view
from greenpark.report.labels import METHOD_MEANINGS_ZH, METHOD_VALUES_ZH, label

WASTE_COLUMNS = (
    "generated_t",
    "industrial_generated_t",
    "industrial_utilization_rate_pct",
    "general_utilization_rate_pct",
    "hazardous_generated_t",
    "hazardous_utilization_rate_pct",
    "hazardous_utilization_disposal_rate_pct",
    "hazardous_safe_disposal_rate_pct",
    "recycling_rate_pct",
    "industrial_waste_intensity_t_per_10k_cny",
)
RESOURCE_COLUMNS = (
    "period",
    "water_intake_m3",
    "water_recycled_m3",
    "water_reuse_rate_pct",
    "waste_heat_recovered_gj",
    "waste_heat_recoverable_gj",
    "waste_heat_utilization_rate_pct",
)
PV_POTENTIAL = (
    "new_capacity_kwp",
    "pv_energy_kwh",
    "self_consumption_pct",
    "self_sufficiency_before_pct",
    "self_sufficiency_after_pct",
    "co2_avoided_tco2",
    "capex_cny",
    "simple_payback_years",
    "lcoe_cny_per_kwh",
)
INDUSTRY_COLUMNS = (
    "industry",
    "leading_industry",
    "electricity_kwh",
    "energy_tce",
    "emissions_market_tco2",
    "value_added_10k_cny",
    "tce_per_10k_cny",
)


def _table(title_key: str, table: dict, lang: str) -> dict:
    return {"type": "table", "title": label(title_key, lang), "table": table}


def _notes(items: list[str]) -> dict:
    return {"type": "notes", "items": [i for i in items if i]}


def finding_notes(data, sections: tuple[str, ...], lang: str) -> list[str]:
    """The findings of ``sections`` in ``lang``, one line per distinct sentence (a
    sentence repeated for many months is shown once, with the months it covers)."""
    groups: dict[str, list] = {}
    for section in sections:
        for f in data.findings.get(section, []):
            groups.setdefault(message(f, lang), []).append(f)
    out = []
    for text, found in groups.items():
        months = sorted({str(f.data.get("period")) for f in found if f.data.get("period")})
        if len(months) > 1:
            span = f"{months[0]} … {months[-1]}"
            text += (
                f"（{len(months)} 个期间：{span}）"
                if lang == "zh"
                else f" ({len(months)} periods: {span})"
            )
        out.append(text)
    return out


# ----------------------------------------------------------------------------- sections
def energy(data, lang: str) -> dict:
    t = data.tables
    series = t["series"].tail(13 if data.kind == "monthly" else 12)
    sources = [c for c in series.columns if c.endswith("_tce") and c != "energy_tce"]
    chart = charts.bar_chart(
        label("energy_monthly", lang),
        "tce",
        [m[2:] for m in series["month"]],
        [(cat.term(c[: -len("_tce")], lang), list(series[c])) for c in sources],
    )
    carriers = t["energy_carrier"]
    carriers = carriers[carriers["flow"] != "submetered"]
    return {
        "id": "energy",
        "page": True,  # the first page is the summary and the headline figures
        "title": label("energy", lang),
        "blocks": [
            {"type": "chart", "svg": chart},
            _table("by_carrier", view(carriers, None, lang), lang),
            _table("by_industry", view(t["carbon_industry"], list(INDUSTRY_COLUMNS), lang), lang),
            {"type": "text", "text": label("enterprises_in_workbook", lang)},
        ],
    }


def emissions(data, lang: str) -> dict:
    t = data.tables
    scope = t["carbon_scope"]
    rows = scope[scope["scope"] != "total"]
    chart = charts.bar_chart(
        label("emissions_by_scope", lang),
        "tCO2",
        [cat.term(s, lang) for s in rows["scope"]],
        [
            (label("location", lang), list(rows["emissions_location_tco2"])),
            (label("market", lang), list(rows["emissions_market_tco2"])),
        ],
        stacked=False,
    )
    cols = ["scope", "energy_tce", "emissions_location_tco2", "emissions_market_tco2"]
    src = ["source", "energy_tce", "emissions_location_tco2", "emissions_market_tco2"]
    return {
        "id": "emissions",
        "title": label("emissions", lang),
        "blocks": [
            {"type": "chart", "svg": chart},
            _table("by_scope", view(scope, cols, lang), lang),
            _table("by_source", view(t["carbon_source"], src, lang), lang),
            _notes(finding_notes(data, ("carbon", "intensities"), lang)),
        ],
    }


def load(data, lang: str) -> dict:
    days, values = data.values["load_grid"]
    short = [d[8:] if data.kind == "monthly" else d[5:] for d in days]
    chart = charts.heatmap(label("load_profile", lang), "kWh", short, values)
    return {
        "id": "load",
        "title": label("load_profile", lang),
        "blocks": [
            {"type": "chart", "svg": chart},
            _table("tou", view(data.tables["tou"], None, lang), lang),
            _notes([label("tou_from_config" if _tou_configured(data) else "tou_default", lang)]),
        ],
    }


def _tou_configured(data) -> bool:
    return data.park.tariff.from_config


def pv(data, lang: str) -> dict | None:
    t = data.tables
    blocks = []
    monthly = t.get("pv_monthly")
    if monthly is not None:
        chart = charts.bar_chart(
            label("pv_chart", lang),
            "kWh",
            [m[2:] for m in monthly["month"]],
            [
                (label("pv_metered", lang), list(monthly["actual_kwh"])),
                (label("pv_modelled", lang), list(monthly["expected_kwh"])),
            ],
            stacked=False,
            overlay=(label("pv_self_consumed_pct", lang), list(monthly["self_consumed_pct"])),
        )
        blocks.append({"type": "chart", "svg": chart})
    if "pv_value" in t:
        table = transposed(t["pv_value"], list(PV_POTENTIAL), "year", lang)
        blocks.append(_table("pv_potential", table, lang))
    blocks.append(_notes(finding_notes(data, ("pv",), lang)))
    if len(blocks) == 1 and not blocks[0]["items"]:
        return None
    return {"id": "pv", "title": label("pv", lang), "blocks": blocks}


def waste_resources(data, lang: str) -> dict:
    t = data.tables
    blocks = []
    if "waste" in t:
        blocks.append(
            _table("waste", transposed(t["waste"], list(WASTE_COLUMNS), "period", lang), lang)
        )
    blocks.append(_table("resources", view(t["resources"], list(RESOURCE_COLUMNS), lang), lang))
    ind = ["indicator_zh" if lang == "zh" else "indicator_en", "value_pct", "comparison"]
    ind += ["threshold_pct", "meets_threshold"]
    blocks.append(_table("resource_indicators", view(t["resource_indicators"], ind, lang), lang))
    blocks.append(_notes(finding_notes(data, ("waste", "resources"), lang)))
    return {"id": "waste", "title": label("waste_resources", lang), "blocks": blocks}


def zero_carbon(data, lang: str) -> dict | None:
    t = data.tables
    if "zero_carbon" not in t:
        notes = finding_notes(data, ("zero_carbon",), lang)
        return {"id": "zero-carbon", "title": label("zero_carbon", lang), "blocks": [_notes(notes)]}
    cols = ["indicator_zh" if lang == "zh" else "indicator_en", "value", "unit", "comparison"]
    cols += ["threshold", "status", "provisional"]
    blocks = [_table("zero_carbon_indicators", view(t["zero_carbon"], cols, lang), lang)]
    if "zero_carbon_bases" in t:
        blocks.append(_table("zero_carbon_bases", view(t["zero_carbon_bases"], None, lang), lang))
    if "trajectory" in t:
        blocks.append({"type": "chart", "svg": _trajectory_chart(t["trajectory"], lang)})
    if "year_progress" in t:
        blocks += _year_progress(t["year_progress"], lang)
    notes = [_clean_definition(data, lang)]
    blocks.append(_notes(notes + finding_notes(data, ("zero_carbon", "trajectory"), lang)))
    return {"id": "zero-carbon", "title": label("zero_carbon", lang), "blocks": blocks}


def _clean_definition(data, lang: str) -> str:
    """The clean-energy definition the indicator uses, in ``lang``."""
    s = data.park.zero_carbon
    if lang != "zh":
        return s.definition()
    parts = ["园区可再生能源电力"]
    if s.count_green_power:
        parts.append("绿电与绿证")
    if s.grid_clean_share_pct:
        parts.append(f"未覆盖电网电量的 {s.grid_clean_share_pct:g}%")
    parts += [cat.term(c, "zh") for c in s.clean_carriers]
    return "清洁能源 = " + " + ".join(parts) + "（按当量值折标），除以能源消费总量"


def _trajectory_chart(t, lang: str) -> str:
    actual = t["kind"] == "actual"
    values = list(t["tco2_per_tce"])
    return charts.line_chart(
        label("trajectory", lang),
        "tCO2/tce",
        [m[2:] for m in t["month"]],
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


def _year_progress(frame, lang: str) -> list[dict]:
    """An annual report's year toward the thresholds: the clean energy share chart and
    the month-by-month table (rolling 12 months)."""
    chart = charts.line_chart(
        label("year_clean_share", lang),
        "%",
        [m[2:] for m in frame["month"]],
        [
            (label("actual", lang), list(frame["clean_energy_share_pct"]), False),
            (label("threshold", lang), list(frame["clean_energy_threshold_pct"]), True),
        ],
    )
    return [
        {"type": "chart", "svg": chart},
        _table("year_progress", view(frame, None, lang), lang),
    ]


def quality(data, lang: str) -> dict:
    q = data.values["quality"]
    summary = label("coverage_line", lang).format(below=q["below"], meters=q["meters"])
    blocks = [{"type": "text", "text": summary}]
    if len(data.tables["coverage_below"]):
        blocks.append(_table("coverage", view(data.tables["coverage_below"], None, lang), lang))
    notes = finding_notes(data, ("quality",), lang)
    blocks.append(_notes(notes or [label("no_findings", lang)]))
    blocks.append({"type": "text", "text": label("findings_in_workbook", lang)})
    return {"id": "quality", "title": label("quality", lang), "blocks": blocks}


def appendix(data, lang: str) -> dict:
    """Method choices, every factor used and the input files (always shown)."""
    from greenpark.report.workbook import FACTOR_COLUMNS

    t = data.tables
    method = t["method"].copy()
    if lang == "zh":
        method["value"] = [METHOD_VALUES_ZH.get(v, v) for v in method["value"]]
        method["meaning"] = [METHOD_MEANINGS_ZH.get(s, s) for s in method["setting"]]
    method = method.rename(columns={"value": "setting_value"})
    blocks = [_table("method_choices", view(method, None, lang), lang)]
    if "factors" in t:
        cols = [c for c in FACTOR_COLUMNS if c not in ("note", "role", "source")]
        blocks.append(_table("factors_used", view(t["factors"], cols, lang), lang))
        blocks.append({"type": "text", "text": label("sources_in_workbook", lang)})
    inputs = t["inputs"].assign(sha256=[f"{h[:16]}…" for h in t["inputs"]["sha256"]])
    cols = ["kind", "file_name", "sha256", "rows_in_file", "rows_inserted"]
    blocks.append(_table("inputs", view(inputs, cols, lang), lang))
    if lang != "zh":
        blocks.append({"type": "text", "text": label("methodology_text", lang)})
    else:
        blocks.insert(0, {"type": "text", "text": label("methodology_text", lang)})
    return {
        "id": "methodology",
        "page": True,
        "title": label("methodology", lang),
        "blocks": blocks,
    }


def _wind(data, lang: str) -> dict | None:
    from greenpark.report.wind_section import wind_section

    return wind_section(data, lang)


def _plan(data, lang: str) -> dict | None:
    from greenpark.report.plan_section import html_section

    return html_section(data, lang)


SECTIONS = (energy, emissions, load, pv, _wind, waste_resources, zero_carbon, _plan, quality)
