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


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory):
    """The demo park's latest month and year, built once for the report tests: the
    database, the monthly and annual ReportData, and the pages and workbook written
    (``monthly_zh.html``, ``monthly_en.html``, ``annual_zh.html``, ``annual_en.html``,
    ``monthly_zh.xlsx``, ``annual_zh.xlsx``) in ``folder``."""
    from types import SimpleNamespace

    from greenpark.demo import build_demo, latest_full_month
    from greenpark.metrics.pv.potential import estimate
    from greenpark.report.builder import build
    from greenpark.report.html import render_html
    from greenpark.report.workbook import write_workbook
    from greenpark.store import open_store

    folder = tmp_path_factory.mktemp("demo_report")
    db = folder / "demo.duckdb"
    build_demo(db)
    stamp = "2026-01-05T08:00:00+00:00"
    with open_store(db) as store:
        estimate(store)
        month = latest_full_month(store)
        monthly = build(store, "monthly", month, generated_at=stamp)
        annual = build(store, "annual", str(month.last.year), generated_at=stamp)
    for name, data in (("monthly", monthly), ("annual", annual)):
        for lang in ("zh", "en"):
            (folder / f"{name}_{lang}.html").write_text(render_html(data, lang), encoding="utf-8")
        write_workbook(data, folder / f"{name}_zh.xlsx", lang="zh")
    return SimpleNamespace(db=db, folder=folder, monthly=monthly, annual=annual)
