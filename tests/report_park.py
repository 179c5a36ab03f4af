"""A small park for the report tests, with hostile names, built through the public API.

Every hour of November and December 2025 (park time): grid import 100 kWh, grid export
1 kWh, PV 10 kWh, natural gas 5 Nm3, enterprise submeter 60 kWh. Value added of the one
enterprise: 1000 (10k CNY) in each month.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

PARK_NAME = '<script>alert("x")</script> Park & Co'
PARK_NAME_ZH = "测试园区<b>粗体</b>"
GAS_NAME = "=cmd|' /C calc'!A0"
ENTERPRISE_NAME = '=HYPERLINK("http://evil.example")'
ENTERPRISE_NAME_ZH = "../../etc/passwd 企业一"

PARK_TOML = f"""
[park]
id = "test-park"
name = '{PARK_NAME}'
name_zh = "{PARK_NAME_ZH}"
timezone = "Asia/Shanghai"
latitude = 31.3
longitude = 120.7
altitude_m = 5
province = "Jiangsu"
"""
METERS = [  # meter_id, name, carrier, role, unit, parent, enterprise, kWh or Nm3 per hour
    ("IMP", "Grid import", "electricity", "grid_import", "kWh", "", "", 100.0),
    ("EXP", "Grid export", "electricity", "grid_export", "kWh", "", "", 1.0),
    ("PV", "Rooftop PV", "electricity", "pv_generation", "kWh", "", "", 10.0),
    ("GAS", GAS_NAME, "natural_gas", "fuel", "Nm3", "", "", 5.0),
    ("S1", "<b>Tenant</b>", "electricity", "submeter", "kWh", "IMP", "E1", 60.0),
]
HOURS = {"2025-11": 720, "2025-12": 744}


def _csv(rows) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def make_report_park(tmp_path: Path) -> Path:
    """Create the park database; returns its path."""
    from greenpark.loaders.accounting_inputs import load_accounting_input
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    (tmp_path / "park.toml").write_text(PARK_TOML, encoding="utf-8")
    meters = [("meter_id", "name", "carrier", "role", "unit", "parent_id", "enterprise_id")]
    meters += [m[:7] for m in METERS]
    (tmp_path / "meters.csv").write_text(_csv(meters), encoding="utf-8")
    readings = [("meter_id", "timestamp", "value")]
    start = dt.datetime(2025, 11, 1)
    for h in range(sum(HOURS.values())):
        ts = (start + dt.timedelta(hours=h)).strftime("%Y-%m-%d %H:%M")
        readings += [(m[0], ts, m[7]) for m in METERS]
    (tmp_path / "readings.csv").write_text(_csv(readings), encoding="utf-8")
    (tmp_path / "enterprises.csv").write_text(
        _csv(
            [
                ("enterprise_id", "name", "name_zh", "industry", "leading_industry"),
                ("E1", ENTERPRISE_NAME, ENTERPRISE_NAME_ZH, "biomedicine", "true"),
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "production.csv").write_text(
        _csv(
            [
                ("enterprise_id", "month", "value_added_10k_cny"),
                ("E1", "2025-11", 1000),
                ("E1", "2025-12", 1000),
            ]
        ),
        encoding="utf-8",
    )
    db = tmp_path / "park.duckdb"
    init_park(str(db), tmp_path / "park.toml")
    with open_store(db) as store:
        load_meters(store, tmp_path / "meters.csv")
        load_readings(store, [tmp_path / "readings.csv"])
        load_accounting_input(store, "enterprises", tmp_path / "enterprises.csv")
        load_accounting_input(store, "production", tmp_path / "production.csv")
    return db
