"""greenpark: green and low-carbon metrics for industrial parks.

The package imports nothing heavy at import time; pandas, duckdb and pvlib are
imported by the functions that need them, so ``import greenpark`` and
``greenpark --help`` stay fast. Every public name below is resolved lazily by
:func:`__getattr__` from :data:`_API` (name -> ``"module:attribute"``).

Notebook use::

    import greenpark as gp
    store = gp.open_store("greenpark.duckdb")
    gp.energy(store, month="2025-12", by="carrier")   # a pandas DataFrame

No top-level submodule of greenpark shares a name with an entry of ``__all__``
(``tests/test_api.py`` asserts it), so importing a submodule can never replace a
public function with a module.
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    # the park database and its configuration
    "open_store": "greenpark.store:open_store",
    "Store": "greenpark.store:Store",
    "init_park": "greenpark.store.park:init_park",
    "load_park_config": "greenpark.core.config:load_park_config",
    "parse_park_config": "greenpark.core.config:parse_park_config",
    "ParkConfig": "greenpark.core.config:ParkConfig",
    # the spine
    "Period": "greenpark.core.periods:Period",
    "period_of": "greenpark.core.periods:period_of",
    "Finding": "greenpark.core.findings:Finding",
    "Result": "greenpark.core.findings:Result",
    "FactorBook": "greenpark.core.factors:FactorBook",
    # errors
    "GreenparkError": "greenpark.core.errors:GreenparkError",
    "InputError": "greenpark.core.errors:InputError",
    "ConfigError": "greenpark.core.errors:ConfigError",
    "DatabaseInUseError": "greenpark.core.errors:DatabaseInUseError",
    "NotInitializedError": "greenpark.store:NotInitializedError",
    # loading
    "load_meters": "greenpark.loaders.meters:load_meters",
    "load_readings": "greenpark.loaders.readings:load_readings",
    "read_readings": "greenpark.loaders.preview:read_readings",
    "read_table": "greenpark.loaders.preview:read_table",
    "read_meters": "greenpark.loaders.preview:read_meters",
    "read_file": "greenpark.loaders.preview:read_file",
    "read_weather": "greenpark.loaders.preview:read_weather",
    "read_waste": "greenpark.loaders.preview:read_waste",
    "read_water": "greenpark.loaders.preview:read_water",
    "read_waste_heat": "greenpark.loaders.preview:read_waste_heat",
    "read_process_emissions": "greenpark.loaders.preview:read_process_emissions",
    "read_roofs": "greenpark.loaders.preview:read_roofs",
    "read_wind_sites": "greenpark.loaders.preview:read_wind_sites",
    "load_log": "greenpark.loaders.common:load_log",
    # Each metric: the DataFrame edge a notebook wants, then its Result function
    # (frame + findings + inputs) where they differ.
    # energy and data quality
    "energy": "greenpark.metrics.energy:energy",
    "energy_result": "greenpark.metrics.energy:energy_result",
    "check": "greenpark.metrics.quality:check",
    "data_quality": "greenpark.metrics.quality:data_quality",
    "meter_coverage": "greenpark.metrics.coverage:meter_coverage",
    # carbon
    "carbon_table": "greenpark.metrics.carbon.tables:carbon_table",
    "carbon_by": "greenpark.metrics.carbon.tables:carbon_by",
    "energy_tce_table": "greenpark.metrics.carbon.tables:energy_tce_table",
    "energy_tce_by": "greenpark.metrics.carbon.tables:energy_tce_by",
    "ledger": "greenpark.metrics.carbon.tables:ledger",
    "ledger_lines": "greenpark.metrics.carbon.tables:ledger_lines",
    "intensities": "greenpark.metrics.carbon.tables:intensities",
    "park_intensities": "greenpark.metrics.carbon.tables:park_intensities",
    "entity_intensities": "greenpark.metrics.carbon.tables:entity_intensities",
    "entity_intensities_by": "greenpark.metrics.carbon.tables:entity_intensities_by",
    "factor_library": "greenpark.metrics.carbon.factor_tables:factor_library",
    "effective_factor": "greenpark.metrics.carbon.factor_tables:effective_factor",
    # rooftop PV (Results)
    "estimate": "greenpark.metrics.pv.potential:estimate",
    "estimate_result": "greenpark.metrics.pv.potential:estimate_result",
    "pv_value": "greenpark.metrics.pv.value:pv_value",
    "performance": "greenpark.metrics.pv.performance:performance",
    # distributed wind (Results, and the shipped turbine types as a DataFrame)
    "wind_estimate": "greenpark.metrics.wind.estimate:wind_estimate",
    "energy_mix": "greenpark.metrics.wind.mix:energy_mix",
    "wind_turbine_types": "greenpark.metrics.wind.turbines:turbine_types",
    "read_mast": "greenpark.io.wind:read_mast",
    "read_power_curve": "greenpark.io.wind:read_power_curve",
    # waste, water and waste heat (Results)
    "waste_rates": "greenpark.metrics.waste:waste_rates",
    "waste_check": "greenpark.metrics.waste:waste_check",
    "ledger_check": "greenpark.metrics.waste:ledger_check",
    "resources_table": "greenpark.metrics.resources:resources_table",
    "resource_indicators": "greenpark.metrics.resources:resource_indicators",
    # zero-carbon park progress
    "indicators": "greenpark.metrics.zerocarbon:indicators",
    "indicators_result": "greenpark.metrics.zerocarbon:indicators_result",
    "gap": "greenpark.metrics.zerocarbon:gap",
    "gap_result": "greenpark.metrics.zerocarbon:gap_result",
    "trajectory": "greenpark.metrics.zerocarbon:trajectory",
    "trajectory_result": "greenpark.metrics.zerocarbon:trajectory_result",
    # the park lake (docs/lake.md)
    "export_park": "greenpark.lake.export:export_park",
    "rollup": "greenpark.lake.rollup:rollup",
    "status_basis": "greenpark.metrics.zerocarbon:status_basis",
    # zero-carbon pathway planning (docs/planning.md)
    "storage_plan": "greenpark.metrics.plan.sizing:storage_plan",
    "pathway_result": "greenpark.metrics.plan.planner:pathway_result",
    "plan_storage": "greenpark.metrics.plan.planner:plan_storage",
    "plan_pathway": "greenpark.metrics.plan.planner:plan_pathway",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    try:
        module_name, attr = _API[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'greenpark' has no attribute {name!r}") from None
    return getattr(import_module(module_name), attr)


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
