"""Fill-in workbooks for every input table (``greenpark template``).

Each template has a ``data`` sheet (数据) with the table's headers in the chosen language
(Chinese headers are understood by the loaders without ``--map``:
:mod:`greenpark.loaders.headers`), one example row and drop-down lists for the columns
with fixed values (carriers, roles, units, waste categories and routes ...), and a
``notes`` sheet (说明) explaining every column with its unit.
"""

from __future__ import annotations

from pathlib import Path

from greenpark.core.errors import GreenparkError

KINDS = (
    "meters",
    "readings_long",
    "readings_wide",
    "enterprises",
    "production",
    "green_power",
    "waste",
    "roofs",
)
UNITS = ("kWh", "MWh", "Nm3", "m3", "t", "kg", "GJ", "MJ")
EXAMPLES = {
    "meters": {"meter_id": "GRID-IMP", "name": "1#主进线", "carrier": "electricity"}
    | {"role": "grid_import", "unit": "kWh", "reading_type": "interval", "multiplier": 1}
    | {"commissioned_on": "2024-01-01"},
    "readings_long": {"meter_id": "GRID-IMP", "timestamp": "2025-07-01 00:00", "value": 125.5},
    "readings_wide": {"timestamp": "2025-07-01 00:00", "GRID-IMP": 125.5, "PV-01": 40.2},
    "enterprises": {"enterprise_id": "E01", "name": "Example Co", "name_zh": "示例公司"}
    | {"industry": "electronics", "leading_industry": "true"},
    "production": {"enterprise_id": "E01", "month": "2025-07", "value_added_10k_cny": 1200},
    "green_power": {"instrument_id": "GP-2025-001", "type": "green_power_trade", "mwh": 500}
    | {"period_start": "2025-07-01", "period_end": "2025-07-31", "vintage": "2025-07"},
    "waste": {"month": "2025-07", "enterprise_id": "E01", "stream": "E01-SLAG"}
    | {"category": "general_industrial_solid", "unit": "t", "generated": 12.5, "utilized": 10}
    | {"route": "recycling"},
    "roofs": {"roof_id": "R01", "building_id": "B01", "enterprise_id": "E01", "area_m2": 5000}
    | {"tilt_deg": 0, "azimuth_deg": 180, "roof_type": "flat", "usable_fraction": 0.6},
}
SHEETS = {"en": ("data", "notes", "lists"), "zh": ("数据", "说明", "lists")}
NOTES_HEADER = {
    "en": ["column", "canonical", "required", "meaning"],
    "zh": ["列", "字段", "必填", "说明"],
}


def template_columns(kind: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(canonical column, required, allowed values) of a template's table."""
    from greenpark.core.vocab import CARRIERS, READING_COLUMNS, ROLES

    if kind == "meters":
        from greenpark.core.vocab import METER_COLUMNS_OPTIONAL, METER_COLUMNS_REQUIRED

        lists = {"carrier": tuple(CARRIERS), "role": tuple(ROLES), "unit": UNITS}
        lists["reading_type"] = ("interval", "register")
        cols = [(c, True) for c in METER_COLUMNS_REQUIRED]
        cols += [(c, False) for c in METER_COLUMNS_OPTIONAL]
        return [(c, req, lists.get(c, ())) for c, req in cols]
    if kind == "readings_long":
        return [(c, True, ()) for c in READING_COLUMNS]
    if kind == "readings_wide":
        return [("timestamp", True, ()), ("GRID-IMP", False, ()), ("PV-01", False, ())]
    return [(c.name, c.required, tuple(c.choices)) for c in _spec(kind).columns]


def _spec(kind: str):
    import datetime as dt

    if kind == "waste":
        from greenpark.loaders.waste import ledger_spec

        return ledger_spec(dt.date(2100, 12, 1))
    from greenpark.loaders.preview import _spec as table_spec

    return table_spec(kind)


def write_template(kind: str, path, lang: str = "zh") -> Path:
    """Write the fill-in workbook of ``kind`` to ``path`` (an .xlsx).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    path : str or Path
    lang : {"zh", "en"}
        Language of the headers and the notes.

    Raises
    ------
    GreenparkError
        Unknown kind or language, a path that is not .xlsx.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from greenpark.loaders.headers import COLUMN_TEXT, header

    if kind not in KINDS:
        raise GreenparkError(f"template {kind!r}: one of {', '.join(KINDS)}")
    if lang not in SHEETS:
        raise GreenparkError(f"--lang {lang!r}: zh or en")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GreenparkError(f"{path}: a template is an .xlsx workbook")
    columns = template_columns(kind)
    book = Workbook()
    data, notes, lists = book.active, book.create_sheet(), book.create_sheet()
    data.title, notes.title, lists.title = SHEETS[lang]
    data.append([header(c, lang) for c, _, _ in columns])
    data.append([EXAMPLES[kind].get(c) for c, _, _ in columns])
    for i, (_, _, allowed) in enumerate(columns, start=1):
        if not allowed:
            continue
        letter = lists.cell(row=1, column=i).column_letter
        for row, value in enumerate(allowed, start=1):
            lists.cell(row=row, column=i, value=value)
        rule = DataValidation(type="list", formula1=f"lists!${letter}$1:${letter}${len(allowed)}")
        column = data.cell(row=2, column=i).column_letter
        rule.add(f"{column}2:{column}10000")
        data.add_data_validation(rule)
    lists.sheet_state = "hidden"
    heads = (
        ("列", "字段", "必填", "说明")
        if lang == "zh"
        else ("column", "canonical", "required", "meaning")
    )
    notes.append(list(heads))
    for c, required, allowed in columns:
        _, en, zh = COLUMN_TEXT.get(c, (c, "a meter id: its readings", "表计编号：该表计的读数"))
        text = zh if lang == "zh" else en
        if allowed:
            text += ": " + ", ".join(allowed)
        yes = ("是", "否") if lang == "zh" else ("yes", "no")
        notes.append([header(c, lang), c, yes[0] if required else yes[1], text])
    book.save(path)
    return path
