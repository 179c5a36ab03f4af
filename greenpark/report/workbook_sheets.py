"""The audit workbook's cover and the sheets that trace its inputs: green-power
contracts and certificates (counted MWh as formulas, referenced by the market-based
lines) and register meters' opening and closing readings (期初/期末) per month."""

from __future__ import annotations

from dataclasses import dataclass

from greenpark.core import labels as cat
from greenpark.report.workbook import column_header, put, sheet_name, table

COVER_ZH = {
    "park_id": "园区编号",
    "park_name": "园区名称（英文）",
    "park_name_zh": "园区名称",
    "province": "省份",
    "timezone": "时区",
    "period": "报告期",
    "report": "报告类型",
    "greenpark_version": "greenpark 版本",
    "generated_at": "生成时间",
    "emissions": "核算口径",
    "how to audit": "核对方法",
    "NO DATA": "无数据",
}
HOW_TO_AUDIT = (
    "Emissions!J = Activity quantity x Factors value (/1000 for kWh x tCO2/MWh); Summary "
    "sums Emissions with SUMIFS; fuel CO2 factors are NCV x C x OX x 44/12 formulas on the "
    "Factors sheet; the market-based kWh are the month's net grid purchase split by the "
    "counted MWh of the Green power sheet; Register meters shows each month's opening and "
    "closing readings"
)
HOW_TO_AUDIT_ZH = (
    "排放计算!J = 活动数据数量 × 因子值（kWh × tCO2/MWh 时除以 1000）；"
    "汇总表以 SUMIFS 汇总排放计算表；"
    "燃料排放因子为因子表中 低位发热量 × 含碳量 × 氧化率 × 44/12 的公式；"
    "基于市场的电量为当月净外购电量按绿电绿证表计入电量拆分；累计表读数表列出每月期初、期末读数"
)


def cover(wb, fmt, data, lang: str) -> None:
    """The cover: park, period, report kind, version, method choices, input file hashes."""
    ws = wb.add_worksheet(sheet_name("cover", lang))
    park = data.park
    zh = lang == "zh"
    items = [
        ("park_id", park.id),
        ("park_name", park.name),
        ("park_name_zh", park.name_zh),
        ("province", park.province),
        ("timezone", park.timezone),
        ("period", data.period),
        ("report", ("月度" if data.kind == "monthly" else "年度") if zh else data.kind),
        ("greenpark_version", data.version),
        ("generated_at", data.generated_at),
        (
            "emissions",
            "仅二氧化碳（tCO2）；能源按 GB/T 2589 折标（tce）"
            if zh
            else "tCO2 (CO2 only); energy in tce (GB/T 2589)",
        ),
        ("how to audit", HOW_TO_AUDIT_ZH if zh else HOW_TO_AUDIT),
    ]
    if data.empty:
        items.append(("NO DATA", data.empty_message))
    ws.write_string(0, 0, "greenpark carbon audit workbook / 碳核算审计工作簿", fmt.title)
    for i, (key, value) in enumerate(items, start=2):
        ws.write_string(i, 0, COVER_ZH[key] if zh else key)
        put(ws, i, 1, value)
    row = len(items) + 3
    ws.write_string(row, 0, "method choices / 方法选择", fmt.title)
    for r, rec in enumerate(data.tables["method"].itertuples(index=False), start=row + 1):
        for c, value in enumerate(rec):
            put(ws, r, c, value)
    row += len(data.tables["method"]) + 2
    ws.write_string(row, 0, "input files (SHA-256) / 输入文件", fmt.title)
    for r, rec in enumerate(data.tables["inputs"].itertuples(index=False), start=row + 1):
        for c, value in enumerate(rec):
            put(ws, r, c, value)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60, fmt.wrap)
    ws.set_column(2, 2, 24)
    ws.set_column(3, 3, 66)
    ws.set_column(4, 5, 14)


@dataclass
class GreenPowerRanges:
    """Where the Green power sheet keeps each row's month and counted MWh (absolute
    ranges for SUMIFS)."""

    month: str
    counted: str


def green_power(wb, fmt, frame, lang: str) -> GreenPowerRanges | None:
    """One row per instrument and month it covers; ``counted_mwh`` is the formula
    ``IF(vintage_year = month_year, mwh x days_in_month / days_total, 0)``."""
    if frame is None:
        return None
    from greenpark.report.workbook import _letter

    sheet = sheet_name("green_power", lang)
    ws = wb.add_worksheet(sheet)
    columns = list(frame.columns)
    at = {c: _letter(i) for i, c in enumerate(columns)}
    formats = [fmt.for_column(c) for c in columns]
    for r, rec in enumerate(frame.itertuples(index=False, name=None), start=1):
        row = r + 1
        for c, value in enumerate(rec):
            column = columns[c]
            if column == "counted_mwh":
                formula = (
                    f"=IF({at['vintage_year']}{row}={at['month_year']}{row},"
                    f"{at['mwh']}{row}*{at['days_in_month']}{row}/{at['days_total']}{row},0)"
                )
                ws.write_formula(r, c, formula, fmt.formula, float(value))
                continue
            if lang == "zh" and column == "type":
                value = cat.term(value, "zh")
            if lang == "zh" and column == "reason" and isinstance(value, str):
                value = "生产年份不在报告年度内（GHG Protocol 范围二质量要求）"
            put(ws, r, c, value, formats[c])
    last = len(frame) + 1
    table(ws, fmt, "tbl_green_power", [column_header(c, lang) for c in columns], len(frame))
    return GreenPowerRanges(
        month=f"'{sheet}'!${at['month']}$2:${at['month']}${last}",
        counted=f"'{sheet}'!${at['counted_mwh']}$2:${at['counted_mwh']}${last}",
    )


