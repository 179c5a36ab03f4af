"""greenpark: green and low-carbon metrics for industrial parks.

The package imports nothing heavy at import time; pandas, duckdb and pvlib are
imported by the functions that need them, so ``greenpark --help`` stays fast.

Notebook use::

    import greenpark as gp
    store = gp.open_store("greenpark.duckdb")
    gp.energy(store, month="2025-12", by="carrier")   # a pandas DataFrame
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "open_store": "greenpark.store:open_store",
    "Store": "greenpark.store:Store",
    "load_park_config": "greenpark.core.config:load_park_config",
    "ParkConfig": "greenpark.core.config:ParkConfig",
    "load_meters": "greenpark.loaders.meters:load_meters",
    "load_readings": "greenpark.loaders.readings:load_readings",
    "energy": "greenpark.metrics.energy:energy",
    "check": "greenpark.metrics.quality:check",
    "GreenparkError": "greenpark.core.errors:GreenparkError",
    "InputError": "greenpark.core.errors:InputError",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    try:
        module_name, attr = _API[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'greenpark' has no attribute {name!r}") from None
    return getattr(import_module(module_name), attr)
