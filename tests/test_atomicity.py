"""A load is all or nothing, loading again changes nothing, and user text never becomes SQL.

* idempotency: the same file twice, overlapping files with equal values, conflicts and
  ``--replace``;
* the fast path (clean CSV) and the careful path (XLSX) store identical rows;
* a database held by another process is refused with "database in use" and left intact;
* a load killed with SIGKILL or interrupted with SIGINT (Ctrl-C) leaves the database as it
  was before;
* meter ids, header names and ``--map`` sources holding SQL are treated as data.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from db_helpers import (
    CORE_TABLES,
    HEADER,
    assert_unchanged,
    make_park,
    snapshot,
)

from greenpark.cli import cli
from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import ReadingsOptions, load_readings
from greenpark.store import open_store

# --------------------------------------------------------------------------- fixtures

CLI = [sys.executable, "-c", "from greenpark.cli import main; main()"]
INJECTION = "'; DROP TABLE readings; --"
UTC = dt.datetime


@pytest.fixture
def park_db(tmp_path) -> Path:
    return make_park(tmp_path / "park")


# --------------------------------------------------------------------------- helpers


def load(db: Path, path, progress=None, **options):
    with open_store(db) as store:
        return load_readings(store, path, ReadingsOptions(**options), progress=progress)


def run_cli(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_text(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, text: str) -> Path:
    """The long-layout CSV ``text`` as an Excel sheet with real date and number cells."""
    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    frame = pd.DataFrame(
        {
            "meter_id": [r[0] for r in rows],
            "timestamp": [dt.datetime.strptime(r[1], "%Y-%m-%d %H:%M") for r in rows],
            "value": [float(r[2]) for r in rows],
        }
    )
    frame.to_excel(path, index=False, engine="openpyxl")
    return path


def write_readings(tmp_path: Path, name: str, text: str, fmt: str) -> Path:
    if fmt == "xlsx":
        return write_xlsx(tmp_path / f"{name}.xlsx", text)
    return write_text(tmp_path, f"{name}.csv", text)


def stored(db: Path, meter_id: str | None = None) -> list[tuple]:
    """(meter_id, ts UTC, value) of the readings table, ordered."""
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT m.meter_id, r.ts, r.value FROM readings r JOIN meters m USING (meter_key) "
            "WHERE ? IS NULL OR m.meter_id = ? ORDER BY ALL",
            [meter_id, meter_id],
        ).fetchall()


def duplicate_keys(db: Path) -> int:
    with open_store(db, read_only=True) as store:
        return store.con.execute(
            "SELECT count(*) - count(DISTINCT (meter_key, ts)) FROM readings"
        ).fetchone()[0]


def counts(db: Path) -> tuple[int, list[tuple]]:
    """(readings row count, load_log rows): cheap enough after a multi-million-row load."""
    with open_store(db, read_only=True) as store:
        n = store.con.execute("SELECT count(*) FROM readings").fetchone()[0]
        log = store.con.execute("SELECT * FROM load_log ORDER BY load_id").fetchall()
    return n, log


def quarter_hours(meter: str, start: dt.datetime, values) -> str:
    return "".join(
        f"{meter},{start + dt.timedelta(minutes=15 * i):%Y-%m-%d %H:%M},{v}\n"
        for i, v in enumerate(values)
    )


# ------------------------------------------------------------------------- idempotency


def test_same_file_twice_is_unchanged(park_db, tmp_path):
    path = write_text(
        tmp_path,
        "a.csv",
        HEADER
        + quarter_hours("M1", UTC(2024, 1, 1), [1, 2, 3, 4])
        + quarter_hours("M2", UTC(2024, 1, 1), [0.5, 0.25]),
    )
    first = load(park_db, path)[0]
    assert first.status == "loaded" and first.rows_inserted == 6
    before = snapshot(park_db)

    second = load(park_db, path)[0]
    assert second.status == "unchanged"
    assert_unchanged(park_db, before)

    # The same bytes under another name, and through the CLI: still nothing changes.
    copy = write_text(tmp_path, "a_copy.csv", path.read_text(encoding="utf-8"))
    result = run_cli("--db", park_db, "load", "readings", copy)
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "unchanged" in result.output
    assert_unchanged(park_db, before)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_overlapping_file_with_equal_values(park_db, tmp_path, fmt):
    start = UTC(2024, 1, 1)
    first = write_readings(
        tmp_path, "first", HEADER + quarter_hours("M1", start, [1, 2, 3, 4]), fmt
    )
    # Overlaps 00:30 and 00:45 with the same values, adds 01:00 and 01:15.
    second = write_readings(
        tmp_path,
        "second",
        HEADER + quarter_hours("M1", start + dt.timedelta(minutes=30), [3, 4, 5, 6]),
        fmt,
    )
    load(park_db, first)
    result = load(park_db, second)[0]
    assert result.status == "loaded"
    assert (result.rows_inserted, result.rows_unchanged) == (2, 2)
    assert duplicate_keys(park_db) == 0
    assert [v for _, ts, v in stored(park_db, "M1") if ts >= UTC(2023, 12, 31)] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    with open_store(park_db, read_only=True) as store:
        logged = store.con.execute(
            "SELECT rows_inserted, rows_unchanged FROM load_log WHERE file_name = ?", [second.name]
        ).fetchall()
    assert logged == [(2, 2)]


def test_overlapping_file_with_only_equal_values_is_unchanged(park_db, tmp_path):
    start = UTC(2024, 1, 1)
    first = write_text(tmp_path, "first.csv", HEADER + quarter_hours("M1", start, [1, 2, 3]))
    subset = write_text(
        tmp_path,
        "subset.csv",
        HEADER + quarter_hours("M1", start + dt.timedelta(minutes=15), [2, 3]),
    )
    load(park_db, first)
    before = snapshot(park_db)
    result = load(park_db, subset)[0]
    assert result.status == "unchanged"
    assert result.rows_unchanged == 2
    assert_unchanged(park_db, before)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_overlapping_file_with_different_values_is_refused(park_db, tmp_path, fmt):
    start = UTC(2024, 1, 1)
    first = write_readings(
        tmp_path, "first", HEADER + quarter_hours("M1", start, [1, 2, 3, 4]), fmt
    )
    second = write_readings(
        tmp_path,
        "second",
        HEADER + quarter_hours("M1", start + dt.timedelta(minutes=30), [3, 99, 5]),
        fmt,
    )
    load(park_db, first)
    before = snapshot(park_db)
    with pytest.raises(InputError) as info:
        load(park_db, second)
    msg = str(info.value)
    unit = "row" if fmt == "xlsx" else "line"
    assert str(second) in msg and f"{unit} 3" in msg and "99" in msg, msg
    assert "--replace" in msg, msg
    assert [p.line for p in info.value.problems] == [3], info.value.problems
    assert_unchanged(park_db, before)

    result = run_cli("--db", park_db, "load", "readings", second)
    assert result.exit_code == 2 and result.stderr.startswith("Error:"), result.stderr
    assert_unchanged(park_db, before)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_overlap_with_replace_overwrites(park_db, tmp_path, fmt):
    start = UTC(2024, 1, 1)
    first = write_readings(
        tmp_path, "first", HEADER + quarter_hours("M1", start, [1, 2, 3, 4]), fmt
    )
    second = write_readings(
        tmp_path,
        "second",
        HEADER + quarter_hours("M1", start + dt.timedelta(minutes=30), [3, 99, 5]),
        fmt,
    )
    load(park_db, first)
    result = run_cli("--db", park_db, "load", "readings", "--replace", second)
    assert result.exit_code == 0, (result.output, result.stderr)
    assert duplicate_keys(park_db) == 0
    # Local 00:00 = 16:00 UTC the day before.
    assert [
        (ts.strftime("%H:%M"), v) for _, ts, v in stored(park_db, "M1") if ts >= UTC(2023, 12, 31)
    ] == [("16:00", 1), ("16:15", 2), ("16:30", 3), ("16:45", 99), ("17:00", 5)]
    with open_store(park_db, read_only=True) as store:
        logged = store.con.execute(
            "SELECT rows_inserted, rows_unchanged, rows_replaced FROM load_log WHERE file_name = ?",
            [second.name],
        ).fetchall()
    assert logged == [(2, 1, 1)]


def test_overlapping_register_files_with_equal_readings(park_db, tmp_path):
    first = write_text(
        tmp_path,
        "g1_a.csv",
        HEADER + "G1,2024-01-01 00:00,100\nG1,2024-01-01 01:00,110\nG1,2024-01-01 02:00,120\n",
    )
    second = write_text(
        tmp_path, "g1_b.csv", HEADER + "G1,2024-01-01 02:00,120\nG1,2024-01-01 03:00,130\n"
    )
    load(park_db, first)
    result = load(park_db, second)[0]
    assert (result.rows_inserted, result.rows_unchanged) == (1, 1)
    assert duplicate_keys(park_db) == 0
    assert [v for _, _, v in stored(park_db, "G1")] == [10, 10, 10]


# ------------------------------------------------------------- fast path vs careful path


def clean_content() -> str:
    rng = random.Random(20240101)
    start = UTC(2024, 1, 1)
    text = HEADER
    text += quarter_hours("M1", start, [round(rng.uniform(0, 500), 6) for _ in range(96)])
    text += quarter_hours("M2", start, [round(rng.uniform(0, 0.2), 9) for _ in range(96)])
    reading, registers = 950.0, []
    for _ in range(24):
        registers.append(round(reading, 3))
        reading = (reading + rng.uniform(0, 20)) % 1000  # rolls over at register_max
    text += "".join(
        f"G1,{start + dt.timedelta(hours=h):%Y-%m-%d %H:%M},{r}\n" for h, r in enumerate(registers)
    )
    return text


def test_fast_and_careful_paths_store_identical_rows(tmp_path):
    text = clean_content()
    db_a = make_park(tmp_path / "a", baseline=False)
    db_b = make_park(tmp_path / "b", baseline=False)
    csv_path = write_text(tmp_path, "clean.csv", text)
    xlsx_path = write_xlsx(tmp_path / "clean.xlsx", text)

    steps_a, steps_b = [], []
    result_a = load(db_a, csv_path, progress=steps_a.append)[0]
    result_b = load(db_b, xlsx_path, progress=steps_b.append)[0]
    # The careful path announces itself with "reading every row".
    assert not any("every row" in s for s in steps_a), f"CSV did not take the fast path: {steps_a}"
    assert any("every row" in s for s in steps_b), steps_b

    assert result_a.status == result_b.status == "loaded"
    assert result_a.rows_inserted == result_b.rows_inserted == 96 + 96 + 24
    rows_a, rows_b = stored(db_a), stored(db_b)
    assert len(rows_a) == 96 + 96 + 23
    assert rows_a == rows_b

    def registers_and_findings(db):
        with open_store(db, read_only=True) as store:
            return (
                store.con.execute(
                    "SELECT meter_key, ts, reading FROM register_readings ORDER BY ALL"
                ).fetchall(),
                store.con.execute(
                    "SELECT code, meter_key, ts, message FROM load_findings ORDER BY ALL"
                ).fetchall(),
            )

    regs_a, findings_a = registers_and_findings(db_a)
    assert (regs_a, findings_a) == registers_and_findings(db_b)
    assert any(code == "readings.register_rollover" for code, *_ in findings_a)


# ------------------------------------------------------------------- database in use


def test_database_in_use_is_refused_and_left_intact(park_db, tmp_path):
    path = write_text(
        tmp_path, "in_use.csv", HEADER + quarter_hours("M1", UTC(2024, 1, 1), [1, 2, 3])
    )
    before = snapshot(park_db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)",
            str(park_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = subprocess.run(
            [*CLI, "--db", str(park_db), "load", "readings", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 3, (run.returncode, run.stdout, run.stderr)
        assert "database in use" in run.stderr, run.stderr
        assert "Error:" in run.stderr and "Traceback" not in run.stderr, run.stderr
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
    assert_unchanged(park_db, before)
    # Intact: the same load now works.
    assert load(park_db, path)[0].status == "loaded"


# --------------------------------------------------------------- kill during a load

# Big enough that loading takes well over KILL_AFTER_S even on a fast idle machine
# (about 1.2 s after the database is opened; more under load).
BIG_ROWS = 6_000_000
BIG_METERS = 200
KILL_AFTER_S = 0.6


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    """A meters file with 200 meters and a readings CSV of 6 M rows (about 160 MB)."""
    root = tmp_path_factory.mktemp("big")
    meters = root / "big_meters.csv"
    meters.write_text(
        "meter_id,carrier,role,unit\n"
        + "".join(f"B{i:03d},electricity,submeter,kWh\n" for i in range(BIG_METERS)),
        encoding="utf-8",
    )
    readings = root / "big.csv"
    con = duckdb.connect()
    try:
        con.execute(f"""
            COPY (SELECT 'B' || lpad((i % {BIG_METERS})::VARCHAR, 3, '0') AS meter_id,
                         strftime(TIMESTAMP '2024-01-01' + INTERVAL 15 MINUTE
                                  * (i // {BIG_METERS}), '%Y-%m-%d %H:%M') AS timestamp,
                         round((i % 97) * 0.5, 2) AS value
                  FROM range({BIG_ROWS}) t(i))
            TO '{readings}' (HEADER)""")  # noqa: S608 - test-generated path and constants
    finally:
        con.close()
    yield meters, readings
    readings.unlink(missing_ok=True)  # do not leave 160 MB behind in pytest's tmp dirs


@pytest.fixture
def big_db(tmp_path, big_files):
    """A park with the 200 big meters (and the baseline readings); removed afterwards."""
    db = make_park(tmp_path / "park")
    with open_store(db) as store:
        load_meters(store, big_files[0])
    yield db
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink(missing_ok=True)


def ended_early(proc: subprocess.Popen, when: str) -> str:
    """Message for a load that ended before it could be interrupted."""
    out, err = proc.communicate()
    return (
        f"the load ended {when} (exit code {proc.returncode}); if it succeeded, make "
        f"BIG_ROWS bigger. stdout: {out[-300:]!r} stderr: {err[-800:]!r}"
    )


def wait_until_db_open(proc: subprocess.Popen, db: Path, timeout: float = 20.0) -> None:
    """Wait until the child has the database file open (its load is about to start)."""
    deadline = time.monotonic() + timeout
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(ended_early(proc, "before it opened the database"))
        try:
            targets = {os.readlink(fd_dir / fd) for fd in os.listdir(fd_dir)}
        except OSError:
            targets = set()
        if str(db) in targets:
            return
        time.sleep(0.01)
    raise AssertionError("the load never opened the database")


def interrupt_load(db: Path, files: list[Path], sig: int) -> subprocess.CompletedProcess:
    """Start ``greenpark load readings FILES``, send ``sig`` KILL_AFTER_S after it opened
    the database (checking it is still loading then), and wait for it to end."""
    proc = subprocess.Popen(
        [*CLI, "--db", str(db), "load", "readings", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_db_open(proc, db)
        time.sleep(KILL_AFTER_S)
        if proc.poll() is not None:
            raise AssertionError(ended_early(proc, f"within {KILL_AFTER_S} s"))
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_kill_9_during_load_leaves_database_as_before(big_db, big_files, tmp_path):
    before, before_counts = snapshot(big_db), counts(big_db)

    run = interrupt_load(big_db, [big_files[1]], signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL, (run.returncode, run.stderr)

    assert counts(big_db) == before_counts
    assert_unchanged(big_db, before)
    # Intact: it still takes a load.
    extra = write_text(tmp_path, "after.csv", HEADER + "B000,2023-06-01 00:00,1\n")
    assert load(big_db, extra)[0].status == "loaded"


def test_ctrl_c_during_load_leaves_database_as_before(big_db, big_files):
    before, before_counts = snapshot(big_db), counts(big_db)

    run = interrupt_load(big_db, [big_files[1]], signal.SIGINT)

    after_counts = counts(big_db)
    assert after_counts == before_counts and run.returncode != 0, (
        f"SIGINT {KILL_AFTER_S} s into the load: exit code {run.returncode} (expected "
        f"non-zero); readings {before_counts[0]} -> {after_counts[0]}, load_log "
        f"{len(before_counts[1])} -> {len(after_counts[1])} rows; stderr: {run.stderr[-500:]!r}"
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert_unchanged(big_db, before)


def test_ctrl_c_during_second_file_keeps_only_the_first(big_db, big_files, tmp_path):
    """Each file is its own transaction: the first file stays, the interrupted one is
    rolled back, and the message must not claim that nothing changed."""
    small = write_text(tmp_path, "small.csv", HEADER + "B001,2023-06-01 00:00,4.5\n")
    before_n, before_log = counts(big_db)

    run = interrupt_load(big_db, [small, big_files[1]], signal.SIGINT)

    after_n, after_log = counts(big_db)
    assert run.returncode != 0, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    assert after_n == before_n + 1, f"readings {before_n} -> {after_n}"
    assert [r[2] for r in after_log[len(before_log) :]] == ["small.csv"], after_log
    assert ("B001", UTC(2023, 5, 31, 16, 0), 4.5) in stored(big_db, "B001")
    assert "as it was before" not in run.stderr, (
        f"small.csv was committed, yet the CLI says: {run.stderr.strip()!r}"
    )


# ------------------------------------------------------------ no SQL from user strings


def assert_tables_intact(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        tables = {
            r[0]
            for r in store.con.execute(
                "SELECT table_name FROM information_schema.tables"
            ).fetchall()
        }
    assert CORE_TABLES <= tables, tables


def test_sql_in_meter_id_is_an_unknown_meter(park_db, tmp_path):
    meter_id = f'{INJECTION}"x'
    path = tmp_path / "inject_meter.csv"
    path.write_text(
        HEADER + f'"{meter_id.replace(chr(34), chr(34) * 2)}",2024-01-02 00:00,1\n',
        encoding="utf-8",
    )
    before = snapshot(park_db)
    with pytest.raises(InputError) as info:
        load(park_db, path)
    assert meter_id in str(info.value) and "unknown meter" in str(info.value), str(info.value)
    assert [(p.line, p.column, p.value) for p in info.value.problems] == [(2, "meter_id", meter_id)]
    assert_unchanged(park_db, before)
    assert_tables_intact(park_db)


def test_sql_in_long_header_works_through_map(park_db, tmp_path):
    header = f'{INJECTION}"q'
    quoted = '"' + header.replace('"', '""') + '"'
    path = write_text(
        tmp_path, "inject_header.csv", f"meter_id,timestamp,{quoted}\nM1,2024-01-02 00:00,42\n"
    )
    result = run_cli("--db", park_db, "load", "readings", "--map", f"value={header}", path)
    assert result.exit_code == 0, (result.output, result.stderr)
    assert (("M1", UTC(2024, 1, 1, 16, 0), 42.0)) in stored(park_db, "M1")
    assert_tables_intact(park_db)


def test_sql_in_wide_header_works_through_map(park_db, tmp_path):
    header = f'{INJECTION}"q'
    quoted = '"' + header.replace('"', '""') + '"'
    path = write_text(
        tmp_path, "inject_wide.csv", f"timestamp,{quoted}\n2024-01-02 00:00,7\n2024-01-02 00:15,8\n"
    )
    result = run_cli(
        "--db", park_db, "load", "readings", "--layout", "wide", "--map", f"M1={header}", path
    )
    assert result.exit_code == 0, (result.output, result.stderr)
    assert [r for r in stored(park_db, "M1") if r[1] >= UTC(2024, 1, 1)] == [
        ("M1", UTC(2024, 1, 1, 16, 0), 7.0),
        ("M1", UTC(2024, 1, 1, 16, 15), 8.0),
    ]
    assert_tables_intact(park_db)


def test_sql_in_map_source_that_is_not_a_column(park_db, tmp_path):
    path = write_text(tmp_path, "plain.csv", HEADER + "M1,2024-01-02 00:00,1\n")
    before = snapshot(park_db)
    source = f'{INJECTION}"'
    result = run_cli("--db", park_db, "load", "readings", "--map", f"value={source}", path)
    assert result.exit_code == 2, (result.output, result.stderr)
    assert result.stderr.startswith("Error:") and source in result.stderr, result.stderr
    assert_unchanged(park_db, before)
    assert_tables_intact(park_db)


def test_sql_in_timestamp_format_is_data(park_db, tmp_path):
    path = write_text(tmp_path, "plain.csv", HEADER + "M1,2024/01/02 00:00,1\n")
    before = snapshot(park_db)
    result = run_cli(
        "--db", park_db, "load", "readings", "--timestamp-format", f"%Y/%m/%d{INJECTION}", path
    )
    # The format does not match: the built-in formats still parse the stamp, or the
    # stamp is refused; either way no SQL runs and nothing else changes.
    if result.exit_code == 0:
        assert ("M1", UTC(2024, 1, 1, 16, 0), 1.0) in stored(park_db, "M1")
    else:
        assert result.exit_code == 2 and result.stderr.startswith("Error:"), result.stderr
        assert_unchanged(park_db, before)
    assert_tables_intact(park_db)


def test_sql_in_registered_meter_id_is_data(park_db, tmp_path):
    meter_id = f'X{INJECTION}"'
    quoted = '"' + meter_id.replace('"', '""') + '"'
    meters = write_text(
        tmp_path,
        "inject_meters.csv",
        f"meter_id,carrier,role,unit,parent_id\n{quoted},electricity,submeter,kWh,M1\n",
    )
    with open_store(park_db) as store:
        assert load_meters(store, meters).status == "loaded"
    readings = write_text(
        tmp_path, "inject_readings.csv", HEADER + f"{quoted},2024-01-02 00:00,3.5\n"
    )
    assert load(park_db, readings)[0].status == "loaded"
    assert stored(park_db, meter_id) == [(meter_id, UTC(2024, 1, 1, 16, 0), 3.5)]
    assert_tables_intact(park_db)
    assert len(stored(park_db, "M1")) == 2  # the baseline rows are still there
