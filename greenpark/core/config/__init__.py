"""park.toml: every section validated once, at ``init`` and when the stored file is read.

:class:`ParkConfig` carries ``[park]`` and the typed settings of ``[accounting]``,
``[zero_carbon]``, ``[pv]`` (with ``[pv.economics]``) and ``[tariff]``; nothing else in
greenpark parses park.toml. docs/config.md lists every key, its type, range and default.
"""

from greenpark.core.config.accounting import AccountingSettings
from greenpark.core.config.park import (
    DEFAULT_TIMEZONE,
    KEYS,
    MAX_LEADING_INDUSTRIES,
    SECTIONS,
    ParkConfig,
    load_park_config,
    parse_park_config,
    provinces,
)
from greenpark.core.config.pv import Economics, PvSettings
from greenpark.core.config.tariffs import Tariff
from greenpark.core.config.validate import InvalidConfig, KeyProblem, did_you_mean
from greenpark.core.config.zero_carbon import BASE_YEAR, ZeroCarbonSettings

__all__ = [
    "AccountingSettings",
    "BASE_YEAR",
    "DEFAULT_TIMEZONE",
    "Economics",
    "InvalidConfig",
    "KEYS",
    "KeyProblem",
    "MAX_LEADING_INDUSTRIES",
    "ParkConfig",
    "PvSettings",
    "SECTIONS",
    "Tariff",
    "ZeroCarbonSettings",
    "did_you_mean",
    "load_park_config",
    "parse_park_config",
    "provinces",
]
