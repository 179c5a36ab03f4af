"""Rooftop PV model: a PVWatts-style pvlib chain, vectorised across roofs.

Pure functions: arrays, Series and DataFrames in, the same out. The chain is the one
``pvlib.modelchain.ModelChain`` runs for a PVWatts system (``aoi_model='physical'``,
``spectral_model='no_loss'``, ``losses_model='pvwatts'``, SAPM cell temperature) with
Perez transposition, but organised for many roofs at once:

* the sun (position, air mass, extraterrestrial irradiance) is computed once per park;
* roofs that share an orientation and mounting share one *profile class*; the model runs
  once per class and a roof's output is its capacity times the class's output per kWp
  (PVWatts DC and inverter are linear in size at a fixed DC/AC ratio);
* classes are computed as 2-D arrays (hours x classes) in chunks, and only for hours with
  daylight, so memory stays bounded however many roofs there are.

References
----------
Dobos, A. P. (2014). PVWatts Version 5 Manual. NREL/TP-6A20-62641.
Perez, R. et al. (1990). Modeling daylight availability and irradiance components from
direct and global irradiance. Solar Energy 44(5).
King, D. L. et al. (2004). Photovoltaic Array Performance Model. SAND2004-3535.
Holmgren, W. F. et al. (2018). pvlib python. JOSS 3(29), 884.
"""

from __future__ import annotations

# Light modules imported with this one (not inside the calls: the estimate's own time)
from greenpark.metrics.pv.alloc import keep_freed_memory
from greenpark.metrics.pv.chain import effective_from_cos, poa_and_effective

HOUR_MIDPOINT_MIN = 30
# Classes modelled at a time inside a chunk: (daylight hours x 32) float64 arrays fit
# the CPU's cache better than 128 (measured: 20-40 % less CPU per class).
BLOCK_CLASSES = 32
SYSTEM_COLUMNS = (
    "tilt_deg",
    "azimuth_deg",
    "albedo",
    "temp_a",
    "temp_b",
    "temp_delta_t",
    "gamma_pdc_per_k",
    "system_losses_pct",
    "dc_ac_ratio",
    "inverter_efficiency",
)


def sapm_parameters(model: str) -> dict:
    """SAPM cell-temperature coefficients of a racking/module type.

    Parameters
    ----------
    model : str
        A key of ``pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS['sapm']``, e.g.
        ``open_rack_glass_polymer``.

    Returns
    -------
    dict
        ``a`` [1], ``b`` [s/m], ``deltaT`` [K].
    """
    from pvlib.temperature import TEMPERATURE_MODEL_PARAMETERS

    return dict(TEMPERATURE_MODEL_PARAMETERS["sapm"][model])


def midpoints(starts_utc, offset_min: float = HOUR_MIDPOINT_MIN):
    """Hour-start timestamps -> the instants at which the model is evaluated.

    Parameters
    ----------
    starts_utc : pandas.DatetimeIndex
        Start of each hourly interval, tz-aware.
    offset_min : float
        The instant the weather values represent, after the hour start (the source's
        convention, e.g. 10 for PVGIS's HH:10; default the middle of the hour). [min]

    Returns
    -------
    pandas.DatetimeIndex
        Start + ``offset_min``.
    """
    import pandas as pd

    return starts_utc + pd.Timedelta(minutes=offset_min)


