import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings


def rows(store):
    return store.con.execute(
        "SELECT meter_id, carrier, role, unit, to_canonical, reading_type, multiplier, "
        "register_max, parent_id FROM meters ORDER BY meter_key"
    ).fetchall()


def test_meters_loaded_with_conversion_factors(store):
    got = {r[0]: r for r in rows(store)}
    assert got["S1"][4] == 1000.0  # MWh -> kWh
    assert got["S2"][6] == 80.0  # CT ratio
    assert got["GAS"][5:8] == ("register", 1.0, 1000.0)
    assert got["S1"][8] == "IMP"


def test_same_file_twice_changes_nothing(store, tmp_path):
    from conftest import METERS_CSV

    result = load_meters(store, write(tmp_path / "meters.csv", METERS_CSV))
    assert result.status == "unchanged"


def test_new_and_updated_meters(store, tmp_path):
    before = rows(store)
    path = write(
        tmp_path / "more.csv",
        """\
        meter_id,name,carrier,role,unit,parent_id
        S3,Tenant 3,electricity,submeter,kWh,IMP
        S1,Tenant one renamed,electricity,submeter,MWh,IMP
        """,
    )
    result = load_meters(store, path)
    assert result.status == "loaded" and result.rows_inserted == 2
    after = {r[0]: r for r in rows(store)}
    assert len(after) == len(before) + 1
    assert (
        store.con.execute("SELECT name FROM meters WHERE meter_id = 'S1'").fetchone()[0]
        == "Tenant one renamed"
    )


def test_unit_of_a_meter_with_readings_is_frozen(store, tmp_path):
    load_readings(
        store, write(tmp_path / "r.csv", "meter_id,timestamp,value\nS1,2025-01-01 00:00,1\n")
    )
    before = rows(store)
    path = write(
        tmp_path / "m.csv",
        "meter_id,carrier,role,unit,parent_id\nS1,electricity,submeter,kWh,IMP\n",
    )
    with pytest.raises(InputError, match="S1 already has readings; its unit cannot change"):
        load_meters(store, path)
    assert rows(store) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("X1,electricity,grid_import,m3\n", r"line 2, column 'unit'.*meter X1.*'m3'"),
        ("X1,plasma,grid_import,kWh\n", r"line 2, column 'carrier'.*unknown carrier"),
        ("X1,electricity,boss,kWh\n", r"column 'role'.*unknown role"),
        ("X1,natural_gas,grid_import,m3\n", r"role grid_import cannot measure natural_gas"),
        (
            "X1,electricity,submeter,kWh\nX1,electricity,submeter,kWh\n",
            r"line 3.*duplicate meter id \(first on line 2\)",
        ),
    ],
)
def test_bad_meter_rows(store, tmp_path, body, message):
    before = rows(store)
    path = write(tmp_path / "bad.csv", "meter_id,carrier,role,unit\n" + body)
    with pytest.raises(InputError, match=message) as err:
        load_meters(store, path)
    assert "bad.csv" in str(err.value)
    assert rows(store) == before


def test_parent_cycle_and_unknown_parent(store, tmp_path):
    cycle = write(
        tmp_path / "cycle.csv",
        "meter_id,carrier,role,unit,parent_id\n"
        "A,electricity,submeter,kWh,B\nB,electricity,submeter,kWh,A\n",
    )
    with pytest.raises(InputError, match="parent cycle: A -> B -> A"):
        load_meters(store, cycle)
    orphan = write(
        tmp_path / "orphan.csv",
        "meter_id,carrier,role,unit,parent_id\nA,electricity,submeter,kWh,NOPE\n",
    )
    with pytest.raises(InputError, match="column 'parent_id': value 'NOPE': unknown parent"):
        load_meters(store, orphan)


def test_missing_required_column(store, tmp_path):
    path = write(tmp_path / "m.csv", "meter_id,carrier,role\nX,electricity,submeter\n")
    with pytest.raises(InputError, match="column 'unit'.*required column is missing"):
        load_meters(store, path)
