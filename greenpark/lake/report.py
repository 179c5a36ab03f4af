"""The roll-up report: rollup.html (zh/en) and rollup.xlsx, rendered from a roll-up Result.

Groups with their sums and ratios; parks ranked by their distance to their own core
threshold (tCO2/tce of their size band); the findings carried up. Renderers only lay
out: every number comes from :func:`greenpark.lake.rollup.rollup`. Text is escaped in
HTML (jinja2 autoescape) and written as text in the workbook (never a formula).
"""

from __future__ import annotations

import os
from pathlib import Path

from greenpark.report.labels import check_lang

TEXT = {  # key -> (en, zh)
    "title": ("Multi-park roll-up", "多园区汇总"),
    "period": ("Period", "报告期"),
    "group_by": ("Grouped by", "汇总维度"),
    "engine": ("Engine", "计算引擎"),
    "parks": ("Parks", "园区数"),
    "groups": ("Totals by group", "分组汇总"),
    "ranking": ("Parks ranked by distance to their threshold", "园区排名（距阈值）"),
    "ranking_note": (
        "Core indicator CO2 per tce on each park's own basis against the threshold of its "
        "size band; a negative distance meets it. Gap: zero-carbon electricity that would "
        "close the excess (at the residual factor on the market basis, the grid factor on "
        "the location basis).",
        "核心指标单位能耗碳排放（按各园区核算口径）与其规模档阈值之差；负值为达标。"
        "缺口：可消除超出排放量的零碳电力（市场口径按剩余电网因子，位置口径按电网因子折算）。",
    ),
    "method": (
        "Every ratio is a ratio of sums over the parks (numerators and denominators summed "
        "first), never a mean of the parks' ratios.",
        "所有比率均为分子、分母先分别加总后再相除，不对各园区比率取平均。",
    ),
    "findings": ("Findings", "提示"),
    "no_findings": ("None.", "无。"),
    "park": ("Park", "园区"),
    "province": ("Province", "省份"),
    "operator": ("Operator", "运营集团"),
    "industry": ("Industry", "主导产业"),
}
COLUMNS = {  # column -> (en, zh)
    "group_key": ("Group", "分组"),
    "parks": ("Parks", "园区数"),
    "parks_met": ("Parks meeting threshold", "达标园区数"),
    "coverage_pct": ("Coverage [%]", "数据覆盖率 [%]"),
    "energy_tce": ("Energy [tce]", "综合能耗 [tce]"),
    "emissions_location_tco2": ("CO2 location [tCO2]", "碳排放（位置）[tCO2]"),
    "emissions_market_tco2": ("CO2 market [tCO2]", "碳排放（市场）[tCO2]"),
    "tco2_per_tce_location": ("CO2/tce location", "单位能耗碳排放（位置）"),
    "tco2_per_tce_market": ("CO2/tce market", "单位能耗碳排放（市场）"),
    "value_added_10k_cny": ("Value added [10k CNY]", "工业增加值 [万元]"),
    "tce_per_10k_cny": ("tce/10k CNY", "单位增加值能耗"),
    "pv_generation_kwh": ("PV [kWh]", "光伏发电量 [kWh]"),
    "clean_energy_share_pct": ("Clean energy share [%]", "清洁能源占比 [%]"),
    "solid_waste_utilization_pct": ("Solid waste utilization [%]", "固废综合利用率 [%]"),
    "rank": ("Rank", "排名"),
    "park_id": ("Park id", "园区编号"),
    "park_name": ("Park", "园区"),
    "province": ("Province", "省份"),
    "core_tco2_per_tce": ("CO2/tce", "单位能耗碳排放"),
    "threshold_tco2_per_tce": ("Threshold", "阈值"),
    "distance_tco2_per_tce": ("Distance", "距阈值"),
    "excess_tco2": ("Excess [tCO2]", "超出排放 [tCO2]"),
    "electricity_gap_mwh": ("Gap [MWh]", "零碳电力缺口 [MWh]"),
    "status": ("Status", "状态"),
}
GROUP_COLUMNS = [
    "group_key",
    "parks",
    "parks_met",
    "coverage_pct",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "value_added_10k_cny",
    "tce_per_10k_cny",
    "pv_generation_kwh",
    "clean_energy_share_pct",
    "solid_waste_utilization_pct",
]
PARK_COLUMNS = [
    "rank",
    "park_id",
    "park_name",
    "province",
    "coverage_pct",
    "energy_tce",
    "core_tco2_per_tce",
    "threshold_tco2_per_tce",
    "distance_tco2_per_tce",
    "excess_tco2",
    "electricity_gap_mwh",
    "status",
]
# The page (own, compact; inline so that the wheel needs no package data for it).
TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ t.title }} {{ period }}</title>
<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
       margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #1a7f37; } .not_met { color: #b42318; } .insufficient_data { color: #9a6700; }
