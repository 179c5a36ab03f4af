"""A worked example computed by hand: a Jiangsu park, June 2023.

Activity (30 days of daily interval readings):
  grid import 40,000 kWh/d, export 1,000 kWh/d, PV 3,000 kWh/d,
  natural gas 2,000 Nm3/d, purchased steam 100 GJ/d,
  submeters: E1 20,000 kWh/d, E2 15,000 kWh/d.
Green power: park trade 200 MWh (June 2023, vintage 2023-06), GEC for E1 100 MWh (June,
vintage 2023-05), GEC 50 MWh with vintage 2022-12 (not counted for 2023).
Factors (shipped tables): Jiangsu 2023 grid 0.5827 tCO2/MWh; national 2023 excluding
market-traded non-fossil 0.6096 tCO2/MWh (MEE & NBS 2025 No.47); natural gas NCV
389.31 GJ/10^4 Nm3, 15.3 tC/TJ, OX 0.99; heat 0.11 tCO2/GJ; GB/T 2589 electricity
0.1229 kgce/kWh, gas 1.3300 kgce/m3 (the row whose heating value, 38,931 kJ/m3, is the
guideline NCV above: one heating value for tce and CO2), heat 0.03412 kgce/MJ.
"""

import pandas as pd
import pytest
from conftest import write

from greenpark.core.errors import GreenparkError, InputError
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.carbon.tables import carbon_table, intensities, ledger

DAYS = 30
IMPORT_KWH, EXPORT_KWH, PV_KWH = 40_000 * DAYS, 1_000 * DAYS, 3_000 * DAYS
GAS_NM3, STEAM_GJ = 2_000 * DAYS, 100 * DAYS
E1_KWH, E2_KWH = 20_000 * DAYS, 15_000 * DAYS
GRID_2023, RESIDUAL_2023 = 0.5827, 0.6096  # tCO2/MWh
GAS_FACTOR = 389.31 / 1e4 * 15.3 / 1000 * 0.99 * 44 / 12  # tCO2/Nm3 = 0.0021621888

NET_MWH = (IMPORT_KWH - EXPORT_KWH) / 1000  # 1,170 MWh
SCOPE1 = GAS_NM3 * GAS_FACTOR  # 129.7313 tCO2
HEAT = STEAM_GJ * 0.11  # 330 tCO2
LOCATION = NET_MWH * GRID_2023 + HEAT + SCOPE1  # 1,141.490 tCO2
MARKET = (NET_MWH - 300) * RESIDUAL_2023 + HEAT + SCOPE1  # 990.083 tCO2
TCE = (
    (IMPORT_KWH - EXPORT_KWH + PV_KWH) * 0.1229 + GAS_NM3 * 1.33 + STEAM_GJ * 1000 * 0.03412
) / 1000  # 337.014 tce (330.072 with the gas-field 1.2143 before issue 13)

METERS = """\
meter_id,carrier,role,unit,parent_id,enterprise_id
IMP,electricity,grid_import,kWh,,
EXP,electricity,grid_export,kWh,,
PV,electricity,pv_generation,kWh,,
GAS,natural_gas,fuel,m3,,
STEAM,heat,heat_import,GJ,,
S1,electricity,submeter,kWh,IMP,E1
S2,electricity,submeter,kWh,IMP,E2
"""


