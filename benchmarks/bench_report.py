#!/usr/bin/env python
"""Benchmark: the monthly report against the bare DuckDB monthly GROUP BY, same run.

For each park, interleaved round by round (so that machine load hits all three alike):

(a) the anchor: the bare monthly sum of the park's readings table, fetched
    (``BARE_SQL``, the same query as ``bench_carbon.py``'s);
(b) ``greenpark report monthly`` as a separate CLI process, end to end (process start to
    report.html, report.xlsx and summary.json written), with its peak RSS;
(c) ``write_report`` through the Python API on a freshly opened store (a warm process).

Parks:

* the 35M-reading park of ``bench_carbon.py`` (1,000 meters x 366 days x 15 min);
  targets (issue 10): CLI median <= 3 s and <= 3x the bare query;
* the 5-meter park of ``tests/report_park.py`` (5 meters, hourly, November and December
  2025); target: CLI median <= 1 s.

The report month is the last month of each park's data. Exit status 1 when a target is
missed, 0 otherwise.

Usage::

    python benchmarks/bench_report.py                # both parks (builds the 35M park)
    python benchmarks/bench_report.py --small-park   # the 5-meter park only (seconds)
    python benchmarks/bench_report.py --reuse        # keep an existing 35M database
    python benchmarks/bench_report.py --small        # 50 meters x 30 days instead of 35M
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench_carbon  # noqa: E402 - sibling script, builds the 35M park

BARE_SQL = bench_carbon.BARE_SQL
LARGE_TARGET_S = 3.0
LARGE_TARGET_RATIO = 3.0
SMALL_TARGET_S = 1.0


def last_month(db: Path) -> str:
    """The last calendar month (park time) with readings, ``YYYY-MM``."""
    from greenpark.core.periods import to_local
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        last = store.con.execute("SELECT max(ts) FROM readings").fetchone()[0]
        return to_local(last, store.park().timezone).strftime("%Y-%m")


def readings_of(db: Path) -> int:
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        return store.con.execute("SELECT count(*) FROM readings").fetchone()[0]


def cli_command(db: Path, month: str, out: str) -> list[str]:
    """The installed console script when there is one (what a user runs)."""
    script = Path(sys.executable).with_name("greenpark")
    fallback = [sys.executable, "-c", "from greenpark.cli import main; main()"]
    head = [str(script)] if script.is_file() else fallback
    return [*head, "--db", str(db), "report", "monthly", "--month", month, "--output", out]


def run_cli(cmd: list[str]) -> tuple[float, float]:
    """Wall time [s] and peak RSS [MB] of one CLI process.

    The peak is the child's own ``VmHWM`` (Linux, high-water mark since its exec), read
    every 10 ms until it exits; ``ru_maxrss`` of ``wait4`` would also count the pages the
    child inherited from this (large) benchmark process when it was forked.
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        peak_kb = 0
        while proc.poll() is None:
            peak_kb = max(peak_kb, _vm_hwm_kb(proc.pid))
            time.sleep(0.01)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')}")
    return wall, peak_kb / 1024


def _vm_hwm_kb(pid: int) -> int:
    """Peak resident set size of a running process [KB] (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_bare(db: Path) -> tuple[float, int]:
    """Wall time [s] of the bare monthly GROUP BY, fetched; and its number of groups."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        started = time.perf_counter()
        rows = con.execute(BARE_SQL).fetchall()
        return time.perf_counter() - started, len(rows)
    finally:
        con.close()


def run_api(db: Path, month: str, out: str) -> float:
    """Wall time [s] of ``write_report`` on a freshly opened store."""
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    started = time.perf_counter()
    with open_store(db, read_only=True) as store:
        write_report(store, "monthly", month, output=out)
    return time.perf_counter() - started


def measure(db: Path, repeat: int) -> dict:
    """Interleaved rounds of (a) bare query, (b) CLI process, (c) Python API."""
    month = last_month(db)
    bare, cli, rss, api = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = cli_command(db, month, tmp)
        run_api(db, month, tmp)  # warm-up: imports, OS file cache
        for _ in range(repeat):
            seconds, groups = run_bare(db)
            bare.append(seconds)
            seconds, peak = run_cli(cmd)
            cli.append(seconds)
            rss.append(peak)
            api.append(run_api(db, month, tmp))
        folder = next(Path(tmp).glob(f"*/{month}"))
        sizes = {p.name: p.stat().st_size / 1024 for p in folder.iterdir()}
    return {
        "db": str(db),
        "month": month,
        "readings": readings_of(db),
        "groups": groups,
        "repeat": repeat,
        "bare_median_s": statistics.median(bare),
        "cli_median_s": statistics.median(cli),
        "api_median_s": statistics.median(api),
        "cli_peak_rss_mb": max(rss),
        "bare_s": bare,
        "cli_s": cli,
        "api_s": api,
        "ratio": statistics.median(cli) / statistics.median(bare),
        "files_kb": sizes,
    }


def verdicts(name: str, m: dict) -> list[tuple[str, bool]]:
    """(target text, met) of a park."""
    if name == "small":
        return [(f"CLI median <= {SMALL_TARGET_S:.0f} s", m["cli_median_s"] <= SMALL_TARGET_S)]
    return [
        (f"CLI median <= {LARGE_TARGET_S:.0f} s", m["cli_median_s"] <= LARGE_TARGET_S),
        (f"CLI <= {LARGE_TARGET_RATIO:.0f}x the bare query", m["ratio"] <= LARGE_TARGET_RATIO),
    ]


def show(name: str, m: dict) -> bool:
    print(f"\n{name} park: {m['readings']:,} readings, report month {m['month']}")
    print(
        f"  (a) bare monthly GROUP BY ({m['groups']:,} groups): median {m['bare_median_s']:.3f} s"
    )
    print(
        f"  (b) greenpark report monthly (CLI process): median {m['cli_median_s']:.3f} s "
        f"= {m['ratio']:.2f}x the bare query; peak RSS {m['cli_peak_rss_mb']:,.0f} MB"
    )
    print(f"  (c) write_report (Python API, fresh store): median {m['api_median_s']:.3f} s")
    ok = True
    for text, met in verdicts(name, m):
        print(f"  target {text}: {'PASS' if met else 'FAIL'}")
        ok &= met
    return ok


def machine() -> dict:
    import duckdb
    import pandas

    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
    }


def small_park(workdir: Path) -> Path:
    from report_park import make_report_park

    folder = workdir / "report_park"
    db = folder / "park.duckdb"
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        make_report_park(folder)
    return db


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_data")
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", action="store_true", help="50 meters x 30 days, not 35M")
    parser.add_argument("--small-park", action="store_true", help="the 5-meter park only")
    parser.add_argument("--reuse", action="store_true", help="reuse --workdir's carbon.duckdb")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    args = parser.parse_args(argv)
    if args.small:
        args.meters, args.days = 50, 30
    parks = {"small": small_park(args.workdir)}
    if not args.small_park:
        db = args.workdir / "carbon.duckdb"
        if not (args.reuse and db.exists()):
            db = bench_carbon.build(args.workdir, args.meters, args.days)
        parks["large"] = db
    results = {"machine": machine()}
    ok = True
    for name, db in parks.items():
        results[name] = measure(db, args.repeat)
        ok &= show(name, results[name])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
