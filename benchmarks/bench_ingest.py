"""Ingest benchmark: ``greenpark load readings`` against a bare DuckDB CSV import.

Generates ``--meters`` meters x ``--days`` days of 15-minute readings (default 1,000 x 366
= 35,136,000 rows) as one long CSV (``meter_id,timestamp,value``), then, in the same run:

1. **baseline** - a fresh Python process opens a fresh DuckDB file and runs
   ``CREATE TABLE t AS SELECT * FROM read_csv(?)`` and ``CHECKPOINT``;
2. **greenpark** - ``greenpark init`` and ``greenpark load meters`` (not timed), then
   ``greenpark load readings FILE`` as its own process (timed end to end);
3. **reload** - ``greenpark load readings FILE`` again on the same database (must report
   ``unchanged``);
4. **correctness** - row count of ``readings`` equals meters x intervals and its
   ``sum(value)`` equals the baseline table's within 1e-6 relative.

Times are wall-clock times of whole processes (interpreter start, imports, connect,
close included). Peak RSS is the kernel's high-water mark of the process's resident set
(``ru_maxrss`` of that one child, from ``os.wait4``).

Targets (issue "ingest benchmark"): greenpark / baseline <= 1.3, greenpark peak RSS
<= 1.5 GB, reload <= 2 s. The script always exits 0 unless something crashes; with
``--strict`` it exits 1 when a target or a correctness check fails.

Usage::

    python benchmarks/bench_ingest.py --small          # 50 meters x 30 days, seconds
    python benchmarks/bench_ingest.py --repeat 3       # full size, a few minutes per repeat
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_data"
INTERVALS_PER_DAY = 96  # 15-minute readings
START = "2024-01-01"  # 2024 is a leap year: 366 days
GENERATOR_VERSION = 1  # bump when the generated data changes (invalidates reused files)
TARGET_RATIO = 1.3
TARGET_RSS_GB = 1.5
TARGET_RELOAD_S = 2.0
SUM_RTOL = 1e-6
CLEAN_SHARE = 0.05  # a run is "clean" if other processes used < 5 % of all CPUs meanwhile
GB = 1e9

PARK_TOML = """\
[park]
id = "bench"
name = "Benchmark park"
latitude = 31.3
longitude = 120.7
province = "Jiangsu"
"""

BASELINE_CODE = """\
import sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[2]])
con.execute("CHECKPOINT")
con.close()
print(time.perf_counter() - t0)
"""

STEPS_CODE = """\
import json, sys, time
t0 = time.perf_counter()
from greenpark.loaders.readings import load_readings
from greenpark.store import open_store
marks = [(0.0, "start (imports)")]
def mark(text):
    marks.append((time.perf_counter() - t0, text))
with open_store(sys.argv[1]) as store:
    mark("database open")
    result = load_readings(store, sys.argv[2], progress=mark)[0]
    mark("load_readings returned (commit done)")