def registers(wb, fmt, frame, lang: str) -> None:
    """Register meters per month: opening and closing readings, rollovers and resets,
    the stored quantity and, as formulas, the quantity from the readings
    ((closing - opening + rollovers x register_max) x multiplier x unit factor) and its
    difference to the stored one (non-zero only where a reset is noted)."""
    if frame is None or frame.empty:
        return
    from greenpark.report.workbook import _letter

    ws = wb.add_worksheet(sheet_name("registers", lang))
    columns = list(frame.columns)
    at = {c: _letter(i) for i, c in enumerate(columns)}
    formats = [fmt.for_column(c) for c in columns]
    n = len(columns)
    for r, rec in enumerate(frame.itertuples(index=False, name=None), start=1):
        row = r + 1
        for c, value in enumerate(rec):
            if lang == "zh" and columns[c] == "note" and isinstance(value, str):
                value = "表码复位（换表）：该时段用量未知、未计入，故期末减期初与计入量不同"
            put(ws, r, c, value, formats[c])
        from_readings = (
            f"=({at['closing_reading']}{row}-{at['opening_reading']}{row}"
            f"+{at['rollovers']}{row}*{at['register_max']}{row})"
            f"*{at['multiplier']}{row}*{at['to_canonical']}{row}"
        )
        cached = _from_readings(rec, columns)
        ws.write_formula(r, n, from_readings, fmt.formula, cached)
        ws.write_formula(
            r,
            n + 1,
            f"={_letter(n)}{row}-{at['quantity']}{row}",
            fmt.formula,
            cached - float(rec[columns.index("quantity")]),
        )
    headers = [column_header(c, lang) for c in columns]
    headers += (
        ["由读数计算 [计量单位]", "差值"] if lang == "zh" else ["from_readings", "difference"]
    )
    table(ws, fmt, "tbl_registers", headers, len(frame))


def _from_readings(rec, columns) -> float:
    v = dict(zip(columns, rec, strict=True))
    delta = v["closing_reading"] - v["opening_reading"] + v["rollovers"] * (v["register_max"] or 0)
    return float(delta * v["multiplier"] * v["to_canonical"])


COMPLETENESS_HEADERS = {
    "en": ["window", "period", "data completeness", "note"],
    "zh": ["期间类型", "期间", "数据完整性", "说明"],
}
WINDOW_ZH = {
    "month": "本月",
    "previous_month": "上月",
    "month_last_year": "上年同月",
    "ytd": "本年累计",
    "ytd_last_year": "上年同期累计",
    "year": "本年",
    "previous_year": "上年",
}


def completeness(wb, fmt, frame, lang: str) -> None:
    """The Completeness sheet: per report column (current, previous, last year ...) its
    period, whether every boundary meter reached the coverage threshold there (a badge
    "incomplete data" / "数据不完整" when not) and the note naming the meters and their
    missing share; month-on-month and year-on-year changes over an incomplete column are
    not facts."""

    if frame is None or frame.empty:
        return
    zh = lang == "zh"
    ws = wb.add_worksheet(sheet_name("completeness", lang))
    bad, good = BADGE["zh" if zh else "en"]
    for r, rec in enumerate(frame.itertuples(index=False), start=1):
        low = not bool(rec.complete)
        put(ws, r, 0, WINDOW_ZH.get(rec.window, rec.window) if zh else rec.window)
        put(ws, r, 1, rec.period)
        ws.write_string(r, 2, bad if low else good, fmt.badge if low else None)
        put(ws, r, 3, (rec.note_zh if zh else rec.note) if low else "")
    table(ws, fmt, "tbl_completeness", COMPLETENESS_HEADERS["zh" if zh else "en"], len(frame))


# Summary column of the completeness badge and of its note (after the five above)
BADGE_COL = 5
BADGE = {"en": ("incomplete data", "complete"), "zh": ("数据不完整", "完整")}


def completeness_cells(ws, fmt, completeness, rows: int, lang: str) -> None:
    """Mark every Summary figure (all of the report's period) whose inputs are incomplete:
    a badge cell ("incomplete data" / "数据不完整", red) and a note naming the boundary
    meters below the coverage threshold and their missing share, as the HTML report's
    cards do. Nothing is written without a completeness table (an empty report)."""
    if completeness is None or completeness.empty:
        return
    current = completeness.set_index("column").loc["current"]
    low = not bool(current["complete"])
    bad, good = BADGE["zh" if lang == "zh" else "en"]
    note = current["note_zh"] if lang == "zh" else current["note"]
    for i in range(1, rows + 1):
        ws.write_string(i, BADGE_COL, bad if low else good, fmt.badge if low else None)
        ws.write_string(i, BADGE_COL + 1, note if low else "")


def intensity_completeness(frame, flags: dict | None, lang: str):
    """The Intensities sheet's rows (one per window: month, previous month ... rolling 12
    months) with a ``data_completeness`` column: "incomplete data" / "数据不完整" where the
    window's boundary meters are below the coverage threshold, "complete" / "完整" where
    not (``flags``: window -> complete, from the intensity result)."""
    if not flags or "period" not in frame.columns:
        return frame
    bad, good = BADGE["zh" if lang == "zh" else "en"]
    out = frame.copy()
    out["data_completeness"] = [
        None if p not in flags else (good if flags[p] else bad) for p in out["period"]
    ]
    return out
