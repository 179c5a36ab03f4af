"""What every loader shares: the load log, the 'already loaded' check, load ids."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


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
    findings : list of str
        Things worth knowing that did not stop the load (register resets, dropped exact
        duplicates, ...).
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
    findings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def previous_load(con, kind: str, sha256: str) -> int | None:
    """load_id of an earlier successful load of the same bytes, if any."""
    row = con.execute(
        "SELECT load_id FROM load_log WHERE kind = ? AND sha256 = ? ORDER BY load_id LIMIT 1",
        [kind, sha256],
    ).fetchone()
    return row[0] if row else None


def next_load_id(con) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchone()[0]


def write_log(
    con,
    result: LoadResult,
    kind: str,
    sha256: str,
    path_text: str,
    options: dict,
    started_at,
    ts_min_utc=None,
    ts_max_utc=None,
    message: str | None = None,
) -> None:
    """Insert the load's row into ``load_log`` (inside the load's transaction)."""
    import datetime as dt
    from pathlib import Path

    con.execute(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.load_id,
            kind,
            Path(path_text).name,
            str(Path(path_text).resolve()),
            sha256,
            json.dumps(options, ensure_ascii=False, sort_keys=True),
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
        ],
    )
