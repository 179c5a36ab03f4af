"""The carbon-audit workbook (XLSX): every emission figure traceable to its activity
data and factor through live Excel formulas.

Sheets: README, Summary (formulas), Activity (every ledger line), Factors (with the fuel
parameters behind composite fuel factors, as a formula), Emissions (formulas linking
Activity and Factors), then the result tables of the period (energy, enterprises,
industries, intensities, monthly series, waste, resources, PV, zero-carbon, findings,
coverage). Text is always written as text (``write_string``; ``strings_to_formulas`` is
off), so a name such as ``=cmd|' /C calc'!A0`` stays an inert string. Formula cells carry
the value greenpark computed as their cached result, for viewers that do not recalculate.
"""

from __future__ import annotations

import datetime as dt
import math

from greenpark.report import plan_section
from greenpark.report.headers import header

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}
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
# Result tables written as plain sheets: (sheet name, table name in ReportData)
RESULT_SHEETS = (
    ("Energy", "energy_carrier"),
    ("Enterprises", "carbon_enterprise"),
    ("Industries", "carbon_industry"),
    ("Intensities", "intensities"),
    ("Monthly", "series"),
    ("Load profile", "tou"),
    ("Waste", "waste"),
    ("Resources", "resources"),
    ("Resource indicators", "resource_indicators"),
    ("PV", "pv_value"),
    ("Zero-carbon", "zero_carbon"),
    ("Trajectory", "trajectory"),
    ("Findings", "findings"),
    ("Coverage", "coverage"),
    ("Input files", "inputs"),
)


class _Formats:
    def __init__(self, wb):
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

    def for_column(self, column: str):
        if column.endswith("_pct"):
            return self.pct
        if column in ("value", "factor_value") or "per_" in column:
            return self.factor
        return self.number


