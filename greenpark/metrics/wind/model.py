"""The wind model: windpowerlib's ModelChain steps on arrays of (hours x sites).

``windpowerlib.ModelChain.run_model`` does, for one turbine: the wind speed at hub height
(``wind_speed.logarithmic_profile`` or ``wind_speed.hellman`` from the measured height
closest to the hub, or the measured speed itself at that height), the air density at hub
height when asked for (``temperature.linear_gradient`` + ``density.barometric``), then the
power curve (``power_output.power_curve``, optionally density corrected). :func:`run_sites`
calls exactly those windpowerlib functions, once on a 2-D array holding every distinct
site configuration, and the power curve once per turbine type, so 100 sites cost about one
ModelChain. :func:`direct_modelchain` is the per-site ModelChain itself (the anchor of the
tests and of ``benchmarks/bench_wind.py``).

Losses after the power curve (each a labelled assumption or a site input): wake/array
loss (a percentage, or windpowerlib's ``dena_mean`` wind farm efficiency curve applied to
the hub wind speed for sites of more than one turbine), availability and other losses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.metrics.wind.turbines import TurbineSpec, power_curve

WIND_SPEED_MODELS = ("logarithmic", "hellman")
WAKE_CURVE = "dena_mean"


@dataclass(frozen=True)
class ChainOptions:
    """Model choices (windpowerlib ModelChain parameters).

    Attributes
    ----------
    wind_speed_model : str
        ``logarithmic`` (roughness length) or ``hellman`` (power law).
    hellman_exponent : float or None
        Power-law exponent; None: 1 / ln(hub height / roughness length). [1]
    obstacle_height_m : float
        [m]
    density_correction : bool
        Density-corrected power curve (needs temperature and pressure).
    temperature_height_m, pressure_height_m : float
        Heights of the temperature and pressure data. [m]
    """

    wind_speed_model: str = "logarithmic"
    hellman_exponent: float | None = None
    obstacle_height_m: float = 0.0
    density_correction: bool = False
    temperature_height_m: float = 2.0
    pressure_height_m: float = 0.0


@dataclass
class Resource:
    """Hourly wind resource of one place.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        UTC hour starts.
    wind_speed_m_per_s : numpy.ndarray
        Shape (hours, heights). [m/s]
    heights_m : tuple of float
        Height of each wind speed column. [m]
    temp_air_k : numpy.ndarray
        Air temperature at ``temperature_height_m``. [K]
    pressure_pa : numpy.ndarray
        Air pressure at ``pressure_height_m``. [Pa]
    label : str
        Where it comes from (weather set or mast file).
    shear_exponent : float or None
        Fitted from a mast with several heights. [1]
    findings : list of Finding
    """

    index: object
    wind_speed_m_per_s: object
    heights_m: tuple
    temp_air_k: object
    pressure_pa: object
    label: str
    shear_exponent: float | None = None
    findings: list = field(default_factory=list)


def closest_height_index(heights_m, hub_heights_m):
    """Index of the measured height closest to each hub height (first on a tie, as
    ModelChain). [1]"""
    import numpy as np

    heights = np.asarray(heights_m, dtype=float)
    hub = np.asarray(hub_heights_m, dtype=float)
    return np.abs(hub[None, :] - heights[:, None]).argmin(axis=0)


def hub_wind_speed(resource: Resource, hub_heights_m, roughness_m, options: ChainOptions):
    """Wind speed at each hub height, as ModelChain.wind_speed_hub. [m/s]

    Parameters
    ----------
    resource : Resource
    hub_heights_m, roughness_m : numpy.ndarray
        Per configuration (columns). [m]
    options : ChainOptions

    Returns
    -------
    numpy.ndarray
        Shape (hours, configurations). [m/s]
    """
    import numpy as np
    from windpowerlib import wind_speed

    hub = np.asarray(hub_heights_m, dtype=float)
    z0 = np.asarray(roughness_m, dtype=float)
    nearest = closest_height_index(resource.heights_m, hub)
    out = np.empty((len(resource.index), len(hub)))
    for j, height in enumerate(resource.heights_m):
        cols = np.flatnonzero(nearest == j)
        if not len(cols):
            continue
        v = resource.wind_speed_m_per_s[:, j][:, None]
        if options.wind_speed_model == "hellman":
            out[:, cols] = wind_speed.hellman(
                v, height, hub[None, cols], z0[None, cols], options.hellman_exponent
            )
        else:
            out[:, cols] = wind_speed.logarithmic_profile(
                v, height, hub[None, cols], z0[None, cols], options.obstacle_height_m
            )
        same = cols[hub[cols] == height]
        out[:, same] = v
    return out


def hub_density(resource: Resource, hub_heights_m, options: ChainOptions):
    """Air density at each hub height, as ModelChain.density_hub (linear temperature
    gradient, barometric height equation). [kg/m3]"""
    import numpy as np
    from windpowerlib import density, temperature

    hub = np.asarray(hub_heights_m, dtype=float)[None, :]
    t = resource.temp_air_k[:, None]
    t_hub = temperature.linear_gradient(t, options.temperature_height_m, hub)
    t_hub = np.where(hub == options.temperature_height_m, t, t_hub)
    return density.barometric(resource.pressure_pa[:, None], options.pressure_height_m, hub, t_hub)


def turbine_power_w(spec: TurbineSpec, v_hub, rho_hub, options: ChainOptions):
    """Power of one turbine from its power curve (windpowerlib.power_output.power_curve)
    for every column of ``v_hub``. [W]"""
    import numpy as np
    from windpowerlib import power_output

    speeds, values, _, _ = power_curve(spec)
    if not options.density_correction:
        return power_output.power_curve(v_hub, speeds, values)
    cols = [
        power_output.power_curve(v_hub[:, k], speeds, values, rho_hub[:, k], True)
        for k in range(v_hub.shape[1])
    ]
    return np.column_stack(cols)


def config_keys(sites, options: ChainOptions) -> list[tuple]:
    """What makes two sites' per-turbine output the same: turbine, hub height, roughness
    and whether the wake curve applies."""
    return [
        (
            site_spec(s),
            float(s.hub_height_m),
            _or(s.roughness_length_m, -1.0),
            bool(s.wake_curve),
        )
        for s in sites.itertuples()
    ]


def site_spec(site) -> TurbineSpec:
    """The TurbineSpec of a site row (blank cells as None, so equal specs hash equal)."""
    return TurbineSpec(
        site.turbine_type,
        _or(site.power_curve_file, None),
        _or(site.rotor_diameter_m, None),
    )


def _or(value, default):
    return default if value is None or value != value else value


def run_sites(resource: Resource, sites, options: ChainOptions = ChainOptions()):
    """Hourly output of every site, vectorised over the distinct configurations.

    Parameters
    ----------
    resource : Resource
    sites : pandas.DataFrame
        One row per site: ``turbine_type, power_curve_file, rotor_diameter_m,
        hub_height_m, roughness_length_m`` [m], ``turbine_count``, ``wake_curve`` (bool:
        windpowerlib's ``dena_mean`` curve), ``wake_loss_pct, availability_pct,
        other_losses_pct`` [%].
    options : ChainOptions

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Per-turbine power before losses [W] and the site's net energy per hour [kWh],
        both shape (hours, sites).
    """
    import numpy as np
    from windpowerlib import wake_losses

    keys = config_keys(sites, options)
    unique = list(dict.fromkeys(keys))
    position = {k: i for i, k in enumerate(unique)}
    hub = np.array([k[1] for k in unique])
    z0 = np.array([k[2] for k in unique])
    v_hub = hub_wind_speed(resource, hub, np.where(z0 < 0, np.nan, z0), options)
    wake = np.array([k[3] for k in unique])
    if wake.any():
        v_hub[:, wake] = wake_losses.reduce_wind_speed(v_hub[:, wake], WAKE_CURVE)
    rho = hub_density(resource, hub, options) if options.density_correction else None
    power = np.empty_like(v_hub)
    for spec in dict.fromkeys(k[0] for k in unique):
        cols = np.array([i for i, k in enumerate(unique) if k[0] == spec])
        power[:, cols] = turbine_power_w(
            spec, v_hub[:, cols], None if rho is None else rho[:, cols], options
        )
    per_turbine = power[:, [position[k] for k in keys]]
    return per_turbine, per_turbine * net_factor(sites)[None, :] / 1000.0


def net_factor(sites):
    """Turbines x (1 - wake %) x availability x (1 - other losses %) per site. [1]"""
    import numpy as np

    return (
        sites["turbine_count"].to_numpy(dtype=float)
        * (1.0 - np.nan_to_num(sites["wake_loss_pct"].to_numpy(dtype=float)) / 100.0)
        * sites["availability_pct"].to_numpy(dtype=float)
        / 100.0
        * (1.0 - sites["other_losses_pct"].to_numpy(dtype=float) / 100.0)
    )


def modelchain_weather(resource: Resource, roughness_m: float, options: ChainOptions):
    """The resource as ModelChain's weather DataFrame (MultiIndex: variable, height)."""
    import numpy as np
    import pandas as pd

    columns = {
        ("wind_speed", h): resource.wind_speed_m_per_s[:, j]
        for j, h in enumerate(resource.heights_m)
    }
    columns[("temperature", options.temperature_height_m)] = resource.temp_air_k
    columns[("pressure", options.pressure_height_m)] = resource.pressure_pa
    columns[("roughness_length", 0)] = np.full(len(resource.index), roughness_m)
    frame = pd.DataFrame(columns, index=resource.index)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


def direct_modelchain(
    resource: Resource,
    spec: TurbineSpec,
    hub_height_m: float,
    roughness_m: float,
    options: ChainOptions = ChainOptions(),
):
    """One turbine through ``windpowerlib.ModelChain(...).run_model`` (the anchor). [W]

    Returns
    -------
    pandas.Series
        Power output per hour. [W]
    """
    import pandas as pd
    from windpowerlib import ModelChain, WindTurbine

    if spec.power_curve_file is None:  # windpowerlib reads its shipped OEDB files itself
        turbine = WindTurbine(hub_height=hub_height_m, turbine_type=spec.turbine_type)
    else:
        speeds, values, rated_kw, _ = power_curve(spec)
        turbine = WindTurbine(
            hub_height=hub_height_m,
            nominal_power=rated_kw * 1000.0,
            power_curve=pd.DataFrame({"wind_speed": speeds, "value": values}),
            rotor_diameter=spec.rotor_diameter_m,
            path=None,
        )
    chain = ModelChain(
        turbine,
        wind_speed_model=options.wind_speed_model,
        density_correction=options.density_correction,
        obstacle_height=options.obstacle_height_m,
        hellman_exp=options.hellman_exponent,
    )
    return chain.run_model(modelchain_weather(resource, roughness_m, options)).power_output
