"""CLI of greenpark/cli/waste.py: load waste/water/waste-heat, waste, waste-check,
resources."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import write

from greenpark.cli import cli

LEDGER = (
    "月份,企业编号,废物流编号,类别,危废代码,计量单位,产生量,综合利用量,处置量,利用处置方式\n"
    "2025-01,E01,slag,general_industrial_solid,,t,100,80,20,recycling\n"
    "2025-01,E02,oil,hazardous,HW08,kg,2000,0,2000,incineration\n"
)
MAP = [
    "--map",
    "month=月份",
    "--map",
    "enterprise_id=企业编号",
    "--map",
    "stream=废物流编号",
    "--map",
    "category=类别",
    "--map",
    "hw_code=危废代码",
    "--map",
    "unit=计量单位",
    "--map",
    "generated=产生量",
    "--map",
    "utilized=综合利用量",
    "--map",
    "disposed=处置量",
    "--map",
    "route=利用处置方式",
]
WASTE_COLUMNS = [
    "period",
    "generated_t",
    "utilized_t",
    "utilized_from_storage_t",
    "disposed_t",
    "disposed_from_storage_t",
    "stored_t",
    "dumped_t",
    "industrial_generated_t",
    "industrial_utilization_rate_pct",
    "general_utilization_rate_pct",
    "hazardous_generated_t",
    "hazardous_utilization_rate_pct",
    "hazardous_utilization_disposal_rate_pct",
    "hazardous_safe_disposal_rate_pct",
    "over_utilized_t",
    "handled_t",
    "recycled_t",
    "recycling_rate_pct",
    "diverted_t",
    "landfill_diversion_rate_pct",
    "value_added_10k_cny",
    "industrial_waste_intensity_t_per_10k_cny",
    "months",
    "rows",
]


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_load_waste_with_chinese_headers_and_rates(db, tmp_path):
    path = write(tmp_path / "台账.csv", LEDGER)
    loaded = run(db, "load", "waste", *MAP, str(path), "--format", "json")
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)[0]["rows_inserted"] == 2
    again = run(db, "load", "waste", *MAP, str(path), "--format", "json")
    assert json.loads(again.output)[0]["status"] == "unchanged"
    out = run(db, "waste", "--month", "2025-01", "--format", "json")
    assert out.exit_code == 0, out.output
    records = json.loads(out.stdout)
    assert list(records[0]) == WASTE_COLUMNS
    # general 80 / 100; industrial 80 / (100 + 2); safe disposal 2 / 2
    assert records[0]["general_utilization_rate_pct"] == 80.0
    assert abs(records[0]["industrial_utilization_rate_pct"] - 100 * 80 / 102) < 1e-9
    assert records[0]["hazardous_safe_disposal_rate_pct"] == 100.0
    by = run(db, "waste", "--year", "2025", "--by", "category", "--format", "csv")
    assert by.stdout.splitlines()[0].startswith("period,category,generated_t,")
    table = run(db, "waste", "--month", "2025-01", "--window", "ytd")
    assert "Waste 2025-01 by park" in table.stdout
    assert "energy recovery does not count" in table.stdout


def test_bad_ledger_exits_2_and_names_the_cell(db, tmp_path):
    bad = write(
        tmp_path / "bad.csv",
        "month,enterprise_id,stream,category,hw_code,generated\n2025-01,E01,x,hazardous,HW99,5\n",
    )
    result = run(db, "load", "waste", str(bad))
    assert result.exit_code == 2
    assert "bad.csv: line 2, column 'hw_code': value 'HW99': unknown HW class" in result.output
    assert "Traceback" not in result.output
    empty = run(db, "waste", "--year", "2025")
    assert empty.exit_code == 1 and "no waste ledger loaded" in empty.output
    both = run(db, "waste", "--year", "2025", "--month", "2025-01")
    assert both.exit_code == 1 and "give either --month YYYY-MM or --year YYYY" in both.output


def test_waste_check_lists_balance_findings(db, tmp_path):
    write(
        tmp_path / "l.csv",
        "month,enterprise_id,stream,category,generated,utilized,route\n"
        "2025-04,E09,scrap,general_industrial_solid,10,7,recycling\n",
    )
    assert run(db, "load", "waste", str(tmp_path / "l.csv")).exit_code == 0
    out = run(db, "waste-check", "--year", "2025", "--format", "json")
    assert json.loads(out.output) == [
        {
            "severity": "warning",
            "code": "waste.balance",
            "month": "2025-04",
            "enterprise_id": "E09",
            "stream": "scrap",
            "file": "l.csv",
            "message": "l.csv: 2025-04 E09 stream scrap: generated 10.000 t but the row accounts "
            "for 7.000 t (gap +3.000 t, tolerance 0.100 t)",
        }
    ]
    none = run(db, "waste-check", "--year", "2024")
    assert "Waste ledger findings 2024: 0" in none.output


def test_resources_water_file_and_waste_heat(db, tmp_path):
    water = write(tmp_path / "w.csv", "month,intake,recycled\n2025-01,200,800\n")
    heat = write(
        tmp_path / "h.csv", "month,source_id,recoverable,recovered,unit\n2025-01,KILN,100,40,GJ\n"
    )
    assert run(db, "load", "water", str(water)).exit_code == 0
    assert run(db, "load", "waste-heat", str(heat)).exit_code == 0
    out = run(db, "resources", "--year", "2025", "--format", "json")
    assert out.exit_code == 0, out.output
    jan = json.loads(out.stdout)[0]
    assert jan == {
        "period": "2025-01",
        "water_intake_m3": 200.0,
        "water_recycled_m3": 800.0,
        "water_reuse_rate_pct": 80.0,
        "water_source": "file",
        "waste_heat_recovered_gj": 40.0,
        "waste_heat_recoverable_gj": 100.0,
        "waste_heat_utilization_rate_pct": 40.0,
        "waste_heat_status": "ok",
        "waste_heat_note": None,
    }
    ind = run(db, "resources", "--year", "2025", "--view", "indicators", "--format", "json")
    rows = {r["indicator_id"]: r for r in json.loads(ind.stdout)}
    assert rows["waste_heat_utilization"]["meets_threshold"] is False  # 40 % < 50 %
    assert rows["water_reuse"]["meets_threshold"] is True  # 80 % >= 80 %
