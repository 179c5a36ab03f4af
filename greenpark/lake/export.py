"""Export one park database to the lake: atomically and idempotently.

Every file of the park is written to a staging directory inside the lake, hashed, and
only then moved into place (one rename per table), the manifest last. The same data gives
the same bytes (rows in a fixed order; DuckDB's Parquet writer is deterministic), so a
re-export of unchanged data changes nothing; a changed park replaces that park only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from pathlib import Path

from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period, month_start, to_local
from greenpark.lake.layout import (
    MANIFEST,
    MONTHLY_TABLES,
    TABLES,
    LakeError,
    check_park_id,
    empty_manifest,
    month_file,
    park_dir,
    park_file,
    read_manifest,
    write_manifest,
)

SOURCE = "gp_lake_source"  # the registered frame a per-park table is written from
_STORE_SQL = {  # per-park tables read straight from the park database
    "meters": "SELECT meter_id, carrier, role, canonical_unit AS unit, enterprise_id, "
    "parent_id FROM meters ORDER BY meter_id",
    "enterprises": "SELECT enterprise_id, name, name_zh, industry, leading_industry "
    "FROM enterprises ORDER BY enterprise_id",
    "production": "SELECT month, enterprise_id, value_added_10k_cny FROM production "
    "ORDER BY month, enterprise_id",
    "green_power": "SELECT instrument_id, type, mwh, period_start, period_end, vintage "
    "FROM green_power ORDER BY instrument_id",
}
_READINGS_SQL = """SELECT r.ts, m.meter_id, r.value FROM readings r JOIN meters m USING (meter_key)
WHERE r.ts >= ? AND r.ts < ? ORDER BY m.meter_id, r.ts"""


def export_park(store, lake: str | os.PathLike, operator: str | None = None) -> Result:
    """Write the park of ``store`` into ``lake`` (created if absent).

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database (read-only is enough).
    lake : str or path-like
        The lake directory.
    operator : str, optional
        The park's operator group (for ``rollup --group-by operator``).

    Returns
    -------
    Result
        frame: one row per table (``table, files, rows``); inputs: ``park_id``,
        ``status`` (``written``, ``replaced`` or ``unchanged``), ``months``,
        ``fingerprint``.

    Raises
    ------
    LakeError
        A bad park id, a directory that is not a lake, a lake of a newer layout, or the
        same data already in the lake under another park id.
    """
    import pandas as pd

    park = store.park()
    park_id = check_park_id(park.id)
    lake = Path(lake)
    manifest = _open_lake(lake)
    stage = lake / f".staging-{park_id}-{uuid.uuid4().hex[:8]}"
    try:
        entry, findings = _write_park(store, park, stage, operator)
        status = _install(lake, stage, manifest, park_id, entry)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    frame = pd.DataFrame(
        [(t, n, entry["rows"][t]) for t, n in _files_per_table(entry).items()],
        columns=["table", "files", "rows"],
    )
    inputs = {
        "park_id": park_id,
        "status": status,
        "months": entry["months"],
        "fingerprint": entry["fingerprint"],
        "lake": str(lake),
    }
    return Result(frame, findings, inputs)


def _open_lake(lake: Path) -> dict:
    if not lake.exists():
        lake.mkdir(parents=True)
    if (lake / MANIFEST).exists():
        return read_manifest(lake)
    visible = [p for p in lake.iterdir() if not p.name.startswith(".")]
    if visible:
        raise LakeError(
            f"{lake / MANIFEST}: missing, and {lake} is not empty: not a greenpark lake "
            "(export into an empty or new directory)"
        )
    manifest = empty_manifest()
    write_manifest(lake, manifest)
    return manifest


def _files_per_table(entry: dict) -> dict[str, int]:
    counts = dict.fromkeys(TABLES, 0)
    for rel in entry["files"]:
        counts[rel.split("/", 1)[0]] += 1
    return counts


def _write_park(store, park, stage: Path, operator) -> tuple[dict, list[Finding]]:
    """Every table of the park into ``stage``; returns its manifest entry."""
    from greenpark.metrics.carbon.ledger import ledger_for

    months = _reading_months(store, park.timezone)
    if not months:
        raise LakeError(f"{store.path}: no readings to export")
    span = Period.range(months[0], months[-1], park.timezone)
    ledger = ledger_for(store, span)
    lines = ledger.lines
    files, rows = {}, dict.fromkeys(TABLES, 0)
    for month in months:
        bounds = Period.month(month, park.timezone).utc_bounds()
        rel = month_file("readings", park.id, month.year, month.month)
        rows["readings"] += _write(store.con, stage, rel, "readings", _READINGS_SQL, bounds, files)
    rows["ledger"] = _write_ledger(store.con, stage, park.id, lines, files)
    findings = _missing_month_findings(park.id, span, months) + list(ledger.findings)
    for table, frame in _park_frames(store, park, lines, findings, operator).items():
        rows[table] = _write_frame(store.con, stage, park_file(table, park.id), table, frame, files)
    for table, sql in _STORE_SQL.items():
        rel = park_file(table, park.id)
        rows[table] = _write(store.con, stage, rel, table, sql, [], files)
    entry = {
        "name": park.name,
        "name_zh": park.name_zh,
        "months": [f"{m:%Y-%m}" for m in months],
        "rows": rows,
        "files": dict(sorted(files.items())),
        "fingerprint": _fingerprint(files),
    }
    return entry, findings


def _write_ledger(con, stage: Path, park_id: str, lines, files: dict) -> int:
    """The ledger lines, one file per month (the frame registered once)."""
    from greenpark.store import register_frame

    order = "scope, basis, meter_id, factor_id, activity"
    register_frame(con, SOURCE, lines[["month", *TABLES["ledger"]]])
    try:
        total = 0
        for month in sorted(set(lines["month"])):
            rel = month_file("ledger", park_id, month.year, month.month)
            sql = f"SELECT * FROM {SOURCE} WHERE month = ? ORDER BY {order}"  # noqa: S608
            total += _write(con, stage, rel, "ledger", sql, [month], files)
        return total
    finally:
        con.unregister(SOURCE)


def _reading_months(store, timezone: str) -> list:
    """Park-local months that have readings (first days, ascending)."""
    lo, hi = store.con.execute("SELECT min(ts), max(ts) FROM readings").fetchone()
    if lo is None:
        return []
    span = Period.range(month_start(to_local(lo, timezone)), month_start(to_local(hi, timezone)))
    found = []
    for month in span.months:
        start, end = Period.month(month, timezone).utc_bounds()
        sql = "SELECT count(*) FROM readings WHERE ts >= ? AND ts < ?"
        if store.con.execute(sql, [start, end]).fetchone()[0]:
            found.append(month)
    return found


def _missing_month_findings(park_id: str, span: Period, months: list) -> list[Finding]:
    have = set(months)
    return [
        Finding(
            "lake.missing_month",
            f"park {park_id}: no readings in {m:%Y-%m} (between its first and last month)",
            data={"park_id": park_id, "month": m, "period": f"{m:%Y-%m}"},
        )
        for m in span.months
        if m not in have
    ]


def _park_frames(store, park, lines, findings, operator) -> dict:
    """The per-park tables computed in Python: park, waste, factors, findings, park_months."""
    import pandas as pd

    from greenpark.metrics.waste.ledger import ledger_frame
    from greenpark.metrics.zerocarbon.system import clean_energy_tce

    settings = park.zero_carbon
    industry = park.leading_industries[0] if park.leading_industries else None
    park_row = {
        "name": park.name,
        "name_zh": park.name_zh,
        "province": park.province,
        "operator": operator,
        "industry": industry,
        "timezone": park.timezone,
        "emissions_basis": settings.emissions_basis,
        "latitude": park.latitude,
        "longitude": park.longitude,
    }
    monthly = [
        (m, clean_energy_tce(store, part, settings), len(part))
        for m, part in lines.groupby("month", sort=True)
    ]
    factors = (
        lines.groupby(
            ["factor_id", "factor_value", "factor_unit", "factor_source", "factor_year"],
            dropna=False,
        )
        .agg(confidence=("confidence", "first"), months=("month", "nunique"))
        .reset_index()
        .sort_values(["factor_id", "factor_value"], kind="stable")
    )
    found = [
        (f.data.get("month"), f.code, f.severity, f.message)
        for f in findings
        if hasattr(f.data.get("month"), "year")
    ]
    return {
        "park": pd.DataFrame([park_row]),
        "waste": ledger_frame(store).sort_values(["month", "enterprise_id", "stream"]),
        "factors": factors,
        "findings": pd.DataFrame(found, columns=list(TABLES["findings"])).sort_values(
            ["month", "code", "message"], kind="stable"
        ),
        "park_months": pd.DataFrame(monthly, columns=list(TABLES["park_months"])),
    }


def _select(table: str, source: str) -> str:
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in TABLES[table].items())
    return f"SELECT {cols} FROM ({source})"  # noqa: S608 - code-only text


def _write(con, stage: Path, rel: str, table: str, sql: str, params, files: dict) -> int:
    """Write the rows of ``sql`` (park database query) as ``rel``; returns the row count."""
    path = stage / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute("SELECT NULL").fetchall()
    count = f"SELECT count(*) FROM ({sql})"  # noqa: S608 - code-only text
    rows = con.execute(count, list(params)).fetchall()[0][0]
    con.sql(_select(table, sql), params=list(params)).write_parquet(str(path), compression="zstd")
    files[rel] = {"sha256": _sha256(path), "bytes": path.stat().st_size, "rows": rows}
    return rows


def _write_frame(con, stage: Path, rel: str, table: str, frame, files: dict) -> int:
    from greenpark.store import register_frame

    frame = frame.reset_index(drop=True)
    for col in TABLES[table]:
        if col not in frame.columns:
            frame[col] = None
    register_frame(con, SOURCE, frame[list(TABLES[table])])
    try:
        return _write(con, stage, rel, table, f"SELECT * FROM {SOURCE}", [], files)  # noqa: S608
    finally:
        con.unregister(SOURCE)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fingerprint(files: dict) -> str:
    """The park's data, whatever its id: a hash of its readings files' hashes."""
    digest = hashlib.sha256()
    for rel, info in sorted(files.items()):
        if rel.startswith("readings/"):
            digest.update(rel.split("/", 2)[2].encode() + info["sha256"].encode())
    return digest.hexdigest()


def _install(lake: Path, stage: Path, manifest: dict, park_id: str, entry: dict) -> str:
    """Move the staged park into place (unless unchanged) and record it in the manifest."""
    for other, seen in manifest["parks"].items():
        if other != park_id and seen.get("fingerprint") == entry["fingerprint"]:
            raise LakeError(
                f"{lake / park_dir('readings', park_id)}: the same readings are already in "
                f"the lake as park {other!r} ({lake / park_dir('readings', other)}); one "
                "park exported twice under two ids would be counted twice"
            )
    old = manifest["parks"].get(park_id)
    if old is not None and old.get("files") == entry["files"]:
        return "unchanged"
    trash = lake / f".replaced-{park_id}-{uuid.uuid4().hex[:8]}"
    for table in TABLES:
        src, dst = stage / park_dir(table, park_id), lake / park_dir(table, park_id)
        if dst.exists():
            (trash / table).mkdir(parents=True, exist_ok=True)
            os.replace(dst, trash / table / dst.name)
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    manifest = read_manifest(lake)  # the newest, in case another park was added meanwhile
    manifest["parks"][park_id] = entry
    write_manifest(lake, manifest)
    with contextlib.suppress(OSError):
        shutil.rmtree(trash)
    return "written" if old is None else "replaced"


__all__ = ["MONTHLY_TABLES", "export_park"]
