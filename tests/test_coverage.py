"""Expected against received readings, and figures that say when they rest on incomplete
data: the dead-meter park of issue 11. Every expected value is worked out by hand here.

The park: two main incomers (1#主进线, 2#主进线), a gas meter, a PV meter and two
enterprise submeters, hourly (gas daily) readings in June and July 2025 (park local
time, Asia/Shanghai). In July 2#主进线, the gas meter, the PV meter and submeter E2 send
nothing; 1#主进线 and E1 miss 12 hours each on 2025-07-10.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write

from greenpark.cli.app import cli
from greenpark.core.errors import GreenparkError
from greenpark.core.periods import Period
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.metrics.carbon.tables import carbon_by, park_intensities
from greenpark.metrics.coverage import meter_coverage
from greenpark.metrics.energy import energy_result
from greenpark.metrics.quality import data_quality
from greenpark.report.builder import build

JULY_HOURS = 31 * 24  # 744 hourly intervals expected in July
GAP_HOURS = 12  # 1#主进线 and E1: 2025-07-10 06:00 .. 17:00 missing
SILENT = ["2#主进线", "GAS", "PV"]  # boundary meters that sent nothing in July
METERS = """\
meter_id,carrier,role,unit,parent_id,commissioned_on,decommissioned_on
1#主进线,electricity,grid_import,kWh,,,
2#主进线,electricity,grid_import,kWh,,,
GAS,natural_gas,fuel,m3,,,
PV,electricity,pv_generation,kWh,,,
E1,electricity,submeter,kWh,1#主进线,,
E2,electricity,submeter,kWh,2#主进线,,
NEW,electricity,submeter,kWh,1#主进线,2025-07-16,
"""


def _hours(first: str, last: str):
    return pd.date_range(first, last, freq="h")


@pytest.fixture(scope="module")
def dead(tmp_path_factory):
    """The dead-meter park's database path."""
    from conftest import PARK_TOML

    from greenpark.store import open_store
    from greenpark.store.park import init_park

    root = tmp_path_factory.mktemp("dead")
    db = root / "park.duckdb"
    init_park(str(db), str(write(root / "park.toml", PARK_TOML.format(timezone="Asia/Shanghai"))))
    june, july = _hours("2025-06-01", "2025-06-30 23:00"), _hours("2025-07-01", "2025-07-31 23:00")
    gap = _hours("2025-07-10 06:00", "2025-07-10 17:00")
    rows = []
    for meter in ("1#主进线", "2#主进线", "PV", "E1", "E2"):
        stamps = june if meter in ("2#主进线", "PV", "E2") else june.append(july.difference(gap))
        rows += [(meter, ts, 10.0 + ts.hour % 3) for ts in stamps]
    rows += [("GAS", ts, 100.0 + ts.day % 2) for ts in pd.date_range("2025-06-01", "2025-06-30")]
    rows += [("NEW", ts, 1.0 + ts.hour % 2) for ts in _hours("2025-07-16", "2025-07-31 23:00")]
    frame = pd.DataFrame(rows, columns=["meter_id", "timestamp", "value"])
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    frame.to_csv(root / "readings.csv", index=False)
    with open_store(db) as store:
        load_meters(store, write(root / "meters.csv", METERS))
        load_readings(store, root / "readings.csv")
    return db


@pytest.fixture
def store(dead):
    from greenpark.store import open_store

    with open_store(dead, read_only=True) as s:
        yield s


