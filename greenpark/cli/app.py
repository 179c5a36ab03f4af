"""The ``greenpark`` command line: parse options, call the library, format the output.

Only click is imported at start-up; each command imports what it needs, so that
``greenpark --help`` stays fast.
"""

from __future__ import annotations

import functools
import importlib
import sys

import click

from greenpark import __version__
from greenpark.cli.options import format_option

# What the command modules import from here (format_option for the older ones).
__all__ = [
    "CONTEXT",
    "FEATURE_COMMANDS",
    "Obj",
    "_report_loads",
    "cli",
    "emit",
    "emit_assumptions",
    "emit_result",
    "format_option",
    "handle_errors",
    "import_for_command",
    "load",
    "main",
]

CONTEXT = {
    "help_option_names": ["-h", "--help"],
    "auto_envvar_prefix": "GREENPARK",
    "max_content_width": 100,
}


class Obj:
    """Per-invocation state: the database path, opened once on first use."""

    def __init__(self, db: str):
        self.db = db
        self._store = None

    def store(self, create: bool = False, read_only: bool = False):
        if self._store is None:
            from greenpark.store import open_store

            self._store = open_store(self.db, create=create, read_only=read_only)
        return self._store

    def close(self):
        if self._store is not None:
            self._store.close()
            self._store = None


