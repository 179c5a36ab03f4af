"""The label catalogue: what every result column is called in English and Chinese, its
unit (in each language's convention) and its kind (how its numbers are formatted), and
the names of the values people read (statuses, carriers, roles, scopes, industries ...).

The CLI tables, the HTML report and the audit workbook all read these; a column's unit
comes from here, not from its name (the name-suffix rule of
:mod:`greenpark.report.headers` is only the fallback for a column not listed).
Kinds are the keys of :data:`greenpark.core.formats.FORMATS`.
"""

from __future__ import annotations

from greenpark.core.labels_cli import BILL_ITEMS, CLI_COLUMNS, CLI_VALUES, LEVER_KINDS

# unit (English convention) -> unit in Chinese convention
UNITS_ZH = {
    "10k CNY": "万元",
    "t/10k CNY": "吨/万元",
    "tCO2/10k CNY": "tCO2/万元",
    "tce/10k CNY": "tce/万元",
    "CNY": "元",
    "CNY/kWh": "元/kWh",
    "t": "吨",
    "s": "秒",
    "min": "分钟",
    "h": "小时",
    "month": "月",
    "months": "月",
    "a": "年",
    "grade": "级",
    "m3": "m³",
    "m2": "m²",
    "deg": "度",
    "kgce/unit": "kgce/单位",
    "kgce/t": "kgce/吨",
    "CNY/tCO2": "元/tCO2",
}

