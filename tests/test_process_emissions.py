"""Industrial process emissions (issue 13, item 4): loaded, a scope-1 ledger line of
their own, in totals, intensities, the core indicator and the enterprise breakdown; bad
rows refused whole. Numbers by hand: Jiangsu 2023 grid 0.5827 tCO2/MWh (used for 2025),
GB/T 2589 electricity 0.1229 kgce/kWh."""

import pytest
from conftest import write
from report_text import visible_texts
from test_zerocarbon import ELEC, GRID, build, core

from greenpark.core.errors import InputError
from greenpark.loaders.accounting_inputs import load_accounting_input
from greenpark.metrics.carbon.tables import carbon_table, intensities, ledger

HEADER = (
    "enterprise_id,month,process,tco2,activity,activity_unit,factor_tco2_per_unit,method,source\n"
)
# 50 tCO2 a month of clinker calcination, and in June 1,000 t of lime at 0.5 tCO2/t
ROWS = (
    "".join(
        f"E1,2025-{m:02d},clinker calcination,50,,,,mass balance,plant lab\n" for m in range(1, 13)
    )
    + "E1,2025-06,lime,,1000,t,0.5,activity x factor,supplier declaration\n"
)
IMP_KWH = 100_000.0  # a month


def park(tmp_path):
    store = build(tmp_path, {"IMP": IMP_KWH})
    load_accounting_input(
        store, "enterprises", write(tmp_path / "e.csv", "enterprise_id,name\nE1,one\n")
    )
    load_accounting_input(store, "process_emissions", write(tmp_path / "p.csv", HEADER + ROWS))
    return store


def test_process_emissions_are_their_own_scope1_lines_in_every_total(tmp_path):
    store = park(tmp_path)
    process = 12 * 50 + 1000 * 0.5  # 1,100 tCO2
    electricity = 12 * IMP_KWH / 1000 * GRID  # 699.24 tCO2
    energy = 12 * IMP_KWH * ELEC / 1000  # 147.48 tce (process emissions use no energy)
    scopes = carbon_table(store, year=2025).set_index("scope")
    # their own scope-1 row, beside fuel combustion's: the park's gas meter sent nothing in
    # 2025, so that row is kept with blank figures, never zeros (issue 11's silent scopes)
    combustion = scopes.loc["scope1"]
    assert "(no readings" in combustion["label"]
    assert combustion[["energy_tce", "emissions_location_tco2"]].isna().all()
    assert scopes.loc["scope1_process", "emissions_location_tco2"] == pytest.approx(process)
    assert scopes.loc["scope1_process", "emissions_market_tco2"] == pytest.approx(process)
    assert scopes.loc["scope1_process", "energy_tce"] == 0.0
    assert scopes.loc["total", "emissions_location_tco2"] == pytest.approx(process + electricity)
    assert scopes.loc["total", "energy_tce"] == pytest.approx(energy)
    lines = ledger(store, "2025-06")
    lime = lines[lines["activity"] == "industrial process emissions: lime"].iloc[0]
    assert (lime["quantity"], lime["unit"], lime["factor_value"]) == (1000.0, "t", 0.5)
    assert (lime["scope"], lime["source"], lime["confidence"]) == (
        "scope1",
        "industrial_process",
        "reported",
    )
    assert lime["emissions_tco2"] == pytest.approx(500.0)
    assert lime["factor_source"] == "supplier declaration"
    row = core(store, year=2025)
    assert row["value"] == pytest.approx((process + electricity) / energy)
    june = intensities(store, "2025-06").set_index("period").loc["month"]
    june_em = 50 + 500 + IMP_KWH / 1000 * GRID
    assert june["tco2_per_tce_location"] == pytest.approx(june_em / (IMP_KWH * ELEC / 1000))
    store.close()


def test_process_emissions_belong_to_their_enterprise(tmp_path):
    store = park(tmp_path)
    got = carbon_table(store, month="2025-06", by="enterprise").set_index("enterprise_id")
    assert got.loc["E1", "emissions_location_tco2"] == pytest.approx(550.0)
    assert got.loc["E1", "emissions_market_tco2"] == pytest.approx(550.0)
    rest = got.loc["(not submetered)"]
    assert rest["emissions_location_tco2"] == pytest.approx(IMP_KWH / 1000 * GRID)
    store.close()


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        ("E1,2025-03,kiln,,,,,mass balance,\n", "tco2", "give tco2, or activity"),
        ("E1,2025-03,kiln,,10,t,,mass balance,\n", "factor_tco2_per_unit", "go together"),
        ("E1,2025-03,kiln,,10,,0.5,mass balance,\n", "activity_unit", "needs its activity_unit"),
        ("E1,2025-03,kiln,6,10,t,0.5,mass balance,\n", "tco2", "differs from activity x factor"),
        ("E9,2025-03,kiln,6,,,,mass balance,\n", "enterprise_id", "unknown enterprise"),
    ],
)
def test_bad_rows_are_refused_whole(tmp_path, row, column, rule):
    store = park(tmp_path)
    before = store.con.execute("SELECT count(*), sum(tco2) FROM process_emissions").fetchone()
    good = "E1,2025-02,kiln,1,,,,mass balance,\n"
    with pytest.raises(InputError) as err:
        load_accounting_input(
            store, "process_emissions", write(tmp_path / "b.csv", HEADER + good + row)
        )
    text = str(err.value)
    assert "b.csv" in text and "line 3" in text and column in text and rule in text
    after = store.con.execute("SELECT count(*), sum(tco2) FROM process_emissions").fetchone()
    assert after == before
    store.close()


def test_the_workbook_carries_the_process_lines(tmp_path):
    import openpyxl

    from greenpark.report.writer import write_report

    store = park(tmp_path)
    # the park has no gas or PV readings in June: the report refuses unless told (issue 11)
    out = tmp_path / "out"
    write_report(
        store,
        "monthly",
        "2025-06",
        output=out,
        generated_at=STAMP,
        allow_incomplete=True,
        lang="en",  # English sheet names (Activity); --lang zh names them in Chinese
    )
    store.close()
    (book,) = (tmp_path / "out").rglob("report.xlsx")
    (page,) = (tmp_path / "out").rglob("report.html")
    # the HTML report's by-scope table: industrial processes as their own scope-1 line,
    # June = 50 t clinker + 1,000 t lime x 0.5 tCO2/t = 550 tCO2 on both bases
    texts = visible_texts(page.read_text(encoding="utf-8"))
    at = texts.index("Scope 1 (industrial processes)", texts.index("By scope"))  # not the chart
    assert texts[at + 1 : at + 4] == ["0.00", "550.00", "550.00"]
    june_grid = IMP_KWH / 1000 * GRID  # 58.27 tCO2
    summary = {r[0]: r for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)}
    assert summary["scope1_process_tco2"][3] == pytest.approx(550.0)
    assert summary["scope1_tco2"][3] == pytest.approx(550.0)  # scope 1 whole
    assert summary["total_location_tco2"][3] == pytest.approx(550.0 + june_grid)
    assert (
        "SUMIFS" in summary["scope1_process_tco2"][2]
        and "industrial_process" in (summary["scope1_process_tco2"][2])
    )
    activity = openpyxl.load_workbook(book)["Activity"]
    found = [r for r in activity.iter_rows(values_only=True) if "industrial_process" in r]
    assert sorted(r[6] for r in found) == [
        "industrial process emissions: clinker calcination",
        "industrial process emissions: lime",
    ]


STAMP = "2026-01-05T08:00:00+00:00"
