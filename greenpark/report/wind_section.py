"""The distributed wind (分散式风电) part of the annual report and of the audit workbook.

Self-contained: :func:`wind` builds the tables once (a section of
:data:`greenpark.report.builder.SECTIONS`), :func:`wind_section` lays them out as a section
of the HTML report and :func:`write_wind_sheet` writes
the workbook's ``Wind`` sheet: sites, turbine data with their source, the resource and its
assumptions, monthly energy; headings in Chinese and English. No arithmetic here beyond
laying the estimate's tables out.
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError

SHEET = "Wind"
SITE_COLUMNS = [
    "site_id",
    "name",
    "turbine_type",
    "turbine_count",
    "hub_height_m",
    "capacity_kw",
    "mean_hub_wind_speed_m_per_s",
    "wake_loss_pct",
    "annual_energy_kwh",
    "capacity_factor_pct",
    "full_load_hours_h",
    "lcoe_cny_per_kwh",
]
TURBINE_COLUMNS = [
    "turbine_type",
    "rated_power_kw",
    "rotor_diameter_m",
    "hub_heights_m",
    "citation",
]
LABELS = {  # key -> (en, zh)
    "wind": ("Distributed wind potential", "分散式风电潜力"),
    "sites": ("Sites", "风电场址"),
    "turbines": ("Turbine data and source", "风机参数及来源"),
    "resource": ("Wind resource and assumptions", "风资源与假设"),
    "monthly": ("Monthly energy [kWh]", "逐月发电量 [kWh]"),
    "month": ("Month", "月份"),
    "total": ("Total", "合计"),
    "note": (
        "Modelled with windpowerlib (OEDB power curves, log law or fitted power law); an "
        "estimate for planning, not a wind measurement campaign.",
        "采用 windpowerlib 模型（OEDB 功率曲线，对数律或拟合的幂律）；为规划估算，不替代测风。",
    ),
}


def label(key: str, lang: str) -> str:
    en, zh = LABELS[key]
    return zh if lang == "zh" else en


def wind(b) -> None:
    """Section builder: the wind estimate of the stored sites (annual reports only)."""
    from greenpark.metrics.wind.estimate import wind_estimate

    if b.kind != "annual":
        return
    if not b.store.con.execute("SELECT count(*) FROM wind_sites").fetchone()[0]:
        return
    try:
        result = wind_estimate(b.store)
    except GreenparkError as exc:
        b.unavailable("wind", exc)
        return
    b.data.tables.update(wind_tables(result))
    b.add("wind", result.findings)


def wind_tables(result) -> dict:
    """The four tables of the section from a ``wind_estimate`` Result."""
    import pandas as pd

    from greenpark.metrics.wind.turbines import library_turbine

    sites = result.frame
    turbines = []
    for ttype, source in result.inputs["turbine_sources"].items():
        found = library_turbine(ttype) or {}
        row = sites[sites["turbine_type"] == ttype].iloc[0]
        heights = found.get("hub_heights_m") or ()
        turbines.append(
            {
                "turbine_type": ttype,
                "rated_power_kw": row["rated_power_kw"],
                "rotor_diameter_m": found.get("rotor_diameter_m"),
                "hub_heights_m": ", ".join(f"{h:g}" for h in heights),
                "citation": source,
            }
        )
    monthly = result.tables["monthly"].pivot(index="month", columns="site_id", values="energy_kwh")
    monthly["total_kwh"] = monthly.sum(axis=1)
    return {
        "wind_sites": sites[SITE_COLUMNS].copy(),
        "wind_turbines": pd.DataFrame(turbines, columns=TURBINE_COLUMNS),
        "wind_resource": resource_table(result),
        "wind_monthly": monthly.reset_index(),
    }


def resource_table(result):
    """``setting, value, unit, source, confidence``: the resource, its measurement height,
    each site's roughness, then every labelled default."""
    import pandas as pd

    rows = [
        {
            "setting": "wind.resource",
            "value": result.inputs["resource"],
            "unit": "",
            "source": "",
            "confidence": "",
        },
        {
            "setting": "wind.measurement_height_m",
            "value": ", ".join(f"{h:g}" for h in result.inputs["wind_height_m"]),
            "unit": "m",
            "source": "weather file or mast",
            "confidence": "",
        },
    ]
    if result.inputs["shear_exponent"] is not None:
        rows.append(
            {
                "setting": "wind.shear_exponent",
                "value": f"{result.inputs['shear_exponent']:.3f}",
                "unit": "1",
                "source": "fitted to the mast's mean wind speeds",
                "confidence": "",
            }
        )
    for s in result.frame.itertuples():
        rows.append(
            {
                "setting": f"wind.roughness_length_m[{s.site_id}]",
                "value": f"{s.roughness_length_m:g}",
                "unit": "m",
                "source": s.roughness_source,
                "confidence": "",
            }
        )
    rows += [{**a, "value": str(a["value"])} for a in result.inputs["assumptions"]]
    frame = pd.DataFrame(rows, columns=["setting", "value", "unit", "source", "confidence"])
    # values and sources are text as written (citations, file names): shown untranslated
    return frame.rename(columns={"value": "setting_value", "source": "citation"})


def wind_section(data, lang: str) -> dict | None:
    """The report section (:data:`greenpark.report.html_sections.SECTIONS`): the note, the
    sites, turbines, resource and monthly tables, and the wind findings; None when the
    report has no wind data."""
    from greenpark.report.html import view
    from greenpark.report.html_sections import finding_notes

    t = data.tables
    if data.empty or ("wind_sites" not in t and not data.findings.get("wind")):
        return None
    blocks = [{"type": "text", "text": label("note", lang)}]
    for key, name in TABLES:
        if name in t:
            blocks.append(
                {"type": "table", "title": label(key, lang), "table": view(t[name], None, lang)}
            )
    notes = finding_notes(data, ("wind",), lang)
    blocks.append({"type": "notes", "items": notes})
    return {"id": "wind", "title": label("wind", lang), "blocks": blocks}


TABLES = (
    ("sites", "wind_sites"),
    ("turbines", "wind_turbines"),
    ("resource", "wind_resource"),
    ("monthly", "wind_monthly"),
)


def write_wind_sheet(wb, fmt, data) -> None:
    """The workbook's ``Wind`` sheet: four blocks, each titled in Chinese and English;
    user text written as strings (never formulas)."""
    blocks = [
        (k, data.tables.get(f"wind_{k}")) for k in ("sites", "turbines", "resource", "monthly")
    ]
    if data.empty or all(frame is None for _, frame in blocks):
        return
    from greenpark.report.headers import header
    from greenpark.report.workbook import put

    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, f"{label('wind', 'zh')} / {label('wind', 'en')}", fmt.title)
    ws.write_string(1, 0, label("note", "zh") + " " + label("note", "en"), fmt.wrap)
    row = 3
    for key, frame in blocks:
        if frame is None:
            continue
        ws.write_string(row, 0, f"{label(key, 'zh')} / {label(key, 'en')}", fmt.head)
        row += 1
        for col, name in enumerate(frame.columns):
            ws.write_string(row, col, header(str(name)), fmt.head)
        for rec in frame.itertuples(index=False, name=None):
            row += 1
            for col, (name, value) in enumerate(zip(frame.columns, rec, strict=True)):
                put(ws, row, col, value, fmt.for_column(str(name)))
        row += 2
    ws.set_column(0, 0, 28)
    ws.set_column(1, 12, 16)
