"""The carbon-audit workbook (XLSX): every emission figure traceable to its activity
data and factor through live Excel formulas.

Sheets: a cover (README: park, period, method choices, version, input file hashes),
Summary (formulas), Activity (every ledger line; the market-based lines' kWh are formulas
over the grid meters and the Green power sheet), Factors (with the fuel parameters behind
composite fuel factors, as a formula), Emissions (formulas linking Activity and Factors),
Green power (every contract and certificate per month, counted MWh as a formula), Register
meters (opening and closing readings per month), then the result tables of the period.
With ``lang="zh"`` sheet names and headers are Chinese (:mod:`greenpark.core.labels`).
Numbers are stored as numbers with the number format of their column's kind
(:mod:`greenpark.core.formats`); every column is autofit.

Text is always written as text (``write_string``; ``strings_to_formulas`` is off), so a
name such as ``=cmd|' /C calc'!A0`` stays an inert string. Formula cells carry the value
greenpark computed as their cached result, for viewers that do not recalculate.
"""

from __future__ import annotations

import datetime as dt
import math

from greenpark.core import labels as cat
from greenpark.core.formats import excel_format
from greenpark.report import plan_section
from greenpark.report.headers import header
from greenpark.report.wind_section import write_wind_sheet

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
    # The XML parts are assembled in memory, not in temporary files under TMPDIR: a full
    # disk or a kill must leave nothing behind (xlsxwriter leaves its temp files when the
    # zip cannot be written), and the cells are held in memory anyway.
    "in_memory": True,
}


def open_workbook(path):
    """An xlsxwriter workbook built in memory; :func:`save_workbook` writes it to ``path``.

    The zip is assembled in a buffer and written with one ``write``: a full disk is then
    one clean ``OSError`` at the caller (inside :func:`greenpark.io.files.atomic_path`),
    not a zip file half-closed by the garbage collector.
    """
    import io

    import xlsxwriter

    book = xlsxwriter.Workbook(io.BytesIO(), WORKBOOK_OPTIONS)
    book.greenpark_target = path
    return book


def save_workbook(book) -> None:
    """Close ``book`` (from :func:`open_workbook`) and write its bytes to its target."""
    from pathlib import Path

    book.close()
    Path(book.greenpark_target).write_bytes(book.filename.getvalue())


ACTIVITY_COLUMNS = [
    "line",
    "month",
    "meter_id",
    "enterprise_id",
    "scope",
    "source",
    "activity",
    "basis",
    "quantity",
    "unit",
    "factor_key",
    "tce_key",
]
FACTOR_COLUMNS = [
    "key",
    "factor_id",
    "value",
    "unit",
    "role",
    "source",
    "year",
    "confidence",
    "override",
    "note",
]
EMISSION_HEADERS = [
    "line",
    "scope",
    "source",
    "basis",
    "quantity [Activity unit]",
    "unit",
    "factor_key",
    "emission_factor",
    "factor_unit",
    "emissions_tco2 [tCO2]",
    "location_tco2 [tCO2]",
    "market_tco2 [tCO2]",
    "tce_coefficient [kgce/unit]",
    "energy_tce [tce]",
]
# sheet key -> (English name, Chinese name); formulas refer to sheets by these names
SHEETS = {
    "cover": ("README", "封面"),
    "summary": ("Summary", "汇总"),
    "activity": ("Activity", "活动数据"),
    "factors": ("Factors", "因子"),
    "emissions": ("Emissions", "排放计算"),
    "green_power": ("Green power", "绿电绿证"),
    "registers": ("Register meters", "累计表读数"),
    "energy_carrier": ("Energy", "能源"),
    "energy_meter": ("Meters", "表计"),
    "carbon_enterprise": ("Enterprises", "企业"),
    "carbon_industry": ("Industries", "行业"),
    "intensities": ("Intensities", "强度"),
    "series": ("Monthly", "分月"),
    "tou": ("Load profile", "峰平谷"),
    "waste": ("Waste", "固废"),
    "resources": ("Resources", "资源"),
    "resource_indicators": ("Resource indicators", "资源指标"),
    "pv_value": ("PV", "光伏"),
    "pv_monthly": ("PV by month", "光伏分月"),
    "zero_carbon": ("Zero-carbon", "零碳指标"),
    "zero_carbon_bases": ("Core bases", "核心指标各口径"),
    "trajectory": ("Trajectory", "轨迹"),
    "year_progress": ("Year progress", "本年进展"),
    "findings": ("Findings", "提示"),
    "coverage": ("Coverage", "完整率"),
    "completeness": ("Completeness", "数据完整性"),
    "inputs": ("Input files", "输入文件"),
}
# Result tables written as plain sheets, in order (keys of SHEETS and of ReportData.tables)
RESULT_SHEETS = (
    "energy_carrier",
    "energy_meter",
    "carbon_enterprise",
    "carbon_industry",
    "intensities",
    "series",
    "tou",
    "waste",
    "resources",
    "resource_indicators",
    "pv_value",
    "pv_monthly",
    "zero_carbon",
    "zero_carbon_bases",
    "trajectory",
    "year_progress",
    "findings",
    "coverage",
    "inputs",
)


