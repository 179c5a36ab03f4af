"""Storage dispatch against hand-computed optima (docs/planning.md, "Storage dispatch")."""

from __future__ import annotations

import numpy as np
import pytest

from greenpark.core.config.tariffs import tariff
from greenpark.metrics.plan.dispatch import Battery, dispatch
from greenpark.metrics.plan.tariff import bill, period_codes

PARK = '[park]\nid = "t"\nname = "T"\nprovince = "Jiangsu"\nlatitude = 31\nlongitude = 120\n'


def two_price(**extra) -> object:
    """Valley 0-8 h at 0.3 CNY/kWh, peak 8-24 h at 1.0 CNY/kWh."""
    body = {
        "peak_hours": [[8, 24]],
        "flat_hours": [],
        "valley_hours": [[0, 8]],
        "peak_cny_per_kwh": 1.0,
        "valley_cny_per_kwh": 0.3,
        **extra,
    }
    return tariff({"tariff": body})


def run(t, load, battery, pv=None, step_h=1.0, month=6):
    n = len(load)
    hours = (np.arange(n) * step_h).astype(int) % 24
    codes = period_codes(np.full(n, month), hours, t)
    pv = np.zeros(n) if pv is None else pv
    return dispatch(np.asarray(load, float), pv, codes, np.zeros(n, int), t, battery, step_h)


def savings(found) -> float:
    return found.bill_before["total_cny"] - found.bill_after["total_cny"]


def test_energy_limited_battery_charges_in_the_valley_and_discharges_at_peak():
    # 100 kW flat load for one day; 200 kWh, 50 kW, round trip 0.81 (0.9 each way), empty.
    # Store 200 kWh: buy 200 / 0.9 = 222.22 kWh in the valley (8 h x 50 kW = 400 allowed),
    # deliver 200 x 0.9 = 180 kWh at peak (16 h x 50 kW = 800 allowed).
    found = run(two_price(), [100.0] * 24, Battery(200, 50, 0.81, 0, 100, 0))
    by_hand = 180 * 1.0 - 200 / 0.9 * 0.3
    assert savings(found) == pytest.approx(by_hand, abs=1e-6)
    assert found.series["charge_kwh"][8:].sum() == pytest.approx(0, abs=1e-6)
    assert found.series["discharge_kwh"][:8].sum() == pytest.approx(0, abs=1e-6)
    assert found.cycles == pytest.approx(180 / 200, abs=1e-6)


def test_power_limited_battery():
    # 1000 kWh, 50 kW: the valley's 8 h x 50 kW = 400 kWh bought, 360 stored, 324 delivered.
    found = run(two_price(), [100.0] * 24, Battery(1000, 50, 0.81, 0, 100, 0))
    assert savings(found) == pytest.approx(324 * 1.0 - 400 * 0.3, abs=1e-6)
    assert found.bill_before["energy_peak_cny"] == pytest.approx(16 * 100 * 1.0)
    assert found.bill_after["energy_peak_cny"] == pytest.approx((1600 - 324) * 1.0, abs=1e-6)
    assert found.bill_after["energy_valley_cny"] == pytest.approx((800 + 400) * 0.3, abs=1e-6)


def test_two_days_and_the_soc_window():
    # SOC 10-90 % of 250 kWh: 200 kWh usable, starting (and ending at least) at 10 %.
    # Each day stores 200 kWh (222.2 bought) and delivers 180: twice the one-day savings.
    found = run(two_price(), [100.0] * 48, Battery(250, 50, 0.81, 10, 90))
    assert savings(found) == pytest.approx(2 * (180 - 200 / 0.9 * 0.3), abs=1e-6)
    soc = found.series["soc_kwh"]
    assert soc.min() >= 25 - 1e-6 and soc.max() <= 225 + 1e-6 and soc[-1] >= 25 - 1e-6


