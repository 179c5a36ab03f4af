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
    # energy and data quality
    "energy": "greenpark.metrics.energy:energy",
    "check": "greenpark.metrics.quality:check",
    # carbon
    "carbon_table": "greenpark.metrics.carbon.tables:carbon_table",
    "ledger": "greenpark.metrics.carbon.tables:ledger",
    "intensities": "greenpark.metrics.carbon.tables:intensities",
    "entity_intensities": "greenpark.metrics.carbon.tables:entity_intensities",
    "energy_tce_table": "greenpark.metrics.carbon.tables:energy_tce_table",
    # rooftop PV
    "estimate": "greenpark.metrics.pv.potential:estimate",
    "pv_value": "greenpark.metrics.pv.value:value",
    "performance": "greenpark.metrics.pv.performance:performance",
    # waste, water and waste heat
    "waste_rates": "greenpark.metrics.waste:waste_rates",
    "waste_check": "greenpark.metrics.waste:waste_check",
    "resources_table": "greenpark.metrics.resources:resources_table",
    "resource_indicators": "greenpark.metrics.resources:resource_indicators",
    # zero-carbon park progress
    "indicators": "greenpark.metrics.zerocarbon:indicators",
    "gap": "greenpark.metrics.zerocarbon:gap",
    "trajectory": "greenpark.metrics.zerocarbon:trajectory",
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