def sun_geometry(
    times, latitude: float, longitude: float, altitude_m: float, temp_air=None, only=None
):
    """Sun position, relative air mass and extraterrestrial irradiance, once per park.

    Parameters
    ----------
    times : pandas.DatetimeIndex
        Instants to evaluate (tz-aware).
    latitude, longitude : float
        Site. [deg]
    altitude_m : float
        Site altitude; sets the pressure for refraction. [m]
    temp_air : array-like, optional
        Air temperature for refraction (pvlib's 12 degC when omitted). [degC]
    only : numpy.ndarray of bool, optional
        Compute these instants only (e.g. the :func:`daylight_hours`, all a model run
        reads); the others are NaN. Every instant is computed on its own, so the values
        are those of the full computation.

    Returns
    -------
    pandas.DataFrame
        ``apparent_zenith``, ``zenith``, ``azimuth`` [deg], ``airmass_relative`` [1],
        ``dni_extra`` [W/m2], indexed by ``times``.
    """
    import numpy as np
    from pvlib import atmosphere, irradiance, solarposition

    if only is not None:
        temps = None if temp_air is None else np.asarray(temp_air)[only]
        part = sun_geometry(times[only], latitude, longitude, altitude_m, temps)
        return part.reindex(times)
    position = solarposition.get_solarposition(
        times,
        latitude,
        longitude,
        altitude_m,
        pressure=atmosphere.alt2pres(altitude_m),
        method="nrel_numpy",
        temperature=12 if temp_air is None else np.asarray(temp_air),
    )
    sun = position[["apparent_zenith", "zenith", "azimuth"]].copy()
    sun["airmass_relative"] = atmosphere.get_relative_airmass(
        sun["apparent_zenith"], model="kastenyoung1989"
    )
    sun["dni_extra"] = irradiance.get_extra_radiation(times.day_of_year.to_numpy())
    return sun


def decompose_ghi(ghi, sun):
    """Split GHI into DNI and DHI with the Erbs model (for GHI-only measurements).

    Parameters
    ----------
    ghi : array-like
        Global horizontal irradiance. [W/m2]
    sun : pandas.DataFrame
        From :func:`sun_geometry` (``zenith``; its index gives the day of year).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        DNI and DHI. [W/m2]

    References
    ----------
    Erbs, D. G., Klein, S. A., Duffie, J. A. (1982). Estimation of the diffuse radiation
    fraction for hourly, daily and monthly-average global radiation. Solar Energy 28(4).
    """
    import numpy as np
    from pvlib import irradiance

    split = irradiance.erbs(
        np.asarray(ghi, dtype=float), sun["zenith"].to_numpy(), sun.index.day_of_year.to_numpy()
    )
    return np.asarray(split["dni"], dtype=float), np.asarray(split["dhi"], dtype=float)


def screening_weather(
    sun,
    latitude: float,
    longitude: float,
    altitude_m: float,
    clearness_index_monthly,
    temp_air_degc: float,
    wind_speed_m_per_s: float,
):
    """Clear-sky irradiance scaled to monthly clearness indices (a screening estimate).

    Ineichen clear sky with pvlib's bundled Linke turbidity climatology gives the hourly
    shape; each month is scaled so that its GHI sum equals ``K_T,m`` x the month's
    extraterrestrial horizontal irradiation; Erbs splits GHI into DNI and DHI.

    Parameters
    ----------
    sun : pandas.DataFrame
        From :func:`sun_geometry`, hourly (index: interval midpoints).
    latitude, longitude : float
        Site. [deg]
    altitude_m : float
        Site altitude. [m]
    clearness_index_monthly : sequence of 12 float
        Monthly clearness index K_T = GHI / extraterrestrial horizontal. [1]
    temp_air_degc : float
        Air temperature assumed in every hour. [degC]
    wind_speed_m_per_s : float
        Wind speed assumed in every hour. [m/s]

    Returns
    -------
    pandas.DataFrame
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s].

    References
    ----------
    Ineichen, P., Perez, R. (2002). A new airmass independent formulation for the Linke
    turbidity coefficient. Solar Energy 73(3).
    """
    import numpy as np
    import pandas as pd
    from pvlib import clearsky

    turbidity = clearsky.lookup_linke_turbidity(sun.index, latitude, longitude)
    clear = clearsky.ineichen(
        sun["apparent_zenith"],
        sun["airmass_relative"] * _pressure_ratio(altitude_m),
        turbidity,
        altitude_m,
        dni_extra=sun["dni_extra"],
    )["ghi"].fillna(0.0)
    extra = (sun["dni_extra"] * np.cos(np.radians(sun["zenith"]))).clip(lower=0.0)
    month = sun.index.month
    kt = np.asarray(clearness_index_monthly, dtype=float)[month - 1]
    target = extra.groupby(month).transform("sum") * kt
    clear_sum = clear.groupby(month).transform("sum")
    ghi = (clear * (target / clear_sum.where(clear_sum > 0))).fillna(0.0).to_numpy()
    dni, dhi = decompose_ghi(ghi, sun)
    return pd.DataFrame(
        {
            "ghi": ghi,
            "dni": dni,
            "dhi": dhi,
            "temp_air": temp_air_degc,
            "wind_speed": wind_speed_m_per_s,
        },
        index=sun.index,
    )


