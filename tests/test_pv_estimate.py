"""greenpark.metrics.pv.potential.estimate: capacities by hand, energy equal to a direct
ModelChain, storage."""

from pathlib import Path

import numpy as np
import pvlib
import pytest
from pvlib import modelchain, pvsystem, temperature
from pvlib.location import Location

from greenpark.core.errors import ConfigError, GreenparkError
from greenpark.io.weather import read_weather
from greenpark.loaders.roofs import load_roofs
from greenpark.loaders.weather import load_weather
from greenpark.metrics.pv.model import midpoints
from greenpark.metrics.pv.potential import estimate
from greenpark.store import open_store
from greenpark.store.park import init_park

TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"
CUT_EPW = Path(__file__).parent / "data" / "weather" / "pvgis_45n8e_cut.epw"
PARK = """[park]
id = "greensboro"
name = "Greensboro test park"
timezone = "Etc/GMT+5"
latitude = 36.1
longitude = -79.95
altitude_m = 273
province = "Jiangsu"
"""
SCREENING = (
    "\n[pv]\nscreening_clearness_index = [0.45, 0.48, 0.5, 0.52, 0.53, 0.54, "
    "0.53, 0.52, 0.5, 0.5, 0.46, 0.44]\n"
)
ROOFS = """\
roof_id,building_id,enterprise_id,area_m2,tilt_deg,azimuth_deg,roof_type,\
usable_fraction,mounting,existing_pv_kwp
R1,B1,E1,1000,20,180,flat,0.5,,
R2,B1,E1,500,30,90,pitched,,,10
R3,B2,E2,2000,20,180,flat,0.5,,
"""


def make_store(tmp_path, extra="", weather=True):
    (tmp_path / "park.toml").write_text(PARK + extra, encoding="utf-8")
    (tmp_path / "roofs.csv").write_text(ROOFS, encoding="utf-8")
    init_park(str(tmp_path / "pv.duckdb"), tmp_path / "park.toml")
    store = open_store(tmp_path / "pv.duckdb")
    load_roofs(store, tmp_path / "roofs.csv")
    if weather:
        load_weather(store, TMY3)
    return store


@pytest.fixture
def pvstore(tmp_path):
    with make_store(tmp_path) as store:
        yield store


def direct_modelchain_kwh(tilt, azimuth, kwp, temp_model):
    """Annual AC energy of one roof from pvlib's ModelChain (PVWatts configuration)."""
    weather, meta = read_weather(TMY3)
    weather.index = midpoints(weather.index)
    system = pvsystem.PVSystem(
        surface_tilt=tilt,
        surface_azimuth=azimuth,
        albedo=0.2,
        module_parameters={"pdc0": kwp * 1000, "gamma_pdc": -0.0047},
        inverter_parameters={"pdc0": kwp * 1000 / 1.2 / 0.96, "eta_inv_nom": 0.96},
        temperature_model_parameters=temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][temp_model],
    )
    chain = modelchain.ModelChain(
        system,
        Location(36.1, -79.95, altitude=273),
        aoi_model="physical",
        spectral_model="no_loss",
        transposition_model="perez",
        losses_model="pvwatts",
    )
    chain.run_model(weather)
    return chain.results.ac.sum() / 1000.0


def test_capacity_and_energy(pvstore):
    result = estimate(pvstore)
    roofs = result.roofs.set_index("roof_id")
    # R1: 1000 m2 x 0.5 x 0.108 kW/m2 = 54 kWp (racked, flat); R2: 500 x 0.30 (default) x
    # 0.20 (flush, pitched) = 30 kWp, 10 kWp existing -> 20 kWp new
    assert roofs.loc["R1", "capacity_kwp"] == pytest.approx(54.0)
    assert roofs.loc["R2", "capacity_kwp"] == pytest.approx(30.0)
    assert roofs.loc["R2", "new_capacity_kwp"] == pytest.approx(20.0)
    assert roofs.loc["R2", "mounting"] == "flush" and roofs.loc["R1", "mounting"] == "racked"
    r1 = direct_modelchain_kwh(20, 180, 54.0, "open_rack_glass_polymer")
    r2 = direct_modelchain_kwh(30, 90, 30.0, "close_mount_glass_glass")
    assert roofs.loc["R1", "annual_energy_kwh"] == pytest.approx(r1, rel=1e-9)
    assert roofs.loc["R2", "annual_energy_kwh"] == pytest.approx(r2, rel=1e-9)
    assert roofs.loc["R2", "new_annual_energy_kwh"] == pytest.approx(r2 * 20 / 30, rel=1e-9)
    yield_r1 = r1 / 54.0
    assert 1100 < yield_r1 < 1600  # Greensboro NC, 20 deg south
    assert roofs.loc["R1", "specific_yield_kwh_per_kwp"] == pytest.approx(yield_r1)
    assert roofs.loc["R1", "capacity_factor_pct"] == pytest.approx(r1 / (54.0 * 8760) * 100)
    months = [f"energy_m{m:02d}_kwh" for m in range(1, 13)]
    assert roofs.loc["R1", months].sum() == pytest.approx(r1)
    park = result.park.iloc[0]
    assert park["capacity_kwp"] == pytest.approx(54 + 30 + 108)
    assert park["annual_energy_kwh"] == pytest.approx(r1 * 3 + r2)  # R3 = 2 x R1
    assert park["estimate_kind"] == "weather data"


