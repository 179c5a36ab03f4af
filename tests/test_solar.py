"""greenpark.metrics.pv.model: hand-checked pieces, and the validation against pvlib's
ModelChain."""

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from pvlib import modelchain, pvsystem, temperature
from pvlib.location import Location

from greenpark.io.weather import read_weather
from greenpark.metrics.pv import model as solar

TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"


def test_ac_per_kwp_by_hand():
    # PVWatts DC at 800 W/m2 and 45 degC: 1 kW x 800/1000 x (1 - 0.0047 x 20) = 0.7248 kW
    # losses 10 %: 0.65232 kW. Inverter: pdc0 = 1 / (1.2 x 0.96) = 0.868056 kW, pac0 =
    # 0.96 x pdc0 = 0.833333 kW; zeta = 0.65232 / 0.868056 = 0.751473;
    # eta = 0.96/0.9637 x (-0.0162 zeta - 0.0059/zeta + 0.9858) = 0.963...
    zeta = 0.65232 / (1 / (1.2 * 0.96))
    eta = 0.96 / 0.9637 * (-0.0162 * zeta - 0.0059 / zeta + 0.9858)
    expected = min(eta * 0.65232, 0.96 / (1.2 * 0.96))
    got = solar.ac_per_kwp(np.array([800.0]), np.array([45.0]), -0.0047, 10.0, 1.2, 0.96)
    assert got[0] == pytest.approx(expected, rel=1e-12)
    # clipping: 1,300 W/m2 at 25 degC -> DC 1.17 kW > pac0 -> AC = pac0 = 1/1.2 kW
    clipped = solar.ac_per_kwp(np.array([1300.0]), np.array([25.0]), -0.0047, 10.0, 1.2, 0.96)
    assert clipped[0] == pytest.approx(1 / 1.2)


def test_performance_ratio_and_capacity_factor_by_hand():
    # 100 kWp, 12,000 kWh in a month with 150 kWh/m2 in plane: (12000/100)/150 = 0.8
    assert solar.performance_ratio(12000.0, 100.0, 150.0) == pytest.approx(0.8)
    assert np.isnan(solar.performance_ratio(1.0, 0.0, 150.0))
    # 1,314 kWh/kWp a year: 1314 / 8760 = 15 %
    assert solar.capacity_factor_pct([1314.0, 5.0], [1.0, 0.0], 8760)[0] == pytest.approx(15.0)
    assert np.isnan(solar.capacity_factor_pct([1314.0, 5.0], [1.0, 0.0], 8760)[1])


def test_undefined_poa_is_zeroed_before_temperature():
    poa = {
        "poa_global": np.array([[np.nan, 500.0]]),
        "poa_direct": np.array([[1.0, 400.0]]),
        "poa_diffuse": np.array([[np.nan, 100.0]]),
    }
    assert solar.fill_poa_nan(poa) == 1
    assert poa["poa_global"].tolist() == [[0.0, 500.0]]
    assert poa["poa_direct"].tolist() == [[0.0, 400.0]]


def test_dhi_zero_at_sunrise_gives_zero_not_nan():
    # Perez is undefined when DHI = 0 with the sun up; such an hour must give 0 kW and
    # leave the following hours alone.
    times = pd.DatetimeIndex(["2025-06-21 21:30", "2025-06-21 22:30", "2025-06-22 04:30"], tz="UTC")
    sun = solar.sun_geometry(times, 31.3, 120.7, 5)
    assert (sun["apparent_zenith"] < 90).tolist() == [True, True, True]
    weather = pd.DataFrame(
        {
            "ghi": [5.0, 80.0, 800.0],
            "dni": [0.0, 100.0, 700.0],
            "dhi": [0.0, 50.0, 150.0],
            "temp_air": 25.0,
            "wind_speed": 1.0,
        },
        index=times,
    )
    systems = pd.DataFrame(
        [
            {
                "tilt_deg": 20,
                "azimuth_deg": 180,
                "albedo": 0.2,
                "temp_a": -3.56,
                "temp_b": -0.075,
                "temp_delta_t": 3,
                "gamma_pdc_per_k": -0.0047,
                "system_losses_pct": 14.0,
                "dc_ac_ratio": 1.2,
                "inverter_efficiency": 0.96,
            }
        ]
    )
    ((_, ac, _, zeroed),) = list(solar.simulate(sun, weather, systems))
    assert zeroed >= 1
    assert ac[0, 0] == 0.0 and ac[1, 0] > 0 and ac[2, 0] > 0.5


