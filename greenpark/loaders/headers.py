"""Chinese headers the loaders understand without ``--map``, and what each column holds.

One table for every input file: canonical column -> (Chinese header, English note, Chinese
note). ``greenpark template`` writes these headers; :func:`canonical_header` reads them
back (a file's own ``--map`` always wins).
"""

from __future__ import annotations

COLUMN_TEXT: dict[str, tuple[str, str, str]] = {
    "meter_id": ("表计编号", "meter id, unique in the park", "表计唯一编号"),
    "name": ("名称", "name", "名称"),
    "carrier": ("能源种类", "carrier (list)", "能源/资源种类（下拉选择）"),
    "role": ("用途", "role: boundary or submeter (list)", "表计用途：边界表或分表（下拉选择）"),
    "unit": ("单位", "unit of the values (list)", "读数单位（下拉选择）"),
    "reading_type": ("读数类型", "interval (consumption) or register", "区间用量或累计表码"),
    "multiplier": ("倍率", "CT/PT ratio, default 1", "互感器倍率，默认1"),
    "register_max": ("表码满量程", "register value at which it wraps to 0", "表码翻转值"),
    "parent_id": ("上级表计", "meter id of the parent meter", "上级表计编号"),
    "enterprise_id": ("企业编号", "enterprise id", "企业编号"),
    "building_id": ("建筑编号", "building id", "建筑编号"),
    "commissioned_on": ("投运日期", "first day in service, YYYY-MM-DD", "投运日期 YYYY-MM-DD"),
    "decommissioned_on": (
        "停用日期",
        "first day out of service, YYYY-MM-DD",
        "停用日期（首个停用日）YYYY-MM-DD",
    ),
    "timestamp": ("时间", "interval start, park local time", "区间开始时间（园区当地时间）"),
    "value": ("数值", "interval quantity in the meter's unit", "区间用量（表计单位）"),
    "name_zh": ("中文名称", "Chinese name", "中文名称"),
    "industry": ("行业", "industry", "所属行业"),
    "leading_industry": ("主导产业", "true or false", "是否主导产业 true/false"),
    "month": ("月份", "YYYY-MM", "月份 YYYY-MM"),
    "value_added_10k_cny": ("工业增加值", "value added [10k CNY]", "工业增加值（万元）"),
    "output_quantity": ("产量", "output quantity", "产品产量"),
    "output_unit": ("产量单位", "unit of the output", "产量单位"),
    "instrument_id": ("凭证编号", "green power contract or GEC batch id", "绿电合同或绿证批次编号"),
    "type": ("类型", "green_power or gec", "绿电交易或绿证"),
    "mwh": ("电量", "electricity [MWh]", "电量（MWh）"),
    "period_start": ("起始日期", "YYYY-MM-DD", "起始日期 YYYY-MM-DD"),
    "period_end": ("截止日期", "YYYY-MM-DD", "截止日期 YYYY-MM-DD"),
    "vintage": ("生产年月", "month the power was generated, YYYY-MM", "发电年月 YYYY-MM"),
    "reference": ("参考", "reference", "参考/备注"),
    "stream": ("废物流编号", "waste stream id", "固废/危废流编号"),
    "category": ("类别", "waste category (list)", "固废类别（下拉选择）"),
    "subtype": ("子类", "subtype", "子类"),
    "hw_code": ("危废代码", "HW01-HW50 (hazardous)", "危废代码 HW01-HW50"),
    "generated": ("产生量", "generated [unit]", "产生量"),
    "utilized": ("综合利用量", "utilized [unit]", "综合利用量"),
    "utilized_from_storage": ("利用往年贮存量", "utilized from storage [unit]", "利用往年贮存量"),
    "disposed": ("处置量", "disposed [unit]", "处置量"),
    "disposed_from_storage": ("处置往年贮存量", "disposed from storage [unit]", "处置往年贮存量"),
    "stored": ("贮存量", "stored [unit]", "贮存量"),
    "dumped": ("倾倒丢弃量", "dumped [unit]", "倾倒丢弃量"),
    "route": ("去向", "utilization or disposal route (list)", "利用/处置去向（下拉选择）"),
    "contractor": ("处置单位", "contractor", "利用/处置单位"),
    "licence_no": ("许可证编号", "licence number", "经营许可证编号"),
    "roof_id": ("屋顶编号", "roof id", "屋顶编号"),
    "area_m2": ("屋顶面积", "roof area [m2]", "屋顶面积（m2）"),
    "tilt_deg": ("倾角", "tilt [deg], 0-90", "倾角（度）0-90"),
    "azimuth_deg": ("方位角", "azimuth [deg], 180 = south", "方位角（度），正南180"),
    "roof_type": ("屋顶类型", "flat or pitched", "平屋顶 flat / 坡屋顶 pitched"),
    "usable_fraction": ("可用比例", "usable share of the area, 0-1", "可用面积比例 0-1"),
    "mounting": ("安装方式", "racked or flush", "支架 racked / 平铺 flush"),
    "existing_pv_kwp": ("已装光伏容量", "installed PV [kWp]", "已装光伏容量（kWp）"),
    "capex_cny_per_kwp": ("单位造价", "capex [CNY/kWp]", "单位造价（元/kWp）"),
}
_BY_ZH = {zh: canonical for canonical, (zh, _, _) in COLUMN_TEXT.items()}


def header(canonical: str, lang: str) -> str:
    """The header of a canonical column in ``lang`` (``zh``: :data:`COLUMN_TEXT`)."""
    return COLUMN_TEXT.get(canonical, (canonical,))[0] if lang == "zh" else canonical


def canonical_header(text: str, names) -> str | None:
    """The canonical column a file's header stands for, among ``names``: itself, or the
    column whose Chinese header it is (spaces around it ignored); None otherwise."""
    text = str(text).strip()
    if text in names:
        return text
    found = _BY_ZH.get(text)
    return found if found in names else None


def aliases(headers, names, mapping: dict) -> dict[str, str]:
    """``--map``-style pairs (canonical -> header) for the Chinese headers of a file that
    name columns of ``names``, the user's ``mapping`` first (it always wins)."""
    out = dict(mapping)
    taken = set(out.values())
    for h in headers:
        canonical = canonical_header(h, names)
        if canonical and canonical != str(h).strip() and canonical not in out and h not in taken:
            if canonical not in headers:  # a file with both: the canonical one is used
                out[canonical] = h
    return out
