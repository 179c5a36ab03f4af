"""``greenpark wind estimate``: annual and monthly energy, capacity factor, full-load hours
and hourly profile of every stored wind site, for a weather set or a mast file."""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.metrics.wind.resource import (
    TERRAIN_CLASSES,
    WIND_DEFAULTS,
    mast_resource,
    stored_resource,
    terrain_roughness_m,
)

HOURS_PER_YEAR = 8760.0
SITE_SQL = "SELECT * EXCLUDE (load_id) FROM wind_sites ORDER BY site_id"
SITE_COLUMNS = [
    "site_id",
    "name",
    "turbine_type",
    "turbine_count",
    "hub_height_m",
    "rated_power_kw",
    "capacity_kw",
    "wind_height_m",
    "roughness_length_m",
    "roughness_source",
    "wind_speed_model",
    "mean_hub_wind_speed_m_per_s",
    "gross_energy_kwh",
    "wake_loss_pct",
    "wake_method",
    "availability_pct",
    "other_losses_pct",
    "annual_energy_kwh",
    "capacity_factor_pct",
    "full_load_hours_h",
    "capex_cny",
    "om_cny_per_year",
    "lcoe_cny_per_kwh",
]


def stored_sites(con, site_ids=None):
    """The wind site registry (``greenpark load wind-sites``) as a DataFrame."""
    sites = con.execute(SITE_SQL).df()
    if site_ids:
        unknown = sorted(set(site_ids) - set(sites["site_id"]))
        if unknown:
            raise GreenparkError(f"--site {', '.join(unknown)}: no such wind site")
        sites = sites[sites["site_id"].isin(site_ids)]
    if sites.empty:
        raise GreenparkError(
            "no wind sites stored: load them with 'greenpark load wind-sites FILE'"
        )
    return sites.reset_index(drop=True)


def resolve_sites(sites, findings: list):
    """Fill blanks with their labelled defaults; roughness from the terrain class; the
    wake method of each site (given %, the dena curve for several turbines, none for one).
    """
    import numpy as np

    sites = sites.copy()
    terrain = sites["terrain_class"].notna() & sites["roughness_length_m"].isna()
    sites["roughness_source"] = np.where(terrain, "", "site file")
    for i in np.flatnonzero(terrain.to_numpy()):
        cls = sites.at[i, "terrain_class"]
        sites.at[i, "roughness_length_m"] = terrain_roughness_m(cls)
        sites.at[i, "roughness_source"] = f"terrain class {cls} ({TERRAIN_CLASSES[cls][1]}; EWA)"
    for key in ("availability_pct", "other_losses_pct"):
        blank = sites[key].isna()
        if blank.any():
            sites[key] = sites[key].fillna(WIND_DEFAULTS[key].value)
            findings.append(_default_finding(key, sites.loc[blank, "site_id"]))
    sites["wake_curve"] = sites["wake_loss_pct"].isna() & (sites["turbine_count"] > 1)
    sites["wake_method"] = np.where(
        sites["wake_curve"],
        "windpowerlib dena_mean wind farm efficiency curve",
        np.where(sites["turbine_count"] > 1, "site file %", "single turbine: none"),
    )
    if sites["wake_curve"].any():
        findings.append(_default_finding("wake_model", sites.loc[sites["wake_curve"], "site_id"]))
    sites["wake_loss_pct"] = np.where(sites["turbine_count"] > 1, sites["wake_loss_pct"], 0.0)
    return sites


def _default_finding(key: str, site_ids) -> Finding:
    setting = WIND_DEFAULTS[key]
    ids = ", ".join(map(str, site_ids))
    return Finding(
        f"wind.default_{key}",
        f"{key} = {setting.value:g}{' ' + setting.unit if setting.unit else ''} assumed for "
        f"site(s) {ids} ({setting.source}, {setting.confidence})"
        if isinstance(setting.value, float)
        else f"{key} = {setting.value} for site(s) {ids} ({setting.source})",
        severity="info",
        data={"sites": list(map(str, site_ids)), "value": setting.value},
    )


