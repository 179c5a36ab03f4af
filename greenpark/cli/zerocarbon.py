"""CLI for zero-carbon park progress: indicators, trajectory, gap; product energy input."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, format_option, handle_errors, load
from greenpark.cli.carbon import _echo_notes, _load_command, _notes

_load_command(
    "product_energy",
    "product-energy",
    "enterprise_id, year, product, unit, intensity, grade1_limit, grade2_limit, "
    "grade3_limit (the national energy consumption limit standard's values, grade 1 "
    "most advanced), standard (e.g. GB 21256-2013) (all required)",
    "greenpark load product-energy product_energy_2025.csv",
)
assert load  # the group the command above attaches to


@cli.group("zero-carbon", context_settings=CONTEXT, invoke_without_command=True)
@click.option("--year", default=None, metavar="YYYY", help="A calendar year.")
@click.option(
    "--month", default=None, metavar="YYYY-MM", help="The rolling 12 months ending with this month."
)
@format_option
@click.pass_context
@handle_errors
def zero_carbon(ctx, year, month, fmt):
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
    from greenpark.metrics.zerocarbon import indicators

    frame = indicators(ctx.obj.store(read_only=True), year=year, month=month)
    notes = [frame.attrs["definition"], f"emissions basis: {frame.attrs['basis']}", *_notes(frame)]
    emit(
        frame,
        fmt,
        title=f"Zero-carbon park indicators {frame.attrs['period']} / 零碳园区指标",
        notes=notes,
    )
    _echo_notes(frame, fmt)


@zero_carbon.command(context_settings=CONTEXT)
@click.option("--year", required=True, metavar="YYYY")
@format_option
@click.pass_obj
@handle_errors
def gap(obj, year, fmt):
    """What closes the gap to the core indicator: zero-carbon electricity needed, the
    natural gas still allowed, the part rooftop PV supplies, green power and GECs.

    \b
    Example:
      greenpark zero-carbon gap --year 2025 --format json
    """
    from greenpark.metrics.zerocarbon import gap as gap_table

    frame = gap_table(obj.store(read_only=True), year)
    shown = frame.T.reset_index().set_axis(["item", "value"], axis=1) if fmt == "table" else frame
    emit(
        shown.astype({"value": object}) if fmt == "table" else shown,
        fmt,
        title=f"Zero-carbon gap {year} (basis: {frame.attrs['basis']})",
        notes=_notes(frame),
    )
    _echo_notes(frame, fmt)


@zero_carbon.command(context_settings=CONTEXT)
@click.option("--month", required=True, metavar="YYYY-MM")
@format_option
@click.pass_obj
@handle_errors
def trajectory(obj, month, fmt):
    """Rolling-12-month tCO2/tce since the 2025 base year and its projection to the
    target year (linear trend, or the plan in park.toml [zero_carbon] plan).

    \b
    Example:
      greenpark zero-carbon trajectory --month 2025-12
    """
    from greenpark.metrics.zerocarbon import trajectory as trajectory_table

    frame = trajectory_table(obj.store(read_only=True), month)
    crossing = frame.attrs["crossing_year"]
    note = (
        f"threshold reached in {crossing}"
        if crossing
        else f"threshold not reached by {frame.attrs['target_year']} on this path"
    )
    emit(
        frame,
        fmt,
        title=f"Zero-carbon trajectory to {frame.attrs['target_year']}",
        notes=[note, *_notes(frame)],
    )
    _echo_notes(frame, fmt)
