"""park.toml -> :class:`ParkConfig`, validated with errors that name the key."""

from __future__ import annotations

import tomllib
from csv import DictReader
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from greenpark.core.config.accounting import AccountingSettings
from greenpark.core.config.pv import Economics, PvSettings, Tariff, economics, pv_settings, tariff
from greenpark.core.config.zero_carbon import ZeroCarbonSettings
from greenpark.core.errors import ConfigError

DEFAULT_TIMEZONE = "Asia/Shanghai"
SECTIONS = ("accounting", "zero_carbon", "pv", "tariff")  # tables besides [park]
_SECTION_FIELDS = ("accounting", "zero_carbon", "pv", "economics", "tariff", "raw_toml")
MAX_LEADING_INDUSTRIES = 3  # 2025 park guidelines: at most 3 leading industries


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
    accounting, zero_carbon, pv, economics, tariff
        The other sections of park.toml, validated with the file (defaults where absent).
    raw_toml : str
        The file's text as stored in the database.
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
    raw_toml: str = field(default="", repr=False)

    @property
    def findings(self) -> list[str]:
        """Configuration findings that do not stop work (e.g. too many leading industries)."""
        out = []
        if len(self.leading_industries) > MAX_LEADING_INDUSTRIES:
            out.append(
                f"park.leading_industries has {len(self.leading_industries)} entries; the 2025 "
                f"park guidelines set at most {MAX_LEADING_INDUSTRIES}"
            )
        return out


@cache
def provinces() -> dict[str, str]:
    """Provinces of the shipped MEE grid factor table, Chinese name -> English name."""
    path = resources.files("greenpark") / "data" / "grid_emission_factors.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["area_zh"]: r["area_en"] for r in DictReader(fh) if r["level"] == "province"}


def load_park_config(path: str | Path) -> ParkConfig:
    """Read and validate a park.toml file.

    Raises
    ------
    ConfigError
        Naming the file and the key that is missing or wrong.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_park_config(text, source=str(path))


def parse_park_config(text: str, source: str = "park.toml") -> ParkConfig:
    """Validate park.toml text; see :func:`load_park_config`."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    unknown_sections = sorted(set(doc) - {"park", *SECTIONS})
    park = doc.get("park")
    if not isinstance(park, dict):
        hint = "".join(f" ([{u}]{did_you_mean(u, ['park'])}?)" for u in unknown_sections[:1])
        raise ConfigError(f"{source}: missing [park] table{hint}")
    if unknown_sections:
        name = unknown_sections[0]
        raise ConfigError(
            f"{source}: unknown section [{name}]{did_you_mean(name, SECTIONS)} (known: "
            f"{', '.join(['park', *SECTIONS])})"
        )
    known = {f for f in ParkConfig.__dataclass_fields__ if f not in _SECTION_FIELDS}
    unknown = sorted(set(park) - known)
    if unknown:
        raise ConfigError(
            f"{source}: unknown key park.{unknown[0]} (known: {', '.join(sorted(known))})"
        )
    return ParkConfig(
        id=_park_id(park, source),
        name=_text(park, "name", source),
        name_zh=_text(park, "name_zh", source, required=False),
        timezone=_timezone(park, source),
        latitude=_number(park, "latitude", source, -90, 90),
        longitude=_number(park, "longitude", source, -180, 180),
        altitude_m=_number(park, "altitude_m", source, -500, 9000, default=0.0),
        province=_province(park, source),
        leading_industries=_industries(park, source),
        accounting=AccountingSettings.from_doc(doc, source),
        zero_carbon=ZeroCarbonSettings.from_doc(doc, source),
        pv=pv_settings(doc, source),
        economics=economics(doc, source),
        tariff=tariff(doc, source),
        raw_toml=text,
    )


def did_you_mean(word: str, choices) -> str:
    """``"; did you mean 'x'"`` for the closest of ``choices``, or ``""``."""
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}" if close else ""


def _text(park: dict, key: str, source: str, required: bool = True) -> str:
    value = park.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{source}: missing key park.{key}")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{source}: park.{key} must be a non-empty string, got {value!r}")
    return value.strip()


def _park_id(park: dict, source: str) -> str:
    value = _text(park, "id", source)
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in value) or len(value) > 64:
        raise ConfigError(
            f"{source}: park.id {value!r} must be 1-64 ASCII letters, digits, '-' or '_'"
        )
    return value


def _number(
    park: dict, key: str, source: str, lo: float, hi: float, default: float | None = None
) -> float:
    value = park.get(key, default)
    if value is None:
        raise ConfigError(f"{source}: missing key park.{key}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{source}: park.{key} must be a number, got {value!r}")
    if not lo <= value <= hi:
        raise ConfigError(f"{source}: park.{key} = {value} is outside [{lo}, {hi}]")
    return float(value)


def _timezone(park: dict, source: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = park.get("timezone", DEFAULT_TIMEZONE)
    if not isinstance(value, str):
        raise ConfigError(f"{source}: park.timezone must be a string, got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{source}: park.timezone {value!r} is not an IANA timezone (e.g. Asia/Shanghai)"
        ) from None
    return value


def _province(park: dict, source: str) -> str:
    value = _text(park, "province", source)
    table = provinces()
    if value in table:
        return table[value]
    by_english = {en.lower(): en for en in table.values()}
    if value.lower() in by_english:
        return by_english[value.lower()]
    names = ", ".join(f"{en} ({zh})" for zh, en in table.items())
    raise ConfigError(
        f"{source}: park.province {value!r} is not in the MEE factor table; valid: {names}"
    )


def _industries(park: dict, source: str) -> tuple[str, ...]:
    value = park.get("leading_industries", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{source}: park.leading_industries must be a list of strings")
    return tuple(v.strip() for v in value)