def _pressure_ratio(altitude_m: float) -> float:
    from pvlib import atmosphere

    return atmosphere.alt2pres(altitude_m) / 101325.0


def fill_poa_nan(poa: dict) -> int:
    """Set undefined plane-of-array values to 0 in place, before any temperature model.

    Perez transposition is undefined at sunrise/sunset hours with DHI = 0; such hours
    produce no energy. Zeroing them here keeps a stateful temperature model from carrying
    a NaN into the hours after it.

    Returns
    -------
    int
        Number of values set to 0 (hours x orientations).
    """
    import numpy as np

    # poa_global = poa_direct + poa_diffuse is finite exactly when both are (irradiances
    # are far from overflowing): one test instead of three.
    finite = np.isfinite(poa["poa_global"])
    if finite.all():
        return 0
    bad = ~finite
    count = int(np.count_nonzero(bad))
    if count:
        for key in ("poa_global", "poa_direct", "poa_diffuse"):
            poa[key] = np.where(bad, 0.0, poa[key])
    return count


def sapm_cell(poa_global, temp_air, wind_speed, a, b, delta_t, class_axis: int = 1):
    """``pvlib.temperature.sapm_cell`` for many classes, ``exp(a + b x wind)`` computed
    once per distinct pair of coefficients (the mountings) instead of once per class;
    the same operations in the same order, so bit for bit pvlib's.

    Parameters
    ----------
    poa_global : numpy.ndarray, shape (t, n) or (n, t)
        Plane-of-array irradiance. [W/m2]
    temp_air, wind_speed : numpy.ndarray, shape (t, 1) or (1, t)
        [degC], [m/s]
    a, b, delta_t : numpy.ndarray, shape (1, n) or (n, 1)
        SAPM coefficients: [1], [s/m], [K].
    class_axis : int
        The axis of the classes: 1 for (t, n), 0 for (n, t).

    Returns
    -------
    numpy.ndarray
        Cell temperature, shaped as ``poa_global``. [degC]
    """
    import numpy as np

    pairs, which = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1, return_inverse=True)
    shape = [1, 1]
    shape[class_axis] = -1
    # exp(a + b x wind), one row (column) per distinct pair
    factor = np.exp(pairs[0].reshape(shape) + pairs[1].reshape(shape) * wind_speed)
    module = poa_global * np.take(factor, which.ravel(), axis=class_axis) + temp_air
    return module + (poa_global / 1000.0) * delta_t


def ac_per_kwp(
    effective, temp_cell, gamma_pdc_per_k, system_losses_pct, dc_ac_ratio, inverter_efficiency
):
    """PVWatts DC, system losses and PVWatts inverter, for 1 kWp of modules.

    Parameters
    ----------
    effective : numpy.ndarray
        Effective irradiance. [W/m2]
    temp_cell : numpy.ndarray
        Cell temperature. [degC]
    gamma_pdc_per_k : float or numpy.ndarray
        Power temperature coefficient. [1/K]
    system_losses_pct : float or numpy.ndarray
        PVWatts system losses. [%]
    dc_ac_ratio : float or numpy.ndarray
        DC nameplate / inverter AC nameplate. [1]
    inverter_efficiency : float or numpy.ndarray
        Nominal inverter efficiency. [1]

    Returns
    -------
    numpy.ndarray
        AC power per kWp of modules. [kW/kWp]
    """
    from pvlib import inverter, pvsystem

    dc = pvsystem.pvwatts_dc(effective, temp_cell, 1.0, gamma_pdc_per_k)
    dc = dc * (1.0 - system_losses_pct / 100.0)
    pdc0_inverter = 1.0 / (dc_ac_ratio * inverter_efficiency)
    return inverter.pvwatts(dc, pdc0_inverter, eta_inv_nom=inverter_efficiency)