def write_workbook(data, path, generated_at: str | None = None) -> None:
    """Write the audit workbook of ``data`` (a :class:`ReportData`) to ``path``.

    The file's creation time is the report's generation time, so equal inputs give equal
    bytes.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    created = dt.datetime.fromisoformat(generated_at or data.generated_at).replace(tzinfo=None)
    wb.set_properties(
        {
            "title": f"greenpark carbon audit {data.period}",
            "author": "greenpark",
            "created": created,
        }
    )
    fmt = _Formats(wb)
    _readme(wb, fmt, data)
    if not data.empty:
        summary = wb.add_worksheet("Summary")
        activity_rows = _activity(wb, fmt, data.tables["ledger"])
        factor_rows = _factors(wb, fmt, data.tables["factors"])
        rows = _emissions(wb, fmt, data.tables["ledger"], factor_rows, activity_rows)
        _summary(summary, fmt, data.values["summary"], rows)
        for sheet, name in RESULT_SHEETS:
            frame = data.tables.get(name)
            if frame is not None:
                _frame_sheet(wb, fmt, sheet, frame)
        plan_section.write_sheets(wb, fmt, data)
    wb.close()


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


def _table(ws, fmt, name: str, headers: list[str], rows: int, widths=None) -> None:
    """An Excel table over the header row and ``rows`` data rows, frozen header."""
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
    for col, width in enumerate(widths or [16] * len(headers)):
        ws.set_column(col, col, width)


def _cell(row: int, col: int, sheet: str | None = None, absolute: bool = False) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    ref = xl_rowcol_to_cell(row, col, absolute, absolute)
    return f"'{sheet}'!{ref}" if sheet else ref


# ----------------------------------------------------------------------------- sheets
def _readme(wb, fmt, data) -> None:
    ws = wb.add_worksheet("README")
    park = data.park
    items = [
        ("park_id", park.id),
        ("park_name", park.name),
        ("park_name_zh", park.name_zh),
        ("province", park.province),
        ("timezone", park.timezone),
        ("period", data.period),
        ("report", data.kind),
        ("greenpark_version", data.version),
        ("generated_at", data.generated_at),
        ("emissions", "tCO2 (CO2 only); energy in tce (GB/T 2589)"),
        (
            "how to audit",
            "Emissions!J = Activity quantity x Factors value (/1000 for kWh x "
            "tCO2/MWh); Summary sums Emissions with SUMIFS; fuel CO2 factors "
            "are NCV x C x OX x 44/12 formulas on the Factors sheet",
        ),
    ]
    if data.empty:
        items.append(("NO DATA", data.empty_message))
    ws.write_string(0, 0, "greenpark carbon audit workbook / 碳核算审计工作簿", fmt.title)
    for i, (key, value) in enumerate(items, start=2):
        ws.write_string(i, 0, key)
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
    ws.set_column(2, 5, 24)


def _activity(wb, fmt, lines) -> dict[int, int]:
    """Activity sheet; returns ledger position -> worksheet row."""
    ws = wb.add_worksheet("Activity")
    headers = [header(c) if c != "quantity" else "quantity [unit]" for c in ACTIVITY_COLUMNS]
    rows = {}
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
    _table(
        ws, fmt, "tbl_activity", headers, len(lines), [6, 9, 14, 14, 9, 12, 44, 9, 18, 8, 10, 10]
    )
    return rows


def _text_or_value(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def _factors(wb, fmt, factors) -> dict[str, int]:
    """Factors sheet; returns key -> worksheet row. Composite fuel factors are formulas
    over their parameter rows."""
    ws = wb.add_worksheet("Factors")
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
            else:
                put(ws, r, c, _text_or_value(value), fmt.factor if c == 2 else None)
    headers = [header(c) if c != "value" else "value [unit]" for c in FACTOR_COLUMNS]
    _table(ws, fmt, "tbl_factors", headers, len(factors), [7, 42, 14, 12, 10, 60, 7, 10, 9, 50])
    return rows


def _emissions(wb, fmt, lines, factor_rows: dict, activity_rows: dict) -> int:
    """Emissions sheet: one formula row per activity line; returns the number of rows."""
    ws = wb.add_worksheet("Emissions")
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
        ws.write_formula(r, 4, f"={_cell(a, 8, 'Activity')}", fmt.formula, line.quantity)
        ws.write_formula(
            r,
            7,
            f"={_cell(factor_rows[line.factor_key], 2, 'Factors')}",
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
                f"={_cell(factor_rows[line.tce_key], 2, 'Factors')}",
                fmt.formula_factor,
                line.tce_factor_value,
            )
            ws.write_formula(r, 13, f"=E{row}*M{row}/1000", fmt.formula, line.energy_tce)
        else:
            ws.write_formula(r, 13, "=0", fmt.formula, 0.0)
    _table(
        ws,
        fmt,
        "tbl_emissions",
        EMISSION_HEADERS,
        len(lines),
        [6, 9, 12, 9, 18, 8, 10, 14, 11, 16, 16, 16, 14, 14],
    )
    return len(lines)


SUMMARY_ROWS = (  # (item, unit, formula template over E = Emissions rows)
    ("scope1_tco2", "tCO2", 'SUMIFS({K},{B},"scope1")'),
    ("scope2_location_tco2", "tCO2", 'SUMIFS({K},{B},"scope2")'),
    ("scope2_market_tco2", "tCO2", 'SUMIFS({L},{B},"scope2")'),
    ("on_site_tco2", "tCO2", 'SUMIFS({K},{B},"on_site")'),
    ("total_location_tco2", "tCO2", "SUM({K})"),
    ("total_market_tco2", "tCO2", "SUM({L})"),
    ("energy_tce", "tce", "SUM({N})"),
    ("value_added_10k_cny", "10k CNY", None),
    ("tco2_per_tce_location", "tCO2/tce", 'IF(C8>0,C6/C8,"")'),
    ("tco2_per_tce_market", "tCO2/tce", 'IF(C8>0,C7/C8,"")'),
    ("tco2_per_10k_cny_location", "tCO2/10k CNY", 'IF(C9>0,C6/C9,"")'),
    ("tce_per_10k_cny", "tce/10k CNY", 'IF(C9>0,C8/C9,"")'),
)


def _summary(ws, fmt, values: dict, lines: int) -> None:
    """Summary sheet: totals as formulas over the Emissions sheet, beside the figures
    ``greenpark carbon`` / ``greenpark intensity`` report and their difference."""
    last = lines + 1
    cols = {c: f"Emissions!${c}$2:${c}${last}" for c in "BKLN"}
    headers = ["item", "unit", "workbook (formula)", "greenpark", "difference"]
    for i, (item, unit, template) in enumerate(SUMMARY_ROWS, start=1):
        ws.write_string(i, 0, item)
        ws.write_string(i, 1, unit)
        value = values[item]
        if template is None:
            put(ws, i, 2, value, fmt.number)
        else:
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
    _table(ws, fmt, "tbl_summary", headers, len(SUMMARY_ROWS), [28, 14, 20, 20, 14])


def write_frame_xlsx(frame, path, sheet: str = "data") -> None:
    """One table as a workbook (``greenpark export TABLE --format xlsx``)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    wb.set_properties({"author": "greenpark", "created": dt.datetime(2000, 1, 1)})
    _frame_sheet(wb, _Formats(wb), sheet, frame)
    wb.close()


def _frame_sheet(wb, fmt, sheet: str, frame) -> None:
    """A result table as a sheet: unit-suffixed headers, values, an Excel table."""
    ws = wb.add_worksheet(sheet)
    columns = [str(c) for c in frame.columns]
    formats = [fmt.for_column(c) for c in columns]
    for r, rec in enumerate(frame.itertuples(index=False, name=None), start=1):
        for c, value in enumerate(rec):
            put(ws, r, c, _plain(value), formats[c])
    name = "tbl_" + "".join(ch if ch.isalnum() else "_" for ch in sheet.lower())
    _table(ws, fmt, name, [header(c) for c in columns], len(frame))


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
