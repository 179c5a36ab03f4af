"""Distributed wind commands: ``load wind-sites``, ``wind turbines|estimate``, ``energy-mix``."""

from __future__ import annotations

import click

from greenpark.cli.app import CONTEXT, cli, emit, emit_result, handle_errors, load
from greenpark.cli.load_options import load_options
from greenpark.cli.options import format_option, lang_option, period_option
from greenpark.report.texts import text

ESTIMATE_TABLE_COLUMNS = (
    "site_id",
    "turbine_type",
    "turbine_count",
    "hub_height_m",
    "capacity_kw",
    "wind_height_m",
    "roughness_length_m",
    "mean_hub_wind_speed_m_per_s",
    "wake_loss_pct",
    "annual_energy_kwh",
    "capacity_factor_pct",
    "full_load_hours_h",
    "lcoe_cny_per_kwh",
)


def _resource_options(func):
    func = click.option(
        "--timezone",
        default=None,
        help="IANA zone of naive mast timestamps (default: the park's).",
    )(func)
    func = click.option(
        "--mast",
        type=click.Path(dir_okay=False),
        default=None,
        help="Mast CSV with wind speeds at two or more heights (wind_speed_10m, "
        "wind_speed_50m ...): the shear exponent is fitted and used.",
    )(func)
    return click.option(
        "--weather",
        default=None,
        metavar="ID",
        help="Weather set id (default: the newest full-year typical set, else measured).",
    )(func)


@load.command("wind-sites", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@load_options("map", "encoding", "sheet", "header-row", "replace")
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def load_wind_sites_cmd(obj, file, mapping, encoding, sheet, header_row, replace, fmt, lang):
    """Load the distributed wind (分散式风电) site registry from FILE (CSV, XLSX, Parquet).

    Required: site_id, turbine_type (a name from 'greenpark wind turbines', or the label
    of a power_curve_file), hub_height_m, and roughness_length_m or terrain_class
    (0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4). Optional: name, latitude, longitude, x_m, y_m,
    power_curve_file (wind_speed_m_per_s, power_kw), rotor_diameter_m, turbine_count,
    availability_pct, other_losses_pct, wake_loss_pct, capex_cny_per_kw,
    om_cny_per_kw_year.

    \b
    Example:
      greenpark load wind-sites datasets/demo-park/wind_sites.csv
    """
    from greenpark.cli.app import _report_loads
    from greenpark.loaders.columns import parse_mapping
    from greenpark.loaders.wind_sites import load_wind_sites

    result = load_wind_sites(
        obj.store(),
        file,
        mapping=parse_mapping(mapping),
        replace=replace,
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
    )
    _report_loads([result], fmt, lang)


@cli.group(context_settings=CONTEXT)
def wind():
    """Distributed wind: turbine library, site estimates.

    \b
    Examples:
      greenpark wind turbines --search enercon
      greenpark wind estimate
    """


@wind.command("turbines", context_settings=CONTEXT)
@click.option("--search", default=None, help="Only types whose name or maker contains TEXT.")
@format_option
@lang_option(default=None)
@handle_errors
def wind_turbines(search, fmt, lang):
    """List the turbine types of windpowerlib's shipped OEDB library (offline).

    Columns: turbine_type, manufacturer, rated_power_kw, rotor_diameter_m,
    hub_heights_m (the heights the library lists), has_power_curve, has_cp_curve, source.

    \b
    Examples:
      greenpark wind turbines
      greenpark wind turbines --search E-82 --format csv
    """
    from greenpark.metrics.wind.turbines import turbine_types

    frame = turbine_types(search)
    frame["hub_heights_m"] = [", ".join(f"{h:g}" for h in hs) for hs in frame["hub_heights_m"]]
    emit(frame, fmt, title=text("wind_turbines", lang, n=len(frame)), lang=lang)


@wind.command("estimate", context_settings=CONTEXT)
@_resource_options
@click.option("--site", "site_ids", multiple=True, help="Only this site id. Repeatable.")
@click.option(
    "--density-correction",
    is_flag=True,
    help="Correct the power curves for air density at hub height (windpowerlib).",
)
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def wind_estimate_cmd(obj, weather, mast, timezone, site_ids, density_correction, fmt, lang):
    """Annual energy, capacity factor and full-load hours of every wind site.

    windpowerlib's ModelChain (log law from the measurement height with each site's
    roughness; with --mast, the power law with the fitted shear exponent), then wake,
    availability and other losses. The table shows the main columns; csv and json give
    every column (monthly energy: the Python API, gp.wind_estimate).

    \b
    Examples:
      greenpark wind estimate
      greenpark wind estimate --mast mast_2024.csv --timezone Asia/Shanghai
      greenpark wind estimate --site W1 --format json
    """
    from greenpark.metrics.wind.estimate import wind_estimate

    store = obj.store(read_only=True)
    result = wind_estimate(
        store,
        weather=weather,
        mast=mast,
        timezone=timezone,
        site_ids=list(site_ids) or None,
        density_correction=density_correction,
    )
    frame = result.frame[list(ESTIMATE_TABLE_COLUMNS)] if fmt == "table" else None
    title = text("wind_estimate", lang, n=len(result.frame))
    emit_result(result, fmt, title=title, frame=frame, lang=lang)


@cli.command("energy-mix", context_settings=CONTEXT)
@period_option(kinds=("year",), required=False, help={"year": "Calendar year of metered load."})
@_resource_options
@format_option
@lang_option(default=None)
@click.pass_obj
@handle_errors
def energy_mix_cmd(obj, period, weather, mast, timezone, fmt, lang):
    """New rooftop PV, distributed wind and both against the metered load, hour by hour.

    Self-consumption, export, night and winter shares, the share of the zero-carbon gap
    closed, CO2 avoided (FactorBook grid factor of each month), capex, savings, payback
    and LCOE (labelled assumptions: see docs/wind.md).

    \b
    Examples:
      greenpark energy-mix --year 2025
      greenpark energy-mix --year 2025 --format json
    """
    from greenpark.metrics.wind.mix import energy_mix

    result = energy_mix(
        obj.store(read_only=True), period, weather=weather, mast=mast, timezone=timezone
    )
    title = text("energy_mix", lang, period=result.inputs["period"])
    emit_result(result, fmt, title=title, lang=lang)
