"""The park lake: export of generated parks, roll-ups by hand, DuckDB and Spark agree.

One lake of 21 generated parks (greenpark/lake/synthetic.py: every interval of a meter
carries the same quantity, so totals are counts of hours times constants) with hourly
data for the first quarter of 2025 (fewer files keep the module fast), built once for
the module; one local SparkSession for the module.

Hand values use the shipped factors, cited where used:
* grid factor Jiangsu 0.5827 tCO2/MWh, Zhejiang 0.4974 tCO2/MWh (MEE & NBS Announcement
  2025 No.47, 2023 factors: the newest published year, used for 2025);
* electricity 0.1229 kgce/kWh (GB/T 2589, calorific equivalent), pipeline natural gas
  1.3300 kgce/Nm3 (GB/T 2589 Annex A, the row at the guideline's NCV 38,931 kJ/m3: one
  heating value drives both tce and CO2, issue 13).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli
from greenpark.lake.export import export_park
from greenpark.lake.rollup import rollup
from greenpark.lake.synthetic import SyntheticPark, build_park, intervals
from greenpark.store import open_store

GRID = {"Jiangsu": 0.5827, "Zhejiang": 0.4974}  # tCO2/MWh
KGCE_PER_KWH, KGCE_PER_NM3 = 0.1229, 1.3300
N_PARKS = 21
CHINESE = 4  # the park with a Chinese (and hostile) English name
MISSING = 7  # the park without March
LATER = tuple(range(4, 13))  # no park has data after March
QUARTER = "2025-01..2025-03"
HOSTILE_NAME = "=SUM(A1:A9) <b>苏州零碳产业园</b>"


def spec(i: int) -> SyntheticPark:
    return SyntheticPark(
        park_id=f"P{i:03d}",
        name=HOSTILE_NAME if i == CHINESE else f"Park {i}",
        name_zh="苏州零碳产业园" if i == CHINESE else f"园区{i}",
        province="Jiangsu" if i % 3 else "Zhejiang",
        industry="electronics" if i % 2 else "new_energy_vehicle_parts",
        imp_kwh=100.0 + 10 * i,
        pv_kwh=10.0 + i,
        waste_generated_t=10.0 + i,
        waste_utilized_t=8.0,
        missing_months=(3, *LATER) if i == MISSING else LATER,
    )


SPECS = [spec(i) for i in range(N_PARKS)]


def operator(i: int) -> str | None:
    return None if i == 0 else ("Group A" if i % 2 else "Group B")


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("lake")
    for i, s in enumerate(SPECS):
        db = build_park(s, root / "parks" / s.park_id)
        with open_store(db, read_only=True) as store:
            export_park(store, root / "lake", operator=operator(i))
    return root / "lake"


def java_or_skip():
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("no Java runtime (install default-jre-headless): Spark cannot start")


@pytest.fixture(scope="module")
def spark():
    java_or_skip()
    from greenpark.lake.engines import spark_session

    # A test-sized lake: two shuffle partitions, and no adaptive re-planning (each of the
    # roll-up's small shuffles would otherwise be its own job: 41 s against 29 s for a
    # 3-park roll-up under load). The UI is off in every roll-up session (SPARK_CONF).
    conf = {
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.sql.adaptive.enabled": "false",
    }
    session = spark_session("local[2]", conf)
    yield session
    session.stop()


def tree(lake: Path) -> dict:
    """Every file of the lake: path -> (size, mtime, sha256)."""
    return {
        str(p.relative_to(lake)): (
            p.stat().st_size,
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def hand(s: SyntheticPark) -> dict:
    """The year's sums of one generated park, by hand."""
    hours = intervals(s)
    days = hours // 24
    imp, exp, pv = s.imp_kwh * hours, s.exp_kwh * hours, s.pv_kwh * 8 * days
    months = 12 - len(s.missing_months)  # of the quarter: 3, or 2 for P007
    return {
        "grid_import_kwh": imp,
        "pv_generation_kwh": pv,
        "scope2_location_tco2": (imp - exp) * GRID[s.province] / 1000.0,
        "energy_tce": ((imp - exp + pv) * KGCE_PER_KWH + s.gas_nm3 * hours * KGCE_PER_NM3) / 1000,
        "value_added_10k_cny": s.value_added_10k_cny * months,
        "industrial_generated_t": s.waste_generated_t * months,
        "industrial_utilized_t": s.waste_utilized_t * months,
        "months_with_data": months,
    }


