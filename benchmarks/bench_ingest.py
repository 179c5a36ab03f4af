"""Ingest benchmark: every ``greenpark load readings`` path against its anchor, same run.

Each case runs its anchor and greenpark alternately (``--repeat`` rounds, the order
swapped every round), each as its own process, and reports medians, min/max, CPU time
and peak RSS (``os.wait4`` of that child). It **exits 1 when any target or check is
missed**. Full size is what the targets are judged on; ``--quick`` is a smoke run of the
same cases on small files (seconds; its verdicts mean nothing about speed).

Cases (issue 18; full size):

======== ============================================ ========================= ==========
case     work                                         anchor                    target
======== ============================================ ========================= ==========
long     long CSV, 35,136,000 readings                DuckDB ``CREATE TABLE AS  <= 1.05x
                                                      read_csv`` + CHECKPOINT   wall, CPU
reexport the same rows in new bytes (CRLF), into the  greenpark's first load    <= 1.2x,
         database that holds them                                               <= 0.5 GB
reload   the same file again                          -                         <= 0.5 s
wide     wide CSV (timestamp + 100 meters), 5M        DuckDB import of the file <= 1.1x,
                                                                                <= 0.5 GB
gbk      GBK CSV with Chinese headers, 5M             the same file in UTF-8    <= 1.15x
careful  ``--quarantine``, one bad row in 5M          fast path, clean 5M       <= 2x,
                                                                                <= 0.6 GB
xlsx     XLSX, 99,840 rows                            the same rows as CSV      load <= 1 s
======== ============================================ ========================= ==========

Times are whole processes (interpreter start, imports, connect and close included),
except the XLSX target, which is greenpark's own load time (``seconds`` in its JSON
output; the process time is reported too). Setup (``greenpark init``, ``load meters``,
the first load of the re-export and reload cases) is not timed: each run gets a fresh
copy of a prepared database.

Usage::

    python benchmarks/bench_ingest.py --quick              # smoke run, a minute
    python benchmarks/bench_ingest.py --repeat 3           # full size, judged
    python benchmarks/bench_ingest.py --cases long,reload  # some cases only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ingest_data as data_mod  # noqa: E402 - sibling module
from benchlib import (  # noqa: E402 - sibling module
    Case,
    Measure,
    Target,
    copy_db,
    greenpark_cmd,
    remove_db,
    run_cases,
    run_process,
)
from ingest_data import GBK_MAP, Dataset, prepare_dataset  # noqa: E402, F401 - bench_carbon

DEFAULT_WORKDIR = HERE / "_data"
FULL = {"long": (1000, 366), "five": (500, 104), "wide": (100, 520), "xlsx": (10, 104)}
QUICK = {"long": (50, 30), "five": (20, 30), "wide": (10, 60), "xlsx": (5, 30)}
CASES = ("long", "reexport", "reload", "wide", "gbk", "careful", "xlsx")

BASELINE_CODE = """\
import sys
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[2]])
con.execute("CHECKPOINT")
con.close()
"""


class Bench:
    """The files, the prepared databases and the runs of one benchmark."""

    def __init__(self, workdir: Path, tmp: Path, sizes: dict, quick: bool):
        self.workdir, self.tmp, self.sizes, self.quick = workdir, tmp, sizes, quick
        meters = max(m for m, _ in sizes.values())
        self.long: Dataset = prepare_dataset(workdir, *sizes["long"])
        data_mod.write_meters_csv(self.long.meters_csv, max(meters, self.long.meters))
        self.empty = self._template("empty", None)
        self._loaded = None

    # ------------------------------------------------------------------ databases
    def _template(self, name: str, readings: Path | None) -> Path:
        db = self.tmp / f"{name}.duckdb"
        remove_db(db)
        gp = [*greenpark_cmd(), "--db", str(db)]
        run_process([*gp, "init", "--config", str(self.long.park_toml)])
        run_process([*gp, "load", "meters", str(self.long.meters_csv)])
        if readings is not None:
            run_process([*gp, "load", "readings", str(readings)])
        return db

    @property
    def loaded(self) -> Path:
        """A database holding the long CSV (made once)."""
        if self._loaded is None:
            print("preparing a database holding the long CSV ...", flush=True)
            self._loaded = self._template("loaded", self.long.readings)
        return self._loaded

    # ----------------------------------------------------------------------- runs
    def load(self, template: Path, path: Path, *options: str) -> Measure:
        """``greenpark load readings`` on a fresh copy of ``template``."""
        db = copy_db(template, self.tmp / "run.duckdb")
        m = run_process(
            [*greenpark_cmd(), "--db", str(db), "load", "readings", "--format", "json"]
            + [*options, str(path)]
        )
        record = json.loads(m.extra.pop("stdout"))[0]
        m.extra = {
            "status": record["status"],
            "rows_inserted": record["rows_inserted"],
            "rows_unchanged": record["rows_unchanged"],
            "rows_quarantined": record["rows_quarantined"],
            "load_seconds": record["seconds"],
        }
        return m

    def duckdb_import(self, path: Path) -> Measure:
        """The anchor: a bare DuckDB import of the file in a fresh process and file."""
        db = self.tmp / "anchor.duckdb"
        remove_db(db)
        m = run_process([sys.executable, "-c", BASELINE_CODE, str(db), str(path)])
        m.extra = {}
        return m

    # ---------------------------------------------------------------------- cases
    def command(self, case: str) -> str:
        quick = " --quick" if self.quick else ""
        return f"python benchmarks/bench_ingest.py --cases {case}{quick}"

    def case(self, name: str) -> Case:
        return getattr(self, f"case_{name}")()

    def case_long(self) -> Case:
        path, rows = self.long.readings, self.long.rows
        return Case(
            "long",
            f"long CSV, {rows:,} readings",
            "DuckDB CREATE TABLE AS read_csv + CHECKPOINT",
            self.command("long"),
            lambda: self.load(self.empty, path),
            lambda: self.duckdb_import(path),
            [Target("ratio", 1.05), Target("cpu_ratio", 1.05)],
            expect(rows_inserted=rows, status="loaded"),
        )

    def case_reexport(self) -> Case:
        rows, crlf = self.long.rows, data_mod.crlf_copy(self.long.readings)
        loaded = self.loaded
        return Case(
            "reexport",
            f"re-export: the same {rows:,} rows in new bytes (CRLF), into the database "
            "holding them",
            "greenpark's first load of the file",
            self.command("reexport"),
            lambda: self.load(loaded, crlf),
            lambda: self.load(self.empty, self.long.readings),
            [Target("ratio", 1.2), Target("rss_gb", 0.5)],
            expect(rows_unchanged=rows, rows_inserted=0, status="unchanged"),
        )

    def case_reload(self) -> Case:
        loaded = self.loaded
        return Case(
            "reload",
            f"reload of the same bytes ({self.long.size_bytes / 1e9:.2f} GB)",
            "-",
            self.command("reload"),
            lambda: self.load(loaded, self.long.readings),
            None,
            [Target("seconds", 0.5)],
            expect(status="unchanged"),
        )

    def case_wide(self) -> Case:
        meters, days = self.sizes["wide"]
        path, rows = data_mod.wide_csv(self.workdir, meters, days), meters * days * 96
        return Case(
            "wide",
            f"wide CSV ({meters} meter columns), {rows:,} readings",
            "DuckDB import of the same file",
            self.command("wide"),
            lambda: self.load(self.empty, path),
            lambda: self.duckdb_import(path),
            [Target("ratio", 1.1), Target("rss_gb", 0.5)],
            expect(rows_inserted=rows, status="loaded"),
        )

    def case_gbk(self) -> Case:
        meters, days = self.sizes["five"]
        utf8, gbk = data_mod.chinese_header_pair(self.workdir, meters, days)
        rows = meters * days * 96
        maps = [a for c, h in GBK_MAP.items() for a in ("--map", f"{c}={h}")]
        return Case(
            "gbk",
            f"GBK CSV with Chinese headers, {rows:,} readings",
            "greenpark, the same file in UTF-8",
            self.command("gbk"),
            lambda: self.load(self.empty, gbk, *maps),
            lambda: self.load(self.empty, utf8, *maps),
            [Target("ratio", 1.15)],
            expect(rows_inserted=rows, status="loaded"),
        )

    def case_careful(self) -> Case:
        meters, days = self.sizes["five"]
        clean = prepare_dataset(self.workdir, meters, days).readings
        bad, rows = data_mod.with_bad_row(clean), meters * days * 96
        quarantine = self.tmp / "quarantine.csv"
        return Case(
            "careful",
            f"careful path (--quarantine, one bad row), {rows:,} readings",
            "greenpark fast path, the clean file",
            self.command("careful"),
            lambda: self.load(self.empty, bad, "--quarantine", str(quarantine)),
            lambda: self.load(self.empty, clean),
            [Target("ratio", 2.0), Target("rss_gb", 0.6)],
            expect(rows_inserted=rows, rows_quarantined=1, status="loaded_with_quarantine"),
        )

    def case_xlsx(self) -> Case:
        meters, days = self.sizes["xlsx"]
        csv_path, xlsx = data_mod.xlsx_pair(self.workdir, meters, days)
        rows = meters * days * 96
        return Case(
            "xlsx",
            f"XLSX, {rows:,} rows",
            "greenpark, the same rows as CSV",
            self.command("xlsx"),
            lambda: self.load(self.empty, xlsx),
            lambda: self.load(self.empty, csv_path),
            [Target("load_seconds", 1.0)],
            expect(rows_inserted=rows, status="loaded"),
        )


def expect(**wanted):
    """A check: the load's result has these values."""

    def check(m: Measure) -> str | None:
        for key, value in wanted.items():
            if m.extra.get(key) != value:
                return f"{key} {m.extra.get(key)!r}, expected {value!r}"
        return None

    return check


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="small files: a smoke run")
    p.add_argument("--repeat", type=int, default=3, help="rounds per case (default 3)")
    p.add_argument("--cases", default=",".join(CASES), help=f"comma list of {', '.join(CASES)}")
    p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="generated files")
    p.add_argument("--json", type=Path, default=None, help="also write all numbers here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(names) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(sorted(unknown))}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gp-bench-ingest-", dir=args.workdir) as tmp:
        bench = Bench(args.workdir, Path(tmp), QUICK if args.quick else FULL, args.quick)
        cases = [bench.case(n) for n in names]
        return run_cases(cases, args.repeat, args.json)


if __name__ == "__main__":
    sys.exit(main())
