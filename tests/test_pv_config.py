"""[pv], [pv.economics] and [tariff] in park.toml: defaults, validation naming the key."""

import pytest

from greenpark.core.config.pv import (
    ECONOMICS_DEFAULTS,
    PV_DEFAULTS,
    PVWATTS_LOSSES_PCT,
    assumptions,
    economics,
    pv_settings,
    tariff,
)
from greenpark.core.errors import ConfigError

PARK = '[park]\nid = "p"\n'


def test_defaults_and_their_sources():
    s = pv_settings(PARK)
    assert (s.dc_ac_ratio, s.inverter_efficiency, s.transposition) == (1.2, 0.96, "perez")
    # pvwatts_losses defaults: 1 - (0.98 x 0.97 x 0.98 x 0.98 x 0.995 x 0.985 x 0.99 x 0.97)
    by_hand = 100 * (1 - 0.98 * 0.97 * 0.98 * 0.98 * 0.995 * 0.985 * 0.99 * 0.97)
    assert s.system_losses_pct == pytest.approx(by_hand) == pytest.approx(PVWATTS_LOSSES_PCT)
    assert round(s.system_losses_pct, 2) == 14.08
    assert s.power_density_racked_kw_per_m2 == 0.108  # REopt ~0.01 kW/ft2
    rows = {a["setting"]: a for a in assumptions(s, PV_DEFAULTS, "pv")}
    assert "REopt" in rows["pv.power_density_racked_kw_per_m2"]["source"]
    e, t = economics(PARK), tariff(PARK)
    assert (
        e.lifetime_years == 25
        and "illustrative" in assumptions(e, ECONOMICS_DEFAULTS, "pv.economics")[0]["source"]
    )
    prices = t.hourly_prices()
    assert prices[3] == 0.30 and prices[9] == 1.00 and prices[12] == 0.65 and prices[23] == 0.65


def test_park_values_override_defaults():
    text = PARK + (
        "[pv]\ndc_ac_ratio = 1.3\nscreening_clearness_index = [0.5, 0.5, 0.5, 0.5, "
        "0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]\n[pv.economics]\n"
        "capex_cny_per_kwp = 3000\n"
    )
    s, e = pv_settings(text), economics(text)
    assert s.dc_ac_ratio == 1.3 and s.screening_clearness_index == (0.5,) * 12
    assert e.capex_cny_per_kwp == 3000.0
    row = next(
        a
        for a in assumptions(e, ECONOMICS_DEFAULTS, "pv.economics")
        if a["setting"] == "pv.economics.capex_cny_per_kwp"
    )
    assert (row["source"], row["confidence"]) == ("park.toml", "park")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[pv]\ndc_ac_ratio = 9\n", r"pv.dc_ac_ratio = 9 is outside \[0.5, 3\]"),
        ("[pv]\nalbedo = 'high'\n", "pv.albedo must be a number"),
        ("[pv]\ntransposition = 'klucher'\n", "pv.transposition = 'klucher': choose one of"),
        ("[pv]\nsolar_panels = 3\n", "unknown key pv.solar_panels"),
        ("[pv]\nscreening_clearness_index = [0.5]\n", "list of 12 monthly clearness"),
        ("[pv.economics]\nlifetime_years = 2.5\n", "pv.economics.lifetime_years must be a whole"),
        ("[tariff]\npeak_hours = [[8, 30]]\n", r"tariff.peak_hours must be a list of \[start"),
    ],
)
def test_bad_values_name_the_key(text, message):
    with pytest.raises(ConfigError, match=message):
        pv_settings(PARK + text)
        economics(PARK + text)
        tariff(PARK + text)


def test_tariff_hours_must_cover_the_day_once():
    with pytest.raises(ConfigError, match="local hour 8:00 is in more than one period"):
        tariff(PARK + "[tariff]\nvalley_hours = [[0, 9]]\n")
    with pytest.raises(ConfigError, match="local hour 7:00 is in no period"):
        tariff(PARK + "[tariff]\nvalley_hours = [[0, 7]]\n")
