"""Output paths: user strings become safe path components that stay inside the output
directory."""

from __future__ import annotations

import re
from pathlib import Path

from greenpark.core.errors import GreenparkError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_component(text: str) -> str:
    """``text`` as one path component: letters, digits, ``.``, ``_`` and ``-`` only, no
    ``..`` and no leading dot, at most 64 characters.

    Raises
    ------
    GreenparkError
        If nothing usable is left.
    """
    cleaned = re.sub(r"\.{2,}", "", _UNSAFE.sub("_", str(text))).strip("._")[:64]
    if not cleaned:
        raise GreenparkError(f"{text!r} cannot be used as a folder name")
    return cleaned


def report_dir(output: str | Path, park_id: str, period: str) -> Path:
    """``output/<park id>/<period>``, created, checked to lie inside ``output``.

    Raises
    ------
    GreenparkError
        If the folder cannot be created or written.
    """
    base = Path(output)
    target = base / safe_component(park_id) / safe_component(period)
    if not target.resolve().is_relative_to(base.resolve()):
        raise GreenparkError(f"{target} is outside the output folder {base}")
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise GreenparkError(
            f"cannot write reports to {target}: {exc.strerror or exc}; choose another "
            "folder with --output"
        ) from None
    return target


def check_writable_file(path: str | Path) -> Path:
    """The parent folder of ``path`` exists (is created) and can be written.

    Raises
    ------
    GreenparkError
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe = path.parent / f".{path.name}.write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise GreenparkError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
