"""CLI: ``greenpark preview`` (a file as ``load`` would read it, nothing written)."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, handle_errors
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option
from greenpark.loaders.preview import KINDS  # light: no pandas at start-up


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
    "--source-format",
    type=click.Choice(["epw", "tmy3", "pvgis_json", "pvgis_csv", "csv"]),
    default=None,
    help="Weather: file format (detected when omitted).",
)
@click.option(
    "--timezone", default=None, help="Weather: IANA zone of naive timestamps in a plain CSV."
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
      greenpark preview 固废台账.xlsx --kind waste --header-row 3
      greenpark preview station.csv --kind weather --timezone Asia/Shanghai
    """
    from greenpark.cli.app import emit
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.preview import preview_text, read_file

    options["mapping"] = parse_mapping(mapping)
    given = {
        "readings": (
            "layout",
            "timestamp_convention",
            "timestamp_format",
            "interval_minutes",
        ),
        "weather": ("source_format", "timezone"),
    }.get(kind, ())
    for name in ("layout", "source_format", "timezone", "timestamp_format", "interval_minutes"):
        if options.get(name) is not None and name not in given:
            raise click.UsageError(f"--{name.replace('_', '-')} is not an option of --kind {kind}")
    if kind != "readings" and options["timestamp_convention"] != "start":
        raise click.UsageError(f"--timestamp-convention is not an option of --kind {kind}")
    table = ("mapping", "encoding", "sheet", "header_row")
    frame, meta = read_file(kind, file, **{k: options[k] for k in (*table, *given)})
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
