"""Generated parks for the lake's tests and benchmark: known, simple numbers.

Each park has boundary meters (grid import, grid export, rooftop PV, a gas main), one
enterprise with monthly value added, and a monthly waste line. Every interval of a meter
carries the same quantity (PV only from 08:00 to 16:00 local time), so any total is a
count of intervals times a constant: tests compute their expectations by hand.
Readings are written as Parquet by DuckDB and loaded through greenpark's own loaders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

PARK_TOML = """[park]
id = "{park_id}"
name = "{name}"
name_zh = "{name_zh}"
timezone = "Asia/Shanghai"
latitude = 31.3
longitude = 120.6
province = "{province}"
leading_industries = ["{industry}"]
"""
METERS_CSV = """meter_id,name,carrier,role,unit,reading_type,multiplier,enterprise_id
IMP,Grid import,electricity,grid_import,kWh,interval,1,
EXP,Grid export,electricity,grid_export,kWh,interval,1,
PV,Rooftop PV,electricity,pv_generation,kWh,interval,1,
GAS,Gas main,natural_gas,fuel,Nm3,interval,1,
"""
WASTE_HEADER = (
    "month,enterprise_id,stream,category,subtype,hw_code,unit,generated,utilized,"
    "utilized_from_storage,disposed,disposed_from_storage,stored,dumped,route,contractor,"
    "licence_no\n"
)
PV_HOURS = range(8, 16)  # local hours with PV output


@dataclass
class SyntheticPark:
    """One generated park; quantities per interval of ``step_minutes``.

    Attributes
    ----------
    imp_kwh, exp_kwh, pv_kwh, gas_nm3 : float
        Grid import, grid export, PV (08-16 h only) and gas per interval. [kWh, Nm3]
    value_added_10k_cny : float
        Value added per month. [10k CNY]
    waste_generated_t, waste_utilized_t : float
        General industrial solid waste per month. [t]
    missing_months : tuple of int
        Months (1-12) without any readings.
    """

    park_id: str
    name: str = "Generated Park"
    name_zh: str = "生成园区"
    province: str = "Jiangsu"
    industry: str = "electronics"
    year: int = 2025
    step_minutes: int = 60
    imp_kwh: float = 100.0
    exp_kwh: float = 2.0
    pv_kwh: float = 30.0
    gas_nm3: float = 5.0
    value_added_10k_cny: float = 1000.0
    waste_generated_t: float = 10.0
    waste_utilized_t: float = 8.0
    missing_months: tuple[int, ...] = field(default_factory=tuple)


def build_park(spec: SyntheticPark, folder: str | Path) -> Path:
    """Write the park's input files into ``folder`` and load them into a new database.

    Returns
    -------
    Path
        The park database (``folder/<park_id>.duckdb``).
    """
    from greenpark.loaders.accounting_inputs import load_accounting_input
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings
    from greenpark.loaders.waste import load_waste
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "park.toml"
    toml.write_text(PARK_TOML.format(**spec.__dict__), encoding="utf-8")
    files = _write_inputs(spec, folder)
    db = folder / f"{spec.park_id}.duckdb"
    init_park(str(db), toml)
    with open_store(db) as store:
        load_meters(store, files["meters"])
        load_readings(store, files["readings"])
        load_accounting_input(store, "enterprises", files["enterprises"])
        load_accounting_input(store, "production", files["production"])
        load_waste(store, files["waste"])
    return db


def _write_inputs(spec: SyntheticPark, folder: Path) -> dict[str, Path]:
    months = [m for m in range(1, 13) if m not in spec.missing_months]
    files = {k: folder / f"{k}.csv" for k in ("meters", "enterprises", "production", "waste")}
    files["readings"] = folder / "readings.parquet"
    files["meters"].write_text(METERS_CSV, encoding="utf-8")
    files["enterprises"].write_text(
        "enterprise_id,name,name_zh,industry,leading_industry\n"
        f"E1,Tenant,租户,{spec.industry},true\n",
        encoding="utf-8",
    )
    files["production"].write_text(
        "enterprise_id,month,value_added_10k_cny\n"
        + "".join(f"E1,{spec.year}-{m:02d},{spec.value_added_10k_cny}\n" for m in months),
        encoding="utf-8",
    )
    files["waste"].write_text(
        WASTE_HEADER
        + "".join(
            f"{spec.year}-{m:02d},E1,E1-SCRAP,general_industrial_solid,scrap,,t,"
            f"{spec.waste_generated_t},{spec.waste_utilized_t},0,"
            f"{spec.waste_generated_t - spec.waste_utilized_t},0,0,0,recycling,,\n"
            for m in months
        ),
        encoding="utf-8",
    )
    _write_readings(spec, months, files["readings"])
    return files


def _write_readings(spec: SyntheticPark, months: list[int], path: Path) -> None:
    """Every meter's readings (naive park-local timestamps) as Parquet, made in DuckDB."""
    import duckdb

    start = dt.datetime(spec.year, 1, 1)
    end = dt.datetime(spec.year + 1, 1, 1)
    con = duckdb.connect()
    try:
        sql = """
        WITH t AS (SELECT range AS ts FROM range(?::TIMESTAMP, ?::TIMESTAMP,
                   to_minutes(CAST(? AS BIGINT))) WHERE month(range) IN (SELECT unnest(?)))
        SELECT m.meter_id, t.ts AS timestamp,
               CASE m.meter_id WHEN 'IMP' THEN ? WHEN 'EXP' THEN ? WHEN 'GAS' THEN ?
                    ELSE CASE WHEN hour(t.ts) >= ? AND hour(t.ts) < ? THEN ? ELSE 0.0 END
               END AS value
        FROM t CROSS JOIN (SELECT unnest(['IMP', 'EXP', 'PV', 'GAS']) AS meter_id) m
        ORDER BY m.meter_id, t.ts"""
        params = [start, end, spec.step_minutes, months, spec.imp_kwh, spec.exp_kwh]
        params += [spec.gas_nm3, PV_HOURS.start, PV_HOURS.stop, spec.pv_kwh]
        con.sql(sql, params=params).write_parquet(str(path))
    finally:
        con.close()


def intervals(spec: SyntheticPark, month: int | None = None) -> int:
    """Intervals of ``spec`` with readings in ``month`` (or the year). [count]"""
    months = [month] if month else range(1, 13)
    total = 0
    for m in months:
        if m in spec.missing_months:
            continue
        first = dt.date(spec.year, m, 1)
        last = dt.date(spec.year + (m == 12), m % 12 + 1, 1)
        total += (last - first).days * 24 * 60 // spec.step_minutes
    return total
