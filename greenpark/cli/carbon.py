"""CLI for energy and carbon accounting: factors, accounting inputs, carbon, intensity."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit_result, handle_errors, load
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option, period_option
from greenpark.report.texts import text


# --------------------------------------------------------------------------- factors
@cli.group(context_settings=CONTEXT)
def factors():
    """The shipped factor library, with sources, years and confidence.

    \b
    Examples:
      greenpark factors list --kind grid
      greenpark factors show electricity.location --year 2025
    """


@factors.command("list", context_settings=CONTEXT)
@click.option(
    "--kind",
    type=click.Choice(["all", "grid", "fuel", "tce", "heat"]),
    default="all",
    show_default=True,
)
@format_option
@lang_option(default=None)
@handle_errors
def factors_list(kind, fmt, lang):
    """List shipped factors: MEE grid factors, fuel parameters, GB/T 2589 coefficients.

    \b
    Example:
      greenpark factors list --kind fuel --format csv
    """
    from greenpark.metrics.carbon.factor_tables import shipped_factors

    result = shipped_factors(kind)
    title = text("factors_list", lang, kind=kind, n=len(result.frame))
    emit_result(result, fmt, title=title, lang=lang)


@factors.command("show", context_settings=CONTEXT)
@click.argument("key")
@period_option(
    kinds=("year", "period"),
    required=False,
    help={"year": "Reporting year (default: this year)."},
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def factors_show(obj, key, period, fmt, lang):
    """Show the factor a park uses for KEY (a slot such as electricity.location,
    fuel.natural_gas.ncv, tce.electricity): shipped value, park override, effective value.

    \b
    Example:
      greenpark --db park.duckdb factors show fuel.natural_gas.carbon_content --year 2025
    """
    from greenpark.metrics.carbon.factor_tables import factor_in_use

    result = factor_in_use(obj.store(read_only=True), key, period)
    emit_result(result, fmt, title=text("factor_show", lang, key=key), lang=lang)


# ------------------------------------------------------------------------------ loads
_LOAD_HELP = {"encoding": "Text encoding of a CSV (utf-8, gbk)."}


def _load_command(kind: str, name: str, columns: str, example: str):
    @load.command(name, context_settings=CONTEXT)
    @click.argument("file", type=click.Path(dir_okay=False))
    @load_options("map", "replace", "encoding", "sheet", "header-row", help=_LOAD_HELP)
    @format_option
    @lang_option(default=None)
    @click.pass_obj
    @handle_errors
    def command(obj, file, mapping, replace, encoding, sheet, header_row, fmt, lang):
        from greenpark.cli.app import _report_loads
        from greenpark.loaders.accounting_inputs import load_accounting_input
        from greenpark.loaders.columns import parse_mapping

        result = load_accounting_input(
            obj.store(),
            kind,
            file,
            mapping=parse_mapping(mapping),
            replace=replace,
            encoding=encoding,
            sheet=sheet,
            header_row=header_row,
        )
        _report_loads([result], fmt, lang)

    command.help = (
        f"Load {kind.replace('_', ' ')} from FILE (CSV, XLSX or Parquet).\n\n"
        f"Columns: {columns}.\n\n\b\nExample:\n  {example}"
    )
    return command


_load_command(
    "enterprises",
    "enterprises",
    "enterprise_id (required), name, name_zh, industry, leading_industry (true/false)",
    "greenpark load enterprises enterprises.csv",
)
_load_command(
    "production",
    "production",
    "enterprise_id, month (YYYY-MM), value_added_10k_cny (industrial value added, "
    "10k CNY, >= 0) (required); output_quantity, output_unit",
    "greenpark load production production_2025.xlsx",
)
_load_command(
    "green_power",
    "green-power",
    "instrument_id, type (green_power_trade|gec), mwh, period_start, period_end, "
    "vintage (YYYY-MM) (required); enterprise_id (blank: the park), reference",
    "greenpark load green-power gec_2025.csv",
)
_load_command(
    "factor_overrides",
    "factor-overrides",
    "factor_key (see 'greenpark factors list'), value, unit, source, valid_from, "
    "valid_to (required); note",
    "greenpark load factor-overrides measured_gas_ncv.csv",
)
_load_command(
    "process_emissions",
    "process-emissions",
    "enterprise_id, month (YYYY-MM), process, method (required); tco2, or activity, "
    "activity_unit and factor_tco2_per_unit; source. Scope 1, no energy",
    "greenpark load process-emissions clinker_2025.csv",
)


# ------------------------------------------------------------------------------ carbon
@cli.command(context_settings=CONTEXT)
@period_option()
@click.option(
    "--by",
    type=click.Choice(["scope", "source", "enterprise", "industry"]),
    default="scope",
    show_default=True,
)
@click.option(
    "--ledger",
    "show_ledger",
    is_flag=True,
    help="Show every ledger line: activity, quantity, factor, source, result.",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def carbon(obj, period, by, show_ledger, fmt, lang):
    """CO2 emissions (location- and market-based) and energy (tce) for a month or year.

    Scope 1 fuel combustion, scope 2 purchased electricity (location: provincial grid
    factor; market: green power and GECs at zero, the rest at the national residual
    factor) and heat. Factors carry their source; fallbacks and overrides are stated.

    \b
    Examples:
      greenpark carbon --year 2025
      greenpark carbon --month 2025-06 --by enterprise --format csv
      greenpark carbon --year 2025 --ledger --format json > ledger.json
      greenpark carbon --period 2025-01..2025-06 --by source
    """
    from greenpark.metrics.carbon.tables import carbon_by, ledger_lines

    store = obj.store(read_only=True)
    if show_ledger:
        result = ledger_lines(store, period)
        title = text("carbon_ledger", lang, period=result.inputs["period"], n=len(result.frame))
    else:
        result = carbon_by(store, period, by)
        title = text("carbon", lang, period=result.inputs["period"], by=by)
    emit_result(result, fmt, title=title, lang=lang)


@cli.command(context_settings=CONTEXT)
@period_option(kinds=("month",), help={"month": "Month, park local time."})
@click.option(
    "--by", type=click.Choice(["park", "enterprise", "industry"]), default="park", show_default=True
)
@click.option("--changes", is_flag=True, help="Show month-on-month and year-on-year changes.")
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def intensity(obj, period, by, changes, fmt, lang):
    """Carbon and energy intensities: tCO2/tce (the zero-carbon park core indicator),
    tCO2 and tce per 10k CNY of value added, for the month, year to date and rolling
    12 months, with their comparison periods; for the park, each enterprise or each
    industry.

    \b
    Examples:
      greenpark intensity --month 2025-12
      greenpark intensity --month 2025-12 --changes --format json
      greenpark intensity --month 2025-12 --by industry --changes
    """
    from greenpark.metrics.carbon.tables import entity_intensities_by, park_intensities

    store = obj.store(read_only=True)
    if by == "park":
        result = park_intensities(store, period)
    else:
        result = entity_intensities_by(store, period, by)
    shown = result.flagged_changes() if changes else None
    title = text("intensity", lang, period=period.label, by=by)
    emit_result(result, fmt, title=title, frame=shown, lang=lang)