def wind_estimate(
    store,
    weather: str | None = None,
    mast=None,
    timezone: str | None = None,
    site_ids=None,
    density_correction: bool = False,
) -> Result:
    """Energy of every wind site (or of ``site_ids``) for one wind resource.

    Parameters
    ----------
    store : greenpark.store.Store
    weather : str, optional
        Weather set id (default: the newest full-year typical, else measured, set).
    mast : str or Path, optional
        A mast file with several heights instead of stored weather (shear exponent
        fitted; power law from the closest height).
    timezone : str, optional
        Zone of naive mast timestamps (default: the park's).
    site_ids : list of str, optional
    density_correction : bool
        Density-corrected power curves (windpowerlib); default off, as ModelChain.

    Returns
    -------
    Result
        ``frame``: one row per site (:data:`SITE_COLUMNS`); ``tables``: ``monthly``
        (``site_id, month, energy_kwh``; month 1-12 in park time) and ``hourly`` (UTC
        hour starts x site_id, net energy [kWh]); ``inputs``: ``resource``,
        ``wind_height_m``, ``shear_exponent``, ``options``, ``assumptions``,
        ``turbine_sources``.
    """
    cache_key = (
        "wind.estimate",
        weather,
        str(mast),
        timezone,
        tuple(site_ids or ()),
        density_correction,
    )
    return store.cached(
        cache_key,
        lambda: _estimate(store, weather, mast, timezone, site_ids, density_correction),
    )


def _estimate(store, weather, mast, timezone, site_ids, density_correction) -> Result:
    from greenpark.metrics.wind.model import ChainOptions, run_sites

    park = store.park()
    findings: list[Finding] = []
    sites = resolve_sites(stored_sites(store.con, site_ids), findings)
    if mast is not None:
        resource = mast_resource(mast, timezone or park.timezone)
        options = ChainOptions(
            wind_speed_model="hellman",
            hellman_exponent=resource.shear_exponent,
            density_correction=density_correction,
        )
    else:
        resource = stored_resource(store, weather)
        options = ChainOptions(density_correction=density_correction)
    findings += [f for f in resource.findings if density_correction or not _density_only(f)]
    findings.append(resource_finding(resource, sites))
    per_turbine_w, net_kw = run_sites(resource, sites, options)
    step_h = interval_hours(resource.index)
    net_kwh = net_kw * step_h
    frame, monthly, hourly = site_tables(
        sites, resource, per_turbine_w, net_kwh, step_h, park, options
    )
    findings += _coverage_findings(resource, step_h)
    inputs = {
        "resource": resource.label,
        "wind_height_m": list(resource.heights_m),
        "shear_exponent": resource.shear_exponent,
        "options": vars(options),
        "assumptions": assumption_rows(park),
        "turbine_sources": dict(zip(frame["turbine_type"], turbine_sources(sites), strict=False)),
    }
    return Result(frame, findings, inputs, {"monthly": monthly, "hourly": hourly})


def _density_only(finding: Finding) -> bool:
    """Temperature and pressure matter only to the density correction."""
    return finding.code in ("wind.assumed_temp_air_degc", "wind.assumed_pressure_pa")


def resource_finding(resource, sites) -> Finding:
    """The measurement height and roughness a run rests on, stated with every output."""
    heights = ", ".join(f"{h:g}" for h in resource.heights_m)
    if resource.shear_exponent is not None:
        how = f"power law with the fitted shear exponent {resource.shear_exponent:.3f}"
    else:
        rough = "; ".join(
            f"{s.site_id} {s.roughness_length_m:g} m ({s.roughness_source})"
            for s in sites.itertuples()
        )
        how = f"log law with roughness length {rough}"
    return Finding(
        "wind.resource",
        f"{resource.label}: wind speed measured at {heights} m, extrapolated to hub height "
        f"by the {how}",
        severity="info",
        data={"wind_height_m": list(resource.heights_m), "shear_exponent": resource.shear_exponent},
    )


def interval_hours(index) -> float:
    """The usual step of a resource's timestamps. [h]"""
    import pandas as pd

    if len(index) < 2:
        return 1.0
    return float(pd.Series(index).diff().dropna().mode().iloc[0] / pd.Timedelta(hours=1))