# column id -> (English, Chinese, unit, kind)
COLUMNS: dict[str, tuple[str, str, str, str]] = {
    # identifiers and text
    "meter_id": ("Meter", "表计编号", "", "id"),
    "enterprise_id": ("Enterprise", "企业编号", "", "id"),
    "enterprise_ids": ("Enterprises", "企业编号", "", "id"),
    "building_id": ("Building", "建筑编号", "", "id"),
    "parent_id": ("Parent meter", "上级表计", "", "id"),
    "instrument_id": ("Instrument", "凭证编号", "", "id"),
    "indicator_id": ("Indicator code", "指标代码", "", "id"),
    "factor_id": ("Factor", "因子编号", "", "id"),
    "key": ("Key", "编号", "", "id"),
    "factor_key": ("Factor key", "因子编号", "", "id"),
    "tce_key": ("Coefficient key", "折标系数编号", "", "id"),
    "load_id": ("Load", "导入批次", "", "count"),
    "code": ("Code", "代码", "", "id"),
    "sha256": ("SHA-256", "SHA-256", "", "id"),
    "file_name": ("File", "文件", "", "text"),
    "name": ("Name", "名称（英文）", "", "text"),
    "name_zh": ("Name (Chinese)", "名称", "", "text"),
    "indicator_zh": ("Indicator (Chinese)", "指标", "", "text"),
    "indicator_en": ("Indicator", "指标（英文）", "", "text"),
    "line": ("Line", "行号", "", "count"),
    "label": ("Label", "名称", "", "text"),
    "note": ("Note", "说明", "", "text"),
    "message": ("Message", "说明（英文）", "", "text"),
    "message_zh": ("Message (Chinese)", "说明", "", "text"),
    "meaning": ("Meaning", "含义", "", "text"),
    "setting": ("Setting", "设置项", "", "id"),
    "setting_value": ("Value", "取值", "", "id"),
    "source": ("Source", "来源", "", "category"),
    "factor_source": ("Factor source", "因子来源", "", "text"),
    "citation": ("Source", "来源", "", "text"),
    "weather": ("Weather", "气象数据", "", "text"),
    "hours": ("Hours", "时段", "", "text"),
    "parts": ("Parameters", "参数", "", "id"),
    # categories (their values are translated: see VALUES)
    "kind": ("Kind", "类型", "", "category"),
    "scope": ("Scope", "范围", "", "category"),
    "carrier": ("Carrier", "能源品种", "", "category"),
    "flow": ("Flow", "流向", "", "category"),
    "role": ("Role", "角色", "", "category"),
    "basis": ("Basis", "核算基础", "", "category"),
    "activity": ("Activity", "活动", "", "category"),
    "industry": ("Industry", "行业", "", "category"),
    "status": ("Status", "状态", "", "category"),
    "severity": ("Severity", "级别", "", "category"),
    "section": ("Section", "章节", "", "category"),
    "confidence": ("Confidence", "可信度", "", "id"),
    "comparison": ("Comparison", "比较", "", "id"),
    "unit": ("Unit", "单位", "", "unit"),
    "factor_unit": ("Factor unit", "因子单位", "", "unit"),
    "change_unit": ("Change unit", "变化单位", "", "unit"),
    "metric": ("Indicator", "指标", "", "category"),
    "water_source": ("Water figures from", "水量来源", "", "category"),
    "waste_heat_status": ("Waste heat status", "余热状态", "", "category"),
    "waste_heat_note": ("Waste heat note", "余热说明", "", "text"),
    "threshold_status": ("Threshold status", "阈值说明", "", "category"),
    "estimate_kind": ("Estimate", "估算方式", "", "category"),
    "grid_factor_source": ("Grid factor source", "电网因子来源", "", "text"),
    "stream": ("Stream", "固废流", "", "id"),
    "type": ("Type", "类型", "", "category"),
    "reason": ("Reason not counted", "未计入原因", "", "text"),
    # green power and register meters (audit workbook)
    "period_start": ("Covers from", "覆盖起始", "", "period"),
    "period_end": ("Covers to", "覆盖截止", "", "period"),
    "vintage_year": ("Vintage year", "生产年份", "", "year"),
    "month_year": ("Year claimed", "计入年份", "", "year"),
    "days_in_month": ("Days in the month", "当月覆盖天数", "", "count"),
    "days_total": ("Days covered", "覆盖总天数", "", "count"),
    "opening_ts": ("Opening reading at", "期初读数时间", "", "period"),
    "closing_ts": ("Closing reading at", "期末读数时间", "", "period"),
    "rollovers": ("Rollovers", "满量程翻转次数", "", "count"),
    "resets": ("Resets", "复位次数", "", "count"),
    "register_max": ("Register maximum", "表码上限", "", "factor"),
    "to_canonical": ("Unit factor", "单位换算系数", "", "factor"),
    # booleans
    "leading_industry": ("Leading industry", "主导产业", "", "bool"),
    "override": ("Park override", "园区覆盖值", "", "bool"),
    "provisional": ("Provisional", "暂定", "", "bool"),
    "meets_threshold": ("Meets threshold", "达到阈值", "", "bool"),
    "counted": ("Counted", "计入", "", "bool"),
    # periods and times
    "period": ("Period", "期间", "", "period"),
    "month": ("Month", "月份", "", "period"),
    "first_month": ("First month", "起始月", "", "period"),
    "last_month": ("Last month", "截止月", "", "period"),
    "vintage": ("Vintage", "生产年月", "", "period"),
    "day": ("Day", "日期", "", "period"),
    "start": ("From", "起", "", "period"),
    "end": ("To", "止", "", "period"),
    "hour": ("Hour", "小时", "", "year"),
    "year": ("Year", "年份", "", "year"),
    "factor_year": ("Factor year", "因子年份", "", "year"),
    "grid_factor_year": ("Grid factor year", "电网因子年份", "", "year"),
    # counts
    "meters": ("Meters", "表计数", "", "count"),
    "readings": ("Readings", "读数条数", "", "count"),
    "rows": ("Rows", "行数", "", "count"),
    "months": ("Months", "月数", "", "count"),
    "rows_in_file": ("Rows in file", "文件行数", "", "count"),
    "rows_inserted": ("Rows inserted", "导入行数", "", "count"),
    "hours_compared": ("Hours compared", "比对小时数", "h", "count"),
    "interval_min": ("Interval", "采集间隔", "min", "count"),
    # quantities of a stated unit
    "quantity": ("Quantity", "数量", "", "quantity"),
    "value": ("Value", "数值", "", "quantity"),
    "threshold": ("Threshold", "阈值", "", "quantity"),
    "opening_reading": ("Opening reading (期初)", "期初读数", "", "quantity"),
    "closing_reading": ("Closing reading (期末)", "期末读数", "", "quantity"),
    "multiplier": ("Multiplier", "倍率", "", "factor"),
    "delta": ("Difference", "差值", "", "quantity"),
    # factors at full published precision
    "factor_value": ("Factor", "因子值", "", "factor"),
    "tce_factor_value": ("Coefficient", "折标系数", "kgce/unit", "factor"),
    "emission_factor": ("Emission factor", "排放因子", "", "factor"),
    "grid_factor_tco2_per_mwh": ("Grid emission factor", "电网排放因子", "tCO2/MWh", "factor"),
    # energy
    "energy_tce": ("Energy", "综合能源消费量", "tce", "tce"),
    "electricity_tce": ("Electricity", "电力", "tce", "tce"),
    "heat_tce": ("Heat", "热力", "tce", "tce"),
    "natural_gas_tce": ("Natural gas", "天然气", "tce", "tce"),
    "electricity_kwh": ("Electricity", "用电量", "kWh", "kwh"),
    "pv_generation_kwh": ("On-site PV generation", "光伏发电量", "kWh", "kwh"),
    "grid_export_kwh": ("Grid export", "上网电量", "kWh", "kwh"),
    "load_kwh": ("Electricity used", "用电量", "kWh", "kwh"),
    "actual_kwh": ("Metered", "实测发电量", "kWh", "kwh"),
    "expected_kwh": ("Modelled", "模型发电量", "kWh", "kwh"),
    "pv_energy_kwh": ("PV generation (potential)", "光伏潜在发电量", "kWh", "kwh"),
    "self_consumed_kwh": ("Self-consumed", "自发自用电量", "kWh", "kwh"),
    "exported_kwh": ("Exported", "上网电量", "kWh", "kwh"),
    "consumption_kwh": ("Park consumption", "园区用电量", "kWh", "kwh"),
    "existing_pv_onsite_kwh": ("Existing PV used on site", "现有光伏自用电量", "kWh", "kwh"),
    "new_capacity_kwp": ("New capacity", "新增装机容量", "kWp", "kwh"),
    "capacity_kwp": ("Capacity", "装机容量", "kWp", "kwh"),
    "mwh": ("Energy", "电量", "MWh", "mass"),
    "counted_mwh": ("Counted", "计入电量", "MWh", "mass"),
    "poa_insolation_kwh_per_m2": ("Plane-of-array insolation", "组件面辐照量", "kWh/m2", "energy"),
    "performance_ratio": ("Performance ratio", "系统效率", "", "ratio"),
    "expected_performance_ratio": ("Modelled performance ratio", "模型系统效率", "", "ratio"),
    # emissions
    "emissions_location_tco2": ("CO2, location-based", "碳排放（基于位置）", "tCO2", "tco2"),
    "emissions_market_tco2": ("CO2, market-based", "碳排放（基于市场）", "tCO2", "tco2"),
    "emissions_tco2": ("CO2", "碳排放", "tCO2", "tco2"),
    "on_site_location_tco2": ("On-site, location-based", "园区自发（基于位置）", "tCO2", "tco2"),
    "on_site_market_tco2": ("On-site, market-based", "园区自发（基于市场）", "tCO2", "tco2"),
    "scope1_location_tco2": ("Scope 1, location-based", "范围一（基于位置）", "tCO2", "tco2"),
    "scope1_market_tco2": ("Scope 1, market-based", "范围一（基于市场）", "tCO2", "tco2"),
    "scope2_location_tco2": ("Scope 2, location-based", "范围二（基于位置）", "tCO2", "tco2"),
    "scope2_market_tco2": ("Scope 2, market-based", "范围二（基于市场）", "tCO2", "tco2"),
    "co2_avoided_tco2": ("CO2 avoided", "减排量", "tCO2", "tco2"),
    "co2_avoided_incl_export_tco2": (
        "CO2 avoided incl. export",
        "减排量（含上网）",
        "tCO2",
        "tco2",
    ),
    # money
    "value_added_10k_cny": ("Industrial value added", "工业增加值", "10k CNY", "money"),
    "savings_cny": ("Electricity bill savings", "节省电费", "CNY", "money"),
    "export_income_cny": ("Export income", "上网收入", "CNY", "money"),
    "om_cny": ("Operation and maintenance", "运维费用", "CNY", "money"),
    "net_benefit_cny": ("Net annual benefit", "年净收益", "CNY", "money"),
    "capex_cny": ("Investment", "投资", "CNY", "money"),
    "npv_cny": ("Net present value", "净现值", "CNY", "money"),
    "lcoe_cny_per_kwh": ("Levelized cost of electricity", "度电成本", "CNY/kWh", "ratio"),
    # zero-carbon pathway planning (greenpark/report/plan_section.py)
    "item": ("Item", "项目", "", "category"),
    "before_cny": ("Before", "配置前", "CNY", "money"),
    "after_cny": ("After", "配置后", "CNY", "money"),
    "rank": ("Rank", "排序", "", "count"),
    "lever_id": ("Lever", "措施", "", "id"),
    "levers": ("Levers", "措施", "", "id"),
    "annual_cost_cny": ("Annualised cost", "年化成本", "CNY", "money"),
    "abated_tco2": ("Abated", "减排量", "tCO2", "tco2"),
    "energy_saved_tce": ("Energy saved", "节能量", "tce", "tce"),
    "cny_per_tco2": ("Abatement cost", "减排成本", "CNY/tCO2", "ratio"),
    "cumulative_abated_tco2": ("Cumulative abated", "累计减排量", "tCO2", "tco2"),
    "chosen_share": ("Share chosen", "采用比例", "", "ratio"),
    "start_year": ("Start year", "起始年份", "", "year"),
    "threshold_tco2_per_tce": ("Threshold", "阈值", "tCO2/tce", "ratio"),
    # the core indicator on every basis (greenpark/metrics/zerocarbon/bases.py)
    "emissions_basis": ("Emissions basis", "排放口径", "", "category"),
    "electricity_tce_method": ("Electricity to tce", "电力折标方法", "", "category"),
    "band": ("Size band", "规模档", "", "category"),
    "judged": ("Status judged on this", "达标判定口径", "", "bool"),
    "coal_rate_gce_per_kwh": ("Coal rate", "供电煤耗", "gce/kWh", "ratio"),
    "coal_rate_year": ("Coal rate year", "煤耗年份", "", "year"),
    # distributed wind (greenpark/report/wind_section.py)
    "site_id": ("Site", "场址编号", "", "id"),
    "turbine_type": ("Turbine type", "风机型号", "", "id"),
    "turbine_count": ("Turbines", "风机台数", "", "count"),
    "hub_height_m": ("Hub height", "轮毂高度", "m", "quantity"),
    "hub_heights_m": ("Hub heights offered", "可选轮毂高度", "m", "id"),
    "capacity_kw": ("Capacity", "装机容量", "kW", "kwh"),
    "rated_power_kw": ("Rated power", "额定功率", "kW", "kwh"),
    "rotor_diameter_m": ("Rotor diameter", "风轮直径", "m", "quantity"),
    "mean_hub_wind_speed_m_per_s": (
        "Mean wind speed at hub",
        "轮毂高度平均风速",
        "m/s",
        "quantity",
    ),
    "wake_loss_pct": ("Wake loss", "尾流损失", "%", "pct"),
    "annual_energy_kwh": ("Annual energy", "年发电量", "kWh", "kwh"),
    "capacity_factor_pct": ("Capacity factor", "容量系数", "%", "pct"),
    "full_load_hours_h": ("Full-load hours", "满发小时数", "h", "quantity"),
    "total_kwh": ("Total", "合计", "kWh", "kwh"),
    "simple_payback_years": ("Simple payback", "静态回收期", "a", "ratio"),
    # intensities
    "tco2_per_tce": ("CO2 per tce", "单位能耗碳排放", "tCO2/tce", "ratio"),
    "tco2_per_tce_location": (
        "CO2 per tce, location-based",
        "单位能耗碳排放（基于位置）",
        "tCO2/tce",
        "ratio",
    ),
    "tco2_per_tce_market": (
        "CO2 per tce, market-based",
        "单位能耗碳排放（基于市场）",
        "tCO2/tce",
        "ratio",
    ),
    "tco2_per_10k_cny_location": (
        "CO2 per value added, location-based",
        "单位增加值碳排放（基于位置）",
        "tCO2/10k CNY",
        "ratio",
    ),
    "tco2_per_10k_cny_market": (
        "CO2 per value added, market-based",
        "单位增加值碳排放（基于市场）",
        "tCO2/10k CNY",
        "ratio",
    ),
    "tce_per_10k_cny": ("Energy per value added", "单位增加值能耗", "tce/10k CNY", "ratio"),
    "industrial_waste_intensity_t_per_10k_cny": (
        "Industrial solid waste per value added",
        "单位增加值工业固废产生量",
        "t/10k CNY",
        "ratio",
    ),
    # shares
    "coverage_pct": ("Coverage", "数据完整率", "%", "pct"),
    "clean_energy_share_pct": (
        "Clean energy share (rolling 12 months)",
        "清洁能源消费占比（滚动12个月）",
        "%",
        "pct",
    ),
    "clean_energy_threshold_pct": ("Clean energy share threshold", "清洁能源占比阈值", "%", "pct"),
    "share_pct": ("Share", "占比", "%", "pct"),
    "value_pct": ("Value", "数值", "%", "pct"),
    "threshold_pct": ("Threshold", "阈值", "%", "pct"),
    "mom_pct": ("MoM", "环比", "%", "pct"),
    "yoy_pct": ("YoY", "同比", "%", "pct"),
    "ytd_yoy_pct": ("YTD YoY", "累计同比", "%", "pct"),
    "rolling_12m_yoy_pct": ("Rolling 12 months YoY", "滚动12个月同比", "%", "pct"),
    "actual_to_expected_pct": ("Metered / modelled", "实测/模型", "%", "pct"),
    "self_consumption_pct": ("Self-consumption", "自发自用比例", "%", "pct"),
    "self_consumed_pct": ("Self-consumption", "自发自用比例", "%", "pct"),
    "self_sufficiency_before_pct": ("Self-sufficiency now", "现状自给率", "%", "pct"),
    "self_sufficiency_after_pct": (
        "Self-sufficiency with the potential",
        "建成后自给率",
        "%",
        "pct",
    ),
    "industrial_utilization_rate_pct": (
        "Industrial solid waste utilization",
        "工业固废综合利用率",
        "%",
        "pct",
    ),
    "general_utilization_rate_pct": (
        "General industrial solid waste utilization",
        "一般工业固废综合利用率",
        "%",
        "pct",
    ),
    "hazardous_utilization_rate_pct": ("Hazardous waste utilization", "危险废物利用率", "%", "pct"),
    "hazardous_utilization_disposal_rate_pct": (
        "Hazardous waste utilization and disposal rate",
        "危险废物利用处置率",
        "%",
        "pct",
    ),
    "over_utilized_t": (
        "Over-utilized (counted as prior-year stock)",
        "超量利用（计为上年贮存）",
        "t",
        "mass",
    ),
    # the report's completeness table (issue 11)
    "window": ("Window", "期间", "", "id"),
    "column": ("Column", "列", "", "id"),
    "complete": ("Inputs complete", "数据完整", "", "category"),
    "note_zh": ("Note (Chinese)", "说明", "", "text"),
    "data_completeness": ("Data completeness", "数据完整性", "", "category"),
    "hazardous_safe_disposal_rate_pct": (
        "Hazardous waste safe disposal",
        "危险废物安全处置率",
        "%",
        "pct",
    ),
    "recycling_rate_pct": ("Recycling rate", "资源回收率", "%", "pct"),
    "landfill_diversion_rate_pct": ("Landfill diversion", "填埋减量率", "%", "pct"),
    "water_reuse_rate_pct": ("Water reuse", "水重复利用率", "%", "pct"),
    "waste_heat_utilization_rate_pct": ("Waste heat utilization", "余热利用率", "%", "pct"),
    # waste quantities [t]
    "generated_t": ("Generated", "产生量", "t", "mass"),
    "utilized_t": ("Utilized", "利用量", "t", "mass"),
    "utilized_from_storage_t": ("Utilized from storage", "利用往年贮存量", "t", "mass"),
    "disposed_t": ("Disposed", "处置量", "t", "mass"),
    "disposed_from_storage_t": ("Disposed from storage", "处置往年贮存量", "t", "mass"),
    "stored_t": ("Stored", "贮存量", "t", "mass"),
    "dumped_t": ("Dumped", "倾倒丢弃量", "t", "mass"),
    "industrial_generated_t": ("Industrial solid waste generated", "工业固废产生量", "t", "mass"),
    "hazardous_generated_t": ("Hazardous waste generated", "危险废物产生量", "t", "mass"),
    "handled_t": ("Handled", "处理量", "t", "mass"),
    "recycled_t": ("Recycled", "回收量", "t", "mass"),
    "diverted_t": ("Diverted from landfill", "减量量", "t", "mass"),
    # water and heat
    "water_intake_m3": ("Water intake", "取水量", "m3", "kwh"),
    "water_recycled_m3": ("Water reused", "重复利用水量", "m3", "kwh"),
    "waste_heat_recovered_gj": ("Waste heat recovered", "余热回收量", "GJ", "energy"),
    "waste_heat_recoverable_gj": ("Waste heat recoverable", "可回收余热量", "GJ", "energy"),
    # headline windows
    "current": ("This period", "本期", "", "quantity"),
    "previous": ("Previous period", "上期", "", "quantity"),
    "last_year": ("Same month last year", "去年同月", "", "quantity"),
    "ytd": ("Year to date", "本年累计", "", "quantity"),
    "ytd_last_year": ("YTD last year", "去年同期累计", "", "quantity"),
}

