"""What every loader shares: the load log, the 'already loaded' check, load ids.

A load is identified by its kind, the sha256 of the file's bytes and the options that
change what those bytes mean (:data:`MEANING_OPTIONS`, :func:`load_identity`): the same
file loaded with another ``--map`` or ``--timestamp-convention`` is a new load (and
goes through the usual conflict rules); a renamed copy with the same options is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from greenpark.core.findings import Finding

# Load options that change what a file's rows mean (the others, --replace and
# --quarantine, change what is done with them). Defaults are left out of the identity.
MEANING_OPTIONS = (
    "mapping",
    "layout",
    "encoding",
    "sheet",
    "header_row",
    "timestamp_convention",
    "timestamp_format",
    "interval_minutes",
)
_DEFAULTS = {"timestamp_convention": "start"}


@dataclass
class LoadResult:
    """What a load did.

    Attributes
    ----------
    path : str
        The file.
    status : str
        ``loaded``, ``unchanged`` (the same file, or only rows already stored) or
        ``loaded_with_quarantine``.
    load_id : int or None
        Row in ``load_log`` (None when nothing changed).
    rows_in_file, rows_inserted, rows_unchanged, rows_replaced, rows_quarantined : int
        Row counts (for wide files: one row per meter and timestamp).
    meters : int
        Distinct meters in the file.
    ts_min, ts_max : str or None
        First and last timestamp, park local time, ISO format.
    findings : list of Finding
        Things worth knowing that did not stop the load (register resets, dropped exact
        duplicates, ...), with dotted codes (``load.unchanged``, ``load.repeated_rows``,
        ``readings.register_reset`` ...) and the file in their data.
    seconds : float
        Wall time of the load. [s]
    """

    path: str
    status: str
    load_id: int | None = None
    rows_in_file: int = 0
    rows_inserted: int = 0
    rows_unchanged: int = 0
    rows_replaced: int = 0
    rows_quarantined: int = 0
    meters: int = 0
    ts_min: str | None = None
    ts_max: str | None = None
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def note(self, code: str, message: str, severity: str = "info", **data) -> Finding:
        """Add a finding about this load; its data names the file (and ``data``)."""
        finding = Finding(code, message, severity, {"file": self.path, **data})
        self.findings.append(finding)
        return finding

    @property
    def findings_text(self) -> str:
        """The findings as one cell: ``code: message`` joined with ``; ``."""
        return "; ".join(str(f) for f in self.findings)

    def to_dict(self) -> dict:
        """The load's record as the load commands print it (findings as one text cell)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**out, "findings": self.findings_text, "seconds": round(self.seconds, 3)}


SAMPLE_BLOCKS = 64  # blocks read for a file's sample hash
SAMPLE_BLOCK_BYTES = 1 << 16  # [bytes] each


