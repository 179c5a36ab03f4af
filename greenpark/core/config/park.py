"""park.toml -> :class:`ParkConfig`: every section validated whole, errors naming the key.

``[park]`` is read here; ``[accounting]``, ``[zero_carbon]``, ``[pv]`` (with
``[pv.economics]``) and ``[tariff]`` by their modules, all through the toolkit of
:mod:`greenpark.core.config.validate`. Every problem of the file is collected and raised
as one :class:`~greenpark.core.errors.ConfigError`; docs/config.md lists every key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from csv import DictReader
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from greenpark.core.config.accounting import ACCOUNTING_KEYS, AccountingSettings, read_accounting
from greenpark.core.config.plan import (
    PLAN_KEYS,
    STORAGE_DEFAULTS,
    PlanSettings,
    read_plan,
)
from greenpark.core.config.pv import (
    ECONOMICS_DEFAULTS,
    PV_DEFAULTS,
    Economics,
    PvSettings,
    read_economics,
    read_pv,
)
from greenpark.core.config.quality import QUALITY_KEYS, QualitySettings, read_quality
from greenpark.core.config.tariffs import TARIFF_DEFAULTS, Tariff, read_tariff
from greenpark.core.config.validate import Checker, Table, did_you_mean, show
from greenpark.core.config.zero_carbon import ZERO_CARBON_KEYS, ZeroCarbonSettings, read_zero_carbon
from greenpark.core.errors import ConfigError
from greenpark.core.findings import Finding

DEFAULT_TIMEZONE = "Asia/Shanghai"
SECTIONS = ("accounting", "zero_carbon", "pv", "tariff", "quality", "plan")  # tables besides [park]
MAX_LEADING_INDUSTRIES = 3  # 2025 park guidelines: at most 3 leading industries
PARK_KEYS = (
    "id",
    "name",
    "name_zh",
    "timezone",
    "latitude",
    "longitude",
    "altitude_m",
    "province",
    "leading_industries",
)
KEYS: dict[str, tuple[str, ...]] = {  # every accepted key, by table
    "park": PARK_KEYS,
    "accounting": ACCOUNTING_KEYS,
    "zero_carbon": ZERO_CARBON_KEYS,
    "pv": tuple(PV_DEFAULTS),
    "pv.economics": tuple(ECONOMICS_DEFAULTS),
    "tariff": tuple(TARIFF_DEFAULTS),
    "quality": QUALITY_KEYS,
    "plan": PLAN_KEYS,
    "plan.storage": tuple(STORAGE_DEFAULTS),
}
MAX_ID_CHARS = 64


@dataclass(frozen=True)
class ParkConfig:
    """The park as park.toml describes it.

    Attributes
    ----------
    id : str
        Short identifier (letters, digits, ``-`` and ``_``); used in report paths.
    name, name_zh : str
        English and Chinese names.
    timezone : str
        IANA timezone; naive timestamps in input files are read in it.
    latitude, longitude : float
        Site location. [deg]
    altitude_m : float
        Site altitude. [m]
    province : str
        Province (English name as in the MEE factor table), selects grid factors.
    leading_industries : tuple of str
        The park's leading industries.
    accounting, zero_carbon, pv, economics, tariff, quality, plan
        The other sections of park.toml, validated with the file (defaults where absent).
    raw_toml : str
        The file's text as stored in the database.
    source : str
        Where the text came from (the file, or the database holding it).
    """

    id: str
    name: str
    name_zh: str
    timezone: str
    latitude: float
    longitude: float
    altitude_m: float
    province: str
    leading_industries: tuple[str, ...] = ()
    accounting: AccountingSettings = field(default_factory=AccountingSettings, repr=False)
    zero_carbon: ZeroCarbonSettings = field(default_factory=ZeroCarbonSettings, repr=False)
    pv: PvSettings | None = field(default=None, repr=False)
    economics: Economics | None = field(default=None, repr=False)
    tariff: Tariff | None = field(default=None, repr=False)
    quality: QualitySettings = field(default_factory=QualitySettings, repr=False)
    plan: PlanSettings = field(default_factory=PlanSettings, repr=False)
    raw_toml: str = field(default="", repr=False)
    source: str = field(default="park.toml", repr=False, compare=False)

    @property
    def findings(self) -> list[Finding]:
        """Configuration findings that do not stop work (e.g. too many leading industries)."""
        out = []
        n = len(self.leading_industries)
        if n > MAX_LEADING_INDUSTRIES:
            out.append(
                Finding(
                    "config.leading_industries",
                    f"park.leading_industries has {n} entries; the 2025 park guidelines "
                    f"set at most {MAX_LEADING_INDUSTRIES}",
                    data={"file": self.source, "count": n, "max": MAX_LEADING_INDUSTRIES},
                )
            )
        return out


MAX_CONFIG_BYTES = 1 << 20


@cache
def provinces() -> dict[str, str]:
    """Provinces of the shipped MEE grid factor table, Chinese name -> English name."""
    path = resources.files("greenpark") / "data" / "grid_emission_factors.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["area_zh"]: r["area_en"] for r in DictReader(fh) if r["level"] == "province"}


def _check_config_file(path: Path) -> None:
    """A regular file of at most 1 MiB (a FIFO would hang, /dev/zero never ends)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError:
        return  # read_text below names the problem
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(
            f"{path}: cannot read it: not a regular file (a directory, FIFO or device); refused"
        )
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: {info.st_size} bytes; a park.toml may be at most 1 MiB")