def profiles_chunk(sun: dict, weather: dict, systems, transposition: str = "perez"):
    """AC output per kWp of some profile classes (the hours given are all daylight).

    The classes are modelled :data:`BLOCK_CLASSES` at a time (each value depends on its
    hour and class only, so the blocks change no result; small blocks keep the
    intermediate arrays in the CPU's cache), one row per class: the rows are the
    classes' profiles as they are stored, with no transposition.

    Parameters
    ----------
    sun : dict of numpy.ndarray, shape (1, t)
        See :func:`greenpark.metrics.pv.chain.poa_and_effective` (which takes either
        orientation).
    weather : dict of numpy.ndarray, shape (1, t)
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s].
    systems : pandas.DataFrame
        One row per class with :data:`SYSTEM_COLUMNS`.
    transposition : str
        Sky diffuse model.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, int)
        AC power (n, t) [kW/kWp], POA global (n, t) [W/m2], undefined POA values zeroed.
    """
    import numpy as np

    col = {c: systems[c].to_numpy(dtype=float)[:, np.newaxis] for c in SYSTEM_COLUMNS}
    n = len(systems)
    shape = (n, weather["ghi"].shape[1])
    ac, poa_global, zeroed = np.empty(shape), np.empty(shape), 0
    for first in range(0, n, BLOCK_CLASSES):
        block = slice(first, first + BLOCK_CLASSES)
        ac_b, poa_b, bad = _profiles_block(
            sun, weather, {c: v[block] for c, v in col.items()}, transposition
        )
        ac[block], poa_global[block] = ac_b, poa_b
        zeroed += bad
    return ac, poa_global, zeroed


def _profiles_block(sun: dict, weather: dict, col: dict, transposition: str):
    """:func:`profiles_chunk` of one block of classes (``col``: each of
    :data:`SYSTEM_COLUMNS`, shape (n, 1))."""
    import numpy as np

    poa = poa_and_effective(
        col["tilt_deg"],
        col["azimuth_deg"],
        sun,
        weather["ghi"],
        weather["dni"],
        weather["dhi"],
        col["albedo"],
        transposition,
    )
    zeroed = fill_poa_nan(poa)
    effective = effective_from_cos(poa["poa_direct"], poa["poa_diffuse"], poa["cos_aoi"])
    temp_cell = sapm_cell(
        poa["poa_global"],
        weather["temp_air"],
        weather["wind_speed"],
        col["temp_a"],
        col["temp_b"],
        col["temp_delta_t"],
        class_axis=0,
    )
    ac = ac_per_kwp(
        effective,
        temp_cell,
        col["gamma_pdc_per_k"],
        col["system_losses_pct"],
        col["dc_ac_ratio"],
        col["inverter_efficiency"],
    )
    return np.maximum(np.nan_to_num(ac), 0.0), poa["poa_global"], zeroed