def test_every_registered_meter_has_expected_and_received(store):
    july = Period.month("2025-07").localized("Asia/Shanghai")
    cov = meter_coverage(store, july).set_index("meter_id")
    assert list(cov.index[:4]) == ["1#主进线", "2#主进线", "GAS", "PV"]  # boundary first
    assert cov.loc["1#主进线", "expected"] == JULY_HOURS
    assert cov.loc["1#主进线", "received"] == JULY_HOURS - GAP_HOURS
    assert cov.loc["1#主进线", "coverage_pct"] == pytest.approx(100 * 732 / 744)
    assert cov.loc["1#主进线", "longest_gap_h"] == pytest.approx(GAP_HOURS)
    assert cov.loc["1#主进线", "first_reading"] == dt.datetime(2025, 7, 1)
    assert cov.loc["1#主进线", "last_reading"] == dt.datetime(2025, 7, 31, 23)
    # silent meters: the interval of their stored readings (June), nothing received
    assert cov.loc["2#主进线", ["expected", "received", "coverage_pct"]].tolist() == [744, 0, 0.0]
    assert cov.loc["2#主进线", "longest_gap_h"] == pytest.approx(JULY_HOURS)
    assert cov.loc["GAS", ["expected", "received", "interval_min"]].tolist() == [31, 0, 1440.0]
    assert cov.loc["PV", "coverage_pct"] == 0.0 and cov.loc["E2", "coverage_pct"] == 0.0
    # commissioned on 16 July: 16 days x 24 h expected, all received
    assert cov.loc["NEW", "expected"] == 16 * 24 and cov.loc["NEW", "coverage_pct"] == 100.0
    assert cov.loc["NEW", "active_from"] == dt.date(2025, 7, 16)
    assert cov["complete"].to_dict() == {
        "1#主进线": False,  # 98.4 % < 99 %
        "2#主进线": False,
        "GAS": False,
        "PV": False,
        "E1": False,
        "E2": False,
        "NEW": True,
    }
    june = meter_coverage(store, Period.month("2025-06").localized("Asia/Shanghai"))
    assert "NEW" not in set(june["meter_id"])  # not yet in service
    assert june["coverage_pct"].tolist() == [100.0] * 6


def test_check_makes_silent_meters_errors(store):
    result = data_quality(store, "2025-07")
    got = {
        (f.code, f.data["meter_id"]): f.severity for f in result.findings if f.data.get("meter_id")
    }
    assert got == {
        ("readings.missing_meter", "2#主进线"): "error",
        ("readings.missing_meter", "GAS"): "error",
        ("readings.missing_meter", "PV"): "error",
        ("readings.missing_meter", "E2"): "error",
        ("readings.coverage", "1#主进线"): "error",  # a boundary meter below 99 %
        ("readings.coverage", "E1"): "warning",  # a submeter below 99 %
        ("readings.gap", "1#主进线"): "warning",
        ("readings.gap", "E1"): "warning",
    }
    (gas,) = [f for f in result.findings if f.data.get("meter_id") == "GAS"]
    assert gas.message == "fuel meter sent no readings in 2025-07 (expected 31): coverage 0 %"
    assert result.tables["coverage"]["meter_id"].tolist()[:4] == [
        "1#主进线",
        "2#主进线",
        "GAS",
        "PV",
    ]


def test_results_carry_the_boundary_coverage(store):
    result = energy_result(store, "2025-07", by="carrier")
    assert result.incomplete
    cov = result.coverage.set_index("meter_id")
    assert list(cov.index) == ["1#主进线", "2#主进线", "GAS", "PV"]  # boundary meters only
    (note,) = [f for f in result.findings if f.code == "inputs.incomplete"]
    assert note.data["figures"]["missing_pct"] == pytest.approx(
        {"1#主进线": 100 * 12 / 744, "2#主进线": 100.0, "GAS": 100.0, "PV": 100.0}
    )
    assert "2#主进线 (grid_import) 100.0 % missing" in note.message
    assert "1#主进线 (grid_import) 1.6 % missing" in note.message
    assert result.to_dict()["incomplete"] is True
    assert set(result.flagged_frame()["inputs_complete"]) == {False}
    assert not energy_result(store, "2025-06").incomplete  # every meter complete in June
    assert carbon_by(store, "2025-07", by="scope").incomplete


def test_intensity_windows_are_flagged_one_by_one(store):
    result = park_intensities(store, "2025-07")
    flags = result.flagged_frame().set_index("period")["inputs_complete"].to_dict()
    assert flags["month"] is False  # July
    assert flags["previous_month"] is True  # June: every meter reported
    assert flags["month_last_year"] is False  # July 2024: no readings at all
    changes = result.flagged_changes().set_index("metric")
    assert not changes.loc["energy_tce", "mom_complete"]  # July against June: July lacks data
    june = result.coverage[result.coverage["period"] == "2025-06"]
    assert june["received"].tolist() == [720, 720, 30, 720]  # 30 days x 24 h, gas daily


def test_report_refuses_a_dead_boundary_meter(store):
    with pytest.raises(GreenparkError) as err:
        build(store, "monthly", "2025-07")
    text = str(err.value)
    assert "2#主进线 (grid_import), GAS (fuel), PV (pv_generation)" in text
    assert "--allow-incomplete" in text and "E2" not in text  # submeters do not stop it