def handle_errors(func):
    """Turn library errors into clean messages and exit codes (no tracebacks)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from greenpark.core.errors import GreenparkError

        try:
            return func(*args, **kwargs)
        except GreenparkError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_TERMINATED if SIGNALLED["term"] else exc.exit_code)
        except KeyboardInterrupt:
            what = "Terminated (SIGTERM)" if SIGNALLED["term"] else "Interrupted"
            click.echo(f"{what}: the work in progress was rolled back.", err=True)
            sys.exit(EXIT_TERMINATED if SIGNALLED["term"] else 130)
        except click.exceptions.ClickException:
            raise
        except Exception as exc:  # the last line of defence: a message, never a traceback
            _unexpected(exc)

    return wrapper


# True in a process that ``main`` runs (the console script), not under click's test runner.
PROCESS = {"main": False}


def import_for_command(*modules: str) -> None:
    """Import the libraries a command is about to use with the cyclic garbage collector
    paused, then exempt every object that exists so far from later collections
    (``gc.freeze``; the collector runs as usual for the command's own work).

    Importing pandas, pyarrow and DuckDB creates hundreds of thousands of objects that
    live as long as the process; every collection the imports trigger walks them again:
    0.08-0.1 s of CPU of a 5-meter report's process, 0.01 s so. Only in a process that
    :func:`main` runs (a test runner's process keeps its ordinary collector).
    """
    if not PROCESS["main"]:
        return
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in modules:
            importlib.import_module(name)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# Exit status of a command stopped by SIGTERM (128 + 15), as shells report it.
EXIT_TERMINATED = 143
SIGNALLED = {"term": False}


def _unexpected(exc: Exception) -> None:
    """An error no rule foresaw: one clean message (the transaction was rolled back);
    GREENPARK_DEBUG=1 shows the traceback for a bug report."""
    import os

    if os.environ.get("GREENPARK_DEBUG"):
        raise exc
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        text = f"{where}{exc.strerror or exc} (e.g. a full disk or a missing permission)"
    elif any(reason in str(exc) for reason in WRITE_FAILURES):
        text = _write_failure(str(exc))
    elif isinstance(exc, MemoryError):
        text = "out of memory (GREENPARK_MEMORY_LIMIT bounds DuckDB's share)"
    else:
        lines = str(exc).strip().splitlines()
        text = f"unexpected {type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")
    click.echo(f"Error: {text}; nothing was changed. Set GREENPARK_DEBUG=1 for details.", err=True)
    sys.exit(1)


# How DuckDB (and other libraries that wrap the OS error in their own) say a write failed
# for want of space (ENOSPC, EDQUOT) or past a file size limit (EFBIG).
WRITE_FAILURES = ("No space left on device", "File too large", "Disk quota exceeded")


def _write_failure(message: str) -> str:
    """``cannot write <file>: <reason> (...)`` from a library's message of a failed write."""
    import re

    reason = next(r for r in WRITE_FAILURES if r in message)
    found = re.search(r'file "([^"]+)"', message)
    where = f" {found.group(1)}" if found else ""
    return f"cannot write{where}: {reason} (the disk is full or a file size limit was reached)"


def _on_sigterm(signum, frame) -> None:
    """SIGTERM behaves like Ctrl-C: the running transaction rolls back, then exit 143."""
    SIGNALLED["term"] = True
    raise KeyboardInterrupt


def emit(frame, fmt: str, title: str | None = None, notes=(), lang: str | None = None) -> None:
    """Print a DataFrame as a table, CSV or JSON records (no arithmetic here); ``lang``
    (``zh``/``en``) gives the table catalogue headers and translated values
    (:func:`greenpark.report.output.render`), CSV and JSON keep the column ids."""
    from greenpark.report.output import render

    click.echo(render(frame, fmt, title=title, notes=notes, lang=lang), nl=False)


def emit_result(
    result, fmt: str, title: str | None = None, notes=(), frame=None, lang: str | None = None
) -> None:
    """Print a :class:`~greenpark.core.findings.Result`: its frame (or ``frame``) on
    stdout; ``notes`` and the findings under the table, or on stderr for csv/json (so
    that stdout stays machine-readable). The one way the CLI shows findings. A result
    resting on meter readings gets the column ``inputs_complete``
    (:meth:`~greenpark.core.findings.Result.flagged_frame`). Findings are in ``lang``
    (the message catalogue's Chinese with ``zh``)."""
    from greenpark.report.output import NOTE, finding_text

    shown = result.flagged_frame() if frame is None else frame
    lines = [*notes, *(finding_text(f, lang) for f in result.findings)]
    emit(shown, fmt, title=title, notes=lines if fmt == "table" else (), lang=lang)
    if fmt != "table":
        for line in lines:
            click.echo(f"{NOTE.get(lang, NOTE[None])}{line}", err=True)


def emit_assumptions(assumptions, fmt: str, lang: str | None, screening: bool = False) -> None:
    """With a language, print the settings assumed as a table (:func:`assumptions_frame`)
    under a result; without one they are note lines, and csv/json carry them in their
    inputs. Screening settings only for a screening estimate."""
    if fmt != "table" or lang is None:
        return
    from greenpark.report.texts import assumptions_frame, text

    shown = [a for a in assumptions if screening or "screening" not in a["setting"]]
    emit(assumptions_frame(shown), fmt, title=text("assumptions", lang), lang=lang)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="greenpark")
@click.option(
    "--db",
    default="greenpark.duckdb",
    show_default=True,
    envvar="GREENPARK_DB",
    help="Park database file (env GREENPARK_DB).",
)
@click.pass_context
def cli(ctx, db):
    """greenpark: energy, carbon, PV, waste and zero-carbon metrics for industrial parks.

    \b
    Quick start:
      greenpark demo                                  # build and report the demo park
      greenpark --db park.duckdb init --config park.toml
      greenpark --db park.duckdb load meters meters.csv
      greenpark --db park.duckdb load readings 2025-*.csv
      greenpark --db park.duckdb energy --month 2025-06 --by carrier
    """
    ctx.obj = Obj(db)
    ctx.call_on_close(ctx.obj.close)


@cli.group(context_settings=CONTEXT)
def load():
    """Load input files into the park database (each file whole or not at all).

    \b
    Examples:
      greenpark load meters meters.csv
      greenpark load readings --map meter_id=表计编号 --map timestamp=采集时间 \\
          --map value=正向有功总电能 export_gbk.csv
    """


LOAD_COLUMNS = [
    "path",
    "status",
    "rows_in_file",
    "rows_inserted",
    "rows_unchanged",
    "rows_replaced",
    "rows_quarantined",
    "meters",
    "ts_min",
    "ts_max",
    "seconds",
    "findings",
]


def _report_loads(results, fmt: str, lang: str | None = None) -> None:
    """One record per loaded file (rendered without pandas: loads start fast); with a
    language the table has catalogue headers, translated statuses and the findings from
    the message catalogue."""
    from greenpark.report.output import finding_text, render_records

    rows = [r.to_dict() for r in results]  # findings: "code: message; ..." of each file
    if lang is not None and fmt == "table":
        sep = "；" if lang == "zh" else "; "
        for row, r in zip(rows, results, strict=True):
            row["findings"] = sep.join(finding_text(f, lang) for f in r.findings)
    click.echo(render_records(rows, LOAD_COLUMNS, fmt, lang=lang), nl=False)


# Commands live in greenpark/cli/<name>.py and attach themselves to the groups above
# when imported; each module imports its heavy libraries inside its commands.
FEATURE_COMMANDS: tuple[str, ...] = (
    "data",
    "loads",
    "carbon",
    "waste",
    "pv",
    "zerocarbon",
    "report",
    "wind",
    "lake",
    "preview",
    "template",
    "plan",
)
for _name in FEATURE_COMMANDS:
    importlib.import_module(f"greenpark.cli.{_name}")


# OpenBLAS (NumPy's and SciPy's) starts one worker thread per core when it loads, and the
# workers spin while they wait: 0.05-0.1 s of CPU per library in a process whose arrays
# are far too small for a threaded BLAS (measured: docs/benchmarks.md, 5-meter report).
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1"}


def single_threaded_blas(environ) -> dict:
    """Set :data:`BLAS_THREADS` in ``environ`` (``os.environ`` before NumPy is imported)
    unless the user set them; return what was set. A user's ``OPENBLAS_NUM_THREADS``
    wins. Only :func:`main` calls it: ``import greenpark`` in a notebook changes nothing.
    """
    added = {k: v for k, v in BLAS_THREADS.items() if k not in environ}
    environ.update(added)
    return added


def main() -> None:
    import os
    import signal

    PROCESS["main"] = True
    single_threaded_blas(os.environ)  # before anything imports NumPy

    # A shell may start background jobs with SIGINT ignored; greenpark wants Ctrl-C (and
    # SIGINT from a supervisor) to roll the current load back and exit, always.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_sigterm)
    from greenpark.io.files import remove_stale_temp

    remove_stale_temp()  # what a killed run left behind (transcoded copies, spill dirs)
    try:
        cli(prog_name="greenpark")
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_TERMINATED if SIGNALLED["term"] else 130)
    except SystemExit as done:  # click ends every run so, after closing the store
        _exit(done.code)
    except Exception as exc:
        _unexpected(exc)


def _exit(code) -> None:
    """End the process with ``code`` (as ``sys.exit`` takes it) without the interpreter's
    teardown, which frees every object of every module one by one (0.15-0.25 s after a
    report: pandas, pyarrow, DuckDB). What an exit must do is done first: the atexit
    handlers run and the output is flushed. With another thread still running, or under
    a profiler, tracer or debugger (which write their results after the program), the
    ordinary exit is taken instead.
    """
    import atexit
    import os
    import threading

    if threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("text"): the text to stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(status & 0xFF)


if __name__ == "__main__":  # python -m greenpark.cli.app: run the package's copy, whose
    from greenpark.cli import main as package_main  # groups hold every command

    package_main()
