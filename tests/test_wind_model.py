"""The wind model against hand calculations and against windpowerlib's own ModelChain.

Power curve points come from windpowerlib's shipped OEDB file (read here with ``csv``);
every expected number is worked out in the test from those points and the formulas.
"""

from __future__ import annotations

import csv
import math
import os
import socket

import numpy as np
import pandas as pd
import pytest

from greenpark.metrics.wind.model import (
    ChainOptions,
    Resource,
    direct_modelchain,
    run_sites,
)
from greenpark.metrics.wind.turbines import TurbineSpec, parse_hub_heights, turbine_types


def oedb_curve(turbine_type: str) -> dict[float, float]:
    """Wind speed [m/s] -> power [W] of a shipped curve, straight from the CSV."""
    import windpowerlib

    path = os.path.join(os.path.dirname(windpowerlib.__file__), "oedb", "power_curves.csv")
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    (row,) = [r for r in rows if r[0] == turbine_type]
    return {float(header[i]): float(v) for i, v in enumerate(row) if i and v}


def resource(speeds, heights=(10.0,), hours=None, temp_k=288.15, pressure_pa=101325.0):
    speeds = np.asarray(speeds, dtype=float)
    if speeds.ndim == 1:
        speeds = speeds[:, None]
    n = len(speeds) if hours is None else hours
    index = pd.date_range("2025-01-01", periods=n, freq="h", tz="UTC")
    return Resource(
        index,
        speeds,
        tuple(heights),
        np.full(n, temp_k),
        np.full(n, pressure_pa),
        "test",
    )


