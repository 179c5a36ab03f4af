"""``[tariff]`` of park.toml: a provincial commercial/industrial electricity tariff.

Time-of-use periods by local clock hour (peak, flat, valley), seasons that change the
hours for some months, critical peak hours in given months, prices per period, a two-part
tariff (demand charge per kW of monthly maximum demand, or capacity charge per kVA), the
PV export price or no export, and the PV self-use floor. Every key is validated with an
error naming it; docs/config.md lists them with two labelled example tariffs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from greenpark.core.config.pv import ILLUSTRATIVE, Setting, _section
from greenpark.core.config.validate import Table

# Order of the period codes (0..3) used by the interval price tables.
ALL_PERIODS = ("critical_peak", "peak", "flat", "valley")
TARIFF_PERIODS = ("peak", "flat", "valley")  # the periods every day is split into
CRITICAL_PEAK_UPLIFT = 1.2  # NDRC 2021 No. 1093: critical peak >= 20 % above peak
HOURS_KIND = "a list of [start, end) local hours like [[8, 11], [17, 22]]"
MONTHS_KIND = "a list of distinct months 1-12 like [7, 8]"
NDRC_1093 = (
    "NDRC notice on improving time-of-use tariffs (2021, No. 1093): critical peak at "
    "least 20 % above peak"
)
SELF_USE = (
    "not set: 2025 distributed-PV rules let provinces require a self-use share "
    "(50 %, 80 % in some) for commercial and industrial PV"
)


TARIFF_DEFAULTS: dict[str, Setting] = {
    "name": Setting("", "", "park.toml (the tariff's name)", "NV"),
    "source": Setting("", "", "park.toml (the notice and date the prices come from)", "NV"),
    "peak_hours": Setting([[8, 11], [17, 22]], "h", ILLUSTRATIVE + " (Jiangsu-like shape)", "NV"),
    "flat_hours": Setting([[11, 17], [22, 24]], "h", ILLUSTRATIVE, "NV"),
    "valley_hours": Setting([[0, 8]], "h", ILLUSTRATIVE, "NV"),
    "critical_peak_hours": Setting([], "h", "no critical peak unless given", "NV"),
    "critical_peak_months": Setting([], "month", "no critical peak unless given", "NV"),
    "peak_cny_per_kwh": Setting(1.00, "CNY/kWh", ILLUSTRATIVE, "NV"),
    "flat_cny_per_kwh": Setting(0.65, "CNY/kWh", ILLUSTRATIVE, "NV"),
    "valley_cny_per_kwh": Setting(0.30, "CNY/kWh", ILLUSTRATIVE, "NV"),
    "critical_peak_cny_per_kwh": Setting(None, "CNY/kWh", "peak x 1.2, " + NDRC_1093, "B"),
    "export_cny_per_kwh": Setting(0.39, "CNY/kWh", ILLUSTRATIVE, "NV"),
    "export_allowed": Setting(True, "", "greenpark default: PV surplus may be exported", "NV"),
    "demand_charge_cny_per_kw_month": Setting(0.0, "CNY/kW/month", "no demand charge", "NV"),
    "capacity_charge_cny_per_kva_month": Setting(0.0, "CNY/kVA/month", "no capacity charge", "NV"),
    "capacity_kva": Setting(0.0, "kVA", "no capacity charge", "NV"),
    "self_use_floor_pct": Setting(0.0, "%", SELF_USE, "NV"),
    "seasons": Setting({}, "", "the same hours in every month", "NV"),
}
BOUNDS = {
    "peak_cny_per_kwh": (0.0, 100.0),
    "flat_cny_per_kwh": (0.0, 100.0),
    "valley_cny_per_kwh": (0.0, 100.0),
    "critical_peak_cny_per_kwh": (0.0, 100.0),
    "export_cny_per_kwh": (0.0, 100.0),
    "demand_charge_cny_per_kw_month": (0.0, 1000.0),
    "capacity_charge_cny_per_kva_month": (0.0, 1000.0),
    "capacity_kva": (0.0, 1e7),
    "self_use_floor_pct": (0.0, 100.0),
}
SEASON_KEYS = ("months", "peak_hours", "flat_hours", "valley_hours")


@dataclass(frozen=True)
class Season:
    """``[tariff.seasons.NAME]``: peak, flat and valley hours of some months."""

    months: tuple[int, ...]
    peak_hours: tuple[tuple[int, int], ...]
    flat_hours: tuple[tuple[int, int], ...]
    valley_hours: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Tariff:
    """``[tariff]``: time-of-use prices by local clock hour and month, the two-part
    charges, the export price and the self-use floor (see :data:`TARIFF_DEFAULTS`)."""

    peak_hours: tuple[tuple[int, int], ...]
    flat_hours: tuple[tuple[int, int], ...]
    valley_hours: tuple[tuple[int, int], ...]
    peak_cny_per_kwh: float
    flat_cny_per_kwh: float
    valley_cny_per_kwh: float
    export_cny_per_kwh: float
    name: str = ""
    source: str = ""
    critical_peak_hours: tuple[tuple[int, int], ...] = ()
    critical_peak_months: tuple[int, ...] = ()
    critical_peak_cny_per_kwh: float | None = None
    export_allowed: bool = True
    demand_charge_cny_per_kw_month: float = 0.0
    capacity_charge_cny_per_kva_month: float = 0.0
    capacity_kva: float = 0.0
    self_use_floor_pct: float = 0.0
    seasons: dict = field(default_factory=dict)
    from_config: frozenset[str] = field(default_factory=frozenset)

    def hourly_prices(self) -> list[float]:
        """Price of each local clock hour 0..23 outside seasons and critical peak. [CNY/kWh]"""
        prices = [math.nan] * 24
        for period in TARIFF_PERIODS:
            for start, end in getattr(self, f"{period}_hours"):
                for hour in range(start, end):
                    prices[hour] = getattr(self, f"{period}_cny_per_kwh")
        return prices

    def period_prices(self) -> tuple[float, float, float, float]:
        """Price of each period of :data:`ALL_PERIODS`. [CNY/kWh]"""
        critical = self.critical_peak_cny_per_kwh
        if critical is None:
            critical = self.peak_cny_per_kwh * CRITICAL_PEAK_UPLIFT
        return (critical, self.peak_cny_per_kwh, self.flat_cny_per_kwh, self.valley_cny_per_kwh)

    def period_table(self) -> list[list[int]]:
        """Period code (index of :data:`ALL_PERIODS`) of each month 1..12 and local hour
        0..23, as a 13 x 24 table (row 0 unused)."""
        table = [[-1] * 24 for _ in range(13)]
        for month in range(1, 13):
            hours = self._season_of(month)
            for code, period in enumerate(ALL_PERIODS[1:], start=1):
                for start, end in getattr(hours, f"{period}_hours"):
                    table[month][start:end] = [code] * (end - start)
            if month in self.critical_peak_months:
                for start, end in self.critical_peak_hours:
                    table[month][start:end] = [0] * (end - start)
        return table

    def _season_of(self, month: int):
        for season in self.seasons.values():
            if month in season.months:
                return season
        return self


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------


def hour_ranges(value) -> tuple[tuple[int, int], ...] | None:
    """``[[8, 11], [17, 22]]`` as a tuple of pairs; ``None`` if it is not such a list."""
    ok = isinstance(value, list) and all(
        isinstance(r, list)
        and len(r) == 2
        and all(isinstance(h, int) and not isinstance(h, bool) for h in r)
        and 0 <= r[0] < r[1] <= 24
        for r in value
    )
    return tuple((int(a), int(b)) for a, b in value) if ok else None


def _months(value) -> tuple[int, ...] | None:
    ok = (
        isinstance(value, list)
        and all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value)
        and len(set(value)) == len(value)
    )
    return tuple(int(m) for m in value) if ok else None


def _hours(table: Table, key: str, default):
    value = table.custom(key, default, hour_ranges, HOURS_KIND)
    return hour_ranges(value) if isinstance(value, list) else value


def _value(table: Table, key: str, default: Setting):
    if key.endswith("_hours"):
        return _hours(table, key, default.value)
    if key.endswith("_months"):
        value = table.custom(key, default.value, _months, MONTHS_KIND)
        return _months(value) if isinstance(value, list) else value
    if key in ("name", "source"):
        return table.text(key, default.value, empty_ok=True)
    if key == "export_allowed":
        return table.flag(key, default.value)
    if key == "seasons":
        return _seasons(table)
    return table.number(key, default.value, *BOUNDS[key])


def read_tariff(table: Table) -> Tariff:
    """``[tariff]`` from its table: every local hour of every season in exactly one of
    peak, flat and valley; no month in two seasons; critical peak hours with months;
    demand or capacity charge, not both."""
    table.keys(TARIFF_DEFAULTS)
    values = {key: _value(table, key, setting) for key, setting in TARIFF_DEFAULTS.items()}
    given = frozenset(k for k in TARIFF_DEFAULTS if k in table.given)
    result = Tariff(**values, from_config=given)
    _check_cover(table, result, "tariff")
    _check_critical(table, result)
    _check_two_part(table, result)
    return result


def _seasons(table: Table) -> dict:
    seasons_table = table.table("seasons")
    out, seen = {}, {}
    for name in seasons_table.data:
        sub = seasons_table.table(name)
        sub.keys(SEASON_KEYS)
        months = sub.custom("months", None, _months, MONTHS_KIND)
        if "months" not in sub.data:
            sub.fail("months", None, f"missing key {sub.key('months')}")
        hours = {k: _hours(sub, k, None) for k in SEASON_KEYS[1:]}
        for k in SEASON_KEYS[1:]:
            if k not in sub.data:
                sub.fail(k, None, f"missing key {sub.key(k)}")
        for month in months or ():
            if month in seen:
                sub.fail(
                    "months",
                    month,
                    f"{sub.key('months')}: month {month} is also in season {seen[month]!r}",
                )
            seen[month] = name
        if sub.failed:
            table.failed.add("seasons")
            continue
        season = Season(months, **hours)
        _check_cover(sub, season, sub.name)
        out[str(name)] = season
    return out


def _check_cover(table: Table, hours, where: str) -> None:
    """Every local hour in exactly one of peak, flat and valley (else a problem on
    ``valley_hours``)."""
    keys = [f"{period}_hours" for period in TARIFF_PERIODS]
    if not table.ok(*keys) or any(getattr(hours, k) is None for k in keys):
        return
    cover = [0] * 24
    for key in keys:
        for start, end in getattr(hours, key):
            for hour in range(start, end):
                cover[hour] += 1
    bad = [h for h, n in enumerate(cover) if n != 1]
    if bad:
        what = "is in no period" if cover[bad[0]] == 0 else "is in more than one period"
        names = ", ".join(f"{where}.{k}" for k in keys)
        table.fail(
            "valley_hours",
            None,
            f"{where}: local hour {bad[0]}:00 {what}; {names} must cover 0-24 exactly once",
        )


def _check_critical(table: Table, t: Tariff) -> None:
    if not table.ok("critical_peak_hours", "critical_peak_months"):
        return
    if bool(t.critical_peak_hours) != bool(t.critical_peak_months):
        missing = "critical_peak_months" if t.critical_peak_hours else "critical_peak_hours"
        table.fail(
            missing,
            None,
            f"{table.key(missing)} must be given with "
            "tariff.critical_peak_hours and tariff.critical_peak_months (both or neither)",
        )


def _check_two_part(table: Table, t: Tariff) -> None:
    if not table.ok("demand_charge_cny_per_kw_month", "capacity_charge_cny_per_kva_month"):
        return
    demand, capacity = t.demand_charge_cny_per_kw_month, t.capacity_charge_cny_per_kva_month
    if demand and capacity:
        table.fail(
            "capacity_charge_cny_per_kva_month",
            capacity,
            "tariff.capacity_charge_cny_per_kva_month: a two-part tariff bills either "
            "maximum demand (tariff.demand_charge_cny_per_kw_month) or capacity, not both",
        )
    if capacity and table.ok("capacity_kva") and not t.capacity_kva:
        table.fail(
            "capacity_kva",
            None,
            "tariff.capacity_kva must be > 0 when tariff.capacity_charge_cny_per_kva_month "
            "is given (the contracted transformer capacity)",
        )


def tariff(doc: dict | str, source: str = "park.toml") -> Tariff:
    """Parse ``[tariff]`` of park.toml (a parsed document or its text)."""
    return _section(doc, source, read_tariff, "tariff")
