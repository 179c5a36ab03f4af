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
}

OUTCOMES = {
    "loaded": ("loaded", "已导入"),
    "unchanged": ("unchanged", "未变化"),
    "replaced": ("replaced", "已替换"),
    "failed": ("failed", "失败"),
    "rolled_back": ("rolled back", "已回滚"),
}
BASES = {
    "location": ("location-based", "基于位置"),
    "market": ("market-based", "基于市场"),
    "calorific": ("calorific equivalent", "当量值"),
    "primary": ("primary energy", "等价值"),
    "core_small": ("core indicator, 200k-1M tce/yr band", "核心指标（年综合能耗20万–100万tce档）"),
    "core_large": ("core indicator, 1M tce/yr and more", "核心指标（年综合能耗100万tce及以上档）"),
}
CLI_VALUES = {
    "outcome": OUTCOMES,
    "emissions_basis": BASES,
    "electricity_tce_method": BASES,
    "band": BASES,
}
