"""Files greenpark reads and writes: regular files only, size limits, atomic writes,
and temporary files that never outlive the process that made them.

* :func:`check_input_file` refuses at once what is not a regular file (a FIFO would make
  a reader wait forever, a device never ends) and what is larger than a limit.
* :func:`atomic_write` writes to a temporary file beside the target and renames it, so a
  full disk or a kill leaves the old file or nothing, never half a file.
* :func:`temp_path` names temporary files ``greenpark-<pid>-...``;
  :func:`remove_stale_temp` (run at every start) deletes those whose process is gone,
  e.g. after a SIGKILL.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem

TEMP_PREFIX = "greenpark-"
# Limits that keep memory bounded whatever the input (overridable for unusual parks).
MAX_CONFIG_BYTES = 1 << 20  # park.toml: 1 MiB
MAX_LINE_BYTES = 1 << 20  # one line of a CSV: 1 MiB


def check_input_file(path, max_bytes: int | None = None, what: str = "input file") -> Path:
    """Refuse, at once, anything that is not a readable regular file within ``max_bytes``.

    Raises
    ------
    InputError
        ``input.missing``, ``input.not_regular`` (directory, FIFO, device, socket),
        ``input.too_large`` or ``input.empty``, naming the file.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _problem(path, f"{what} not found", "input.missing") from None
    except OSError as exc:
        raise _problem(path, f"cannot read the {what}: {exc.strerror}", "input.missing") from None
    if stat.S_ISDIR(info.st_mode):
        raise _problem(path, f"is a directory, not a {what}", "input.not_regular")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise _problem(path, f"is {kind}, not a regular file; refused", "input.not_regular")
    if max_bytes is not None and info.st_size > max_bytes:
        raise _problem(
            path,
            f"{what} is {info.st_size} bytes; the limit is {max_bytes} bytes",
            "input.too_large",
        )
    if info.st_size == 0:
        raise _problem(path, "file is empty", "input.empty")
    return path


def _problem(path: Path, rule: str, code: str) -> InputError:
    return InputError(str(path), [Problem(None, None, None, rule, code)])


@contextlib.contextmanager
def atomic_write(path):
    """Yield a binary file handle; on success the data replaces ``path`` in one rename.

    Raises
    ------
    GreenparkError
        When the file cannot be written (full disk, no permission): the target is left
        as it was and the temporary file is removed.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        failure = _os_error(exc)
        if failure is None:
            raise
        raise _write_error(path, failure) from None


def temp_path(suffix: str = "") -> str:
    """A new temporary file named for this process (see :func:`remove_stale_temp`)."""
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=suffix)
    os.close(fd)
    return tmp


def remove_stale_temp(directory: str | None = None) -> list[str]:
    """Delete ``greenpark-<pid>-*`` temporary files whose process no longer runs.

    Returns
    -------
    list of str
        The paths removed.
    """
    removed = []
    root = Path(directory or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in root.glob(f"{TEMP_PREFIX}*-*"):
            pid = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    if entry.is_dir():
                        import shutil

                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed.append(str(entry))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path`` for a library that writes by name (xlsxwriter,
    pyarrow); on success it is renamed to ``path`` (see :func:`atomic_write`)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    try:
        yield Path(tmp)
        _publish(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        failure = _os_error(exc)
        if failure is None:
            raise
        raise _write_error(path, failure) from None


def _publish(tmp: str, path: Path) -> None:
    """Rename ``tmp`` to ``path`` with the mode a plain ``open`` would give (mkstemp
    makes 0600 files; a report must be readable like any other file)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def _os_error(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``: itself, or one a library wrapped (xlsxwriter's
    ``FileCreateError`` holds it in ``args``; others chain it)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        inner = next((a for a in getattr(exc, "args", ()) if isinstance(a, OSError)), None)
        exc, seen = inner or exc.__cause__ or exc.__context__, seen + 1
    return None


def _write_error(path: Path, exc: OSError) -> GreenparkError:
    reason = exc.strerror or str(exc)
    hint = ""
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        hint = " (the disk is full or a file size limit was reached)"
    return GreenparkError(f"cannot write {path}: {reason}{hint}; no partial file was left")


def write_text_atomic(path, text: str, encoding: str = "utf-8") -> None:
    """Write text to ``path`` through :func:`atomic_write`."""
    with atomic_write(path) as fh:
        fh.write(text.encode(encoding))
