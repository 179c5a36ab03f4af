"""CLI for reports and exports: ``greenpark report monthly|annual``, ``greenpark export``."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, handle_errors, import_for_command
from greenpark.cli.options import format_option, lang_option, output_option, period_option

_ALLOW_INCOMPLETE = click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Write it even when a boundary meter (grid, fuel, heat, PV) sent no readings in "
    "the period; its figures are marked incomplete.",
)


def _report_options(func):
    func = _ALLOW_INCOMPLETE(func)
    func = click.option(
        "--allow-empty",
        is_flag=True,
        help="Without data in the period, write a report that says so.",
    )(func)
    func = output_option(
        default="reports", help="Base folder; files go to OUTPUT/<park id>/<period>/."
    )(func)
    return lang_option(func)


def _write(obj, kind: str, period, opts: dict, fmt, title: str) -> None:
    """Write the report; list its files in the report's language (``--lang``)."""
    from greenpark.report.texts import text
    from greenpark.report.writer import write_report

    import_for_command("pandas", "duckdb", "xlsxwriter", "jinja2")  # what a report uses
    store = obj.store(read_only=True)
    files = write_report(store, kind, period, **opts)
    lang = opts.get("lang")
    notes = [text("no_data", lang)] if files.empty else []
    what = text(title, lang)
    title = text("report_files", lang, what=what, period=period.label, folder=files.folder)
    emit(files.to_frame(), fmt, title=title, notes=notes, lang=lang)


@cli.group(context_settings=CONTEXT)
def report():
    """Monthly and annual reports: report.html (charts, zh/en), report.xlsx (the carbon
    audit workbook) and summary.json.

    \b
    Examples:
      greenpark report monthly --month 2025-12
      greenpark report annual --year 2025 --lang en --output out/
    """


@report.command("monthly", context_settings=CONTEXT)
@period_option(kinds=("month",), help={"month": "Month, park local time."})
@_report_options
@format_option
@click.pass_obj
@handle_errors
def report_monthly(obj, period, fmt, **opts):
    """Write the monthly report of MONTH to OUTPUT/<park id>/<YYYY-MM>/.

    Headline figures with month-on-month, year-on-year and year-to-date changes; energy
    by carrier, enterprise and industry; emissions by scope and source; load heatmap and
    time-of-use split; PV; waste and resources; zero-carbon indicators; data quality;
    every factor with its source.

    \b
    Example:
      greenpark --db park.duckdb report monthly --month 2025-12 --lang en
    """
    _write(obj, "monthly", period, opts, fmt, "monthly_report")


@report.command("annual", context_settings=CONTEXT)
@period_option(kinds=("year",), help={"year": "Calendar year, park local time."})
@_report_options
@format_option
@click.pass_obj
@handle_errors
def report_annual(obj, period, fmt, **opts):
    """Write the annual report of YEAR to OUTPUT/<park id>/<YYYY>/ (compared with the
    previous year).

    \b
    Example:
      greenpark --db park.duckdb report annual --year 2025
    """
    _write(obj, "annual", period, opts, fmt, "annual_report")


@cli.group(context_settings=CONTEXT)
def export():
    """Export the carbon-audit workbook or one metric table (csv, parquet, json, xlsx).

    \b
    Examples:
      greenpark export audit --year 2025 --output audit_2025.xlsx
      greenpark export carbon-enterprises --year 2025 --format xlsx --output ent.xlsx
      greenpark export ledger --month 2025-12 --format csv > ledger.csv
    """


@export.command("audit", context_settings=CONTEXT)
@period_option(
    kinds=("year", "month"),
    required=False,
    help={"year": "Calendar year.", "month": "Or a single month."},
)
@output_option(required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write.")
@_ALLOW_INCOMPLETE
@lang_option(default="en")
@click.pass_obj
@handle_errors
def export_audit(obj, period, output, allow_incomplete, lang):
    """Write the carbon-audit workbook (live formulas from activity data and factors to
    emissions and totals) for a year or a month; --lang zh: Chinese sheet names and
    headers (default English: sheet names in English, column ids as headers).

    \b
    Examples:
      greenpark --db park.duckdb export audit --year 2025 --output audit_2025.xlsx
      greenpark --db park.duckdb export audit --year 2025 --lang zh --output 审计_2025.xlsx
    """
    from greenpark.core.errors import GreenparkError
    from greenpark.report.writer import write_audit

    if period is None:
        raise GreenparkError("give exactly one of --year YYYY or --month YYYY-MM")
    store = obj.store(read_only=True)
    path = write_audit(store, output, period=period, allow_incomplete=allow_incomplete, lang=lang)
    click.echo(f"Audit workbook written to {path}")


def _export_command(table: str, description: str, period: str):
    from greenpark.report.exports import EXPORT_FORMATS

    @export.command(table, context_settings=CONTEXT)
    @period_option(
        kinds=("month", "year"),
        required=False,
        help={"month": "A month.", "year": "A calendar year."},
    )
    @format_option(choices=EXPORT_FORMATS, default="csv")
    @output_option(
        type=click.Path(dir_okay=False),
        help="File to write (required for parquet and xlsx; else stdout).",
    )
    @click.option(
        "--encoding",
        type=click.Choice(("utf-8-sig", "utf-8", "gb18030")),
        default="utf-8-sig",
        show_default=True,
        help="Encoding of a CSV file written with --output (stdout is plain UTF-8).",
    )
    @lang_option(default=None)
    @click.pass_obj
    @handle_errors
    def command(obj, period, fmt, output, encoding, lang):
        from greenpark.report.exports import export_result, write_export

        result = export_result(obj.store(read_only=True), table, period)
        text = write_export(
            result.frame, fmt, output, sheet=table, encoding=encoding, lang=lang or "en"
        )
        if text is not None:
            click.echo(text, nl=False)
        else:
            click.echo(f"{table}: {len(result.frame)} rows written to {output}", err=True)
        for finding in result.findings:
            click.echo(f"Note: {finding}", err=True)

    when = {
        "month": "--month YYYY-MM",
        "year": "--year YYYY",
        "none": "no period",
        "either": "--month YYYY-MM or --year YYYY",
    }[period]
    example = {
        "month": "--month 2025-12",
        "year": "--year 2025",
        "none": "",
        "either": "--year 2025",
    }[period]
    command.help = (
        f"Export {description} ({when}).\n\n\b\nExample:\n  greenpark export "
        f"{table} {example} --format xlsx --output {table}.xlsx"
    )
    return command


def _register_exports() -> None:
    from greenpark.report.exports import TABLES

    for name, (description, period) in TABLES.items():
        _export_command(name, description, period)


_register_exports()
