"""What the CLI (and the demo) print around their tables, in English and Chinese:
table titles and the notes the commands add themselves (finding messages come from
:mod:`greenpark.core.messages`, headers and values from :mod:`greenpark.core.labels`).

Without a language (``--lang`` not given) the English text is printed, as before.
"""

from __future__ import annotations

# key -> (English, Chinese); ``{name}`` fields are filled by :func:`text`
TEXTS: dict[str, tuple[str, str]] = {
    "factors_list": ("Factor library ({kind}): {n} factors", "因子库（{kind}）：{n} 个因子"),
    "factor_show": ("Factor {key}", "因子 {key}"),
    "carbon_ledger": (
        "Carbon ledger {period}: {n} lines",
        "碳排放核算明细 {period}：{n} 行",
    ),
    "carbon": ("Energy and CO2 {period} by {by}", "能源消费与二氧化碳排放 {period}（按{by}）"),
    "intensity": ("Intensities {period} ({by})", "强度指标 {period}（{by}）"),
    "quality": ("Data quality{period}: {n} finding(s)", "数据质量{period}：{n} 条发现"),
    "coverage": (
        "Coverage{period}: {n} meter(s) expected to report",
        "数据完整率{period}：应上报表计 {n} 块",
    ),
    "energy": ("Energy {period} by {by}", "能源消费 {period}（按{by}）"),
    "loads": ("Loads", "导入记录"),
    "preview": ("First {shown} of {n} rows", "前 {shown} 行（共 {n} 行）"),
    "waste": ("Waste {period} by {by}", "固体废物 {period}（按{by}）"),
    "waste_recovery": (
        "energy recovery {counted} as recycling/diversion",
        "能量回收{counted}资源化利用/减量",
    ),
    "counts": ("counts", "计入"),
    "does not count": ("does not count", "不计入"),
    "waste_check": ("Waste ledger findings{which}: {n}", "固废台账发现{which}：{n} 条"),
    "resources": ("Water reuse and waste heat {period}", "水资源重复利用与余热利用 {period}"),
    "resource_indicators": (
        "Resource indicators {period} (thresholds provisional)",
        "资源利用指标 {period}（阈值暂定）",
    ),
    "pv_estimate": ("Rooftop PV {label}: {n} roof(s)", "屋顶光伏{label}：{n} 个屋顶"),
    "weather": ("weather: {weather}", "气象数据：{weather}"),
    "pv_shortfall": (
        "shortfall flagged below {pct} % of expected (PVWatts accuracy, shared reference)",
        "实测低于预期 {pct}% 时标记为发电偏低（依据 PVWatts 精度，共享参考资料）",
    ),
    "assumed": ("{line}", "假设（非园区数据）：{line}"),
    "assumptions": (
        "Settings assumed (not the park's own)",
        "假设的设置（非园区数据）",
    ),
    "value_source": ("{what}: {source}", "{what}：{source}"),
    "pv_value": ("Rooftop PV value (new capacity)", "屋顶光伏价值（新增装机）"),
    "pv_performance": ("PV performance {period}", "光伏运行表现 {period}"),
    "wind_turbines": ("Wind turbine types: {n}", "风机机型：{n} 种"),
    "wind_estimate": ("Distributed wind: {n} site(s)", "分散式风电：{n} 个场址"),
    "energy_mix": ("Energy mix {period}", "可再生能源组合 {period}"),
    "zc": (
        "Zero-carbon park indicators {period} / 零碳园区指标",
        "零碳园区指标 {period}",
    ),
    "zc_bases": (
        "Core indicator on every basis{period} / 核心指标（各口径）",
        "核心指标（各口径）{period}",
    ),
    "zc_definition": (
        "",
        "核心指标 = 二氧化碳排放量 / 综合能源消费量 [tCO2/tce]；各口径的数值见下表",
    ),
    "zc_core": ("", "核心指标 = 二氧化碳排放量 / 综合能源消费量 [tCO2/tce]"),
    "zc_basis": ("emissions basis: {basis}", "排放核算口径：{basis}"),
    "zc_gap": (
        "Zero-carbon gap {period} (basis: {basis})",
        "零碳差距 {period}（核算口径：{basis}）",
    ),
    "zc_crossing": ("threshold reached in {year}", "{year} 年达到阈值"),
    "zc_not_reached": (
        "threshold not reached by {year} on this path",
        "按此路径到 {year} 年仍未达到阈值",
    ),
    "zc_trajectory": ("Zero-carbon trajectory to {year}", "零碳轨迹（至 {year} 年）"),
    "demo_db": (
        "Demo park database: {db} ({files} files, {rows} rows loaded)",
        "示范园区数据库：{db}（导入 {files} 个文件，{rows} 行）",
    ),
    "demo_report": (
        "Monthly report: {html} (audit workbook {xlsx})",
        "月度报告：{html}（审计工作簿 {xlsx}）",
    ),
    "demo_written": ("Written to {folder}", "已写入 {folder}"),
    "demo_plan": (
        "Zero-carbon plan (illustrative costs): greenpark --db {db} plan pathway",
        "零碳规划（示意成本）：运行 greenpark --db {db} plan pathway 查看",
    ),
    "demo_energy": ("{park}: energy {period}", "{park}：能源消费 {period}"),
    "demo_intensity": ("Intensities {period}", "强度指标 {period}"),
    "demo_pv": ("Rooftop PV potential / 屋顶光伏潜力", "屋顶光伏潜力"),
    "demo_pv_value": (
        "Rooftop PV: self-consumption, CO2 and economics",
        "屋顶光伏：自发自用、减排与经济性",
    ),
    "lake_export": (
        "Lake {lake}: park {park} {status} ({n} months)",
        "数据湖 {lake}：园区 {park} {status}（{n} 个月）",
    ),
    "rollup": ("Roll-up {period} by {by}", "多园区汇总 {period}（按{by}）"),
    "rollup_report": ("Roll-up report {period}", "多园区汇总报告 {period}"),
    "report_files": ("{what} {period}: {folder}", "{what} {period}：{folder}"),
    "monthly_report": ("Monthly report", "月度报告"),
    "no_data": (
        "the period has NO DATA: the report says so",
        "本报告期无数据（NO DATA），报告中已注明",
    ),
    "annual_report": ("Annual report", "年度报告"),
}
# --by values and other words put into titles
BY: dict[str, tuple[str, str]] = {
    "scope": ("scope", "范围"),
    "source": ("source", "排放源"),
    "enterprise": ("enterprise", "企业"),
    "industry": ("industry", "行业"),
    "park": ("park", "园区"),
    "carrier": ("carrier", "能源品种"),
    "meter": ("meter", "表计"),
    "stream": ("stream", "废物流"),
    "month": ("month", "月份"),
    "all": ("all", "全部"),
    "grid": ("grid", "电网"),
    "fuel": ("fuel", "燃料"),
    "tce": ("tce", "折标系数"),
    "heat": ("heat", "热力"),
    "estimate": ("estimate", "估算"),
    "province": ("province", "省份"),
    "operator": ("operator", "运营主体"),
    "screening estimate": ("screening estimate", "粗筛估算"),
    "location": ("location", "基于位置"),
    "market": ("market", "基于市场"),
}


