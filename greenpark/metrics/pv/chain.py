"""pvlib's plane-of-array steps for many orientations, with the shared work done once.

``pvlib.irradiance.get_sky_diffuse(model='perez')``, ``pvlib.irradiance.aoi``,
``pvlib.irradiance.poa_components`` and ``pvlib.iam.physical`` each recompute the same
(hours x orientations) quantities: the AOI projection twice (Perez and the AOI), the
cosine of the AOI three times (AOI, beam on the plane, IAM), and the IAM's absorption
factor twice. The functions here perform pvlib's own floating-point operations in
pvlib's order (pvlib 0.16), but compute each of those once, so their results are
bit-for-bit those of the pvlib calls they replace (``tests/test_pv_chain.py`` checks
this against the installed pvlib).

References
----------
Perez, R. et al. (1990). Modeling daylight availability and irradiance components from
direct and global irradiance. Solar Energy 44(5).
De Soto, W., Klein, S., Beckman, W. (2006). Improvement and validation of a model for
photovoltaic array performance. Solar Energy 80(1).
Holmgren, W. F. et al. (2018). pvlib python. JOSS 3(29), 884.
"""

from __future__ import annotations

# pvlib.iam.physical defaults: glass refractive index [1], glazing extinction
# coefficient [1/m], glazing thickness [m].
IAM_N, IAM_K, IAM_L = 1.526, 4.0, 0.002


def perez_sky_diffuse(surface_tilt, projection, dhi, dni, dni_extra, solar_zenith, airmass):
    """Perez (1990 all-sites composite) sky diffuse on the plane, from a given projection.

    Parameters
    ----------
    surface_tilt : numpy.ndarray, shape (1, n)
        [deg]
    projection : numpy.ndarray, shape (t, n)
        ``pvlib.irradiance.aoi_projection`` of the orientations. [1]
    dhi, dni, dni_extra : numpy.ndarray, shape (t, 1)
        [W/m2]
    solar_zenith : numpy.ndarray, shape (t, 1)
        Apparent zenith. [deg]
    airmass : numpy.ndarray, shape (t, 1)
        Relative air mass. [1]

    Returns
    -------
    numpy.ndarray, shape (t, n)
        ``pvlib.irradiance.perez(...)`` (``return_components=False``). [W/m2]
    """
    import numpy as np
    from pvlib import irradiance, tools

    kappa = 1.041
    z = np.radians(solar_zenith)
    delta = dhi * airmass / dni_extra
    with np.errstate(invalid="ignore", divide="ignore"):
        eps = (np.divide(dhi + dni, dhi) + kappa * (z**3)) / (1 + kappa * (z**3))
    ebin = np.array(np.digitize(eps, (0.0, 1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2)))
    ebin[np.isnan(eps)] = 0
    ebin -= 1
    f1c, f2c = irradiance._get_perez_coefficients("allsitescomposite1990")
    nans = np.array([np.nan, np.nan, np.nan])
    f1c, f2c = np.vstack((f1c, nans)), np.vstack((f2c, nans))
    f1 = np.maximum(f1c[ebin, 0] + f1c[ebin, 1] * delta + f1c[ebin, 2] * z, 0)
    f2 = f2c[ebin, 0] + f2c[ebin, 1] * delta + f2c[ebin, 2] * z
    a = np.maximum(projection, 0)
    b = np.maximum(tools.cosd(solar_zenith), tools.cosd(85))
    term1 = 0.5 * (1 - f1) * (1 + tools.cosd(surface_tilt))
    term2 = f1 * a / b
    term3 = f2 * tools.sind(surface_tilt)
    sky = np.maximum(dhi * (term1 + term2 + term3), 0)
    return np.where(np.isnan(airmass), 0, sky)


