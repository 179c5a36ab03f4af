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
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: the work in progress was rolled back.", err=True)
            sys.exit(130)

    return wrapper


def emit(frame, fmt: str, title: str | None = None, notes=()) -> None:
    """Print a DataFrame as a table, CSV or JSON records (no arithmetic here)."""
    from greenpark.report.output import render

    click.echo(render(frame, fmt, title=title, notes=notes), nl=False)


def emit_result(result, fmt: str, title: str | None = None, notes=(), frame=None) -> None:
    """Print a :class:`~greenpark.core.findings.Result`: its frame (or ``frame``) on
    stdout; ``notes`` and the findings under the table, or on stderr for csv/json (so
    that stdout stays machine-readable). The one way the CLI shows findings."""
    shown = result.frame if frame is None else frame
    lines = [*notes, *(str(f) for f in result.findings)]
    emit(shown, fmt, title=title, notes=lines if fmt == "table" else ())
    if fmt != "table":
        for line in lines:
            click.echo(f"Note: {line}", err=True)


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


@cli.command(context_settings=CONTEXT)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="park.toml with a [park] table.",
)
@click.pass_obj
@handle_errors
def init(obj, config_path):
    """Create the park database, or upgrade it, and store park.toml in it.

    \b
    Example:
      greenpark --db park.duckdb init --config park.toml
    """
    from greenpark.store.park import init_park

    park, applied = init_park(obj.db, config_path)
    what = f"migrated to schema v{applied[-1]}" if applied else "schema up to date"
    click.echo(f"{obj.db}: park {park.id} ({park.name}), {park.timezone}, {park.province}; {what}")
    for finding in park.findings:
        click.echo(f"Finding: {finding}", err=True)


@cli.group(context_settings=CONTEXT)
def load():
    """Load input files into the park database (each file whole or not at all).

    \b
    Examples:
      greenpark load meters meters.csv
      greenpark load readings --map meter_id=表计编号 --map timestamp=采集时间 \\
          --map value=正向有功总电能 export_gbk.csv
    """


