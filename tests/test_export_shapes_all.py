"""Issue 11, items 4 and 6 for every loader: the same --map/--encoding/--sheet/--header-row
options, title rows and total rows reported, problems once per column, and a preview
(CLI and read_* API) of every loadable kind, writing nothing."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli
from greenpark.core.errors import InputError
from greenpark.loaders.preview import KINDS, TABLE_KINDS, read_file, read_waste, read_weather
from greenpark.loaders.weather import load_weather
from greenpark.loaders.wind_sites import load_wind_sites

SHAPE_OPTIONS = {"--map", "--encoding", "--sheet", "--header-row"}
STATION = (
    "某园区气象站 逐时数据\n"
    "导出时间：2025-07-02 09:00\n"
    "时间,总辐射,直射,散射,气温,风速\n"
    "2025-07-01 08:00,300,150,160,28.5,2.0\n"
    "2025-07-01 09:00,500,300,220,29.5,2.5\n"
    "2025-07-01 10:00,700,450,260,30.5,3.0\n"
    "合计,1500,900,640,,\n"
)
STATION_MAP = {
    "timestamp": "时间",
    "ghi": "总辐射",
    "dni": "直射",
    "dhi": "散射",
    "temp_air": "气温",
    "wind_speed": "风速",
}


def _station(tmp_path, text=STATION):
    path = tmp_path / "station_gbk.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_every_load_command_has_the_shape_options():
    load = cli.commands["load"]
    names = sorted(n for n in load.commands if n != "log")
    assert {"meters", "readings", "enterprises", "production", "green-power", "waste"} <= set(names)
    assert {"roofs", "weather", "water", "waste-heat", "process-emissions", "wind-sites"} <= set(
        names
    )
    for name in names:
        options = {o for p in load.commands[name].params for o in getattr(p, "opts", [])}
        assert SHAPE_OPTIONS <= options, (name, SHAPE_OPTIONS - options)


def test_weather_gbk_export_with_title_and_total_rows(store, tmp_path):
    path = _station(tmp_path)
    result = load_weather(
        store, path, timezone="Asia/Shanghai", mapping=STATION_MAP, encoding="gbk"
    )
    assert (result.status, result.rows_inserted) == ("loaded", 3)
    codes = {f.code: f for f in result.findings}
    assert codes["input.title_rows"].data["line"] == 3  # the header, below 2 title rows
    assert codes["input.total_row"].data["line"] == 7  # 合计 on physical line 7
    rows = store.con.execute(
        "SELECT ts, ghi_w_per_m2, temp_air_degc FROM weather_hourly ORDER BY ts"
    ).fetchall()
    # 08:00 Shanghai (UTC+8) is 00:00 UTC; the 合计 row is not an hour
    assert rows == [
        (dt.datetime(2025, 7, 1, 0), 300.0, 28.5),
        (dt.datetime(2025, 7, 1, 1), 500.0, 29.5),
        (dt.datetime(2025, 7, 1, 2), 700.0, 30.5),
    ]
    (identity,) = store.con.execute(
        "SELECT identity FROM load_log WHERE kind = 'weather'"
    ).fetchone()
    assert json.loads(identity) == {"encoding": "gbk", "mapping": STATION_MAP}
    again = load_weather(store, path, timezone="Asia/Shanghai", mapping=STATION_MAP, encoding="gbk")
    assert again.status == "unchanged"


def test_weather_header_row_option_and_cli(db, tmp_path):
    path = _station(tmp_path)
    maps = [a for k, v in STATION_MAP.items() for a in ("--map", f"{k}={v}")]
    out = CliRunner().invoke(
        cli,
        ["--db", str(db), "load", "weather", "--timezone", "Asia/Shanghai", "--header-row", "3"]
        + maps
        + ["--format", "json", str(path)],
    )
    assert out.exit_code == 0, out.output
    assert '"rows_inserted": 3' in out.output
    wrong = CliRunner().invoke(
        cli,
        ["--db", str(db), "load", "weather", "--timezone", "Asia/Shanghai", "--header-row", "2"]
        + maps
        + [str(path)],
    )
    assert wrong.exit_code != 0 and "Traceback" not in wrong.output
    assert "时间" in wrong.output  # the mapped column is not on line 2


def test_weather_bad_cells_once_per_column(store, tmp_path):
    text = STATION.replace("300,150", "abc,150").replace("700,450", "x7,450")
    with pytest.raises(InputError) as exc:
        load_weather(store, _station(tmp_path, text), timezone="Asia/Shanghai", mapping=STATION_MAP)
    assert len(exc.value.problems) == 1
    problem = exc.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (4, "总辐射", "abc")
    assert "2 cells of this column: 4, 6" in problem.rule
    assert store.con.execute("SELECT count(*) FROM weather_sets").fetchone()[0] == 0


WIND = (
    "分散式风电候选场址\n"
    "site_id,name,turbine_type,hub_height_m,turbine_count,roughness_length_m\n"
    "WT-01,北区,E-82/2000,108,1,0.1\n"
    "WT-02,运河,E-82/2000,98,2,0.2\n"
    "Total,,,,3,\n"
)


def test_wind_sites_header_row_title_and_total_rows(store, tmp_path):
    path = tmp_path / "wind.csv"
    path.write_text(WIND, encoding="utf-8")
    result = load_wind_sites(store, path, header_row=2)
    assert result.rows_inserted == 2
    codes = {f.code: f for f in result.findings}
    assert codes["input.title_rows"].data["line"] == 2
    assert codes["input.total_row"].data["line"] == 5
    assert store.con.execute("SELECT sum(turbine_count) FROM wind_sites").fetchone()[0] == 3


def _waste_workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["2025年 一般工业固废台账"])
    sheet.append(["month", "enterprise_id", "stream", "category", "generated", "utilized"])
    sheet.append(["2025-01", "E01", "S1", "general_industrial_solid", 10, 6])
    sheet.append(["2025-02", "E01", "S1", "general_industrial_solid", 8, 8])
    sheet.append(["合计", None, None, None, 18, 14])
    book.save(path)
    return path


def test_preview_waste_workbook_writes_nothing(tmp_path):
    path = _waste_workbook(tmp_path / "waste.xlsx")
    frame, meta = read_waste(path, sheet="台账")
    assert (meta["header_row"], meta["title_rows"], meta["total_rows"]) == (2, [1], [5])
    assert list(frame["generated"]) == [10.0, 8.0]
    assert list(frame["month"]) == [dt.date(2025, 1, 1), dt.date(2025, 2, 1)]
    assert meta["problems"] == []
    assert list(tmp_path.iterdir()) == [path]


def test_preview_every_kind_is_offered_and_read(tmp_path):
    out = CliRunner().invoke(cli, ["preview", "--help"])
    for kind in ("waste", "water", "waste_heat", "weather", "process_emissions", "wind_sites"):
        assert kind in out.output
    assert set(KINDS) == {"readings", "weather", *TABLE_KINDS}
    heat = tmp_path / "heat.csv"
    heat.write_text(
        "month,source_id,enterprise_id,meter_id,recoverable,recovered,unit\n"
        "2025-03,KILN,E01,,120,45,GJ\n"
        "2025-04,KILN,E01,HM1,130,,GJ\n",
        encoding="utf-8",
    )
    frame, meta = read_file("waste_heat", heat)
    assert list(frame["recoverable"]) == [120.0, 130.0] and meta["problems"] == []
    process = tmp_path / "process.csv"
    process.write_text(
        "enterprise_id,month,process,activity,activity_unit,factor_tco2_per_unit,method\n"
        "E01,2025-03,clinker,1000,t,0.52,calculation\n",
        encoding="utf-8",
    )
    frame, meta = read_file("process_emissions", process)
    assert frame["activity"].iloc[0] * frame["factor_tco2_per_unit"].iloc[0] == pytest.approx(520)


def test_preview_weather_cli(tmp_path):
    path = _station(tmp_path)
    maps = [a for k, v in STATION_MAP.items() for a in ("--map", f"{k}={v}")]
    out = CliRunner().invoke(
        cli,
        ["preview", str(path), "--kind", "weather", "--timezone", "Asia/Shanghai", *maps],
    )
    assert out.exit_code == 0, out.output
    assert "title_rows: 1, 2" in out.output and "total_rows: 7" in out.output
    frame, meta = read_weather(path, timezone="Asia/Shanghai", mapping=STATION_MAP)
    assert meta["rows"] == 3 and meta["missing_hours"] == 0
    assert meta["interval_min"] == {"all": 60.0}
    assert frame["ghi"].sum() == pytest.approx(300 + 500 + 700)
    wrong = CliRunner().invoke(cli, ["preview", str(path), "--kind", "meters", "--timezone", "UTC"])
    assert wrong.exit_code == 2 and "--timezone is not an option of --kind meters" in wrong.output
