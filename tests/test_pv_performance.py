"""greenpark pv performance: metered PV vs the model on measured weather."""

import pandas as pd
import pytest
from pvlib import modelchain, pvsystem, temperature
from pvlib.location import Location
from test_pv_estimate import PARK, TMY3

from greenpark.io.weather import read_weather
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.loaders.roofs import load_roofs
from greenpark.loaders.weather import load_weather
from greenpark.metrics.pv.performance import performance
from greenpark.store import open_store
from greenpark.store.park import init_park

ROOF = (
    "roof_id,building_id,enterprise_id,area_m2,tilt_deg,azimuth_deg,roof_type,"
    "usable_fraction,mounting,existing_pv_kwp\nR1,B1,E1,1000,20,180,flat,0.5,,54\n"
)


def january_2025_weather():
    """TMY3 January re-dated to 2025 (UTC hour starts of local January)."""
    data, _ = read_weather(TMY3)
    start, end = (
        pd.Timestamp("2025-01-01 05:00", tz="UTC"),
        pd.Timestamp("2025-02-01 05:00", tz="UTC"),
    )
    data.index = pd.DatetimeIndex([t.replace(year=2025) for t in data.index])
    return data[(data.index >= start) & (data.index < end)]


def test_shortfall_is_found(tmp_path):
    wx = january_2025_weather()
    (tmp_path / "wx.csv").write_text(
        "timestamp,ghi,dni,dhi,temp_air,wind_speed\n"
        + "".join(
            f"{t:%Y-%m-%dT%H:%M}Z,{r.ghi},{r.dni},{r.dhi},{r.temp_air},{r.wind_speed}\n"
            for t, r in zip(wx.index, wx.itertuples(), strict=True)
        ),
        encoding="utf-8",
    )
    # the direct pvlib computation for the 54 kWp roof, at the interval midpoints
    mid = wx.set_axis(wx.index + pd.Timedelta(minutes=30))
    system = pvsystem.PVSystem(
        surface_tilt=20,
        surface_azimuth=180,
        albedo=0.2,
        module_parameters={"pdc0": 54000, "gamma_pdc": -0.0047},
        inverter_parameters={"pdc0": 54000 / 1.2 / 0.96, "eta_inv_nom": 0.96},
        temperature_model_parameters=temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
            "open_rack_glass_polymer"
        ],
    )
    chain = modelchain.ModelChain(
        system,
        Location(36.1, -79.95, altitude=273),
        aoi_model="physical",
        spectral_model="no_loss",
        transposition_model="perez",
        losses_model="pvwatts",
    )
    chain.run_model(mid)
    ac_kwh = chain.results.ac.fillna(0).to_numpy() / 1000
    poa_kwh_m2 = chain.results.total_irrad["poa_global"].fillna(0).sum() / 1000
    # the meter delivers half of it; its timestamps are local (park time)
    local = wx.index.tz_convert("Etc/GMT+5").tz_localize(None)
    (tmp_path / "pv.csv").write_text(
        "meter_id,timestamp,value\n"
        + "".join(f"PVM,{t:%Y-%m-%d %H:%M},{v / 2}\n" for t, v in zip(local, ac_kwh, strict=True)),
        encoding="utf-8",
    )
    (tmp_path / "meters.csv").write_text(
        "meter_id,carrier,role,unit,building_id\n"
        "PVM,electricity,pv_generation,kWh,B1\n"
        "PVX,electricity,pv_generation,kWh,B9\n",
        encoding="utf-8",
    )
    (tmp_path / "roofs.csv").write_text(ROOF, encoding="utf-8")
    (tmp_path / "park.toml").write_text(PARK, encoding="utf-8")
    init_park(str(tmp_path / "p.duckdb"), tmp_path / "park.toml")
    with open_store(tmp_path / "p.duckdb") as store:
        load_meters(store, tmp_path / "meters.csv")
        load_roofs(store, tmp_path / "roofs.csv")
        load_weather(store, tmp_path / "wx.csv")
        load_readings(store, [tmp_path / "pv.csv"])
        result = performance(store, "2025-01")
    row = result.frame.set_index("meter_id").loc["PVM"]
    assert row["hours_compared"] == 744
    assert row["expected_kwh"] == pytest.approx(ac_kwh.sum(), rel=1e-6)
    assert row["actual_kwh"] == pytest.approx(ac_kwh.sum() / 2, rel=1e-3)  # 0.1 kWh rounding
    assert row["actual_to_expected_pct"] == pytest.approx(50.0, abs=0.1)
    assert row["poa_insolation_kwh_per_m2"] == pytest.approx(poa_kwh_m2, rel=1e-6)
    assert row["expected_performance_ratio"] == pytest.approx(
        ac_kwh.sum() / 54 / poa_kwh_m2, rel=1e-6
    )
    assert row["status"] == "shortfall"
    codes = [f["code"] for f in result.findings]
    assert "pv.underperformance" in codes and "pv.no_roof" in codes
    assert result.frame.set_index("meter_id").loc["PVX", "status"] == "no roof"
    assert result.inputs["tolerance_pct"] == 10.0
