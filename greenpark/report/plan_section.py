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

    word = f"{ASSUMED[1]}：" if lang == "zh" else f"{ASSUMED[0]}: "
    return [
        f"{word}{assumption_text(a)}"
        for a in result.inputs.get("assumptions", [])
        if a["confidence"] != "park" and a["value"] not in ("", (), {})
    ]


LABELS: dict[str, tuple[str, str]] = {  # key -> (en, zh), for the report section
    "inputs": ("Inputs and assumptions", "输入与假设"),
    "dispatch": (
        "Storage dispatch, [plan.storage] battery [CNY]",
        "储能调度（[plan.storage]）[元]",
    ),
    "macc": ("Marginal abatement cost curve", "边际减排成本曲线"),
    "path": ("Year-by-year path", "逐年路径"),
    "chart": ("MACC: width = tCO2 abated, height = CNY/tCO2", "MACC：宽度 = 减排量，高度 = 元/吨"),
}
MACC_SHOWN = (
    "rank",
    "lever_id",
    "kind",
    "abated_tco2",
    "cny_per_tco2",
    "chosen_share",
    "start_year",
)


# ----------------------------------------------------------------------- report section
def plan(b) -> None:
    """The annual report's plan section (a :class:`greenpark.report.sections.Build`):
    the pathway for ``[[plan.levers]]`` and the dispatch of ``[plan.storage]``'s battery,
    for the report's year. Nothing when the park has neither, or in a monthly report."""
    from greenpark.core.errors import GreenparkError

    settings = b.store.park().plan
    if b.kind != "annual" or not (settings.levers or settings.storage.energy_kwh):
        return
    t = b.data.tables
    try:
        if settings.storage.energy_kwh:
            found = dispatch_summary(b.store, b.year)
            t["plan_dispatch"] = found.frame
            t["plan_inputs"] = inputs_table(found.inputs["assumptions"])
            b.add("plan", found.findings)
        if settings.levers:
            result = _pathway(b.store, b.year)
            t["plan_macc"], t["plan_path"] = result.frame, result.tables["path"]
            t["plan_inputs"] = inputs_table(result.inputs["assumptions"])
            b.add("plan", [f for f in result.findings if f.code.startswith("plan.")])
    except GreenparkError as exc:
        b.unavailable("plan", exc)


def _pathway(store, year):
    from greenpark.metrics.plan.planner import pathway_result

    target = max(store.park().zero_carbon.target_year, year.first.year + 1)
    return pathway_result(store, target, None, year)


def dispatch_summary(store, year):
    """The ``[plan.storage]`` battery dispatched against the year's metered load and PV:
    bill components before and after, savings, cycles (a Result)."""
    import pandas as pd

    from greenpark.core.findings import Result
    from greenpark.metrics.plan.dispatch import dispatch
    from greenpark.metrics.plan.inputs import interval_data
    from greenpark.metrics.plan.sizing import assumptions_of, battery_of
    from greenpark.metrics.plan.tariff import period_codes

    park = store.park()
    storage = park.plan.storage
    battery = battery_of(storage, storage.energy_kwh, storage.power_kw)
    data = interval_data(store, year)
    codes = period_codes(data.months, data.hours, park.tariff)
    found = dispatch(
        data.load_kwh,
        data.pv_existing_kwh,
        codes,
        data.month_index,
        park.tariff,
        battery,
        data.step_h,
    )
    rows = [
        {
            "item": k,
            "before_cny": v,
            "after_cny": found.bill_after[k],
            "savings_cny": v - found.bill_after[k],
        }
        for k, v in found.bill_before.items()
    ]
    rows.append(
        {
            "item": "degradation_cny",
            "before_cny": 0.0,
            "after_cny": found.degradation_cny,
            "savings_cny": -found.degradation_cny,
        }
    )
    rows.append(
        {
            "item": "cycles_per_year",
            "before_cny": None,
            "after_cny": found.cycles,
            "savings_cny": None,
        }
    )
    inputs = {
        "period": year.label,
        "battery_kwh": battery.energy_kwh,
        "battery_kw": battery.power_kw,
        "assumptions": assumptions_of(park),
    }
    return Result(pd.DataFrame(rows), list(data.findings), inputs)


def inputs_table(assumptions: list[dict]):
    """The settings used: ``setting, value, unit, source, confidence``."""
    import pandas as pd

    rows = [{**a, "value": _text(a["value"])} for a in assumptions]
    return pd.DataFrame(rows, columns=["setting", "value", "unit", "source", "confidence"])


def _text(value) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------------- html
def html_section(data, lang: str) -> dict | None:
    """The plan section of the HTML report (:data:`greenpark.report.html_sections.SECTIONS`):
    the MACC chart, the MACC, path, dispatch and inputs tables with catalogued headers in
    ``lang``, and the plan's findings; None without a plan."""
    from greenpark.report.html import view
    from greenpark.report.html_sections import finding_notes

    t = data.tables
    if not any(k in t for k in ("plan_macc", "plan_dispatch")):
        return None
    zh = lang == "zh"
    blocks = []
    macc = t.get("plan_macc")
    if macc is not None:
        chart = macc_svg(macc)
        if chart:
            blocks.append({"type": "chart", "svg": chart})
            blocks.append({"type": "text", "text": LABELS["chart"][zh]})
        blocks.append(_block(LABELS["macc"][zh], view(macc, list(MACC_SHOWN), lang)))
    if "plan_path" in t:
        blocks.append(_block(LABELS["path"][zh], view(t["plan_path"], None, lang)))
    if "plan_dispatch" in t:
        blocks.append(_block(LABELS["dispatch"][zh], view(t["plan_dispatch"], None, lang)))
    if "plan_inputs" in t:
        # values and sources as written (settings, citations): shown untranslated
        shown = t["plan_inputs"].rename(columns={"value": "setting_value", "source": "citation"})
        blocks.append(_block(LABELS["inputs"][zh], view(shown, None, lang)))
    blocks.append({"type": "notes", "items": finding_notes(data, ("plan",), lang)})
    return {"id": "plan", "title": TITLES["section"][zh], "blocks": blocks}


