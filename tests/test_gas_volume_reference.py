"""Gas volume references (issue 13, item 3), by hand: normal (0 degC), standard (20 degC,
the Chinese trade reference) and working-condition volumes.

1 Sm3 at 20 degC holds the gas of 273.15 / 293.15 = 0.93178 Nm3 (ideal gas, 101.325 kPa).
"""

import pandas as pd
import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.energy import energy

SM3_TO_NM3 = 273.15 / 293.15
HEADER = "meter_id,carrier,role,unit,multiplier,volume_reference\n"


def load(store, tmp_path, rows: str, values: dict):
    result = load_meters(store, write(tmp_path / "m.csv", HEADER + rows))
    stamps = ["2025-01-01 00:00"]
    pd.DataFrame({"timestamp": stamps, **{k: [v] for k, v in values.items()}}).to_csv(
        tmp_path / "r.csv", index=False
    )
    load_readings(store, tmp_path / "r.csv")
    got = energy(store, "2025-01", by="meter").set_index("meter_id")["quantity"]
    return result, got


def test_each_reference_converts_to_normal_cubic_metres(store, tmp_path):
    rows = (
        "G_N,natural_gas,fuel,Nm3,,\n"
        "G_S,natural_gas,fuel,Sm3,,\n"
        "G_S2,natural_gas,fuel,m3,,standard\n"
        "G_W,natural_gas,fuel,m3,2.5,working\n"  # volume corrector factor 2.5 to Nm3
    )
    result, got = load(store, tmp_path, rows, {"G_N": 1000, "G_S": 1000, "G_S2": 1000, "G_W": 1000})
    assert got["G_N"] == pytest.approx(1000.0)
    assert got["G_S"] == pytest.approx(1000.0 * SM3_TO_NM3)  # 931.78 Nm3
    assert got["G_S2"] == pytest.approx(1000.0 * SM3_TO_NM3)
    assert got["G_W"] == pytest.approx(2500.0)
    assert "meters.gas_volume_reference" not in [f.code for f in result.findings]
    stored = dict(store.con.execute("SELECT meter_id, volume_reference FROM meters").fetchall())
    assert stored["G_S"] == "standard" and stored["G_W"] == "working"


def test_an_undeclared_m3_is_taken_as_normal_and_said(store, tmp_path):
    result, got = load(store, tmp_path, "G,natural_gas,fuel,m3,,\n", {"G": 1000})
    assert got["G"] == pytest.approx(1000.0)
    (finding,) = [f for f in result.findings if f.code == "meters.gas_volume_reference"]
    assert finding.severity == "warning" and finding.data["meter_id"] == "G"
    assert "taken as normal cubic metres (0 degC, 101.325 kPa)" in finding.message


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("G,natural_gas,fuel,m3,,working\n", "need multiplier = the conversion factor"),
        ("G,natural_gas,fuel,Nm3,,standard\n", "unit Nm3 is normal volume"),
        ("G,natural_gas,fuel,m3,,cold\n", "must be one of normal, standard, working"),
        ("E,electricity,grid_import,kWh,,normal\n", "volume_reference is for gas meters"),
    ],
)
def test_bad_references_are_errors_naming_the_line(store, tmp_path, row, rule):
    with pytest.raises(InputError) as err:
        load_meters(store, write(tmp_path / "bad.csv", HEADER + row))
    text = str(err.value)
    assert "bad.csv" in text and "line 2" in text and "volume_reference" in text and rule in text
    assert store.con.execute("SELECT count(*) FROM meters").fetchone()[0] == 6  # conftest's