def sites_frame(**columns):
    base = {
        "turbine_type": ["E-82/2000"],
        "power_curve_file": [None],
        "rotor_diameter_m": [None],
        "hub_height_m": [100.0],
        "roughness_length_m": [0.1],
        "turbine_count": [1],
        "wake_curve": [False],
        "wake_loss_pct": [0.0],
        "availability_pct": [100.0],
        "other_losses_pct": [0.0],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_constant_hub_height_wind_gives_the_curve_value_times_hours():
    # 8 m/s measured at the hub height itself: no extrapolation; 24 hours.
    p8_w = oedb_curve("E-82/2000")[8.0]
    assert p8_w == 815_000.0
    res = resource(np.full(24, 8.0), heights=(100.0,))
    per_turbine_w, net_kwh = run_sites(res, sites_frame())
    assert per_turbine_w[:, 0].tolist() == [p8_w] * 24
    assert net_kwh.sum() == pytest.approx(p8_w / 1000.0 * 24, rel=1e-12)


def test_between_curve_points_the_power_is_linear_and_losses_multiply():
    curve = oedb_curve("E-82/2000")
    p_825 = curve[8.0] + (curve[9.0] - curve[8.0]) * 0.25  # linear between 8 and 9 m/s
    res = resource(np.full(10, 8.25), heights=(100.0,))
    sites = sites_frame(
        turbine_count=[3], wake_loss_pct=[5.0], availability_pct=[97.0], other_losses_pct=[2.0]
    )
    _, net_kwh = run_sites(res, sites)
    by_hand = p_825 / 1000.0 * 10 * 3 * 0.95 * 0.97 * 0.98
    assert net_kwh.sum() == pytest.approx(by_hand, rel=1e-12)


def test_log_law_from_10_m_to_hub_height_by_hand():
    # v_hub = v_10 * ln(z_hub / z0) / ln(10 / z0); z0 = 0.1 m, hub 100 m: factor 1.5.
    from greenpark.metrics.wind.model import hub_wind_speed

    res = resource([4.0, 6.0])
    v_hub = hub_wind_speed(res, [100.0, 80.0], [0.1, 0.03], ChainOptions())
    assert v_hub[:, 0] == pytest.approx([6.0, 9.0], rel=1e-12)
    factor_80 = math.log(80.0 / 0.03) / math.log(10.0 / 0.03)
    assert v_hub[:, 1] == pytest.approx([4.0 * factor_80, 6.0 * factor_80], rel=1e-12)


def test_power_law_with_an_exponent_by_hand():
    from greenpark.metrics.wind.model import hub_wind_speed

    res = resource([5.0], heights=(10.0, 50.0), hours=1)
    res.wind_speed_m_per_s = np.array([[5.0, 6.0]])
    options = ChainOptions(wind_speed_model="hellman", hellman_exponent=0.2)
    v_hub = hub_wind_speed(res, [100.0, 20.0], [math.nan, math.nan], options)
    # 100 m: closest height 50 m; 20 m: closest height 10 m.
    assert v_hub[0, 0] == pytest.approx(6.0 * (100.0 / 50.0) ** 0.2, rel=1e-12)
    assert v_hub[0, 1] == pytest.approx(5.0 * (20.0 / 10.0) ** 0.2, rel=1e-12)


@pytest.mark.parametrize(
    "options",
    [
        ChainOptions(),
        ChainOptions(density_correction=True),
        ChainOptions(wind_speed_model="hellman", hellman_exponent=0.17),
        ChainOptions(wind_speed_model="hellman"),
    ],
    ids=["log", "log+density", "power-law", "hellman-roughness"],
)
def test_every_site_equals_a_direct_windpowerlib_modelchain(options):
    rng = np.random.default_rng(17)
    hours = 500
    speeds = rng.weibull(2.0, hours) * 7.0
    res = resource(speeds, temp_k=0.0)
    res.temp_air_k = 278.0 + rng.normal(0, 6, hours)
    res.pressure_pa = 100_500.0 + rng.normal(0, 600, hours)
    types = ["E-82/2000", "V90/2000", "E-126/4200", "E-82/2000", "V90/2000"]
    sites = sites_frame(
        turbine_type=types,
        power_curve_file=[None] * 5,
        rotor_diameter_m=[None] * 5,
        hub_height_m=[98.0, 80.0, 135.0, 98.0, 105.0],
        roughness_length_m=[0.1, 0.03, 0.4, 0.1, 0.0024],
        turbine_count=[1] * 5,
        wake_curve=[False] * 5,
        wake_loss_pct=[0.0] * 5,
        availability_pct=[100.0] * 5,
        other_losses_pct=[0.0] * 5,
    )
    per_turbine_w, _ = run_sites(res, sites, options)
    for k, site in enumerate(sites.itertuples()):
        direct = direct_modelchain(
            res, TurbineSpec(site.turbine_type), site.hub_height_m, site.roughness_length_m, options
        )
        assert np.max(np.abs(direct.to_numpy() - per_turbine_w[:, k])) <= 1e-9


def test_custom_power_curve_equals_modelchain_and_its_points(tmp_path):
    curve = tmp_path / "curve.csv"
    curve.write_text(
        "wind_speed_m_per_s,power_kw\n0,0\n3,0\n6,100\n12,500\n25,500\n", encoding="utf-8"
    )
    spec_file = str(curve)
    res = resource([9.0, 30.0, 6.0], heights=(60.0,))
    sites = sites_frame(turbine_type=["my-500"], power_curve_file=[spec_file], hub_height_m=[60.0])
    per_turbine_w, _ = run_sites(res, sites)
    # 9 m/s: halfway between 100 and 500 kW; 30 m/s: beyond the curve, 0 (windpowerlib).
    assert per_turbine_w[:, 0].tolist() == [300_000.0, 0.0, 100_000.0]
    direct = direct_modelchain(res, TurbineSpec("my-500", spec_file), 60.0, 0.1)
    assert np.max(np.abs(direct.to_numpy() - per_turbine_w[:, 0])) <= 1e-9


def test_wake_curve_reduces_the_hub_wind_speed_by_the_dena_efficiency():
    from windpowerlib.wake_losses import get_wind_efficiency_curve

    eff = get_wind_efficiency_curve("dena_mean")
    eta_8 = float(np.interp(8.0, eff["wind_speed"], eff["efficiency"]))
    assert 0.5 < eta_8 < 1.0
    curve = oedb_curve("E-82/2000")
    v = 8.0 * eta_8
    lo = math.floor(v)
    p_by_hand = curve[lo] + (curve[lo + 1] - curve[lo]) * (v - lo)
    res = resource([8.0], heights=(100.0,))
    per_turbine_w, _ = run_sites(res, sites_frame(turbine_count=[4], wake_curve=[True]))
    assert per_turbine_w[0, 0] == pytest.approx(p_by_hand, rel=1e-12)


def test_turbine_library_is_read_offline(monkeypatch):
    from greenpark.metrics.wind import turbines

    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    turbines._library_frame.cache_clear()
    turbines.power_curve.cache_clear()
    types = turbine_types("E-126")
    row = types[types["turbine_type"] == "E-126/4200"].iloc[0]
    assert row["rated_power_kw"] == 4200.0 and row["rotor_diameter_m"] == 127.0
    assert row["has_power_curve"] and "windpowerlib" in row["source"]
    res = resource(np.full(3, 8.0), heights=(135.0,))
    run_sites(res, sites_frame(turbine_type=["E-126/4200"], hub_height_m=[135.0]))


def test_hub_heights_of_the_library_are_parsed():
    assert parse_hub_heights("90;102") == (90.0, 102.0)
    assert parse_hub_heights("87,5; 100; 120") == (87.5, 100.0, 120.0)
    assert parse_hub_heights("75/85") == (75.0, 85.0)
    assert parse_hub_heights(float("nan")) == ()
