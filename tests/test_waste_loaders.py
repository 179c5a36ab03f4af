"""Loading the waste ledger, monthly water and waste-heat files (greenpark/loaders/waste.py):
bad input is refused with file, line, column, value and rule, and the database unchanged."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.waste import (
    LEDGER_HEADERS_ZH,
    load_waste,
    load_waste_demo,
    load_waste_heat,
    load_water_monthly,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo-park"
HEADER = "month,enterprise_id,stream,category,hw_code,unit,generated,utilized,disposed,route\n"
GOOD = "2025-01,E01,slag,general_industrial_solid,,t,10,10,0,recycling\n"
LATEST = dt.date(2025, 6, 1)


def state(store) -> tuple:
    con = store.con
    return (
        con.execute("SELECT count(*) FROM waste_ledger").fetchone()[0],
        con.execute("SELECT count(*) FROM water_monthly").fetchone()[0],
        con.execute("SELECT count(*) FROM waste_heat_sources").fetchone()[0],
        con.execute("SELECT count(*) FROM load_log").fetchone()[0],
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "2025-01,E01,a,general_industrial_solid,,t,-5,0,0,",
            "line 3, column 'generated': value '-5': must be at least 0",
        ),
        (
            "2025-01,E01,a,hazardous,HW44,t,5,0,5,incineration",
            "line 3, column 'hw_code': value 'HW44': unknown HW class; the National Catalogue of "
            "Hazardous Wastes has HW01-HW40 and HW45-HW50",
        ),
        (
            "2025-01,E01,a,hazardous,HW51,t,5,0,5,incineration",
            "line 3, column 'hw_code': value 'HW51': unknown HW class",
        ),
        (
            "2025-01,E01,a,hazardous,H-08,t,5,0,5,incineration",
            "line 3, column 'hw_code': value 'H-08': malformed HW code; expected HW followed by "
            "two digits, e.g. HW08",
        ),
        (
            "2025-01,E01,a,hazardous,,t,5,0,5,incineration",
            "line 3, column 'hw_code': hazardous waste needs its HW code (HW01-HW50)",
        ),
        (
            "2025-01,E01,a,domestic,HW08,t,5,0,5,incineration",
            "line 3, column 'hw_code': value 'HW08': an HW code is only for category hazardous",
        ),
        (
            "2025-01,E01,a,sludge,,t,5,0,5,landfill",
            "line 3, column 'category': value 'sludge': must be one of general_industrial_solid, "
            "hazardous, recyclable, domestic",
        ),
        (
            "2025-01,E01,a,domestic,,m3,5,0,5,landfill",
            "line 3, column 'unit': value 'm3': unit 'm3' does not measure the same thing as t; "
            "a waste quantity needs a unit like t",
        ),
        (
            "2025-01,E01,a,domestic,,pieces,5,0,5,landfill",
            "line 3, column 'unit': value 'pieces': unknown unit 'pieces'",
        ),
        (
            "2025-07,E01,a,domestic,,t,5,0,5,landfill",
            "line 3, column 'month': value '2025-07': month is in the future (the current month "
            "is 2025-06)",
        ),
        (
            "2025-01,E01,a,domestic,,t,5,0,5,dumping",
            "line 3, column 'route': value 'dumping': must be one of recycling, reuse",
        ),
        (
            "2025-01,E01,slag,general_industrial_solid,,t,11,11,0,recycling",
            "line 3, column 'stream': value 'slag': month=2025-01-01, enterprise_id=E01, "
            "stream=slag also on line 2 with other values",
        ),
    ],
)
def test_bad_ledger_rows_are_refused(store, tmp_path, line, message):
    path = write(tmp_path / "bad.csv", HEADER + GOOD + line + "\n")
    before = state(store)
    with pytest.raises(InputError) as exc:
        load_waste(store, path, latest_month=LATEST)
    assert message in str(exc.value)
    assert str(exc.value).startswith(str(path))
    assert state(store) == before


def test_from_storage_above_total_is_impossible(store, tmp_path):
    text = (
        "month,enterprise_id,stream,category,generated,utilized,utilized_from_storage,"
        "disposed,disposed_from_storage\n"
        "2025-01,E01,a,general_industrial_solid,0,1,2,0,0\n"
        "2025-01,E01,b,general_industrial_solid,0,0,0,1,1.5\n"
    )
    with pytest.raises(InputError) as exc:
        load_waste(store, write(tmp_path / "s.csv", text), latest_month=LATEST)
    assert str(exc.value).splitlines()[1:] == [
        "  line 2, column 'utilized_from_storage': value '2': cannot exceed utilized (1): it "
        "is the part of utilized taken from prior-year storage",
        "  line 3, column 'disposed_from_storage': value '1.5': cannot exceed disposed (1): it "
        "is the part of disposed taken from prior-year storage",
    ]


def test_load_is_idempotent_and_conflicts_need_replace(store, tmp_path):
    path = write(tmp_path / "l.csv", HEADER + GOOD + GOOD)  # an exact repeat is ignored
    first = load_waste(store, path, latest_month=LATEST)
    assert (first.status, first.rows_inserted) == ("loaded", 1)
    assert any(f.message == "1 exact repeated row(s) ignored" for f in first.findings)
    before = state(store)
    assert load_waste(store, path, latest_month=LATEST).status == "unchanged"
    changed = write(tmp_path / "l2.csv", HEADER + GOOD.replace(",10,10,", ",12,12,"))
    with pytest.raises(InputError, match="is stored with generated = 10.0; use --replace"):
        load_waste(store, changed, latest_month=LATEST)
    assert state(store) == before
    replaced = load_waste(store, changed, replace=True, latest_month=LATEST)
    assert replaced.rows_replaced == 1
    assert store.con.execute("SELECT generated FROM waste_ledger").fetchall() == [(12.0,)]


def test_chinese_headers_and_mass_units(store, tmp_path):
    zh = list(LEDGER_HEADERS_ZH.values())
    text = (
        ",".join(zh) + "\n" + "2025-01,E01,S1,hazardous,废矿物油,HW08,千克,1500,1500,0,0,0,0,0,"
        "recycling,某公司,JS0000\n"
    )
    load_waste(
        store, write(tmp_path / "zh.csv", text), mapping=LEDGER_HEADERS_ZH, latest_month=LATEST
    )
    assert store.con.execute("SELECT unit, generated, hw_code FROM waste_ledger").fetchall() == [
        ("千克", 1500.0, "HW08")
    ]


WATER_HEADER = "month,enterprise_id,intake,recycled,unit\n"


def test_water_file_rules(store, tmp_path):
    before = state(store)
    bad = write(
        tmp_path / "w.csv", WATER_HEADER + "2025-01,,,,m3\n2025-02,,5,1,kg\n2025-03,,-1,2,m3\n"
    )
    with pytest.raises(InputError) as exc:
        load_water_monthly(store, bad, latest_month=LATEST)
    assert str(exc.value).splitlines()[1:] == [
        "  line 2, column 'intake': give intake, recycled or both",
        "  line 3, column 'unit': value 'kg': unit 'kg' does not measure the same thing as m3; "
        "a water volume needs a unit like m3",
        "  line 4, column 'intake': value '-1': must be at least 0",
    ]
    assert state(store) == before
    ok = load_water_monthly(
        store, write(tmp_path / "ok.csv", WATER_HEADER + "2025-01,,5,1,m3\n"), latest_month=LATEST
    )
    assert ok.rows_inserted == 1
    assert store.con.execute("SELECT enterprise_id FROM water_monthly").fetchall() == [("PARK",)]


HEAT_HEADER = "month,source_id,meter_id,recoverable,recovered,unit,applicable,reason\n"


def test_waste_heat_file_rules(store, tmp_path):
    load_meters(
        store,
        write(
            tmp_path / "m.csv",
            "meter_id,carrier,role,unit\n"
            "WH1,heat,waste_heat_recovered,GJ\nHX,heat,heat_import,GJ\n",
        ),
    )
    before = state(store)
    bad = write(
        tmp_path / "h.csv",
        HEAT_HEADER
        + (
            "2025-01,A,,,5,GJ,,\n"
            "2025-01,B,WH1,10,5,GJ,,\n"
            "2025-01,C,HX,10,,GJ,,\n"
            "2025-01,D,,10,,GJ,,\n"
            "2025-01,E,,10,5,m3,,\n"
            "2025-01,F,,,,GJ,false,\n"
            "2025-01,G,,,,GJ,maybe,x\n"
        ),
    )
    with pytest.raises(InputError) as exc:
        load_waste_heat(store, bad, latest_month=LATEST)
    assert str(exc.value).splitlines()[1:] == [
        "  line 2, column 'recoverable': the recoverable amount is needed (or applicable = "
        "false with a reason)",
        "  line 3, column 'recovered': value '5': give recovered or meter_id (WH1), not both",
        "  line 4, column 'meter_id': value 'HX': not a meter with role waste_heat_recovered "
        "(those are: WH1)",
        "  line 5, column 'recovered': give the recovered amount or a meter_id with role "
        "waste_heat_recovered",
        "  line 6, column 'unit': value 'm3': unit 'm3' does not measure the same thing as GJ; "
        "an energy needs a unit like GJ",
        "  line 7, column 'reason': say why waste heat is not applicable",
        "  line 8, column 'applicable': value 'maybe': must be true or false",
    ]
    assert state(store) == before


def test_demo_files_load_and_show_the_deliberate_irregularities(tmp_path):
    from greenpark.metrics.waste import ledger_findings
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = tmp_path / "demo.duckdb"
    init_park(str(db), DEMO / "park.toml")
    with open_store(db) as store:
        results = load_waste_demo(store, DEMO)
        assert [r.status for r in results] == ["loaded"] * 4
        assert [r.rows_inserted for r in results] == [7, 5105, 3504, 96]
        found = {(f.code, f.data["period"], f.data["stream"]) for f in ledger_findings(store)}
    assert found == {
        ("waste.balance", "2024-11", "E22-OIL"),
        ("waste.over_utilized", "2024-11", "E22-OIL"),
        ("waste.balance", "2025-03", "E05-SCRAP"),
        ("waste.route_missing", "2025-08", "E14-PHARMA"),
    }


def test_demo_generator_is_deterministic(tmp_path):
    script = DEMO / "generate_waste.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    for name in (
        "meters_water.csv",
        "readings_water_heat.csv",
        "waste_ledger.csv",
        "waste_heat.csv",
    ):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
