"""CLI for zero-carbon park progress: indicators, trajectory, gap; product energy input."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, emit_result, handle_errors, load
from greenpark.cli.carbon import _load_command
from greenpark.cli.options import format_option, period_option

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
@click.pass_context
@handle_errors
def zero_carbon(ctx, period, fmt):
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
    notes = [inputs["definition"], f"emissions basis: {inputs['basis']}"] if fmt == "table" else []
    emit_result(
        result,
        fmt,
        title=f"Zero-carbon park indicators {inputs['period']} / 零碳园区指标",
        notes=[*notes, *bases_notes(bases, inputs["status_basis"])],
    )
    if fmt == "table":
        emit(bases, fmt, title="Core indicator on every basis / 核心指标（各口径）")


@zero_carbon.command(context_settings=CONTEXT)
@period_option(
    kinds=("year", "month"), help={"month": "The rolling 12 months ending with this month."}
)
@format_option
@click.pass_obj
@handle_errors
def bases(obj, period, fmt):
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
        title=f"Core indicator on every basis {full.inputs['period']} / 核心指标（各口径）",
        notes=[full.inputs["status_basis"]["reason"]],
    )


@zero_carbon.command(context_settings=CONTEXT)
@period_option(kinds=("year",))
@format_option
@click.pass_obj
@handle_errors
def gap(obj, period, fmt):
    """What closes the gap to the core indicator: zero-carbon electricity needed, the
    natural gas still allowed, the part rooftop PV supplies, green power and GECs.

    \b
    Example:
      greenpark zero-carbon gap --year 2025 --format json
    """
    from greenpark.metrics.zerocarbon import gap_result

    result = gap_result(obj.store(read_only=True), period)
    items = result.frame.T.reset_index().set_axis(["item", "value"], axis=1)
    emit_result(
        result,
        fmt,
        title=f"Zero-carbon gap {result.inputs['period']} (basis: {result.inputs['basis']})",
        frame=items.astype({"value": object}) if fmt == "table" else None,
    )


@zero_carbon.command(context_settings=CONTEXT)
@period_option(kinds=("month",))
@format_option
@click.pass_obj
@handle_errors
def trajectory(obj, period, fmt):
    """Rolling-12-month tCO2/tce since the 2025 base year and its projection to the
    target year (linear trend, or the plan in park.toml [zero_carbon] plan).

    \b
    Example:
      greenpark zero-carbon trajectory --month 2025-12
    """
    from greenpark.metrics.zerocarbon import trajectory_result

    result = trajectory_result(obj.store(read_only=True), period)
    crossing, target = result.inputs["crossing_year"], result.inputs["target_year"]
    note = (
        f"threshold reached in {crossing}"
        if crossing
        else f"threshold not reached by {target} on this path"
    )
    emit_result(
        result,
        fmt,
        title=f"Zero-carbon trajectory to {target}",
        notes=[note] if fmt == "table" else (),
    )
