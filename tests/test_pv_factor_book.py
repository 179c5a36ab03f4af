"""One FactorBook (issue 10, item 4): with a park override of the grid factor, ``pv value``
CO2 avoided and ``carbon`` use the same factor. Expected tCO2 worked out by hand:
kWh x override factor / 1000."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from test_pv_estimate import make_store

from greenpark.cli import cli
from greenpark.core.periods import Period
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.carbon.tables import carbon_by
from greenpark.metrics.pv.potential import estimate
from greenpark.metrics.pv.value import pv_value

OVERRIDE = 0.4321  # tCO2/MWh, the park's own grid factor for 2025 (shipped Jiangsu: 0.5827)
IMPORT_KWH = 50.0  # every hour of 2025


def override_park(tmp_path, grid="tCO2/MWh", value=OVERRIDE):
    store = make_store(tmp_path)
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "meter_id,carrier,role,unit,building_id\nIMP,electricity,grid_import,kWh,\n",
        encoding="utf-8",
    )
    load_meters(store, meters)
    hours = pd.date_range("2025-01-01", "2025-12-31 23:00", freq="1h")
    readings = tmp_path / "imp.csv"
    readings.write_text(
        "meter_id,timestamp,value\n"
        + "".join(f"IMP,{t:%Y-%m-%d %H:%M},{IMPORT_KWH:g}\n" for t in hours),
        encoding="utf-8",
    )
    load_readings(store, [readings])
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "factor_key,value,unit,source,valid_from,valid_to\n"
        f"electricity.location,{value},{grid},park grid study,2025-01-01,2025-12-31\n",
        encoding="utf-8",
    )
    load_accounting_input(store, "factor_overrides", overrides)
    estimate(store)
    return store


def self_consumed_kwh(store) -> float:
    """New PV used on site, straight from the stored hourly profile: min(PV, 50 kWh)."""
    return store.con.execute(
        "SELECT sum(least(new_ac_kwh, ?)) FROM pv_park_hourly", [IMPORT_KWH]
    ).fetchone()[0]


def test_pv_value_and_carbon_use_the_park_override(tmp_path):
    with override_park(tmp_path) as store:
        used_kwh = self_consumed_kwh(store)
        result = pv_value(store, Period.year(2025))
        row = result.frame.iloc[0]
        assert row["co2_avoided_tco2"] == pytest.approx(used_kwh * OVERRIDE / 1000)
        assert row["grid_factor_tco2_per_mwh"] == pytest.approx(OVERRIDE)
        assert "override.electricity.location" in row["grid_factor_source"]
        assert result.inputs["factor_ids"] == ["override.electricity.location"]
        carbon = carbon_by(store, Period.year(2025)).frame.set_index("scope")
        # 8760 h x 50 kWh x 0.4321 tCO2/MWh / 1000 = 189.2598 tCO2
        assert carbon.loc["scope2", "emissions_location_tco2"] == pytest.approx(
            8760 * IMPORT_KWH * OVERRIDE / 1000
        )
        assert carbon.loc["scope2", "emissions_location_tco2"] == pytest.approx(189.2598)


def test_an_override_in_other_units_is_converted_the_same_way(tmp_path):
    # 432.1 gCO2/kWh = 0.4321 tCO2/MWh
    with override_park(tmp_path, grid="gCO2/kWh", value=432.1) as store:
        row = pv_value(store, 2025).frame.iloc[0]
        assert row["co2_avoided_tco2"] == pytest.approx(self_consumed_kwh(store) * 0.4321 / 1000)


def test_the_commands_agree_on_the_factor(tmp_path):
    with override_park(tmp_path) as store:
        used_kwh = self_consumed_kwh(store)
    env = {"GREENPARK_DB": str(tmp_path / "pv.duckdb")}
    runner = CliRunner()
    out = runner.invoke(cli, ["pv", "value", "--year", "2025", "--format", "json"], env=env)
    assert out.exit_code == 0, out.output
    (pv,) = json.loads(out.stdout)
    assert pv["co2_avoided_tco2"] == pytest.approx(used_kwh * OVERRIDE / 1000)
    out = runner.invoke(cli, ["carbon", "--year", "2025", "--format", "json"], env=env)
    assert out.exit_code == 0, out.output
    scope2 = next(r for r in json.loads(out.stdout) if r["scope"] == "scope2")
    assert scope2["emissions_location_tco2"] == pytest.approx(8760 * IMPORT_KWH * OVERRIDE / 1000)
    ledger = runner.invoke(
        cli, ["carbon", "--year", "2025", "--ledger", "--format", "json"], env=env
    )
    factors = [r["factor_value"] for r in json.loads(ledger.stdout) if r["meter_id"] == "IMP"]
    assert len(factors) == 12 and factors == pytest.approx([OVERRIDE] * 12)
    assert pv["grid_factor_tco2_per_mwh"] == pytest.approx(OVERRIDE)