def test_every_park_sums_what_was_generated(lake):
    result = rollup(lake, QUARTER)
    parks = result.inputs["parks"].set_index("park_id")
    assert len(parks) == N_PARKS
    for s in SPECS:
        row = parks.loc[s.park_id]
        for column, expected in hand(s).items():
            assert row[column] == pytest.approx(expected, rel=1e-9), (s.park_id, column)
    assert parks.loc["P007", "months_with_data"] == 2
    assert parks.loc["P007", "status"] == "insufficient_data"
    assert parks.loc["P004", "name_zh"] == "苏州零碳产业园"
    coverage = [f for f in result.findings if f.code == "lake.coverage"]
    assert [f.data["park_id"] for f in coverage] == ["P007"]


def test_groups_are_ratios_of_sums_never_means_of_ratios(lake):
    result = rollup(lake, QUARTER, group_by="province")
    groups = result.frame.set_index("group_key")
    assert list(groups.index) == ["Jiangsu", "Zhejiang"]
    zhejiang = [s for s in SPECS if s.province == "Zhejiang"]
    sums = {k: sum(hand(s)[k] for s in zhejiang) for k in hand(zhejiang[0])}
    row = groups.loc["Zhejiang"]
    assert row["parks"] == len(zhejiang) == 7
    assert row["energy_tce"] == pytest.approx(sums["energy_tce"], rel=1e-9)
    utilization = 100 * sums["industrial_utilized_t"] / sums["industrial_generated_t"]
    assert row["solid_waste_utilization_pct"] == pytest.approx(utilization, rel=1e-9)
    mean_of_rates = sum(80.0 / (10 + i) * 10 for i in range(0, N_PARKS, 3)) / 7
    assert abs(utilization - mean_of_rates) > 0.1  # the two differ: the test can fail
    assert row["tce_per_10k_cny"] == pytest.approx(
        sums["energy_tce"] / sums["value_added_10k_cny"], rel=1e-9
    )
    assert row["coverage_pct"] == 100.0  # P007 (missing March) is in Jiangsu
    jiangsu = groups.loc["Jiangsu"]
    assert jiangsu["coverage_pct"] == pytest.approx(100 * (14 * 3 - 1) / (14 * 3), rel=1e-12)


def test_park_selection_month_and_operator_groups(lake):
    february = rollup(lake, "2025-02", parks=["P001", "P002"], group_by="operator")
    groups = february.frame.set_index("group_key")
    assert list(groups.index) == ["Group A", "Group B"]
    assert groups.loc["Group A", "grid_import_kwh"] == pytest.approx(110.0 * 672, rel=1e-12)
    assert groups.loc["Group B", "grid_import_kwh"] == pytest.approx(120.0 * 672, rel=1e-12)
    everyone = rollup(lake, QUARTER, group_by="operator")
    assert "(none)" in set(everyone.frame["group_key"])
    assert any(f.code == "lake.no_group" and f.data["park_id"] == "P000" for f in everyone.findings)


def assert_same(a, b):
    """Equal frames: numbers to a relative 1e-9, everything else exactly."""
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    for col in a.columns:
        if a[col].dtype.kind == "f":
            expected = pytest.approx(b[col].to_numpy(), rel=1e-9, abs=1e-12, nan_ok=True)
            assert a[col].to_numpy() == expected, col
        else:
            assert a[col].fillna("").tolist() == b[col].fillna("").tolist(), col


def test_duckdb_and_spark_agree_and_the_lake_is_not_modified(lake, spark):
    before = tree(lake)
    on_spark = rollup(lake, QUARTER, group_by="province", engine="spark", session=spark)
    on_duckdb = rollup(lake, QUARTER, group_by="province")
    assert tree(lake) == before
    assert_same(on_spark.frame, on_duckdb.frame)
    assert_same(on_spark.inputs["parks"], on_duckdb.inputs["parks"])
    assert [str(f) for f in on_spark.findings] == [str(f) for f in on_duckdb.findings]
    assert on_spark.inputs["parks"].set_index("park_id").loc["P007", "months_with_data"] == 2
    jiangsu = on_spark.frame.set_index("group_key").loc["Jiangsu"]
    assert jiangsu["grid_import_kwh"] == pytest.approx(
        sum(
            s.imp_kwh * sum(intervals(s, m) for m in (1, 2, 3))
            for s in SPECS
            if s.province == "Jiangsu"
        ),
        rel=1e-12,
    )


def test_reexport_is_idempotent_and_a_changed_park_replaces_only_itself(lake, tmp_path):
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    manifest = json.loads((copy / "_manifest.json").read_text(encoding="utf-8"))
    before = tree(copy)
    db = Path(lake).parent / "parks" / "P001" / "P001.duckdb"
    with open_store(db, read_only=True) as store:
        again = export_park(store, copy, operator=operator(1))
    assert again.inputs["status"] == "unchanged"
    assert tree(copy) == before
    changed = SyntheticPark(**{**SPECS[1].__dict__, "imp_kwh": 999.0})
    with open_store(build_park(changed, tmp_path / "changed"), read_only=True) as store:
        assert export_park(store, copy).inputs["status"] == "replaced"
    after = tree(copy)
    moved = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert moved and all("park_id=P001/" in k or k == "_manifest.json" for k in moved)
    new_manifest = json.loads((copy / "_manifest.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in new_manifest["parks"].items() if k != "P001"} == {
        k: v for k, v in manifest["parks"].items() if k != "P001"
    }
    february = rollup(copy, "2025-02", parks=["P001"]).frame
    assert february["grid_import_kwh"].iloc[0] == 999.0 * 672


def test_report_rollup_escapes_names_and_writes_text_cells(lake, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "report"
    run = CliRunner().invoke(
        cli,
        ["report", "rollup", "--lake", str(lake), "--period", QUARTER, "--lang", "en",
         "--output", str(out), "--group-by", "province"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    html = (out / "rollup.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;苏州零碳产业园&lt;/b&gt;" in html and "<b>苏州" not in html
    assert "Parks ranked by distance to their threshold" in html
    book = load_workbook(out / "rollup.xlsx")
    cells = [c for row in book["Parks"].iter_rows() for c in row if c.value == HOSTILE_NAME]
    assert len(cells) == 1 and cells[0].data_type == "s"
    ranks = [r[0].value for r in book["Parks"].iter_rows(min_row=2)]
    assert ranks == sorted(ranks) and len(ranks) == N_PARKS
    zh = CliRunner().invoke(
        cli, ["report", "rollup", "--lake", str(lake), "--period", QUARTER, "--output", str(out)]
    )
    assert zh.exit_code == 0, zh.output
    assert "园区排名" in (out / "rollup.html").read_text(encoding="utf-8")


def test_rollup_command_csv(lake):
    run = CliRunner().invoke(
        cli, ["rollup", "--lake", str(lake), "--year", "2025", "--group-by", "industry",
              "--format", "csv"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    assert lines[0].startswith("group_key,parks,parks_met,months_with_data,coverage_pct")
    assert [ln.split(",")[0] for ln in lines[1:]] == ["electronics", "new_energy_vehicle_parts"]


def test_report_rollup_renders_in_chromium(lake, tmp_path):
    from test_report_browser import CHROMIUM, chromium

    if CHROMIUM is None:
        pytest.skip("SKIPPED: Chromium is not installed (apt-get install -y chromium)")
    from greenpark.lake.report import write_rollup_report

    html, _ = write_rollup_report(rollup(lake, QUARTER), tmp_path / "out", lang="en")
    dom = chromium(tmp_path, "--dump-dom", html.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    assert page.count('<tr class="') == N_PARKS  # one ranked row per park
    # the hostile English name is text in the rendered page, never an element
    assert "=SUM(A1:A9) &lt;b&gt;苏州零碳产业园&lt;/b&gt;" in page and "<b>苏州" not in page
    assert "Parks ranked by distance to their threshold" in page
