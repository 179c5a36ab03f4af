"""``[tariff]`` extensions and ``[plan]``: good files parse, bad keys are named."""

from __future__ import annotations

import pytest

from greenpark.core.config import parse_park_config
from greenpark.core.config.plan import parse_levers
from greenpark.core.errors import ConfigError

PARK = '[park]\nid = "t"\nname = "T"\nprovince = "Jiangsu"\nlatitude = 31\nlongitude = 120\n'


def test_seasons_critical_peak_and_two_part():
    park = parse_park_config(
        PARK + "[tariff]\ncritical_peak_months = [7, 8]\ncritical_peak_hours = [[19, 21]]\n"
        "demand_charge_cny_per_kw_month = 40\n"
        "[tariff.seasons.summer]\nmonths = [7, 8]\npeak_hours = [[9, 12], [17, 22]]\n"
        "flat_hours = [[8, 9], [12, 17], [22, 24]]\nvalley_hours = [[0, 8]]\n"
    )
    t = park.tariff
    table = t.period_table()
    # code: 0 critical peak, 1 peak, 2 flat, 3 valley
    assert table[7][19] == 0 and table[7][10] == 1 and table[7][8] == 2
    assert table[6][8] == 1 and table[6][19] == 1 and table[6][3] == 3
    assert t.period_prices()[0] == pytest.approx(1.0 * 1.2)
    assert t.demand_charge_cny_per_kw_month == 40.0


def test_plan_storage_and_levers_parse():
    park = parse_park_config(
        PARK + "[plan.storage]\nenergy_kwh = 500\nround_trip_efficiency = 0.9\n"
        '[[plan.levers]]\nid = "gp"\nkind = "green_power"\nmwh = 100\npremium_cny_per_mwh = 30\n'
    )
    assert park.plan.storage.energy_kwh == 500.0
    (lever,) = park.plan.levers
    assert (lever.kind, lever.divisible, lever.params["mwh"]) == ("green_power", True, 100.0)


CASES = [
    ("[plan.storage]\nenergy_kwh = -5\n", r"plan\.storage\.energy_kwh = -5 is outside"),
    ("[plan.storage]\nsizes_kwh = [100, -1]\n", r"plan\.storage\.sizes_kwh must be a list"),
    (
        "[plan.storage]\nround_trip_efficiency = 1.2\n",
        r"plan\.storage\.round_trip_efficiency = 1\.2 is outside \(0, 1\]",
    ),
    (
        "[plan.storage]\nsoc_min_pct = 90\nsoc_max_pct = 20\n",
        r"plan\.storage\.soc_max_pct = 20 must be above",
    ),
    (
        "[tariff]\npeak_hours = [[8, 12]]\nflat_hours = [[11, 24]]\nvalley_hours = [[0, 8]]\n",
        r"tariff: local hour 11:00 is in more than one period",
    ),
    (
        "[tariff]\npeak_hours = [[8, 11]]\nflat_hours = [[11, 20]]\nvalley_hours = [[0, 8]]\n",
        r"tariff: local hour 20:00 is in no period",
    ),
    (
        "[tariff.seasons.summer]\nmonths = [7]\npeak_hours = [[8, 12]]\n"
        "flat_hours = [[12, 24]]\nvalley_hours = [[0, 7]]\n",
        r"tariff\.seasons\.summer: local hour 7:00 is in no period",
    ),
    (
        "[tariff.seasons.a]\nmonths = [7]\npeak_hours = []\nflat_hours = [[0, 24]]\n"
        "valley_hours = []\n[tariff.seasons.b]\nmonths = [7, 8]\npeak_hours = []\n"
        "flat_hours = [[0, 24]]\nvalley_hours = []\n",
        r"tariff\.seasons\.b\.months: month 7 is also in season 'a'",
    ),
    ("[tariff]\ncritical_peak_hours = [[19, 21]]\n", r"tariff\.critical_peak_months must be"),
    ("[tariff]\ncritical_peak_months = [13]\n", r"tariff\.critical_peak_months must be a list"),
    (
        "[tariff]\ndemand_charge_cny_per_kw_month = 30\ncapacity_charge_cny_per_kva_month = 20\n"
        "capacity_kva = 100\n",
        r"tariff\.capacity_charge_cny_per_kva_month: a two-part tariff bills either",
    ),
    ("[tariff]\ncapacity_charge_cny_per_kva_month = 20\n", r"tariff\.capacity_kva must be > 0"),
    ('[[plan.levers]]\nid = "x"\nkind = "windd"\n', r"plan\.levers\[0\]\.kind = 'windd'"),
    (
        '[[plan.levers]]\nid = "x"\nkind = "heat_pump"\ngas_displaced_nm3 = 1\ncop = 3\n'
        "capex_cny = 1\n",
        r"missing key plan\.levers\[0\]\.gas_cny_per_nm3",
    ),
    (
        '[[plan.levers]]\nid = "x"\nkind = "process"\ntco2_per_year = 1\nannual_cost_cny = 1\n'
        '[[plan.levers]]\nid = "x"\nkind = "process"\ntco2_per_year = 1\nannual_cost_cny = 1\n',
        r"plan\.levers\[1\]\.id 'x' is used twice",
    ),
]


@pytest.mark.parametrize(("body", "message"), CASES)
def test_bad_input_names_the_key(body, message):
    with pytest.raises(ConfigError, match=message):
        parse_park_config(PARK + body, source="bad.toml")


def test_a_levers_file_is_checked_the_same_way():
    good = parse_levers(
        '[[levers]]\nid = "eff"\nkind = "efficiency"\ncarrier = "natural_gas"\n'
        "saving_pct = 5\ncost_cny_per_tce = 800\n",
        "levers.toml",
    )
    expected = {"carrier": "natural_gas", "saving_pct": 5.0, "cost_cny_per_tce": 800.0}
    assert good[0].params == expected
    with pytest.raises(ConfigError, match=r"levers\.toml: levers\[0\]\.saving_pct = 120"):
        parse_levers(
            '[[levers]]\nid = "e"\nkind = "efficiency"\ncarrier = "natural_gas"\n'
            "saving_pct = 120\ncost_cny_per_tce = 1\n",
            "levers.toml",
        )
