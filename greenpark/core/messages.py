"""The zh/en message catalogue of findings, keyed by the finding code, with parameters
from the finding's data.

A finding carries its English message (written where it is found, with every figure);
the catalogue gives each code a sentence per language whose ``{parameters}`` are keys of
``Finding.data`` (and ``value``: ``data["figures"]["value"]``). When a parameter is
missing the English sentence is the finding's own message and the Chinese one names the
finding by its catalogued title, so a Chinese reader never gets an English sentence.
"""

from __future__ import annotations

import math
import string

# code -> (title zh, English template, Chinese template)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "factor.fallback": (
        "因子年份回退",
        "{factor_id}: no factor published for the reporting year; the newest earlier "
        "one ({year}) is used",
        "{factor_id}：报告年份尚无发布值，采用最近较早年份（{year} 年）的因子",
    ),
    "factor.override": (
        "园区覆盖因子",
        "{factor_id}: the park's own value overrides the shipped factor",
        "{factor_id}：使用园区自定的因子值，替代内置因子",
    ),
    "green_power.vintage": (
        "绿证年份不符",
        "{instrument_id} (vintage {vintage}) not counted: its vintage is outside the "
        "reporting year",
        "{instrument_id}（生产年月 {vintage}）不在报告年度内，未计入",
    ),
    "green_power.excess": (
        "绿电绿证超出购电量",
        "claims exceed net purchased electricity; the excess is not used",
        "绿电、绿证申报量超过净外购电量，超出部分不计入",
    ),
    "green_power.period": (
        "绿电期间",
        "{instrument_id}: period outside the report",
        "{instrument_id}：期间不在报告期内",
    ),
    "green_power.double_claim": (
        "重复申报",
        "{instrument_id} is claimed twice",
        "{instrument_id} 被重复申报",
    ),
    "production.missing": (
        "工业增加值缺失",
        "no value added for {enterprise_ids} in {period}; per-value-added intensities of "
        "periods with this month are not available",
        "{period} 缺少企业 {enterprise_ids} 的工业增加值，含该月的单位增加值强度不可用",
    ),
    "production.none": (
        "无工业增加值",
        "no value added in {period}",
        "{period} 无工业增加值数据，单位增加值强度不可用",
    ),
    "readings.incomplete": (
        "读数不完整",
        "{period} lacks readings in some months",
        "{period} 部分月份缺少读数，相关比较不可用",
    ),
    "readings.coverage": (
        "数据完整率不足",
        "{meter_id}: readings cover {value:.1f} % of the period",
        "表计 {meter_id} 本期数据完整率 {value:.1f}%",
    ),
    "readings.gap": ("读数缺口", "{meter_id}: gap in readings", "表计 {meter_id} 读数存在缺口"),
    "readings.flat_line": (
        "读数恒定",
        "{meter_id}: flat readings",
        "表计 {meter_id} 读数长时间不变",
    ),
    "readings.negative": (
        "负读数",
        "{meter_id}: negative readings",
        "表计 {meter_id} 存在负值读数",
    ),
    "readings.spike": ("读数突变", "{meter_id}: spike", "表计 {meter_id} 读数出现尖峰"),
    "readings.register_backwards": (
        "表码倒走",
        "{meter_id}: register went backwards",
        "表计 {meter_id} 表码倒走（疑似换表）",
    ),
    "readings.register_rollover": (
        "表码翻转",
        "{meter_id}: register rolled over",
        "表计 {meter_id} 表码满量程翻转，已按翻转处理",
    ),
    "readings.register_reset": (
        "表码复位",
        "{meter_id}: register reset (meter replaced)",
        "表计 {meter_id} 表码复位（换表），已按新表起码计算",
    ),
    "readings.repeated": (
        "重复读数",
        "{meter_id}: repeated rows dropped",
        "表计 {meter_id} 的重复读数已剔除",
    ),
    "waste.balance": (
        "固废台账不平衡",
        "{file}: {period} {enterprise_id} stream {stream}: gap {gap_t:+.3f} t "
        "(tolerance {tolerance_t:.3f} t)",
        "{file}：{period} 企业 {enterprise_id} 固废流 {stream} 产生量与去向不平衡"
        "（差 {gap_t:+.3f} 吨，容差 {tolerance_t:.3f} 吨）",
    ),
    "waste.months_missing": (
        "固废月份缺失",
        "waste ledger lacks months of {period}",
        "固废台账缺少 {period} 的部分月份",
    ),
    "waste.rate_unavailable": (
        "固废利用率不可用",
        "waste rate not available for {period}",
        "{period} 固废利用率不可用",
    ),
    "waste.over_utilized": ("利用量超过产生量", "utilized exceeds generated", "利用量超过产生量"),
    "waste.hazardous_dumped": (
        "危险废物倾倒",
        "hazardous waste dumped",
        "存在危险废物倾倒丢弃记录",
    ),
    "waste.route_missing": ("去向缺失", "waste route missing", "固废去向未填写"),
    "waste.intensity_unavailable": (
        "固废强度不可用",
        "waste intensity not available for {period}",
        "{period} 单位增加值固废产生量不可用",
    ),
    "waste.intensity_partial": (
        "固废强度不完整",
        "waste intensity covers part of {period}",
        "{period} 单位增加值固废产生量仅覆盖部分月份",
    ),
    "waste.unknown_enterprise": (
        "未知企业",
        "enterprise {enterprise_id} is not registered",
        "企业 {enterprise_id} 不在企业名录中",
    ),
    "resources.water_unavailable": (
        "无水量数据",
        "no water data in {period}",
        "{period} 无取水、重复用水数据",
    ),
    "resources.water_incomplete": (
        "水量不完整",
        "water reuse rate covers part of {period}",
        "{period} 水重复利用率仅覆盖部分月份",
    ),
    "resources.water_source_overlap": (
        "水量来源重叠",
        "{period}: {role} from meters and declared figures",
        "{period}：{role} 同时有表计和填报数据，采用表计",
    ),
    "resources.waste_heat_unavailable": (
        "余热数据不可用",
        "no waste heat data in {period}",
        "{period} 无余热数据",
    ),
    "resources.waste_heat_incomplete": (
        "余热数据不完整",
        "waste heat data incomplete",
        "余热数据不完整",
    ),
    "resources.waste_heat_not_applicable": (
        "余热不适用",
        "waste heat not applicable",
        "余热利用不适用（已说明原因）",
    ),
    "resources.waste_heat_over_recoverable": (
        "余热回收超过可回收量",
        "recovered exceeds recoverable",
        "余热回收量超过可回收量",
    ),
    "resources.waste_heat_meter_missing": (
        "余热表计缺失",
        "waste heat meter missing",
        "余热回收表计缺失",
    ),
    "resources.waste_heat_meter_undeclared": (
        "余热表计未申报",
        "meter {meter_id} records recovered heat without a declaration",
        "表计 {meter_id} 有余热回收读数但未申报可回收量",
    ),
    "pv.load_coverage": (
        "负荷数据不完整",
        "metered load covers {coverage_pct:.1f} % of {period}",
        "{period} 负荷计量覆盖 {coverage_pct:.1f}% 的小时",
    ),
    "pv.grid_factor": (
        "光伏减排因子",
        "CO2 avoided uses {factor_id} ({year})",
        "光伏减排量采用电网因子 {factor_id}（{year} 年）",
    ),
    "pv.typical_weather": (
        "典型年气象",
        "no measured weather for {period}: compared with a typical year",
        "{period} 无实测气象数据，按典型气象年比对，仅供参考",
    ),
    "pv.no_roof": (
        "无对应屋顶",
        "{meter_id}: no roof of building {building_id} has existing PV",
        "表计 {meter_id}：建筑 {building_id} 无已建光伏屋顶，无法建模",
    ),
    "pv.no_readings": (
        "光伏无读数",
        "{meter_id}: no readings in {period}",
        "表计 {meter_id} 在 {period} 无读数",
    ),
    "pv.underperformance": (
        "光伏发电偏低",
        "{meter_id} delivered less than modelled in {period}",
        "表计 {meter_id} 在 {period} 发电量低于模型预期，请检查可用率、遮挡与清洁",
    ),
    "pv.screening": (
        "光伏筛查估算",
        "screening estimate (clear-sky scaled)",
        "筛查级估算（晴空辐照按月晴朗度缩放），仅供参考",
    ),
    "pv.poa_undefined": (
        "组件面辐照未定义",
        "{values} plane-of-array values undefined, set to 0",
        "{values} 个组件面辐照值无定义，按 0 处理",
    ),
    "pv.default_usable_fraction": (
        "屋顶可用比例采用默认值",
        "{roofs} roof(s) take the default usable fraction",
        "{roofs} 个屋顶未填写可用比例，采用默认值：平铺 {flush:g}、支架 {racked:g}"
        "（可安装光伏的屋顶面积比例，取 2021 年整县屋顶分布式光伏试点对工商业厂房的"
        "最低比例，偏保守）",
    ),
    "pv.assumed_flush_density": (
        "平铺组件功率密度为假设值",
        "flush density {value} kW/m2 assumed",
        "{roofs} 个平铺屋顶（含倾角为 0 的阵列）按组件功率密度 {value:g} kW/m2 计算："
        "greenpark 的假设"
        "（约 20 % 效率组件、无行间距，无公开来源），可在 [pv] power_density_flush_kw_per_m2 设置",
    ),
    "pv.no_capacity": ("屋顶无可用容量", "roofs with zero usable capacity", "部分屋顶可用容量为零"),
    "pv.existing_exceeds_potential": (
        "已建超过潜力",
        "existing PV exceeds the potential",
        "部分屋顶已建光伏超过估算潜力，请检查可用比例",
    ),
    "zero_carbon.coverage": (
        "零碳指标数据不足",
        "{period}: readings in {coverage_pct:.0f} % of the months",
        "{period}：仅 {coverage_pct:.0f}% 的月份有读数，指标标记为数据不足",
    ),
    "zero_carbon.product_energy": (
        "产品能耗未达标",
        "{period}: products below grade 2",
        "{period}：部分产品单位能耗未达到 2 级",
    ),
    "zero_carbon.leading_industries": (
        "主导产业过多",
        "enterprises declare more than 3 leading industries",
        "企业申报的主导产业超过 3 个（2025 年园区指南上限）",
    ),
    "zero_carbon.gap": (
        "零碳电力缺口",
        "{period}: uncovered purchase {uncovered_mwh:,.0f} MWh",
        "{period}：未覆盖的外购电量 {uncovered_mwh:,.0f} MWh，尚未达到阈值",
    ),
    "zero_carbon.pv": (
        "光伏潜力",
        "{period}: rooftop PV potential",
        "{period}：屋顶光伏潜力可弥补部分缺口",
    ),
    "zero_carbon.resources": ("资源指标", "resource indicators", "资源利用指标说明"),
    "zero_carbon.trajectory": (
        "轨迹数据不足",
        "{complete_months} complete rolling months; at least {needed} are needed",
        "仅有 {complete_months} 个完整滚动月，至少需要 {needed} 个才能预测趋势",
    ),
    "config.leading_industries": (
        "主导产业过多",
        "park.leading_industries has {count} entries (at most {max})",
        "园区主导产业 {count} 个，超过上限 {max} 个",
    ),
    "report.section_unavailable": (
        "本节不可用",
        "{section}: not available for this period",
        "{section_zh}：本期不可用（缺少所需数据）",
    ),
    "weather.decomposed": ("辐照分解", "irradiance decomposed", "直射、散射辐照由总辐照分解得到"),
    "weather.distance": ("气象站距离", "weather station far from the park", "气象站距园区较远"),
    "weather.filled": ("气象数据插补", "weather gaps filled", "气象数据缺口已插补"),
    "weather.partial_year": (
        "气象数据不足一年",
        "weather covers part of the year",
        "气象数据不足一整年",
    ),
    "weather.resampled": ("气象数据重采样", "weather resampled to hours", "气象数据已重采样为逐时"),
    "roofs.buildings_unchecked": ("建筑未核对", "roof buildings not checked", "屋顶所属建筑未核对"),
    "load.unchanged": ("文件未变化", "file already loaded", "文件已导入，内容未变化"),
    "green_power.enterprise_excess": (
        "企业绿电超出自身用电",
        "{period}: {enterprise_id}'s green power exceeds its metered consumption by "
        "{excess_mwh:,.3f} MWh",
        "{period}：{enterprise_id} 的绿电/绿证 {claims_mwh:,.3f} MWh 超出其计量用电 "
        "{consumption_mwh:,.3f} MWh，超出 {excess_mwh:,.3f} MWh（规则 {rule}：park 计入园区层面，"
        "none 不计入）",
    ),
    "zero_carbon.primary_unavailable": (
        "等价值口径不可用",
        "primary-energy electricity not available",
        "未给出供电煤耗（[accounting] coal_rate_gce_per_kwh），等价值折标的两种口径无法计算："
        "greenpark 不内置供电煤耗（无经核实的来源）",
    ),
    "zero_carbon.status_basis": (
        "达标判定口径",
        "status judged on {emissions_basis} emissions and {electricity_tce_method} electricity",
        "达标状态按{emissions_basis_zh}排放、电力按{electricity_tce_method_zh}折标判定"
        "（[zero_carbon] emissions_basis 与 [accounting] electricity_tce_method 的设置）；"
        "该口径下核心指标为 {value:.4g} tCO2/tce。greenpark 默认基于市场、当量值，属 greenpark "
        "的假设：指标体系原文未规定排放口径与电力折标方法，故四种口径并列给出",
    ),
    "zero_carbon.coal_rate": (
        "等价值所用供电煤耗",
        "primary-energy coal rate {rate_gce_per_kwh} gce/kWh of {year}",
        "等价值折标采用 {year} 年供电煤耗 {rate_gce_per_kwh:g} gce/kWh"
        "（[accounting] coal_rate_gce_per_kwh）",
    ),
    "zero_carbon.coal_rate_fallback": (
        "供电煤耗年份回退",
        "primary-energy coal rate {rate_gce_per_kwh} gce/kWh of {year} used for {for_years}",
        "等价值折标采用 {year} 年供电煤耗 {rate_gce_per_kwh:g} gce/kWh"
        "（[accounting] coal_rate_gce_per_kwh）：{for_years} 年未给出煤耗，采用最近较早年份的值",
    ),
    "zero_carbon.bases": (
        "核心指标的多种口径",
        "the core indicator on every basis",
        "核心指标按位置/市场口径及当量值/等价值分别列出；判定所用口径见方法说明",
    ),
    "wind.default_availability_pct": (
        "风机可利用率采用默认值",
        "default wind availability {value}",
        "场址 {sites} 的风机可利用率采用 greenpark 假设值 {value} %"
        "（非公开发布数据，请按场址设置）",
    ),
    "wind.default_other_losses_pct": (
        "风电其他损失采用默认值",
        "default other wind losses {value}",
        "场址 {sites} 的其他损失（电气、覆冰、限电）采用 greenpark 假设值 {value} %"
        "（请按场址设置）",
    ),
    "wind.default_wake_model": (
        "尾流损失采用默认模型",
        "default wake model {value}",
        "场址 {sites} 的尾流损失采用 windpowerlib 风电场效率曲线 {value}（dena 2010），属假设",
    ),
    "inputs.incomplete": (
        "输入数据不完整",
        "the figures of {period} rest on incomplete data: {meters}",
        "{period} 的结果基于不完整的数据：边界表计 {meters} 有缺失读数",
    ),
    "readings.missing_meter": (
        "表计无读数",
        "meter {meter_id} sent no readings in the period",
        "表计 {meter_id} 本期没有任何读数（数据完整率 0%）",
    ),
    "waste.over_treated": (
        "利用处置量超出可用量",
        "utilized + disposed {treated_t:.3f} t exceeds what was available ({available_t:.3f} t)",
        "{enterprise_id} 固废流 {stream}：利用与处置量超出当期产生与往年贮存量，超出部分"
        "按往年贮存量计入危废利用处置率",
    ),
    "weather.time_offset": (
        "气象数据时间偏移",
        "{file}: the daily irradiance peak is {offset_min:.0f} min off solar noon",
        "{file}：日辐照峰值平均偏离太阳正午超过允许范围，时区或时间戳可能有误",
    ),
    "wind.resource": (
        "风资源外推方式",
        "wind speed measured at {wind_height_m} m, extrapolated to hub height",
        "风速测量高度 {wind_height_m} m，按对数律（粗糙度）或拟合的幂律外推至轮毂高度",
    ),
    "wind.shear_exponent": (
        "风切变指数拟合",
        "{file}: shear exponent {shear_exponent:.3f} fitted",
        "{file}：由多高度平均风速拟合风切变指数 {shear_exponent:.3f}",
    ),
    "wind.partial_year": (
        "风资源数据不足一年",
        "{hours:,.0f} h of data, not a year",
        "风资源数据仅 {hours:,.0f} 小时，不足一年：年发电量按比例折算（未做季节修正）",
    ),
    "wind.hub_height_not_offered": (
        "轮毂高度不在机型列表中",
        "site {site_id}: hub height {hub_height_m:g} m is not one the library lists",
        "场址 {site_id}：轮毂高度 {hub_height_m:g} m 不在机型库所列高度之中，"
        "仍按该高度使用功率曲线",
    ),
    "zero_carbon.wind": (
        "风电未计入差距",
        "wind sites stored but not estimated: wind is left out of the gap",
        "已登记风电场址但无法估算，风电未计入零碳差距",
    ),
    "energy_mix.no_gap": (
        "已无零碳差距",
        "the park meets the core indicator in {period}: no gap to close",
        "{period} 园区已达到核心指标，无需弥合差距",
    ),
    "energy_mix.no_pv": (
        "无光伏估算",
        "no PV estimate stored: the PV row is zero",
        "尚未保存屋顶光伏估算（请运行 greenpark pv estimate），光伏一行为零",
    ),
    "plan.activity_constant": (
        "规划假设活动水平不变",
        "the path holds the base year {base_year}'s activity constant to {target_year}",
        "规划路径假设 {base_year} 基准年的活动水平、能源结构和排放因子保持不变至 "
        "{target_year} 年，仅减排措施改变排放和能耗",
    ),
    "plan.lever_no_carrier": (
        "措施对应能源品种未使用",
        "lever {lever_id}: the park used no such carrier in the base year",
        "措施 {lever_id}：基准年园区未使用该能源品种，措施无效果",
    ),
    "plan.load_coverage": (
        "用电数据不完整",
        "metered electricity covers {coverage_pct:.1f} % of the intervals of {period}",
        "{period} 计量用电数据仅覆盖 {coverage_pct:.1f}% 的时段，缺失时段按零负荷计",
    ),
    "plan.location_basis": (
        "基于位置口径下绿电无减排",
        "lever {lever_id}: green power abates nothing on the location basis",
        "措施 {lever_id}：状态按基于位置口径判定，绿电和绿证在该口径下不减少排放",
    ),
    "plan.no_pv_estimate": (
        "无新增光伏估算",
        "no rooftop PV estimate with new capacity",
        "尚无含新增装机的屋顶光伏估算（请运行 greenpark pv estimate）",
    ),
    "plan.self_use_floor": (
        "自用比例低于下限",
        "combinations use less than the self-use floor of {floor_pct:g} % of PV output",
        "部分组合的光伏就地消纳比例低于下限 {floor_pct:g}%",
    ),
    "plan.storage_size": (
        "储能容量未给出",
        "lever {lever_id}: give energy_kwh",
        "措施 {lever_id}：请给出储能容量 energy_kwh（或 [plan.storage] energy_kwh）",
    ),
    "plan.target_out_of_reach": (
        "目标无法达到",
        "the levers cannot reach the core indicator by {target_year}: "
        "{shortfall_tco2:,.1f} tCO2 short",
        "现有措施到 {target_year} 年仍无法使核心指标达标：尚差 {shortfall_tco2:,.1f} tCO2"
        "（最佳组合为 {best_tco2_per_tce:.4f} tCO2/tce）",
    ),
}
FALLBACK_ZH = "{title}（代码 {code}，详见审计工作簿“发现”表）"


