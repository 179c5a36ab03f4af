"""Label catalogue, continued: the columns and values only CLI tables show (data quality
coverage, the load log, wind turbines, the zero-carbon bases and gap). Merged into
:data:`greenpark.core.labels.COLUMNS` and :data:`greenpark.core.labels.VALUES`; same
layout: column id -> (English, Chinese, unit, kind)."""

from __future__ import annotations

CLI_COLUMNS: dict[str, tuple[str, str, str, str]] = {
    # check: coverage per meter
    "boundary": ("Boundary meter", "边界表计", "", "category"),
    "expected": ("Intervals expected", "应有数据点数", "", "count"),
    "received": ("Intervals received", "实有数据点数", "", "count"),
    "longest_gap_h": ("Longest gap", "最长缺失", "h", "energy"),
    "first_reading": ("First reading", "首次读数时间", "", "id"),
    "last_reading": ("Last reading", "末次读数时间", "", "id"),
    "active_from": ("Active from", "启用日期", "", "id"),
    "active_to": ("Active to", "停用日期", "", "id"),
    "inputs_complete": ("Inputs complete", "数据完整", "", "category"),
    "from_month": ("From month", "起始月份", "", "id"),
    "file": ("File", "文件", "", "text"),
    # load commands (one row per file loaded)
    "path": ("File", "文件", "", "text"),
    "rows_unchanged": ("Rows unchanged", "未变化行数", "", "count"),
    "ts_min": ("First timestamp", "最早时间", "", "id"),
    "ts_max": ("Last timestamp", "最晚时间", "", "id"),
    "seconds": ("Time", "用时", "s", "energy"),
    "findings": ("Findings", "发现", "", "text"),
    # load log
    "identity": ("Identity options", "识别选项", "", "id"),
    "options": ("Options", "导入选项", "", "id"),
    "rows_replaced": ("Rows replaced", "替换行数", "", "count"),
    "rows_quarantined": ("Rows quarantined", "隔离行数", "", "count"),
    "outcome": ("Outcome", "结果", "", "category"),
    "finished_at": ("Finished (UTC)", "完成时间（UTC）", "", "id"),
    # wind turbines and sites
    "manufacturer": ("Manufacturer", "制造商", "", "text"),
    "has_power_curve": ("Power curve", "有功率曲线", "", "category"),
    "has_cp_curve": ("Cp curve", "有功率系数曲线", "", "category"),
    "wind_height_m": ("Wind measured at", "测风高度", "m", "quantity"),
    "roughness_length_m": ("Roughness length", "地表粗糙度", "m", "quantity"),
    # zero-carbon core indicator on every basis
    "emissions_basis": ("Emissions basis", "排放核算口径", "", "category"),
    "electricity_tce_method": ("Electricity tce method", "电力折标方法", "", "category"),
    "band": ("Size band", "规模档", "", "category"),
    "judged": ("Status judged on it", "据此判定", "", "category"),
    "coal_rate_gce_per_kwh": ("Coal rate", "供电煤耗", "gce/kWh", "factor"),
    "coal_rate_year": ("Coal rate year", "煤耗年份", "", "year"),
    # zero-carbon gap
    "allowed_emissions_tco2": ("Emissions allowed", "允许排放量", "tCO2", "tco2"),
    "excess_emissions_tco2": ("Emissions above the threshold", "超出阈值排放量", "tCO2", "tco2"),
    "grid_purchase_uncovered_mwh": (
        "Grid purchase not covered by green power",
        "未被绿电覆盖的外购电量",
        "MWh",
        "mass",
    ),
    "zero_carbon_electricity_needed_mwh": (
        "Zero-carbon electricity needed",
        "所需零碳电力",
        "MWh",
        "mass",
    ),
    "electricity_alone_sufficient": (
        "Electricity alone closes the gap",
        "仅靠电力即可弥合差距",
        "",
        "category",
    ),
    "natural_gas_tco2": ("Natural gas emissions", "天然气排放量", "tCO2", "tco2"),
    "natural_gas_nm3": ("Natural gas used", "天然气用量", "Nm3", "energy"),
    "natural_gas_allowed_nm3": ("Natural gas allowed", "允许天然气用量", "Nm3", "energy"),
    "excess_after_zero_carbon_electricity_tco2": (
        "Excess after zero-carbon electricity",
        "全部零碳电力后仍超出排放量",
        "tCO2",
        "tco2",
    ),
    "rooftop_pv_potential_mwh": ("Rooftop PV potential", "屋顶光伏潜力", "MWh", "mass"),
    "rooftop_pv_closes_mwh": ("Closed by rooftop PV", "屋顶光伏可弥合", "MWh", "mass"),
    "green_power_needed_mwh": ("Green power / GECs needed", "所需绿电/绿证", "MWh", "mass"),
    "gecs_needed": ("GECs needed", "所需绿证", "", "count"),
    "distributed_wind_potential_mwh": (
        "Distributed wind potential",
        "分散式风电潜力",
        "MWh",
        "mass",
    ),
    "distributed_wind_closes_mwh": (
        "Closed by distributed wind",
        "分散式风电可弥合",
        "MWh",
        "mass",
    ),
    # rollup
    "group_key": ("Group", "分组", "", "id"),
    "parks": ("Parks", "园区数", "", "count"),
    "parks_met": ("Parks meeting the threshold", "达标园区数", "", "count"),
    "months_with_data": ("Months with data", "有数据月数", "", "count"),
    "scope1_tco2": ("Scope 1 emissions", "范围一排放", "tCO2", "tco2"),
    "grid_import_kwh": ("Grid import", "电网购入电量", "kWh", "kwh"),
    "clean_energy_tce": ("Clean energy", "清洁能源消费量", "tce", "tce"),
    "industrial_utilized_t": ("Industrial solid waste utilized", "工业固废综合利用量", "t", "mass"),
    "solid_waste_utilization_pct": (
        "Industrial solid waste utilization",
        "工业固体废物综合利用率",
        "%",
        "pct",
    ),
    "findings_error": ("Errors", "错误数", "", "count"),
    "findings_warning": ("Warnings", "警告数", "", "count"),
    # pv estimate
    "roof_id": ("Roof", "屋顶编号", "", "id"),
    "roof_type": ("Roof type", "屋顶类型", "", "category"),
    "mounting": ("Mounting", "安装方式", "", "category"),
    "tilt_deg": ("Tilt", "倾角", "deg", "energy"),
    "azimuth_deg": ("Azimuth", "方位角", "deg", "energy"),
    "existing_pv_kwp": ("Existing PV", "已建光伏", "kWp", "energy"),
    "specific_yield_kwh_per_kwp": ("Specific yield", "单位装机发电量", "kWh/kWp", "energy"),
    "roofs": ("Roofs", "屋顶数", "", "count"),
    "area_m2": ("Roof area", "屋顶面积", "m2", "energy"),
    "new_annual_energy_kwh": ("New PV annual generation", "新增光伏年发电量", "kWh", "kwh"),
    # energy-mix
    "energy_kwh": ("Generation", "发电量", "kWh", "kwh"),
    "night_energy_pct": ("Night share", "夜间发电占比", "%", "pct"),
    "winter_energy_pct": ("Winter share", "冬季发电占比", "%", "pct"),
    "zero_carbon_gap_mwh": ("Zero-carbon gap", "零碳差距电量", "MWh", "mass"),
    "gap_closed_mwh": ("Gap closed", "可弥合电量", "MWh", "mass"),
    "gap_closed_pct": ("Share of the gap closed", "差距弥合比例", "%", "pct"),
    # plan
    "base_year": ("Base year", "基准年", "", "year"),
    "grid_uncovered_mwh": ("Grid purchase not covered", "未被绿电覆盖的外购电量", "MWh", "mass"),
    "pv_roofs": ("PV roofs", "光伏屋顶数", "", "count"),
    "pv_new_kwp": ("New PV", "新增光伏", "kWp", "energy"),
    "battery_kwh": ("Battery energy", "储能容量", "kWh", "kwh"),
    "battery_kw": ("Battery power", "储能功率", "kW", "kwh"),
    "annual_savings_cny": ("Annual savings", "年节省电费", "CNY", "money"),
    "irr_pct": ("IRR", "内部收益率", "%", "pct"),
    "self_use_pct": ("PV used on site", "光伏就地消纳比例", "%", "pct"),
    "self_use_floor_met": ("Self-use floor met", "满足自用比例下限", "", "category"),
    "cycles": ("Cycles per year", "年循环次数", "", "energy"),
    "best_npv": ("Best by NPV", "净现值最优", "", "category"),
    "component": ("Component", "电费构成", "", "category"),
    "metered_cny": ("As metered", "现状电费", "CNY", "money"),
    "with_new_pv_cny": ("With the new PV", "新增光伏后", "CNY", "money"),
    "with_new_pv_and_battery_cny": (
        "With the new PV and battery",
        "新增光伏和储能后",
        "CNY",
        "money",
    ),
}

