"""Open report.html in headless Chromium (Debian's package; .ci/run installs it): no
console errors, the key figures on the page, a screenshot."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest
from report_park import make_report_park

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip(
            "SKIPPED: Chromium is not installed on this machine; the browser test "
            "needs Debian's chromium (apt-get install -y chromium "
            "fonts-wqy-microhei), which .ci/run installs so that CI runs it"
        )
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    tmp = tmp_path_factory.mktemp("report_browser")
    db = make_report_park(tmp)
    with open_store(db, read_only=True) as store:
        files = write_report(store, "monthly", "2025-12", lang="zh", output=tmp / "out")
    return files.html


def test_page_renders_without_console_errors(report, tmp_path):
    result = chromium(tmp_path, "--dump-dom", report.resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    dom = result.stdout
    assert "综合能源消费量" in dom  # headline label, Chinese
    assert "81,096" in dom  # electricity kWh: (100 - 1 + 10) x 744 h
    assert "+3.3 %" in dom  # month-on-month: 744 h / 720 h - 1
    assert "&lt;script&gt;" in dom and "<script" not in dom.split("</head>")[1]
    assert dom.count("<svg") == 4  # energy, scopes, heatmap, trajectory


def test_screenshot(report, tmp_path):
    png = tmp_path / "report.png"
    result = chromium(
        tmp_path, f"--screenshot={png}", "--window-size=1280,4000", report.resolve().as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 4000)
    assert png.stat().st_size > 50_000  # a rendered page, not a blank one