def _params(data: dict, lang: str) -> dict:
    from greenpark.core.labels import term

    out = dict(data)
    figures = data.get("figures")
    if isinstance(figures, dict):
        out.update(figures)
    for key, value in list(out.items()):
        if isinstance(value, list | tuple):
            out[key] = "、".join(map(str, value)) if lang == "zh" else ", ".join(map(str, value))
        elif isinstance(value, float) and math.isnan(value):
            out[key] = None
    for key in ("emissions_basis", "electricity_tce_method"):
        if isinstance(out.get(key), str):
            out[f"{key}_zh"] = term(out[key], "zh")
    if "section" in out:
        out["section_zh"] = term(str(out["section"]), "zh")
    return out


def _render(template: str, params: dict) -> str | None:
    """``template`` with ``params``, or None when one is missing or None."""
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None and params.get(name) is None:
            return None
    try:
        return template.format(**params)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def message(finding, lang: str = "en") -> str:
    """The finding's message in ``lang`` (English: its own message)."""
    if lang != "zh":
        return finding.message
    entry = MESSAGES.get(finding.code)
    if entry is None:
        return FALLBACK_ZH.format(title="其他提示", code=finding.code)
    text = _render(entry[2], _params(finding.data, "zh"))
    return text if text is not None else FALLBACK_ZH.format(title=entry[0], code=finding.code)


def title(code: str, lang: str = "en") -> str:
    """A short name of a finding code (the code itself in English)."""
    entry = MESSAGES.get(code)
    return entry[0] if entry and lang == "zh" else code