ROOFS = {
    "flat": ("flat", "平屋顶"),
    "pitched": ("pitched", "坡屋顶"),
    "racked": ("racked", "支架安装"),
    "flush": ("flush", "平铺安装"),
}
MIX_SOURCES = {
    "pv": ("new rooftop PV", "新增屋顶光伏"),
    "wind": ("distributed wind", "分散式风电"),
    "pv_and_wind": ("PV and wind", "光伏与风电"),
}
OUTCOMES = {
    "loaded": ("loaded", "已导入"),
    "unchanged": ("unchanged", "未变化"),
    "replaced": ("replaced", "已替换"),
    "failed": ("failed", "失败"),
    "rolled_back": ("rolled back", "已回滚"),
    "loaded_with_quarantine": ("loaded with quarantine", "已导入（部分行隔离）"),
}
BASES = {
    "location": ("location-based", "基于位置"),
    "market": ("market-based", "基于市场"),
    "calorific": ("calorific equivalent", "当量值"),
    "primary": ("primary energy", "等价值"),
    "core_small": ("core indicator, 200k-1M tce/yr band", "核心指标（年综合能耗20万–100万tce档）"),
    "core_large": ("core indicator, 1M tce/yr and more", "核心指标（年综合能耗100万tce及以上档）"),
}
WINDOWS = {  # intensity periods
    "month": ("month", "本月"),
    "previous_month": ("previous month", "上月"),
    "month_last_year": ("same month last year", "去年同月"),
    "ytd": ("year to date", "本年累计"),
    "ytd_last_year": ("YTD last year", "去年同期累计"),
    "rolling_12m": ("rolling 12 months", "滚动12个月"),
    "rolling_12m_last_year": ("rolling 12 months a year earlier", "上年同期滚动12个月"),
    "year": ("year", "本年"),
    "previous_year": ("previous year", "上年"),
}
CLI_VALUES = {
    "period": WINDOWS,
    "roof_id": {"park": ("park total", "园区合计")},
    "component": {},  # the plan's bill components: labels.BILL_ITEMS (added there)
    "roof_type": ROOFS,
    "mounting": ROOFS,
    "source": MIX_SOURCES,
    "outcome": OUTCOMES,
    "status": OUTCOMES,
    "emissions_basis": BASES,
    "electricity_tce_method": BASES,
    "band": BASES,
}