# value vocabularies, by the column that holds them: value -> (English, Chinese)
STATUS = {
    "met": ("met", "达标"),
    "not_met": ("not met", "未达标"),
    "insufficient_data": ("insufficient data", "数据不足"),
    "no_data": ("insufficient data", "数据不足"),
    "ok": ("ok", "正常"),
    "not_applicable": ("not applicable", "不适用"),
    "unavailable": ("not available", "不可用"),
    "no roof": ("no roof", "无对应屋顶"),
    "no readings": ("no readings", "无读数"),
    "underperforming": ("underperforming", "发电偏低"),
    "incomplete": ("incomplete", "不完整"),
}
CARRIERS = {
    "electricity": ("electricity", "电力"),
    "natural_gas": ("natural gas", "天然气"),
    "coal": ("coal", "煤炭"),
    "coke": ("coke", "焦炭"),
    "diesel": ("diesel", "柴油"),
    "gasoline": ("gasoline", "汽油"),
    "fuel_oil": ("fuel oil", "燃料油"),
    "lpg": ("LPG", "液化石油气"),
    "heat": ("heat", "热力"),
    "water": ("water", "水"),
    "total": ("total", "合计"),
}
ROLES = {
    "grid_import": ("grid import", "电网购入"),
    "grid_export": ("grid export", "上网"),
    "pv_generation": ("PV generation", "光伏发电"),
    "wind_generation": ("wind generation", "风电"),
    "fuel": ("fuel", "燃料"),
    "heat_import": ("heat import", "外购热力"),
    "heat_export": ("heat export", "外供热力"),
    "waste_heat_recovered": ("waste heat recovered", "余热回收"),
    "water_intake": ("water intake", "取水"),
    "water_recycled": ("water reused", "重复用水"),
    "submeter": ("submeter", "分表"),
    "consumption": ("consumption", "消费量"),
    "submetered": ("submetered", "分表合计"),
}
SCOPES = {
    "scope1": ("Scope 1 (fuel combustion)", "范围一（化石燃料燃烧）"),
    "scope1_process": ("Scope 1 (industrial processes)", "范围一（工业生产过程）"),
    "industrial_process": ("industrial processes", "工业生产过程"),
    "scope2": ("Scope 2 (purchased electricity and heat)", "范围二（外购电力、热力）"),
    "on_site": ("On-site renewables", "园区可再生能源"),
    "total": ("Total", "合计"),
    "location": ("location-based", "基于位置"),
    "market": ("market-based", "基于市场"),
    "both": ("both", "两者"),
}
INDUSTRIES = {
    "biomedicine": ("biomedicine", "生物医药"),
    "cold_chain_logistics": ("cold-chain logistics", "冷链物流"),
    "high_end_equipment": ("high-end equipment", "高端装备"),
    "new_energy_vehicle_parts": ("new-energy vehicle parts", "新能源汽车零部件"),
    "property_services": ("property services", "物业服务"),
    "warehousing_logistics": ("warehousing and logistics", "仓储物流"),
    "electronics": ("electronics", "电子信息"),
    "new_materials": ("new materials", "新材料"),
    "chemicals": ("chemicals", "化工"),
    "textiles": ("textiles", "纺织"),
    "food": ("food processing", "食品加工"),
    "(not submetered)": ("(not submetered)", "（未分表计量）"),
    "(park-level green power)": ("(park-level green power)", "（园区层面绿电）"),
    "total": ("total", "合计"),
}
OTHER = {
    "info": ("info", "提示"),
    "calorific": ("calorific equivalent", "当量值"),
    "primary": ("primary-energy equivalent", "等价值"),
    "core_small": ("under 1M tce/yr", "年综合能耗 100 万 tce 以下"),
    "core_large": ("1M tce/yr and over", "年综合能耗 100 万 tce 及以上"),
    "warning": ("warning", "警告"),
    "error": ("error", "错误"),
    "actual": ("actual", "实际"),
    "projected": ("projected", "预测"),
    "peak": ("peak", "峰"),
    "flat": ("flat", "平"),
    "valley": ("valley", "谷"),
    "meters": ("meters", "计量表"),
    "declared": ("declared", "填报"),
    "weather data": ("weather data", "气象数据"),
    "emission": ("emission", "排放因子"),
    "energy": ("energy", "折标系数"),
    "parameter": ("parameter", "燃料参数"),
    "green_power": ("green-power contract", "绿电交易"),
    "gec": ("green electricity certificate", "绿证"),
    "guiding indicator; threshold provisional": (
        "guiding indicator; threshold provisional",
        "引导性指标；阈值暂定",
    ),
    "guiding indicator; may be explained as not applicable": (
        "guiding indicator; may be explained as not applicable",
        "引导性指标；可说明不适用",
    ),
}
LOAD_KINDS = {  # load_log.kind: what a loaded file held
    "meters": ("meters", "表计清单"),
    "readings": ("readings", "表计读数"),
    "enterprises": ("enterprises", "企业名录"),
    "production": ("production", "产值与产量"),
    "product_energy": ("product energy", "产品单位能耗"),
    "green_power": ("green power", "绿电与绿证"),
    "waste": ("waste ledger", "固废台账"),
    "waste_heat": ("waste heat", "余热"),
    "roofs": ("roofs", "屋顶"),
    "weather": ("weather", "气象数据"),
    "factor_overrides": ("factor overrides", "因子覆盖值"),
    "accounting_inputs": ("accounting inputs", "核算输入"),
    "wind_sites": ("wind sites", "风电场址"),
    "process_emissions": ("process emissions", "工业过程排放"),
}
METRICS = {  # rows of the long PV value table
    "year": ("Year", "年份"),
    "weather": ("Weather", "气象数据"),
    "estimate_kind": ("Estimate", "估算方式"),
}
SECTIONS = {
    "data quality": ("data quality", "数据质量"),
    "waste": ("waste", "固体废物"),
    "carbon": ("carbon", "碳排放"),
    "intensities": ("intensities", "强度指标"),
    "resources": ("resources", "资源利用"),
    "pv": ("PV", "光伏"),
    "zero_carbon": ("zero-carbon indicators", "零碳指标"),
    "trajectory": ("trajectory", "轨迹"),
}
COLUMNS.update(CLI_COLUMNS)  # the columns only CLI tables show
# column -> the vocabulary of its values
VALUES = {
    "status": {**STATUS, **OTHER},
    "waste_heat_status": STATUS,
    "carrier": CARRIERS,
    "source": {**CARRIERS, **SCOPES},
    "flow": ROLES,
    "role": {**ROLES, **OTHER},
    "scope": SCOPES,
    "emissions_basis": SCOPES,
    "electricity_tce_method": OTHER,
    "band": OTHER,
    "basis": SCOPES,
    "industry": INDUSTRIES,
    "severity": OTHER,
    "kind": {**OTHER, **ROLES, **LOAD_KINDS, **LEVER_KINDS},
    "item": BILL_ITEMS,
    "period": OTHER,
    "water_source": OTHER,
    "threshold_status": OTHER,
    "estimate_kind": OTHER,
    "section": SECTIONS,
    "type": OTHER,
}
for _column, _vocab in CLI_VALUES.items():  # the CLI tables' values, added
    VALUES[_column] = {**_vocab, **VALUES.get(_column, {})}