def test_report_marks_incomplete_figures(store):
    from greenpark.report.html import render_html

    data = build(store, "monthly", "2025-07", allow_incomplete=True, generated_at="2026-01-01")
    complete = data.tables["completeness"].set_index("column")["complete"].to_dict()
    assert complete == {
        "current": False,
        "previous": True,
        "last_year": False,
        "ytd": False,
        "ytd_last_year": False,
    }
    html = render_html(data, "en")
    cards = html[html.index('id="cards"') : html.index('id="headline"')]
    assert cards.count('class="badge-incomplete"') >= 2  # the figure and its change
    assert "2#主进线 (grid_import) 100.0 % missing" in cards
    codes = set(data.tables["findings"]["code"])
    assert {"inputs.incomplete", "readings.missing_meter"} <= codes


def test_cli_check_report_and_flags(dead, tmp_path):
    runner = CliRunner()
    base = ["--db", str(dead)]
    out = runner.invoke(
        cli, [*base, "check", "--month", "2025-07", "--show", "coverage", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    rows = {r["meter_id"]: r for r in json.loads(out.stdout)}
    assert (rows["PV"]["expected"], rows["PV"]["received"], rows["PV"]["coverage_pct"]) == (
        744,
        0,
        0.0,
    )
    refused = runner.invoke(
        cli, [*base, "report", "monthly", "--month", "2025-07", "--output", str(tmp_path)]
    )
    assert refused.exit_code == 1 and "--allow-incomplete" in refused.output
    assert not (tmp_path / "test-park").exists()
    energy = runner.invoke(cli, [*base, "energy", "--month", "2025-07", "--format", "csv"])
    assert energy.stdout.splitlines()[0].endswith(",inputs_complete")
    assert "inputs.incomplete: the figures of 2025-07 rest on incomplete data" in energy.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_workbook_marks_incomplete_figures(store, tmp_path, lang):
    """The audit workbook marks the July figures (a badge and a note naming the meters
    and their missing share) and lists every report window's completeness."""
    import openpyxl

    from greenpark.report.workbook import write_workbook

    data = build(store, "monthly", "2025-07", allow_incomplete=True, generated_at="2026-01-01")
    path = tmp_path / f"audit_{lang}.xlsx"
    write_workbook(data, path, lang=lang)
    book = openpyxl.load_workbook(path)
    zh = lang == "zh"
    summary = book["汇总" if zh else "Summary"]
    header = [c.value for c in summary[1]]
    assert header[5:7] == (["数据完整性", "说明"] if zh else ["data completeness", "note"])
    badges = {summary.cell(r, 6).value for r in range(2, summary.max_row + 1)}
    assert badges == {"数据不完整" if zh else "incomplete data"}
    note = summary.cell(2, 7).value
    # 1#主进线 lost 12 of 744 hours: 1.6 % missing; the silent meters 100 %
    if zh:
        assert "2#主进线（电网购入）缺失 100.0 %" in note
        assert "1#主进线（电网购入）缺失 1.6 %" in note
    else:
        assert "2#主进线 (grid_import) 100.0 % missing" in note
        assert "1#主进线 (grid_import) 1.6 % missing" in note
    sheet = book["数据完整性" if zh else "Completeness"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    flags = {r[1]: r[2] for r in rows}
    bad, good = ("数据不完整", "完整") if zh else ("incomplete data", "complete")
    # June complete; July, July 2024 and both year-to-date windows are not
    assert flags == {
        "2025-07": bad,
        "2025-06": good,
        "2024-07": bad,
        "2025-01..2025-07": bad,
        "2024-01..2024-07": bad,
    }
    inten = book["强度" if zh else "Intensities"]
    head = [c.value for c in inten[1]]
    col = head.index("数据完整性" if zh else "data_completeness")
    period = head.index("期间" if zh else "period")
    marks = {row[period].value: row[col].value for row in inten.iter_rows(min_row=2)}
    # seven windows (month ... rolling 12 months last year); June alone is complete
    assert len(marks) == 7 and list(marks.values()).count(good) == 1
    assert list(marks.values()).count(bad) == 6
    if not zh:
        assert marks["previous_month"] == good  # June 2025


def test_a_silent_scope_is_shown_as_unknown_not_dropped(store):
    """The gas meter sent nothing in July: scope 1 stays in the table, its figures
    unknown (NaN, not 0) and labelled 'no readings'; the PV meter likewise on_site."""
    frame = carbon_by(store, "2025-07", by="scope").frame.set_index("scope")
    assert list(frame.index) == ["on_site", "scope1", "scope2", "total"]
    for scope in ("scope1", "on_site"):
        assert "no readings / 无读数" in frame.loc[scope, "label"]
        assert frame.loc[scope, ["energy_tce", "emissions_location_tco2"]].isna().all()
    # the total is the known scope 2 alone: nothing invented for the silent scopes
    assert frame.loc["total", "emissions_location_tco2"] == pytest.approx(
        frame.loc["scope2", "emissions_location_tco2"]
    )
    june = carbon_by(store, "2025-06", by="scope").frame.set_index("scope")
    assert "no readings" not in june.loc["scope1", "label"]
    assert june.loc["scope1", "energy_tce"] > 0
    from greenpark.metrics.carbon.tables import ledger

    lines = ledger(store, month="2025-06")
    gas = lines.loc[lines["meter_id"] == "GAS", "quantity"].sum()
    assert gas == pytest.approx(15 * 101 + 15 * 100)  # 30 days, odd days 101 m3, even 100


def test_all_stored_readings_measure_every_meter_over_the_park_span(store):
    """Without a period the span is the park's stored span (2025-06-01 to 2025-08-01
    local: 61 days), not each meter's own: the meters silent in July are not 100 %."""
    cov = meter_coverage(store).set_index("meter_id")
    days = 30 + 31
    assert cov.loc["2#主进线", "expected"] == days * 24  # 1,464 hours
    assert cov.loc["2#主进线", "received"] == 30 * 24
    assert cov.loc["2#主进线", "coverage_pct"] == pytest.approx(100 * 720 / 1464)
    assert (cov.loc["GAS", "expected"], cov.loc["GAS", "received"]) == (days, 30)  # daily
    assert cov.loc["1#主进线", "coverage_pct"] == pytest.approx(100 * (1464 - 12) / 1464)
    # NEW is in service from 2025-07-16: 16 days x 24 h, all received
    assert (cov.loc["NEW", "expected"], cov.loc["NEW", "coverage_pct"]) == (16 * 24, 100.0)
    codes = {(f.code, f.data["meter_id"]) for f in data_quality(store).findings}
    assert ("readings.coverage", "2#主进线") in codes


def test_zero_carbon_indicators_carry_the_flags(store):
    """A month stands for the rolling 12 months to it (2024-08..2025-07, 365 days): the
    park has June and July only, so every indicator rests on incomplete inputs."""
    from greenpark.metrics.zerocarbon.system import indicators_result

    result = indicators_result(store, "2025-07")
    assert result.incomplete
    assert set(result.flagged_frame()["inputs_complete"]) == {False}
    (note,) = [f for f in result.findings if f.code == "inputs.incomplete"]
    missing = note.data["figures"]["missing_pct"]
    hours = 365 * 24
    assert missing["1#主进线"] == pytest.approx(100 - 100 * (1464 - 12) / hours)  # 83.4 %
    assert missing["2#主进线"] == pytest.approx(100 - 100 * 720 / hours)  # 91.8 %


def test_boundary_coverage_reads_only_the_boundary_meters(dead):
    """A window's boundary coverage without the full coverage table: the boundary
    meters' rows of it, from their readings only (June and July: 61 days, 1,464 h)."""
    from greenpark.metrics.coverage import RESULT_COLUMNS, boundary_coverage
    from greenpark.store import open_store

    both = Period.parse("2025-06..2025-07", "Asia/Shanghai")
    with open_store(dead, read_only=True) as s:
        got = boundary_coverage(s, [both])
        assert s.peek(("coverage.meters", both)) is None  # no table of every meter
        assert s.peek(("quality.profile", both)) is None  # no scan of every meter
    assert got["meter_id"].tolist() == ["1#主进线", "2#主进线", "GAS", "PV"]
    assert got["expected"].tolist() == [1464, 1464, 61, 1464]  # hourly, hourly, daily, hourly
    assert got["received"].tolist() == [720 + 732, 720, 30, 720]
    assert got["coverage_pct"].tolist() == pytest.approx(
        [100 * 1452 / 1464, 100 * 720 / 1464, 100 * 30 / 61, 100 * 720 / 1464]
    )
    assert got["complete"].tolist() == [True, False, False, False]  # 99.18 % >= 99 %
    with open_store(dead, read_only=True) as s:  # the same rows as the full table's
        full = meter_coverage(s, both)
        rows = full[full["boundary"]].assign(period=both.label)[[*RESULT_COLUMNS, "complete"]]
        pd.testing.assert_frame_equal(boundary_coverage(s, [both]), rows)
    pd.testing.assert_frame_equal(got, rows)