@load.command("meters", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@click.pass_obj
@handle_errors
def load_meters_cmd(obj, file, fmt):
    """Load or update the meter registry from FILE (CSV, XLSX or Parquet).

    Required columns: meter_id, carrier, role, unit. Optional: name, reading_type
    (interval|register), multiplier, register_max, parent_id, enterprise_id, building_id.

    \b
    Example:
      greenpark load meters datasets/demo-park/meters.csv
    """
    from greenpark.loaders.meters import load_meters

    result = load_meters(obj.store(), file)
    _report_loads([result], fmt)


@load.command("readings", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--layout",
    type=click.Choice(["long", "wide"]),
    default=None,
    help="long: meter_id,timestamp,value; wide: timestamp + a column per meter. "
    "Detected when omitted.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="CANONICAL=SOURCE",
    help="Use the file's SOURCE column as CANONICAL (meter_id, timestamp, value; "
    "or a meter id in wide files). Repeatable.",
)
@click.option(
    "--encoding",
    default=None,
    help="Text encoding of CSV files (utf-8, gbk, gb18030). Detected when omitted.",
)
@click.option(
    "--timestamp-convention",
    type=click.Choice(["start", "end"]),
    default="start",
    show_default=True,
    help="Whether a timestamp opens or closes its interval.",
)
@click.option(
    "--timestamp-format",
    default=None,
    help="strptime format of the timestamps, e.g. '%Y/%m/%d %H:%M'.",
)
@click.option(
    "--interval",
    "interval_minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Interval length in minutes for --timestamp-convention end "
    "(inferred per meter when omitted).",
)
@click.option("--sheet", default=None, help="Excel sheet (default: the first).")
@click.option("--replace", is_flag=True, help="Overwrite stored readings that differ.")
@click.option(
    "--quarantine",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write rejected rows with reasons to this CSV and load the rest.",
)
@format_option
@click.pass_obj
@handle_errors
def load_readings_cmd(
    obj,
    files,
    layout,
    mapping,
    encoding,
    timestamp_convention,
    timestamp_format,
    interval_minutes,
    sheet,
    replace,
    quarantine,
    fmt,
):
    """Load meter readings from FILES (CSV, XLSX or Parquet; long or wide).

    Naive timestamps are read in the park's timezone and stored in UTC. Register
    (cumulative) meters become interval consumption. Loading the same file again
    changes nothing.

    \b
    Examples:
      greenpark load readings readings_2025.parquet
      greenpark load readings --encoding gbk --map meter_id=表计编号 \\
          --map timestamp=采集时间 --map value=正向有功总电能 export.csv
      greenpark load readings --quarantine rejected.csv messy.xlsx
    """
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.readings import ReadingsOptions, load_readings

    options = ReadingsOptions(
        layout=layout,
        mapping=parse_mapping(mapping),
        encoding=encoding,
        timestamp_convention=timestamp_convention,
        timestamp_format=timestamp_format,
        interval_minutes=interval_minutes,
        replace=replace,
        quarantine=quarantine,
        sheet=sheet,
    )
    with _progress(len(files)) as step:
        results = load_readings(obj.store(), list(files), options, progress=step)
    _report_loads(results, fmt)


class _progress:
    """A step progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, files: int):
        self.files = files
        self.bar = None

    def __enter__(self):
        if sys.stderr.isatty():
            self.bar = click.progressbar(
                length=self.files * 4, label="loading", file=sys.stderr, show_eta=False
            )
            self.bar.__enter__()
        return self

    def __call__(self, text: str) -> None:
        if self.bar is not None:
            self.bar.label = text
            self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


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


def _report_loads(results, fmt: str) -> None:
    """One record per loaded file (rendered without pandas: loads start fast)."""
    from greenpark.report.output import render_records

    rows = [{**r.to_dict(), "findings": "; ".join(r.findings)} for r in results]
    click.echo(render_records(rows, LOAD_COLUMNS, fmt), nl=False)


@cli.command(context_settings=CONTEXT)
@click.option("--month", default=None, metavar="YYYY-MM", help="Only this month (park time).")
@click.option("--all", "show_all", is_flag=True, help="Also list informational findings.")
@format_option
@click.pass_obj
@handle_errors
def check(obj, month, show_all, fmt):
    """Data-quality findings per meter: coverage, gaps, duplicates, negative or implausible
    values, spikes, flat lines, register resets.

    \b
    Examples:
      greenpark check --month 2025-08
      greenpark check --format json > findings.json
    """
    from greenpark.metrics.quality import check as run_check

    findings = run_check(obj.store(read_only=False), month=month)
    if not show_all:
        findings = findings[findings["severity"] != "info"]
    emit(
        findings,
        fmt,
        title=f"Data quality{' ' + month if month else ''}: {len(findings)} finding(s)",
    )


@cli.command(context_settings=CONTEXT)
@click.option("--month", default=None, metavar="YYYY-MM", help="Month, in park local time.")
@click.option("--year", default=None, metavar="YYYY", help="Calendar year instead of a month.")
@click.option(
    "--by",
    type=click.Choice(["meter", "carrier", "enterprise", "industry"]),
    default="carrier",
    show_default=True,
)
@format_option
@click.pass_obj
@handle_errors
def energy(obj, month, year, by, fmt):
    """Energy use for a month or a year, in canonical units with coverage, and as
    comprehensive energy consumption (energy_tce, GB/T 2589).

    Park totals come from boundary meters (grid import/export, PV, fuel, heat); submeters
    appear in the per-meter view and make the enterprise and industry views (with the
    part no submeter explains on its own line).

    \b
    Examples:
      greenpark energy --month 2025-12
      greenpark energy --year 2025 --by enterprise --format csv
      greenpark energy --month 2025-12 --by meter --format json
    """
    from greenpark.metrics.energy import energy as energy_table

    frame = energy_table(obj.store(read_only=True), month=month, by=by, year=year)
    emit(frame, fmt, title=f"Energy {month or year} by {by}", notes=frame.attrs.get("findings", []))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--output",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Database to build (default: reports/demo-park.duckdb).",
)
@click.option(
    "--fresh/--reuse",
    default=True,
    show_default=True,
    help="Rebuild the demo database from scratch.",
)
@format_option
@handle_errors
def demo(db_path, fresh, fmt):
    """Build the demo park database from datasets/demo-park/ and show its latest month.

    \b
    Example:
      greenpark demo
    """
    from greenpark.demo import run_demo

    run_demo(db_path=db_path, fresh=fresh, fmt=fmt, echo=click.echo)


# Feature commands live in greenpark/cli/<name>.py and attach themselves to the groups
# above when imported; each module imports its heavy libraries inside its commands.
FEATURE_COMMANDS: tuple[str, ...] = ("carbon", "waste", "pv", "zerocarbon", "report")
for _name in FEATURE_COMMANDS:
    importlib.import_module(f"greenpark.cli.{_name}")


def main() -> None:
    import signal

    # A shell may start background jobs with SIGINT ignored; greenpark wants Ctrl-C (and
    # SIGINT from a supervisor) to roll the current load back and exit, always.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cli(prog_name="greenpark")


if __name__ == "__main__":
    main()
