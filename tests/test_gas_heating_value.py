"""One heating value per fuel drives both its tce and its CO2 (issue 13, item 2).

By hand, from the shipped tables (shared/reference):
- GHG guideline natural gas: NCV 389.31 GJ/10^4 Nm3 = 38.931 MJ/Nm3, 15.3 tC/TJ, OX 0.99.
- GB/T 2589 Annex A: oil-field gas 38,931 kJ/m3 -> 1.3300 kgce/m3 (the same heating value);
  gas-field gas 35,544 kJ/m3 -> 1.2143 kgce/m3 (the coefficient used before: mixed two
  heating values, 1.781 tCO2/tce for a gas-only park).
- 1 kgce = 29,307.6 kJ (GB/T 2589).
"""

import pytest
from test_zerocarbon import build, core
from test_zerocarbon_spine import override

from greenpark.core.factors import coal_table, fuel_table
from greenpark.metrics.carbon.tables import carbon_table
from greenpark.metrics.zerocarbon import gap

GAS_NCV_GJ = 389.31 / 1e4  # GJ/Nm3
GAS_TCO2_PER_NM3 = GAS_NCV_GJ * 15.3 / 1000 * 0.99 * 44 / 12  # 0.0021621888
GAS_KGCE_PER_NM3 = 1.33


def test_a_gas_only_park_comes_out_at_1_626_tco2_per_tce(tmp_path):
    store = build(tmp_path, {"GAS": 100_000.0})  # Nm3 a month
    row = core(store, year=2025)
    # 2.1621888 kgCO2/Nm3 / 1.33 kgce/Nm3 = 1.62571 tCO2/tce (was 2.1621888 / 1.2143 = 1.781)
    expected = GAS_TCO2_PER_NM3 * 1000 / GAS_KGCE_PER_NM3
    assert expected == pytest.approx(1.62571, abs=1e-5)
    assert row["value"] == pytest.approx(expected, rel=1e-12)
    store.close()


def test_a_measured_ncv_overrides_tce_and_co2_at_once(tmp_path):
    store = build(tmp_path, {"GAS": 100_000.0})
    override(store, tmp_path, "fuel.natural_gas.ncv", 36.0, "MJ/Nm3")
    totals = carbon_table(store, year=2025).set_index("scope")
    nm3 = 12 * 100_000.0
    tco2 = nm3 * 36.0 / 1e6 * 15.3 * 0.99 * 44 / 12  # NCV [TJ] x C x OX x 44/12
    tce = nm3 * 36.0 * 1000 / 29_307.6 / 1000  # kJ / (kJ/kgce) / 1000
    assert totals.loc["scope1", "emissions_location_tco2"] == pytest.approx(tco2, rel=1e-12)
    assert totals.loc["total", "energy_tce"] == pytest.approx(tce, rel=1e-12)
    # gas alone: the ratio no longer depends on the NCV: C x OX x 44/12 x 29.3076 / 1000
    row = core(store, year=2025)
    assert row["value"] == pytest.approx(15.3 * 0.99 * 44 / 12 * 29.3076 / 1000, rel=1e-12)
    store.close()


def test_an_explicit_tce_override_still_wins_over_the_measured_ncv(tmp_path):
    store = build(tmp_path, {"GAS": 100_000.0})
    override(store, tmp_path, "fuel.natural_gas.ncv", 36.0, "MJ/Nm3", name="a.csv")
    override(store, tmp_path, "tce.natural_gas", 1.2, "kgce/Nm3", name="b.csv")
    totals = carbon_table(store, year=2025).set_index("scope")
    assert totals.loc["total", "energy_tce"] == pytest.approx(12 * 100_000.0 * 1.2 / 1000)
    store.close()


def test_natural_gas_allowed_uses_the_same_heating_value(tmp_path):
    imp, gas = 1_000_000.0, 10_000.0  # kWh and Nm3 a month
    store = build(tmp_path, {"IMP": imp, "GAS": gas})
    got = gap(store, 2025, pv_potential_mwh=0.0).iloc[0]
    t_el = 12 * imp * 0.1229 / 1000  # tce of electricity
    allowed = 0.2 * t_el / (GAS_TCO2_PER_NM3 - 0.2 * GAS_KGCE_PER_NM3 / 1000)
    assert got["natural_gas_allowed_nm3"] == pytest.approx(allowed, rel=1e-9)
    store.close()


def test_every_shipped_fuel_has_one_heating_value_in_both_tables():
    # fuel NCV [GJ/t or GJ/10^4 Nm3] vs GB/T 2589 low heating value [kJ/kg or kJ/m3]
    from greenpark.core.factors import COAL_ROWS, FUEL_ROWS

    for carrier, (fuel_row, _) in FUEL_ROWS.items():
        coal_row = coal_table()[COAL_ROWS[carrier][0]]
        kj = float(coal_row["low_heating_value"].split()[0])
        ncv = float(fuel_table()[fuel_row]["ncv"])
        per_unit = kj * 1e4 / 1e6 if carrier == "natural_gas" else kj * 1000 / 1e6
        assert per_unit == pytest.approx(ncv, rel=1e-9), carrier