mark("closed")
print(json.dumps({"marks": marks, "status": result.status}))
"""


# ----------------------------------------------------------------------------- data
@dataclass
class Dataset:
    """The generated input files.

    Attributes
    ----------
    meters, days : int
        Size parameters.
    readings : Path
        Long readings CSV (``meter_id,timestamp,value``).
    meters_csv, park_toml : Path
        Meter register and park configuration for ``greenpark init`` / ``load meters``.
    reused : bool
        The readings CSV existed already and was not regenerated.
    generate_s : float
        Time spent generating it (0 when reused). [s]
    """

    meters: int
    days: int
    readings: Path
    meters_csv: Path
    park_toml: Path
    reused: bool = False
    generate_s: float = 0.0

    @property
    def rows(self) -> int:
        """Readings in the file (meters x intervals)."""
        return self.meters * self.days * INTERVALS_PER_DAY

    @property
    def size_bytes(self) -> int:
        """Size of the readings CSV. [bytes]"""
        return self.readings.stat().st_size


def meter_ids_sql(meters: int, column: str) -> str:
    """SQL expression for the meter id of 0-based meter number ``column``.

    Parameters
    ----------
    meters : int
        Number of meters (sets the zero-padded width, at least 4 digits).
    column : str
        SQL expression of the 0-based meter number.

    Returns
    -------
    str
        e.g. ``printf('M%04d', m + 1)`` -> ``M0001``.
    """
    width = max(4, len(str(meters)))
    return f"printf('M%0{width}d', {column} + 1)"


def readings_query(meters: int, days: int) -> str:
    """SELECT producing the readings, ordered by meter then time.

    One ``range`` over meter x interval keeps the order without a sort. Values are
    interval energy [kWh]: a per-meter base load scaled by a working-day profile
    (peak early afternoon), a weekend dip, a summer/winter swing and +-10 % noise from a
    hash (deterministic), rounded to 3 decimals.

    Parameters
    ----------
    meters, days : int
        Size of the data set.

    Returns
    -------
    str
        SQL text (numbers only are interpolated).
    """
    n = int(days) * INTERVALS_PER_DAY
    total = int(meters) * n
    return f"""
        WITH g AS (
            SELECT i // {n} AS m, i % {n} AS s, hash(i) AS h FROM range({total}) r(i)
        ), f AS (
            SELECT m, s, h,
                   2 + (hash(m) % 1000) / 10.0 AS base,
                   (s % {INTERVALS_PER_DAY}) / 4.0 AS hour,
                   (s // {INTERVALS_PER_DAY}) AS day
            FROM g
        )
        SELECT {meter_ids_sql(meters, "m")} AS meter_id,
               TIMESTAMP '{START}' + to_minutes(s * 15) AS timestamp,
               CAST(round(base
                     * (0.3 + 0.7 * greatest(0, sin(pi() * (hour - 6) / 14)))
                     * CASE WHEN day % 7 >= 5 THEN 0.45 ELSE 1.0 END
                     * (1 + 0.2 * cos(2 * pi() * (day - 200) / 366))
                     * (0.9 + 0.2 * (h % 10000) / 10000.0), 3) AS DECIMAL(12, 3)) AS value
        FROM f
    """  # noqa: S608 - only numbers are interpolated


def write_readings_csv(path: Path, meters: int, days: int) -> float:
    """Write the readings CSV with DuckDB ``COPY ... TO`` (atomically, via a temp name).

    Parameters
    ----------
    path : Path
        Destination file.
    meters, days : int
        Size of the data set.

    Returns
    -------
    float
        Seconds taken. [s]
    """
    tmp = path.with_name(path.name + ".tmp")
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        target = str(tmp).replace("'", "''")
        con.execute(
            f"COPY ({readings_query(meters, days)}) TO '{target}' "  # noqa: S608
            "(FORMAT csv, HEADER, DELIMITER ',')"
        )
    finally:
        con.close()
    os.replace(tmp, path)
    return time.perf_counter() - started


def write_meters_csv(path: Path, meters: int) -> None:
    """Write the meter register: ``M0001,electricity,submeter,kWh`` and so on.

    Parameters
    ----------
    path : Path
        Destination file.
    meters : int
        Number of meters.
    """
    width = max(4, len(str(meters)))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["meter_id", "carrier", "role", "unit"])
        for k in range(1, meters + 1):
            writer.writerow([f"M{k:0{width}d}", "electricity", "submeter", "kWh"])


def prepare_dataset(workdir: Path, meters: int, days: int) -> Dataset:
    """Generate the input files, reusing a readings CSV of the same size if present.

    Parameters
    ----------
    workdir : Path
        Where the files go (created if needed).
    meters, days : int
        Size of the data set.

    Returns
    -------
    Dataset
    """
    workdir.mkdir(parents=True, exist_ok=True)
    stem = f"{meters}m_{days}d_v{GENERATOR_VERSION}"
    data = Dataset(
        meters,
        days,
        workdir / f"readings_{stem}.csv",
        workdir / f"meters_{meters}m.csv",
        workdir / "park.toml",
    )
    data.park_toml.write_text(PARK_TOML, encoding="utf-8")
    write_meters_csv(data.meters_csv, meters)
    if data.readings.is_file():
        data.reused = True
        print(f"reusing existing {data.readings} ({data.size_bytes / GB:.2f} GB)", flush=True)
        return data
    print(f"generating {data.rows:,} readings -> {data.readings} ...", flush=True)
    data.generate_s = write_readings_csv(data.readings, meters, days)
    print(f"  done in {data.generate_s:.1f} s ({data.size_bytes / GB:.2f} GB)", flush=True)
    return data


# ------------------------------------------------------------------------ processes
@dataclass
class ProcRun:
    """One measured child process.

    Attributes
    ----------
    seconds : float
        Wall clock from spawn to reap. [s]
    cpu_seconds : float
        User + system CPU time of the child (all its threads). [s]
    peak_rss : int
        Peak resident set size of the child (``ru_maxrss``). [bytes]
    returncode : int
    stdout, stderr : str
    other_cpu_seconds : float or None
        CPU time the rest of the machine used meanwhile (busy time of all CPUs from
        ``/proc/stat`` minus the child's); a measure of interference. [s]
    """

    seconds: float
    cpu_seconds: float
    peak_rss: int
    returncode: int
    stdout: str
    stderr: str
    other_cpu_seconds: float | None = None


def busy_cpu_seconds() -> float | None:
    """CPU time all CPUs have spent busy since boot, from ``/proc/stat`` (Linux).

    Returns
    -------
    float or None
        user + nice + system + irq + softirq + steal [s]; None where unavailable.
    """
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_idle(max_wait: float, threshold: float = 0.1, window: float = 1.0) -> float:
    """Wait until other work uses under ``threshold`` CPUs for two windows in a row.

    For shared machines: a timed run that competes with someone's test suite measures
    the test suite. Gives up after ``max_wait`` seconds (and says so).

    Parameters
    ----------
    max_wait : float
        Longest wait; 0 returns at once. [s]
    threshold : float
        Busy CPUs (e.g. 0.1 = 10 % of one core) below which the machine counts as idle.
    window : float
        Sampling window. [s]

    Returns
    -------
    float
        Seconds waited.
    """
    started = time.perf_counter()
    quiet = 0
    while max_wait > 0 and quiet < 2:
        before = busy_cpu_seconds()
        if before is None:
            break
        time.sleep(window)
        quiet = quiet + 1 if (busy_cpu_seconds() - before) / window < threshold else 0
        if time.perf_counter() - started > max_wait:
            print(f"    (machine still busy after {max_wait:.0f} s; measuring anyway)", flush=True)
            break
    return time.perf_counter() - started


def run_measured(cmd: list[str], wait_idle: float = 0.0) -> ProcRun:
    """Run ``cmd``, timing it and reading its own peak RSS from ``os.wait4``.

    ``wait4`` returns the resource usage of exactly that child, so earlier or larger
    children (unlike ``RUSAGE_CHILDREN``, a maximum over all of them) do not interfere.
    Output goes to temporary files, so a chatty child cannot block on a full pipe.

    Parameters
    ----------
    cmd : list of str
        Command and arguments.
    wait_idle : float
        First wait up to this long for the machine to be idle (:func:`wait_for_idle`). [s]

    Returns
    -------
    ProcRun
    """
    wait_for_idle(wait_idle)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        busy = busy_cpu_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        busy_after = busy_cpu_seconds()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        cpu = usage.ru_utime + usage.ru_stime
        other = None if busy is None else max(0.0, busy_after - busy - cpu)
        return ProcRun(
            seconds, cpu, usage.ru_maxrss * scale, proc.returncode, out.read(), err.read(), other
        )


def run_checked(cmd: list[str], what: str, wait_idle: float = 0.0) -> ProcRun:
    """:func:`run_measured`, raising when the command fails.

    Parameters
    ----------
    cmd : list of str
        Command and arguments.
    what : str
        Name of the step for the error message.
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    ProcRun

    Raises
    ------
    RuntimeError
        The command exited non-zero (its stderr is included).
    """
    run = run_measured(cmd, wait_idle)
    if run.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {run.returncode}): {' '.join(cmd)}\n{run.stderr}{run.stdout}"
        )
    return run


def greenpark_cmd() -> list[str]:
    """The ``greenpark`` console script of this interpreter's environment.

    Returns
    -------
    list of str
        The script path, or ``python -c`` calling ``greenpark.cli.main`` if absent.
    """
    script = Path(sys.executable).parent / "greenpark"
    if script.is_file():
        return [str(script)]
    found = shutil.which("greenpark")
    if found:
        return [found]
    return [sys.executable, "-c", "from greenpark.cli import main; main()"]


def remove_db(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if present.

    Parameters
    ----------
    path : Path
        The database file.
    """
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


# -------------------------------------------------------------------------- measures
def run_baseline(data: Dataset, db: Path, wait_idle: float = 0.0) -> dict:
    """Time a bare DuckDB import of the CSV in a fresh process and a fresh file.

    Parameters
    ----------
    data : Dataset
        The input files.
    db : Path
        Database file to create (deleted first).
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    dict
        ``seconds`` (process wall clock), ``inner_seconds`` (from ``import duckdb`` to
        ``close``, measured in the child), ``cpu_seconds``, ``other_cpu_seconds``,
        ``peak_rss`` [bytes].
    """
    remove_db(db)
    run = run_checked(
        [sys.executable, "-c", BASELINE_CODE, str(db), str(data.readings)], "baseline", wait_idle
    )
    return {
        "seconds": run.seconds,
        "inner_seconds": float(run.stdout.strip().splitlines()[-1]),
        "cpu_seconds": run.cpu_seconds,
        "other_cpu_seconds": run.other_cpu_seconds,
        "peak_rss": run.peak_rss,
    }


def setup_greenpark(data: Dataset, db: Path) -> None:
    """``greenpark init`` and ``greenpark load meters`` on a fresh database (not timed).

    Parameters
    ----------
    data : Dataset
        The input files.
    db : Path
        Database file to create (deleted first).
    """
    remove_db(db)
    gp = [*greenpark_cmd(), "--db", str(db)]
    run_checked([*gp, "init", "--config", str(data.park_toml)], "greenpark init")
    run_checked([*gp, "load", "meters", str(data.meters_csv)], "greenpark load meters")


def load_with_cli(data: Dataset, db: Path, wait_idle: float = 0.0) -> dict:
    """Time ``greenpark load readings FILE --format json`` as a whole process.

    Parameters
    ----------
    data : Dataset
        The input files.
    db : Path
        Initialised park database.
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    dict
        ``seconds`` (process wall clock), ``cpu_seconds``, ``other_cpu_seconds``,
        ``peak_rss`` [bytes], and ``status``,
        ``rows_inserted``, ``load_seconds`` (greenpark's own timing) from its output.
    """
    run = run_checked(
        [
            *greenpark_cmd(),
            "--db",
            str(db),
            "load",
            "readings",
            "--format",
            "json",
            str(data.readings),
        ],
        "greenpark load readings",
        wait_idle,
    )
    record = json.loads(run.stdout)[0]
    return {
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "other_cpu_seconds": run.other_cpu_seconds,
        "peak_rss": run.peak_rss,
        "status": record["status"],
        "rows_inserted": record["rows_inserted"],
        "load_seconds": record["seconds"],
    }


def table_stats(db: Path, table: str) -> tuple[int, float]:
    """Row count and ``sum(value)`` of a table, read-only.

    Parameters
    ----------
    db : Path
        Database file.
    table : str
        ``t`` (baseline) or ``readings`` (greenpark).

    Returns
    -------
    tuple of (int, float)
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*), sum(value) FROM {table}").fetchone()  # noqa: S608
    finally:
        con.close()


def check_correctness(data: Dataset, base_db: Path, gp_db: Path) -> dict:
    """Compare greenpark's ``readings`` with the expected size and the baseline table.

    Parameters
    ----------
    data : Dataset
        The input files (expected rows = meters x intervals).
    base_db, gp_db : Path
        Baseline and greenpark databases after their loads.

    Returns
    -------
    dict
        Counts, sums, relative difference and ``ok``.
    """
    base_rows, base_sum = table_stats(base_db, "t")
    gp_rows, gp_sum = table_stats(gp_db, "readings")
    rel = abs(gp_sum - base_sum) / max(abs(base_sum), 1e-300)
    ok = gp_rows == data.rows == base_rows and rel <= SUM_RTOL
    return {
        "expected_rows": data.rows,
        "baseline_rows": base_rows,
        "greenpark_rows": gp_rows,
        "baseline_sum": base_sum,
        "greenpark_sum": gp_sum,
        "sum_rel_diff": rel,
        "ok": ok,
    }


def run_steps(data: Dataset, db: Path, wait_idle: float = 0.0) -> dict:
    """Where greenpark's load spends its time, from its progress callbacks (diagnostic).

    Runs ``load_readings`` through the Python API in a fresh process on a fresh database.
    The fast path reports ``reading`` / ``checking rows``; the careful path
    ``reading every row`` / ``storing``.

    Parameters
    ----------
    data : Dataset
        The input files.
    db : Path
        Database file to use (recreated).
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    dict
        ``marks`` (seconds since start, text), ``path`` (fast/careful), ``status``,
        ``seconds``, ``peak_rss``.
    """
    setup_greenpark(data, db)
    run = run_checked(
        [sys.executable, "-c", STEPS_CODE, str(db), str(data.readings)],
        "greenpark load (steps)",
        wait_idle,
    )
    out = json.loads(run.stdout.strip().splitlines()[-1])
    texts = " ".join(text for _, text in out["marks"])
    path = "careful" if "reading every row" in texts else "fast"
    return {**out, "path": path, "seconds": run.seconds, "peak_rss": run.peak_rss}


# ---------------------------------------------------------------------------- repeats
@dataclass
class Repeat:
    """Numbers from one repeat (see the measure functions for the keys)."""

    order: str
    baseline: dict = field(default_factory=dict)
    greenpark: dict = field(default_factory=dict)
    reload: dict = field(default_factory=dict)
    correctness: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """greenpark / baseline wall time."""
        return self.greenpark["seconds"] / self.baseline["seconds"]

    @property
    def clean(self) -> bool:
        """Neither timed run shared the machine with much other work (``CLEAN_SHARE``)."""

        def quiet(run: dict) -> bool:
            other = run.get("other_cpu_seconds")
            return other is not None and other <= CLEAN_SHARE * run["seconds"] * (
                os.cpu_count() or 1
            )

        return quiet(self.baseline) and quiet(self.greenpark)

    @property
    def cpu_ratio(self) -> float:
        """greenpark / baseline CPU time (user + system)."""
        return self.greenpark["cpu_seconds"] / self.baseline["cpu_seconds"]


def run_greenpark(data: Dataset, db: Path, wait_idle: float = 0.0) -> tuple[dict, dict]:
    """Set up, load (timed) and reload (timed) with the ``greenpark`` CLI.

    Parameters
    ----------
    data : Dataset
        The input files.
    db : Path
        Database file (recreated).
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    tuple of (dict, dict)
        First load and reload measures (:func:`load_with_cli`).
    """
    setup_greenpark(data, db)
    first = load_with_cli(data, db, wait_idle)
    again = load_with_cli(data, db, wait_idle)
    return first, again


def run_repeat(index: int, data: Dataset, workdir: Path, wait_idle: float = 0.0) -> Repeat:
    """One repeat: baseline and greenpark (order alternates), then the checks.

    Parameters
    ----------
    index : int
        0-based repeat number; even runs the baseline first, odd greenpark first.
    data : Dataset
        The input files.
    workdir : Path
        Where the databases go.
    wait_idle : float
        See :func:`run_measured`. [s]

    Returns
    -------
    Repeat
    """
    base_db, gp_db = workdir / "baseline.duckdb", workdir / "greenpark.duckdb"
    first = "baseline" if index % 2 == 0 else "greenpark"
    rep = Repeat(order=f"{first} first")
    for which in ["baseline", "greenpark"] if first == "baseline" else ["greenpark", "baseline"]:
        print(f"  repeat {index + 1}: {which} ...", flush=True)
        if which == "baseline":
            rep.baseline = run_baseline(data, base_db, wait_idle)
        else:
            rep.greenpark, rep.reload = run_greenpark(data, gp_db, wait_idle)
    rep.correctness = check_correctness(data, base_db, gp_db)
    print(
        f"  repeat {index + 1}: baseline {rep.baseline['seconds']:.2f} s, greenpark "
        f"{rep.greenpark['seconds']:.2f} s (ratio {rep.ratio:.2f}), greenpark peak RSS "
        f"{rep.greenpark['peak_rss'] / GB:.2f} GB, reload {rep.reload['seconds']:.2f} s "
        f"({rep.reload['status']})",
        flush=True,
    )
    return rep


# ---------------------------------------------------------------------------- summary
def machine_info() -> dict:
    """Describe the machine and software versions.

    Returns
    -------
    dict
        nproc, cpu, ram_gb, python, duckdb, greenpark, platform.
    """
    info = {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "ram_gb": None,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "platform": platform.platform(),
    }
    try:
        import greenpark

        info["greenpark"] = greenpark.__version__
    except ImportError:  # pragma: no cover - the benchmark needs greenpark anyway
        info["greenpark"] = "?"
    for line in _read_lines("/proc/cpuinfo"):
        if line.startswith("model name"):
            info["cpu"] = line.split(":", 1)[1].strip()
            break
    for line in _read_lines("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            info["ram_gb"] = round(int(line.split()[1]) * 1024 / GB, 1)
    return info


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def summarise(repeats: list[Repeat]) -> dict:
    """Medians over the repeats and the verdict for each target.

    Timing targets are judged on medians of all repeats; the RSS target on the largest
    peak of any repeat (a peak is a worst case, not a typical value). Medians over the
    clean repeats only (:attr:`Repeat.clean`) are given as well.

    Parameters
    ----------
    repeats : list of Repeat

    Returns
    -------
    dict
        Medians, maxima and a ``targets`` mapping name -> (value, limit, passed).
    """
    med = statistics.median
    s = {
        "baseline_s": med(r.baseline["seconds"] for r in repeats),
        "greenpark_s": med(r.greenpark["seconds"] for r in repeats),
        "ratio": med(r.ratio for r in repeats),
        "baseline_cpu_s": med(r.baseline["cpu_seconds"] for r in repeats),
        "greenpark_cpu_s": med(r.greenpark["cpu_seconds"] for r in repeats),
        "cpu_ratio": med(r.cpu_ratio for r in repeats),
        "greenpark_rss_gb": med(r.greenpark["peak_rss"] for r in repeats) / GB,
        "greenpark_rss_max_gb": max(r.greenpark["peak_rss"] for r in repeats) / GB,
        "baseline_rss_gb": med(r.baseline["peak_rss"] for r in repeats) / GB,
        "reload_s": med(r.reload["seconds"] for r in repeats),
        "reload_unchanged": all(r.reload["status"] == "unchanged" for r in repeats),
        "correct": all(r.correctness["ok"] for r in repeats),
    }
    clean = [r for r in repeats if r.clean]
    s["clean_repeats"] = len(clean)
    if clean:
        s["clean_baseline_s"] = med(r.baseline["seconds"] for r in clean)
        s["clean_greenpark_s"] = med(r.greenpark["seconds"] for r in clean)
        s["clean_ratio"] = med(r.ratio for r in clean)
    s["targets"] = {
        "ratio": (s["ratio"], TARGET_RATIO, s["ratio"] <= TARGET_RATIO),
        "greenpark peak RSS [GB]": (
            s["greenpark_rss_max_gb"],
            TARGET_RSS_GB,
            s["greenpark_rss_max_gb"] <= TARGET_RSS_GB,
        ),
        "reload [s]": (
            s["reload_s"],
            TARGET_RELOAD_S,
            s["reload_s"] <= TARGET_RELOAD_S and s["reload_unchanged"],
        ),
    }
    return s


def verdict(ok: bool) -> str:
    """``PASS`` or ``FAIL``."""
    return "PASS" if ok else "FAIL"


def print_repeats(repeats: list[Repeat]) -> None:
    """Print one line per repeat.

    Parameters
    ----------
    repeats : list of Repeat
    """
    print(
        f"{'repeat':>6} {'order':<16} {'base s':>7} {'gp s':>7} {'ratio':>6} "
        f"{'base cpu':>8} {'gp cpu':>7} {'cpu ratio':>9} {'gp RSS GB':>9} "
        f"{'base RSS GB':>11} {'reload s':>8} {'others cpu':>10} clean  check"
    )
    for i, r in enumerate(repeats, 1):
        b, g = r.baseline, r.greenpark
        print(
            f"{i:>6} {r.order:<16} {b['seconds']:>7.2f} "
            f"{g['seconds']:>7.2f} {r.ratio:>6.2f} {b['cpu_seconds']:>8.2f} "
            f"{g['cpu_seconds']:>7.2f} {r.cpu_ratio:>9.2f} {g['peak_rss'] / GB:>9.2f} "
            f"{b['peak_rss'] / GB:>11.2f} {r.reload['seconds']:>8.2f} "
            f"{_others(b):>4}/{_others(g):>5} {'yes' if r.clean else 'no':>5}  "
            f"{verdict(r.correctness['ok'])}"
        )


def _others(run: dict) -> str:
    other = run.get("other_cpu_seconds")
    return "?" if other is None else f"{other:.1f}"


def print_summary(
    data: Dataset, repeats: list[Repeat], s: dict, info: dict, steps: dict | None
) -> None:
    """Print the report: data, machine, per-repeat numbers, medians, targets, method.

    Parameters
    ----------
    data : Dataset
    repeats : list of Repeat
    s : dict
        From :func:`summarise`.
    info : dict
        From :func:`machine_info`.
    steps : dict or None
        From :func:`run_steps`, if run.
    """
    c = repeats[-1].correctness
    print("\n=== greenpark ingest benchmark ===")
    print(
        f"data      : {data.meters:,} meters x {data.days} days x 15 min = {data.rows:,} rows,"
        f" {data.size_bytes / GB:.2f} GB CSV ({'reused' if data.reused else 'generated'})"
    )
    print(
        f"machine   : nproc {info['nproc']}, {info['ram_gb']} GB RAM, {info['cpu']}; "
        f"Python {info['python']}, DuckDB {info['duckdb']}, greenpark {info['greenpark']}"
    )
    if os.environ.get("GREENPARK_MEMORY_LIMIT"):
        print(f"note      : GREENPARK_MEMORY_LIMIT={os.environ['GREENPARK_MEMORY_LIMIT']}")
    print()
    print_repeats(repeats)
    print(f"\nmedian of {len(repeats)} repeat(s):")
    print(
        f"  baseline (DuckDB CREATE TABLE AS read_csv + CHECKPOINT): {s['baseline_s']:.2f} s,"
        f" peak RSS {s['baseline_rss_gb']:.2f} GB"
    )
    print(
        f"  greenpark load readings:  {s['greenpark_s']:.2f} s, peak RSS "
        f"{s['greenpark_rss_gb']:.2f} GB (max {s['greenpark_rss_max_gb']:.2f} GB)"
    )
    print(
        f"  ratio greenpark/baseline: {s['ratio']:.2f} (CPU time: baseline "
        f"{s['baseline_cpu_s']:.2f} s, greenpark {s['greenpark_cpu_s']:.2f} s, "
        f"ratio {s['cpu_ratio']:.2f}; informational)"
    )
    if s["clean_repeats"]:
        print(
            f"  clean repeats only ({s['clean_repeats']} of {len(repeats)}): baseline "
            f"{s['clean_baseline_s']:.2f} s, greenpark {s['clean_greenpark_s']:.2f} s, "
            f"ratio {s['clean_ratio']:.2f}"
        )
    else:
        print(f"  clean repeats only: none of {len(repeats)} (the machine was busy)")
    print(
        f"  reload (same file):       {s['reload_s']:.2f} s "
        f"(status {'unchanged' if s['reload_unchanged'] else 'NOT unchanged'})"
    )
    print(
        f"  correctness: rows {c['greenpark_rows']:,} (expected {c['expected_rows']:,}), "
        f"sum rel. diff {c['sum_rel_diff']:.1e} (<= {SUM_RTOL:g}): {verdict(s['correct'])}"
    )
    if steps:
        print_steps(steps)
    print("\ntargets:")
    for name, (value, limit, ok) in s["targets"].items():
        print(f"  {name:<24} {value:8.2f}  <= {limit:<4}  {verdict(ok)}")
    print(
        "\nmethod: times are wall clock of whole child processes (interpreter start and "
        "imports included), from spawn to reap; both read the CSV from the page cache. "
        "CPU time is user + system time of the child from os.wait4(); 'others cpu' is "
        "the CPU time the rest of the machine used during the baseline/greenpark run "
        "(/proc/stat), i.e. interference; a repeat is clean when that stayed under "
        f"{CLEAN_SHARE:.0%} of all CPUs for both runs. "
        "Peak RSS is ru_maxrss of that one child from os.wait4() (the kernel's resident-"
        "set high-water mark, Python and libraries included). Timing targets use "
        "medians, the RSS target the largest peak of any repeat."
    )


def print_steps(steps: dict) -> None:
    """Print the step breakdown of the diagnostic load.

    Parameters
    ----------
    steps : dict
        From :func:`run_steps`.
    """
    print(
        f"\n  step breakdown (Python API, separate run: {steps['seconds']:.2f} s, "
        f"{steps['path']} path, status {steps['status']}):"
    )
    marks = steps["marks"]
    for (t0, text), (t1, _) in zip(marks, marks[1:], strict=False):
        print(f"    {t0:7.2f} s  +{t1 - t0:6.2f} s  {text}")
    print(f"    {marks[-1][0]:7.2f} s  end")


# ------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options.

    Parameters
    ----------
    argv : list of str, optional
        Defaults to ``sys.argv[1:]``.

    Returns
    -------
    argparse.Namespace
    """
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--meters", type=int, default=1000, help="number of meters (default 1000)")
    p.add_argument(
        "--days",
        type=int,
        default=366,
        help="days of 15-minute readings from 2024-01-01 (default 366)",
    )
    p.add_argument(
        "--small",
        action="store_true",
        help="quick smoke run: 50 meters x 30 days (overrides --meters/--days)",
    )
    p.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="where data and databases go (default benchmarks/_data, git-ignored)",
    )
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated CSV and the databases (a kept CSV is reused)",
    )
    p.add_argument("--repeat", type=int, default=1, help="repeats; medians are reported")
    p.add_argument(
        "--steps",
        action="store_true",
        help="also run one diagnostic load that reports where greenpark's time "
        "goes and whether it took the fast or the careful path",
    )
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each timed run, wait up to SECONDS for other processes to "
        "use < 10%% of a CPU (for shared machines; default 0: no wait)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write all numbers here")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when a target or a correctness check fails"
    )
    args = p.parse_args(argv)
    if args.small:
        args.meters, args.days = 50, 30
    if args.meters < 1 or args.days < 1 or args.repeat < 1:
        p.error("--meters, --days and --repeat must be at least 1")
    return args