def test_results_are_stored_and_replaced(pvstore):
    first = estimate(pvstore)
    con = pvstore.con
    assert con.execute("SELECT count(*) FROM pv_park_hourly").fetchone()[0] == 8760
    hourly_total = con.execute("SELECT sum(ac_kwh) FROM pv_park_hourly").fetchone()[0]
    assert hourly_total == pytest.approx(first.park["annual_energy_kwh"][0])
    # a roof's hourly profile = capacity x its class profile
    r3 = con.execute(
        "SELECT sum(r.capacity_kwp * p.ac_kwh_per_kwp) FROM pv_roof_results r "
        "JOIN pv_profiles p USING (run_id, profile_id) WHERE r.roof_id = 'R3'"
    ).fetchone()[0]
    assert r3 == pytest.approx(first.roofs.set_index("roof_id").loc["R3", "annual_energy_kwh"])
    assert con.execute("SELECT count(DISTINCT profile_id) FROM pv_profiles").fetchone()[0] == 2
    second = estimate(pvstore, roof_ids=["R2"])
    assert second.run_id == first.run_id + 1
    assert con.execute("SELECT list(roof_id) FROM pv_roof_results").fetchone()[0] == ["R2"]
    assert con.execute("SELECT count(*) FROM pv_roof_monthly").fetchone()[0] == 12
    with pytest.raises(GreenparkError, match="--roof R9: no such roof"):
        estimate(pvstore, roof_ids=["R9"])


def test_partial_year_weather_is_refused(pvstore):
    load_weather(pvstore, CUT_EPW, fill=True)
    with pytest.raises(GreenparkError, match="covers 48 hours; an annual estimate needs a full"):
        estimate(pvstore, weather="2")


def test_screening_needs_clearness_indices(tmp_path):
    with make_store(tmp_path, weather=False) as store:
        with pytest.raises(ConfigError, match="pv.screening_clearness_index"):
            estimate(store)


def test_screening_estimate_is_labelled(tmp_path):
    with make_store(tmp_path, extra=SCREENING, weather=False) as store:
        result = estimate(store)
        assert result.weather.screening and result.label == "screening estimate"
        assert result.park["estimate_kind"][0] == "screening estimate"
        assert (result.with_park_row()["estimate_kind"] == "screening estimate").all()
        assert result.notes()[0].startswith("SCREENING ESTIMATE")
        yield_kwh_per_kwp = result.roofs["specific_yield_kwh_per_kwp"].to_numpy()
        assert np.all((yield_kwh_per_kwp > 900) & (yield_kwh_per_kwp < 1800))
        stored = store.con.execute("SELECT screening FROM pv_runs").fetchone()[0]
        assert stored is True


def test_an_interrupted_estimate_keeps_the_previous_one(pvstore):
    first = estimate(pvstore)

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        estimate(pvstore, chunk_size=1, progress=interrupt)
    con = pvstore.con
    assert con.execute("SELECT max(run_id) FROM pv_runs").fetchone()[0] == first.run_id
    assert con.execute("SELECT DISTINCT run_id FROM pv_profiles").fetchall() == [(first.run_id,)]
    assert list(first.summary().columns)[:3] == ["roofs", "area_m2", "capacity_kwp"]


def test_pvgis_is_fetched_once_and_cached(tmp_path, monkeypatch):
    calls = []
    weather, meta = read_weather(TMY3)  # stands in for the PVGIS answer (no network)

    def fake_get(latitude, longitude, timeout=30):
        calls.append((latitude, longitude))
        return weather.copy(), {
            **meta,
            "name": "PVGIS TMY (test)",
            "source_format": "pvgis_api",
            "findings": [],
        }

    monkeypatch.setattr("greenpark.io.weather.get_pvgis_tmy", fake_get)
    with make_store(tmp_path, weather=False) as store:
        first = estimate(store, weather="pvgis")
        second = estimate(store, weather="pvgis")
        assert calls == [(36.1, -79.95)]
        assert first.weather.weather_id == second.weather.weather_id == 1
        assert first.park["annual_energy_kwh"][0] == second.park["annual_energy_kwh"][0]
        kind = store.con.execute("SELECT source_format FROM weather_sets").fetchone()[0]
        assert kind == "pvgis_api"
