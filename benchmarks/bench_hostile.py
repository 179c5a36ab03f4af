"""Peak memory and time of greenpark on hostile inputs: every case must be refused (or
loaded) cleanly within 1 GB of peak RSS.

Each case generates its input in a temporary directory, runs the ``greenpark`` CLI in a
child process against a park database made for the run, and measures that child with
``os.wait4`` (wall time, CPU time, peak RSS). A case fails when its peak RSS exceeds
``--rss-gb`` (default 1), when stderr holds a traceback, when a refusal was expected but
the command succeeded (or the message lacks its expected part), or when it runs past
``--timeout`` seconds. The script exits 1 when any case fails.

Usage::

    python benchmarks/bench_hostile.py                 # every case, 1 GB inputs
    python benchmarks/bench_hostile.py --quick         # 64 MB inputs, a few seconds a case
    python benchmarks/bench_hostile.py --cases first_line,wide_10000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import greenpark_cmd  # noqa: E402

GB = 1e9
CHUNK = 8 << 20  # bytes written at a time while generating an input [bytes]
READINGS_HEAD = b"meter_id,timestamp,value\n"


@dataclass
class Case:
    """One hostile input: ``make(folder, size)`` writes it and returns the CLI arguments
    after ``--db DB``; ``expect`` is a part of the refusal message, or None when the
    input is valid and must load."""

    name: str
    what: str
    make: Callable[[Path, int], list[str]]
    expect: str | None


def _fill(fh, size: int, byte: bytes = b"1") -> None:
    block = byte * CHUNK
    while size > 0:
        fh.write(block[: min(size, CHUNK)])
        size -= CHUNK


def first_line(folder: Path, size: int) -> list[str]:
    path = folder / "first_line.csv"
    with path.open("wb") as fh:
        fh.write(b"meter_id,timestamp,")
        _fill(fh, size, b"v")
        fh.write(b"\nM1,2025-03-01 00:00,1\n")
    return ["load", "readings", str(path)]


def line_after_header(folder: Path, size: int) -> list[str]:
    path = folder / "line2.csv"
    with path.open("wb") as fh:
        fh.write(READINGS_HEAD + b"M1,2025-03-01 00:00,")
        _fill(fh, size)
        fh.write(b"\n")
    return ["load", "readings", str(path)]


def line_three(folder: Path, size: int) -> list[str]:
    path = folder / "line3.csv"
    with path.open("wb") as fh:
        fh.write(READINGS_HEAD + b"M1,2025-03-01 00:00,1\nM1,2025-03-01 00:15,")
        _fill(fh, size)
        fh.write(b"\n")
    return ["load", "readings", str(path)]


def open_quote(folder: Path, size: int) -> list[str]:
    """A quote never closed, then short lines: every physical line is short, the record
    is the whole file."""
    path = folder / "open_quote.csv"
    with path.open("wb") as fh:
        fh.write(READINGS_HEAD + b'M1,2025-03-01 00:00,"1\n')
        _fill(fh, size, b"12345678\n")
    return ["load", "readings", str(path)]


def gbk_line(folder: Path, size: int) -> list[str]:
    path = folder / "gbk_line.csv"
    with path.open("wb") as fh:
        fh.write("表计编号,时间,读数\nM1,2025-03-01 00:00,".encode("gbk"))
        _fill(fh, size)
        fh.write(b"\n")
    return ["load", "readings", "--encoding", "gbk", "--map", "meter_id=表计编号",
            "--map", "timestamp=时间", "--map", "value=读数", str(path)]  # fmt: skip


def zero_config(folder: Path, size: int) -> list[str]:
    return ["init", "--config", "/dev/zero"]


def big_config(folder: Path, size: int) -> list[str]:
    path = folder / "big_park.toml"
    with path.open("wb") as fh:
        fh.write(b'[park]\nid = "x"\nname = "')
        _fill(fh, size, b"x")
        fh.write(b'"\n')
    return ["init", "--config", str(path)]


def zero_readings(folder: Path, size: int) -> list[str]:
    return ["load", "readings", "/dev/zero"]


def wide_10000(folder: Path, size: int) -> list[str]:
    path = folder / "wide_10000.csv"
    with path.open("w") as fh:
        fh.write("timestamp," + ",".join(f"M{i}" for i in range(10_000)) + "\n")
        for q in range(4):
            fh.write(f"2025-03-01 00:{15 * q:02d}" + ",1" * 10_000 + "\n")
    return ["load", "readings", str(path)]


def wide_huge(folder: Path, size: int, year: int = 2025) -> list[str]:
    """A valid wide file: 4,000 meters (the column limit is 4,096), 1,000 rows (16 MB,
    4M readings; larger takes minutes on a shared machine, and its memory is DuckDB's
    chunk buffers, which depend on the column count, not the row count)."""
    columns = 4000
    rows = 1000
    path = folder / "wide_huge.csv"
    with path.open("w") as fh:
        fh.write("timestamp," + ",".join(f"W{i}" for i in range(columns)) + "\n")
        cells = ",1.5" * columns
        start = time.mktime((year, 1, 1, 0, 0, 0, 0, 0, 0))
        for r in range(rows):
            stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime(start + 900 * r))
            fh.write(stamp + cells + "\n")
    return ["load", "readings", str(path)]


def wide_huge_careful(folder: Path, size: int) -> list[str]:
    """A wide file as large through the careful path (``--quarantine``), a year later (a
    new file, not the one already loaded)."""
    args = wide_huge(folder, size, 2026)
    return [*args[:2], "--quarantine", str(folder / "wide_rejected.csv"), args[2]]


def unit_towers(folder: Path, size: int) -> list[str]:
    units = ["9**9**9 kWh", "2**2**2**2**2 kWh", "(" * 5000, "1e999 kWh", "kWh**99999999",
             "10**10**10 MWh", "*", "1/", "k" * 1000]  # fmt: skip
    path = folder / "meters_towers.csv"
    with path.open("w") as fh:
        fh.write("meter_id,carrier,role,unit\n")
        for i in range(20_000):
            fh.write(f"T{i},electricity,grid_import,{units[i % len(units)]}\n")
    return ["load", "meters", str(path)]


def meters_line(folder: Path, size: int) -> list[str]:
    path = folder / "meters_line.csv"
    with path.open("wb") as fh:
        fh.write(b"meter_id,carrier,role,unit\nX1,electricity,grid_import,")
        _fill(fh, size, b"k")
        fh.write(b"\n")
    return ["load", "meters", str(path)]


def production_line(folder: Path, size: int) -> list[str]:
    path = folder / "production_line.csv"
    with path.open("wb") as fh:
        fh.write(b"enterprise_id,month,value_added_10k_cny\nE1,2025-06,")
        _fill(fh, size)
        fh.write(b"\n")
    return ["load", "production", str(path)]


def weather_line(folder: Path, size: int) -> list[str]:
    path = folder / "weather_line.csv"
    with path.open("wb") as fh:
        fh.write(b"timestamp,ghi,temp_air\n")
        _fill(fh, size)
        fh.write(b"\n")
    return ["load", "weather", str(path)]


def weather_first_line(folder: Path, size: int) -> list[str]:
    path = folder / "weather_first.csv"
    with path.open("wb") as fh:
        _fill(fh, size, b"t")
        fh.write(b"\n")
    return ["load", "weather", str(path)]


def xlsx_rows(folder: Path, size: int) -> list[str]:
    """A workbook whose one sheet claims ~``size`` bytes of XML, compressed to little
    (a zip bomb for a reader that inflates everything)."""
    import zipfile

    path = folder / "bomb.xlsx"
    row = '<row><c t="inlineStr"><is><t>M1</t></is></c><c><v>1</v></c></row>'
    rows = max(200_000_000, size) // len(row)  # always past the 64 MiB limit
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
          'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/></Types>')  # fmt: skip
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
    book = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" '
            'r:id="r1"/></sheets></workbook>')  # fmt: skip
    brels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
             'Target="worksheets/sheet1.xml"/></Relationships>')  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", brels)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                        b'.org/spreadsheetml/2006/main"><sheetData>')  # fmt: skip
            head = '<row><c t="inlineStr"><is><t>meter_id</t></is></c><c t="inlineStr"><is>'
            sheet.write((head + "<t>value</t></is></c></row>").encode())
            block = (row * 10_000).encode()
            for _ in range(rows // 10_000 + 1):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return ["load", "readings", str(path)]


CASES = [
    Case("first_line", "readings: a 1 GB first line (the header)", first_line, "longer than"),
    Case("line_after_header", "readings: a 1 GB line 2", line_after_header, "line 2"),
    Case("line_three", "readings: a 1 GB line 3 after a valid row", line_three, "line 3"),
    Case(
        "open_quote", "readings: a quote never closed, then 1 GB of short lines", open_quote, "line"
    ),  # fmt: skip
    Case("gbk_line", "readings, GBK (transcoded): a 1 GB line 2", gbk_line, "line 2"),
    Case("zero_config", "init --config /dev/zero", zero_config, "not a regular file"),
    Case("big_config", "init --config: a 1 GB park.toml", big_config, "may be at most"),
    Case("zero_readings", "load readings /dev/zero", zero_readings, "not a regular file"),
    Case("wide_10000", "readings: 10,000 meter columns", wide_10000, "columns"),
    Case(
        "wide_huge",
        "readings: a valid wide file, 4,000 meters x 1,000 rows (loads)",
        wide_huge,
        None,
    ),  # fmt: skip
    Case(
        "wide_huge_careful",
        "the same wide file, careful path (--quarantine; loads)",
        wide_huge_careful,
        None,
    ),  # fmt: skip
    Case(
        "unit_towers",
        "meters: 20,000 rows of exponent towers and 1 kB units",
        unit_towers,
        "stacked",
    ),  # fmt: skip
    Case("meters_line", "meters: a 1 GB line 2", meters_line, "line"),
    Case("production_line", "production: a 1 GB line 2", production_line, "line"),
    Case("weather_line", "weather CSV: a 1 GB line 2", weather_line, "limit"),
    Case("weather_first_line", "weather CSV: a 1 GB first line", weather_first_line, "limit"),
    Case(
        "xlsx_bomb", "readings XLSX: a zip inflating to >= 200 MB of sheet XML", xlsx_rows, "limit"
    ),  # fmt: skip
]


def make_park(folder: Path, wide_meters: int) -> Path:
    """park.toml, the database, meter M1 and the wide file's meters W0..W<n-1>."""
    toml = folder / "park.toml"
    toml.write_text('[park]\nid = "hostile"\nname = "Hostile"\nname_zh = "测试"\n'
                    'timezone = "Asia/Shanghai"\nlatitude = 31.3\nlongitude = 120.6\n'
                    'altitude_m = 5.0\nprovince = "Jiangsu"\n', encoding="utf-8")  # fmt: skip
    meters = folder / "meters.csv"
    with meters.open("w") as fh:
        fh.write("meter_id,carrier,role,unit\nM1,electricity,grid_import,kWh\n")
        for i in range(wide_meters):
            fh.write(f"W{i},electricity,submeter,kWh\n")
    ent = folder / "ent.csv"
    ent.write_text("enterprise_id,name\nE1,One\n", encoding="utf-8")
    db = folder / "park.duckdb"
    for args in (["init", "--config", str(toml)], ["load", "meters", str(meters)],
                 ["load", "enterprises", str(ent)]):  # fmt: skip
        done = subprocess.run([*greenpark_cmd(), "--db", str(db), *args], capture_output=True,
                              text=True)  # fmt: skip
        if done.returncode:
            raise SystemExit(f"cannot make the park: {done.stderr}")
    return db


