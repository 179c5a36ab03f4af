"""A report computes once: one ledger build, one park.toml parse; windows from Period;
findings rendered from Finding objects."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from report_park import make_report_park

STAMP = "2026-01-05T08:00:00+00:00"


@pytest.fixture(scope="module")
def park(tmp_path_factory):
    return make_report_park(tmp_path_factory.mktemp("report_once"))


@pytest.fixture
def parses(monkeypatch):
    """Count park.toml parses (Store._read_park imports parse_park_config from here)."""
    import greenpark.core.config as config

    calls = {"count": 0}
    original = config.parse_park_config

    def counted(*args, **kwargs):
        calls["count"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(config, "parse_park_config", counted)
    return calls


@pytest.mark.parametrize(("kind", "period"), [("monthly", "2025-12"), ("annual", "2025")])
def test_a_report_builds_one_ledger_and_parses_park_toml_once(park, tmp_path, parses, kind, period):
    from greenpark.metrics.carbon.ledger import BUILDS
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    with open_store(park, read_only=True) as store:
        before = BUILDS["count"]
        write_report(store, kind, period, output=tmp_path, generated_at=STAMP)
        assert BUILDS["count"] - before == 1
    assert parses["count"] == 1


def test_a_report_builds_one_factor_book(park, tmp_path, monkeypatch):
    import greenpark.core.factors as factors
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    books = []
    original = factors.FactorBook.__init__

    def counted(self, *args, **kwargs):
        books.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(factors.FactorBook, "__init__", counted)
    with open_store(park, read_only=True) as store:
        write_report(store, "monthly", "2025-12", output=tmp_path, generated_at=STAMP)
    assert len(books) == 1


def test_the_cli_report_builds_one_ledger(park, tmp_path, parses):
    from click.testing import CliRunner

    from greenpark.cli import cli
    from greenpark.metrics.carbon.ledger import BUILDS

    before = BUILDS["count"]
    args = ["--db", str(park), "report", "monthly", "--month", "2025-12", "--output", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert BUILDS["count"] - before == 1
    assert parses["count"] == 1


def test_report_span_holds_every_window():
    from greenpark.core.periods import Period
    from greenpark.report.builder import report_span

    series, span = report_span(Period.month("2025-12", "Asia/Shanghai"))
    # 24 months: the rolling 12 months of last year start in 2024-01
    assert (series.first, series.last) == (dt.date(2024, 1, 1), dt.date(2025, 12, 1))
    assert span == series
    series, span = report_span(Period.month("2026-06", "Asia/Shanghai"))
    assert (series.first, series.last) == (dt.date(2024, 7, 1), dt.date(2026, 6, 1))
    # the trajectory runs from the rolling 12 months ending with January 2025
    assert (span.first, span.last) == (dt.date(2024, 2, 1), dt.date(2026, 6, 1))
    series, _ = report_span(Period.year(2025, "Asia/Shanghai"))
    assert (series.first, series.last) == (dt.date(2024, 1, 1), dt.date(2025, 12, 1))


def test_headline_changes_have_the_one_name_of_each(park):
    from greenpark.report.builder import build
    from greenpark.store import open_store

    with open_store(park, read_only=True) as store:
        monthly = build(store, "monthly", "2025-12", generated_at=STAMP).tables["headline"]
        annual = build(store, "annual", "2025", generated_at=STAMP).tables["headline"]
    assert [c for c in monthly.columns if c.endswith("_pct")] == [
        "mom_pct",
        "yoy_pct",
        "ytd_yoy_pct",
    ]
    assert [c for c in annual.columns if c.endswith("_pct")] == ["yoy_pct"]
    head = monthly.set_index("metric")
    # December vs November: 744 h / 720 h of the same hourly flows
    assert head.loc["electricity_kwh", "mom_pct"] == pytest.approx((744 / 720 - 1) * 100)
    # January to October 2025 have no readings: no year to date, so no change of it
    assert head.isna().loc["electricity_kwh", ["ytd", "ytd_yoy_pct"]].all()


def test_findings_everywhere_come_from_finding_objects(park, tmp_path):
    from greenpark.core.findings import Finding
    from greenpark.report.builder import build, findings_table
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    with open_store(park, read_only=True) as store:
        data = build(store, "monthly", "2025-12", generated_at=STAMP)
        files = write_report(store, "monthly", "2025-12", output=tmp_path, generated_at=STAMP)
    everything = [f for found in data.findings.values() for f in found]
    assert everything and all(isinstance(f, Finding) for f in everything)
    table = findings_table(data)
    assert list(table.columns) == [
        "section",
        "severity",
        "code",
        "meter_id",
        "start",
        "end",
        "message",
        "message_zh",  # the message catalogue's sentence
    ]
    assert table["severity"].isin(["info", "warning", "error"]).all()
    assert not table["code"].str.contains(" ").any()
    # the park has no PV estimate stored: the section says so with a coded finding
    pv = table[table["section"] == "pv"]
    assert "report.section_unavailable" in set(pv["code"])
    summary = json.loads(files.summary.read_text(encoding="utf-8"))
    assert [(f["section"], f["code"], f["message"]) for f in summary["findings"]] == list(
        table[["section", "code", "message"]].itertuples(index=False, name=None)
    )


def test_a_committed_write_keeps_the_parsed_park_but_drops_derived_state(park, tmp_path, parses):
    """Loads commit between a demo's steps: the factor book and ledgers are rebuilt after a
    write, park.toml (changed only by ``init``, with new text) is not parsed again."""
    import shutil

    from greenpark.store import open_store

    copy = tmp_path / "park.duckdb"
    shutil.copy(park, copy)
    with open_store(copy) as store:
        first, book = store.park(), store.factor_book()
        with store.transaction():
            store.con.execute("SELECT 1")
        assert store.park() is first
        assert store.factor_book() is not book
    assert parses["count"] == 1
