"""``[plan]`` of park.toml: the storage to size and dispatch, and the abatement levers.

``[plan]`` holds the discount rate, ``[plan.storage]`` the battery (or the sizes to sweep)
and its costs, ``[[plan.levers]]`` one table per lever with its kind's keys
(:data:`LEVER_KINDS`). Levers may also come from a file of ``[[levers]]`` tables
(:func:`parse_levers`). Every key is validated with an error naming it; defaults that are
assumptions carry a source (docs/config.md, docs/planning.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from greenpark.core.config.pv import ILLUSTRATIVE, Setting
from greenpark.core.config.validate import REQUIRED, Checker, Table
from greenpark.core.errors import ConfigError

PLAN_DEFAULTS: dict[str, Setting] = {
    "discount_rate": Setting(0.06, "1/a", ILLUSTRATIVE, "NV"),
}
STORAGE_DEFAULTS: dict[str, Setting] = {
    "energy_kwh": Setting(0.0, "kWh", "none: plan storage sweeps sizes_kwh", "NV"),
    "power_kw": Setting(0.0, "kW", "energy_kwh / duration_h", "NV"),
    "round_trip_efficiency": Setting(0.88, "1", ILLUSTRATIVE + " (LFP, AC-AC)", "NV"),
    "soc_min_pct": Setting(10.0, "%", ILLUSTRATIVE, "NV"),
    "soc_max_pct": Setting(95.0, "%", ILLUSTRATIVE, "NV"),
    "soc_initial_pct": Setting(None, "%", "soc_min_pct", "NV"),
    "degradation_cny_per_kwh": Setting(0.0, "CNY/kWh", "not counted unless given", "NV"),
    "capex_cny_per_kwh": Setting(900.0, "CNY/kWh", ILLUSTRATIVE, "NV"),
    "capex_cny_per_kw": Setting(0.0, "CNY/kW", ILLUSTRATIVE, "NV"),
    "om_pct_of_capex_per_year": Setting(2.0, "%/a", ILLUSTRATIVE, "NV"),
    "lifetime_years": Setting(10, "a", ILLUSTRATIVE, "NV"),
    "duration_h": Setting(2.0, "h", ILLUSTRATIVE, "NV"),
    "sizes_kwh": Setting([], "kWh", "0.5, 1, 2 and 4 h of the mean load", "NV"),
}
STORAGE_BOUNDS = {
    "energy_kwh": (0.0, 1e8),
    "power_kw": (0.0, 1e8),
    "soc_min_pct": (0.0, 100.0),
    "soc_max_pct": (0.0, 100.0),
    "soc_initial_pct": (0.0, 100.0),
    "degradation_cny_per_kwh": (0.0, 100.0),
    "capex_cny_per_kwh": (0.0, 1e5),
    "capex_cny_per_kw": (0.0, 1e5),
    "om_pct_of_capex_per_year": (0.0, 100.0),
    "duration_h": (0.1, 24.0),
}
# Each kind's keys: (reader, default, low, high). The readers are Table methods; a
# new lever kind (e.g. wind) is one entry here and one evaluator in
# greenpark/metrics/plan/levers.py.
BIG = 1e12
LEVER_KINDS: dict[str, dict[str, tuple]] = {
    "rooftop_pv": {"roofs": ("strings", ())},
    "storage": {"energy_kwh": ("number", None, 0.0, 1e8), "power_kw": ("number", None, 0, 1e8)},
    "green_power": {
        "mwh": ("number", REQUIRED, 0.0, BIG),
        "premium_cny_per_mwh": ("number", REQUIRED, 0.0, 1e5),
    },
    "green_certificates": {
        "certificates": ("number", REQUIRED, 0.0, BIG),
        "cny_per_certificate": ("number", REQUIRED, 0.0, 1e5),
    },
    "heat_pump": {
        "gas_displaced_nm3": ("number", REQUIRED, 0.0, BIG),
        "cop": ("number", REQUIRED, 0.5, 10.0),
        "capex_cny": ("number", REQUIRED, 0.0, BIG),
        "gas_cny_per_nm3": ("number", REQUIRED, 0.0, 100.0),
        "boiler_efficiency": ("number", 0.9, 0.1, 1.0),
        "electricity_cny_per_kwh": ("number", None, 0.0, 100.0),
        "om_cny_per_year": ("number", 0.0, 0.0, BIG),
        "lifetime_years": ("integer", 15, 1, 100),
    },
    "efficiency": {
        "carrier": ("carrier", REQUIRED),
        "saving_pct": ("number", REQUIRED, 0.0, 100.0),
        "cost_cny_per_tce": ("number", REQUIRED, -1e6, 1e6),
    },
    "process": {
        "tco2_per_year": ("number", REQUIRED, 0.0, BIG),
        "annual_cost_cny": ("number", REQUIRED, -BIG, BIG),
    },
}
DIVISIBLE = {"green_power", "green_certificates", "efficiency", "process"}
COMMON_KEYS = ("id", "kind", "name", "year", "divisible", "source")


@dataclass(frozen=True)
class Storage:
    """``[plan.storage]`` (see :data:`STORAGE_DEFAULTS`)."""

    energy_kwh: float
    power_kw: float
    round_trip_efficiency: float
    soc_min_pct: float
    soc_max_pct: float
    soc_initial_pct: float | None
    degradation_cny_per_kwh: float
    capex_cny_per_kwh: float
    capex_cny_per_kw: float
    om_pct_of_capex_per_year: float
    lifetime_years: int
    duration_h: float
    sizes_kwh: tuple[float, ...]
    from_config: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Lever:
    """One abatement lever of ``[[plan.levers]]``.

    Attributes
    ----------
    id, kind, name : str
    year : int or None
        First year it can act (default: none; the pathway phases it in, cheapest first).
    divisible : bool
        Whether a part of it can be taken (green power, GECs, efficiency, process) or
        all or nothing (PV roofs, storage, heat pumps).
    params : dict
        The kind's keys (:data:`LEVER_KINDS`).
    source : str
        Where its cost data come from.
    """

    id: str
    kind: str
    name: str = ""
    year: int | None = None
    divisible: bool = False
    params: dict = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class PlanSettings:
    """``[plan]``: discount rate, storage, levers."""

    discount_rate: float = 0.06
    storage: Storage | None = None
    levers: tuple[Lever, ...] = ()
    from_config: frozenset[str] = field(default_factory=frozenset)


PLAN_KEYS = (*PLAN_DEFAULTS, "storage", "levers")
LEVER_KEYS = tuple(
    dict.fromkeys([*COMMON_KEYS, *(k for spec in LEVER_KINDS.values() for k in spec)])
)


def read_plan(table: Table) -> PlanSettings:
    """``[plan]`` from its table; problems are recorded on ``table``'s checker."""
    table.keys(PLAN_KEYS)
    return PlanSettings(
        discount_rate=table.number("discount_rate", 0.06, 0.0, 1.0),
        storage=read_storage(table.table("storage")),
        levers=read_levers(table, "levers"),
        from_config=frozenset(k for k in PLAN_DEFAULTS if k in table.given),
    )


