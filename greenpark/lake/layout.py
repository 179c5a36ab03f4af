"""The park lake's layout: tables, their columns, paths and the manifest.

A lake is a directory of Parquet files (docs/lake.md)::

    DIR/_manifest.json                                      layout version, parks, files
    DIR/<table>/park_id=<id>/year=YYYY/month=MM/part-0.parquet   readings, ledger
    DIR/<table>/park_id=<id>/part-0.parquet                 the small per-park tables

``year`` and ``month`` are the park-local calendar month (the ledger's months); the
readings keep their UTC timestamp. ``park_id`` is ASCII (:data:`PARK_ID_RULE`); park
names live in the ``park`` table, never in a path (a Chinese partition value is
percent-encoded by DuckDB and decoded differently by Spark).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from greenpark.core.errors import GreenparkError

LAYOUT_VERSION = 1
MANIFEST = "_manifest.json"
LAYOUT_NAME = "greenpark-lake"
PART = "part-0.parquet"
PARK_ID_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

# Every table of the lake: column -> type (DuckDB and Spark SQL both read these names).
# Partition columns (park_id, year, month) are in the paths, not in the files.
TABLES: dict[str, dict[str, str]] = {
    "readings": {"ts": "TIMESTAMP", "meter_id": "VARCHAR", "value": "DOUBLE"},
    "ledger": {  # one file per park-local month (the month is the partition's)
        "meter_id": "VARCHAR",
        "enterprise_id": "VARCHAR",
        "scope": "VARCHAR",
        "source": "VARCHAR",
        "activity": "VARCHAR",
        "basis": "VARCHAR",
        "quantity": "DOUBLE",
        "unit": "VARCHAR",
        "factor_id": "VARCHAR",
        "factor_value": "DOUBLE",
        "factor_unit": "VARCHAR",
        "factor_source": "VARCHAR",
        "factor_year": "BIGINT",
        "emissions_tco2": "DOUBLE",
        "energy_tce": "DOUBLE",
    },
    "park": {
        "name": "VARCHAR",
        "name_zh": "VARCHAR",
        "province": "VARCHAR",
        "operator": "VARCHAR",
        "industry": "VARCHAR",
        "timezone": "VARCHAR",
        "emissions_basis": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
    },
    "meters": {
        "meter_id": "VARCHAR",
        "carrier": "VARCHAR",
        "role": "VARCHAR",
        "unit": "VARCHAR",
        "enterprise_id": "VARCHAR",
        "parent_id": "VARCHAR",
    },
    "enterprises": {
        "enterprise_id": "VARCHAR",
        "name": "VARCHAR",
        "name_zh": "VARCHAR",
        "industry": "VARCHAR",
        "leading_industry": "BOOLEAN",
    },
    "production": {"month": "DATE", "enterprise_id": "VARCHAR", "value_added_10k_cny": "DOUBLE"},
    "green_power": {
        "instrument_id": "VARCHAR",
        "type": "VARCHAR",
        "mwh": "DOUBLE",
        "period_start": "DATE",
        "period_end": "DATE",
        "vintage": "DATE",
    },
    "waste": {
        "month": "DATE",
        "enterprise_id": "VARCHAR",
        "stream": "VARCHAR",
        "category": "VARCHAR",
        "generated_t": "DOUBLE",
        "utilized_t": "DOUBLE",
        "utilized_from_storage_t": "DOUBLE",
        "disposed_t": "DOUBLE",
    },
    "factors": {
        "factor_id": "VARCHAR",
        "factor_value": "DOUBLE",
        "factor_unit": "VARCHAR",
        "factor_source": "VARCHAR",
        "factor_year": "BIGINT",
        "confidence": "VARCHAR",
        "months": "BIGINT",
    },
    "findings": {
        "month": "DATE",
        "code": "VARCHAR",
        "severity": "VARCHAR",
        "message": "VARCHAR",
    },
    # Per park-local month, computed by greenpark's own metrics at export.
    "park_months": {"month": "DATE", "clean_energy_tce": "DOUBLE", "ledger_lines": "BIGINT"},
}
MONTHLY_TABLES = ("readings", "ledger")  # partitioned by year and month


class LakeError(GreenparkError):
    """A lake that cannot be read or written as it is (the message names the path)."""


def check_park_id(park_id: str) -> str:
    """Return ``park_id`` if it may be a partition value, else raise.

    Raises
    ------
    LakeError
        Unless it is 1-64 ASCII letters, digits, ``-`` or ``_`` (starting with a letter or
        digit): names, Chinese or not, belong in the ``park`` table.
    """
    if not isinstance(park_id, str) or not PARK_ID_RULE.match(park_id):
        raise LakeError(
            f"park id {park_id!r} cannot be a lake partition: use 1-64 ASCII letters, "
            "digits, '-' or '_' (the park's names go in the park table, not in paths)"
        )
    return park_id


def park_dir(table: str, park_id: str) -> str:
    """Relative directory of one park's part of ``table``."""
    return f"{table}/park_id={park_id}"


def month_file(table: str, park_id: str, year: int, month: int) -> str:
    """Relative path of one park-month file of a monthly table."""
    return f"{park_dir(table, park_id)}/year={year:04d}/month={month:02d}/{PART}"


def park_file(table: str, park_id: str) -> str:
    """Relative path of a small per-park table's file."""
    return f"{park_dir(table, park_id)}/{PART}"


def empty_manifest() -> dict:
    from greenpark import __version__

    return {
        "layout": LAYOUT_NAME,
        "layout_version": LAYOUT_VERSION,
        "greenpark_version": __version__,
        "parks": {},
    }


def read_manifest(lake: str | os.PathLike) -> dict:
    """The lake's manifest, checked: present, readable, of a layout this code knows.

    Raises
    ------
    LakeError
        Naming the manifest's path.
    """
    path = Path(lake) / MANIFEST
    if not Path(lake).is_dir():
        raise LakeError(f"{lake}: no such lake directory")
    if not path.is_file():
        raise LakeError(f"{path}: missing; {lake} is not a greenpark lake (or is incomplete)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LakeError(f"{path}: not a readable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("layout") != LAYOUT_NAME:
        raise LakeError(f"{path}: not a greenpark lake manifest (no layout {LAYOUT_NAME!r})")
    version = manifest.get("layout_version")
    if not isinstance(version, int) or version < 1:
        raise LakeError(f"{path}: layout_version {version!r} is not a positive integer")
    if version > LAYOUT_VERSION:
        raise LakeError(
            f"{path}: layout version {version} is newer than this greenpark reads "
            f"({LAYOUT_VERSION}); upgrade greenpark"
        )
    if not isinstance(manifest.get("parks"), dict):
        raise LakeError(f"{path}: 'parks' must be an object")
    return manifest


def write_manifest(lake: str | os.PathLike, manifest: dict) -> None:
    """Write the manifest atomically (a temporary file renamed over the old one)."""
    path = Path(lake) / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)
