"""The shipped factor library: emission factors, fuel parameters, coal coefficients.

Every factor is data with a source, a year and a confidence tag (A official, B secondary,
NV not verified; see ``greenpark/data/SOURCES.md``). Lookups return :class:`Factor`
objects that carry all of it, so outputs can show where each number comes from.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import month_end
from greenpark.core.vocab import CARRIERS

GRID_KINDS = ("average", "excluding_market_traded_nonfossil", "fossil_only")
GRID_LEVELS = ("province", "region", "national")

# Provinces -> MEE regional grid (华北, 东北, 华东, 华中, 西北, 南方, 西南), per the MEE
# announcements' regional grid definitions.
REGION_OF_PROVINCE = {
    "Beijing": "North China",
    "Tianjin": "North China",
    "Hebei": "North China",
    "Shanxi": "North China",
    "Shandong": "North China",
    "Inner Mongolia": "North China",
    "Liaoning": "Northeast China",
    "Jilin": "Northeast China",
    "Heilongjiang": "Northeast China",
    "Shanghai": "East China",
    "Jiangsu": "East China",
    "Zhejiang": "East China",
    "Anhui": "East China",
    "Fujian": "East China",
    "Henan": "Central China",
    "Hubei": "Central China",
    "Hunan": "Central China",
    "Jiangxi": "Central China",
    "Shaanxi": "Northwest China",
    "Gansu": "Northwest China",
    "Qinghai": "Northwest China",
    "Ningxia": "Northwest China",
    "Xinjiang": "Northwest China",
    "Guangdong": "South China",
    "Guangxi": "South China",
    "Yunnan": "South China",
    "Guizhou": "South China",
    "Hainan": "South China",
    "Sichuan": "Southwest China",
    "Chongqing": "Southwest China",
}


@dataclass(frozen=True)
class Factor:
    """A factor with its provenance.

    Attributes
    ----------
    factor_id : str
        Stable identifier, e.g. ``grid.average.province.Jiangsu.2023``.
    value : float
        The factor. [``unit``]
    unit : str
        e.g. ``tCO2/MWh``, ``GJ/t``, ``kgce/kWh``.
    source : str
        Publication it comes from.
    year : int or None
        Data year of the factor.
    confidence : str
        ``A``, ``B`` or ``NV``.
    note : str
        Fallbacks and caveats (e.g. "2023 factor used for 2025: newest published").
    override : bool
        True when the park replaced the shipped factor.
    """

    factor_id: str
    value: float
    unit: str
    source: str
    year: int | None
    confidence: str
    note: str = ""
    override: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def _rows(name: str) -> list[dict]:
    path = resources.files("greenpark") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def grid_table() -> list[dict]:
    """Rows of ``grid_emission_factors.csv`` (MEE/NBS electricity CO2 factors)."""
    return _rows("grid_emission_factors.csv")


def grid_factor(province: str, year: int, kind: str = "average", level: str = "province") -> Factor:
    """Electricity CO2 factor for a reporting year, with fallback to the newest earlier year.

    Parameters
    ----------
    province : str
        English province name as in the MEE table (``Jiangsu``).
    year : int
        Reporting year.
    kind : str
        ``average`` (location-based), ``excluding_market_traded_nonfossil`` (market-based
        residual) or ``fossil_only``. The last two exist at national level only.
    level : str
        ``province``, ``region`` or ``national`` (``average`` only for the first two).

    Returns
    -------
    Factor
        In tCO2/MWh (= kgCO2/kWh). ``note`` states any fallback.

    References
    ----------
    MEE & NBS announcements 2024 No.12, 2024 No.33, 2025 No.47 (electricity CO2 emission
    factors for 2021, 2022, 2023).
    """
    if kind not in GRID_KINDS:
        raise GreenparkError(f"grid factor kind {kind!r}: choose one of {', '.join(GRID_KINDS)}")
    if level not in GRID_LEVELS:
        raise GreenparkError(f"grid factor level {level!r}: choose one of {', '.join(GRID_LEVELS)}")
    if kind != "average":
        level = "national"
    area = {"province": province, "region": REGION_OF_PROVINCE.get(province), "national": "CN"}[
        level
    ]
    rows = [
        r
        for r in grid_table()
        if r["kind"] == kind and r["level"] == level and r["area_en"] == area
    ]
    if not rows:
        valid = sorted({r["area_en"] for r in grid_table() if r["level"] == "province"})
        raise GreenparkError(
            f"no {kind} grid factor for {level} {area or province!r}; provinces: {', '.join(valid)}"
        )
    usable = [r for r in rows if int(r["data_year"]) <= year]
    note = ""
    if not usable:
        usable = [min(rows, key=lambda r: int(r["data_year"]))]
        note = (
            f"no factor for {year} or earlier; the oldest published "
            f"({usable[0]['data_year']}) is used"
        )
    row = max(usable, key=lambda r: int(r["data_year"]))
    if int(row["data_year"]) != year and not note:
        note = (
            f"no factor published for {year}; the newest earlier one ({row['data_year']}) is used"
        )
    return Factor(
        factor_id=f"grid.{kind}.{level}.{area}.{row['data_year']}",
        value=float(row["kgco2_per_kwh"]),
        unit="tCO2/MWh",
        source=row["source"],
        year=int(row["data_year"]),
        confidence=row["confidence"],
        note=note,
    )


# ----------------------------------------------------------------------------- fuels & tce
# Carrier -> row name in fuel_combustion_parameters.csv / standard_coal_coefficients.csv,
# and the factor that turns the table's activity unit into the carrier's canonical unit.
FUEL_ROWS = {
    "natural_gas": ("natural gas", 1e-4),  # table per 10^4 Nm3 -> per Nm3
    "coal": ("raw coal", 1.0),
    "coke": ("coke", 1.0),
    "diesel": ("diesel", 1.0),
    "gasoline": ("gasoline", 1.0),
    "fuel_oil": ("fuel oil", 1.0),
    "lpg": ("LPG", 1.0),
}
COAL_ROWS = {  # carrier -> (row, factor from the table's unit to the canonical unit)
    "electricity": ("electricity (calorific equivalent)", 1.0),  # kgce/kWh
    "heat": ("heat (calorific equivalent)", 1000.0),  # kgce/MJ -> kgce/GJ
    # The GB/T 2589 row whose heating value (38,931 kJ/m3) is the GHG guideline's NCV
    # (389.31 GJ/10^4 Nm3), so that one heating value drives both tce and CO2.
    "natural_gas": ("natural gas (oil field)", 1.0),  # kgce/m3 = kgce/Nm3
    "coal": ("raw coal", 1000.0),  # kgce/kg -> kgce/t
    "coke": ("coke", 1000.0),
    "diesel": ("diesel", 1000.0),
    "gasoline": ("gasoline", 1000.0),
    "fuel_oil": ("fuel oil", 1000.0),
    "lpg": ("LPG", 1000.0),
}
# Selectable fuel parameter sets: changes to the default table, with their source.
FUEL_PARAMETER_SETS = {
    "cn_guideline_default": {},
    "cn_guideline_newer": {
        ("natural_gas", "carbon_content"): (
            15.32,
            "newer Chinese GHG guideline variant (natural gas 15.32 tC/TJ), as noted in "
            "shared/reference/fuel_combustion_parameters.csv",
            "B",
        ),
    },
}
HEAT_SOURCE_ROW = "purchased heat (steam/hot water)"
CO2_PER_C = 44.0 / 12.0  # molar mass ratio CO2/C
KJ_PER_KGCE = 29307.6  # GB/T 2589: 1 kgce = 29,307.6 kJ (7,000 kcal)


@cache
def fuel_table() -> dict[str, dict]:
    return {r["fuel_en"]: r for r in _rows("fuel_combustion_parameters.csv")}


@cache
def coal_table() -> dict[str, dict]:
    return {r["energy_en"]: r for r in _rows("standard_coal_coefficients.csv")}


def fuel_parameters(carrier: str, parameter_set: str = "cn_guideline_default") -> dict[str, Factor]:
    """NCV, carbon content and oxidation rate of a fuel carrier.

    Returns
    -------
    dict
        ``ncv`` [GJ per canonical unit], ``carbon_content`` [tC/TJ], ``oxidation`` [-].
    """
    if parameter_set not in FUEL_PARAMETER_SETS:
        raise GreenparkError(
            f"fuel parameter set {parameter_set!r}: choose one of {', '.join(FUEL_PARAMETER_SETS)}"
        )
    if carrier not in FUEL_ROWS:
        raise GreenparkError(f"no combustion parameters for carrier {carrier!r}")
    name, scale = FUEL_ROWS[carrier]
    row = fuel_table()[name]
    unit = "Nm3" if carrier == "natural_gas" else "t"
    source = f"{row['source']} [{name}]"
    out = {
        "ncv": Factor(
            f"fuel.{carrier}.ncv",
            float(row["ncv"]) * scale,
            f"GJ/{unit}",
            source,
            None,
            row["confidence"],
        ),
        "carbon_content": Factor(
            f"fuel.{carrier}.carbon_content",
            float(row["carbon_content_tc_per_tj"]),
            "tC/TJ",
            source,
            None,
            row["confidence"],
        ),
        "oxidation": Factor(
            f"fuel.{carrier}.oxidation",
            float(row["oxidation_rate"]),
            "1",
            source,
            None,
            row["confidence"],
        ),
    }
    for (c, param), (value, src, conf) in FUEL_PARAMETER_SETS[parameter_set].items():
        if c == carrier:
            out[param] = Factor(
                out[param].factor_id,
                value,
                out[param].unit,
                src,
                None,
                conf,
                note=f"parameter set {parameter_set}",
            )
    return out


def coal_coefficient(carrier: str) -> Factor:
    """GB/T 2589 standard-coal coefficient of a carrier. [kgce per canonical unit]"""
    if carrier not in COAL_ROWS:
        raise GreenparkError(f"no standard-coal coefficient for carrier {carrier!r}")
    name, scale = COAL_ROWS[carrier]
    row = coal_table()[name]
    return Factor(
        f"tce.{carrier}",
        float(row["kgce_per_unit"]) * scale,
        f"kgce/{CARRIERS[carrier]}",
        f"{row['source']} [{name}]",
        None,
        row["confidence"],
        note=row.get("note") or "",
    )


def purchased_heat_factor() -> Factor:
    """CO2 factor of purchased heat. [tCO2/GJ]"""
    row = fuel_table()[HEAT_SOURCE_ROW]
    return Factor(
        "heat.purchased",
        float(row["co2_factor"]),
        "tCO2/GJ",
        row["source"],
        None,
        row["confidence"],
    )


def fuel_co2_factor(ncv_gj_per_unit: float, carbon_tc_per_tj: float, oxidation: float) -> float:
    """CO2 emitted per unit of fuel burnt.

    Parameters
    ----------
    ncv_gj_per_unit : float
        Net calorific value. [GJ/unit]
    carbon_tc_per_tj : float
        Carbon content per unit of heat. [tC/TJ]
    oxidation : float
        Oxidation rate. [-]

    Returns
    -------
    float
        Emission factor. [tCO2/unit]
    """
    return ncv_gj_per_unit / 1000.0 * carbon_tc_per_tj * oxidation * CO2_PER_C


def kgce_per_unit_from_ncv(ncv_gj_per_unit: float) -> float:
    """Standard-coal coefficient of a fuel from its net calorific value (GB/T 2589: the
    low heating value over 29,307.6 kJ/kgce). [kgce/unit]

    Parameters
    ----------
    ncv_gj_per_unit : float
        Net calorific value. [GJ/unit]
    """
    return ncv_gj_per_unit * 1e6 / KJ_PER_KGCE


def primary_electricity_kgce_per_kwh(coal_rate_gce_per_kwh: float) -> float:
    """Primary-energy (等价值) coefficient of electricity from the year's thermal power
    supply coal rate. [kgce/kWh]

    Parameters
    ----------
    coal_rate_gce_per_kwh : float
        Coal consumption rate of thermal power supply. [gce/kWh]
    """
    return coal_rate_gce_per_kwh / 1000.0


# ----------------------------------------------------------------------------- the book
# Factor slots a park can override, with the canonical unit of each (park overrides are
# converted to it with pint on load).
FACTOR_SLOTS: dict[str, str] = {
    "electricity.location": "tCO2/MWh",
    "electricity.market_residual": "tCO2/MWh",
    "heat.purchased": "tCO2/GJ",
    **{f"tce.{c}": f"kgce/{CARRIERS[c]}" for c in COAL_ROWS},
    **{f"fuel.{c}.ncv": f"GJ/{CARRIERS[c]}" for c in FUEL_ROWS},
    **{f"fuel.{c}.carbon_content": "tC/TJ" for c in FUEL_ROWS},
    **{f"fuel.{c}.oxidation": "dimensionless" for c in FUEL_ROWS},
}

ZERO = Factor(
    "zero_emission",
    0.0,
    "tCO2/MWh",
    "on-site renewable and green-power "
    "electricity count as zero-emission (zero-carbon park accounting method; GHG "
    "Protocol Scope 2 Guidance 2015; NDRC 2023 No. 1044: 1 GEC = 1 MWh)",
    None,
    "B",
)


class FactorBook:
    """Resolves factor slots for a month: shipped factors, then park overrides."""

    def __init__(self, park, settings, overrides):
        self.park, self.settings, self.overrides = park, settings, overrides.copy()
        for col in ("valid_from", "valid_to"):
            self.overrides[col] = [
                d.date() if hasattr(d, "date") else d for d in self.overrides[col]
            ]
        self._cache: dict = {}

    def get(self, slot: str, month: dt.date) -> Factor:
        key = (slot, month)
        if key not in self._cache:
            self._cache[key] = (
                self._override(slot, month)
                or self._from_measured_ncv(slot, month)
                or self._shipped(slot, month)
            )
        return self._cache[key]

    def _from_measured_ncv(self, slot: str, month: dt.date) -> Factor | None:
        """A fuel's tce coefficient from the park's NCV override, when there is one: one
        heating value drives both the fuel's CO2 and its tce (GB/T 2589: NCV / 29,307.6
        kJ/kgce). An explicit ``tce.<fuel>`` override still wins (checked before)."""
        carrier = slot[4:] if slot.startswith("tce.") else None
        if carrier not in FUEL_ROWS:
            return None
        ncv = self._override(f"fuel.{carrier}.ncv", month)
        if ncv is None:
            return None
        return Factor(
            f"tce.{carrier}.from_ncv",
            kgce_per_unit_from_ncv(ncv.value),
            FACTOR_SLOTS[slot],
            f"{ncv.source}; GB/T 2589 (1 kgce = 29,307.6 kJ)",
            None,
            "override",
            note=f"from the park's NCV {ncv.value:g} {ncv.unit} / 29.3076 GJ/tce ({ncv.note})",
            override=True,
        )

    def electricity_tce(self, month: dt.date, method: str) -> Factor:
        """``tce.electricity`` of ``month`` by ``method`` (``calorific`` or ``primary``),
        whatever the park's own ``electricity_tce_method``: a park override of the slot
        wins, as in :meth:`get`. [kgce/kWh]

        Raises
        ------
        ValueError
            ``primary`` without any ``[accounting] coal_rate_gce_per_kwh``.
        """
        if method == self.settings.electricity_tce_method:
            return self.get("tce.electricity", month)
        override = self._override("tce.electricity", month)
        if override is not None:
            return override
        if method == "primary":
            return self._primary_electricity(month.year)
        return coal_coefficient("electricity")

    def fuel_co2(self, carrier: str, month: dt.date) -> Factor:
        """Composite fuel factor NCV x C x OX x 44/12. [tCO2 per canonical unit]"""
        parts = [
            self.get(f"fuel.{carrier}.{p}", month) for p in ("ncv", "carbon_content", "oxidation")
        ]
        ncv, c, ox = (p.value for p in parts)
        note = f"NCV {ncv:g} {parts[0].unit} x C {c:g} tC/TJ x OX {ox:g} x 44/12" + "".join(
            f"; {p.factor_id}: {p.note}" for p in parts if p.note
        )
        confidence = (
            "override"
            if any(p.override for p in parts)
            else max((p.confidence for p in parts), key=("A", "B", "NV").index)
        )
        return Factor(
            f"fuel.{carrier}.co2",
            fuel_co2_factor(ncv, c, ox),
            f"tCO2/{CARRIERS[carrier]}",
            parts[0].source,
            None,
            confidence,
            note=note,
            override=any(p.override for p in parts),
        )

    def _shipped(self, slot: str, month: dt.date) -> Factor:
        year, park, s = month.year, self.park, self.settings
        if slot == "electricity.location":
            return grid_factor(park.province, year, "average", s.grid_factor_level)
        if slot == "electricity.market_residual":
            return grid_factor(park.province, year, "excluding_market_traded_nonfossil")
        if slot == "heat.purchased":
            return purchased_heat_factor()
        if slot == "tce.electricity" and s.electricity_tce_method == "primary":
            return self._primary_electricity(year)
        if slot.startswith("tce."):
            return coal_coefficient(slot[4:])
        _, carrier, param = slot.split(".")
        return fuel_parameters(carrier, s.fuel_parameter_set)[param]

    def _primary_electricity(self, year: int) -> Factor:
        rates = {int(y): float(r) for y, r in self.settings.coal_rate_gce_per_kwh.items()}
        usable = [y for y in rates if y <= year] or [min(rates)]
        chosen = max(usable)
        note = "" if chosen == year else f"coal rate of {chosen} used for {year}"
        return Factor(
            "tce.electricity.primary",
            primary_electricity_kgce_per_kwh(rates[chosen]),
            "kgce/kWh",
            "park.toml accounting.coal_rate_gce_per_kwh (GB/T 2589 primary-energy equivalent)",
            chosen,
            "override",
            note=note,
            override=True,
        )

    def _override(self, slot: str, month: dt.date) -> Factor | None:
        from greenpark.core.units import factor_to

        if self.overrides is None or self.overrides.empty:
            return None
        end = month_end(month)
        rows = self.overrides[
            (self.overrides["factor_key"] == slot)
            & (self.overrides["valid_from"] <= month)
            & (self.overrides["valid_to"] >= end)
        ]
        if rows.empty:
            return None
        row = rows.sort_values("valid_from").iloc[-1]
        value = float(row["value"]) * factor_to(row["unit"], FACTOR_SLOTS[slot])
        return Factor(
            f"override.{slot}",
            value,
            FACTOR_SLOTS[slot],
            str(row["source"]),
            None,
            "override",
            note=f"park override valid {row['valid_from']} to "
            f"{row['valid_to']}" + (f"; {row['note']}" if row["note"] else ""),
            override=True,
        )
