"""MACC ordering, the cheapest combination and the path on cases computed by hand."""

from __future__ import annotations

import pytest

from greenpark.core.config.plan import Lever
from greenpark.metrics.plan.baseline import Baseline
from greenpark.metrics.plan.levers import Context, effects
from greenpark.metrics.plan.pathway import plan_pathway


def base(emissions, energy, threshold=0.2, grid_mwh=1e9, basis="market") -> Baseline:
    return Baseline(
        year=2025,
        basis=basis,
        emissions_tco2=emissions,
        energy_tce=energy,
        threshold_tco2_per_tce=threshold,
        threshold_note="",
        grid_uncovered_mwh=grid_mwh,
        carriers={"heat": {"tco2": 200.0, "tce": 500.0}},
        factors={"grid": 0.5, "gas": 0.002, "gas_kgce": 1.2143, "electricity_kgce": 0.1229},
    )


def process(lever_id, tco2, cost, divisible=False, year=None) -> Lever:
    params = {"tco2_per_year": tco2, "annual_cost_cny": cost}
    return Lever(lever_id, "process", divisible=divisible, params=params, year=year)


def three_levers():
    # A: 1000 t at 95,000 CNY (95 CNY/t), all or nothing
    # B: green power 800 MWh x 0.5 t/MWh = 400 t at 800 x 50 = 40,000 CNY (100 CNY/t),
    #    divisible
    # C: 300 t at 33,000 CNY (110 CNY/t), all or nothing
    green = Lever(
        "B", "green_power", divisible=True, params={"mwh": 800.0, "premium_cny_per_mwh": 50.0}
    )
    return [process("A", 1000.0, 95_000.0), green, process("C", 300.0, 33_000.0)]


def test_macc_order_and_the_cheapest_combination():
    # E = 1000 t, T = 2000 tce, threshold 0.2: need 1000 - 0.2 x 2000 = 600 t.
    # A alone: 95,000. B alone: 400 t, short. C + 300/400 of B: 33,000 + 30,000 = 63,000.
    # B + C whole = 73,000. A + anything > 95,000. Cheapest: C and 0.75 B, not A, though
    # A is the cheapest per tonne.
    b = base(1000.0, 2000.0)
    ctx = Context(b, rate=0.06, tariff=None)
    curve, path, findings = plan_pathway(effects(three_levers(), ctx), b, 2030)
    assert list(curve["lever_id"]) == ["A", "B", "C"]
    assert list(curve["cny_per_tco2"]) == pytest.approx([95.0, 100.0, 110.0])
    assert list(curve["cumulative_abated_tco2"]) == pytest.approx([1000.0, 1400.0, 1700.0])
    assert list(curve["chosen_share"]) == pytest.approx([0.0, 0.75, 1.0], abs=1e-9)
    assert findings == []
    # Phased cheapest first over 2026..2030 (span 5): B from 2026, C from 2026 + 5 // 2.
    assert list(curve["start_year"])[1:] == [2026, 2028]
    by_year = path.set_index("year")
    assert by_year.loc[2025, "tco2_per_tce"] == pytest.approx(0.5)
    assert by_year.loc[2027, "tco2_per_tce"] == pytest.approx((1000 - 300) / 2000)
    assert by_year.loc[2028, "tco2_per_tce"] == pytest.approx((1000 - 600) / 2000)
    assert by_year.loc[2030, "annual_cost_cny"] == pytest.approx(63_000.0)
    assert bool(by_year.loc[2028, "meets_threshold"]) and not by_year.loc[2027, "meets_threshold"]


def test_a_lever_not_available_by_the_target_year_is_left_out():
    # C only from 2031: by 2030 the cheapest is A (95,000) for the 600 t needed.
    levers = three_levers()
    levers[2] = process("C", 300.0, 33_000.0, year=2031)
    b = base(1000.0, 2000.0)
    curve, _, _ = plan_pathway(effects(levers, Context(b, 0.06, None)), b, 2030)
    assert dict(zip(curve["lever_id"], curve["chosen_share"], strict=True)) == pytest.approx(
        {"A": 1.0, "B": 0.0, "C": 0.0}
    )


def test_an_unreachable_threshold_is_reported_with_the_shortfall():
    # E = 300 t, T = 1000 tce: need 300 - 200 = 100 t. The one lever, efficiency on heat,
    # saves 50 % of heat: 100 t and 250 tce. Toward the threshold it gives
    # 100 - 0.2 x 250 = 50 t: 50 t short (after: 200 t / 750 tce = 0.2667).
    b = base(300.0, 1000.0)
    lever = Lever(
        "eff",
        "efficiency",
        divisible=True,
        params={"carrier": "heat", "saving_pct": 50.0, "cost_cny_per_tce": 100.0},
    )
    frame = effects([lever], Context(b, 0.06, None))
    assert frame.loc[0, "annual_cost_cny"] == pytest.approx(250 * 100.0)
    curve, path, findings = plan_pathway(frame, b, 2030)
    (finding,) = findings
    assert finding.code == "plan.target_out_of_reach"
    assert finding.data["shortfall_tco2"] == pytest.approx(50.0)
    assert path.iloc[-1]["tco2_per_tce"] == pytest.approx(200 / 750)


