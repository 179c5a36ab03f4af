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

``--demo`` times ``greenpark demo`` (the default, fresh build of the demo park from
``datasets/demo-park/`` and its monthly report in ``reports/``) as a CLI process, in
interleaved rounds with its anchor: a process that only imports the libraries the demo
needs (pandas, DuckDB, pvlib, pint, Jinja2, XlsxWriter, openpyxl), the floor no change in
greenpark can go below. Target (issue 18): demo median <= 4 s.

Every CLI process runs with greenpark's bytecode cached (``PYTHONPYCACHEPREFIX`` under
``--workdir``, written by a warm-up run), as an installed package has it (pip compiles it
at install time): a checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
greenpark's 100-odd modules in every process (about 0.15 s). Each CLI figure comes with the
child's own CPU time (user + system, from ``wait4``); the load average is printed at the
start and the end of the run.

The report month is the last month of each park's data. Exit status 1 when a target is
missed, 0 otherwise.

Usage::

    python benchmarks/bench_report.py                # both parks (builds the 35M park)
    python benchmarks/bench_report.py --small-park   # the 5-meter park only (seconds)
    python benchmarks/bench_report.py --reuse        # keep an existing 35M database
    python benchmarks/bench_report.py --small        # 50 meters x 30 days instead of 35M
    python benchmarks/bench_report.py --demo         # greenpark demo only
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
DEMO_TARGET_S = 4.0
DEMO_LIBRARIES = "import pandas, duckdb, pvlib, pint, jinja2, xlsxwriter, openpyxl"


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


def cli_head() -> list[str]:
    """The installed console script when there is one (what a user runs)."""
    script = Path(sys.executable).with_name("greenpark")
    fallback = [sys.executable, "-c", "from greenpark.cli import main; main()"]
    return [str(script)] if script.is_file() else fallback


def cli_command(db: Path, month: str, out: str) -> list[str]:
    return [*cli_head(), "--db", str(db), "report", "monthly", "--month", month, "--output", out]


def child_env(workdir: Path) -> dict:
    """The environment of every measured process: greenpark's bytecode cached under
    ``workdir`` (as an installed package has it), not recompiled in every process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(workdir).resolve() / "_pycache")
    return env


def run_cli(cmd: list[str], env: dict | None = None, cwd=None) -> tuple[float, float, float]:
    """Wall time [s], CPU time [s] and peak RSS [MB] of one CLI process.

    CPU is the child's own user + system time (all its threads), from ``wait4``. The
    peak is the child's own ``VmHWM`` (Linux, high-water mark since its exec), read
    every 10 ms until it exits; ``ru_maxrss`` of ``wait4`` would also count the pages the
    child inherited from this (large) benchmark process when it was forked.
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _vm_hwm_kb(proc.pid))
            time.sleep(0.01)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


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


def measure(db: Path, repeat: int, env: dict) -> dict:
    """Interleaved rounds of (a) bare query, (b) CLI process, (c) Python API."""
    month = last_month(db)
    bare, cli, cpu, rss, api = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = cli_command(db, month, tmp)
        run_api(db, month, tmp)  # warm-up: imports, OS file cache
        run_cli(cmd, env)  # warm-up: greenpark's bytecode cache
        for _ in range(repeat):
            seconds, groups = run_bare(db)
            bare.append(seconds)
            seconds, cpu_s, peak = run_cli(cmd, env)
            cli.append(seconds)
            cpu.append(cpu_s)
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
        "cli_cpu_median_s": statistics.median(cpu),
        "api_median_s": statistics.median(api),
        "cli_peak_rss_mb": max(rss),
        "bare_s": bare,
        "cli_s": cli,
        "cli_cpu_s": cpu,
        "api_s": api,
        "ratio": statistics.median(cli) / statistics.median(bare),
        "files_kb": sizes,
    }


def measure_demo(repeat: int, env: dict) -> dict:
    """Interleaved rounds of the anchor (the demo's library imports) and ``greenpark
    demo`` (fresh build and report), each its own process, in a temporary folder."""
    floor, demo, cpu, rss, floor_cpu = [], [], [], [], []
    anchor = [sys.executable, "-c", DEMO_LIBRARIES]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [*cli_head(), "demo", "--output", str(Path(tmp) / "demo.duckdb")]
        run_cli(cmd, env, cwd=tmp)  # warm-up: bytecode cache, OS file cache
        for i in range(repeat):
            for who in ("anchor", "demo") if i % 2 == 0 else ("demo", "anchor"):
                if who == "anchor":
                    seconds, cpu_s, _ = run_cli(anchor, env, cwd=tmp)
                    floor.append(seconds)
                    floor_cpu.append(cpu_s)
                else:
                    seconds, cpu_s, peak = run_cli(cmd, env, cwd=tmp)
                    demo.append(seconds)
                    cpu.append(cpu_s)
                    rss.append(peak)
        reports = sorted(p.name for p in (Path(tmp) / "reports" / "demo-park").glob("*/*"))
    return {
        "repeat": repeat,
        "anchor": DEMO_LIBRARIES,
        "anchor_median_s": statistics.median(floor),
        "anchor_cpu_median_s": statistics.median(floor_cpu),
        "demo_median_s": statistics.median(demo),
        "demo_cpu_median_s": statistics.median(cpu),
        "demo_peak_rss_mb": max(rss),
        "anchor_s": floor,
        "demo_s": demo,
        "demo_cpu_s": cpu,
        "files": reports,
    }


def show_demo(m: dict) -> bool:
    print("\ndemo: greenpark demo (fresh build of datasets/demo-park and its report)")
    print(
        f"  anchor ({m['anchor']}): median {m['anchor_median_s']:.3f} s "
        f"(CPU {m['anchor_cpu_median_s']:.3f} s)"
    )
    print(
        f"  greenpark demo (CLI process): median {m['demo_median_s']:.3f} s "
        f"(CPU {m['demo_cpu_median_s']:.3f} s); peak RSS {m['demo_peak_rss_mb']:,.0f} MB"
    )
    print(f"  written: {', '.join(m['files'])}")
    ok = m["demo_median_s"] <= DEMO_TARGET_S and "report.html" in m["files"]
    print(f"  target demo median <= {DEMO_TARGET_S:.0f} s: {'PASS' if ok else 'FAIL'}")
    return ok


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
        f"= {m['ratio']:.2f}x the bare query (CPU {m['cli_cpu_median_s']:.3f} s); "
        f"peak RSS {m['cli_peak_rss_mb']:,.0f} MB"
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
        "load_average": os.getloadavg(),
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
    parser.add_argument("--demo", action="store_true", help="greenpark demo only")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    args = parser.parse_args(argv)
    if args.small:
        args.meters, args.days = 50, 30
    env = child_env(args.workdir)
    results = {"machine": machine()}
    print(f"load average at start: {_load()}")
    ok = True
    if args.demo:
        results["demo"] = measure_demo(args.repeat, env)
        ok &= show_demo(results["demo"])
    else:
        parks = {"small": small_park(args.workdir)}
        if not args.small_park:
            db = args.workdir / "carbon.duckdb"
            if not (args.reuse and db.exists()):
                db = bench_carbon.build(args.workdir, args.meters, args.days)
            parks["large"] = db
        for name, db in parks.items():
            results[name] = measure(db, args.repeat, env)
            ok &= show(name, results[name])
    results["load_average_end"] = os.getloadavg()
    print(f"\nload average at the end: {_load()} ({os.cpu_count()} CPUs)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