def cleanup(workdir: Path, data: Dataset, keep: bool) -> None:
    """Delete databases and (unless it was reused) the generated CSV.

    Parameters
    ----------
    workdir : Path
    data : Dataset
    keep : bool
        Keep everything.
    """
    if keep:
        return
    for name in ("baseline.duckdb", "greenpark.duckdb", "steps.duckdb"):
        remove_db(workdir / name)
    if not data.reused:
        data.readings.unlink(missing_ok=True)


def write_json(
    path: Path, data: Dataset, repeats: list[Repeat], s: dict, info: dict, steps: dict | None
) -> None:
    """Write every number of the run as JSON.

    Parameters
    ----------
    path : Path
    data : Dataset
    repeats : list of Repeat
    s : dict
    info : dict
    steps : dict or None
    """
    doc = {
        "data": {
            "meters": data.meters,
            "days": data.days,
            "rows": data.rows,
            "csv_bytes": data.size_bytes,
            "reused": data.reused,
            "generate_s": data.generate_s,
        },
        "machine": info,
        "repeats": [{**asdict(r), "ratio": r.ratio, "cpu_ratio": r.cpu_ratio} for r in repeats],
        "summary": s,
        "steps": steps,
    }
    path.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments.

    Returns
    -------
    int
        0, or 1 with ``--strict`` when a target or check failed.
    """
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    info = machine_info()
    data = prepare_dataset(workdir, args.meters, args.days)
    try:
        repeats = [run_repeat(i, data, workdir, args.wait_idle) for i in range(args.repeat)]
        steps = None
        if args.steps:
            print("  diagnostic step run ...", flush=True)
            steps = run_steps(data, workdir / "steps.duckdb", args.wait_idle)
        s = summarise(repeats)
        print_summary(data, repeats, s, info, steps)
        if args.json:
            write_json(args.json, data, repeats, s, info, steps)
    finally:
        cleanup(workdir, data, args.keep)
    failed = not s["correct"] or not all(ok for _, _, ok in s["targets"].values())
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