@pytest.fixture
def park(tmp_path, park_toml):
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = tmp_path / "jiangsu.duckdb"
    init_park(str(db), park_toml())
    days = pd.date_range("2023-06-01", periods=DAYS, freq="D").strftime("%Y-%m-%d 00:00")
    daily = {
        "IMP": 40_000,
        "EXP": 1_000,
        "PV": 3_000,
        "GAS": 2_000,
        "STEAM": 100,
        "S1": 20_000,
        "S2": 15_000,
    }
    frame = pd.DataFrame({"timestamp": days, **daily})
    frame.to_csv(tmp_path / "june.csv", index=False)
    with open_store(db) as store:
        load_meters(store, write(tmp_path / "m.csv", METERS))
        load_readings(store, tmp_path / "june.csv")
        load_accounting_input(
            store,
            "enterprises",
            write(
                tmp_path / "e.csv",
                "enterprise_id,name,industry,leading_industry\n"
                "E1,One,biomedicine,true\nE2,Two,logistics,false\n",
            ),
        )
        load_accounting_input(
            store,
            "production",
            write(
                tmp_path / "p.csv",
                "enterprise_id,month,value_added_10k_cny\n"
                "E1,2023-06,5000\nE2,2023-06,3000\nE1,2023-05,4000\n",
            ),
        )
        load_accounting_input(
            store,
            "green_power",
            write(
                tmp_path / "g.csv",
                "instrument_id,type,mwh,period_start,period_end,enterprise_id,vintage,reference\n"
                "T1,green_power_trade,200,2023-06-01,2023-06-30,,2023-06,TR-1\n"
                "G1,gec,100,2023-06-01,2023-06-30,E1,2023-05,GEC-1\n"
                "G2,gec,50,2023-06-01,2023-06-30,,2022-12,GEC-2\n",
            ),
        )
    with open_store(db) as store:
        yield store


def test_scopes_location_and_market(park):
    got = carbon_table(park, month="2023-06", by="scope").set_index("scope")
    assert got.loc["scope1", "emissions_location_tco2"] == pytest.approx(SCOPE1, rel=1e-9)
    assert got.loc["scope2", "emissions_location_tco2"] == pytest.approx(
        NET_MWH * GRID_2023 + HEAT, rel=1e-9
    )
    assert got.loc["total", "emissions_location_tco2"] == pytest.approx(1141.490, abs=5e-4)
    assert got.loc["total", "emissions_location_tco2"] == pytest.approx(LOCATION, rel=1e-9)
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx(990.083, abs=5e-4)
    assert got.loc["total", "energy_tce"] == pytest.approx(337.014, abs=5e-4)
    assert got.loc["total", "energy_tce"] == pytest.approx(TCE, rel=1e-9)
    assert got.loc["on_site", "emissions_location_tco2"] == 0
    assert any("G2" in f and "vintage" in f for f in got.attrs["findings"])


def test_totals_equal_the_sum_of_the_ledger(park):
    lines = ledger(park, month="2023-06")
    location = lines.loc[lines["basis"].isin(["location", "both"]), "emissions_tco2"].sum()
    market = lines.loc[lines["basis"].isin(["market", "both"]), "emissions_tco2"].sum()
    assert location == pytest.approx(LOCATION, rel=1e-9)
    assert market == pytest.approx(MARKET, rel=1e-9)
    gas = lines[lines["meter_id"] == "GAS"].iloc[0]
    assert gas["factor_id"] == "fuel.natural_gas.co2"
    assert gas["factor_value"] == pytest.approx(GAS_FACTOR, rel=1e-12)
    grid = lines[lines["meter_id"] == "IMP"].iloc[0]
    assert (grid["factor_id"], grid["factor_value"], grid["factor_year"]) == (
        "grid.average.province.Jiangsu.2023",
        GRID_2023,
        2023,
    )
    assert "No.47" in grid["factor_source"]


