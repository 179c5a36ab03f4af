"""Rooftop PV commands: ``load roofs``, ``load weather``, ``pv estimate|value|performance``."""

from __future__ import annotations

import sys

import click

from greenpark.cli.app import CONTEXT, cli, emit_assumptions, emit_result, handle_errors, load
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option, period_option
from greenpark.report.texts import long_table, text, weather_label

ESTIMATE_TABLE_COLUMNS = (
    "roof_id",
    "building_id",
    "roof_type",
    "mounting",
    "tilt_deg",
    "azimuth_deg",
    "capacity_kwp",
    "existing_pv_kwp",
    "annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "capacity_factor_pct",
)


@load.command("roofs", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@load_options(
    "map",
    "encoding",
    "sheet",
    "header-row",
    "replace",
    help={"replace": "Overwrite stored roofs that differ."},
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_roofs_cmd(obj, file, mapping, encoding, sheet, header_row, replace, fmt, lang):
    """Load the roof registry from FILE (CSV, XLSX or Parquet).

    Required: roof_id, building_id, enterprise_id, area_m2, tilt_deg (0-90),
    azimuth_deg (0-360, 180 = south), roof_type (flat|pitched). Optional:
    usable_fraction, mounting (racked|flush), existing_pv_kwp, capex_cny_per_kwp.

    \b
    Example:
      greenpark load roofs datasets/demo-park/roofs.csv
    """
    from greenpark.cli.app import _report_loads
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.roofs import load_roofs

    result = load_roofs(
        obj.store(), file, parse_mapping(mapping), replace, encoding, sheet, header_row
    )
    _report_loads([result], fmt, lang)


@load.command("weather", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--source-format",
    "source_format",
    type=click.Choice(["epw", "tmy3", "pvgis_json", "pvgis_csv", "csv"]),
    default=None,
    help="File format (detected when omitted).",
)
@click.option(
    "--timezone",
    default=None,
    help="IANA zone of naive timestamps in a plain CSV, e.g. Asia/Shanghai.",
)
@click.option(
    "--fill",
    is_flag=True,
    help="Interpolate missing hours (reported) instead of refusing the file.",
)
@load_options(
    "map",
    "encoding",
    "sheet",
    "header-row",
    help={
        "map": "Plain CSV: use SOURCE as timestamp, ghi, dni, dhi, temp_air or wind_speed. "
        "Repeatable.",
        "header-row": "Plain CSV/XLSX: 1-based line or row of the header. Detected when "
        "omitted: title rows above it are skipped and reported.",
    },
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_weather_cmd(
    obj, file, source_format, timezone, fill, mapping, encoding, sheet, header_row, fmt, lang
):
    """Load hourly weather from FILE: EPW, TMY3, PVGIS TMY (JSON/CSV) or a plain CSV of
    measured irradiance (GHI, DNI, DHI or GHI only; temp_air; wind_speed).

    \b
    Examples:
      greenpark load weather datasets/demo-park/weather_suzhou_tmy.epw
      greenpark load weather --timezone Asia/Shanghai --fill station_2025.csv
      greenpark load weather --timezone Asia/Shanghai --encoding gbk --header-row 3 \\
          --map timestamp=时间 --map ghi=总辐射 --map temp_air=气温 气象站导出.csv
    """
    from greenpark.cli.app import _report_loads
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.weather import load_weather

    result = load_weather(
        obj.store(),
        file,
        fmt=source_format,
        timezone=timezone,
        fill=fill,
        mapping=parse_mapping(mapping),
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
    )
    _report_loads([result], fmt, lang)


@cli.group(context_settings=CONTEXT)
def pv():
    """Rooftop PV: potential per roof, self-consumption and value, existing PV performance.

    \b
    Examples:
      greenpark pv estimate
      greenpark pv value --year 2025
      greenpark pv performance --month 2025-08
    """


class _Bar:
    """A progress bar on stderr when it is a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="modelling roof classes", file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@pv.command("estimate", context_settings=CONTEXT)
@click.option(
    "--roof", "roof_ids", multiple=True, metavar="ID", help="Only this roof (repeatable)."
)
@click.option(
    "--weather",
    default=None,
    metavar="ID|pvgis|screening",
    help="Weather set id, 'pvgis' (download once and cache) or 'screening' "
    "(clear sky x monthly clearness indices). Default: the newest typical year.",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def estimate_cmd(obj, roof_ids, weather, fmt, lang):
    """Rooftop PV potential per roof and for the park, stored as the current estimate.

    Per roof: kWp, annual and monthly kWh, kWh/kWp, capacity factor; the last row is the
    park total. The table shows the main columns; csv and json have all of them.

    \b
    Examples:
      greenpark pv estimate
      greenpark pv estimate --roof R-B03-1 --roof R-B16-1 --format json
      greenpark pv estimate --weather screening
    """
    from greenpark.metrics.pv.potential import estimate

    bar = _Bar()
    try:
        found = estimate(
            obj.store(), roof_ids=list(roof_ids) or None, weather=weather, progress=bar
        )
    finally:
        bar.close()
    result = found.to_result()
    frame = result.frame[list(ESTIMATE_TABLE_COLUMNS)] if fmt == "table" else None
    notes = [text("weather", lang, weather=weather_label(found.weather.label, lang))]
    if lang is None:
        notes += found.assumption_notes()
    title = text("pv_estimate", lang, label=found.label, n=len(found.roofs))
    emit_result(
        result, fmt, title=title, notes=notes if fmt == "table" else (), frame=frame, lang=lang
    )
    emit_assumptions(found.assumptions, fmt, lang, screening=found.weather.screening)


@pv.command("value", context_settings=CONTEXT)
@period_option(
    kinds=("year",),
    required=False,
    help={"year": "Year of metered load (default: the newest full year)."},
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def value_cmd(obj, period, fmt, lang):
    """Self-consumption, CO2 avoided and economics of the new PV of the current estimate,
    against the park's hourly metered load.

    \b
    Examples:
      greenpark pv value
      greenpark pv value --year 2025 --format json
    """
    from greenpark.metrics.pv.value import pv_value

    result = pv_value(obj.store(read_only=True), period)
    frame, notes = long_table(result.to_long(), lang)
    if lang is None:
        notes = result.assumption_notes()
    emit_result(
        result,
        fmt,
        title=text("pv_value", lang),
        notes=notes if fmt == "table" else (),
        frame=frame if fmt == "table" else None,
        lang=lang,
    )
    emit_assumptions(result.inputs["assumptions"], fmt, lang)


@pv.command("performance", context_settings=CONTEXT)
@period_option(kinds=("month",), help={"month": "Month, in park local time."})
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def performance_cmd(obj, period, fmt, lang):
    """Metered vs modelled generation of the existing PV (meters with role pv_generation).

    \b
    Example:
      greenpark pv performance --month 2025-08
    """
    from greenpark.metrics.pv.performance import performance

    result = performance(obj.store(read_only=True), period)
    tolerance = result.inputs["tolerance_pct"]
    notes = [
        text("weather", lang, weather=weather_label(result.inputs["weather"], lang)),
        text("pv_shortfall", lang, pct=f"{100 - tolerance:g}"),
    ]
    emit_result(
        result,
        fmt,
        title=text("pv_performance", lang, period=result.inputs["period"]),
        notes=notes if fmt == "table" else (),
        lang=lang,
    )
