#!/usr/bin/env python
"""Benchmark: the monthly report (HTML + audit workbook + summary.json) for the
35M-reading park, end to end as a CLI process. Target: under 10 s.

The park is ``bench_carbon.py``'s (1,000 meters x 366 days x 15 min, with grid import,
PV, natural gas and 997 enterprise submeters). The report month is the last month of
the data, so its previous month and year-to-date comparisons are computed too.

Usage::

    python benchmarks/bench_report.py            # full size (35M readings)
    python benchmarks/bench_report.py --small    # 50 meters x 30 days
    python benchmarks/bench_report.py --reuse    # keep an existing benchmark database
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_carbon  # noqa: E402 - sibling script, shares the data set

TARGET_S = 10.0


def last_month(db: Path) -> str:
    from greenpark.core.periods import to_local
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        last = store.con.execute("SELECT max(ts) FROM readings").fetchone()[0]
        return to_local(last, store.park().timezone).strftime("%Y-%m")


def measure(db: Path, month: str, repeat: int) -> dict:
    """Time the CLI end to end (process start to files written) and the Python API."""
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    out = {"month": month}
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-c",
            "from greenpark.cli import main; main()",
            "--db",
            str(db),
            "report",
            "monthly",
            "--month",
            month,
            "--output",
            tmp,
        ]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        out["cli_s"], out["cli_median_s"] = min(times), statistics.median(times)
        with open_store(db, read_only=True) as store:
            started = time.perf_counter()
            files = write_report(store, "monthly", month, output=tmp)
            out["api_s"] = time.perf_counter() - started
        out["html_kb"] = files.html.stat().st_size / 1024
        out["xlsx_kb"] = files.xlsx.stat().st_size / 1024
    return out


def report(m: dict, readings: int) -> None:
    verdict = "PASS" if m["cli_s"] <= TARGET_S else "FAIL"
    print(f"monthly report {m['month']} of a park with {readings:,} readings")
    print(
        f"greenpark report monthly (CLI process, end to end): best {m['cli_s']:.2f} s, "
        f"median {m['cli_median_s']:.2f} s  (target <= {TARGET_S:.0f} s) {verdict}"
    )
    print(f"write_report (Python API, warm): {m['api_s']:.2f} s")
    print(f"report.html {m['html_kb']:,.0f} KB, report.xlsx {m['xlsx_kb']:,.0f} KB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_data")
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="50 meters x 30 days")
    parser.add_argument(
        "--reuse", action="store_true", help="use the existing carbon.duckdb of --workdir"
    )
    args = parser.parse_args(argv)
    if args.small:
        args.meters, args.days = 50, 30
    db = args.workdir / "carbon.duckdb"
    if not (args.reuse and db.exists()):
        db = bench_carbon.build(args.workdir, args.meters, args.days)
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        readings = store.con.execute("SELECT count(*) FROM readings").fetchone()[0]
    report(measure(db, last_month(db), args.repeat), readings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
