"""What every benchmark shares: measured child processes, interleaved rounds, verdicts.

A benchmark is a list of :class:`Case` objects. Each case runs its anchor (the reference
work in the same run) and greenpark alternately, ``repeats`` rounds, the order swapped
every round so that a busy machine hits both alike; :func:`run_cases` reports medians,
min/max, CPU time and peak RSS, checks every :class:`Target` and returns the exit status
(1 when a target or a correctness check is missed).

Child processes are measured with ``os.wait4``: wall time from spawn to reap, the
child's own user + system CPU time (all its threads) and its own peak resident set.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GB = 1e9


@dataclass
class Measure:
    """One measured run.

    Attributes
    ----------
    seconds : float
        Wall clock. [s]
    cpu_seconds : float
        User + system CPU time of the process (all threads). [s]
    peak_rss : int
        Peak resident set size. [bytes]
    extra : dict
        Anything else the run reports (status, row counts, greenpark's own timing).
    """

    seconds: float
    cpu_seconds: float
    peak_rss: int
    extra: dict = field(default_factory=dict)


@dataclass
class Target:
    """A limit on one figure of a case: ``ratio`` (median wall greenpark / anchor),
    ``cpu_ratio``, ``rss_gb`` (largest greenpark peak RSS), ``seconds`` (median greenpark
    wall) or a key of ``Measure.extra`` (median)."""

    figure: str
    limit: float

    def text(self) -> str:
        unit = {"ratio": "x", "cpu_ratio": "x CPU", "rss_gb": " GB"}.get(self.figure, " s")
        name = "" if self.figure in ("ratio", "cpu_ratio", "rss_gb", "seconds") else "load "
        return f"<= {name}{self.limit:g}{unit}"


@dataclass
class Case:
    """One row of the benchmark table."""

    name: str
    work: str
    anchor: str
    command: str
    greenpark: Callable[[], Measure]
    anchor_run: Callable[[], Measure] | None
    targets: list[Target]
    check: Callable[[Measure], str | None] = lambda m: None


def run_process(cmd: list[str], env: dict | None = None) -> Measure:
    """Run ``cmd`` and measure it (output to temporary files: no full pipes).

    Raises
    ------
    RuntimeError
        The command exited non-zero (its output is included).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"exit {code}: {' '.join(map(str, cmd))}\n{stderr}{stdout}")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Measure(
        seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale, {"stdout": stdout}
    )


def greenpark_cmd() -> list[str]:
    """The ``greenpark`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "greenpark"
    if script.is_file():
        return [str(script)]
    found = shutil.which("greenpark")
    return [found] if found else [sys.executable, "-c", "from greenpark.cli import main; main()"]


def remove_db(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if present."""
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> Path:
    """A fresh copy of a (checkpointed) database file."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    return dst


def spread(values: list[float]) -> dict:
    """Median, min and max."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def interleave(case: Case, repeats: int) -> tuple[list[Measure], list[Measure]]:
    """Anchor and greenpark alternately, the order swapped every round."""
    anchors, ours = [], []
    for i in range(repeats):
        order = ["anchor", "greenpark"] if i % 2 == 0 else ["greenpark", "anchor"]
        for who in order:
            if who == "anchor" and case.anchor_run is not None:
                anchors.append(case.anchor_run())
            elif who == "greenpark":
                ours.append(case.greenpark())
        last = ours[-1]
        base = f"anchor {anchors[-1].seconds:.2f} s, " if anchors else ""
        print(
            f"  {case.name} round {i + 1}: {base}greenpark {last.seconds:.2f} s "
            f"(CPU {last.cpu_seconds:.2f} s, {last.peak_rss / GB:.2f} GB)",
            flush=True,
        )
    return anchors, ours


def summarise(case: Case, anchors: list[Measure], ours: list[Measure]) -> dict:
    """The case's figures and verdicts."""
    row: dict = {"case": case.name, "work": case.work, "anchor": case.anchor}
    row["greenpark_s"] = spread([m.seconds for m in ours])
    row["greenpark_cpu_s"] = spread([m.cpu_seconds for m in ours])
    row["rss_gb"] = max(m.peak_rss for m in ours) / GB
    problems = [p for p in (case.check(m) for m in ours) if p]  # may add figures to extra
    for key in ours[0].extra:
        if isinstance(ours[0].extra[key], int | float) and not isinstance(ours[0].extra[key], bool):
            row[key] = spread([m.extra[key] for m in ours])
    if anchors:
        row["anchor_s"] = spread([m.seconds for m in anchors])
        row["anchor_cpu_s"] = spread([m.cpu_seconds for m in anchors])
        row["anchor_rss_gb"] = max(m.peak_rss for m in anchors) / GB
        row["ratio"] = row["greenpark_s"]["median"] / row["anchor_s"]["median"]
        row["cpu_ratio"] = row["greenpark_cpu_s"]["median"] / row["anchor_cpu_s"]["median"]
    row["seconds"] = row["greenpark_s"]["median"]
    row["check"] = problems[0] if problems else "ok"
    row["targets"] = []
    for t in case.targets:
        value = row[t.figure]["median"] if isinstance(row.get(t.figure), dict) else row[t.figure]
        row["targets"].append({"target": t.text(), "value": value, "met": value <= t.limit})
    row["met"] = not problems and all(t["met"] for t in row["targets"])
    row["command"] = case.command
    return row


def _fmt(row: dict, key: str, unit: str = " s") -> str:
    if key not in row:
        return "-"
    s = row[key]
    return f"{s['median']:.2f}{unit} ({s['min']:.2f}-{s['max']:.2f})"


def print_table(rows: list[dict]) -> None:
    """The one table: work, anchor, greenpark, ratio, RSS, target, met, command."""
    print(
        "\n| work | anchor | anchor s | greenpark s | ratio (CPU) | RSS | target | met | command |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['ratio']:.2f}x ({r['cpu_ratio']:.2f}x)" if "ratio" in r else "-"
        if "ratio" in r and r["ratio"] < 0.5:
            ratio = f"1/{1 / r['ratio']:.0f} ({1 / r['cpu_ratio']:.0f}x less CPU)"
        targets = "; ".join(f"{t['target']}: {t['value']:.3g}" for t in r["targets"])
        met = "yes" if r["met"] else ("NO" if r["check"] == "ok" else f"NO ({r['check']})")
        print(
            f"| {r['work']} | {r['anchor']} | {_fmt(r, 'anchor_s')} | {_fmt(r, 'greenpark_s')} "
            f"| {ratio} | {r['rss_gb']:.2f} GB | {targets} | {met} | `{r['command']}` |"
        )


def machine() -> dict:
    """Where the numbers were taken."""
    import duckdb

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "duckdb": duckdb.__version__,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def run_cases(cases: list[Case], repeats: int, json_path: Path | None = None) -> int:
    """Run every case interleaved, print the table; 1 if anything was missed, else 0."""
    info = machine()
    print(f"# {info}", flush=True)
    rows = []
    for case in cases:
        print(f"{case.name}: {case.work} ({repeats} rounds)", flush=True)
        rows.append(summarise(case, *interleave(case, repeats)))
    print_table(rows)
    if json_path:
        json_path.write_text(json.dumps({"machine": info, "rows": rows}, indent=2) + "\n")
    missed = [r["case"] for r in rows if not r["met"]]
    print("\nall targets met" if not missed else f"\nTARGET MISSED: {', '.join(missed)}")
    return 1 if missed else 0