def iam_physical_from_cos(cos_aoi):
    """``pvlib.iam.physical(aoi)`` with its defaults, given ``cos(radians(aoi))``.

    Parameters
    ----------
    cos_aoi : numpy.ndarray
        Cosine of the angle of incidence, as ``pvlib.tools.cosd(aoi)`` gives it. [1]

    Returns
    -------
    numpy.ndarray
        Incidence angle modifier (no anti-reflective coating). [1]
    """
    import numpy as np

    n = IAM_N
    costheta = np.maximum(0, cos_aoi)
    sintheta = np.sqrt(1 - costheta**2)
    n2costheta1 = n * costheta
    sintheta = 1 / n * sintheta
    costheta2 = np.sqrt(1 - sintheta**2)
    n2costheta2 = n * costheta2
    with np.errstate(divide="ignore", invalid="ignore"):
        rho12_s = ((costheta - n2costheta2) / (costheta + n2costheta2)) ** 2
        rho12_p = ((costheta2 - n2costheta1) / (costheta2 + n2costheta1)) ** 2
        absorbed = np.exp(-IAM_K * IAM_L / costheta2)
    tau_s = (1 - rho12_s) * absorbed
    tau_p = (1 - rho12_p) * absorbed
    tau_0 = (1 - ((1 - n) / (1 + n)) ** 2) * np.exp(-IAM_K * IAM_L)
    return (tau_s + tau_p) / 2 / tau_0


def poa_and_effective(surface_tilt, surface_azimuth, sun, ghi, dni, dhi, albedo, model):
    """Plane-of-array irradiance and the AOI's cosine, sharing the projection.

    Parameters
    ----------
    surface_tilt, surface_azimuth : numpy.ndarray, shape (1, n)
        Module tilt from horizontal and azimuth (pvlib: 180 = south). [deg]
    sun : dict of numpy.ndarray, shape (t, 1)
        ``apparent_zenith``, ``azimuth``, ``airmass_relative``, ``dni_extra``.
    ghi, dni, dhi : numpy.ndarray, shape (t, 1)
        Irradiance. [W/m2]
    albedo : numpy.ndarray, shape (1, n)
        Ground reflectance. [1]
    model : str
        ``perez``, ``haydavies`` or ``isotropic``.

    Returns
    -------
    dict
        ``poa_global``, ``poa_direct``, ``poa_diffuse`` [W/m2] and ``cos_aoi`` [1], each
        (t, n), as pvlib's ``get_sky_diffuse``, ``get_ground_diffuse``, ``aoi`` and
        ``poa_components`` give them.
    """
    import numpy as np
    from pvlib import irradiance

    zenith, azimuth = sun["apparent_zenith"], sun["azimuth"]
    projection = irradiance.aoi_projection(surface_tilt, surface_azimuth, zenith, azimuth)
    if model == "perez":
        sky = perez_sky_diffuse(
            surface_tilt,
            projection,
            dhi,
            dni,
            sun["dni_extra"],
            zenith,
            sun["airmass_relative"],
        )
    else:
        sky = irradiance.get_sky_diffuse(
            surface_tilt,
            surface_azimuth,
            zenith,
            azimuth,
            dni,
            ghi,
            dhi,
            dni_extra=sun["dni_extra"],
            airmass=sun["airmass_relative"],
            model=model,
        )
    ground = irradiance.get_ground_diffuse(surface_tilt, ghi, albedo)
    cos_aoi = np.cos(np.radians(np.rad2deg(np.arccos(projection))))
    poa_direct = np.maximum(dni * cos_aoi, 0)
    poa_diffuse = sky + ground
    return {
        "poa_global": poa_direct + poa_diffuse,
        "poa_direct": poa_direct,
        "poa_diffuse": poa_diffuse,
        "cos_aoi": cos_aoi,
    }


def effective_from_cos(poa_direct, poa_diffuse, cos_aoi):
    """``poa_direct x pvlib.iam.physical(aoi) + poa_diffuse``, from the AOI's cosine.

    Returns
    -------
    numpy.ndarray
        Effective irradiance. [W/m2]
    """
    return poa_direct * iam_physical_from_cos(cos_aoi) + poa_diffuse
