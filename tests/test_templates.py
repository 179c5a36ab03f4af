"""greenpark template: fill-in workbooks the loaders read without --map."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli
from greenpark.core.errors import GreenparkError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.preview import read_table
from greenpark.loaders.readings import load_readings
from greenpark.loaders.templates import KINDS, template_columns, write_template


def test_fill_the_zh_templates_and_load_them(store, tmp_path):
    meters = write_template("meters", tmp_path / "表计台账.xlsx", "zh")
    book = openpyxl.load_workbook(meters)
    data = book["数据"]
    assert [c.value for c in data[1]][:4] == ["表计编号", "能源种类", "用途", "单位"]
    lists = {str(dv.sqref) for dv in data.data_validations.dataValidation}
    assert {"B2:B10000", "C2:C10000", "D2:D10000"} <= lists  # carrier, role, unit lists
    data.delete_rows(2)  # the example row
    data.append(["W-MAIN", "water", "water_intake", "m3", "总水表"])
    book.save(meters)
    result = load_meters(store, meters)
    assert result.rows_inserted == 1
    stored = store.con.execute(
        "SELECT carrier, role, unit, name FROM meters WHERE meter_id = 'W-MAIN'"
    ).fetchone()
    assert stored == ("water", "water_intake", "m3", "总水表")

    readings = write_template("readings_long", tmp_path / "读数.xlsx", "zh")
    book = openpyxl.load_workbook(readings)
    data = book["数据"]
    assert [c.value for c in data[1]] == ["表计编号", "时间", "数值"]
    data.delete_rows(2)
    data.append(["W-MAIN", "2025-07-01 00:00", 12.5])
    data.append(["W-MAIN", "2025-07-02 00:00", 13.0])
    book.save(readings)
    (loaded,) = load_readings(store, readings)
    assert loaded.rows_inserted == 2
    total = store.con.execute(
        "SELECT sum(value) FROM readings JOIN meters USING (meter_key) WHERE meter_id = 'W-MAIN'"
    ).fetchone()[0]
    assert total == pytest.approx(25.5)


@pytest.mark.parametrize("kind", [k for k in KINDS if not k.startswith("readings")])
def test_every_table_template_reads_back_clean(kind, tmp_path):
    for lang in ("zh", "en"):
        path = write_template(kind, tmp_path / f"{kind}-{lang}.xlsx", lang)
        notes = openpyxl.load_workbook(path)["说明" if lang == "zh" else "notes"]
        assert notes.max_row == 1 + len(template_columns(kind))  # one line per column
        table = "meters" if kind == "meters" else kind
        frame, meta = read_table(table, path)
        assert meta["problems"] == [] and len(frame) == 1, (kind, lang, meta["problems"])


def test_template_cli_and_errors(tmp_path):
    out = CliRunner().invoke(
        cli, ["template", "readings_wide", "--lang", "en", "--output", str(tmp_path / "w.xlsx")]
    )
    assert out.exit_code == 0, out.output
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "w.xlsx")["data"][1]]
    assert header == ["timestamp", "GRID-IMP", "PV-01"]
    with pytest.raises(GreenparkError, match="an .xlsx workbook"):
        write_template("meters", tmp_path / "m.csv")
