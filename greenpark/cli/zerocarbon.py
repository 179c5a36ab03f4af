"""CLI for zero-carbon park progress: indicators, trajectory, gap; product energy input."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, emit_result, handle_errors, load
from greenpark.cli.carbon import _load_command
from greenpark.cli.options import format_option, lang_option, period_option
from greenpark.report.texts import items_frame, text

_load_command(
    "product_energy",
    "product-energy",
    "enterprise_id, year, product, unit, intensity, grade1_limit, grade2_limit, "
    "grade3_limit (the national energy consumption limit standard's values, grade 1 "
    "most advanced), standard (e.g. GB 21256-2013) (all required)",
    "greenpark load product-energy product_energy_2025.csv",
)
assert load  # the group the command above attaches to
BASES_CODES = ("zero_carbon.bases", "zero_carbon.primary_unavailable")


@cli.group("zero-carbon", context_settings=CONTEXT, invoke_without_command=True)
@period_option(
    kinds=("year", "month"),
    required=False,
    help={"month": "The rolling 12 months ending with this month."},
)
@format_option
@lang_option(default=None)
@click.pass_context
@handle_errors
def zero_carbon(ctx, period, fmt, lang):
    """The national zero-carbon park indicators: value, threshold, status, confidence.

    The core indicator (tCO2/tce) and its size band follow from the park's own energy
    use; guiding thresholds are provisional (confidence B) and shown so.

    \b
    Examples:
      greenpark zero-carbon --year 2025
      greenpark zero-carbon --month 2025-12 --format json
      greenpark zero-carbon gap --year 2025
      greenpark zero-carbon trajectory --month 2025-12
    """
    if ctx.invoked_subcommand is not None:
        return
    from greenpark.metrics.zerocarbon import indicators_result
    from greenpark.metrics.zerocarbon.bases import bases_notes

    result = indicators_result(ctx.obj.store(read_only=True), period)
    inputs = result.inputs
    bases = result.tables["core_bases"]
    if lang == "zh":  # the definition and every basis: the table that follows, in Chinese
        notes = [text("zc_definition", lang), text("zc_basis", lang, basis=inputs["basis"])]
    else:
        notes = [inputs["definition"], f"emissions basis: {inputs['basis']}"]
        notes = [*notes, *bases_notes(bases, inputs["status_basis"], lang)]
    if fmt != "table" and lang != "zh":  # csv/json: the bases on stderr
        notes = bases_notes(bases, inputs["status_basis"], lang)
    elif fmt != "table":
        notes = notes[1:]  # in Chinese: the basis line (the bases table is not printed)
    emit_result(
        result,
        fmt,
        title=text("zc", lang, period=inputs["period"]),
        notes=notes,
        lang=lang,
    )
    if fmt == "table":
        emit(bases, fmt, title=text("zc_bases", lang, period=""), lang=lang)


@zero_carbon.command(context_settings=CONTEXT)
@period_option(
    kinds=("year", "month"), help={"month": "The rolling 12 months ending with this month."}
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def bases(obj, period, fmt, lang):
    """The core indicator on location and market emissions x calorific and
    primary-energy electricity, and the one the status is judged on (``judged``).

    \b
    Example:
      greenpark zero-carbon bases --year 2025 --format json
    """
    from greenpark.core.findings import Result
    from greenpark.metrics.zerocarbon import indicators_result

    full = indicators_result(obj.store(read_only=True), period)
    table = full.tables["core_bases"]
    result = Result(table, [f for f in full.findings if f.code in BASES_CODES])
    emit_result(
        result,
        fmt,
        title=text("zc_bases", lang, period=f" {full.inputs['period']}"),
        notes=[] if lang == "zh" else [full.inputs["status_basis"]["reason"]],
        lang=lang,
    )


@zero_carbon.command(context_settings=CONTEXT)
@period_option(kinds=("year",))
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def gap(obj, period, fmt, lang):
    """What closes the gap to the core indicator: zero-carbon electricity needed, the
    natural gas still allowed, the part rooftop PV supplies, green power and GECs.

    \b
    Example:
      greenpark zero-carbon gap --year 2025 --format json
    """
    from greenpark.metrics.zerocarbon import gap_result

    result = gap_result(obj.store(read_only=True), period)
    inputs = result.inputs
    emit_result(
        result,
        fmt,
        title=text("zc_gap", lang, period=inputs["period"], basis=inputs["basis"]),
        frame=items_frame(result.frame, lang) if fmt == "table" else None,
        lang=lang,
    )


@zero_carbon.command(context_settings=CONTEXT)
@period_option(kinds=("month",))
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def trajectory(obj, period, fmt, lang):
    """Rolling-12-month tCO2/tce since the 2025 base year and its projection to the
    target year (linear trend, or the plan in park.toml [zero_carbon] plan).

    \b
    Example:
      greenpark zero-carbon trajectory --month 2025-12
    """
    from greenpark.metrics.zerocarbon import trajectory_result

    result = trajectory_result(obj.store(read_only=True), period)
    crossing, target = result.inputs["crossing_year"], result.inputs["target_year"]
    if crossing:
        note = text("zc_crossing", lang, year=crossing)
    else:
        note = text("zc_not_reached", lang, year=target)
    emit_result(
        result,
        fmt,
        title=text("zc_trajectory", lang, year=target),
        notes=[note] if fmt == "table" else (),
        lang=lang,
    )