def test_demand_charge_peak_shaving_is_worth_exactly_the_kw_shaved():
    # One flat price, 100 kW except 200 kW in hour 5; demand charge 30 CNY/kW-month.
    # A lossless 50 kWh / 100 kW battery shaves the hour to 150 kW (50 kWh), recharging
    # 50 kWh in hours at 100 kW (<= 150 kW): energy cost unchanged, 50 kW x 30 saved.
    t = tariff(
        {
            "tariff": {
                "peak_hours": [],
                "flat_hours": [[0, 24]],
                "valley_hours": [],
                "flat_cny_per_kwh": 0.6,
                "demand_charge_cny_per_kw_month": 30.0,
            }
        }
    )
    load = [100.0] * 24
    load[5] = 200.0
    found = run(t, load, Battery(50, 100, 1.0, 0, 100, 0))
    assert found.bill_before["demand_charge_cny"] == pytest.approx(200 * 30)
    assert found.bill_after["demand_charge_cny"] == pytest.approx(150 * 30, abs=1e-6)
    assert savings(found) == pytest.approx(50 * 30, abs=1e-6)


def test_15_minute_data_uses_kwh_per_interval():
    # The one-day energy-limited case at 15 minutes: 96 intervals of 25 kWh (100 kW).
    found = run(two_price(), [25.0] * 96, Battery(200, 50, 0.81, 0, 100, 0), step_h=0.25)
    assert savings(found) == pytest.approx(180 - 200 / 0.9 * 0.3, abs=1e-6)
    assert found.series["charge_kwh"].max() <= 50 * 0.25 + 1e-9


def test_pv_surplus_is_exported_or_stored():
    # No load in hour 12: 100 kWh PV surplus. Export pays 0.1, storing it (lossless)
    # saves 1.0 at peak: the battery takes it.
    t = two_price(export_cny_per_kwh=0.1)
    load = [100.0] * 24
    load[12] = 0.0
    pv = np.zeros(24)
    pv[12] = 100.0
    no_battery = run(t, load, Battery(0, 0), pv=pv)
    assert no_battery.bill_before["export_income_cny"] == pytest.approx(10.0)
    found = run(t, load, Battery(100, 100, 1.0, 0, 100, 0), pv=pv)
    # Lossless: it also cycles valley energy (0.3 -> 1.0) before noon: 100 kWh x 0.7.
    assert savings(found) == pytest.approx(100 * 1.0 - 10.0 + 100 * 0.7, abs=1e-6)


def test_bill_components_critical_peak_and_capacity():
    t = two_price(
        critical_peak_months=[7],
        critical_peak_hours=[[19, 21]],
        capacity_charge_cny_per_kva_month=20.0,
        capacity_kva=500.0,
    )
    hours = np.arange(24)
    codes_jul = period_codes(np.full(24, 7), hours, t)
    codes_jun = period_codes(np.full(24, 6), hours, t)
    b = bill(np.full(24, 10.0), np.zeros(24), codes_jul, np.zeros(24, int), t, 1.0)
    assert b["energy_critical_peak_cny"] == pytest.approx(2 * 10 * 1.2)  # peak x 1.2
    assert b["energy_peak_cny"] == pytest.approx(14 * 10 * 1.0)
    assert b["capacity_charge_cny"] == pytest.approx(500 * 20)
    assert (codes_jun == 0).sum() == 0


def test_demand_rows_left_out_are_the_ones_that_cannot_bind():
    # 100 kW base, 200 kW in hour 5 and 150 kW in hour 10; a lossless 20 kWh / 20 kW
    # battery shaves hour 5 to 180 kW (20 kWh, the power limit); hour 10 (150) stays
    # under it; recharging 20 kWh in a 100 kW hour stays under 180: 20 kW x 30 saved.
    t = tariff(
        {
            "tariff": {
                "peak_hours": [],
                "flat_hours": [[0, 24]],
                "valley_hours": [],
                "demand_charge_cny_per_kw_month": 30.0,
            }
        }
    )
    load = [100.0] * 24
    load[5], load[10] = 200.0, 150.0
    found = run(t, load, Battery(20, 20, 1.0, 0, 100, 0))
    assert found.bill_after["demand_charge_cny"] == pytest.approx(180 * 30, abs=1e-6)
    assert savings(found) == pytest.approx(20 * 30, abs=1e-6)
