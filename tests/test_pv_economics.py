"""Self-consumption and economics formulas, checked against arithmetic done by hand."""

import math

import numpy as np
import pytest

from greenpark.metrics.pv import economics as pe


def test_self_consumption_covers_import_first():
    used, exported = pe.self_consumption(
        np.array([0.0, 50.0, 120.0, 30.0]), np.array([80.0, 80.0, 80.0, -5.0])
    )
    assert used.tolist() == [0.0, 50.0, 80.0, 0.0]
    assert exported.tolist() == [0.0, 0.0, 40.0, 30.0]


def test_annuity_sum_by_hand():
    # r = 10 %, 3 years: 1/1.1 + 1/1.21 + 1/1.331 = 2.486852
    assert pe.annuity_sum(0.10, 3) == pytest.approx(1 / 1.1 + 1 / 1.21 + 1 / 1.331)
    # with -1 %/a: 1/1.1 + 0.99/1.21 + 0.9801/1.331
    assert pe.annuity_sum(0.10, 3, -0.01) == pytest.approx(1 / 1.1 + 0.99 / 1.21 + 0.9801 / 1.331)
    assert pe.annuity_sum(0.0, 25) == 25


def test_lcoe_npv_payback_by_hand():
    # 100 kWp: capex 350,000 CNY, O&M 5,000 CNY/a, 110,000 kWh in year 1, r = 0, 2 years, 0 %
    # LCOE = (350000 + 2 x 5000) / (2 x 110000) = 1.636364 CNY/kWh
    assert pe.lcoe_cny_per_kwh(350000, 5000, 110000, 0.0, 2, 0.0) == pytest.approx(360000 / 220000)
    # r = 5 %, 1 year, 1 % degradation (no effect in year 1): (350000 + 5000/1.05)/(110000/1.05)
    assert pe.lcoe_cny_per_kwh(350000, 5000, 110000, 0.05, 1, 1.0) == pytest.approx(
        (350000 + 5000 / 1.05) / (110000 / 1.05)
    )
    # NPV, revenue 80,000 CNY/a, r = 5 %, 2 years, 0.5 %/a degradation:
    # -350000 + 80000 x (1/1.05 + 0.995/1.05^2) - 5000 x (1/1.05 + 1/1.05^2)
    expected = -350000 + 80000 * (1 / 1.05 + 0.995 / 1.1025) - 5000 * (1 / 1.05 + 1 / 1.1025)
    assert pe.npv_cny(350000, 80000, 5000, 0.05, 2, 0.5) == pytest.approx(expected)
    assert pe.simple_payback_years(350000, 75000) == pytest.approx(350000 / 75000)
    assert math.isnan(pe.simple_payback_years(350000, 0.0))
    assert math.isnan(pe.lcoe_cny_per_kwh(1, 1, 0.0, 0.05, 10, 0.0))
    assert math.isnan(pe.share_pct(1.0, 0.0)) and pe.share_pct(1.0, 4.0) == 25.0
