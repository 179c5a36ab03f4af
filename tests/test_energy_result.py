"""energy_result: a Result with the period and factors it used; standard-coal factors
through the park's factor book (overrides apply, month by month)."""

import datetime as dt

import pytest
from conftest import write

from greenpark.core.findings import Result
from greenpark.core.periods import Period
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.readings import load_readings
from greenpark.metrics.energy import energy, energy_result

CALORIFIC_KGCE_PER_KWH = 0.1229  # GB/T 2589, electricity (calorific equivalent)
OVERRIDE_KGCE_PER_KWH = 0.3  # a park's own value, February 2025 only


@pytest.fixture
def two_months(store, tmp_path):
    """IMP: 100 kWh in January and 50 kWh in February 2025 (park local time)."""
    load_readings(
        store,
        write(
            tmp_path / "r.csv",
            "meter_id,timestamp,value\n"
            "IMP,2025-01-10 00:00,60\nIMP,2025-01-10 00:15,40\n"
            "IMP,2025-02-10 00:00,30\nIMP,2025-02-10 00:15,20\n",
        ),
    )
    return store


def override_february(store, tmp_path):
    load_accounting_input(
        store,
        "factor_overrides",
        write(
            tmp_path / "overrides.csv",
            "factor_key,value,unit,source,valid_from,valid_to,note\n"
            f"tce.electricity,{OVERRIDE_KGCE_PER_KWH},kgce/kWh,park audit 2025,"
            "2025-02-01,2025-02-28,\n",
        ),
    )


def test_result_carries_the_period_and_the_factors(two_months):
    result = energy_result(two_months, Period.month("2025-01"), by="meter")
    assert isinstance(result, Result)
    assert result.inputs["period"] == "2025-01" and result.inputs["by"] == "meter"
    assert result.inputs["factor_ids"] == ["tce.electricity", "tce.natural_gas"]
    imp = result.frame.set_index("meter_id").loc["IMP"]
    assert imp["quantity"] == pytest.approx(100.0)
    assert imp["energy_tce"] == pytest.approx(100.0 * CALORIFIC_KGCE_PER_KWH / 1000)
    # IMP sent 2 of January's 31 x 96 quarter hours; EXP, PV and GAS nothing (issue 11)
    (incomplete,) = result.findings
    assert incomplete.code == "inputs.incomplete" and result.incomplete
    missing = incomplete.data["figures"]["missing_pct"]
    assert missing == pytest.approx(
        {"EXP": 100.0, "GAS": 100.0, "IMP": 100.0 * (1 - 2 / (31 * 96)), "PV": 100.0}
    )


def test_text_period_and_wrapper_agree(two_months):
    by_text = energy_result(two_months, "2025-01..2025-02", by="carrier").frame
    wrapper = energy(two_months, period="2025-01..2025-02", by="carrier")
    assert by_text.equals(wrapper)
    flows = by_text.set_index(["carrier", "flow"])
    assert flows.loc[("electricity", "grid_import"), "quantity"] == pytest.approx(150.0)


def test_override_applies_to_its_months_only(two_months, tmp_path):
    override_february(two_months, tmp_path)
    feb = energy_result(two_months, "2025-02", by="meter")
    assert feb.inputs["factor_ids"] == ["override.tce.electricity", "tce.natural_gas"]
    imp = feb.frame.set_index("meter_id").loc["IMP", "energy_tce"]
    assert imp == pytest.approx(50.0 * OVERRIDE_KGCE_PER_KWH / 1000)

    year = energy_result(two_months, Period.year(2025), by="meter").frame.set_index("meter_id")
    by_hand = (100.0 * CALORIFIC_KGCE_PER_KWH + 50.0 * OVERRIDE_KGCE_PER_KWH) / 1000
    assert year.loc["IMP", "energy_tce"] == pytest.approx(by_hand)
    assert year.loc["S1", "energy_tce"] == 0.0  # no readings: no energy
    carrier = energy(two_months, year="2025").set_index(["carrier", "flow"])
    assert carrier.loc[("electricity", "consumption"), "energy_tce"] == pytest.approx(by_hand)


def test_a_load_forgets_the_cached_meter_frame(two_months, tmp_path):
    first = energy_result(two_months, "2025-02", by="meter").frame.set_index("meter_id")
    load_readings(
        two_months,
        write(tmp_path / "more.csv", "meter_id,timestamp,value\nIMP,2025-02-11 00:00,5\n"),
    )
    again = energy_result(two_months, "2025-02", by="meter").frame.set_index("meter_id")
    assert (first.loc["IMP", "quantity"], again.loc["IMP", "quantity"]) == (50.0, 55.0)


def test_month_of_a_period_is_local_time(two_months):
    result = energy_result(two_months, Period.month(dt.date(2025, 2, 1)), by="meter")
    assert result.inputs["first_month"] == "2025-02"
