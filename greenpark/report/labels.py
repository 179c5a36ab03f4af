"""Report labels in English and Chinese."""

from __future__ import annotations

from greenpark.core.errors import GreenparkError

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {  # key -> (en, zh)
    "monthly_report": ("Monthly green and low-carbon report", "绿色低碳月度报告"),
    "annual_report": ("Annual green and low-carbon report", "绿色低碳年度报告"),
    "period": ("Period", "报告期"),
    "generated": ("Generated", "生成时间"),
    "version": ("greenpark version", "greenpark 版本"),
    "no_data": ("NO DATA FOR THIS PERIOD", "本报告期无数据"),
    "headline": ("Headline figures", "主要指标"),
    "metric": ("Indicator", "指标"),
    "unit": ("Unit", "单位"),
    "current": ("This period", "本期"),
    "previous": ("Previous period", "上期"),
    "last_year": ("Same month last year", "去年同月"),
    "ytd": ("Year to date", "本年累计"),
    "ytd_last_year": ("YTD last year", "去年同期累计"),
    "mom_pct": ("MoM", "环比"),
    "yoy_pct": ("YoY", "同比"),
    "ytd_yoy_pct": ("YTD YoY", "累计同比"),
    "rolling_12m_yoy_pct": ("Rolling 12 months YoY", "滚动12个月同比"),
    "energy_tce": ("Comprehensive energy consumption", "综合能源消费量"),
    "electricity_kwh": ("Electricity consumption", "用电量"),
    "emissions_location_tco2": ("CO2 emissions, location-based", "二氧化碳排放（基于位置）"),
    "emissions_market_tco2": ("CO2 emissions, market-based", "二氧化碳排放（基于市场）"),
    "tco2_per_tce_location": ("CO2 per tce, location-based", "单位能耗碳排放（基于位置）"),
    "tco2_per_tce_market": ("CO2 per tce, market-based", "单位能耗碳排放（基于市场）"),
    "tco2_per_10k_cny_location": ("CO2 per 10k CNY value added", "单位工业增加值碳排放"),
    "tce_per_10k_cny": ("Energy per 10k CNY value added", "单位工业增加值能耗"),
    "clean_energy_share_pct": (
        "Clean energy share (rolling 12 months)",
        "清洁能源消费占比（滚动12个月）",
    ),
    "pv_generation_kwh": ("On-site PV generation", "光伏发电量"),
    "pv_self_consumed_pct": ("On-site generation self-consumed", "光伏自发自用比例"),
    "solid_waste_utilization_pct": ("Industrial solid waste utilization", "工业固体废物综合利用率"),
    "energy": ("Energy", "能源"),
    "energy_monthly": ("Energy by month and source", "分月分品种能源消费"),
    "by_carrier": ("By carrier", "分品种"),
    "by_enterprise": ("By enterprise", "分企业"),
    "by_industry": ("By industry", "分行业"),
    "emissions": ("Emissions", "碳排放"),
    "emissions_by_scope": ("Emissions by scope", "分范围碳排放"),
    "by_scope": ("By scope", "分范围"),
    "by_source": ("By source", "分排放源"),
    "location": ("location-based", "基于位置"),
    "market": ("market-based", "基于市场"),
    "load_profile": ("Load profile (day x hour)", "负荷曲线（日 x 小时）"),
    "tou": ("Time-of-use split", "峰平谷用电"),
    "pv": ("Rooftop PV", "屋顶光伏"),
    "pv_potential": ("PV potential of the stored estimate (year)", "光伏潜力（已存估算，全年）"),
    "waste_resources": ("Waste and resources", "固废与资源"),
    "waste": ("Solid waste", "固体废物"),
    "resources": ("Water and waste heat", "水资源与余热"),
    "resource_indicators": ("Resource indicators", "资源指标"),
    "zero_carbon": ("Zero-carbon park indicators", "零碳园区指标"),
    "trajectory": ("Trajectory: rolling 12-month tCO2/tce", "轨迹：滚动12个月单位能耗碳排放"),
    "threshold": ("threshold", "阈值"),
    "actual": ("actual", "实际"),
    "projected": ("projected", "预测"),
    "quality": ("Data quality", "数据质量"),
    "coverage": ("Meter coverage", "表计数据完整率"),
    "coverage_summary": ("meters below 99 % coverage", "数据完整率低于99%的表计"),
    "findings": ("Findings and notes", "发现与说明"),
    "no_findings": ("No findings.", "无发现。"),
    "methodology": ("Methodology and factors", "方法与因子"),
    "factors_used": ("Every factor used", "所用全部因子"),
    "method_choices": ("Method choices", "方法选择"),
    "inputs": ("Input files", "输入文件"),
    "not_available": ("not available", "不可用"),
    "status": ("Status", "状态"),
    "value": ("Value", "数值"),
    "notes": ("Notes", "说明"),
    "section_missing": ("Not available for this period", "本期不可用"),
    "incomplete": ("incomplete data", "数据不完整"),
    "incomplete_title": (
        "A boundary meter is below the coverage threshold in this period",
        "本期有边界表计数据完整率低于阈值",
    ),
    "previous_year": ("Previous year", "上年"),
    "summary": ("Summary", "综述"),
    "zero_carbon_indicators": ("Indicators against their thresholds", "指标与阈值"),
    "zero_carbon_bases": (
        "Core indicator on every basis: location/market emissions x calorific/primary-energy "
        "electricity",
        "核心指标（各口径）：基于位置/市场排放 × 当量值/等价值电力折标",
    ),
    "enterprises_in_workbook": (
        "Per-enterprise and per-meter figures: see the audit workbook (sheets Enterprises, "
        "Meters).",
        "分企业、分表计明细见审计工作簿（“企业”“表计”工作表）。",
    ),
    "findings_in_workbook": (
        "Every finding with its meter, period and data: audit workbook, sheet Findings.",
        "全部提示及其表计、期间和数据见审计工作簿“提示”工作表。",
    ),
    "tou_from_config": (
        "Time-of-use hours from park.toml [tariff].",
        "峰平谷时段取自 park.toml [tariff]。",
    ),
    "tou_default": (
        "Time-of-use hours are greenpark's illustrative defaults (set [tariff] in park.toml).",
        "峰平谷时段为 greenpark 示例默认值（请在 park.toml 的 [tariff] 中设置）。",
    ),
    "pv_chart": (
        "Existing PV: metered vs modelled, self-consumption",
        "已建光伏：实测与模型发电量、自发自用比例",
    ),
    "pv_metered": ("metered", "实测"),
    "pv_modelled": ("modelled", "模型"),
    "coverage_line": (
        "{below} of {meters} meters below 99 % coverage this period.",
        "本期 {meters} 块表计中有 {below} 块数据完整率低于99%。",
    ),
    "appendix": ("Appendix", "附录"),
    "year_clean_share": (
        "The year: clean energy share (rolling 12 months) vs threshold",
        "本年：清洁能源消费占比（滚动12个月）与阈值",
    ),
    "year_progress": (
        "The year toward the zero-carbon thresholds (rolling 12 months ending each month)",
        "本年逐月距零碳阈值（截至各月的滚动12个月）",
    ),
    "sources_in_workbook": (
        "Each factor's published source, and the full SHA-256 of every input file: audit "
        "workbook (sheets Factors and Cover).",
        "各因子的发布来源及输入文件完整 SHA-256 见审计工作簿（“因子”“封面”工作表）。",
    ),
    "methodology_text": (
        "Energy: GB/T 2589-2020 (calorific equivalent unless chosen otherwise). CO2: fuel "
        "combustion = quantity × NCV × C × OX × 44/12; purchased electricity location-based "
        "at the provincial grid factor, market-based with green power and GECs at zero and "
        "the rest at the national factor excluding market-traded non-fossil electricity "
        "(GHG Protocol Scope 2 Guidance); purchased heat 0.11 tCO2/GJ; on-site renewables "
        "zero-emission.",
        "能源：按 GB/T 2589-2020 折标（默认当量值）。二氧化碳：化石燃料燃烧 = 消耗量 × "
        "低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12；"
        "外购电力基于位置采用省级电网排放因子，基于市场时绿电、"
        "绿证计为零，其余采用扣除市场化交易非化石电力的全国电网因子；外购热力 0.11 tCO2/GJ；"
        "园区可再生能源零排放。",
    ),
}

