"""``greenpark report`` and ``greenpark export``: layout, bad input, safe exports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from report_park import ENTERPRISE_NAME, GAS_NAME, make_report_park

from greenpark.cli import cli


@pytest.fixture(scope="module")
def park(tmp_path_factory):
    return make_report_park(tmp_path_factory.mktemp("report_cli"))


def run(park, *args):
    return CliRunner().invoke(cli, ["--db", str(park), *args])


def test_monthly_report_layout(park, tmp_path):
    result = run(
        park,
        "report",
        "monthly",
        "--month",
        "2025-12",
        "--output",
        str(tmp_path),
        "--lang",
        "en",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "test-park" / "2025-12"
    assert sorted(p.name for p in folder.iterdir()) == [
        "report.html",
        "report.xlsx",
        "summary.json",
    ]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["park"] == "test-park" and summary["period"] == "2025-12"
    assert summary["empty"] is False
    head = {r["metric"]: r for r in summary["headline"]}
    assert head["electricity_kwh"]["current"] == (100 - 1 + 10) * 744
    assert [r["file"] for r in json.loads(result.stdout)] == [
        str(folder / n) for n in ("report.html", "report.xlsx", "summary.json")
    ]


def test_annual_report_and_allow_empty(park, tmp_path):
    result = run(park, "report", "annual", "--year", "2025", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "test-park" / "2025" / "report.html").is_file()
    empty = run(park, "report", "monthly", "--month", "2026-01", "--output", str(tmp_path))
    assert empty.exit_code == 1
    assert "no readings in 2026-01" in empty.output and "--allow-empty" in empty.output
    assert not (tmp_path / "test-park" / "2026-01").exists()
    ok = run(
        park, "report", "monthly", "--month", "2026-01", "--output", str(tmp_path), "--allow-empty"
    )
    assert ok.exit_code == 0 and "NO DATA" in ok.output
    summary = json.loads((tmp_path / "test-park" / "2026-01" / "summary.json").read_text())
    assert summary["empty"] is True


def test_bad_input(park, tmp_path):
    lang = run(
        park, "report", "monthly", "--month", "2025-12", "--lang", "fr", "--output", str(tmp_path)
    )
    assert lang.exit_code == 1 and "--lang 'fr': supported languages are zh, en" in lang.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run(park, "report", "monthly", "--month", "2025-12", "--output", str(blocker))
    assert out.exit_code == 1 and "cannot write reports to" in out.output
    month = run(park, "report", "monthly", "--month", "2025-13", "--output", str(tmp_path))
    assert month.exit_code == 1 and "expected YYYY-MM" in month.output


def test_path_components_are_sanitized(tmp_path):
    from greenpark.core.errors import GreenparkError
    from greenpark.report.paths import report_dir, safe_component

    assert safe_component("../../etc") == "etc"
    assert safe_component("a/b\\c") == "a_b_c"
    with pytest.raises(GreenparkError, match="cannot be used as a folder name"):
        safe_component("../..")
    folder = report_dir(tmp_path, "../evil", "2025-12")
    assert folder == tmp_path / "evil" / "2025-12"


def test_export_csv_escapes_formulas(park):
    result = run(park, "export", "energy-meters", "--month", "2025-12")
    assert result.exit_code == 0, result.output
    assert f"'{GAS_NAME}" in result.stdout
    ent = run(park, "export", "carbon-enterprises", "--month", "2025-12", "--format", "csv")
    assert "'=HYPERLINK" in ent.stdout


def test_export_json_parquet_xlsx(park, tmp_path):
    import openpyxl
    import pandas as pd

    js = run(park, "export", "carbon", "--month", "2025-12", "--format", "json")
    rows = {r["scope"]: r for r in json.loads(js.stdout)}
    assert set(rows["total"]) >= {"energy_tce", "emissions_location_tco2"}
    pq = tmp_path / "ledger.parquet"
    assert (
        run(
            park,
            "export",
            "ledger",
            "--month",
            "2025-12",
            "--format",
            "parquet",
            "--output",
            str(pq),
        ).exit_code
        == 0
    )
    assert len(pd.read_parquet(pq)) == 6  # 4 meters + 2 market lines
    xl = tmp_path / "ent.xlsx"
    assert (
        run(
            park,
            "export",
            "carbon-enterprises",
            "--year",
            "2025",
            "--format",
            "xlsx",
            "--output",
            str(xl),
        ).exit_code
        == 0
    )
    ws = openpyxl.load_workbook(xl).active
    assert ws["B2"].value == ENTERPRISE_NAME and ws["B2"].data_type == "s"
    assert ws.freeze_panes == "A2"
    missing = run(park, "export", "ledger", "--month", "2025-12", "--format", "xlsx")
    assert missing.exit_code == 1 and "give --output FILE" in missing.output
    no_period = run(park, "export", "intensities")
    assert no_period.exit_code == 1 and "needs --month YYYY-MM" in no_period.output


def test_same_inputs_same_bytes(park, tmp_path):
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    stamp = "2026-01-05T08:00:00+00:00"
    with open_store(park, read_only=True) as store:
        a = write_report(store, "monthly", "2025-12", output=tmp_path / "a", generated_at=stamp)
        b = write_report(store, "monthly", "2025-12", output=tmp_path / "b", generated_at=stamp)
    for name in ("report.html", "report.xlsx", "summary.json"):
        assert (a.folder / name).read_bytes() == (b.folder / name).read_bytes(), name