def test_green_power_abates_nothing_on_the_location_basis():
    b = base(1000.0, 2000.0, basis="location")
    ctx = Context(b, 0.06, None)
    frame = effects(three_levers()[1:2], ctx)
    assert frame.loc[0, "abated_tco2"] == 0.0
    assert [f.code for f in ctx.findings] == ["plan.location_basis"]


def test_the_grid_it_replaces_is_bounded_by_the_grid_purchase():
    # Only 400 MWh of emitting grid purchase: green power can replace at most 400 of its
    # 800 MWh (200 t).
    b = base(1000.0, 2000.0, grid_mwh=400.0)
    curve, _, _ = plan_pathway(effects(three_levers(), Context(b, 0.06, None)), b, 2030)
    shares = dict(zip(curve["lever_id"], curve["chosen_share"], strict=True))
    # C + 0.5 B = 300 + 200 = 500 t < 600: not enough; A alone is the cheapest.
    assert shares == pytest.approx({"A": 1.0, "B": 0.0, "C": 0.0})


def test_heat_pump_by_hand():
    # 100,000 Nm3 gas x 1.2143 kgce/Nm3 = 121.43 tce = 3558.8 GJ; x 0.9 boiler = 3202.9 GJ
    # heat; / COP 3 -> 3202.9 x 277.78 / 3 = 296,565 kWh.
    b = base(1000.0, 2000.0)
    lever = Lever(
        "hp",
        "heat_pump",
        params={
            "gas_displaced_nm3": 100_000.0,
            "cop": 3.0,
            "capex_cny": 1_000_000.0,
            "gas_cny_per_nm3": 3.5,
            "boiler_efficiency": 0.9,
            "electricity_cny_per_kwh": 0.7,
            "om_cny_per_year": 10_000.0,
            "lifetime_years": 15,
        },
    )
    frame = effects([lever], Context(b, 0.06, None))
    heat_gj = 100_000 * 1.2143 / 1000 * 29.3076 * 0.9
    kwh = heat_gj * 1000 / 3.6 / 3.0
    crf = 0.06 / (1 - 1.06**-15)
    row = frame.iloc[0]
    assert row["abated_tco2"] == pytest.approx(100_000 * 0.002 - kwh / 1000 * 0.5)
    assert row["energy_saved_tce"] == pytest.approx(121.43 - kwh * 0.1229 / 1000)
    assert row["annual_cost_cny"] == pytest.approx(
        1_000_000 * crf + 10_000 + kwh * 0.7 - 100_000 * 3.5
    )


def test_out_of_reach_takes_the_cheapest_of_what_reaches_furthest():
    # 1000 MWh of grid to replace (0.5 t/MWh): green power (20 CNY/MWh) and certificates
    # (5 CNY each) each could take all of it; need 1000 - 0.2 x 1000 = 800 t, at most
    # 500 t reachable: 300 t short, with the certificates (5,000 CNY) not green power.
    b = base(1000.0, 1000.0, grid_mwh=1000.0)
    levers = [
        Lever(
            "gp", "green_power", divisible=True, params={"mwh": 1000.0, "premium_cny_per_mwh": 20.0}
        ),
        Lever(
            "gec",
            "green_certificates",
            divisible=True,
            params={"certificates": 1000.0, "cny_per_certificate": 5.0},
        ),
    ]
    curve, path, (finding,) = plan_pathway(effects(levers, Context(b, 0.06, None)), b, 2030)
    assert dict(zip(curve["lever_id"], curve["chosen_share"], strict=True)) == pytest.approx(
        {"gec": 1.0, "gp": 0.0}
    )
    assert finding.data["shortfall_tco2"] == pytest.approx(300.0)
    assert path.iloc[-1]["annual_cost_cny"] == pytest.approx(5000.0)


@pytest.mark.parametrize(
    ("emissions", "met"),
    [
        (200.0, True),  # 200 t / 1,000 tce = 0.2: on the threshold
        (200.0 * (1 + 5e-10), True),  # within the documented relative 1e-9
        (200.0 * (1 + 1e-8), False),  # past it
        (199.9, True),
    ],
)
def test_the_pathway_meets_the_threshold_with_the_one_comparison(emissions, met):
    import pandas as pd

    from greenpark.metrics.plan.pathway import path

    columns = ["lever_id", "chosen_share", "start_year", "abated_tco2", "energy_saved_tce"]
    curve = pd.DataFrame(columns=[*columns, "annual_cost_cny"], dtype=float)
    rows = path(curve, base(emissions, 1000.0), 2025, 2026)
    assert list(rows["meets_threshold"]) == [met, met]