def measure(cmd: list[str], timeout: float) -> dict:
    """Run ``cmd``; wall, CPU, peak RSS (``os.wait4``), exit code and stderr."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        deadline, timed_out = started + timeout, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                timed_out = True
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read()
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_gb": round(usage.ru_maxrss * 1024 / GB, 3),
        "exit": os.waitstatus_to_exitcode(status),
        "timed_out": timed_out,
        "message": stderr.strip().splitlines()[0][:160] if stderr.strip() else "",
        "traceback": "Traceback" in stderr,
    }


def verdict(case: Case, m: dict, rss_gb: float) -> str | None:
    """Why the case failed, or None."""
    if m["timed_out"]:
        return "timed out"
    if m["traceback"]:
        return "traceback"
    if m["peak_rss_gb"] > rss_gb:
        return f"peak RSS {m['peak_rss_gb']} GB > {rss_gb} GB"
    if case.expect is None:
        return None if m["exit"] == 0 else f"a valid file was refused: {m['message']}"
    if m["exit"] == 0:
        return "accepted"
    if not m["message"].startswith("Error:") or case.expect.lower() not in m["message"].lower():
        return f"message lacks {case.expect!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="64 MB inputs instead of 1 GB")
    parser.add_argument("--size-mb", type=int, help="input size [MB] (overrides --quick)")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--rss-gb", type=float, default=1.0, help="peak RSS limit [GB]")
    parser.add_argument("--timeout", type=float, default=300.0, help="per case [s]")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    size = (args.size_mb or (64 if args.quick else 1000)) * 1_000_000
    chosen = [c for c in CASES if not args.cases or c.name in args.cases.split(",")]
    results, failed = [], 0
    print(f"load average {os.getloadavg()[0]:.1f}; inputs {size / 1e6:g} MB", flush=True)
    print(f"{'case':20} {'wall s':>7} {'CPU s':>6} {'RSS GB':>7} {'exit':>4}  verdict / message")
    with tempfile.TemporaryDirectory(prefix="greenpark-hostile-") as tmp:
        folder = Path(tmp)
        db = make_park(folder, 4000 if any(c.name.startswith("wide_huge") for c in chosen) else 0)
        for case in chosen:
            cmd = [*greenpark_cmd(), "--db", str(db), *case.make(folder, size)]
            m = measure(cmd, args.timeout)
            why = verdict(case, m, args.rss_gb)
            failed += why is not None
            results.append({"case": case.name, "what": case.what, **m, "failure": why})
            print(f"{case.name:20} {m['seconds']:7.2f} {m['cpu_seconds']:6.2f} "
                  f"{m['peak_rss_gb']:7.3f} {m['exit']:4}  {'FAIL: ' + why if why else 'ok'}"
                  f" | {m['message'][:90]}", flush=True)  # fmt: skip
            for p in folder.iterdir():  # inputs are large: one at a time on disk
                if p.is_file() and p.name.startswith(
                    (
                        "big_",
                        "first_",
                        "line",
                        "open_",
                        "gbk_",
                        "wide_",
                        "meters_",
                        "production_",
                        "weather_",
                        "bomb",
                    )
                ):
                    p.unlink()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"{len(chosen) - failed} of {len(chosen)} cases within {args.rss_gb:g} GB and clean")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
