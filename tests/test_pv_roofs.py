"""greenpark load roofs: the TableSpec, bad input named by line/column, unknown buildings."""

import pytest

from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.roofs import load_roofs

HEADER = (
    "roof_id,building_id,enterprise_id,area_m2,tilt_deg,azimuth_deg,roof_type,"
    "usable_fraction,mounting,existing_pv_kwp,capex_cny_per_kwp\n"
)
GOOD = "R1,B1,E1,1000,20,180,flat,0.5,,,\nR2,B2,E2,500,30,90,pitched,,flush,10,4000\n"


def write(tmp_path, body, name="roofs.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def stored(store):
    return store.con.execute("SELECT count(*) FROM roofs").fetchone()[0]


def test_load_roofs_and_reload(store, tmp_path):
    result = load_roofs(store, write(tmp_path, GOOD))
    assert (result.status, result.rows_inserted) == ("loaded", 2)
    assert "building ids not checked" in result.findings[-1]
    row = store.con.execute(
        "SELECT usable_fraction, mounting, existing_pv_kwp, "
        "capex_cny_per_kwp FROM roofs WHERE roof_id = 'R2'"
    ).fetchone()
    assert row == (None, "flush", 10.0, 4000.0)
    assert load_roofs(store, write(tmp_path, GOOD)).status == "unchanged"


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "R1,B1,E1,1000,95,180,flat,,,,",
            "line 2, column 'tilt_deg': value '95': must be at most 90",
        ),
        (
            "R1,B1,E1,1000,20,400,flat,,,,",
            "line 2, column 'azimuth_deg': value '400': must be at most 360",
        ),
        (
            "R1,B1,E1,0,20,180,flat,,,,",
            "line 2, column 'area_m2': value '0': must be greater than 0",
        ),
        ("R1,B1,E1,-5,20,180,flat,,,,", "column 'area_m2': value '-5': must be greater than 0"),
        ("R1,B1,E1,100,20,180,dome,,,,", "column 'roof_type': value 'dome': must be one of flat"),
        (
            "R1,B1,E1,100,20,180,flat,1.5,,,",
            "column 'usable_fraction': value '1.5': must be at most 1",
        ),
    ],
)
def test_bad_roofs_are_refused_with_line_and_column(store, tmp_path, line, message):
    with pytest.raises(InputError) as exc:
        load_roofs(store, write(tmp_path, line + "\n"))
    assert message in str(exc.value)
    assert stored(store) == 0


def test_unknown_buildings_are_refused_when_the_registry_names_buildings(store, tmp_path):
    meters = tmp_path / "m.csv"
    meters.write_text(
        "meter_id,carrier,role,unit,building_id\nPVX,electricity,pv_generation,kWh,B1\n",
        encoding="utf-8",
    )
    load_meters(store, meters)
    with pytest.raises(InputError) as exc:
        load_roofs(store, write(tmp_path, GOOD))
    assert "line 3, column 'building_id': value 'B2': unknown building" in str(exc.value)
    assert stored(store) == 0