def test_enterprises_and_the_not_submetered_line(park):
    got = carbon_table(park, month="2023-06", by="enterprise").set_index("enterprise_id")
    assert got.loc["E1", "emissions_location_tco2"] == pytest.approx(600 * GRID_2023)
    assert got.loc["E1", "emissions_market_tco2"] == pytest.approx((600 - 100) * RESIDUAL_2023)
    assert got.loc["E2", "emissions_market_tco2"] == pytest.approx(450 * RESIDUAL_2023)
    assert got.loc["E1", "energy_tce"] == pytest.approx(E1_KWH * 0.1229 / 1000)
    rest = got.loc["(not submetered)"]
    assert rest["emissions_location_tco2"] == pytest.approx(LOCATION - (600 + 450) * GRID_2023)
    assert rest["electricity_kwh"] == pytest.approx(
        IMPORT_KWH - EXPORT_KWH + PV_KWH - E1_KWH - E2_KWH
    )
    assert got.loc["total", "emissions_location_tco2"] == pytest.approx(LOCATION)
    industry = carbon_table(park, month="2023-06", by="industry").set_index("industry")
    assert industry.loc["biomedicine", "emissions_location_tco2"] == pytest.approx(600 * GRID_2023)
    assert bool(industry.loc["biomedicine", "leading_industry"]) is True


def test_reporting_year_without_factor_falls_back_and_says_so(park, tmp_path):
    days = pd.date_range("2025-06-01", periods=2, freq="D").strftime("%Y-%m-%d 00:00")
    pd.DataFrame({"timestamp": days, "IMP": 1000.0}).to_csv(tmp_path / "y25.csv", index=False)
    load_readings(park, tmp_path / "y25.csv")
    got = carbon_table(park, month="2025-06", by="scope").set_index("scope")
    assert got.loc["total", "emissions_location_tco2"] == pytest.approx(2 * 0.5827)
    assert any("no factor published for 2025" in f and "2023" in f for f in got.attrs["findings"])


def test_intensities_and_missing_production(park):
    got = intensities(park, "2023-06").set_index("period")
    month = got.loc["month"]
    assert month["tco2_per_tce_location"] == pytest.approx(LOCATION / TCE, rel=1e-9)
    # 1,141.490 / 337.014 (3.4583 = 1,141.490 / 330.072 before issue 13)
    assert month["tco2_per_tce_location"] == pytest.approx(3.3871, abs=5e-5)
    assert month["value_added_10k_cny"] == 8000
    assert month["tco2_per_10k_cny_location"] == pytest.approx(LOCATION / 8000)
    assert month["tce_per_10k_cny"] == pytest.approx(TCE / 8000)
    # No readings before June: the previous month is incomplete, never a zero division.
    assert pd.isna(got.loc["previous_month", "tco2_per_tce_location"])
    assert any("readings.incomplete" in f for f in got.attrs["findings"])


def test_override_of_gas_carbon_content(park, tmp_path):
    path = write(
        tmp_path / "o.csv",
        "factor_key,value,unit,source,valid_from,valid_to\n"
        "fuel.natural_gas.carbon_content,15.5,kgC/GJ,lab report 2023-02,"
        "2023-01-01,2023-12-31\n",
    )
    load_accounting_input(park, "factor_overrides", path)
    lines = ledger(park, month="2023-06")
    gas = lines[lines["meter_id"] == "GAS"].iloc[0]
    assert gas["factor_value"] == pytest.approx(389.31 / 1e4 * 15.5 / 1000 * 0.99 * 44 / 12)
    assert bool(gas["override"]) is True


def test_bad_accounting_inputs(park, tmp_path):
    before = park.con.execute("SELECT count(*) FROM factor_overrides").fetchone()
    bad_unit = write(
        tmp_path / "o.csv",
        "factor_key,value,unit,source,valid_from,valid_to\n"
        "electricity.location,0.5,kWh,x,2023-01-01,2023-12-31\n",
    )
    with pytest.raises(InputError, match=r"o.csv: line 2, column 'unit': value 'kWh'"):
        load_accounting_input(park, "factor_overrides", bad_unit)
    assert park.con.execute("SELECT count(*) FROM factor_overrides").fetchone() == before
    negative = write(tmp_path / "p.csv", "enterprise_id,month,value_added_10k_cny\nE1,2023-07,-5\n")
    with pytest.raises(InputError, match="column 'value_added_10k_cny'.*at least 0"):
        load_accounting_input(park, "production", negative)
    unknown = write(tmp_path / "p2.csv", "enterprise_id,month,value_added_10k_cny\nE9,2023-07,5\n")
    with pytest.raises(InputError, match="value 'E9': unknown enterprise"):
        load_accounting_input(park, "production", unknown)
    twice = write(
        tmp_path / "g.csv",
        "instrument_id,type,mwh,period_start,period_end,"
        "vintage,reference\nT9,gec,1,2023-06-01,2023-06-30,2023-06,TR-1\n",
    )
    with pytest.raises(InputError, match="already claimed by instrument T1"):
        load_accounting_input(park, "green_power", twice)


