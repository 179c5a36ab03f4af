"""greenpark.metrics.carbon.formulas: the same function for a float, an array or a Series."""

import math

import numpy as np
import pandas as pd
import pytest

from greenpark.metrics.carbon import formulas as carbon


def test_electricity_and_energy_for_floats_arrays_and_series():
    # 2,000 kWh at 0.5827 tCO2/MWh = 1.1654 tCO2; 2,000 kWh x 0.1229 kgce/kWh = 0.2458 tce
    assert carbon.electricity_tco2(2000.0, 0.5827) == pytest.approx(1.1654)
    kwh = np.array([2000.0, 0.0, -1000.0])
    np.testing.assert_allclose(carbon.electricity_tco2(kwh, 0.5827), [1.1654, 0.0, -0.5827])
    series = pd.Series([2000.0, 500.0], index=["a", "b"])
    got = carbon.energy_tce(series, pd.Series([0.1229, 0.1229], index=["a", "b"]))
    assert list(got.index) == ["a", "b"]
    np.testing.assert_allclose(got.to_numpy(), [0.2458, 0.06145])


def test_allocate_claims_for_floats_and_series():
    used, excess = carbon.allocate_claims(30_000.0, 100_000.0)
    assert (float(used), float(excess)) == (30_000.0, 70_000.0)
    used, excess = carbon.allocate_claims(-500.0, 200.0)  # net export: nothing claimed
    assert (float(used), float(excess)) == (0.0, 200.0)
    net = pd.Series([30_000.0, 31_000.0, -10.0])
    claims = pd.Series([100_000.0, 31_000.0, 5.0])
    used, excess = carbon.allocate_claims(net, claims)
    assert list(used) == [30_000.0, 31_000.0, 0.0]
    assert list(excess) == [70_000.0, 0.0, 5.0]


def test_intensity_of_columns_is_safe():
    num = pd.Series([10.0, 10.0, 10.0, math.nan])
    den = pd.Series([4.0, 0.0, -1.0, 2.0])
    got = carbon.intensity(num, den)
    assert got.iloc[0] == 2.5
    assert got.iloc[1:].isna().all()  # zero, negative or missing: NaN, never inf
    assert math.isnan(carbon.intensity(1.0, 0.0))


def test_fuel_factor_for_arrays():
    # natural gas: 389.31 GJ/10^4 Nm3, 15.3 tC/TJ, OX 0.99 -> 0.0021621888 tCO2/Nm3
    one = 389.31 / 1e4 / 1000 * 15.3 * 0.99 * 44 / 12
    got = carbon.fuel_co2_factor(np.array([389.31 / 1e4] * 2), np.array([15.3, 0.0]), 0.99)
    np.testing.assert_allclose(got, [one, 0.0])
