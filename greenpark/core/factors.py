"""The shipped factor library: emission factors, fuel parameters, coal coefficients.

Every factor is data with a source, a year and a confidence tag (A official, B secondary,
NV not verified; see ``greenpark/data/SOURCES.md``). Lookups return :class:`Factor`
objects that carry all of it, so outputs can show where each number comes from.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from greenpark.core.errors import GreenparkError

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
    "natural_gas": ("natural gas (gas field)", 1.0),  # kgce/m3 = kgce/Nm3
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
    from greenpark.core.vocab import CARRIERS

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