def test_green_power_exceeding_consumption_is_reported(park, tmp_path):
    path = write(
        tmp_path / "big.csv",
        "instrument_id,type,mwh,period_start,period_end,"
        "vintage\nBIG,gec,5000,2023-06-01,2023-06-30,2023-06\n",
    )
    load_accounting_input(park, "green_power", path)
    got = carbon_table(park, month="2023-06", by="scope").set_index("scope")
    assert got.loc["total", "emissions_market_tco2"] == pytest.approx(HEAT + SCOPE1)
    assert any("green_power.excess" in f for f in got.attrs["findings"])


def test_period_arguments(park):
    with pytest.raises(GreenparkError, match="exactly one"):
        carbon_table(park, month="2023-06", year=2023)
    with pytest.raises(GreenparkError, match="no readings"):
        carbon_table(park, year=2019)


def test_energy_command_views(park):
    from click.testing import CliRunner

    from greenpark.cli import cli

    park.close()  # the CLI opens the file itself
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["--db", park.path, "energy", "--year", "2023", "--by", "enterprise", "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    import json

    # stdout holds the JSON; findings (the G2 vintage) are Note: lines on stderr
    rows = {r["enterprise_id"]: r for r in json.loads(out.stdout)}
    assert rows["E1"]["energy_tce"] == pytest.approx(E1_KWH * 0.1229 / 1000)
    assert rows["total"]["energy_tce"] == pytest.approx(TCE)
    monthly = runner.invoke(
        cli, ["--db", park.path, "energy", "--month", "2023-06", "--format", "json"]
    )
    flows = {(r["carrier"], r["flow"]): r for r in json.loads(monthly.stdout)}
    assert flows["heat", "consumption"]["energy_tce"] == pytest.approx(STEAM_GJ * 0.03412)


def test_enterprise_intensities(park):
    from greenpark.metrics.carbon.tables import entity_intensities

    got = entity_intensities(park, "2023-06", by="enterprise")
    month = got[got["period"] == "month"].set_index("enterprise_id")
    assert month.loc["E1", "tco2_per_10k_cny_location"] == pytest.approx(600 * GRID_2023 / 5000)
    assert month.loc["E2", "tce_per_10k_cny"] == pytest.approx(E2_KWH * 0.1229 / 1000 / 3000)
    # only June has readings: the other periods are incomplete, not shown, and said so
    assert set(got["period"]) == {"month"}
    assert any("ytd" in f and "incomplete" in f for f in got.attrs["findings"])
    industry = entity_intensities(park, "2023-06", by="industry").set_index("industry")
    assert industry.loc["biomedicine", "tco2_per_10k_cny_location"] == pytest.approx(
        600 * GRID_2023 / 5000
    )


def test_industry_value_added_needs_every_member_every_month(park):
    got = carbon_table(park, year=2023, by="industry").set_index("industry")
    # E1 (biomedicine) reported May and June only; E2 (logistics) June only
    assert pd.isna(got.loc["biomedicine", "value_added_10k_cny"])
    assert pd.isna(got.loc["logistics", "tco2_per_10k_cny_location"])
    june = carbon_table(park, month="2023-06", by="industry").set_index("industry")
    assert june.loc["logistics", "value_added_10k_cny"] == 3000
