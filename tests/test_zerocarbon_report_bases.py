"""The zero-carbon section of the HTML report and of the audit workbook shows the core
indicator on all four bases, which one the status is judged on and why (its config
keys), and the primary-energy coal rate with its year fallback, in Chinese and English
(issue 13, item 5). Numbers by hand, as in test_zerocarbon_bases: Jiangsu 2023 grid
0.5827 and national residual 2023 0.6096 tCO2/MWh (used for 2025), electricity 0.1229
kgce/kWh (calorific) or 300 gce/kWh (the park's 2024 coal rate, used for 2025), natural
gas 2.1621888 kgCO2/Nm3 and 1.33 kgce/Nm3."""

import openpyxl
import pytest
from report_text import visible_texts
from test_zerocarbon import ELEC, GAS_F, GAS_K, GRID, build
from test_zerocarbon_bases import COAL_RATE, GAS_NM3, IMP_KWH, RESIDUAL

from greenpark.report.writer import write_report

STAMP = "2026-01-05T08:00:00+00:00"


def _expected() -> dict:
    e_location = 12 * (IMP_KWH / 1000 * GRID + GAS_NM3 * GAS_F)
    e_market = 12 * (IMP_KWH / 1000 * RESIDUAL + GAS_NM3 * GAS_F)
    t_calorific = 12 * (IMP_KWH * ELEC + GAS_NM3 * GAS_K) / 1000  # 307.08 tce
    t_primary = 12 * (IMP_KWH * 0.300 + GAS_NM3 * GAS_K) / 1000  # 519.6 tce
    return {
        ("location", "calorific"): e_location / t_calorific,
        ("market", "calorific"): e_market / t_calorific,
        ("location", "primary"): e_location / t_primary,
        ("market", "primary"): e_market / t_primary,
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zc_report")
    store = build(tmp, {"IMP": IMP_KWH, "GAS": GAS_NM3}, extra=COAL_RATE)
    out = {}
    for lang in ("zh", "en"):
        files = write_report(
            store,
            "annual",
            "2025",
            lang=lang,
            output=tmp / lang,
            generated_at=STAMP,
            allow_incomplete=True,  # no PV readings
        )
        out[lang] = files
    store.close()
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_shows_four_bases_the_judged_one_and_the_coal_rate(reports, lang):
    texts = visible_texts(reports[lang].html.read_text(encoding="utf-8"))
    page = "\n".join(texts)
    for value in _expected().values():
        assert f"{value:.4f}" in texts, value  # ratio cells: four decimals
    title = "核心指标（各口径）" if lang == "zh" else "Core indicator on every basis"
    assert title in page
    if lang == "zh":
        assert "达标状态按基于位置排放、电力按当量值折标判定" in page
        assert "2024 年供电煤耗 300 gce/kWh" in page and "2025 年未给出煤耗" in page
    else:
        assert "status judged on location emissions" in page
        assert "coal rate 300 gce/kWh of 2024" in page and "no rate given for 2025" in page
    assert "emissions_basis" in reports[lang].html.read_text(encoding="utf-8")  # the key


@pytest.mark.parametrize(("lang", "sheet"), [("zh", "核心指标各口径"), ("en", "Core bases")])
def test_the_workbook_has_the_four_bases(reports, lang, sheet):
    rows = list(openpyxl.load_workbook(reports[lang].xlsx)[sheet].iter_rows(values_only=True))
    assert len(rows) == 5  # header + four bases
    expected = _expected()
    got = {r[:2]: r for r in rows[1:]}
    zh = {"location": "基于位置", "market": "基于市场", "calorific": "当量值", "primary": "等价值"}
    names = zh if lang == "zh" else {}
    judged = [k for k in expected if got[tuple(names.get(p, p) for p in k)][8] in (True, 1)]
    assert judged == [("location", "calorific")]  # the park's [zero_carbon] emissions_basis
    for (basis, method), value in expected.items():
        row = got[(names.get(basis, basis), names.get(method, method))]
        assert row[4] == pytest.approx(value, rel=1e-12)
        if method == "primary":
            assert (row[9], row[10]) == (300.0, 2024)
    findings = openpyxl.load_workbook(reports[lang].xlsx)["提示" if lang == "zh" else "Findings"]
    text = " ".join(str(c) for r in findings.iter_rows(values_only=True) for c in r if c)
    assert "zero_carbon.status_basis" in text and "zero_carbon.coal_rate_fallback" in text
