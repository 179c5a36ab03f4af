#!/usr/bin/env python
"""Benchmark: ``greenpark rollup`` over N generated parks, on DuckDB and on Spark, each
against a bare sum of the same readings on the same engine, in the same run.

Each park (greenpark/lake/synthetic.py) has four boundary meters (grid import and export,
PV, gas) at 15 minutes for a year (140,160 readings), loaded through greenpark's loaders
and exported with ``export_park``; the lake is kept in ``--workdir`` and reused when it
already holds the same parks. Timed, interleaved, ``--repeat`` times (medians):

* anchor: bare sums of every park-month of the readings and of the ledger (``SELECT
  park_id, year, month, sum(...) ... GROUP BY``), each table one scan of its directory
  as the roll-up reads it, on the engine: the data any roll-up must read;
* greenpark: :func:`greenpark.lake.rollup.rollup` (lake checks, readings and ledger,
  per-park and per-group SQL, ratios) on the engine.

Targets: greenpark within ``TARGET_RATIO`` x its engine's anchor, and its grid import of
every park equal to a direct sum of its import meter (relative 1e-9); a missed target
exits 1. ``TARGET_RATIO`` is greenpark's own choice, not an external requirement: what
the roll-up reads beyond the anchor (six small per-park tables, the lake check) is a
fixed cost per park that the anchor does not pay (docs/scale.md). Spark's first query
(JVM warm-up) is reported, not counted. Peak RSS is that of this process and its
children (Spark's JVM).

Usage::

    python benchmarks/bench_rollup.py              # 200 parks, DuckDB and Spark
    python benchmarks/bench_rollup.py --parks 50
    python benchmarks/bench_rollup.py --quick      # 10 parks, 1 repeat
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 3.0
ANCHOR_SQL = (
    "SELECT park_id, year, month, SUM(value) AS value, COUNT(*) AS n "
    "FROM readings GROUP BY park_id, year, month"
)
ANCHOR_LEDGER_SQL = (
    "SELECT park_id, year, month, SUM(energy_tce) AS energy_tce, "
    "SUM(emissions_tco2) AS emissions_tco2 FROM ledger GROUP BY park_id, year, month"
)


class PeakRss:
    """Sample the RSS of this process and its children every 50 ms; ``peak`` in bytes."""

    def __init__(self):
        import psutil

        self.proc, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        while not self._stop.is_set():
            total = self.proc.memory_info().rss
            for child in self.proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def build_lake(workdir: Path, parks: int) -> Path:
    """Generate and export ``parks`` parks (not timed; reused when already there)."""
    from greenpark.lake.export import export_park
    from greenpark.lake.synthetic import SyntheticPark, build_park
    from greenpark.store import open_store

    lake = workdir / f"lake_{parks}"
    manifest = lake / "_manifest.json"
    done = set(json.loads(manifest.read_text())["parks"]) if manifest.exists() else set()
    if len(done) == parks:
        print(f"reusing {lake} ({parks} parks)")
        return lake
    started = time.perf_counter()
    for i in range(parks):
        if f"B{i:04d}" in done:  # an interrupted build resumes (the same spec, same bytes)
            continue
        spec = SyntheticPark(
            park_id=f"B{i:04d}",
            name_zh=f"基准园区{i}",
            province=("Jiangsu", "Zhejiang", "Guangdong", "Shandong")[i % 4],
            step_minutes=15,
            imp_kwh=25.0 + i % 17,
            pv_kwh=5.0 + i % 7,
            # (imp, pv) repeat every 17 x 7 = 119 parks; export steps up every 119 parks so
            # that no two parks have the same readings (the lake refuses duplicates)
            exp_kwh=0.5 + 0.25 * (i // 119),
            gas_nm3=1.25,
        )
        shutil.rmtree(workdir / "parks" / spec.park_id, ignore_errors=True)  # a crashed run's
        db = build_park(spec, workdir / "parks" / spec.park_id)
        with open_store(db, read_only=True) as store:
            export_park(store, lake)
        db.unlink()  # the lake is what is measured; keep the disk small
        if (i + 1) % 10 == 0:
            print(f"  {i + 1}/{parks} parks exported ({time.perf_counter() - started:.0f} s)")
    return lake


def register_anchor(engine, lake: Path) -> None:
    """The readings and ledger tables, each one scan of its directory (as the roll-up
    reads them: :meth:`register_table` of greenpark's engines)."""
    from greenpark.lake.layout import TABLES

    for table in ("readings", "ledger"):
        kwargs = {"columns": TABLES[table]} if engine.name == "spark" else {}
        engine.register_table(table, str(lake / table), True, **kwargs)


def time_engine(name: str, lake: Path, repeat: int, session=None) -> dict:
    """Anchor and greenpark on one engine, interleaved."""
    from greenpark.lake.engines import open_engine
    from greenpark.lake.rollup import rollup

    out = {"anchor_s": [], "greenpark_s": []}
    anchor_engine = open_engine(name, session=session)
    register_anchor(anchor_engine, lake)
    if name == "spark":
        started = time.perf_counter()
        rollup(lake, "2025", engine=name, session=session)
        out["first_run_s"] = time.perf_counter() - started
    for _ in range(repeat):
        started = time.perf_counter()
        anchor = anchor_engine.sql(ANCHOR_SQL)
        anchor_engine.sql(ANCHOR_LEDGER_SQL)
        out["anchor_s"].append(time.perf_counter() - started)
        started = time.perf_counter()
        result = rollup(lake, "2025", engine=name, session=session)
        out["greenpark_s"].append(time.perf_counter() - started)
    if name == "duckdb":
        anchor_engine.close()
    out["rows"] = int(anchor["n"].sum())
    parks = result.inputs["parks"].set_index("park_id")["grid_import_kwh"]
    out["mismatches"] = _mismatches(lake, parks)
    return out


def _mismatches(lake: Path, parks) -> int:
    """Parks whose roll-up grid import differs from a direct sum of their import meter
    (``IMP`` in every generated park) over the readings files."""
    import duckdb

    files = [str(p) for p in sorted(lake.glob("readings/park_id=*/year=*/month=*/*.parquet"))]
    con = duckdb.connect()
    imp = dict(
        con.execute(
            "SELECT park_id, SUM(value) FROM read_parquet(?, hive_partitioning = true) "
            "WHERE meter_id = 'IMP' GROUP BY park_id",
            [files],
        ).fetchall()
    )
    con.close()
    return sum(1 for p, v in parks.items() if abs(v - imp[p]) > 1e-9 * max(abs(imp[p]), 1.0))


def report(name: str, m: dict) -> bool:
    anchor, ours = statistics.median(m["anchor_s"]), statistics.median(m["greenpark_s"])
    ratio = ours / anchor
    ok = ratio <= TARGET_RATIO and m["mismatches"] == 0
    print(f"[{name}] readings: {m['rows']:,}")
    if "first_run_s" in m:
        print(f"[{name}] first roll-up (JVM warm-up, not counted): {m['first_run_s']:.2f} s")
    rate = m["rows"] / anchor
    print(f"[{name}] anchor (bare park-month sums): {anchor:.2f} s  {rate:,.0f} rows/s")
    print(
        f"[{name}] greenpark rollup: {ours:.2f} s  {m['rows'] / ours:,.0f} rows/s  "
        f"{ours / m['rows'] * 1e9:.1f} ns/row  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x)"
    )
    print(f"[{name}] peak RSS (process + children): {m['peak_rss'] / 2**20:,.0f} MiB")
    print(f"[{name}] parks whose grid import differs from the anchor: {m['mismatches']}")
    print(f"[{name}] {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=HERE / "_data")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--quick", action="store_true", help="10 parks, 1 repeat")
    args = parser.parse_args(argv)
    if args.quick:
        args.parks, args.repeat = 10, 1
    args.workdir.mkdir(parents=True, exist_ok=True)
    lake = build_lake(args.workdir, args.parks)
    ok = True
    with PeakRss() as rss:
        measured = time_engine("duckdb", lake, args.repeat)
    measured["peak_rss"] = rss.peak
    ok &= report("duckdb", measured)
    from greenpark.lake.engines import spark_session

    with PeakRss() as rss:
        session = spark_session(args.master, {"spark.sql.shuffle.partitions": "4"})
        try:
            measured = time_engine("spark", lake, args.repeat, session=session)
        finally:
            session.stop()
    measured["peak_rss"] = rss.peak
    ok &= report("spark", measured)
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
