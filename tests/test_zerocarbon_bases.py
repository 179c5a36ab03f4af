"""The core indicator on all four bases, and the one the status is judged on (issue 13,
item 5), by hand.

Factors: Jiangsu 2023 grid 0.5827 tCO2/MWh and national residual 2023 0.6096 tCO2/MWh
(used for 2025); GB/T 2589 electricity 0.1229 kgce/kWh (calorific); a park coal rate of
300 gce/kWh given for 2024 only (used for 2025, the year fallback); natural gas
2.1621888 kgCO2/Nm3 and 1.33 kgce/Nm3.
"""

import json

import pytest
from click.testing import CliRunner
from test_zerocarbon import ELEC, GAS_F, GAS_K, GRID, build

from greenpark.cli import cli
from greenpark.metrics.zerocarbon import indicators_result
from greenpark.metrics.zerocarbon.bases import status_basis

RESIDUAL = 0.6096
IMP_KWH, GAS_NM3 = 100_000.0, 10_000.0  # a month
COAL_RATE = "\n[accounting]\ncoal_rate_gce_per_kwh = {2024 = 300.0}\n"


def test_four_bases_side_by_side_and_the_judged_one(tmp_path):
    store = build(tmp_path, {"IMP": IMP_KWH, "GAS": GAS_NM3}, extra=COAL_RATE)
    result = indicators_result(store, "2025")
    bases = result.tables["core_bases"].set_index(["emissions_basis", "electricity_tce_method"])
    e_location = 12 * (IMP_KWH / 1000 * GRID + GAS_NM3 * GAS_F)
    e_market = 12 * (IMP_KWH / 1000 * RESIDUAL + GAS_NM3 * GAS_F)
    t_calorific = 12 * (IMP_KWH * ELEC + GAS_NM3 * GAS_K) / 1000  # 307.08 tce
    t_primary = 12 * (IMP_KWH * 0.300 + GAS_NM3 * GAS_K) / 1000  # 519.6 tce
    expected = {
        ("location", "calorific"): e_location / t_calorific,
        ("market", "calorific"): e_market / t_calorific,
        ("location", "primary"): e_location / t_primary,
        ("market", "primary"): e_market / t_primary,
    }
    for key, value in expected.items():
        assert bases.loc[key, "tco2_per_tce"] == pytest.approx(value, rel=1e-12), key
    assert bases.loc[("market", "primary"), "energy_tce"] == pytest.approx(t_primary)
    # the park's TOML says emissions_basis = "location"; the ledger is calorific
    assert list(bases.index[bases["judged"]]) == [("location", "calorific")]
    core = result.frame.set_index("indicator_id").loc["core_small"]
    assert core["value"] == pytest.approx(expected["location", "calorific"], rel=1e-12)
    primary = bases.loc[("location", "primary")]
    assert primary["coal_rate_gce_per_kwh"] == pytest.approx(300.0)
    assert primary["coal_rate_year"] == 2024
    assert "coal rate of 2024 used for 2025" in primary["note"]
    assert result.inputs["status_basis"]["emissions_basis"] == "location"
    store.close()


def test_status_basis_names_its_config_keys():
    from greenpark.core.config import parse_park_config

    park = parse_park_config(
        '[park]\nid = "x"\nname = "X"\nlatitude = 31\nlongitude = 120\nprovince = "Jiangsu"\n'
    )
    basis = status_basis(park)
    assert (basis.emissions_basis, basis.electricity_tce_method) == ("market", "calorific")
    assert '[zero_carbon] emissions_basis = "market"' in basis.reason
    assert '[accounting] electricity_tce_method = "calorific"' in basis.reason


def test_without_a_coal_rate_the_primary_rows_say_why(tmp_path):
    store = build(tmp_path, {"IMP": IMP_KWH})
    bases = indicators_result(store, "2025").tables["core_bases"]
    primary = bases[bases["electricity_tce_method"] == "primary"]
    assert primary["tco2_per_tce"].isna().all()
    assert (primary["status"] == "insufficient_data").all()
    assert primary["note"].str.contains("no \\[accounting\\] coal_rate_gce_per_kwh").all()
    store.close()


def test_the_cli_always_prints_every_basis(tmp_path):
    store = build(tmp_path, {"IMP": IMP_KWH, "GAS": GAS_NM3}, extra=COAL_RATE)
    store.close()
    db = str(tmp_path / "zc.duckdb")
    out = CliRunner().invoke(cli, ["--db", db, "zero-carbon", "--year", "2025"])
    assert out.exit_code == 0, out.output
    assert "core indicator on every basis [tCO2/tce]" in out.output
    assert "location/calorific" in out.output and "<- status" in out.output
    assert "primary-energy coal rate 300 gce/kWh (2024)" in out.output
    js = CliRunner().invoke(
        cli, ["--db", db, "zero-carbon", "bases", "--year", "2025", "--format", "json"]
    )
    assert js.exit_code == 0, js.output
    rows = json.loads(js.stdout)
    assert len(rows) == 4 and sum(r["judged"] for r in rows) == 1
