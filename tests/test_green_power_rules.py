"""Green-power claims (issue 13, items 7 and 10), by hand.

A Jiangsu park, June 2023, one reading per meter for the month: grid import 1,000 MWh;
enterprise E1 submetered 300 MWh, E2 200 MWh. E1 holds a 500 MWh GEC (200 MWh beyond its
own consumption); the park holds a 100 MWh trade. Residual factor (national 2023,
excluding market-traded non-fossil): 0.6096 tCO2/MWh; Jiangsu 2023 grid 0.5827.
"""

import pandas as pd
import pytest
from conftest import write

from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.carbon.tables import carbon_table
from greenpark.store import open_store
from greenpark.store.park import init_park

RESIDUAL = 0.6096  # tCO2/MWh
TOML = """
[park]
id = "gp"
name = "GP"
latitude = 31.3
longitude = 120.7
province = "Jiangsu"

[accounting]
{accounting}
"""
METERS = """\
meter_id,carrier,role,unit,parent_id,enterprise_id
IMP,electricity,grid_import,MWh,,
S1,electricity,submeter,MWh,IMP,E1
S2,electricity,submeter,MWh,IMP,E2
"""
INSTRUMENTS = (
    "instrument_id,type,mwh,period_start,period_end,enterprise_id,vintage\n"
    "G1,gec,500,2023-06-01,2023-06-30,E1,{vintage}\n"
    "T1,green_power_trade,100,2023-06-01,2023-06-30,,2023-06\n"
)


def make_park(tmp_path, accounting: str = "", vintage: str = "2023-06"):
    db = tmp_path / "gp.duckdb"
    init_park(str(db), write(tmp_path / "park.toml", TOML.format(accounting=accounting)))
    store = open_store(db)
    load_meters(store, write(tmp_path / "m.csv", METERS))
    frame = pd.DataFrame({"timestamp": ["2023-06-01 00:00"], "IMP": [1000], "S1": [300]})
    frame.assign(S2=200).to_csv(tmp_path / "r.csv", index=False)
    load_readings(store, tmp_path / "r.csv")
    load_accounting_input(
        store, "enterprises", write(tmp_path / "e.csv", "enterprise_id,name\nE1,a\nE2,b\n")
    )
    load_accounting_input(
        store, "green_power", write(tmp_path / "g.csv", INSTRUMENTS.format(vintage=vintage))
    )
    return store


def by_enterprise(store):
    return carbon_table(store, month="2023-06", by="enterprise").set_index("enterprise_id")


def test_excess_counted_at_park_level_is_its_own_line_and_a_finding(tmp_path):
    store = make_park(tmp_path)
    got = by_enterprise(store)
    # E1 covered up to its 300 MWh; park claims min(1,000, 500 + 100) = 600 MWh, of which
    # 600 - 300 = 300 MWh at park level (the 100 MWh trade + E1's 200 MWh excess).
    assert got.loc["E1", "emissions_market_tco2"] == pytest.approx(0.0)
    assert got.loc["E2", "emissions_market_tco2"] == pytest.approx(200 * RESIDUAL)
    rest = got.loc["(not submetered)"]
    assert rest["electricity_kwh"] == pytest.approx(500_000.0)  # 1,000 - 300 - 200 MWh
    assert rest["emissions_market_tco2"] == pytest.approx(500 * RESIDUAL)  # never negative
    green = got.loc["(park-level green power)"]
    assert green["electricity_kwh"] == 0.0
    assert green["emissions_market_tco2"] == pytest.approx(-300 * RESIDUAL)
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx((1000 - 600) * RESIDUAL)
    (excess,) = [f for f in got.attrs["findings"] if f.code == "green_power.enterprise_excess"]
    assert excess.data["excess_mwh"] == pytest.approx(200.0)
    assert excess.data["enterprise_id"] == "E1" and excess.data["rule"] == "park"
    assert "counted at park level" in excess.message
    store.close()


def test_excess_not_counted_when_the_rule_says_so(tmp_path):
    store = make_park(tmp_path, 'enterprise_excess_green_power = "none"')
    got = by_enterprise(store)
    # E1's claim cut to 300 MWh: park claims 300 + 100 = 400 MWh; park-level 100 MWh
    assert got.loc["(park-level green power)", "emissions_market_tco2"] == pytest.approx(
        -100 * RESIDUAL
    )
    assert got.loc["(not submetered)", "emissions_market_tco2"] == pytest.approx(500 * RESIDUAL)
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx((1000 - 400) * RESIDUAL)
    (excess,) = [f for f in got.attrs["findings"] if f.code == "green_power.enterprise_excess"]
    assert "not counted" in excess.message and excess.data["excess_mwh"] == pytest.approx(200.0)
    store.close()


def test_same_calendar_year_vintage_is_the_default(tmp_path):
    # E1's GEC of vintage 2022-12 is not claimable in 2023-06: only the 100 MWh trade
    store = make_park(tmp_path, vintage="2022-12")
    got = by_enterprise(store)
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx((1000 - 100) * RESIDUAL)
    codes = [f.code for f in got.attrs["findings"]]
    assert "green_power.vintage" in codes and "green_power.enterprise_excess" not in codes
    store.close()


@pytest.mark.parametrize(("window", "counted_mwh"), [(6, 600), (5, 100)])
def test_a_configured_vintage_window(tmp_path, window, counted_mwh):
    # vintage 2022-12 is 6 months before 2023-06: inside a 6-month window, outside a 5
    accounting = f'vintage_rule = "window"\nvintage_window_months = {window}'
    store = make_park(tmp_path, accounting, vintage="2022-12")
    got = by_enterprise(store)
    expected = (1000 - counted_mwh) * RESIDUAL
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx(expected)
    if counted_mwh == 100:
        (finding,) = [f for f in got.attrs["findings"] if f.code == "green_power.vintage"]
        assert "more than 5 months away" in finding.message
    store.close()
