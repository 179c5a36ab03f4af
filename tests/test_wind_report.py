"""The wind section of the annual report and the workbook's Wind sheet, opened in the real
clients: headless Chromium for the page, LibreOffice for the workbook; site names that
try to be HTML or a formula stay text."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from report_park import make_report_park

HOSTILE_SITE = '=HYPERLINK("http://evil.example")'
HOSTILE_NAME = "<script>alert(1)</script> 风场"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import pandas as pd

    from greenpark.loaders.weather import load_weather
    from greenpark.loaders.wind_sites import load_wind_sites
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    tmp = tmp_path_factory.mktemp("wind_report")
    db = make_report_park(tmp)
    sites = tmp / "sites.csv"
    with sites.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["site_id", "name", "turbine_type", "hub_height_m", "terrain_class"])
        out.writerow([HOSTILE_SITE, HOSTILE_NAME, "E-82/2000", 108, "2"])
    hours = pd.date_range("2025-01-01", periods=8760, freq="h")
    weather = tmp / "weather.csv"
    weather.write_text(
        "timestamp,ghi,temp_air,wind_speed\n"
        + "\n".join(f"{t:%Y-%m-%dT%H:%M}+08:00,0,15,5.0" for t in hours)
        + "\n"
    )
    with open_store(db) as store:
        load_wind_sites(store, sites)
        load_weather(store, weather)
    with open_store(db, read_only=True) as store:
        files = write_report(store, "annual", "2025", lang="zh", output=tmp / "out")
    return files


def test_the_annual_report_has_the_wind_section_escaped(report):
    page = report.html.read_text(encoding="utf-8")
    start = page.index('<section id="wind">')
    section = page[start : page.index("</section>", start)]
    assert "分散式风电潜力" in section and "风机参数及来源" in section and "逐月发电量" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 风场" in section
    assert "<script>" not in page
    assert "OEDB wind turbine library as shipped with windpowerlib" in section
    assert "wind.resource" in section  # the measurement height and roughness are stated


def test_the_page_with_the_wind_section_renders_in_chromium(report, tmp_path):
    if CHROMIUM is None:
        pytest.skip("SKIPPED: Chromium is not installed (.ci/run installs it)")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report.html.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'id="wind"' in result.stdout and "&lt;script&gt;alert(1)" in result.stdout


def test_the_wind_sheet_opens_in_libreoffice_with_text_kept_as_text(report, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(report.xlsx)
    sheet = book["Wind"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert cells[HOSTILE_SITE].data_type == "s"  # a string, not a formula
    assert "风电场址 / Sites" in cells and "风机参数及来源 / Turbine data and source" in cells
    assert "逐月发电量 [kWh] / Monthly energy [kWh]" in cells
    if SOFFICE is None:
        pytest.skip("SKIPPED: LibreOffice is not installed (.ci/run installs it)")
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(report.xlsx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    (wind_csv,) = tmp_path.glob("*-Wind.csv")
    rows = list(csv.reader(wind_csv.open(encoding="utf-8")))
    flat = [cell for row in rows for cell in row]
    assert HOSTILE_SITE in flat and HOSTILE_NAME in flat
    # monthly block: 12 months, the site column and its total equal, summing to the year
    head = next(i for i, r in enumerate(rows) if r and r[0] == "month")
    months = rows[head + 1 : head + 13]
    assert [int(float(r[0])) for r in months] == list(range(1, 13))
    site_col, total_col = rows[head].index(HOSTILE_SITE), rows[head].index("total_kwh [kWh]")
    year = sum(float(r[site_col].replace(",", "")) for r in months)
    assert all(r[site_col] == r[total_col] for r in months)
    sites_head = next(i for i, r in enumerate(rows) if r and r[0] == "site_id")
    annual = rows[sites_head + 1][rows[sites_head].index("annual_energy_kwh [kWh]")]
    assert float(annual.replace(",", "")) == pytest.approx(year, rel=1e-6)
