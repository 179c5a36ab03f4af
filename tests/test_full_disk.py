"""A full disk during a load's commit, a report, an export and a GBK transcoding: a clean
error, a non-zero exit, no partial output file, no temporary file left, the database
unchanged.

How the full disk is made without root or a mount: the command runs in a child process
whose file size limit (``RLIMIT_FSIZE``) is small, with ``SIGXFSZ`` ignored. A write that
would grow any file past the limit then fails with ``EFBIG`` ("File too large"), through
the very ``write()`` -> ``OSError`` path a full disk takes (``ENOSPC``); DuckDB, xlsxwriter
and Python's file objects see an error from the same system call. What this does not
show: a disk that fills while *another* process writes, or a file system that reports
ENOSPC only at ``close``/``fsync`` (the atomic writes fsync before the rename, so those
would be caught by the same handler). Pipes are not limited, so stderr arrives whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from db_helpers import make_park, snapshot

CHILD = """
import resource, signal, sys
limit = int(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from greenpark.cli import main
sys.argv = ["greenpark", *sys.argv[2:]]
main()
"""
ROWS = 60_000  # 15-min readings of M1 from 2025-01-01: about 1.5 MB of CSV


def run_limited(limit_bytes: int, args: list[str], tmpdir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TMPDIR": str(tmpdir)}
    env.pop("GREENPARK_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(limit_bytes), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def checksum(db: Path) -> str:
    return hashlib.sha256(repr(snapshot(db)).encode()).hexdigest()


def readings_csv(path: Path, encoding: str = "utf-8", note: str = "") -> Path:
    start = dt.datetime(2025, 1, 1)
    head = "meter_id,timestamp,value" + (",note" if note else "")
    lines = [head] + [
        f"M1,{start + dt.timedelta(minutes=15 * i):%Y-%m-%d %H:%M},{i % 97}.5"
        + (f",{note}" if note else "")
        for i in range(ROWS)
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def assert_clean(proc: subprocess.CompletedProcess, *parts: str) -> None:
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("Error:"), proc.stderr
    for part in parts:
        assert part in proc.stderr, f"{part!r} not in {proc.stderr}"


def greenpark_temp(tmpdir: Path) -> list[str]:
    return sorted(p.name for p in tmpdir.iterdir())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A park with ROWS readings of M1 (for the report and export cases)."""
    root = tmp_path_factory.mktemp("fulldisk")
    db = make_park(root / "park")
    from greenpark.loaders.readings import load_readings
    from greenpark.store import open_store

    with open_store(db) as store:
        load_readings(store, readings_csv(root / "jan.csv"))
    return db


def test_full_disk_during_the_load_commit(tmp_path):
    db = make_park(tmp_path / "park")
    path = readings_csv(tmp_path / "big.csv")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    before = checksum(db)
    # 1 MB: DuckDB's write-ahead log of ~60,000 rows is larger, so the commit fails
    proc = run_limited(1 << 20, ["--db", str(db), "load", "readings", str(path)], tmpdir)
    assert_clean(proc, "cannot write", "park.duckdb", "File too large", "disk is full")
    assert checksum(db) == before
    assert greenpark_temp(tmpdir) == []
    # and the database is still writable: the same load succeeds without the limit
    ok = run_limited(1 << 40, ["--db", str(db), "load", "readings", str(path)], tmpdir)
    assert ok.returncode == 0, ok.stderr
    assert checksum(db) != before


def test_full_disk_while_transcoding_gbk(tmp_path):
    db = make_park(tmp_path / "park")
    path = readings_csv(tmp_path / "gbk.csv", encoding="gbk", note="电表")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    before = checksum(db)
    args = ["--db", str(db), "load", "readings", "--encoding", "gbk", str(path)]
    proc = run_limited(256 << 10, args, tmpdir)  # the UTF-8 copy is ~1.7 MB
    assert_clean(proc, "gbk.csv", "UTF-8 copy", "File too large", "nothing was loaded")
    assert checksum(db) == before
    assert greenpark_temp(tmpdir) == []  # the half-written copy is removed


def test_full_disk_while_writing_a_report(loaded, tmp_path):
    before = checksum(loaded)
    out = tmp_path / "out"
    args = ["--db", str(loaded), "report", "monthly", "--month", "2025-01",
            "--allow-incomplete", "--output", str(out)]  # fmt: skip
    proc = run_limited(32 << 10, args, tmp_path)  # report.html is larger than 32 KiB
    assert_clean(proc, "cannot write", "File too large", "no partial file")
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert "report.html" not in names
    assert not [n for n in names if n.endswith(".part") or n.startswith(".")], names
    # a file that was written is whole: every one left opens as what it claims to be
    for f in files:
        assert f.stat().st_size <= 32 << 10
        if f.suffix == ".json":
            import json

            json.loads(f.read_text(encoding="utf-8"))
    assert checksum(loaded) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_full_disk_while_writing_an_export(loaded, tmp_path, fmt):
    before = checksum(loaded)
    target = tmp_path / f"meters.{fmt}"
    target.write_bytes(b"the previous export")
    args = ["--db", str(loaded), "export", "energy-meters", "--month", "2025-01",
            "--format", fmt, "--output", str(target)]  # fmt: skip
    proc = run_limited(100, args, tmp_path)  # every one of these is longer than 100 bytes
    assert_clean(proc, f"meters.{fmt}", "File too large", "no partial file")
    assert target.read_bytes() == b"the previous export"  # the old file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert checksum(loaded) == before
