"""Rooftop PV settings from park.toml: ``[pv]`` and ``[pv.economics]``.

Every setting has a documented default (docs/methodology.md, "Rooftop PV"); defaults
that are assumptions carry their source and a confidence tag so that outputs can say
where each number comes from. Keys are validated with errors that name the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from greenpark.core.config.validate import Checker, Table, is_number
from greenpark.core.errors import ConfigError

# pvlib.pvsystem.pvwatts_losses() with its default components (soiling 2, shading 3,
# mismatch 2, wiring 2, connections 0.5, LID 1.5, nameplate 1, availability 3 %).
PVWATTS_LOSSES_PCT = 14.075660688264469

TEMPERATURE_MODELS = (
    "open_rack_glass_glass",
    "close_mount_glass_glass",
    "open_rack_glass_polymer",
    "insulated_back_glass_polymer",
)
TRANSPOSITIONS = ("perez", "haydavies", "isotropic")
MOUNTINGS = ("racked", "flush")
# The PV model is PVWatts Version 5's (pvlib's pvwatts_dc / inverter / losses); the version
# only chooses the default module temperature coefficient ("standard" module). [1/K]
PVWATTS_VERSIONS = ("v5", "v8")
GAMMA_BY_PVWATTS_VERSION = {"v5": -0.0047, "v8": -0.0037}


@dataclass(frozen=True)
class Setting:
    """Default of one setting: value, unit, source and confidence (A, B or NV)."""

    value: object
    unit: str
    source: str
    confidence: str


REOPT = "NREL REopt rooftop PV default, ~0.01 kW/ft2 of roof (shared reference)"
PVWATTS = "pvlib pvwatts / PVWatts v5 defaults (shared reference)"
PVWATTS_MANUAL = "PVWatts Version 5 Manual (Dobos 2014, NREL/TP-6A20-62641)"
SAPM = "Sandia Array Performance Model temperature coefficients (King et al. 2004), via pvlib"
ILLUSTRATIVE = "illustrative assumption, not a published figure: set it in park.toml"

PV_DEFAULTS: dict[str, Setting] = {
    "dc_ac_ratio": Setting(1.2, "1", PVWATTS, "B"),
    "inverter_efficiency": Setting(0.96, "1", PVWATTS, "B"),
    "system_losses_pct": Setting(
        PVWATTS_LOSSES_PCT, "%", "pvlib pvwatts_losses() defaults (14.08 %, shared reference)", "B"
    ),
    "pvwatts_version": Setting(
        "v5",
        "",
        "greenpark default: the model's equations are PVWatts v5's (pvlib); 'v8' takes the "
        "PVWatts v8 standard-module temperature coefficient",
        "B",
    ),
    "gamma_pdc_per_k": Setting(
        -0.0047,
        "1/K",
        PVWATTS_MANUAL + ", 'standard' module (-0.47 %/K); with pvwatts_version = 'v8': "
        "PVWatts v8 standard module, -0.37 %/K (NREL PVWatts v8, as cited in issue 13; not in "
        "shared/reference)",
        "B",
    ),
    "albedo": Setting(0.2, "1", PVWATTS_MANUAL, "B"),
    "transposition": Setting("perez", "", "Perez et al. 1990 (issue requirement)", "A"),
    "temperature_model_racked": Setting("open_rack_glass_polymer", "", SAPM, "B"),
    "temperature_model_flush": Setting("close_mount_glass_glass", "", SAPM, "B"),
    "power_density_racked_kw_per_m2": Setting(
        0.108,
        "kW/m2",
        REOPT + "; per m2 of roof area available for PV (REopt's roof_squarefeet: 'Area of "
        "roof in square feet available for PV siting'): row spacing is in it, setbacks and "
        "obstacles are not (they are the usable fraction)",
        "B",
    ),
    "power_density_flush_kw_per_m2": Setting(
        0.20,
        "kW/m2",
        "greenpark assumption: modules flush with the roof, ~20 % STC efficiency, no row spacing",
        "NV",
    ),
    "usable_fraction": Setting(
        0.30,
        "1",
        "flush arrays: 2021 county-wide rooftop PV programme minimum share of industrial & "
        "commercial roof area on which PV can be installed (shared reference): setbacks and "
        "obstacles, counted here once; conservative",
        "B",
    ),
    "usable_fraction_racked": Setting(
        0.30,
        "1",
        "racked arrays: the same programme minimum share of roof area available for PV "
        "(setbacks and obstacles, counted here once); the racked density then counts row "
        "spacing once, over that area, as REopt applies it; conservative",
        "B",
    ),
    "max_weather_distance_km": Setting(50.0, "km", "greenpark screening choice", "NV"),
    "screening_clearness_index": Setting(
        None, "1", "park.toml (required for a screening estimate)", "NV"
    ),
    "screening_temp_air_degc": Setting(20.0, "degC", "greenpark assumption", "NV"),
    "screening_wind_speed_m_per_s": Setting(1.0, "m/s", "greenpark assumption", "NV"),
}

ECONOMICS_DEFAULTS: dict[str, Setting] = {
    "capex_cny_per_kwp": Setting(3500.0, "CNY/kWp", ILLUSTRATIVE, "NV"),
    "om_cny_per_kwp_year": Setting(50.0, "CNY/kWp/a", ILLUSTRATIVE, "NV"),
    "discount_rate": Setting(0.06, "1/a", ILLUSTRATIVE, "NV"),
    "lifetime_years": Setting(25, "a", ILLUSTRATIVE, "NV"),
    "degradation_pct_per_year": Setting(0.5, "%/a", ILLUSTRATIVE, "NV"),
}


@dataclass(frozen=True)
class PvSettings:
    """``[pv]``: model parameters and roof defaults (see :data:`PV_DEFAULTS`)."""

    dc_ac_ratio: float
    inverter_efficiency: float
    system_losses_pct: float
    pvwatts_version: str
    gamma_pdc_per_k: float
    albedo: float
    transposition: str
    temperature_model_racked: str
    temperature_model_flush: str
    power_density_racked_kw_per_m2: float
    power_density_flush_kw_per_m2: float
    usable_fraction: float
    usable_fraction_racked: float
    max_weather_distance_km: float
    screening_clearness_index: tuple[float, ...] | None
    screening_temp_air_degc: float
    screening_wind_speed_m_per_s: float
    from_config: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Economics:
    """``[pv.economics]`` (see :data:`ECONOMICS_DEFAULTS`)."""

    capex_cny_per_kwp: float
    om_cny_per_kwp_year: float
    discount_rate: float
    lifetime_years: int
    degradation_pct_per_year: float
    from_config: frozenset[str] = field(default_factory=frozenset)


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

BOUNDS = {  # inclusive [low, high] of each numeric setting, in its unit
    "dc_ac_ratio": (0.5, 3.0),
    "inverter_efficiency": (0.5, 1.0),
    "system_losses_pct": (0.0, 99.0),
    "gamma_pdc_per_k": (-0.02, 0.0),
    "albedo": (0.0, 1.0),
    "power_density_racked_kw_per_m2": (0.001, 0.5),
    "power_density_flush_kw_per_m2": (0.001, 0.5),
    "usable_fraction": (0.0, 1.0),
    "usable_fraction_racked": (0.0, 1.0),
    "max_weather_distance_km": (0.0, 20000.0),
    "screening_temp_air_degc": (-60.0, 60.0),
    "screening_wind_speed_m_per_s": (0.0, 60.0),
    "capex_cny_per_kwp": (0.0, 1e6),
    "om_cny_per_kwp_year": (0.0, 1e5),
    "discount_rate": (0.0, 1.0),
    "lifetime_years": (1, 100),
    "degradation_pct_per_year": (0.0, 20.0),
}
CHOICES = {
    "pvwatts_version": PVWATTS_VERSIONS,
    "transposition": TRANSPOSITIONS,
    "temperature_model_racked": TEMPERATURE_MODELS,
    "temperature_model_flush": TEMPERATURE_MODELS,
}
CLEARNESS_KIND = "a list of 12 monthly clearness indices in (0, 1]"


def _document(doc: dict | str, checker: Checker) -> dict:
    """The parsed park.toml document (text is parsed, for callers holding a file's text)."""
    if isinstance(doc, dict):
        return doc
    try:
        return tomllib.loads(doc or "")
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError(f"{checker.source}: not valid TOML: {exc}") from None


def _clearness(value) -> tuple[float, ...] | None:
    ok = (
        isinstance(value, list)
        and len(value) == 12
        and all(is_number(v) and 0 < v <= 1 for v in value)
    )
    return tuple(float(v) for v in value) if ok else None


def _setting(table: Table, key: str, default: Setting):
    if key in CHOICES:
        return table.choice(key, CHOICES[key], default.value)
    if key == "screening_clearness_index":
        return table.custom(key, default.value, _clearness, CLEARNESS_KIND)
    if key == "lifetime_years":
        return table.integer(key, default.value, *BOUNDS[key])
    return table.number(key, default.value, *BOUNDS[key])


def _build(cls, defaults: dict[str, Setting], table: Table, skip=()):
    table.keys(defaults, skip=skip)
    values = {key: _setting(table, key, setting) for key, setting in defaults.items()}
    return cls(**values, from_config=frozenset(k for k in defaults if k in table.given))


def read_pv(table: Table) -> PvSettings:
    """``[pv]`` from its table (defaults for missing keys; ``economics`` is its own)."""
    import dataclasses

    settings = _build(PvSettings, PV_DEFAULTS, table, skip=("economics",))
    if "gamma_pdc_per_k" in settings.from_config or settings.pvwatts_version is None:
        return settings
    gamma = GAMMA_BY_PVWATTS_VERSION[settings.pvwatts_version]
    return dataclasses.replace(settings, gamma_pdc_per_k=gamma)


def read_economics(table: Table) -> Economics:
    """``[pv.economics]`` from its table (defaults for missing keys)."""
    return _build(Economics, ECONOMICS_DEFAULTS, table)


def _section(doc: dict | str, source: str, read, *path: str):
    checker = Checker(source)
    table = checker.root(_document(doc, checker))
    for part in path:
        table = table.table(part)
    result = read(table)
    checker.raise_if_any()
    return result


def pv_settings(doc: dict | str, source: str = "park.toml") -> PvSettings:
    """Parse ``[pv]`` of park.toml (a parsed document or its text; defaults for missing keys).

    Raises
    ------
    ConfigError
        Naming every key that is unknown or has a bad value.
    """
    return _section(doc, source, read_pv, "pv")


def economics(doc: dict | str, source: str = "park.toml") -> Economics:
    """Parse ``[pv.economics]`` of park.toml (defaults for missing keys)."""
    return _section(doc, source, read_economics, "pv", "economics")


def assumptions(settings, defaults: dict[str, Setting], section: str) -> list[dict]:
    """The settings used, each with its source (``park.toml`` or the default's source)."""
    out = []
    for key, setting in defaults.items():
        configured = key in settings.from_config
        out.append(
            {
                "setting": f"{section}.{key}",
                "value": getattr(settings, key),
                "unit": setting.unit,
                "source": "park.toml" if configured else setting.source,
                "confidence": "park" if configured else setting.confidence,
            }
        )
    return out


# ``[tariff]`` lives in greenpark.core.config.tariffs (it grew past PV); its names stay
# importable from here.
_TARIFF_NAMES = ("TARIFF_DEFAULTS", "TARIFF_PERIODS", "Tariff", "read_tariff", "tariff")


def __getattr__(name: str):
    if name in _TARIFF_NAMES:
        from greenpark.core.config import tariffs

        return getattr(tariffs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