def site_tables(sites, resource, per_turbine_w, net_kwh, step_h: float, park, options):
    """The per-site frame, the monthly table and the hourly profile."""
    import numpy as np
    import pandas as pd

    from greenpark.metrics.pv import economics as pe
    from greenpark.metrics.wind.model import closest_height_index, hub_wind_speed, site_spec
    from greenpark.metrics.wind.turbines import power_curve

    hours = len(resource.index) * step_h
    scale = HOURS_PER_YEAR / hours
    rated = np.array([power_curve(site_spec(s))[2] for s in sites.itertuples()])
    capacity = rated * sites["turbine_count"].to_numpy(dtype=float)
    annual = net_kwh.sum(axis=0) * scale
    v_hub = hub_wind_speed(resource, sites["hub_height_m"], sites["roughness_length_m"], options)
    nearest = closest_height_index(resource.heights_m, sites["hub_height_m"])
    capex = capacity * _or_default(sites, "capex_cny_per_kw")
    om = capacity * _or_default(sites, "om_cny_per_kw_year")
    gross, waked = turbine_energy_kwh(sites, resource, per_turbine_w, options, step_h * scale)
    frame = pd.DataFrame(
        {
            "site_id": sites["site_id"],
            "name": sites["name"],
            "turbine_type": sites["turbine_type"],
            "turbine_count": sites["turbine_count"].astype(int),
            "hub_height_m": sites["hub_height_m"],
            "rated_power_kw": rated,
            "capacity_kw": capacity,
            "wind_height_m": np.asarray(resource.heights_m)[nearest],
            "roughness_length_m": sites["roughness_length_m"],
            "roughness_source": sites["roughness_source"],
            "wind_speed_model": _model_text(options),
            "mean_hub_wind_speed_m_per_s": v_hub.mean(axis=0),
            "gross_energy_kwh": gross,
            "wake_loss_pct": np.where(
                sites["wake_curve"],
                (1.0 - safe_divide(waked, gross)) * 100.0,
                sites["wake_loss_pct"],
            ),
            "wake_method": sites["wake_method"],
            "availability_pct": sites["availability_pct"],
            "other_losses_pct": sites["other_losses_pct"],
            "annual_energy_kwh": annual,
            "capacity_factor_pct": pe.share_pct(annual, capacity * HOURS_PER_YEAR),
            "full_load_hours_h": safe_divide(annual, capacity),
            "capex_cny": capex,
            "om_cny_per_year": om,
            "lcoe_cny_per_kwh": pe.lcoe_cny_per_kwh(
                capex,
                om,
                annual,
                park.economics.discount_rate,
                int(WIND_DEFAULTS["lifetime_years"].value),
                0.0,
            ),
        },
        columns=SITE_COLUMNS,
    )
    hourly = pd.DataFrame(net_kwh, index=resource.index, columns=list(sites["site_id"]))
    months = resource.index.tz_convert(park.timezone).month
    monthly = (
        hourly.groupby(months)
        .sum()
        .rename_axis("month")
        .reset_index()
        .melt(id_vars="month", var_name="site_id", value_name="energy_kwh")
    )
    return frame, monthly[["site_id", "month", "energy_kwh"]], hourly


def turbine_energy_kwh(sites, resource, per_turbine_w, options, hours_per_step: float):
    """Energy of all turbines of each site before losses, free stream and after the wake
    curve (the same where a site has none), per year. [kWh]"""
    from greenpark.metrics.wind.model import run_sites

    count = sites["turbine_count"].to_numpy(dtype=float)
    waked = per_turbine_w.sum(axis=0) * hours_per_step / 1000.0 * count
    if not sites["wake_curve"].any():
        return waked, waked
    free_w, _ = run_sites(resource, sites.assign(wake_curve=False), options)
    return free_w.sum(axis=0) * hours_per_step / 1000.0 * count, waked


def _or_default(sites, key: str):
    return sites[key].fillna(WIND_DEFAULTS[key].value).to_numpy(dtype=float)


def _model_text(options) -> str:
    if options.wind_speed_model == "hellman":
        return f"power law, alpha = {options.hellman_exponent:.3f} (fitted)"
    return "logarithmic (roughness length)"


def turbine_sources(sites) -> list[str]:
    """The source of each site's power curve."""
    from greenpark.metrics.wind.model import site_spec
    from greenpark.metrics.wind.turbines import power_curve

    return [power_curve(site_spec(s))[3] for s in sites.itertuples()]


def assumption_rows(park) -> list[dict]:
    """Every wind default with its source and confidence (and the park's discount rate)."""
    rows = [
        {
            "setting": f"wind.{key}",
            "value": s.value,
            "unit": s.unit,
            "source": s.source,
            "confidence": s.confidence,
        }
        for key, s in WIND_DEFAULTS.items()
    ]
    rows.append(
        {
            "setting": "pv.economics.discount_rate",
            "value": park.economics.discount_rate,
            "unit": "1/a",
            "source": "park.toml [pv.economics] (shared with PV)",
            "confidence": "park",
        }
    )
    return rows


def _coverage_findings(resource, step_h: float) -> list[Finding]:
    hours = len(resource.index) * step_h
    if abs(hours - HOURS_PER_YEAR) <= 24:
        return []
    return [
        Finding(
            "wind.partial_year",
            f"{resource.label}: {hours:,.0f} h of data, not a year: annual figures are the "
            f"data period's energy x {HOURS_PER_YEAR:g} / {hours:,.0f} (no seasonal correction)",
            data={"hours": hours},
        )
    ]
