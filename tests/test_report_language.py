"""Chinese means Chinese, English means English: the demo's monthly and annual pages in
both languages, the label catalogue covering every column shown, finding messages by
code, numbers formatted by column kind, clean CSV/JSON values."""

from __future__ import annotations

import json

import pytest
from report_text import chinese_in_english, english_in_chinese, visible_texts


@pytest.mark.parametrize("kind", ["monthly", "annual"])
def test_chinese_page_has_no_english_sentence_or_raw_id(demo_report, kind):
    page = (demo_report.folder / f"{kind}_zh.html").read_text(encoding="utf-8")
    assert english_in_chinese(page) == []
    texts = visible_texts(page)
    for expected in ("综述", "主要指标", "未达标", "电力", "天然气", "范围二（外购电力、热力）"):
        assert any(expected in t for t in texts), expected
    assert "not_met" not in page and "10k CNY" not in page
    assert any("万元" in t for t in texts)


@pytest.mark.parametrize("kind", ["monthly", "annual"])
def test_english_page_has_no_chinese_or_raw_id(demo_report, kind):
    page = (demo_report.folder / f"{kind}_en.html").read_text(encoding="utf-8")
    assert chinese_in_english(page) == []
    assert "not met" in page and "natural gas" in page


def test_the_checks_catch_what_they_are_for():
    html = (
        "<p>碳排放</p><p>emissions_market_tco2 [tCO2]</p><p>Not available for this period</p>"
        '<td translate="no">Suzhou Precision Co</td><p>readings</p><p>2,479.33 tce</p>'
    )
    assert english_in_chinese(html) == [
        "emissions_market_tco2 [tCO2]",
        "Not available for this period",
        "readings",
    ]
    assert chinese_in_english(html) == ["碳排放", "emissions_market_tco2 [tCO2]"]


def test_every_column_shown_is_catalogued(demo_report):
    from greenpark.core.labels import COLUMNS

    for data in (demo_report.monthly, demo_report.annual):
        missing = {
            (name, c)
            for name, frame in data.tables.items()
            for c in frame.columns
            # load_profile's and wind_monthly's columns are data (hours, site ids), not ids
            if c not in COLUMNS
            and name not in ("load_profile",)
            and not (name == "wind_monthly" and c in set(data.tables["wind_sites"]["site_id"]))
        }
        assert missing == set()


def test_finding_messages_by_code_with_parameters():
    from greenpark.core.findings import Finding
    from greenpark.core.messages import message

    f = Finding(
        "readings.coverage",
        "readings cover 96.8 % of the period",
        data={"meter_id": "GAS-MAIN", "figures": {"value": 96.7741935483871}},
    )
    assert message(f, "zh") == "表计 GAS-MAIN 本期数据完整率 96.8%"
    assert message(f, "en") == "readings cover 96.8 % of the period"
    unknown = Finding("made.up", "something odd")
    assert "made.up" in message(unknown, "zh") and "something" not in message(unknown, "zh")
    missing = Finding("readings.coverage", "x", data={})  # a parameter missing: the title
    assert message(missing, "zh").startswith("数据完整率不足")


def test_numbers_formatted_by_column_kind():
    from greenpark.core.formats import clean, format_number
    from greenpark.report.html import fmt

    assert fmt(2023.0, "factor_year") == "2023"  # not 2,023.0
    assert fmt(1.2143, "factor_value") == "1.2143"  # full published precision
    assert fmt(0.038931, "factor_value") == "0.038931"
    assert fmt(96.7741935483871, "coverage_pct") == "96.8"
    assert fmt(14005191.4, "electricity_kwh") == "14,005,191"
    assert fmt(2479.32613730999, "energy_tce") == "2,479.33"
    assert fmt("not_met", "status", "zh") == "未达标"
    assert fmt("10k CNY", "unit", "zh") == "万元"
    assert format_number(4671461.499999999, "quantity") == "4,671,461.5"
    assert format_number(4671461.499999999, "factor") == "4671461.5"
    # a non-zero value never prints as 0 or -0: a -0.3 kWh reading in check's findings
    assert format_number(-0.3, "kwh") == "-0.3"
    assert format_number(0.004, "tco2") == "0.004"
    assert format_number(0.0, "kwh") == "0"
    assert format_number(0.6, "kwh") == "1"  # rounds to a non-zero figure: as before
    assert clean(4671461.499999999) == 4671461.5
    assert clean(0.1 + 0.2) == 0.3


def test_cli_table_year_and_csv_json_values_are_clean():
    import pandas as pd

    from greenpark.report.output import render

    frame = pd.DataFrame({"factor_year": [2023.0], "quantity": [4671461.499999999]})
    table = render(frame, "table")
    assert "2023" in table and "2,023" not in table
    assert render(frame, "csv") == "factor_year,quantity\n2023.0,4671461.5\n"
    assert json.loads(render(frame, "json")) == [{"factor_year": 2023.0, "quantity": 4671461.5}]


def test_annual_report_shows_the_year_toward_the_thresholds(demo_report):
    data = demo_report.annual
    year = data.tables["year_progress"]
    assert list(year["month"]) == [f"2025-{m:02d}" for m in range(1, 13)]
    zc = data.tables["zero_carbon"].set_index("indicator_id")
    # December's rolling 12 months are the year itself: the year's indicator values
    assert year["tco2_per_tce"].iloc[-1] == zc.loc["core_small", "value"]
    assert year["clean_energy_share_pct"].iloc[-1] == pytest.approx(
        zc.loc["clean_energy_share", "value"], rel=1e-12
    )
    assert set(year["clean_energy_threshold_pct"]) == {zc.loc["clean_energy_share", "threshold"]}
    page = (demo_report.folder / "annual_zh.html").read_text(encoding="utf-8")
    assert "本年逐月距零碳阈值" in page and page.count("<svg ") >= 6