def test_screening_weather_matches_monthly_clearness_index():
    starts = pd.date_range("1990-01-01", periods=8760, freq="1h", tz="UTC")
    sun = solar.sun_geometry(solar.midpoints(starts), 31.3, 120.7, 5)
    kt = [0.4, 0.42, 0.44, 0.46, 0.48, 0.50, 0.52, 0.54, 0.5, 0.45, 0.42, 0.4]
    wx = solar.screening_weather(sun, 31.3, 120.7, 5, kt, 20.0, 1.0)
    # K_T = sum GHI / sum (E0n x cos(zenith)) per month, E0n from pvlib's Spencer formula
    extra = pvlib.irradiance.get_extra_radiation(sun.index) * np.cos(np.radians(sun["zenith"]))
    extra = extra.clip(lower=0)
    ratio = wx["ghi"].groupby(sun.index.month).sum() / extra.groupby(sun.index.month).sum()
    assert ratio.to_numpy() == pytest.approx(kt, rel=1e-9)
    assert (wx["dni"] >= 0).all() and (wx["temp_air"] == 20.0).all()


def modelchain_ac(weather, site, tilt, azimuth, kwp, temp_model, gamma, losses_albedo):
    """The direct pvlib computation: one ModelChain, PVWatts configuration."""
    albedo = losses_albedo
    system = pvsystem.PVSystem(
        surface_tilt=tilt,
        surface_azimuth=azimuth,
        albedo=albedo,
        module_parameters={"pdc0": kwp * 1000.0, "gamma_pdc": gamma},
        inverter_parameters={"pdc0": kwp * 1000.0 / 1.2 / 0.96, "eta_inv_nom": 0.96},
        temperature_model_parameters=temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][temp_model],
    )
    chain = modelchain.ModelChain(
        system,
        site,
        aoi_model="physical",
        spectral_model="no_loss",
        transposition_model="perez",
        losses_model="pvwatts",
    )
    chain.run_model(weather)
    return chain.results.ac.fillna(0.0) / 1000.0  # kW


def test_equals_modelchain_on_pvlib_tmy3():
    weather, meta = read_weather(TMY3)
    times = solar.midpoints(weather.index)
    site = Location(meta["latitude"], meta["longitude"], altitude=meta["altitude_m"])
    roofs = [
        (20.0, 180.0, 54.0, "open_rack_glass_polymer"),
        (30.0, 90.0, 30.0, "close_mount_glass_glass"),
        (5.7, 352.0, 12.5, "close_mount_glass_glass"),
    ]
    sapm = temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    systems = pd.DataFrame(
        [
            {
                "tilt_deg": t,
                "azimuth_deg": a,
                "albedo": 0.2,
                "temp_a": sapm[m]["a"],
                "temp_b": sapm[m]["b"],
                "temp_delta_t": sapm[m]["deltaT"],
                "gamma_pdc_per_k": -0.0047,
                "system_losses_pct": pvsystem.pvwatts_losses(),
                "dc_ac_ratio": 1.2,
                "inverter_efficiency": 0.96,
            }
            for t, a, _, m in roofs
        ]
    )
    sun = solar.sun_geometry(
        times,
        meta["latitude"],
        meta["longitude"],
        meta["altitude_m"],
        weather["temp_air"].to_numpy(),
    )
    ((_, ac, _, _),) = list(solar.simulate(sun, weather.set_axis(times), systems))
    mc_weather = weather.set_axis(times)
    for i, (tilt, azimuth, kwp, model) in enumerate(roofs):
        direct = modelchain_ac(mc_weather, site, tilt, azimuth, kwp, model, -0.0047, 0.2)
        ours = ac[:, i] * kwp
        assert ours.sum() == pytest.approx(direct.sum(), rel=1e-9)
        assert np.max(np.abs(ours - direct.to_numpy())) < 1e-9 * kwp
    # sane specific yield for Greensboro NC (36 N): 1,000..1,700 kWh/kWp for the south roof
    assert 1000 < ac[:, 0].sum() < 1700


def test_every_chunk_is_computed_whatever_the_chunk_size():
    weather, meta = read_weather(TMY3)
    sun = solar.sun_geometry(
        solar.midpoints(weather.index), meta["latitude"], meta["longitude"], meta["altitude_m"]
    )
    systems = pd.DataFrame(
        [
            {
                "tilt_deg": 5.0 * i,
                "azimuth_deg": 100.0 + 30 * i,
                "albedo": 0.2,
                "temp_a": -3.56,
                "temp_b": -0.075,
                "temp_delta_t": 3,
                "gamma_pdc_per_k": -0.0047,
                "system_losses_pct": 14.0,
                "dc_ac_ratio": 1.2,
                "inverter_efficiency": 0.96,
            }
            for i in range(5)
        ]
    )
    one = list(solar.simulate(sun, weather, systems, chunk_size=5))[0][1]
    chunks = list(solar.simulate(sun, weather, systems, chunk_size=1, workers=2))
    assert [c[0] for c in chunks] == [0, 1, 2, 3, 4]
    assert np.hstack([c[1] for c in chunks]) == pytest.approx(one, abs=1e-12)
