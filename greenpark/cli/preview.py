"""CLI: ``greenpark preview`` (a file as ``load`` would read it, nothing written)."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, handle_errors
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option

KINDS = (
    "readings",
    "meters",
    "enterprises",
    "production",
    "green_power",
    "factor_overrides",
    "roofs",
)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="readings",
    show_default=True,
    help="Which table the file is for.",
)
@click.option(
    "--layout", type=click.Choice(["long", "wide"]), default=None, help="Readings layout."
)
@click.option(
    "--timestamp-convention",
    type=click.Choice(["start", "end"]),
    default="start",
    show_default=True,
    help="Whether a timestamp opens or closes its interval.",
)
@click.option("--timestamp-format", default=None, help="strptime format of the timestamps.")
@click.option(
    "--interval",
    "interval_minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Interval length in minutes for --timestamp-convention end.",
)
@load_options("map", "encoding", "sheet", "header-row")
@click.option("--rows", "n_rows", type=click.IntRange(min=0), default=10, show_default=True)
@format_option
@lang_option(default=None)
@handle_errors
def preview(file, kind, n_rows, fmt, lang, mapping, **options):
    """Show what `greenpark load` would load from FILE, without touching the database:
    the detected encoding, delimiter, header row (title rows skipped), layout, column
    mapping, the first rows in canonical form, meters, time range, interval, total rows
    and problems (per column, with a count and the first lines).

    \b
    Examples:
      greenpark preview export.xlsx --map timestamp=采集时间
      greenpark preview 表计台账.csv --kind meters --encoding gbk --map meter_id=表计编号
      greenpark preview hourly.csv --timestamp-convention end --format json
    """
    from greenpark.cli.app import emit
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.preview import preview_text, read_readings, read_table

    options["mapping"] = parse_mapping(mapping)
    if kind == "readings":
        frame, meta = read_readings(file, **options)
    else:
        table = ("mapping", "encoding", "sheet", "header_row")
        frame, meta = read_table(kind, file, **{k: options[k] for k in table})
    if fmt == "json":
        import json

        from greenpark.core.findings import json_safe, records

        out = {"metadata": json_safe(meta), "rows": records(frame.head(n_rows))}
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    if fmt == "table":
        click.echo(preview_text(meta))
    from greenpark.report.texts import text

    title = text("preview", lang, shown=min(n_rows, len(frame)), n=len(frame))
    emit(frame.head(n_rows), fmt, title=title, lang=lang)