def load_park_config(path: str | Path) -> ParkConfig:
    """Read and validate a park.toml file.

    Raises
    ------
    ConfigError
        Naming the file and every key that is missing or wrong.
    """
    path = Path(path)
    _check_config_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return parse_park_config(text, source=str(path))


def parse_park_config(text: str, source: str = "park.toml") -> ParkConfig:
    """Validate park.toml text whole; see :func:`load_park_config` and docs/config.md.

    Raises
    ------
    ConfigError
        Listing every problem of the file, each naming its dotted key, value and rule.
    """
    checker = Checker(source)
    root = checker.root(_toml(text, source))
    _check_sections(root)
    park = _read_park(root)
    pv = root.table("pv")
    sections = {
        "accounting": read_accounting(root.table("accounting")),
        "zero_carbon": read_zero_carbon(root.table("zero_carbon")),
        "pv": read_pv(pv),
        "economics": read_economics(pv.table("economics")),
        "tariff": read_tariff(root.table("tariff")),
        "quality": read_quality(root.table("quality")),
        "plan": read_plan(root.table("plan")),
    }
    checker.raise_if_any()
    return ParkConfig(**park, **sections, raw_toml=text, source=source)


def _toml(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        # ValueError: an integer beyond Python's digit limit; RecursionError: deep nesting
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None


def _check_sections(root: Table) -> None:
    known = ["park", *SECTIONS]
    unknown = [name for name in root.data if name not in known]
    if "park" not in root.data:
        root.fail("park", None, "missing [park] table")
    for name in unknown:
        root.fail(
            name,
            None,
            f"unknown section [{root.key(name)}]{did_you_mean(name, known)} "
            f"(known: {', '.join(known)})",
        )


def _read_park(root: Table) -> dict:
    """The fields of ``[park]`` (``None`` where a problem was recorded)."""
    if not isinstance(root.data.get("park"), Mapping):  # missing or not a table
        root.table("park")
        return {}
    park = root.table("park")
    park.keys(PARK_KEYS)
    return {
        "id": _park_id(park),
        "name": park.text("name"),
        "name_zh": park.text("name_zh", "", empty_ok=True),
        "timezone": _timezone(park),
        "latitude": park.number("latitude", lo=-90, hi=90),
        "longitude": park.number("longitude", lo=-180, hi=180),
        "altitude_m": park.number("altitude_m", 0.0, -500, 9000),
        "province": _province(park),
        "leading_industries": park.strings("leading_industries", ()),
    }


def _park_id(park: Table) -> str | None:
    value = park.text("id")
    ok = value is None or (
        len(value) <= MAX_ID_CHARS
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    )
    if not ok:
        park.fail(
            "id",
            value,
            f"park.id {show(value)} must be 1-{MAX_ID_CHARS} ASCII letters, digits, '-' or '_'",
        )
        return None
    return value


def _timezone(park: Table) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = park.text("timezone", DEFAULT_TIMEZONE)
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: e.g. "Asia", a folder
        park.fail(
            "timezone",
            value,
            f"park.timezone {show(value)} is not an IANA timezone (e.g. Asia/Shanghai)",
        )
        return None
    return value


def _province(park: Table) -> str | None:
    value = park.text("province")
    if value is None:
        return None
    table = provinces()
    if value in table:
        return table[value]
    by_english = {en.lower(): en for en in table.values()}
    if value.lower() in by_english:
        return by_english[value.lower()]
    names = ", ".join(f"{en} ({zh})" for zh, en in table.items())
    hint = did_you_mean(value, [*table, *table.values()])
    park.fail(
        "province",
        value,
        f"park.province {show(value)} is not in the MEE factor table{hint}; valid: {names}",
    )
    return None
