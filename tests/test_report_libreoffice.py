"""The demo's audit workbooks recalculated by LibreOffice headless (Debian's
libreoffice-calc; .ci/run installs it): every cached formula result is removed first, so
every number read back is LibreOffice's own, then compared with greenpark's."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import zipfile

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Recalculate OOXML files on load, always (LibreOffice's default is to ask or keep the
# cached values): a user profile of our own with that one setting.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
BOOKS = ("monthly_zh", "annual_zh")


def strip_cached_values(src, dst) -> int:
    """Copy an xlsx without the cached results of its formulas; returns how many."""
    removed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", data)
                removed += n
            zout.writestr(item, data)
    return removed


@pytest.fixture(scope="module")
def recalculated(demo_report, tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("SKIPPED: LibreOffice is not installed (apt-get install libreoffice-calc)")
    tmp = tmp_path_factory.mktemp("libreoffice")
    (tmp / "profile" / "user").mkdir(parents=True)
    (tmp / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE)
    inputs = []
    for name in BOOKS:
        stripped = tmp / f"{name}.xlsx"
        assert strip_cached_values(demo_report.folder / f"{name}.xlsx", stripped) > 50
        inputs.append(str(stripped))
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp / "out"),
            *inputs,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return tmp / "out"


@functools.cache
def values(path) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@functools.cache
def formulas(path) -> set:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.row - 1, c.column - 1)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


@pytest.mark.parametrize("name", BOOKS)
def test_every_total_recalculated_by_libreoffice_equals_greenparks(demo_report, recalculated, name):
    from greenpark.report.workbook import SUMMARY_ROWS, sheet_name

    lang = "zh" if name.endswith("_zh") else "en"
    data = demo_report.monthly if name.startswith("monthly") else demo_report.annual
    lo = values(recalculated / f"{name}.xlsx")
    summary = lo[sheet_name("summary", lang)]
    for i, (item, _, _) in enumerate(SUMMARY_ROWS, start=1):
        expected = data.values["summary"][item]
        assert summary[i][2] == pytest.approx(expected, rel=1e-12, abs=1e-9), item
        assert summary[i][4] == pytest.approx(0.0, abs=1e-6), item


@pytest.mark.parametrize("name", BOOKS)
def test_every_formula_cell_recalculates_to_greenparks_value(demo_report, recalculated, name):
    ours = values(demo_report.folder / f"{name}.xlsx")  # the cached results greenpark wrote
    lo = values(recalculated / f"{name}.xlsx")
    cells = formulas(demo_report.folder / f"{name}.xlsx")
    assert len(cells) > 50
    for sheet, r, c in cells:
        mine, theirs = ours[sheet][r][c], lo[sheet][r][c]
        if isinstance(mine, int | float):
            assert theirs == pytest.approx(mine, rel=1e-9, abs=1e-6), (sheet, r, c)


def test_market_lines_follow_the_green_power_sheet(demo_report, recalculated):
    from greenpark.report.workbook import sheet_name

    lo = values(recalculated / "monthly_zh.xlsx")
    green = lo[sheet_name("green_power", "zh")]
    head = green[0]
    counted_mwh = sum(r[head.index("计入电量 [MWh]")] for r in green[1:])
    activity = lo[sheet_name("activity", "zh")]
    covered = [r for r in activity[1:] if r[6] and "covered by green power" in r[6]]
    assert len(covered) == 1
    # GPT-2025-01 20,000 MWh and GEC-2025-E13 2,500 MWh over 2025, 31 of 365 days each
    assert counted_mwh == pytest.approx((20_000 + 2_500) * 31 / 365, rel=1e-12)
    assert covered[0][8] == pytest.approx(counted_mwh * 1000, rel=1e-12)


def test_register_sheet_opening_and_closing_readings(demo_report, recalculated):
    from greenpark.report.workbook import sheet_name

    lo = values(recalculated / "annual_zh.xlsx")
    rows = lo[sheet_name("registers", "zh")]
    head = rows[0]
    assert "期初读数" in head and "期末读数" in head
    body = [r for r in rows[1:] if r[0]]
    assert len(body) == 12  # GAS-MAIN, every month of 2025
    for prev, this in zip(body, body[1:], strict=False):
        assert this[head.index("期初读数")] == prev[head.index("期末读数")]
    diff = head.index("差值")
    resets = head.index("复位次数")
    for r in body:  # the readings explain the stored quantity except across a reset
        assert (abs(r[diff]) < 1e-6) == (r[resets] == 0), r
