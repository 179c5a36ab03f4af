#!/usr/bin/env python
"""Benchmark: ``data_quality`` for one month against the bare DuckDB monthly GROUP BY.

Round by round, interleaved (so that machine load hits both alike):

(a) the anchor: the bare monthly sum of the park's readings table, fetched
    (``BARE_SQL``, the same query as ``bench_carbon.py``'s and ``bench_report.py``'s);
(b) :func:`greenpark.metrics.quality.data_quality` for the month on a freshly opened
    store (nothing cached: its one scan for the per-meter sums included).

Target (issue 10, item 3): (b)'s median <= 0.5x (a)'s median. Exit status 1 when it is
missed, 0 otherwise.

Usage::

    python benchmarks/bench_quality.py                    # the 35M park of bench_carbon.py
    python benchmarks/bench_quality.py --db park.duckdb --month 2025-06 --repeat 9
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_carbon import BARE_SQL  # noqa: E402 - sibling script, the one anchor query

TARGET_RATIO = 0.5


def last_month(db: Path) -> str:
    """The last calendar month (park time) with readings, ``YYYY-MM``."""
    from greenpark.core.periods import to_local
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        last = store.con.execute("SELECT max(ts) FROM readings").fetchone()[0]
        if last is None:
            raise SystemExit(f"{db}: no readings")
        return to_local(last, store.park().timezone).strftime("%Y-%m")


def run_bare(db: Path) -> float:
    """Wall time [s] of the bare monthly GROUP BY, fetched."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        started = time.perf_counter()
        con.execute(BARE_SQL).fetchall()
        return time.perf_counter() - started
    finally:
        con.close()


def run_quality(db: Path, month: str) -> tuple[float, int]:
    """Wall time [s] of ``data_quality`` for ``month`` on a fresh store; its findings."""
    from greenpark.metrics.quality import data_quality
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        started = time.perf_counter()
        result = data_quality(store, month)
        return time.perf_counter() - started, len(result.findings)


def measure(db: Path, month: str, repeat: int) -> dict:
    run_bare(db)  # warm-up: imports, OS file cache
    run_quality(db, month)
    bare, quality = [], []
    for _ in range(repeat):
        bare.append(run_bare(db))
        seconds, findings = run_quality(db, month)
        quality.append(seconds)
    bare_s, quality_s = statistics.median(bare), statistics.median(quality)
    return {
        "bare_median_s": bare_s,
        "quality_median_s": quality_s,
        "ratio": quality_s / bare_s,
        "findings": findings,
        "bare_s": bare,
        "quality_s": quality,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=HERE / "_data" / "carbon.duckdb")
    parser.add_argument("--month", help="YYYY-MM in park time (default: the last one)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=TARGET_RATIO)
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} not found: build it with benchmarks/bench_carbon.py")
    month = args.month or last_month(args.db)
    m = measure(args.db, month, args.repeat)
    print(f"{args.db}: data quality of {month}, {args.repeat} interleaved rounds (medians)")
    print(f"  (a) bare monthly GROUP BY: {m['bare_median_s']:.3f} s")
    print(
        f"  (b) data_quality: {m['quality_median_s']:.3f} s = {m['ratio']:.2f}x the bare "
        f"query ({m['findings']} findings)"
    )
    ok = m["ratio"] <= args.max_ratio
    print(f"  target <= {args.max_ratio:g}x the bare query: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