def column_label(column: str, lang: str = "en") -> str:
    """The name of ``column`` in ``lang`` (the id itself when it is not catalogued)."""
    entry = COLUMNS.get(column)
    if entry is None:
        return column
    return entry[1] if lang == "zh" else entry[0]


def unit(column: str, lang: str = "en") -> str:
    """The unit of ``column`` in ``lang``'s convention (``""`` without one)."""
    entry = COLUMNS.get(column)
    text = entry[2] if entry else ""
    return unit_text(text, lang)


def unit_text(text: str, lang: str) -> str:
    """A unit written in ``lang``'s convention (``10k CNY`` -> ``万元`` in Chinese)."""
    return UNITS_ZH.get(text, text) if lang == "zh" else text


def kind(column: str) -> str | None:
    """The formatting kind of ``column`` (a key of ``greenpark.core.formats.FORMATS``),
    or None when it is not catalogued."""
    entry = COLUMNS.get(column)
    return entry[3] if entry else None


def header(column: str, lang: str = "en") -> str:
    """``Name [unit]`` of a column in ``lang``."""
    name, u = column_label(column, lang), unit(column, lang)
    return f"{name} [{u}]" if u else name


def value_label(column: str, value, lang: str = "en"):
    """A categorical value of ``column`` in ``lang`` (other values unchanged)."""
    vocab = VALUES.get(column)
    if vocab is None or not isinstance(value, str) or value not in vocab:
        return value
    en, zh = vocab[value]
    return zh if lang == "zh" else en


def term(value: str, lang: str = "en") -> str:
    """Any catalogued value (status, carrier, role, scope ...) in ``lang``."""
    for vocab in (STATUS, CARRIERS, ROLES, SCOPES, INDUSTRIES, OTHER, SECTIONS):
        if value in vocab:
            en, zh = vocab[value]
            return zh if lang == "zh" else en
    return value
