"""``greenpark plan storage|pathway``: size PV and storage under the park's tariff, and the
cheapest path of levers to the zero-carbon threshold."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, emit_assumptions, emit_result, handle_errors
from greenpark.cli.options import format_option, lang_option, period_option

# The table shows the main columns; csv and json have all of them.
STORAGE_HIDDEN = (
    "pv_capex_cny",
    "battery_capex_cny",
    "bill_before_cny",
    "bill_after_cny",
    "om_cny",
)
MACC_HIDDEN = ("name", "year", "capex_cny")


@cli.group(context_settings=CONTEXT)
def plan():
    """Zero-carbon pathway planning: PV + storage under the park's tariff, and the
    cheapest path of levers to the core indicator's threshold (docs/planning.md).

    \b
    Examples:
      greenpark plan storage --year 2025
      greenpark plan pathway --target-year 2030
      greenpark plan pathway --target-year 2030 --levers levers.toml --format json
    """


@plan.command("storage", context_settings=CONTEXT)
@period_option(
    kinds=("year",),
    required=False,
    help={"year": "Year of metered load (default: the newest full year)."},
)
@click.option(
    "--size-kwh",
    "sizes",
    multiple=True,
    type=click.FloatRange(min=0),
    metavar="KWH",
    help="Battery energy to try (repeatable; default [plan.storage] sizes_kwh or 0.5-4 h "
    "of the mean load). Power = energy / [plan.storage] duration_h.",
)
@click.option(
    "--pv-steps",
    default=1,
    show_default=True,
    type=click.IntRange(0, 50),
    help="PV build-out steps: roofs added in order of LCOE (0: no new PV; 1: none or all).",
)
@click.option(
    "--series",
    "series_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the best combination's dispatch series (one row per interval) to "
    "this CSV file.",
)
@format_option
@lang_option
@click.pass_obj
@handle_errors
def storage_cmd(obj, period, sizes, pv_steps, series_path, fmt, lang):
    """Sweep battery sizes and PV build-out; each is dispatched optimally (a linear
    program, HiGHS) against the metered load at its interval under [tariff]. Reports
    capex, annual savings, payback, NPV and IRR, the self-use floor, and marks the best
    by NPV. The bill components of the best follow the table.

    \b
    Examples:
      greenpark plan storage
      greenpark plan storage --year 2025 --size-kwh 2000 --size-kwh 8000 --pv-steps 2
      greenpark plan storage --format json --lang en --series dispatch.csv
    """
    from greenpark.metrics.plan.sizing import storage_plan
    from greenpark.report.labels import check_lang
    from greenpark.report.plan_section import title

    check_lang(lang)
    result = storage_plan(obj.store(read_only=True), period, list(sizes) or None, pv_steps)
    if series_path:
        _write_csv(result.series, series_path)
    if fmt != "table":
        if fmt == "json":
            click.echo(result.to_json(indent=1))
        else:
            emit(result.flagged_frame(), fmt)
        _stderr_notes(result, lang)
        return
    emit_result(
        result,
        fmt,
        title=title("storage", lang, result.inputs),
        frame=result.frame.drop(columns=list(STORAGE_HIDDEN)),
        lang=lang,
    )  # the settings assumed: a table under the result
    emit(result.tables["bill"], fmt, title=title("bill", lang, result.inputs), lang=lang)
    emit_assumptions(result.inputs.get("assumptions", []), fmt, lang)


@plan.command("pathway", context_settings=CONTEXT)
@click.option(
    "--target-year",
    type=click.IntRange(2026, 2100),
    default=None,
    help="Year the core indicator must meet its threshold (default [zero_carbon] target_year).",
)
@click.option(
    "--levers",
    "levers_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="A TOML file of [[levers]] tables (default [[plan.levers]] of park.toml).",
)
@period_option(
    kinds=("year",),
    required=False,
    help={"year": "Base year of metered data (default: the newest full year)."},
)
@click.option(
    "--table",
    "table_name",
    type=click.Choice(["macc", "path", "baseline"]),
    default="macc",
    show_default=True,
    help="Which table csv prints (table prints all; json has all).",
)
@format_option
@lang_option
@click.pass_obj
@handle_errors
def pathway_cmd(obj, target_year, levers_file, period, table_name, fmt, lang):
    """Each lever's annualised cost, tCO2 abated (on the basis the zero-carbon status is
    judged on) and CNY/tCO2: the marginal abatement cost curve; the cheapest combination
    that brings the core indicator to its threshold by the target year, with the
    year-by-year path; or, when the levers cannot, by how much they fall short.

    \b
    Examples:
      greenpark plan pathway --target-year 2030
      greenpark plan pathway --target-year 2030 --levers levers.toml --table path --format csv
      greenpark plan pathway --format json --lang en
    """
    from greenpark.metrics.plan.planner import pathway_result
    from greenpark.report.labels import check_lang
    from greenpark.report.plan_section import title

    check_lang(lang)
    levers = _read_levers(levers_file) if levers_file else None
    result = pathway_result(obj.store(read_only=True), target_year, levers, period)
    if fmt == "json":
        click.echo(result.to_json(indent=1))
        _stderr_notes(result, lang)
        return
    if fmt == "csv":  # ids, as stored; the assumptions and findings on stderr
        frame = result.frame if table_name == "macc" else result.tables[table_name]
        emit(frame, fmt)
        _stderr_notes(result, lang)
        return
    emit(result.tables["baseline"], fmt, title=title("baseline", lang, result.inputs), lang=lang)
    emit_result(
        result,
        fmt,
        title=title("macc", lang, result.inputs),
        frame=result.frame.drop(columns=list(MACC_HIDDEN)),
        lang=lang,
    )
    emit(result.tables["path"], fmt, title=title("path", lang, result.inputs), lang=lang)
    emit_assumptions(result.inputs.get("assumptions", []), fmt, lang)


def _write_csv(frame, path: str) -> None:
    from pathlib import Path

    from greenpark.core.errors import GreenparkError
    from greenpark.report.output import render

    try:
        Path(path).write_text(render(frame, "csv"), encoding="utf-8")
    except OSError as exc:
        raise GreenparkError(f"{path}: cannot write it ({exc.strerror or exc})") from None


def _read_levers(path: str):
    from pathlib import Path

    from greenpark.core.config.plan import parse_levers
    from greenpark.core.errors import ConfigError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None
    return parse_levers(text, path)


def _stderr_notes(result, lang: str) -> None:
    """The settings assumed and the findings of a csv/json plan on stderr, in the
    language asked for (``--lang`` or GREENPARK_LANG: ``注：假设：`` and the message
    catalogue's Chinese, or ``Note: assumed:`` and the English messages); without one,
    English with the finding codes, as the machine outputs' ids."""
    from click.core import ParameterSource

    from greenpark.report.output import NOTE, finding_text
    from greenpark.report.plan_section import notes_of

    if click.get_current_context().get_parameter_source("lang") is ParameterSource.DEFAULT:
        lang = None

    for line in [*notes_of(result, lang), *(finding_text(f, lang) for f in result.findings)]:
        click.echo(f"{NOTE.get(lang, NOTE[None])}{line}", err=True)
