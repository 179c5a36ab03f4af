"""CLI: load the waste ledger, monthly water and waste-heat files; waste and resource rates."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit_result, handle_errors, load
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option, period_option
from greenpark.report.texts import text

_LOAD_HELP = {
    "map": "Use the file's SOURCE column as CANONICAL (see the columns above). Repeatable.",
    "encoding": "Text encoding of a CSV (utf-8, gbk, gb18030). Detected when omitted.",
    "replace": "Overwrite stored rows with the same key and other values.",
}


def _table_load_options(func):
    """FILE, the load options of a table file, and --format."""
    func = load_options("map", "encoding", "sheet", "header-row", "replace", help=_LOAD_HELP)(func)
    func = click.argument("file", type=click.Path(dir_okay=False))(func)
    return lang_option(default=None)(format_option(func))


def _run_load(
    obj, loader, file, mapping, encoding, sheet, replace, fmt, header_row=None, lang=None
) -> None:
    from greenpark.cli.app import _report_loads
    from greenpark.loaders.columns import parse_mapping

    result = loader(
        obj.store(),
        file,
        mapping=parse_mapping(mapping),
        replace=replace,
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
    )
    _report_loads([result], fmt, lang)


@load.command("waste", context_settings=CONTEXT)
@_table_load_options
@click.pass_obj
@handle_errors
def load_waste_cmd(obj, file, mapping, encoding, sheet, header_row, replace, fmt, lang):
    """Load a waste ledger FILE (CSV, XLSX or Parquet): one row per month, enterprise and
    stream.

    Required columns: month, enterprise_id, stream, category (general_industrial_solid,
    hazardous, recyclable, domestic). Optional: subtype, hw_code (HW01-HW50, required for
    hazardous), unit (any mass unit, default t), generated, utilized, utilized_from_storage,
    disposed, disposed_from_storage, stored, dumped (default 0), route (recycling, reuse,
    composting, energy_recovery, incineration, landfill, other), contractor, licence_no.
    Balance findings (generated vs what the row accounts for) are listed after the load.

    \b
    Examples:
      greenpark load waste waste_ledger_2025.xlsx
      greenpark load waste --map month=月份 --map enterprise_id=企业编号 \\
          --map stream=废物流编号 --map category=类别 --map generated=产生量 ledger.csv
    """
    from greenpark.loaders.waste import load_waste

    _run_load(obj, load_waste, file, mapping, encoding, sheet, replace, fmt, header_row, lang)


@load.command("water", context_settings=CONTEXT)
@_table_load_options
@click.pass_obj
@handle_errors
def load_water_cmd(obj, file, mapping, encoding, sheet, header_row, replace, fmt, lang):
    """Load monthly water quantities from FILE, for months without water meter readings.

    Columns: month (required), enterprise_id (blank: the whole park), intake (fresh water),
    recycled (water used again), unit (a volume, default m3).

    \b
    Example:
      greenpark load water water_2024.csv
    """
    from greenpark.loaders.waste import load_water_monthly

    _run_load(
        obj, load_water_monthly, file, mapping, encoding, sheet, replace, fmt, header_row, lang
    )


@load.command("waste-heat", context_settings=CONTEXT)
@_table_load_options
@click.pass_obj
@handle_errors
def load_waste_heat_cmd(obj, file, mapping, encoding, sheet, header_row, replace, fmt, lang):
    """Load waste heat/cold/pressure declarations from FILE: per month and source, the
    recoverable energy and the recovered energy (a number, or a meter with role
    waste_heat_recovered), or applicable = false with a reason.

    Columns: month, source_id (required), enterprise_id, meter_id, recoverable, recovered,
    unit (an energy, default GJ), applicable (default true), reason.

    \b
    Example:
      greenpark load waste-heat waste_heat.csv
    """
    from greenpark.loaders.waste import load_waste_heat

    _run_load(obj, load_waste_heat, file, mapping, encoding, sheet, replace, fmt, header_row, lang)


@cli.command("waste", context_settings=CONTEXT)
@period_option(
    kinds=("month", "year"),
    help={
        "month": "Last month of the period (see --window), in park local time.",
        "year": "A calendar year (instead of --month).",
    },
)
@click.option(
    "--window",
    type=click.Choice(["month", "ytd", "rolling12"]),
    default="month",
    show_default=True,
    help="With --month: the month, year to date, or 12 months.",
)
@click.option(
    "--by",
    type=click.Choice(["park", "category", "enterprise", "stream"]),
    default="park",
    show_default=True,
    help="One row for the park, or per category, enterprise or waste stream.",
)
@click.option(
    "--energy-recovery-counts",
    is_flag=True,
    help="Count the route energy_recovery as recycled and diverted (off by default).",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def waste_cmd(obj, period, window, by, energy_recovery_counts, fmt, lang):
    """Waste quantities [t] and rates [%]: industrial solid waste comprehensive utilization,
    hazardous waste utilization and safe disposal, recycling, landfill diversion, and waste
    intensity [t/10k CNY] where production data exists. Findings are listed under the
    table (on stderr with --format csv or json).

    \b
    Examples:
      greenpark waste --year 2025
      greenpark waste --month 2025-06 --window rolling12 --by enterprise --format json
    """
    from greenpark.metrics.waste import waste_rates, windowed

    result = waste_rates(
        obj.store(read_only=True),
        windowed(period, window),
        by=by,
        count_energy_recovery=energy_recovery_counts,
    )
    counted = text("counts" if energy_recovery_counts else "does not count", lang)
    emit_result(
        result,
        fmt,
        title=text("waste", lang, period=result.inputs["period"], by=by),
        notes=[text("waste_recovery", lang, counted=counted)],
        lang=lang,
    )


@cli.command("waste-check", context_settings=CONTEXT)
@period_option(kinds=("year",), required=False, help={"year": "Only this year (default: all)."})
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def waste_check_cmd(obj, period, fmt, lang):
    """Waste ledger findings: balance gaps, utilized above generated plus storage, dumped
    hazardous waste, missing routes, unknown enterprises.

    \b
    Example:
      greenpark waste-check --year 2025
    """
    from greenpark.metrics.waste import ledger_check

    result = ledger_check(obj.store(read_only=True), period)
    which = f" {period.label}" if period else ""
    title = text("waste_check", lang, which=which, n=len(result.frame))
    emit_result(result, fmt, title=title, lang=lang)


@cli.command("resources", context_settings=CONTEXT)
@period_option(kinds=("year",), help={"year": "Calendar year."})
@click.option(
    "--view",
    type=click.Choice(["monthly", "indicators"]),
    default="monthly",
    show_default=True,
    help="monthly: water reuse and waste heat per month and for the year; "
    "indicators: the zero-carbon park resource indicators vs thresholds.",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def resources_cmd(obj, period, view, fmt, lang):
    """Industrial water reuse rate and waste heat/cold/pressure utilization rate [%].

    \b
    Examples:
      greenpark resources --year 2025
      greenpark resources --year 2025 --view indicators --format json
    """
    from greenpark.metrics.resources import resource_indicators, resources_table

    if view == "indicators":
        result = resource_indicators(obj.store(read_only=True), period)
        title = text("resource_indicators", lang, period=period.label)
    else:
        result = resources_table(obj.store(read_only=True), period)
        title = text("resources", lang, period=period.label)
    emit_result(result, fmt, title=title, lang=lang)
