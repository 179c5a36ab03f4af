"""CLI: ``greenpark template`` (a fill-in workbook for an input table)."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, handle_errors
from greenpark.cli.options import lang_option, output_option
from greenpark.loaders.templates import KINDS  # light: no pandas at start-up


@cli.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(KINDS))
@lang_option
@output_option(required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write.")
@handle_errors
def template(kind, lang, output):
    """Write a fill-in workbook for an input table: headers in the chosen language that
    `greenpark load` understands without --map, one example row, drop-down lists
    (carriers, roles, units, waste categories ...) and a notes sheet explaining each
    column with its unit.

    \b
    Examples:
      greenpark template meters --lang zh --output 表计台账.xlsx
      greenpark template readings_wide --lang en --output readings.xlsx
    """
    from greenpark.loaders.templates import write_template

    path = write_template(kind, output, lang)
    click.echo(f"Template {kind} ({lang}) written to {path}")