def simulate(
    sun,
    weather,
    systems,
    transposition: str = "perez",
    chunk_size: int = 128,
    progress=None,
    workers: int | None = None,
    daylight_only: bool = False,
):
    """Run the chain for every profile class, chunk by chunk.

    Parameters
    ----------
    sun : pandas.DataFrame
        From :func:`sun_geometry` (hourly, index: interval midpoints).
    weather : pandas.DataFrame
        ``ghi``, ``dni``, ``dhi``, ``temp_air``, ``wind_speed``, aligned with ``sun``.
    systems : pandas.DataFrame
        One row per profile class with :data:`SYSTEM_COLUMNS`.
    transposition : str
        Sky diffuse model.
    chunk_size : int
        Classes per chunk (bounds memory: about 30 arrays of daylight-hours x chunk).
    progress : callable, optional
        ``progress(done, total)`` after each chunk.
    workers : int, optional
        Threads computing chunks (numpy releases the GIL); default: up to 2 CPUs. At
        most ``workers`` chunks are held ahead of the consumer. While the chunks are
        computed, the C allocator keeps freed memory
        (:func:`greenpark.metrics.pv.alloc.keep_freed_memory`).
    daylight_only : bool
        Yield the rows of the :func:`daylight_hours` only (every other hour is 0).

    Yields
    ------
    (int, numpy.ndarray, numpy.ndarray, int)
        First class of the chunk, AC output (all hours, or the daylight hours, x classes)
        [kWh/kWp per hour], POA global insolation [Wh/m2 per hour] and the number of
        undefined POA values set to 0.
    """
    import os
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor
    from itertools import islice

    import numpy as np

    active = daylight_hours(weather)
    sun_a = {
        c: sun[c].to_numpy(dtype=float)[np.newaxis, active]
        for c in ("apparent_zenith", "azimuth", "airmass_relative", "dni_extra")
    }
    wx_a = {
        c: weather[c].to_numpy(dtype=float)[np.newaxis, active]
        for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed")
    }
    total = len(systems)

    def run(start):
        ac_a, poa_a, zeroed = profiles_chunk(
            sun_a, wx_a, systems.iloc[start : start + chunk_size], transposition
        )
        if daylight_only:  # (hours, classes) views of the class-major arrays
            return start, ac_a.T, poa_a.T, zeroed
        ac = np.zeros((len(weather), len(ac_a)))
        poa = np.zeros((len(weather), len(ac_a)))
        ac[active], poa[active] = ac_a.T, poa_a.T
        return start, ac, poa, zeroed

    workers = workers or min(2, os.cpu_count() or 1)
    starts = iter(range(0, total, chunk_size))
    with keep_freed_memory(), ThreadPoolExecutor(max_workers=workers) as pool:
        pending = deque(pool.submit(run, s) for s in islice(starts, workers))
        while pending:
            result = pending.popleft().result()
            nxt = next(starts, None)
            if nxt is not None:
                pending.append(pool.submit(run, nxt))
            if progress:
                progress(min(result[0] + chunk_size, total), total)
            yield result


def daylight_hours(weather):
    """Hours with any irradiance: the only ones that can produce energy (boolean array)."""
    import numpy as np

    irr = weather[["ghi", "dni", "dhi"]].to_numpy(dtype=float)
    return np.nan_to_num(irr).max(axis=1) > 0


def capacity_factor_pct(energy_kwh, capacity_kwp, hours: float):
    """Capacity factor = E / (P x H) x 100. [%] (NaN where P = 0).

    Parameters
    ----------
    energy_kwh : float, array or Series
        Energy over the hours. [kWh]
    capacity_kwp : float, array or Series
        [kWp]
    hours : float
        [h]
    """
    import numpy as np

    from greenpark.core.numeric import safe_divide

    return safe_divide(energy_kwh, np.multiply(capacity_kwp, hours)) * 100.0


def performance_ratio(energy_kwh, capacity_kwp, insolation_kwh_per_m2):
    """IEC 61724 performance ratio PR = (E / P0) / (H_poa / G_stc). [1]

    Parameters
    ----------
    energy_kwh : float, array or Series
        AC energy. [kWh]
    capacity_kwp : float, array or Series
        DC nameplate. [kWp]
    insolation_kwh_per_m2 : float, array or Series
        Plane-of-array irradiation. [kWh/m2]; G_stc = 1 kW/m2.

    Returns
    -------
    float, array or Series
        NaN where capacity or insolation is 0. [1]
    """
    from greenpark.core.numeric import safe_divide

    return safe_divide(safe_divide(energy_kwh, capacity_kwp), insolation_kwh_per_m2)