def assumptions_frame(assumptions):
    """The settings greenpark assumed (not the park's own, not blank) as a table for
    people: ``setting``, ``setting_value``, ``unit``, ``citation``, ``confidence`` (the
    sources shown as written)."""
    import pandas as pd

    rows = [
        a for a in assumptions if a["confidence"] != "park" and a["value"] not in ("", (), {}, None)
    ]

    def shown(v):
        return f"{v:g}" if isinstance(v, float) else str(v)

    return pd.DataFrame(
        {
            "setting": [a["setting"] for a in rows],
            "setting_value": [shown(a["value"]) for a in rows],
            "unit": [a["unit"] for a in rows],
            "citation": [a["source"] for a in rows],
            "confidence": [a["confidence"] for a in rows],
        },
        dtype=object,
    )


def items_frame(frame, lang: str | None):
    """A one-row result as ``item, value`` rows (the zero-carbon gap); with a language
    each item is its column's name and unit and each value a formatted cell."""
    items = frame.T.reset_index().set_axis(["item", "value"], axis=1)
    if lang is not None:
        from greenpark.core.labels import header
        from greenpark.report.html import fmt

        values = [fmt(v, c, lang) for c, v in zip(items["item"], items["value"], strict=True)]
        items = items.assign(item=[header(c, lang) for c in items["item"]], value=values)
    return items.astype({"value": object})


def long_table(frame, lang: str | None) -> tuple:
    """The PV value's ``metric, value, unit`` rows for people: with a language each
    metric by its name and text values translated, the weather and the grid factor's
    source moved to note lines (sources as written). Returns (frame, notes)."""
    if lang is None:
        return frame, []
    from greenpark.core.labels import column_label, term

    as_notes = frame["metric"].isin(["weather", "grid_factor_source"])
    notes = [
        text("value_source", lang, what=column_label(m, lang), source=weather_label(v, lang))
        for m, v in zip(frame["metric"][as_notes], frame["value"][as_notes], strict=True)
    ]
    shown = frame[~as_notes].assign(
        metric=lambda f: [column_label(m, lang) for m in f["metric"]],
        value=lambda f: [term(v, lang) if isinstance(v, str) else v for v in f["value"]],
    )
    return shown, notes


def weather_label(label: str, lang: str | None) -> str:
    """A weather set's label (``weather set 1: FILE (typical year)``) in ``lang``."""
    if lang != "zh":
        return label
    for en, zh in (("weather set ", "气象数据集 "), (" (typical year)", "（典型年）")):
        label = label.replace(en, zh)
    return label


def assumed(lines, lang: str | None = None) -> list[str]:
    """Note lines of settings greenpark assumed, marked as such in Chinese."""
    return [text("assumed", lang, line=line) for line in lines]


def text(key: str, lang: str | None = None, /, **params) -> str:
    """The text ``key`` in ``lang`` (English without one), fields filled from
    ``params``; a parameter listed in :data:`BY` is put in the same language."""
    en, zh = TEXTS[key]
    zh_wanted = lang == "zh"
    filled = {
        k: (BY[v][1] if zh_wanted else BY[v][0]) if isinstance(v, str) and v in BY else v
        for k, v in params.items()
    }
    out = (zh if zh_wanted else en).format(**filled)
    if lang == "en":  # the bilingual titles printed without a language: English only
        head, sep, tail = out.partition(" / ")
        if sep and any("\u2e80" <= ch <= "\u9fff" for ch in tail):
            out = head
    return out
