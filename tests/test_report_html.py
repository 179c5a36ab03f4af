"""The HTML report: escaping, self-contained, both languages, deterministic, charts."""

from __future__ import annotations

import re

import pytest
from report_park import PARK_NAME, PARK_NAME_ZH, make_report_park

STAMP = "2026-01-05T08:00:00+00:00"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from greenpark.report.builder import build
    from greenpark.store import open_store

    db = make_report_park(tmp_path_factory.mktemp("report_html"))
    with open_store(db, read_only=True) as store:
        yield build(store, "monthly", "2025-12", generated_at=STAMP)


@pytest.fixture(scope="module")
def page(data):
    from greenpark.report.html import render_html

    return render_html(data, "en")


def test_user_strings_are_escaped(page, data):
    from greenpark.report.html import render_html

    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Park &amp; Co" in page
    assert "<b>" not in page and "&lt;b&gt;Tenant&lt;/b&gt;" not in page  # not shown
    zh = render_html(data, "zh")
    assert "测试园区&lt;b&gt;粗体&lt;/b&gt;" in zh
    assert PARK_NAME not in zh and PARK_NAME_ZH not in zh


def test_self_contained(page):
    assert not re.search(r"""(src|href)\s*=|<link|<script|@import|url\(""", page)
    # the only URL in an attribute is the SVG namespace (an identifier, never fetched)
    urls = set(re.findall(r"""=\s*["']?(https?://[^"'\s>]*)""", page))
    assert urls == {"http://www.w3.org/2000/svg"}


def test_headline_figures_by_hand(page, data):
    hours_dec, hours_nov = 744, 720
    electricity_kwh = (100 - 1 + 10) * hours_dec
    head = data.tables["headline"].set_index("metric")
    assert head.loc["electricity_kwh", "current"] == pytest.approx(electricity_kwh)
    assert head.loc["electricity_kwh", "previous"] == pytest.approx((100 - 1 + 10) * hours_nov)
    assert head.loc["energy_tce", "mom_pct"] == pytest.approx((744 / 720 - 1) * 100)
    assert head.loc["pv_self_consumed_pct", "current"] == pytest.approx((10 - 1) / 10 * 100)
    assert head.loc["pv_self_consumed_pct", "change_unit"] == "pp"
    assert head.isna().loc["energy_tce", "yoy_pct"]  # no data in 2024-12
    assert f"{electricity_kwh:,.0f}" in page  # 81,096
    assert "+3.3 %" in page
    tou = data.tables["tou"].set_index("period")
    assert tou.loc["peak", "share_pct"] == pytest.approx(8 / 24 * 100)  # 08-11, 17-22


def test_languages(data):
    from greenpark.core.errors import GreenparkError
    from greenpark.report.html import render_html

    zh, en = render_html(data, "zh"), render_html(data, "en")
    assert '<html lang="zh-CN">' in zh and "主要指标" in zh and "综合能源消费量" in zh
    assert '<html lang="en">' in en and "Headline figures" in en
    with pytest.raises(GreenparkError, match="supported languages are zh, en"):
        render_html(data, "fr")


def test_deterministic_except_generation_time(data):
    import dataclasses

    from greenpark.report.html import render_html

    later = dataclasses.replace(data, generated_at="2026-02-01T00:00:00+00:00")
    a, b = render_html(data, "zh"), render_html(later, "zh")
    assert a == render_html(data, "zh")
    assert a.replace(STAMP, "T") == b.replace("2026-02-01T00:00:00+00:00", "T")


def test_charts_are_inline_svg(page):
    assert page.count("<svg ") == 4  # energy, scopes, heatmap, trajectory
    heat = page[page.index("Load profile (day x hour)</text>") :]
    assert heat.count("<rect ") >= 31 * 24


def test_charts_escape_their_labels():
    from greenpark.report import charts

    svg = charts.bar_chart("<t>", "u&", ["<a>"], [("<s>", [1.0])])
    assert "<t>" not in svg and "&lt;t&gt;" in svg and "&lt;s&gt;" in svg
    assert charts.nice_max(0.0) == (1.0, 0.25)
    assert charts.nice_max(2479.3) == (2500.0, 500.0)
    line = charts.line_chart(
        "中文", "tCO2/tce", ["2025-01", "2025-02"], [("a", [1.0, float("nan")], False)]
    )
    assert "<text" in line and "中文" in line


def test_empty_month(tmp_path):
    from greenpark.core.errors import GreenparkError
    from greenpark.report.builder import build
    from greenpark.report.html import render_html
    from greenpark.store import open_store

    db = make_report_park(tmp_path)
    with open_store(db, read_only=True) as store:
        with pytest.raises(
            GreenparkError,
            match=r"no readings in 2026-03 \(stored readings "
            r"run from 2025-10-31 to 2025-12-31 \(UTC\)\); use --allow-empty",
        ):
            build(store, "monthly", "2026-03")
        data = build(store, "monthly", "2026-03", allow_empty=True, generated_at=STAMP)
    html = render_html(data, "en")
    assert 'id="no-data"' in html and "NO DATA FOR THIS PERIOD" in html
    assert "no readings in 2026-03" in html