def sheet_name(key: str, lang: str = "en") -> str:
    """The name of a workbook sheet in ``lang``."""
    en, zh = SHEETS[key]
    return zh if lang == "zh" else en


class _Formats:
    def __init__(self, wb):
        self.wb = wb
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "border": 1}
        )
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.number = wb.add_format({"num_format": "#,##0.000"})
        self.factor = wb.add_format({"num_format": "0.000000"})
        self.pct = wb.add_format({"num_format": "0.00"})
        self.integer = wb.add_format({"num_format": "0"})
        self.formula = wb.add_format({"num_format": "#,##0.000", "bg_color": "#FFF2CC"})
        self.formula_factor = wb.add_format({"num_format": "0.000000", "bg_color": "#FFF2CC"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.badge = wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"})
        self._kinds: dict = {}

    def for_column(self, column: str):
        """The number format of a column's kind (the label catalogue's), or by name."""
        kind = cat.kind(column)
        if kind is not None:
            if kind not in self._kinds:
                self._kinds[kind] = self.wb.add_format({"num_format": excel_format(kind)})
            return self._kinds[kind]
        if column.endswith("_pct"):
            return self.pct
        if column in ("value", "factor_value") or "per_" in column:
            return self.factor
        return self.number


def column_header(column: str, lang: str) -> str:
    """A column's header: ``Name [unit]`` in Chinese, ``column_id [unit]`` in English (the
    ids a script reading the workbook uses)."""
    return cat.header(column, "zh") if lang == "zh" else header(column)


def write_workbook(data, path, generated_at: str | None = None, lang: str = "en") -> None:
    """Write the audit workbook of ``data`` (a :class:`ReportData`) to ``path``.

    The file's creation time is the report's generation time, so equal inputs give equal
    bytes. ``lang``: ``en`` (English sheet names, column ids as headers) or ``zh``.
    """
    from greenpark.report import workbook_sheets as sheets

    wb = open_workbook(path)
    created = dt.datetime.fromisoformat(generated_at or data.generated_at).replace(tzinfo=None)
    wb.set_properties(
        {
            "title": f"greenpark carbon audit {data.period}",
            "author": "greenpark",
            "created": created,
        }
    )
    fmt = _Formats(wb)
    sheets.cover(wb, fmt, data, lang)
    if not data.empty:
        t = data.tables
        summary = wb.add_worksheet(sheet_name("summary", lang))
        lines = t["ledger"]
        green = sheets.green_power(wb, fmt, t.get("green_power"), lang)
        activity_rows = _activity(wb, fmt, lines, lang, green)
        factor_rows = _factors(wb, fmt, t["factors"], lang)
        rows = _emissions(wb, fmt, lines, factor_rows, activity_rows, lang)
        _summary(summary, fmt, data.values["summary"], rows, lang, t["carbon_enterprise"])
        sheets.completeness_cells(summary, fmt, t.get("completeness"), len(SUMMARY_ROWS), lang)
        sheets.completeness(wb, fmt, t.get("completeness"), lang)
        sheets.registers(wb, fmt, t.get("registers"), lang)
        for key in RESULT_SHEETS:
            frame = t.get(key)
            if key == "intensities" and frame is not None:
                flags = data.values.get("intensities_complete")
                frame = sheets.intensity_completeness(frame, flags, lang)
            if frame is not None:
                _frame_sheet(wb, fmt, sheet_name(key, lang), frame, lang)
        write_wind_sheet(wb, fmt, data)
        plan_section.write_sheets(wb, fmt, data)
    save_workbook(wb)


# ------------------------------------------------------------------------------ cells
def put(ws, row: int, col: int, value, cell_format=None) -> None:
    """Write one value with the right XlsxWriter call: text always as a string."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), cell_format)
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        put(ws, row, col, value.item(), cell_format)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_string(row, col, value.isoformat())
    else:
        text = str(value)
        ws.write_string(row, col, "" if text in ("nan", "NaT", "<NA>", "None") else text)


def table(ws, fmt, name: str, headers: list[str], rows: int) -> None:
    """An Excel table over the header row and ``rows`` data rows, frozen header, every
    column autofit to its content."""
    ws.freeze_panes(1, 0)
    last = max(rows, 1)
    ws.add_table(
        0,
        0,
        last,
        len(headers) - 1,
        {"name": name, "style": "Table Style Light 9", "columns": [{"header": h} for h in headers]},
    )
    ws.set_row(0, 30, fmt.head)
    ws.autofit()


def _cell(row: int, col: int, sheet: str | None = None, absolute: bool = False) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    ref = xl_rowcol_to_cell(row, col, absolute, absolute)
    return f"'{sheet}'!{ref}" if sheet else ref


# ----------------------------------------------------------------------------- sheets
def _activity(wb, fmt, lines, lang: str, green) -> dict[int, int]:
    """Activity sheet; returns ledger position -> worksheet row. The market-based lines'
    kWh are formulas: the net grid purchase of the month (the location-based grid lines
    above) split into what the Green power sheet's counted MWh cover and the rest."""
    ws = wb.add_worksheet(sheet_name("activity", lang))
    headers = [
        column_header(c, lang) if c != "quantity" or lang == "zh" else "quantity [unit]"
        for c in ACTIVITY_COLUMNS
    ]
    rows = {}
    grid: dict[str, list[str]] = {}  # month -> quantity cells of its location-based grid lines
    for i, line in enumerate(lines.itertuples(index=False)):
        if (line.scope, line.source, line.basis) == ("scope2", "electricity", "location"):
            grid.setdefault(f"{line.month:%Y-%m}", []).append(_cell(i + 1, 8))
    for i, line in enumerate(lines.itertuples(index=False)):
        r = i + 1
        rows[i] = r
        values = [
            i + 1,
            f"{line.month:%Y-%m}",
            line.meter_id,
            line.enterprise_id,
            line.scope,
            line.source,
            line.activity,
            line.basis,
            line.quantity,
            line.unit,
            line.factor_key,
            line.tce_key,
        ]
        for c, value in enumerate(values):
            put(ws, r, c, _text_or_value(value), fmt.number if c == 8 else None)
        market = _market_formula(line, grid.get(values[1], []), green)
        if market:
            ws.write_formula(r, 8, market, fmt.formula, float(line.quantity))
    table(ws, fmt, "tbl_activity", headers, len(lines))
    return rows


def _letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)


def _market_formula(line, grid_cells: list[str], green) -> str | None:
    """The formula of a market-based line's kWh (None for other lines): the month's net
    grid purchase (its grid import and export lines) covered by the
    counted MWh of the Green power sheet, or the rest."""
    if line.basis != "market" or not isinstance(line.activity, str) or not grid_cells:
        return None
    month = f"{line.month:%Y-%m}"
    net = "+".join(grid_cells)
    claimed = "0" if green is None else f'SUMIFS({green.counted},{green.month},"{month}")*1000'
    covered = f"MIN(MAX({net},0),{claimed})"
    if "not covered" in line.activity:
        return f"=({net})-{covered}"
    return f"={covered}"


def _text_or_value(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def _factors(wb, fmt, factors, lang: str) -> dict[str, int]:
    """Factors sheet; returns key -> worksheet row. Composite fuel factors are formulas
    over their parameter rows."""
    ws = wb.add_worksheet(sheet_name("factors", lang))
    rows = {key: i + 1 for i, key in enumerate(factors["key"])}
    for i, f in enumerate(factors.itertuples(index=False)):
        r = i + 1
        values = [
            f.key,
            f.factor_id,
            f.value,
            f.unit,
            f.role,
            f.source,
            f.year,
            f.confidence,
            f.override,
            f.note,
        ]
        for c, value in enumerate(values):
            if c == 2 and f.parts:
                ncv, carbon_c, ox = (_cell(rows[p], 2) for p in f.parts)
                ws.write_formula(
                    r, c, f"={ncv}/1000*{carbon_c}*{ox}*44/12", fmt.formula_factor, float(f.value)
                )
            elif c == 6:
                put(ws, r, c, None if value is None or value != value else int(value), fmt.integer)
            elif c == 4:
                put(ws, r, c, cat.term(value, lang) if lang == "zh" else value)
            else:
                put(ws, r, c, _text_or_value(value), fmt.factor if c == 2 else None)
    headers = [
        column_header(c, lang) if c != "value" or lang == "zh" else "value [unit]"
        for c in FACTOR_COLUMNS
    ]
    table(ws, fmt, "tbl_factors", headers, len(factors))
    return rows


def _emissions(wb, fmt, lines, factor_rows: dict, activity_rows: dict, lang: str) -> int:
    """Emissions sheet: one formula row per activity line; returns the number of rows."""
    ws = wb.add_worksheet(sheet_name("emissions", lang))
    activity, factors = sheet_name("activity", lang), sheet_name("factors", lang)
    for i, line in enumerate(lines.itertuples(index=False)):
        r, a = i + 1, activity_rows[i]
        row = r + 1  # 1-based row number in formulas
        ws.write_number(r, 0, i + 1)
        for c, text in (
            (1, line.scope),
            (2, line.source),
            (3, line.basis),
            (5, line.unit),
            (6, line.factor_key),
            (8, line.factor_unit),
        ):
            put(ws, r, c, text)
        ws.write_formula(r, 4, f"={_cell(a, 8, activity)}", fmt.formula, line.quantity)
        ws.write_formula(
            r,
            7,
            f"={_cell(factor_rows[line.factor_key], 2, factors)}",
            fmt.formula_factor,
            line.factor_value,
        )
        per_mwh = line.unit == "kWh" and line.factor_unit.endswith("/MWh")
        product = f"=E{row}/1000*H{row}" if per_mwh else f"=E{row}*H{row}"
        ws.write_formula(r, 9, product, fmt.formula, line.emissions_tco2)
        location = line.emissions_tco2 if line.basis in ("location", "both") else 0.0
        market = line.emissions_tco2 if line.basis in ("market", "both") else 0.0
        ws.write_formula(
            r, 10, f'=IF(OR(D{row}="location",D{row}="both"),J{row},0)', fmt.formula, location
        )
        ws.write_formula(
            r, 11, f'=IF(OR(D{row}="market",D{row}="both"),J{row},0)', fmt.formula, market
        )
        if isinstance(line.tce_key, str):
            ws.write_formula(
                r,
                12,
                f"={_cell(factor_rows[line.tce_key], 2, factors)}",
                fmt.formula_factor,
                line.tce_factor_value,
            )
            ws.write_formula(r, 13, f"=E{row}*M{row}/1000", fmt.formula, line.energy_tce)
        else:
            ws.write_formula(r, 13, "=0", fmt.formula, 0.0)
    headers = EMISSION_HEADERS if lang != "zh" else EMISSION_HEADERS_ZH
    table(ws, fmt, "tbl_emissions", headers, len(lines))
    return len(lines)


EMISSION_HEADERS_ZH = [
    "行号",
    "范围",
    "排放源",
    "核算基础",
    "活动数据 [活动数据单位]",
    "单位",
    "因子编号",
    "排放因子",
    "因子单位",
    "排放量 [tCO2]",
    "基于位置 [tCO2]",
    "基于市场 [tCO2]",
    "折标系数 [kgce/单位]",
    "综合能源消费量 [tce]",
]
SUMMARY_ROWS = (  # (item, unit, formula template over E = Emissions rows)
    ("scope1_tco2", "tCO2", 'SUMIFS({K},{B},"scope1")'),
    ("scope2_location_tco2", "tCO2", 'SUMIFS({K},{B},"scope2")'),
    ("scope2_market_tco2", "tCO2", 'SUMIFS({L},{B},"scope2")'),
    ("on_site_tco2", "tCO2", 'SUMIFS({K},{B},"on_site")'),
    ("total_location_tco2", "tCO2", "SUM({K})"),
    ("total_market_tco2", "tCO2", "SUM({L})"),
    ("energy_tce", "tce", "SUM({N})"),
    ("value_added_10k_cny", "10k CNY", 'SUMIFS({VA},{ENT},"<>total")'),
    ("tco2_per_tce_location", "tCO2/tce", 'IF(C8>0,C6/C8,"")'),
    ("tco2_per_tce_market", "tCO2/tce", 'IF(C8>0,C7/C8,"")'),
    ("tco2_per_10k_cny_location", "tCO2/10k CNY", 'IF(C9>0,C6/C9,"")'),
    ("tce_per_10k_cny", "tce/10k CNY", 'IF(C9>0,C8/C9,"")'),
    # last, so the rows above keep their cell references: part of scope1_tco2
    ("scope1_process_tco2", "tCO2", 'SUMIFS({K},{C},"industrial_process")'),
)
SUMMARY_ZH = {
    "scope1_tco2": "范围一排放",
    "scope2_location_tco2": "范围二排放（基于位置）",
    "scope2_market_tco2": "范围二排放（基于市场）",
    "on_site_tco2": "园区可再生能源排放",
    "total_location_tco2": "排放总量（基于位置）",
    "total_market_tco2": "排放总量（基于市场）",
    "energy_tce": "综合能源消费量",
    "value_added_10k_cny": "工业增加值",
    "tco2_per_tce_location": "单位能耗碳排放（基于位置）",
    "tco2_per_tce_market": "单位能耗碳排放（基于市场）",
    "tco2_per_10k_cny_location": "单位增加值碳排放（基于位置）",
    "tce_per_10k_cny": "单位增加值能耗",
    "scope1_process_tco2": "其中：工业生产过程排放",
}


def _summary(ws, fmt, values: dict, lines: int, lang: str, enterprises) -> None:
    """Summary sheet: totals as formulas over the Emissions sheet (value added over the
    Enterprises sheet), beside the figures ``greenpark carbon`` / ``greenpark intensity``
    report and their difference."""
    last = lines + 1
    emissions = sheet_name("emissions", lang)
    cols = {c: f"'{emissions}'!${c}${2}:${c}${last}" for c in "BCKLN"}
    ent_sheet, n = sheet_name("carbon_enterprise", lang), len(enterprises) + 1
    ent_cols = list(enterprises.columns)
    va, ent = (_letter(ent_cols.index(c)) for c in ("value_added_10k_cny", "enterprise_id"))
    cols["VA"] = f"'{ent_sheet}'!${va}$2:${va}${n}"
    cols["ENT"] = f"'{ent_sheet}'!${ent}$2:${ent}${n}"
    if lang == "zh":
        headers = ["项目", "单位", "工作簿公式", "greenpark 计算值", "差值"]
    else:
        headers = ["item", "unit", "workbook (formula)", "greenpark", "difference"]
    for i, (item, unit, template) in enumerate(SUMMARY_ROWS, start=1):
        ws.write_string(i, 0, SUMMARY_ZH[item] if lang == "zh" else item)
        ws.write_string(i, 1, cat.unit_text(unit, lang))
        value = values[item]
        ws.write_formula(
            i,
            2,
            "=" + template.format(**cols),
            fmt.formula,
            value if math.isfinite(value) else "",
        )
        put(ws, i, 3, value, fmt.number)
        ws.write_formula(
            i,
            4,
            f'=IF(AND(ISNUMBER(C{i + 1}),ISNUMBER(D{i + 1})),C{i + 1}-D{i + 1},"")',
            fmt.formula,
            0.0,
        )
    headers += ["数据完整性", "说明"] if lang == "zh" else ["data completeness", "note"]
    table(ws, fmt, "tbl_summary", headers, len(SUMMARY_ROWS))


def write_frame_xlsx(frame, path, sheet: str = "data", lang: str = "en") -> None:
    """One table as a workbook (``greenpark export TABLE --format xlsx``), headers and
    categorical values in ``lang``."""
    wb = open_workbook(path)
    wb.set_properties({"author": "greenpark", "created": dt.datetime(2000, 1, 1)})
    _frame_sheet(wb, _Formats(wb), sheet, frame, lang)
    save_workbook(wb)


def _frame_sheet(wb, fmt, sheet: str, frame, lang: str = "en") -> None:
    """A result table as a sheet: headers with units, numbers as numbers in their kind's
    format, categorical values in ``lang``, an Excel table. A one-row table (the PV
    value) is written as one row per column: indicator, value, unit."""
    ws = wb.add_worksheet(sheet)
    if len(frame) == 1 and len(frame.columns) > 12:
        frame = _long(frame, lang)
    columns = [str(c) for c in frame.columns]
    formats = [fmt.for_column(c) for c in columns]
    for r, rec in enumerate(frame.itertuples(index=False, name=None), start=1):
        for c, value in enumerate(rec):
            value = _plain(value)
            if lang == "zh" and isinstance(value, str):
                value = cat.value_label(columns[c], value, "zh")
            put(ws, r, c, value, formats[c])
    name = "tbl_" + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in sheet.lower())
    name += f"_{len(wb.worksheets())}" if not sheet.isascii() else ""
    table(ws, fmt, name, [column_header(c, lang) for c in columns], len(frame))


def _long(frame, lang: str):
    """One row per column of a one-row table: ``metric`` (its name), ``value``, ``unit``."""
    import pandas as pd

    row = frame.iloc[0]
    return pd.DataFrame(
        {
            "metric": [cat.column_label(c, lang) if lang == "zh" else c for c in frame.columns],
            "value": [_plain(row[c]) for c in frame.columns],
            "unit": [cat.unit(c, lang) for c in frame.columns],
        },
        dtype=object,
    )


def _plain(value):
    """Cell value of a DataFrame item (tuples and lists as text)."""
    if isinstance(value, list | tuple | dict):
        return ", ".join(str(v) for v in value) if not isinstance(value, dict) else str(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value