.note { color: #555; font-size: 0.85em; }
</style>
</head>
<body>
<h1>{{ t.title }}</h1>
<p>{{ t.period }}: {{ period }} · {{ t.group_by }}: {{ group_label }} ·
{{ t.engine }}: {{ engine }} · {{ t.parks }}: {{ n_parks }} · greenpark {{ version }}</p>
<p class="note">{{ t.method }}</p>

<h2>{{ t.groups }}</h2>
<table id="groups">
<tr>{% for h in groups.headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in groups.rows %}<tr>{% for cell, num in row %}
<td{% if num %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>

<h2>{{ t.ranking }}</h2>
<p class="note">{{ t.ranking_note }}</p>
<table id="parks">
<tr>{% for h in parks.headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row, status in parks.rows %}<tr class="{{ status }}">{% for cell, num in row %}
<td{% if num %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>

<h2>{{ t.findings }}</h2>
{% if findings %}<ul id="findings">
{% for f in findings %}<li><b>{{ f.severity }}</b> {{ f.code }}: {{ f.message }}</li>
{% endfor %}</ul>{% else %}<p>{{ t.no_findings }}</p>{% endif %}
</body>
</html>
"""
STATUS = {
    "met": ("met", "达标"),
    "not_met": ("not met", "未达标"),
    "insufficient_data": ("insufficient data", "数据不足"),
}


def _say(table: dict, key: str, lang: str) -> str:
    en, zh = table[key]
    return zh if lang == "zh" else en


def park_table(result, lang: str):
    """The ranking's frame (:data:`PARK_COLUMNS`): the park's name in ``lang``."""
    parks = result.inputs["parks"].copy()
    name = parks["name_zh"] if lang == "zh" else parks["name"]
    parks["park_name"] = name.where(name.notna() & (name != ""), parks["park_id"])
    parks["status"] = [_say(STATUS, s, lang) for s in parks["status"]]
    return parks[PARK_COLUMNS]


def render_rollup_html(result, lang: str = "zh") -> str:
    """rollup.html as text."""
    import jinja2

    from greenpark import __version__
    from greenpark.report.html import fmt

    check_lang(lang)
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"rollup.html.j2": TEMPLATE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    groups = result.frame[GROUP_COLUMNS]
    parks = park_table(result, lang)
    statuses = list(result.inputs["parks"]["status"])

    def cells(frame):
        return [
            [(fmt(v, c), not isinstance(v, str)) for c, v in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False)
        ]

    group_by = result.inputs["group_by"]
    return env.get_template("rollup.html.j2").render(
        lang=lang,
        t={k: _say(TEXT, k, lang) for k in TEXT},
        period=result.inputs["period"],
        engine=result.inputs["engine"],
        group_label=_say(TEXT, group_by, lang),
        n_parks=len(parks),
        version=__version__,
        groups={"headers": [_say(COLUMNS, c, lang) for c in GROUP_COLUMNS], "rows": cells(groups)},
        parks={
            "headers": [_say(COLUMNS, c, lang) for c in PARK_COLUMNS],
            "rows": list(zip(cells(parks), statuses, strict=True)),
        },
        findings=result.findings,
    )


def write_rollup_workbook(result, path: str | os.PathLike, lang: str = "zh") -> None:
    """rollup.xlsx: sheets Groups, Parks, Findings; text always written as text."""
    from greenpark.report.workbook import open_workbook, put, save_workbook

    check_lang(lang)
    wb = open_workbook(path)
    findings = [(f.severity, f.code, f.message) for f in result.findings]
    sheets = {
        "Groups": (
            [_say(COLUMNS, c, lang) for c in GROUP_COLUMNS],
            list(result.frame[GROUP_COLUMNS].itertuples(index=False)),
        ),
        "Parks": (
            [_say(COLUMNS, c, lang) for c in PARK_COLUMNS],
            list(park_table(result, lang).itertuples(index=False)),
        ),
        "Findings": (["severity", "code", "message"], findings),
    }
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name)
        for c, h in enumerate(headers):
            put(ws, 0, c, h)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                put(ws, r, c, value)
    save_workbook(wb)


def write_rollup_report(result, output: str | os.PathLike, lang: str = "zh") -> list[Path]:
    """Write rollup.html and rollup.xlsx into ``output`` (created); returns the paths."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    from greenpark.io.files import atomic_path, write_text_atomic

    html = folder / "rollup.html"
    write_text_atomic(html, render_rollup_html(result, lang))  # a full disk: no half file
    xlsx = folder / "rollup.xlsx"
    with atomic_path(xlsx) as tmp:
        write_rollup_workbook(result, tmp, lang)
    return [html, xlsx]
