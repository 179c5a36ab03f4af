#!/usr/bin/env python
"""Benchmark: ``greenpark carbon --year`` on the 35M-reading park vs a bare DuckDB
monthly sum of the same readings, in the same run.

The park is the ingest benchmark's data set (``bench_ingest.py``: 1,000 meters x 366 days
x 15 min) with roles: M0001 grid import, M0002 on-site PV, M0003 natural gas, the rest
submeters of 99 enterprises under the grid import. Target: greenpark within 3x of the
bare monthly sum.

Usage::

    python benchmarks/bench_carbon.py            # full size (35M readings)
    python benchmarks/bench_carbon.py --small    # 50 meters x 30 days
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_ingest  # noqa: E402 - sibling script, shares the data set

TARGET_RATIO = 3.0
BARE_SQL = (
    "SELECT meter_key, date_trunc('month', ts + INTERVAL 8 HOUR) AS month, "
    "sum(value) FROM readings GROUP BY ALL"
)


def write_roles(path: Path, meters: int) -> None:
    """Meter register with boundary meters, enterprises and a hierarchy."""
    width = max(4, len(str(meters)))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["meter_id", "carrier", "role", "unit", "parent_id", "enterprise_id"])
        ids = [f"M{k:0{width}d}" for k in range(1, meters + 1)]
        writer.writerow([ids[0], "electricity", "grid_import", "kWh", "", ""])
        writer.writerow([ids[1], "electricity", "pv_generation", "kWh", "", ""])
        writer.writerow([ids[2], "natural_gas", "fuel", "m3", "", ""])
        for k, meter in enumerate(ids[3:]):
            writer.writerow([meter, "electricity", "submeter", "kWh", ids[0], f"E{k // 10:03d}"])


def build(workdir: Path, meters: int, days: int) -> Path:
    """Create the benchmark park database (not timed)."""
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    data = bench_ingest.prepare_dataset(workdir, meters, days)
    roles = workdir / f"meters_roles_{meters}m.csv"
    write_roles(roles, meters)
    db = workdir / "carbon.duckdb"
    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    init_park(str(db), data.park_toml)
    started = time.perf_counter()
    with open_store(db) as store:
        load_meters(store, roles)
        load_readings(store, data.readings)
    print(f"built {db} from {data.readings.name} in {time.perf_counter() - started:.1f} s")
    return db


def interleaved(func, bare, repeat: int) -> tuple[dict, dict, object]:
    """``func`` and the bare query alternately (the order swapped every round).

    Returns (func's, bare's) ``{"median", "min", "max", "cpu_median"}`` [s] and func's
    last result. CPU is this process's (DuckDB's threads included).
    """
    runs: dict = {"f": [], "b": [], "fc": [], "bc": []}
    result = None
    for i in range(repeat):
        for who in ("b", "f") if i % 2 == 0 else ("f", "b"):
            started, cpu = time.perf_counter(), time.process_time()
            out = (bare if who == "b" else func)()
            runs[who].append(time.perf_counter() - started)
            runs[who + "c"].append(time.process_time() - cpu)
            result = out if who == "f" else result

    def spread(k):
        v = runs[k]
        return {
            "median": statistics.median(v),
            "min": min(v),
            "max": max(v),
            "cpu_median": statistics.median(runs[k + "c"]),
        }

    return spread("f"), spread("b"), result


def measure(db: Path, year: str, repeat: int) -> dict:
    """Time the Python API (a cold ledger build each time, and a table of a month cut from
    the year's ledger) and the CLI, each interleaved with the bare monthly sum, on the
    same database; medians."""
    import resource

    from greenpark.core.periods import Period
    from greenpark.metrics.carbon.tables import carbon_by
    from greenpark.store import open_store

    period = Period.year(year)

    def cold(by: str):
        def run():
            store.forget()  # drop the cached ledger, park config and factor book
            return carbon_by(store, period, by)

        return run

    cmd = [sys.executable, "-c", "from greenpark.cli import main; main()", "--db", str(db)]
    cmd += ["carbon", "--year", year, "--format", "json"]
    out = {}
    with open_store(db, read_only=True) as store:

        def bare():
            return store.con.execute(BARE_SQL).fetchall()

        out["groups"] = len(bare())
        out["api_scope_s"], out["bare_scope_s"], result = interleaved(cold("scope"), bare, repeat)
        out["api_enterprise_s"], out["bare_enterprise_s"], _ = interleaved(
            cold("enterprise"), bare, repeat
        )
        january = Period.month(f"{year}-01")
        out["api_sliced_month_s"], out["bare_sliced_month_s"], _ = interleaved(
            lambda: carbon_by(store, january, "scope"), bare, repeat
        )
        scopes = result.frame.set_index("scope")
        out["total_tco2"] = float(scopes.loc["total", "emissions_location_tco2"])
        out["cli_s"], out["bare_cli_s"], _ = interleaved(
            lambda: subprocess.run(cmd, check=True, capture_output=True), bare, repeat
        )
    out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    return out


def report(m: dict) -> bool:
    """Print every figure against the bare query of the same rounds; True when all met."""
    ok = True
    print(f"bare DuckDB monthly sum: {m['groups']:,} meter-months")
    for key, label in (
        ("api_scope_s", "greenpark API carbon_by(by=scope), cold"),
        ("api_enterprise_s", "greenpark API carbon_by(by=enterprise), cold"),
        ("api_sliced_month_s", "greenpark API carbon_by(January), cut from the year's ledger"),
        ("cli_s", "greenpark carbon --year (CLI process, end to end; CPU not counted)"),
    ):
        ours, bare = m[key], m["bare_" + key.removeprefix("api_")]
        ratio = ours["median"] / bare["median"]
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        ok &= ratio <= TARGET_RATIO
        print(
            f"{label}: median {ours['median']:.3f} s ({ours['min']:.3f}-{ours['max']:.3f}, "
            f"CPU {ours['cpu_median']:.3f} s) against bare {bare['median']:.3f} s "
            f"({bare['min']:.3f}-{bare['max']:.3f}, CPU {bare['cpu_median']:.3f} s): "
            f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}"
        )
    print(f"peak RSS of this process (API runs): {m['peak_rss_gb']:.2f} GB")
    print(f"location-based total: {m['total_tco2']:,.1f} tCO2")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_data")
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="50 meters x 30 days")
    args = parser.parse_args(argv)
    if args.small:
        args.meters, args.days = 50, 30
    db = build(args.workdir, args.meters, args.days)
    ok = report(measure(db, "2024", args.repeat))
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
