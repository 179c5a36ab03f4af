"""PV build-out in order of LCOE and the money of each step, by hand (pure sweep)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenpark.core.config import parse_park_config
from greenpark.metrics.plan.inputs import IntervalData
from greenpark.metrics.plan.sizing import pv_steps, sweep

PARK = """
[park]
id = "t"
name = "T"
province = "Jiangsu"
latitude = 31
longitude = 120
[tariff]
peak_hours = [[8, 24]]
flat_hours = []
valley_hours = [[0, 8]]
peak_cny_per_kwh = 1.0
valley_cny_per_kwh = 0.3
export_cny_per_kwh = 0.2
self_use_floor_pct = 80
[pv.economics]
discount_rate = 0.06
lifetime_years = 25
degradation_pct_per_year = 0.5
"""


def day() -> IntervalData:
    hours = np.arange(24)
    return IntervalData(
        ts_utc=pd.date_range("2025-06-01", periods=24, freq="1h", tz="UTC"),
        step_h=1.0,
        months=np.full(24, 6),
        hours=hours,
        month_index=np.zeros(24, int),
        load_kwh=np.full(24, 100.0),
        pv_existing_kwh=np.zeros(24),
        grid_import_kwh=np.full(24, 100.0),
        grid_export_kwh=np.zeros(24),
        period=None,
    )


def test_roofs_are_built_cheapest_lcoe_first_and_priced_by_hand():
    park = parse_park_config(PARK)
    # Roofs already in LCOE order (roof_table sorts them): R1 gives 50 kWh in each of
    # hours 10-13, R2 150 kWh in each of hours 10-13 (of which 50 kWh an hour exceeds the
    # remaining 50 kW of load and is exported at 0.2).
    roofs = pd.DataFrame(
        {
            "roof_id": ["R1", "R2"],
            "new_capacity_kwp": [50.0, 150.0],
            "capex_cny": [1000.0, 4000.0],
            "om_cny_per_year": [10.0, 30.0],
        }
    )
    profiles = {"R1": 50.0, "R2": 150.0}

    def new_pv(chosen):
        out = np.zeros(24)
        out[10:14] = sum(profiles[r] for r in chosen["roof_id"])
        return out

    frame, _ = sweep(
        day(), roofs, new_pv, park.tariff, park.plan.storage, park.economics, [0.0], 2, 0.06
    )
    assert pv_steps(roofs, 2) == [0, 1, 2]
    assert list(frame["pv_roofs"]) == [0, 1, 2]
    one, both = frame.iloc[1], frame.iloc[2]
    # R1: 200 kWh used at peak: 200 CNY saved a year.
    assert one["annual_savings_cny"] == pytest.approx(200.0)
    # R1 + R2: 4 h x 100 kWh used (400 CNY) + 4 h x 100 kWh exported x 0.2 (80 CNY).
    assert both["annual_savings_cny"] == pytest.approx(480.0)
    assert both["self_use_pct"] == pytest.approx(400 / 800 * 100)
    assert bool(one["self_use_floor_met"]) and not bool(both["self_use_floor_met"])
    # NPV: -capex + (savings - O&M) x sum_t 0.995^(t-1) / 1.06^t, t = 1..25.
    growth = sum(0.995 ** (t - 1) / 1.06**t for t in range(1, 26))
    assert one["npv_cny"] == pytest.approx(-1000 + (200 - 10) * growth, abs=1e-6)
    assert both["npv_cny"] == pytest.approx(-5000 + (480 - 40) * growth, abs=1e-6)
    assert one["simple_payback_years"] == pytest.approx(1000 / 190)
    assert list(frame["best_npv"]) == [False, True, False]