def _block(title: str, table: dict) -> dict:
    return {"type": "table", "title": title, "table": table}


def macc_svg(curve, width: float = 480.0, height: float = 300.0) -> str:
    """The MACC as inline SVG: one bar per lever abating something, width = tCO2, height =
    CNY/tCO2 (below the axis when negative); labels XML-escaped."""
    from html import escape

    rows = curve[(curve["abated_tco2"] > 0) & curve["cny_per_tco2"].notna()]
    total = float(rows["abated_tco2"].sum())
    if rows.empty or total <= 0:
        return ""
    top = max(float(rows["cny_per_tco2"].max()), 0.0)
    bottom = min(float(rows["cny_per_tco2"].min()), 0.0)
    span = (top - bottom) or 1.0
    left, plot_w, plot_h, pad = 60.0, width - 80.0, height - 50.0, 20.0
    zero_y = pad + plot_h * top / span
    parts, x = [], left
    for r in rows.itertuples():
        w = plot_w * r.abated_tco2 / total
        y = pad + plot_h * (top - max(r.cny_per_tco2, 0.0)) / span
        h = plot_h * abs(r.cny_per_tco2) / span
        fill = "#2E7D32" if r.chosen_share > 0 else "#9E9E9E"
        label = escape(f"{r.lever_id}: {r.cny_per_tco2:,.0f} CNY/tCO2, {r.abated_tco2:,.0f} tCO2")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{max(h, 0.5):.1f}"'
            f' fill="{fill}" stroke="#fff" stroke-width="0.5"><title>{label}</title></rect>'
        )
        x += w
    axis = (
        f'<line x1="{left}" y1="{zero_y:.1f}" x2="{left + plot_w}" y2="{zero_y:.1f}" '
        'stroke="#333"/>'
        f'<text x="{left - 5}" y="{pad + 4:.1f}" text-anchor="end" font-size="14">'
        f"{top:,.0f}</text>"
        f'<text x="{left - 5}" y="{pad + plot_h:.1f}" text-anchor="end" font-size="14">'
        f"{bottom:,.0f}</text>"
        f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end" font-size="14">'
        f"{total:,.0f} tCO2</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" translate="no">{"".join(parts)}{axis}</svg>'
    )


# ----------------------------------------------------------------------------- workbook
def write_sheets(wb, fmt, data) -> None:
    """Plan sheets of the audit workbook: inputs, dispatch summary, the MACC with live
    formulas for CNY/tCO2 and the running total, and the path."""
    from greenpark.report.workbook import _frame_sheet

    t = data.tables
    for sheet, name in (("Plan inputs", "plan_inputs"), ("Plan dispatch", "plan_dispatch")):
        if name in t:
            _frame_sheet(wb, fmt, sheet, t[name])
    if "plan_macc" in t:
        _macc_sheet(wb, fmt, t["plan_macc"])
    if "plan_path" in t:
        _frame_sheet(wb, fmt, "Plan path", t["plan_path"])


def _sheet_columns() -> tuple[str, ...]:
    """The MACC's columns but the two the sheet computes with formulas."""
    from greenpark.metrics.plan.pathway import MACC_COLUMNS

    return tuple(c for c in MACC_COLUMNS if c not in FORMULA_COLUMNS)


FORMULA_COLUMNS = ("cny_per_tco2", "cumulative_abated_tco2")


def _macc_sheet(wb, fmt, curve) -> None:
    """Columns A..K as :func:`_sheet_columns`; L = G / H (CNY/tCO2, blank when
    nothing is abated), M = the row above + max(H, 0); greenpark's values cached."""
    from greenpark.report.headers import header
    from greenpark.report.workbook import _plain, put
    from greenpark.report.workbook import table as _table

    ws = wb.add_worksheet("Plan MACC")
    plain = _sheet_columns()
    columns = [*plain, *FORMULA_COLUMNS]
    for r, rec in enumerate(curve.itertuples(index=False), start=1):
        for c, col in enumerate(plain):
            put(ws, r, c, _plain(getattr(rec, col)), fmt.for_column(col))
        excel = r + 1
        cost = rec.cny_per_tco2
        ws.write_formula(
            r,
            11,
            f'=IF(H{excel}>0,G{excel}/H{excel},"")',
            fmt.formula,
            cost if cost == cost else "",
        )
        running = f"=MAX(H{excel},0)" if r == 1 else f"=M{excel - 1}+MAX(H{excel},0)"
        ws.write_formula(r, 12, running, fmt.formula, rec.cumulative_abated_tco2)
    _table(ws, fmt, "tbl_plan_macc", [header(c) for c in columns], len(curve))
