"""Shared fixtures: a park database on disk, built through the public API."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PARK_TOML = """
[park]
id = "test-park"
name = "Test Park"
name_zh = "测试园区"
timezone = "{timezone}"
latitude = 31.3
longitude = 120.7
altitude_m = 5
province = "Jiangsu"
"""

METERS_CSV = """\
meter_id,name,carrier,role,unit,reading_type,multiplier,register_max,parent_id
IMP,Grid import,electricity,grid_import,kWh,interval,1,,
EXP,Grid export,electricity,grid_export,kWh,interval,1,,
PV,Rooftop PV,electricity,pv_generation,kWh,interval,1,,
S1,Tenant 1,electricity,submeter,MWh,interval,1,,IMP
S2,Tenant 2,electricity,submeter,kWh,interval,80,,IMP
GAS,Gas main,natural_gas,fuel,m3,register,1,1000,
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(textwrap.dedent(text), encoding=encoding)
    return path


@pytest.fixture
def park_toml(tmp_path):
    def make(timezone: str = "Asia/Shanghai") -> Path:
        return write(
            tmp_path / f"park-{timezone.replace('/', '_')}.toml",
            PARK_TOML.format(timezone=timezone),
        )

    return make


@pytest.fixture
def db(tmp_path, park_toml):
    """Path of an initialised park database with the meters of METERS_CSV."""
    from greenpark.loaders.meters import load_meters
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    path = tmp_path / "park.duckdb"
    init_park(str(path), park_toml())
    with open_store(path) as store:
        load_meters(store, write(tmp_path / "meters.csv", METERS_CSV))
    return path


@pytest.fixture
def store(db):
    from greenpark.store import open_store

    with open_store(db) as s:
        yield s
