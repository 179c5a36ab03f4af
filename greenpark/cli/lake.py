"""CLI for the park lake: ``greenpark export lake``, ``greenpark rollup`` and
``greenpark report rollup`` (docs/lake.md)."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, emit_result, handle_errors
from greenpark.cli.options import format_option, lang_option, output_option, period_option
from greenpark.cli.report import export, report
from greenpark.report.texts import text

ROLLUP_COLUMNS = [
    "group_key",
    "parks",
    "parks_met",
    "months_with_data",
    "coverage_pct",
    "energy_tce",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "value_added_10k_cny",
    "tce_per_10k_cny",
    "tco2_per_10k_cny_location",
    "grid_import_kwh",
    "grid_export_kwh",
    "pv_generation_kwh",
    "clean_energy_tce",
    "clean_energy_share_pct",
    "industrial_generated_t",
    "industrial_utilized_t",
    "solid_waste_utilization_pct",
    "readings",
    "findings_error",
    "findings_warning",
]


@export.command("lake", context_settings=CONTEXT)
@click.option("--output", "output", required=True, metavar="DIR", help="The lake directory.")
@click.option("--operator", default=None, help="The park's operator group (for --group-by).")
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def export_lake(obj, output, operator, fmt, lang):
    """Export the park to a Parquet lake (DIR/<table>/park_id=<id>/...), atomically.

    Re-exporting unchanged data changes nothing; a changed park replaces that park only.

    \b
    Example:
      greenpark --db park.duckdb export lake --output /data/lake --operator "Group A"
    """
    from greenpark.lake.export import export_park

    result = export_park(obj.store(read_only=True), output, operator=operator)
    i = result.inputs
    title = text(
        "lake_export", lang, lake=output, park=i["park_id"], status=i["status"], n=len(i["months"])
    )
    emit_result(result, fmt, title=title, lang=lang)


def _rollup_options(func):
    func = click.option(
        "--master", default=None, help="Spark master URL (default: spark-submit's or local)."
    )(func)
    func = click.option(
        "--engine",
        type=click.Choice(["duckdb", "spark"]),
        default="duckdb",
        show_default=True,
        help="Where the roll-up runs.",
    )(func)
    func = click.option(
        "--group-by",
        "group_by",
        type=click.Choice(["park", "province", "operator", "industry"]),
        default="park",
        show_default=True,
        help="Roll parks up by this attribute.",
    )(func)
    func = click.option(
        "--parks", default=None, metavar="ID,ID,...", help="Only these park ids (default: all)."
    )(func)
    func = period_option(kinds=("month", "year", "period"))(func)
    return click.option("--lake", required=True, metavar="DIR", help="The lake directory.")(func)


def _run(lake, period, parks, group_by, engine, master):
    from greenpark.lake.rollup import rollup

    chosen = [p.strip() for p in parks.split(",") if p.strip()] if parks else None
    return rollup(lake, period, parks=chosen, group_by=group_by, engine=engine, master=master)


@cli.command("rollup", context_settings=CONTEXT)
@_rollup_options
@format_option
@lang_option(default=None)
@handle_errors
def rollup_command(lake, period, parks, group_by, engine, master, fmt, lang):
    """Roll the lake's parks up: energy, emissions by scope and basis, value added,
    intensities, PV, waste and zero-carbon indicators, as ratios of sums.

    Nothing in the lake is written. Months are park-local calendar months.

    \b
    Examples:
      greenpark rollup --lake /data/lake --year 2025 --group-by province
      greenpark rollup --lake /data/lake --period 2025-01..2025-06 --parks P01,P02 \\
          --engine spark --master local[2] --format csv
    """
    result = _run(lake, period, parks, group_by, engine, master)
    title = text("rollup", lang, period=period.label, by=group_by)
    emit_result(result, fmt, title=title, frame=result.frame[ROLLUP_COLUMNS], lang=lang)


@report.command("rollup", context_settings=CONTEXT)
@_rollup_options
@lang_option
@output_option(default="reports/rollup", help="Folder for rollup.html and rollup.xlsx.")
@format_option
@handle_errors
def report_rollup(lake, period, parks, group_by, engine, master, lang, output, fmt):
    """Write the roll-up report: rollup.html (zh/en) and rollup.xlsx, ranking the parks by
    their distance to their core threshold.

    \b
    Example:
      greenpark report rollup --lake /data/lake --year 2025 --lang en --output out/
    """
    import pandas as pd

    from greenpark.lake.report import write_rollup_report
    from greenpark.report.output import finding_text

    result = _run(lake, period, parks, group_by, engine, master)
    files = write_rollup_report(result, output, lang=lang)
    notes = [finding_text(f, lang) for f in result.findings]
    emit(pd.DataFrame({"file": [str(f) for f in files]}), fmt, lang=lang,
         title=text("rollup_report", lang, period=period.label),
         notes=notes if fmt == "table" else ())  # fmt: skip
