"""Shared by the readings test modules: a small park on disk and exact snapshots.

``make_park`` builds park.toml, the database and meters M1 (kWh), M2 (MWh, parent M1) and
G1 (register, max 1000); ``snapshot`` and ``assert_unchanged`` compare every row of every
table before and after a load that must change nothing.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.store import open_store
from greenpark.store.park import init_park

HEADER = "meter_id,timestamp,value\n"
METERS_CSV = (
    "meter_id,carrier,role,unit,reading_type,register_max,parent_id\n"
    "M1,electricity,grid_import,kWh,interval,,\n"
    "M2,electricity,submeter,MWh,interval,,M1\n"
    "G1,natural_gas,fuel,m3,register,1000,\n"
)
# Loaded into every park first, so that "unchanged" is checked against real rows.
BASELINE_CSV = HEADER + "M1,2023-12-01 00:00,1.25\nM1,2023-12-01 00:15,2.5\n"
CORE_TABLES = {"readings", "register_readings", "meters", "load_log", "load_findings"}


def make_park(root: Path, timezone: str = "Asia/Shanghai", baseline: bool = True) -> Path:
    """park.toml + database + meters M1 (kWh), M2 (MWh, parent M1), G1 (register, max 1000).

    Returns the database path.
    """
    root.mkdir(parents=True, exist_ok=True)
    toml = root / "park.toml"
    toml.write_text(
        textwrap.dedent(f"""\
        [park]
        id = "test-park"
        name = "Test Park"
        name_zh = "测试园区"
        timezone = "{timezone}"
        latitude = 31.3
        longitude = 120.6
        altitude_m = 5.0
        province = "Jiangsu"
        """),
        encoding="utf-8",
    )
    db = root / "park.duckdb"
    init_park(str(db), str(toml))
    meters = root / "meters.csv"
    meters.write_text(METERS_CSV, encoding="utf-8")
    with open_store(db) as store:
        load_meters(store, meters)
        if baseline:
            base = root / "baseline.csv"
            base.write_text(BASELINE_CSV, encoding="utf-8")
            load_readings(store, base)
    return db


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the database, sorted (opens and closes the store)."""
    with open_store(db_path, read_only=True) as store:
        con = store.con
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        snap = {
            t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()  # noqa: S608
            for t in tables
        }
    assert CORE_TABLES <= set(snap), f"tables missing: {CORE_TABLES - set(snap)}"
    return snap


def assert_unchanged(db_path: Path, before: dict[str, list[tuple]]) -> None:
    """The database holds exactly ``before`` (compact message instead of a huge diff)."""
    after = snapshot(db_path)
    diffs = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table), after.get(table)
        if old == new:
            continue
        if old is None or new is None:
            diffs.append(f"{table}: table {'appeared' if old is None else 'disappeared'}")
            continue
        added = [r for r in new if r not in old][:5]
        removed = [r for r in old if r not in new][:5]
        diffs.append(f"{table}: {len(old)} -> {len(new)} rows; added {added}; removed {removed}")
    assert not diffs, "database changed:\n" + "\n".join(diffs)