# method choices (greenpark.report.tables.method_choices): setting -> meaning in Chinese
METHOD_MEANINGS_ZH = {
    "park.province": "电网排放因子所属地区",
    "accounting.grid_factor_level": "基于位置的电网因子层级：省级、区域或全国",
    "accounting.fuel_parameter_set": "燃料低位发热量、含碳量、氧化率缺省值",
    "accounting.electricity_tce_method": "电力折标方法：当量值或等价值",
    "emissions": "零碳园区核算口径（tCO2）",
    "scope 2 market-based": "GHG Protocol 范围二指南",
}
METHOD_VALUES_ZH = {
    "province": "省级",
    "region": "区域",
    "national": "全国",
    "calorific": "当量值",
    "primary": "等价值",
    "cn_guideline_default": "国家指南缺省值",
    "CO2 only": "仅二氧化碳",
    "green power and GECs at zero, the rest at the national factor excluding "
    "market-traded non-fossil electricity": (
        "绿电、绿证计为零，其余按扣除市场化交易非化石电力的全国因子"
    ),
}


def check_lang(lang: str) -> str:
    """``lang`` if supported.

    Raises
    ------
    GreenparkError
        For any other language.
    """
    if lang not in LANGS:
        raise GreenparkError(f"--lang {lang!r}: supported languages are {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str) -> str:
    """The label of ``key`` in ``lang`` (the key itself when unknown)."""
    en, zh = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en
