"""Every threshold comparison of the indicator engine goes through one helper
(:func:`greenpark.metrics.zerocarbon.meets`) with the documented relative 1e-9 tolerance:
band edges and threshold edges from both sides, by hand.

Factors used: Jiangsu 2023 grid 0.5827 tCO2/MWh (used for 2025); GB/T 2589 electricity
0.1229 kgce/kWh.
"""

import pytest
from test_zerocarbon import ELEC, GRID, build, core

from greenpark.metrics.zerocarbon import (
    core_threshold,
    electricity_gap_mwh,
    linear_projection,
    meets,
    product_grade,
)

NOISE = 1e-12  # relative: far inside the 1e-9 tolerance
OUTSIDE = 1e-7  # relative: far outside it


@pytest.mark.parametrize(
    ("tce", "band", "noted"),
    [
        (1_000_000.0, "core_large", False),
        (1_000_000.0 * (1 - NOISE), "core_large", False),  # 999,999.999999 tce
        (1_000_000.0 * (1 + NOISE), "core_large", False),
        (1_000_000.0 * (1 - OUTSIDE), "core_small", False),  # 999,999.9 tce
        (200_000.0, "core_small", False),
        (200_000.0 * (1 - NOISE), "core_small", False),
        (200_000.0 * (1 - OUTSIDE), "core_small", True),  # 199,999.98 tce: no band
    ],
)
def test_band_edges_from_both_sides(tce, band, noted):
    got = core_threshold(tce)
    assert got[0] == band
    assert got[1] == {"core_large": 0.3, "core_small": 0.2}[band]
    assert bool(got[2]) is noted


@pytest.mark.parametrize(
    ("value", "comparison", "threshold", "expected"),
    [
        (0.3 * (1 + NOISE), "<=", 0.3, True),
        (0.3 * (1 + OUTSIDE), "<=", 0.3, False),
        (0.3 * (1 - OUTSIDE), "<=", 0.3, True),
        (90.0 * (1 - NOISE), ">=", 90.0, True),
        (90.0 * (1 - OUTSIDE), ">=", 90.0, False),
        (90.0 * (1 + OUTSIDE), ">=", 90.0, True),
        (80.0, ">=", 80.0, True),
    ],
)
def test_threshold_edges_from_both_sides(value, comparison, threshold, expected):
    assert meets(value, comparison, threshold) is expected


def test_an_unknown_comparison_is_refused():
    with pytest.raises(ValueError, match="'<=' or '>='"):
        meets(1.0, "<", 2.0)


def test_product_grade_edges():
    # limits 10 / 12 / 15 kgce/t: on a limit (within noise) is that grade, just above is not
    assert product_grade(10.0 * (1 + NOISE), 10, 12, 15) == 1
    assert product_grade(10.0 * (1 + OUTSIDE), 10, 12, 15) == 2
    assert product_grade(15.0 * (1 + NOISE), 10, 12, 15) == 3
    assert product_grade(15.0 * (1 + OUTSIDE), 10, 12, 15) == 4


def test_gap_is_zero_on_the_threshold_and_positive_past_it():
    # T = 1,000 tce at 0.2: allowed 200 tCO2; factor 0.5 tCO2/MWh
    assert electricity_gap_mwh(200.0 * (1 + NOISE), 1000.0, 0.2, 0.5) == 0.0
    over = 200.0 * (1 + OUTSIDE)
    assert electricity_gap_mwh(over, 1000.0, 0.2, 0.5) == pytest.approx((over - 200.0) / 0.5)


def test_projection_crossing_year_on_the_threshold():
    # y = 0.5 - 0.3/23 x: the Dec-2026 point (x = 23) lands on 0.2 up to rounding
    slope = 0.3 / 23
    got = linear_projection([0, 1, 2, 3], [0.5 - slope * x for x in range(4)], [2026])
    assert got[2026] == pytest.approx(0.2, rel=1e-12)
    assert meets(got[2026], "<=", 0.2)


def test_a_park_on_the_large_band_edge_gets_the_large_band(tmp_path):
    # 1,000,000 tce a year from electricity alone, one part in 1e13 under the edge (the
    # kind of rounding twelve monthly sums produce): the large band (0.3), not the small.
    monthly_kwh = 1e9 / ELEC / 12 * (1 - 1e-13)
    store = build(tmp_path, {"IMP": monthly_kwh})
    row = core(store, year=2025)
    energy_tce = 12 * monthly_kwh * ELEC / 1000
    assert energy_tce < 1_000_000.0 and energy_tce == pytest.approx(1e6, rel=1e-12)
    assert row.name == "core_large" and row["threshold"] == 0.3
    assert row["value"] == pytest.approx(GRID / ELEC)  # 4.7413 tCO2/tce, not met
    assert row["status"] == "not_met"
    store.close()
