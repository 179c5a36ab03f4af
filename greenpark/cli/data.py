"""CLI: ``init`` the park database, ``check`` its data quality, ``energy`` use, ``demo``."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit_result, handle_errors, import_for_command
from greenpark.cli.options import format_option, lang_option, output_option, period_option
from greenpark.report.texts import text


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


@cli.command(context_settings=CONTEXT)
@period_option(
    kinds=("month", "year", "period"),
    required=False,
    help={"month": "Only this month (park time)."},
)
@click.option("--all", "show_all", is_flag=True, help="Also list informational findings.")
@click.option(
    "--show",
    type=click.Choice(["both", "findings", "coverage"]),
    default=None,
    help="What to print: the findings, the per-meter coverage (expected, received, "
    "coverage_pct, longest_gap_h, first and last reading), or both (default: both as "
    "tables; findings for csv/json).",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def check(obj, period, show_all, show, fmt, lang):
    """Data-quality findings per meter: coverage against the intervals each registered
    meter should have sent, meters that sent nothing, gaps, duplicates, negative or
    implausible values, spikes, flat lines, register resets.

    Boundary meters (grid, fuels, heat, PV) below [quality] coverage_min_pct of
    park.toml (default 99 %) are errors, submeters warnings; a meter with no readings
    in the period is an error (readings.missing_meter).

    \b
    Examples:
      greenpark check --month 2025-08
      greenpark check --month 2025-08 --show coverage --format csv > coverage.csv
      greenpark check --format json > findings.json
    """
    from greenpark.core.findings import Result
    from greenpark.metrics.quality import data_quality

    result = data_quality(obj.store(read_only=True), period)
    shown = result.frame if show_all else result.frame[result.frame["severity"] != "info"]
    label = f" {period.label}" if period else ""
    show = show or ("both" if fmt == "table" else "findings")
    if show in ("both", "findings"):
        # The rows are the findings: show them as the table, not again as notes under it.
        title = text("quality", lang, period=label, n=len(shown))
        emit_result(Result(shown), fmt, title=title, lang=lang)
    coverage = result.tables.get("coverage")
    if show in ("both", "coverage") and coverage is not None:
        title = text("coverage", lang, period=label, n=len(coverage))
        emit_result(Result(coverage), fmt, title=title, lang=lang)


@cli.command(context_settings=CONTEXT)
@period_option(kinds=("month", "year"), help={"year": "Calendar year instead of a month."})
@click.option(
    "--by",
    type=click.Choice(["meter", "carrier", "enterprise", "industry"]),
    default="carrier",
    show_default=True,
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def energy(obj, period, by, fmt, lang):
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
    from greenpark.metrics.energy import energy_result

    result = energy_result(obj.store(read_only=True), period, by=by)
    emit_result(result, fmt, title=text("energy", lang, period=period.label, by=by), lang=lang)


@cli.command(context_settings=CONTEXT)
@output_option(
    help="Database to build (default: reports/demo-park.duckdb).",
    type=click.Path(dir_okay=False),
)
@click.option(
    "--fresh/--reuse",
    default=True,
    show_default=True,
    help="Rebuild the demo database from scratch.",
)
@format_option
@lang_option(default=None)
@handle_errors
def demo(output, fresh, fmt, lang):
    """Build the demo park database from datasets/demo-park/ and show its latest month.

    \b
    Example:
      greenpark demo
    """
    from greenpark.demo import run_demo

    # what the demo uses (its loads, PV estimate and report)
    import_for_command("pandas", "duckdb", "pvlib", "pint", "xlsxwriter", "jinja2")
    run_demo(db_path=output, fresh=fresh, fmt=fmt, echo=click.echo, lang=lang)
