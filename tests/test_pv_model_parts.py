"""Parts of the PV model that share work across classes stay pvlib's numbers bit for bit."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from pvlib import temperature

from greenpark.metrics.pv import alloc
from greenpark.metrics.pv.model import fill_poa_nan, sapm_cell


def test_sapm_cell_equals_pvlib_for_mixed_mountings():
    rng = np.random.default_rng(5)
    poa = rng.uniform(0, 1100, (50, 7))
    temp_air = rng.uniform(-5, 38, (50, 1))
    wind = rng.uniform(0, 12, (50, 1))
    racked = temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    flush = temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["insulated_back_glass_polymer"]
    kinds = [racked, flush, flush, racked, racked, flush, racked]
    a, b, dt = (np.array([[k[p] for k in kinds]]) for p in ("a", "b", "deltaT"))
    expected = temperature.sapm_cell(poa, temp_air, wind, a, b, dt)
    assert np.array_equal(sapm_cell(poa, temp_air, wind, a, b, dt), expected)
    rows = sapm_cell(poa.T, temp_air.T, wind.T, a.T, b.T, dt.T, class_axis=0)
    assert np.array_equal(rows, expected.T)  # one row per class, as the model runs it
    # by hand, one cell: 1000 W/m2, 25 degC, no wind, open rack glass/polymer
    # T_m = 1000 x exp(-3.56) + 25 = 53.4367..., T_c = T_m + 1000/1000 x 3
    one = sapm_cell(
        np.array([[1000.0]]),
        np.array([[25.0]]),
        np.array([[0.0]]),
        *(np.array([[racked[p]]]) for p in ("a", "b", "deltaT")),
    )
    assert one[0, 0] == pytest.approx(1000 * np.exp(-3.56) + 25 + 3, rel=1e-15)


def test_fill_poa_nan_counts_and_zeroes_the_undefined_cells():
    poa = {
        "poa_direct": np.array([[1.0, 0.0], [2.0, 3.0]]),
        "poa_diffuse": np.array([[np.nan, 1.0], [1.0, np.inf]]),
    }
    poa["poa_global"] = poa["poa_direct"] + poa["poa_diffuse"]
    assert fill_poa_nan(poa) == 2
    assert poa["poa_global"].tolist() == [[0.0, 1.0], [3.0, 0.0]]
    assert poa["poa_direct"].tolist() == [[0.0, 0.0], [2.0, 0.0]]
    assert poa["poa_diffuse"].tolist() == [[0.0, 1.0], [1.0, 0.0]]
    finite = {k: np.ones((2, 2)) for k in ("poa_direct", "poa_diffuse", "poa_global")}
    assert fill_poa_nan(finite) == 0


def test_keep_freed_memory_changes_no_result():
    found = alloc._mallopt()
    if sys.platform.startswith("linux") and found is None:
        pytest.skip("not glibc")
    with alloc.keep_freed_memory():
        inside = np.sqrt(np.arange(300_000, dtype=float)).sum()
    assert inside == np.sqrt(np.arange(300_000, dtype=float)).sum()


def test_sun_geometry_of_some_instants_is_the_full_computation_there():
    import pandas as pd

    from greenpark.metrics.pv.model import sun_geometry

    times = pd.date_range("2025-06-01 00:30", periods=48, freq="1h", tz="UTC")
    temp = np.linspace(15.0, 30.0, 48)
    only = np.zeros(48, dtype=bool)
    only[[0, 5, 6, 7, 30]] = True
    full = sun_geometry(times, 31.3, 120.7, 5, temp)
    part = sun_geometry(times, 31.3, 120.7, 5, temp, only=only)
    assert part.index.equals(times) and list(part.columns) == list(full.columns)
    assert np.array_equal(part[only].to_numpy(), full[only].to_numpy())
    assert part[~only].isna().all().all()
