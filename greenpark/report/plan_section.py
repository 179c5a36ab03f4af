"""The plan in what people read: titles (zh/en), notes, the annual report's section and
the workbook's sheets (inputs, dispatch summary, MACC with formulas for CNY/tCO2).

Renders :func:`greenpark.metrics.plan.sizing.storage_plan` and
:func:`greenpark.metrics.plan.planner.pathway_result` Results; computes nothing.
"""

from __future__ import annotations

TITLES: dict[str, tuple[str, str]] = {  # key -> (en, zh)
    "storage": (
        "PV + storage sizing {period} ({interval:g}-minute data)",
        "光伏+储能配置 {period}（{interval:g} 分钟数据）",
    ),
    "bill": ("Electricity bill by component, best by NPV [CNY]", "电费分项（净现值最优方案）[元]"),
    "baseline": ("Base year {base_year} (basis: {basis})", "基准年 {base_year}（口径：{basis}）"),
    "macc": (
        "Marginal abatement cost curve, target {target_year}",
        "边际减排成本曲线，目标年 {target_year}",
    ),
    "path": (
        "Year-by-year path to {threshold_tco2_per_tce:g} tCO2/tce",
        "逐年路径（目标 {threshold_tco2_per_tce:g} tCO2/tce）",
    ),
    "section": ("Zero-carbon pathway plan", "零碳路径规划"),
}
ASSUMED = ("assumed", "假设")


def title(key: str, lang: str, inputs: dict) -> str:
    """The title ``key`` in ``lang`` with the Result's inputs filled in."""
    en, zh = TITLES[key]
    text = zh if lang == "zh" else en
    values = {"interval": inputs.get("interval_minutes", 0.0), **inputs}
    return text.format(**values)


def notes_of(result, lang: str) -> list[str]:
    """The settings used that are not the park's own, as note lines."""
    from greenpark.metrics.pv.potential import assumption_text

    word = ASSUMED[1] if lang == "zh" else ASSUMED[0]
    return [
        f"{word}: {assumption_text(a)}"
        for a in result.inputs.get("assumptions", [])
        if a["confidence"] != "park" and a["value"] not in ("", (), {})
    ]
