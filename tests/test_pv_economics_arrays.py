"""The PV formulas take floats, numpy arrays or pandas Series alike (issue 10, item 6):
the same numbers as the scalar checks in test_pv_economics.py, worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from greenpark.metrics.pv import economics as pe
from greenpark.metrics.pv import model


def test_annuity_sum_over_an_array_of_rates():
    # r = 10 %: 1/1.1 + 1/1.21 + 1/1.331; r = 0: 3
    got = pe.annuity_sum(np.array([0.10, 0.0]), 3)
    assert got.tolist() == pytest.approx([1 / 1.1 + 1 / 1.21 + 1 / 1.331, 3.0])
    assert isinstance(pe.annuity_sum(0.10, 3), float)


def test_lcoe_npv_payback_over_a_series_keep_its_index():
    capex = pd.Series([350000.0, 350000.0], index=["a", "b"])
    energy = pd.Series([110000.0, 0.0], index=["a", "b"])
    lcoe = pe.lcoe_cny_per_kwh(capex, 5000.0, energy, 0.0, 2, 0.0)
    assert list(lcoe.index) == ["a", "b"]
    # (350000 + 2 x 5000) / (2 x 110000); no energy: NaN
    assert lcoe["a"] == pytest.approx(360000 / 220000) and math.isnan(lcoe["b"])
    npv = pe.npv_cny(capex, pd.Series([80000.0, 0.0], index=["a", "b"]), 5000.0, 0.05, 2, 0.5)
    expected = -350000 + 80000 * (1 / 1.05 + 0.995 / 1.1025) - 5000 * (1 / 1.05 + 1 / 1.1025)
    assert npv["a"] == pytest.approx(expected)
    assert npv["b"] == pytest.approx(-350000 - 5000 * (1 / 1.05 + 1 / 1.1025))
    payback = pe.simple_payback_years(capex, pd.Series([75000.0, -1.0], index=["a", "b"]))
    assert payback["a"] == pytest.approx(350000 / 75000) and math.isnan(payback["b"])


def test_shares_and_self_consumption_of_a_series():
    share = pe.share_pct(pd.Series([1.0, 1.0]), pd.Series([4.0, 0.0]))
    assert share[0] == 25.0 and math.isnan(share[1])
    used, exported = pe.self_consumption(pd.Series([0.0, 50.0, 120.0]), 80.0)
    assert used.tolist() == [0.0, 50.0, 80.0] and exported.tolist() == [0.0, 0.0, 40.0]
    assert pe.self_consumption(30.0, 20.0) == (20.0, 10.0)


def test_performance_ratio_and_capacity_factor_of_arrays():
    # (12000/100)/150 = 0.8; no capacity: NaN; no insolation: NaN
    pr = model.performance_ratio(
        np.array([12000.0, 1.0, 1.0]), np.array([100.0, 0.0, 1.0]), np.array([150.0, 1.0, 0.0])
    )
    assert pr[0] == pytest.approx(0.8) and np.isnan(pr[1]) and np.isnan(pr[2])
    # 1314 kWh/kWp over 8760 h: 15 %
    cf = model.capacity_factor_pct(pd.Series([1314.0, 5.0]), pd.Series([1.0, 0.0]), 8760)
    assert cf[0] == pytest.approx(15.0) and np.isnan(cf[1])
