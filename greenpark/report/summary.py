"""The report's written summary, generated from its figures: what changed, why, what is
incomplete and what to do.

:func:`summary_facts` picks the figures (in the builder: every number comes from the
report's tables); :func:`summary_sentences` writes them as sentences in Chinese or
English (formatting only).
"""

from __future__ import annotations

import math

from greenpark.core.formats import format_number
from greenpark.core.labels import term

COVERAGE_ACTIONS = ("readings.coverage", "readings.gap", "readings.flat_line")
ACTIONS = {  # finding code -> what to do (en, zh)
    "waste.balance": (
        "reconcile the waste ledger rows that do not balance",
        "核对不平衡的固废台账记录",
    ),
    "production.missing": ("complete the missing value-added figures", "补报缺失的工业增加值"),
    "factor.fallback": (
        "replace fallback grid factors when the reporting year's factor is published",
        "报告年份电网因子发布后及时替换回退因子",
    ),
    "green_power.vintage": (
        "check green electricity certificates whose vintage lies outside the year",
        "核查生产年月不在报告年度内的绿证",
    ),
    "readings.coverage": (
        "complete the readings of meters below 99 % coverage",
        "补齐完整率低于99%的表计读数",
    ),
}


def summary_facts(data) -> dict:
    """The figures the summary quotes, from the report's tables.

    Returns
    -------
    dict
        ``energy_tce``, ``energy_change_pct`` (against the previous period), the market
        and location emissions [tCO2], ``tco2_per_tce_market``, the largest change by
        source (``driver``, ``driver_delta_tce``), ``not_met`` (indicator names),
        ``below_coverage`` (meter ids), ``finding_codes`` (code -> count).
    """
    t = data.tables
    head = t["headline"].set_index("metric")
    change = "mom_pct" if data.kind == "monthly" else "yoy_pct"
    facts = {
        "kind": data.kind,
        "energy_tce": float(head.loc["energy_tce", "current"]),
        "energy_change_pct": float(head.loc["energy_tce", change]),
        "market_tco2": float(head.loc["emissions_market_tco2", "current"]),
        "market_change_pct": float(head.loc["emissions_market_tco2", change]),
        "location_tco2": float(head.loc["emissions_location_tco2", "current"]),
        "tco2_per_tce_market": float(head.loc["tco2_per_tce_market", "current"]),
        "clean_share_pct": float(head.loc["clean_energy_share_pct", "current"]),
        "pv_kwh": float(head.loc["pv_generation_kwh", "current"]),
    }
    facts.update(_driver(t["series"], data.kind))
    zc = t.get("zero_carbon")
    facts["not_met"] = [] if zc is None else list(zc.loc[zc["status"] == "not_met", "indicator_id"])
    facts["indicator_names"] = (
        {}
        if zc is None
        else {r.indicator_id: (r.indicator_en, r.indicator_zh) for r in zc.itertuples()}
    )
    facts["below_coverage"] = list(t["coverage_below"]["meter_id"])
    codes: dict[str, int] = {}
    for _, f in t["findings"].iterrows():
        codes[f["code"]] = codes.get(f["code"], 0) + 1
    facts["finding_codes"] = codes
    return facts


def _driver(series, kind: str) -> dict:
    """The energy source whose tce changed most against the previous period."""
    sources = [c for c in series.columns if c.endswith("_tce") and c != "energy_tce"]
    n = 1 if kind == "monthly" else 12
    rows = series.dropna(subset=["energy_tce"])
    if len(rows) < 2 * n or not sources:
        return {"driver": None, "driver_delta_tce": math.nan}
    now, before = rows.tail(n)[sources].sum(), rows.iloc[-2 * n : -n][sources].sum()
    delta = now - before
    source = delta.abs().idxmax()
    return {"driver": source[: -len("_tce")], "driver_delta_tce": float(delta[source])}


def _pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:+.1f} %"


def summary_sentences(facts: dict, lang: str) -> list[str]:
    """The summary as sentences in ``lang`` (``zh`` or ``en``)."""
    zh = lang == "zh"
    n = facts
    energy = format_number(n["energy_tce"], "tce")
    market = format_number(n["market_tco2"], "tco2")
    location = format_number(n["location_tco2"], "tco2")
    ratio = format_number(n["tco2_per_tce_market"], "ratio")
    before = (
        ("上月" if zh else "the previous month")
        if n["kind"] == "monthly"
        else ("上年" if zh else "the previous year")
    )
    out = []
    if zh:
        out.append(
            f"本期综合能源消费量 {energy} tce，较{before}变化 {_pct(n['energy_change_pct'])}；"
            f"碳排放（基于市场）{market} tCO2（{_pct(n['market_change_pct'])}），"
            f"基于位置 {location} tCO2；单位能耗碳排放 {ratio} tCO2/tce。"
        )
    else:
        out.append(
            f"Energy use was {energy} tce ({_pct(n['energy_change_pct'])} on {before}); "
            f"market-based CO2 {market} tCO2 ({_pct(n['market_change_pct'])}), "
            f"location-based {location} tCO2; {ratio} tCO2 per tce."
        )
    if n["driver"] is not None and math.isfinite(n["driver_delta_tce"]):
        delta = f"{n['driver_delta_tce']:+,.1f}"
        name = term(n["driver"], lang)
        out.append(
            f"变化主要来自{name}（{delta} tce）。"
            if zh
            else f"The largest change came from {name} ({delta} tce)."
        )
    out.append(_renewables(n, zh))
    out += _incomplete(n, zh)
    out += _todo(n, zh)
    return out


def _renewables(n: dict, zh: bool) -> str:
    share = "–" if not math.isfinite(n["clean_share_pct"]) else f"{n['clean_share_pct']:.1f} %"
    pv = format_number(n["pv_kwh"], "kwh") if math.isfinite(n["pv_kwh"]) else "–"
    if zh:
        return f"清洁能源消费占比（滚动12个月）{share}，园区光伏发电 {pv} kWh。"
    return f"Clean energy share (rolling 12 months) {share}; on-site PV generated {pv} kWh."


def _incomplete(n: dict, zh: bool) -> list[str]:
    out = []
    meters = n["below_coverage"]
    if meters:
        ids = "、".join(meters) if zh else ", ".join(meters)
        out.append(
            f"数据不完整：{len(meters)} 块表计本期完整率低于99%（{ids}）。"
            if zh
            else f"Incomplete: {len(meters)} meter(s) below 99 % coverage ({ids})."
        )
    total, kinds = sum(n["finding_codes"].values()), len(n["finding_codes"])
    if total:
        out.append(
            f"共 {total} 条提示（{kinds} 类），见各节说明与“数据质量”一节。"
            if zh
            else f"{total} finding(s) of {kinds} kind(s): see each section and Data quality."
        )
    return out


def _todo(n: dict, zh: bool) -> list[str]:
    names = [n["indicator_names"][i][1 if zh else 0] for i in n["not_met"]]
    actions = [ACTIONS[c][1 if zh else 0] for c in ACTIONS if c in n["finding_codes"]]
    out = []
    if names:
        sep = "、" if zh else "; "
        out.append(
            f"未达标的零碳园区指标：{sep.join(names)}。"
            if zh
            else f"Zero-carbon indicators not met: {sep.join(names)}."
        )
    if actions:
        out.append(
            "建议：" + "；".join(actions) + "。" if zh else "To do: " + "; ".join(actions) + "."
        )
    return out