class FileDigest:
    """The sha256 of an input file, computed only when it can matter.

    Hashing a 1 GB export takes most of a second. A file whose size no earlier load of
    the same kind had cannot be one of them, so its hash is computed in a background
    thread while the load runs (hashlib releases the GIL) and read when the load is
    logged. A file of the same size is first compared by its modification time and a
    sample hash (:attr:`sample`: :data:`SAMPLE_BLOCKS` blocks spread over the file, 4 MiB
    at most): the same size, time and sample as a committed load is that file again
    (no full hash); a sample that no earlier load of that size had is a new file;
    otherwise (a copy with a new time, loads logged before samples were kept) the full
    hash decides.
    """

    def __init__(self, path):
        import os

        self.path = path
        info = os.stat(path)
        self.bytes = info.st_size
        self.mtime_ns = info.st_mtime_ns
        self._value: str | None = None
        self._sample: str | None = None
        self._thread = None

    def start(self, low_priority: bool = False) -> None:
        """Hash the file in a background thread; ``low_priority``: at the lowest CPU
        priority (Linux), taking only what the load leaves idle. :attr:`value` stops the
        thread and hashes the rest itself; :meth:`cancel` stops it (nothing to log)."""
        import hashlib
        import threading

        from greenpark.io.tabular import hash_slices

        self._digest, self._offset = hashlib.sha256(), 0
        self._stop = threading.Event()

        def run():
            if low_priority:
                _lower_thread_priority()
            for offset in hash_slices(self.path, self._digest, 0):
                self._offset = offset
                if self._stop.is_set():
                    return

        self._thread = threading.Thread(target=run, name="greenpark-sha256", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """The hash is not needed (nothing was logged): stop the background thread."""
        if self._thread is not None:
            self._stop.set()

    @property
    def sample(self) -> str:
        """sha256 of the size and :data:`SAMPLE_BLOCKS` evenly spaced blocks (the whole
        file when it is smaller than them), hex."""
        import hashlib

        if self._sample is None:
            digest = hashlib.sha256(str(self.bytes).encode())
            span = SAMPLE_BLOCKS * SAMPLE_BLOCK_BYTES
            with open(self.path, "rb") as fh:
                if self.bytes <= span:
                    digest.update(fh.read())
                else:
                    last = self.bytes - SAMPLE_BLOCK_BYTES
                    for k in range(SAMPLE_BLOCKS):
                        fh.seek(last * k // (SAMPLE_BLOCKS - 1))
                        digest.update(fh.read(SAMPLE_BLOCK_BYTES))
            self._sample = digest.hexdigest()
        return self._sample

    @property
    def value(self) -> str:
        from greenpark.io.tabular import file_sha256, hash_slices

        if self._thread is not None:  # the rest at this thread's priority, not the idle one
            self._stop.set()
            self._thread.join()
            self._thread = None
            for _ in hash_slices(self.path, self._digest, self._offset):
                pass
            self._value = self._digest.hexdigest()
        if self._value is None:
            self._value = file_sha256(self.path)
        return self._value


def _lower_thread_priority() -> None:
    """The calling thread at nice 19 (Linux: a thread is a task with its own priority;
    elsewhere setpriority would lower the whole process, so nothing is done)."""
    import os
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except OSError:  # not permitted: the hash runs at the normal priority
            pass


PER_ROW_MAX = 3  # a rule broken on more rows of one column is one problem with a count
FIRST_LINES_SHOWN = 5


def per_column(problems: list, unit: str = "line") -> list:
    """``problems`` with those of one rule (code) and column found on more than
    :data:`PER_ROW_MAX` rows folded into one: the first row's problem, with the count and
    the first :data:`FIRST_LINES_SHOWN` lines in its rule."""
    from collections import defaultdict

    from greenpark.core.errors import Problem

    groups = defaultdict(list)
    for p in problems:
        groups[p.code, p.column].append(p)
    out, done = [], set()
    for p in problems:
        group = groups[p.code, p.column]
        if len(group) <= PER_ROW_MAX:
            out.append(p)
        elif (p.code, p.column) not in done:
            done.add((p.code, p.column))
            lines = ", ".join(str(g.line) for g in group[:FIRST_LINES_SHOWN])
            rule = f"{p.rule} ({len(group)} {unit}s of this column: {lines} ...)"
            out.append(Problem(p.line, p.column, p.value, rule, p.code))
    return out


def given_options(**options) -> dict:
    """The options a user gave (None, empty and False left out), as the load log keeps them."""
    return {k: v for k, v in options.items() if v not in (None, {}, "", False)}


def note_layout(result: LoadResult, tab, total_lines=()) -> None:
    """Findings on how the file was read: title rows skipped above the header
    (``input.title_rows``) and total rows skipped (``input.total_row``)."""
    if tab.skipped:
        shown = "; ".join(f"{line}: {text[:40]!r}" for line, text in tab.skipped[:3])
        result.note(
            "input.title_rows",
            f"header on {tab.row_unit} {tab.header_row}; skipped {len(tab.skipped)} title "
            f"row(s) above it ({shown})",
            line=tab.header_row,
        )
    if total_lines:
        lines = ", ".join(map(str, list(total_lines)[:5]))
        result.note(
            "input.total_row",
            f"{len(total_lines)} total row(s) (合计/总计/小计/Total) skipped, on {tab.row_unit} "
            f"{lines}",
            "warning",
            line=list(total_lines)[0],
        )


def load_identity(options: dict | None) -> str:
    """The options of ``options`` that change a file's meaning, as canonical JSON
    (``{}`` for a file read with the defaults); stored in ``load_log.identity``."""
    options = options or {}
    meaning = {
        k: options[k]
        for k in MEANING_OPTIONS
        if options.get(k) not in (None, {}, "", ()) and options.get(k) != _DEFAULTS.get(k)
    }
    return json.dumps(meaning, ensure_ascii=False, sort_keys=True, default=str)


def previous_load(con, kind: str, digest: FileDigest, options: dict | None = None) -> int | None:
    """load_id of an earlier successful load of the same bytes read with the same
    meaning-changing ``options`` (:func:`load_identity`), if any; loads logged before
    the identity was recorded match on their bytes alone. See :class:`FileDigest` for
    when the full hash is computed."""
    identity = load_identity(options)
    candidates = con.execute(
        "SELECT load_id, file_mtime_ns, sample_sha256 FROM load_log WHERE kind = ? "
        "AND (file_bytes = ? OR file_bytes IS NULL) AND (identity IS NULL OR identity = ?) "
        "ORDER BY load_id",
        [kind, digest.bytes, identity],
    ).fetchall()
    if not candidates:
        digest.start(low_priority=_earlier_loads(con, kind))
        return None
    sample = digest.sample
    for load_id, mtime_ns, logged_sample in candidates:
        if mtime_ns == digest.mtime_ns and logged_sample == sample:
            return load_id
    if all(s is not None and s != sample for _, _, s in candidates):
        digest.start(low_priority=True)
        return None
    row = con.execute(
        "SELECT load_id FROM load_log WHERE kind = ? AND sha256 = ? "
        "AND (identity IS NULL OR identity = ?) ORDER BY load_id LIMIT 1",
        [kind, digest.value, identity],
    ).fetchone()
    return row[0] if row else None


def _earlier_loads(con, kind: str) -> bool:
    """Whether loads of this kind were logged: then a file may well turn out to hold
    only stored rows (a re-export), and its hash is best computed in idle time only."""
    return con.execute("SELECT count(*) FROM load_log WHERE kind = ?", [kind]).fetchone()[0] > 0


def next_load_id(con) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchone()[0]


def write_log(
    con,
    result: LoadResult,
    kind: str,
    digest: FileDigest | str,
    path_text: str,
    options: dict,
    started_at,
    ts_min_utc=None,
    ts_max_utc=None,
    message: str | None = None,
) -> None:
    """Insert the load's row into ``load_log`` (inside the load's transaction).

    ``digest`` is the file's :class:`FileDigest`, or a sha256 hex of data that came from
    elsewhere (a web service). ``options`` are logged as given, and those that change
    the file's meaning as its ``identity``.
    """
    import datetime as dt
    from pathlib import Path

    known = isinstance(digest, FileDigest)
    sha256 = digest.value if known else digest
    size = digest.bytes if known else None

    con.execute(
        "INSERT INTO load_log (load_id, kind, file_name, file_path, sha256, options, "
        "rows_in_file, rows_inserted, rows_unchanged, rows_replaced, rows_quarantined, meters, "
        "ts_min, ts_max, started_at, finished_at, outcome, message, file_bytes, identity, "
        "file_mtime_ns, sample_sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.load_id,
            kind,
            Path(path_text).name,
            str(Path(path_text).resolve()),
            sha256,
            json.dumps(options, ensure_ascii=False, sort_keys=True, default=str),
            result.rows_in_file,
            result.rows_inserted,
            result.rows_unchanged,
            result.rows_replaced,
            result.rows_quarantined,
            result.meters,
            ts_min_utc,
            ts_max_utc,
            started_at,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            result.status,
            message,
            size,
            load_identity(options),
            digest.mtime_ns if known else None,
            digest.sample if known else None,
        ],
    )


LOG_COLUMNS = (
    "load_id",
    "kind",
    "file_name",
    "sha256",
    "identity",
    "options",
    "rows_in_file",
    "rows_inserted",
    "rows_replaced",
    "rows_quarantined",
    "outcome",
    "finished_at",
)


def load_log(store):
    """Every logged load, oldest first: :data:`LOG_COLUMNS`.

    ``identity`` is the canonical JSON of the options that changed the file's meaning
    (:func:`load_identity`; blank for loads logged before it was recorded), ``options``
    every option given; ``finished_at`` is UTC.
    """
    store.require_current()
    sql = f"SELECT {', '.join(LOG_COLUMNS)} FROM load_log ORDER BY load_id"  # noqa: S608
    frame = store.con.execute(sql).df()
    for col in ("kind", "file_name", "sha256", "identity", "options", "outcome"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame
