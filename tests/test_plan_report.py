"""The plan in the annual report (HTML section) and the audit workbook (sheets with live
CNY/tCO2 formulas, recalculated by LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.test_plan_store import db  # noqa: F401 - the module's park database fixture

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def report(db):  # noqa: F811
    from greenpark.report.builder import build
    from greenpark.store import open_store

    with open_store(db, read_only=True) as store:
        return build(store, "annual", "2025", generated_at="2026-01-01T00:00:00+00:00")


def test_the_annual_report_has_the_plan_section(report):
    from greenpark.report.html import render_html

    assert {"plan_macc", "plan_path", "plan_inputs"} <= set(report.tables)
    html = render_html(report, lang="en")
    section = html[html.index('<section id="plan">') :]
    assert "Marginal abatement cost curve" in section and "<svg" in section
    assert "gp" in section
    zh = render_html(report, lang="zh")
    assert "边际减排成本曲线" in zh


def test_the_macc_sheet_computes_cny_per_tco2_with_formulas(report, tmp_path):
    import openpyxl

    from greenpark.report.workbook import write_workbook

    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required for this test")
    path = tmp_path / "plan.xlsx"
    write_workbook(report, path)
    book = openpyxl.load_workbook(path)
    assert {"Plan inputs", "Plan MACC", "Plan path"} <= set(book.sheetnames)
    sheet = book["Plan MACC"]
    assert sheet["L2"].value == '=IF(H2>0,G2/H2,"")'
    # Change the annual cost: a live formula follows it once LibreOffice recalculates.
    abated = sheet["H2"].value
    sheet["G2"] = 12345.0
    book.save(path)
    profile = tmp_path / "lo"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    recalculated = openpyxl.load_workbook(out / "plan.xlsx", data_only=True)["Plan MACC"]
    assert recalculated["L2"].value == pytest.approx(12345.0 / abated)
    assert recalculated["M2"].value == pytest.approx(max(abated, 0.0))
