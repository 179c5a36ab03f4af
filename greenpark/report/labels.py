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
