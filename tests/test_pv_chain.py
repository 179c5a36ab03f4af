"""The shared-work plane-of-array steps equal pvlib's own calls bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pvlib import atmosphere, iam, iotools, irradiance, solarposition

from greenpark.metrics.pv.chain import (
    effective_from_cos,
    iam_physical_from_cos,
    perez_sky_diffuse,
    poa_and_effective,
)

EPW = Path(__file__).resolve().parents[1] / "datasets" / "demo-park" / "weather_suzhou_tmy.epw"


@pytest.fixture(scope="module")
def inputs():
    weather, meta = iotools.read_epw(EPW)
    times = weather.index + pd.Timedelta(minutes=30)
    pos = solarposition.get_solarposition(times, meta["latitude"], meta["longitude"])
    col = {
        "apparent_zenith": pos["apparent_zenith"],
        "azimuth": pos["azimuth"],
        "airmass_relative": atmosphere.get_relative_airmass(pos["apparent_zenith"]),
        "dni_extra": irradiance.get_extra_radiation(times.day_of_year),
    }
    sun = {k: np.asarray(v, dtype=float)[:, None] for k, v in col.items()}
    wx = {k: weather[k].to_numpy(dtype=float)[:, None] for k in ("ghi", "dni", "dhi")}
    rng = np.random.default_rng(3)
    tilt = np.r_[0.0, 90.0, 30.0, rng.uniform(0, 90, 37)][None, :]
    azimuth = np.r_[180.0, 0.0, 359.9, rng.uniform(0, 360, 37)][None, :]
    return sun, wx, tilt, azimuth


def test_perez_and_poa_equal_pvlib(inputs):
    sun, wx, tilt, az = inputs
    zen, sazi = sun["apparent_zenith"], sun["azimuth"]
    args = (tilt, az, zen, sazi, wx["dni"], wx["ghi"], wx["dhi"])
    sky = irradiance.get_sky_diffuse(
        *args, dni_extra=sun["dni_extra"], airmass=sun["airmass_relative"], model="perez"
    )
    projection = irradiance.aoi_projection(tilt, az, zen, sazi)
    ours = perez_sky_diffuse(
        tilt, projection, wx["dhi"], wx["dni"], sun["dni_extra"], zen, sun["airmass_relative"]
    )
    assert np.array_equal(ours, sky, equal_nan=True)
    aoi = irradiance.aoi(tilt, az, zen, sazi)
    ground = irradiance.get_ground_diffuse(tilt, wx["ghi"], 0.2)
    total = irradiance.poa_components(aoi, wx["dni"], sky, ground)
    got = poa_and_effective(tilt, az, sun, wx["ghi"], wx["dni"], wx["dhi"], 0.2, "perez")
    for key in ("poa_global", "poa_direct", "poa_diffuse"):
        assert np.array_equal(got[key], total[key], equal_nan=True), key
    assert np.array_equal(got["cos_aoi"], np.cos(np.radians(aoi)))


def test_iam_and_effective_equal_pvlib(inputs):
    sun, wx, tilt, az = inputs
    aoi = irradiance.aoi(tilt, az, sun["apparent_zenith"], sun["azimuth"])
    cos_aoi = np.cos(np.radians(aoi))
    assert np.array_equal(iam_physical_from_cos(cos_aoi), iam.physical(aoi))
    # by hand at normal incidence: the IAM is 1
    assert iam_physical_from_cos(np.array([1.0]))[0] == pytest.approx(1.0, abs=1e-15)
    direct = np.maximum(wx["dni"] * cos_aoi, 0)
    diffuse = np.full_like(direct, 50.0)
    expected = direct * iam.physical(aoi) + diffuse
    assert (direct == 0).any() and (direct > 0).any()
    assert np.array_equal(effective_from_cos(direct, diffuse, cos_aoi), expected)
