"""Check a lake before reading it: everything wrong is an error naming the path.

Refused: a missing or unreadable manifest, a layout version from the future, a park
directory that the manifest does not list (a partial or foreign park), a listed file that
is missing or of another size, the same data under two park ids, and a carrier stored
in another unit than greenpark's canonical one (mixed units). Nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from greenpark.core.vocab import CARRIERS
from greenpark.lake.layout import TABLES, LakeError, check_park_id, park_dir, read_manifest


def check_lake(lake: str | os.PathLike, parks: list[str] | None = None) -> tuple[dict, list[str]]:
    """Validate ``lake`` and return its manifest and the park ids to read.

    Parameters
    ----------
    lake : str or path-like
        The lake directory.
    parks : list of str, optional
        Only these parks (default: every park of the manifest).

    Raises
    ------
    LakeError
        On the first problem, naming the file or directory.
    """
    lake = Path(lake)
    manifest = read_manifest(lake)
    known = manifest["parks"]
    for park_id in known:
        try:
            check_park_id(park_id)
        except LakeError as exc:
            raise LakeError(f"{lake / 'readings'}: {exc}") from None
    disk = _on_disk(lake, known)
    selected = sorted(known) if not parks else list(dict.fromkeys(parks))
    for park_id in selected:
        if park_id not in known:
            raise LakeError(
                f"{lake / park_dir('park', park_id)}: park {park_id!r} is not in the lake"
            )
        _check_files(lake, park_id, known[park_id], disk)
    _check_duplicates(lake, known)
    _check_units(lake, manifest, selected)
    return manifest, selected


def _on_disk(lake: Path, known: dict) -> dict:
    """Every file under the lake's table directories: relative path -> bytes, and
    ``("park", id)`` -> its relative paths (one walk; hidden staging directories are
    skipped)."""
    found: dict = {}
    base = len(str(lake)) + 1
    for table in TABLES:
        top = str(lake / table)
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if root == top:
                _check_park_dirs(lake, Path(top), dirs, known)
            for name in files:
                path = os.path.join(root, name)
                rel = path[base:].replace(os.sep, "/")
                found[rel] = os.stat(path).st_size
                park = rel.split("/")[1].removeprefix("park_id=")
                found.setdefault(("park", park), []).append(rel)
    return found


def _check_park_dirs(lake: Path, top: Path, dirs: list[str], known: dict) -> None:
    """Every ``<table>/park_id=X`` directory belongs to a park of the manifest."""
    for name in dirs:
        park_id = name.removeprefix("park_id=")
        if not name.startswith("park_id=") or park_id not in known:
            raise LakeError(
                f"{top / name}: a park directory the manifest ({lake / '_manifest.json'}) does "
                "not list: a partial or interrupted export, or files copied in by hand; "
                "re-export the park or remove the directory"
            )


def _check_files(lake: Path, park_id: str, entry: dict, disk: dict) -> None:
    """The park's files on disk are exactly those of its manifest entry."""
    files = entry.get("files")
    if not isinstance(files, dict) or not files:
        raise LakeError(f"{lake / '_manifest.json'}: park {park_id!r} lists no files")
    for rel, info in files.items():
        if rel not in disk:
            raise LakeError(f"{lake / rel}: missing (park {park_id!r} is partial); re-export it")
        if disk[rel] != info.get("bytes"):
            raise LakeError(
                f"{lake / rel}: {disk[rel]} bytes, the manifest says {info.get('bytes')}: "
                f"changed after export; re-export park {park_id!r}"
            )
    for rel in disk.get(("park", park_id), ()):
        if rel not in files:
            raise LakeError(
                f"{lake / rel}: not in the manifest for park {park_id!r} (a partial or "
                "foreign file); re-export the park or remove the file"
            )


def _check_duplicates(lake: Path, known: dict) -> None:
    seen: dict[str, str] = {}
    for park_id, entry in sorted(known.items()):
        fingerprint = entry.get("fingerprint")
        if fingerprint in seen:
            raise LakeError(
                f"{lake / park_dir('readings', park_id)}: the same readings as park "
                f"{seen[fingerprint]!r} ({lake / park_dir('readings', seen[fingerprint])}): "
                "one park exported twice under two ids would be counted twice; remove one"
            )
        seen[fingerprint] = park_id


def _check_units(lake: Path, manifest: dict, selected: list[str]) -> None:
    """Each carrier of every selected park's meters is in its canonical unit."""
    import duckdb

    files = [
        str(lake / rel)
        for park_id in selected
        for rel in manifest["parks"][park_id]["files"]
        if rel.startswith("meters/")
    ]
    if not files:
        return
    con = duckdb.connect()
    try:
        found = con.execute(
            "SELECT DISTINCT filename, carrier, unit FROM read_parquet(?, filename = true) "
            "ORDER BY filename, carrier",
            [files],
        ).fetchall()
    finally:
        con.close()
    for filename, carrier, unit in found:
        canonical = CARRIERS.get(carrier)
        if unit != canonical:
            raise LakeError(
                f"{filename}: carrier {carrier!r} in {unit!r}, not greenpark's canonical "
                f"{canonical!r}: parks in mixed units cannot be summed; re-export the park "
                "with this greenpark"
            )
