"""CLI: ``load meters`` and ``load readings`` (the meter registry and its readings)."""

from __future__ import annotations

import sys

import click

from greenpark.cli.app import CONTEXT, _report_loads, emit, handle_errors, load
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option
from greenpark.report.texts import text


@load.command("meters", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@load_options("map", "encoding", "sheet", "header-row")
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_meters_cmd(obj, file, mapping, encoding, sheet, header_row, fmt, lang):
    """Load or update the meter registry from FILE (CSV, XLSX or Parquet).

    Required columns: meter_id, carrier, role, unit. Optional: name, reading_type
    (interval|register), multiplier, register_max, parent_id, enterprise_id, building_id,
    commissioned_on, decommissioned_on (YYYY-MM-DD: the span the meter should report).

    \b
    Examples:
      greenpark load meters datasets/demo-park/meters.csv
      greenpark load meters --encoding gbk --map meter_id=表计编号 --map carrier=能源种类 \\
          --map role=用途 --map unit=单位 表计台账.csv
    """
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.meters import load_meters

    result = load_meters(obj.store(), file, parse_mapping(mapping), encoding, sheet, header_row)
    _report_loads([result], fmt, lang)


@load.command("log", context_settings=CONTEXT)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_log_cmd(obj, fmt, lang):
    """List every load: file, kind, sha256, the options that changed its meaning
    (identity: --map, --layout, --encoding, --sheet, --timestamp-convention ...), rows
    and outcome.

    \b
    Example:
      greenpark load log --format csv > loads.csv
    """
    from greenpark.loaders.common import load_log

    emit(load_log(obj.store(read_only=True)), fmt, title=text("loads", lang), lang=lang)


@load.command("readings", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--layout",
    type=click.Choice(["long", "wide"]),
    default=None,
    help="long: meter_id,timestamp,value; wide: timestamp + a column per meter. "
    "Detected when omitted.",
)
@click.option(
    "--timestamp-convention",
    type=click.Choice(["start", "end"]),
    default="start",
    show_default=True,
    help="Whether a timestamp opens or closes its interval.",
)
@click.option(
    "--timestamp-format",
    default=None,
    help="strptime format of the timestamps, e.g. '%Y/%m/%d %H:%M'.",
)
@click.option(
    "--interval",
    "interval_minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Interval length in minutes for --timestamp-convention end "
    "(inferred per meter when omitted).",
)
@load_options(
    "map",
    "encoding",
    "sheet",
    "header-row",
    "replace",
    "quarantine",
    help={
        "map": "Use the file's SOURCE column as CANONICAL (meter_id, timestamp, value; "
        "or a meter id in wide files). Repeatable.",
        "replace": "Overwrite stored readings that differ.",
    },
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_readings_cmd(
    obj,
    files,
    layout,
    timestamp_convention,
    timestamp_format,
    interval_minutes,
    mapping,
    encoding,
    sheet,
    header_row,
    replace,
    quarantine,
    fmt,
    lang,
):
    """Load meter readings from FILES (CSV, XLSX or Parquet; long or wide).

    Naive timestamps are read in the park's timezone and stored in UTC. Register
    (cumulative) meters become interval consumption. Loading the same file again
    changes nothing.

    \b
    Examples:
      greenpark load readings readings_2025.parquet
      greenpark load readings --encoding gbk --map meter_id=表计编号 \\
          --map timestamp=采集时间 --map value=正向有功总电能 export.csv
      greenpark load readings --quarantine rejected.csv messy.xlsx
    """
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.readings import ReadingsOptions, load_readings

    options = ReadingsOptions(
        layout=layout,
        mapping=parse_mapping(mapping),
        encoding=encoding,
        timestamp_convention=timestamp_convention,
        timestamp_format=timestamp_format,
        interval_minutes=interval_minutes,
        replace=replace,
        quarantine=quarantine,
        sheet=sheet,
        header_row=header_row,
    )
    with _progress(len(files)) as step:
        results = load_readings(obj.store(), list(files), options, progress=step)
    _report_loads(results, fmt, lang)


class _progress:
    """A step progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, files: int):
        self.files = files
        self.bar = None

    def __enter__(self):
        if sys.stderr.isatty():
            self.bar = click.progressbar(
                length=self.files * 4, label="loading", file=sys.stderr, show_eta=False
            )
            self.bar.__enter__()
        return self

    def __call__(self, text: str) -> None:
        if self.bar is not None:
            self.bar.label = text
            self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