def read_storage(table: Table) -> Storage:
    """``[plan.storage]``: sizes >= 0, efficiency in (0, 1], SOC min < max."""
    table.keys(STORAGE_DEFAULTS)
    values = {}
    for key, setting in STORAGE_DEFAULTS.items():
        if key == "round_trip_efficiency":
            values[key] = table.number(key, setting.value, 0.0, 1.0, lo_open=True)
        elif key == "lifetime_years":
            values[key] = table.integer(key, setting.value, 1, 100)
        elif key == "sizes_kwh":
            values[key] = table.custom(key, setting.value, _sizes, "a list of sizes >= 0 [kWh]")
            values[key] = tuple(values[key] or ())
        else:
            values[key] = table.number(key, setting.value, *STORAGE_BOUNDS[key])
    lo, hi = values["soc_min_pct"], values["soc_max_pct"]
    if lo is not None and hi is not None and lo >= hi:
        table.fail(
            "soc_max_pct",
            hi,
            f"{table.key('soc_max_pct')} = {hi:g} must be above "
            f"{table.key('soc_min_pct')} = {lo:g}",
        )
    given = frozenset(k for k in STORAGE_DEFAULTS if k in table.given)
    return Storage(**values, from_config=given)


def _sizes(value):
    ok = isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v < 1e8 for v in value
    )
    return tuple(float(v) for v in value) if ok else None


def read_levers(table: Table, key: str) -> tuple[Lever, ...]:
    """The array of lever tables ``key`` of ``table``: ids unique, kind keys checked."""
    items = table.data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        table.wrong_type(key, items, "an array of tables ([[plan.levers]])")
        return ()
    out, seen = [], set()
    for i, item in enumerate(items):
        lever = _read_lever(Table(table.checker, item, f"{table.key(key)}[{i}]"))
        if lever is None:
            continue
        if lever.id in seen:
            table.fail(key, lever.id, f"{table.key(key)}[{i}].id {lever.id!r} is used twice")
        seen.add(lever.id)
        out.append(lever)
    return tuple(out)


def _read_lever(t: Table) -> Lever | None:
    kind = t.choice("kind", tuple(LEVER_KINDS))
    spec = LEVER_KINDS.get(kind, {})
    t.keys([*COMMON_KEYS, *spec])
    common = {
        "id": t.text("id"),
        "name": t.text("name", "", empty_ok=True),
        "year": t.integer("year", None, 2000, 2100),
        "divisible": t.flag("divisible", kind in DIVISIBLE),
        "source": t.text("source", "", empty_ok=True),
    }
    params = {name: _param(t, name, rule) for name, rule in spec.items()}
    if t.failed or kind is None:
        return None
    return Lever(kind=kind, params=params, **common)


def _param(t: Table, name: str, rule: tuple):
    from greenpark.core.vocab import CARRIERS

    reader, default, *bounds = rule
    if reader == "carrier":
        return t.choice(name, CARRIERS, default)
    if reader == "strings":
        return t.strings(name, default)
    return getattr(t, reader)(name, default, *bounds)


def parse_levers(text: str, source: str) -> tuple[Lever, ...]:
    """Levers from a file of ``[[levers]]`` tables (same keys as ``[[plan.levers]]``).

    Raises
    ------
    ConfigError
        Naming the file and every bad key.
    """
    checker = Checker(source)
    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    root = checker.root(doc)
    root.keys(["levers"])
    levers = read_levers(root, "levers")
    checker.raise_if_any()
    return levers
