"""Chinese means Chinese in the CLI too: every table command on the demo park with
``--lang zh`` shows catalogue headers, translated values and Chinese notes (checked by
the report pages' checker, tests/report_text.py); csv/json keep the column ids."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_text import CJK, chinese_in_english, english_in_chinese, raw_status_ids

from greenpark.cli.app import cli

DEMO_DATA = Path(__file__).resolve().parents[1] / "datasets" / "demo-park"

# every command printing a table, with the arguments it needs on the demo park
TABLE_COMMANDS = [
    ["factors", "list"],
    ["factors", "show", "electricity.location", "--year", "2025"],
    ["check", "--month", "2025-12"],
    ["energy", "--month", "2025-12"],
    ["energy", "--month", "2025-12", "--by", "enterprise"],
    ["energy", "--month", "2025-12", "--by", "industry"],
    ["carbon", "--month", "2025-12"],
    ["carbon", "--year", "2025", "--by", "source"],
    ["carbon", "--year", "2025", "--by", "enterprise"],
    ["intensity", "--month", "2025-12"],
    ["intensity", "--month", "2025-12", "--by", "industry", "--changes"],
    ["waste", "--month", "2025-12"],
    ["waste-check"],
    ["resources", "--year", "2025"],
    ["resources", "--year", "2025", "--view", "indicators"],
    ["pv", "estimate"],
    ["pv", "value"],
    ["pv", "performance", "--month", "2025-12"],
    ["energy-mix", "--year", "2025"],
    ["plan", "pathway"],
    ["plan", "storage", "--size-kwh", "2000"],
    ["wind", "turbines", "--search", "E-82"],
    ["wind", "estimate"],
    ["zero-carbon", "--year", "2025"],
    ["zero-carbon", "bases", "--year", "2025"],
    ["zero-carbon", "gap", "--year", "2025"],
    ["zero-carbon", "trajectory", "--month", "2025-12"],
    ["load", "log"],
    ["load", "meters", str(DEMO_DATA / "meters.csv")],
    ["load", "enterprises", str(DEMO_DATA / "enterprises.csv")],
]


ENGLISH_COMMANDS = [
    ["energy", "--month", "2025-12"],
    ["carbon", "--month", "2025-12"],
    ["check", "--month", "2025-12"],
    ["intensity", "--month", "2025-12"],
    ["zero-carbon", "--year", "2025"],
    ["zero-carbon", "gap", "--year", "2025"],
    ["waste", "--month", "2025-12"],
    ["pv", "value"],
]


def _headers():
    """Header (Chinese or English) -> whether its column holds names and codes shown as
    written."""
    from greenpark.core.labels import COLUMNS, header, kind

    out: dict[str, bool] = {}
    for column in COLUMNS:
        for lang in ("zh", "en"):
            h = header(column, lang)
            out[h] = out.get(h, False) or kind(column) in ("id", "text")
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cells(line: str, spans) -> list[str]:
    """``line`` cut at the rule's display columns (CJK characters are two wide)."""
    cells, pos, chars = [""] * len(spans), 0, []
    for ch in line:
        chars.append((pos, ch))
        pos += _width(ch)
    for i, (start, end) in enumerate(spans):
        cells[i] = "".join(ch for p, ch in chars if start <= p < end).strip()
    return cells


def as_page(output: str) -> str:
    """The CLI's output as an HTML page for the report checker: titles and notes as
    paragraphs (finding codes and park.toml keys marked as written, as the report does),
    headers as header cells, cells of name/code columns (kind id or text) untranslated."""
    from greenpark.report.html import mark_codes

    names, parts = _headers(), []
    lines = output.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        rule = lines[i + 1] if i + 1 < len(lines) else ""
        if rule and set(rule) <= {"-", " "} and "-" in rule:
            spans = [m.span() for m in re.finditer(r"-+", rule)]
            heads = _cells(line, spans)
            parts += [f"<th>{html.escape(h)}</th>" for h in heads]
            i += 2
            while i < len(lines) and not lines[i].startswith(NOTES) and lines[i].strip():
                nxt = lines[i + 1] if i + 1 < len(lines) else ""
                if nxt and set(nxt) <= {"-", " "} and "-" in nxt:
                    break  # the next table's header
                for head, cell in zip(heads, _cells(lines[i], spans), strict=True):
                    no = ' translate="no"' if names.get(head) else ""
                    parts.append(f"<td{no}>{html.escape(cell)}</td>")
                i += 1
            continue
        if line.strip():
            parts.append(f"<p>{mark_codes(line)}</p>")
        i += 1
    return "\n".join(parts)


NOTES = ("注：", "Note: ")


def test_the_cli_page_marks_names_and_finds_raw_ids():
    out = (
        "能源消费 2025-12\n"
        "表计编号  energy_tce  名称（英文）\n"
        "--------  ----------  ------------\n"
        "GAS-MAIN        1.00  Suzhou Precision Co\n"
        "注：其他提示（代码 inputs.incomplete）\n"
        "Note: readings cover 96.8 % of the period\n"
    )
    assert english_in_chinese(as_page(out)) == [
        "energy_tce",
        "Note: readings cover 96.8 % of the period",
    ]


@pytest.fixture(scope="module")
def demo_db(demo_report, tmp_path_factory):
    """A copy of the demo database (``pv estimate`` stores a new estimate)."""
    import shutil

    copy = tmp_path_factory.mktemp("cli_language") / "demo.duckdb"
    shutil.copy(demo_report.db, copy)
    return str(copy)


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
def test_every_table_command_is_chinese_with_lang_zh(demo_db, args):
    run = CliRunner().invoke(cli, ["--db", demo_db, *args, "--lang", "zh"])
    assert run.exit_code == 0, run.output
    assert "---" in run.output  # a table was printed
    assert english_in_chinese(as_page(run.output)) == []
    assert "Note:" not in run.output


def test_the_demo_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the demo writes its report under ./reports
    run = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "d.duckdb"), "--lang", "zh"])
    assert run.exit_code == 0, run.output
    assert "零碳园区指标 2025" in run.output and "屋顶光伏潜力" in run.output
    assert english_in_chinese(as_page(run.output)) == []


@pytest.mark.parametrize("args", ENGLISH_COMMANDS, ids=" ".join)
def test_table_commands_are_english_with_lang_en(demo_db, args):
    run = CliRunner().invoke(cli, ["--db", demo_db, *args, "--lang", "en"])
    assert run.exit_code == 0, run.output
    assert chinese_in_english(as_page(run.output)) == []


def test_lang_from_the_environment_and_ids_kept_by_csv(demo_db):
    runner = CliRunner()
    zh = runner.invoke(
        cli, ["--db", demo_db, "energy", "--month", "2025-12"], env={"GREENPARK_LANG": "zh"}
    )
    assert zh.exit_code == 0 and "能源品种" in zh.output and "电网购入" in zh.output
    en = runner.invoke(cli, ["--db", demo_db, "energy", "--month", "2025-12", "--lang", "en"])
    assert "Carrier" in en.output and "grid import" in en.output
    assert "grid_import" not in en.output
    ids = runner.invoke(cli, ["--db", demo_db, "energy", "--month", "2025-12"])
    assert "carrier" in ids.output and "grid_import" in ids.output  # no --lang: column ids
    csv = runner.invoke(
        cli, ["--db", demo_db, "energy", "--month", "2025-12", "--format", "csv", "--lang", "zh"]
    )
    assert csv.stdout.splitlines()[0].startswith("carrier,flow,unit,quantity")
    assert "grid_import" in csv.stdout
    bad = runner.invoke(cli, ["--db", demo_db, "energy", "--month", "2025-12", "--lang", "fr"])
    assert bad.exit_code == 1 and "--lang 'fr': supported languages are zh, en" in bad.output


def _row(output: str, first_cell: str) -> list[str]:
    line = next(t for t in output.splitlines() if t.startswith(first_cell + " "))
    return line.split()


def test_numbers_by_kind_in_the_chinese_table(demo_db):
    runner = CliRunner()
    tce = runner.invoke(cli, ["--db", demo_db, "factors", "list", "--kind", "tce", "--lang", "zh"])
    # GB/T 2589: electricity 0.1229 kgce/kWh, at its full published precision
    assert _row(tce.output, "tce.electricity")[1] == "0.1229"
    grid = runner.invoke(
        cli, ["--db", demo_db, "factors", "list", "--kind", "grid", "--lang", "zh"]
    )
    # MEE & NBS 2024 No.12: national average 2021 0.5568 tCO2/MWh; the year as an integer
    assert _row(grid.output, "grid.average.national.CN.2021")[1:4] == ["0.5568", "tCO2/MWh", "2021"]
    check = runner.invoke(cli, ["--db", demo_db, "check", "--month", "2025-12", "--lang", "zh"])
    # GAS-MAIN (daily register) sent 30 of December's 31 days: 96.8 %, one decimal
    gas = _row(check.output.split("数据完整率 2025-12")[1], "GAS-MAIN")
    assert gas[4:7] == ["31", "30", f"{30 / 31 * 100:.1f}"]
    zc = runner.invoke(cli, ["--db", demo_db, "zero-carbon", "--year", "2025", "--lang", "zh"])
    core = _row(zc.output, "core_small")
    assert re.fullmatch(r"\d+\.\d{4}", core[3]) and core[4] == "tCO2/tce"  # a ratio: 4 decimals
    share = _row(zc.output, "clean_energy_share")
    assert re.fullmatch(r"\d+\.\d", share[3]) and share[4] == "%"  # a percentage: 1 decimal


def test_export_audit_and_xlsx_tables_in_chinese(demo_db, tmp_path):
    from openpyxl import load_workbook

    from greenpark.core.labels import header

    runner = CliRunner()
    book = tmp_path / "审计.xlsx"
    run = runner.invoke(
        cli,
        ["--db", demo_db, "export", "audit", "--month", "2025-12", "--lang", "zh"]
        + ["--output", str(book)],
    )
    assert run.exit_code == 0, run.output
    wb = load_workbook(book)
    assert {"封面", "汇总", "排放计算", "绿电绿证", "累计表读数"} <= set(wb.sheetnames)
    heads = [c.value for c in next(wb["能源"].iter_rows(max_row=1))]
    assert header("energy_tce", "zh") in heads and "energy_tce" not in heads
    en = tmp_path / "audit.xlsx"
    runner.invoke(
        cli, ["--db", demo_db, "export", "audit", "--month", "2025-12", "--output", str(en)]
    )
    assert {"README", "Summary"} <= set(load_workbook(en).sheetnames)
    table = tmp_path / "energy.xlsx"
    run = runner.invoke(
        cli,
        ["--db", demo_db, "export", "energy", "--month", "2025-12", "--format", "xlsx"]
        + ["--lang", "zh", "--output", str(table)],
    )
    assert run.exit_code == 0, run.output
    rows = list(load_workbook(table).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("能源品种", "流向") and "电网购入" in {r[1] for r in rows[1:]}
    csv = runner.invoke(
        cli, ["--db", demo_db, "export", "energy", "--month", "2025-12", "--lang", "zh"]
    )
    assert csv.stdout.startswith("carrier,flow,")  # csv keeps the column ids


def test_finding_values_formatted_by_their_unit(demo_db):
    """The findings table's ``value`` by the finding's unit: GAS-MAIN (daily register)
    sent 30 of December's 31 days, a coverage of 96.8 % with one decimal; csv keeps
    the unrounded value."""
    from greenpark.core.formats import format_number, row_kind

    runner = CliRunner()
    for lang, severity in (("en", "error"), ("zh", "错误")):
        run = runner.invoke(
            cli,
            ["--db", demo_db, "check", "--month", "2025-12", "--show", "findings"]
            + ["--lang", lang, "--format", "table"],
        )
        assert run.exit_code == 0, run.output
        row = _row(run.output, severity)  # error readings.coverage GAS-MAIN from to value unit
        assert row[1:3] == ["readings.coverage", "GAS-MAIN"]
        assert row[7:9] == [f"{30 / 31 * 100:.1f}", "%"] == ["96.8", "%"]
    csv = runner.invoke(
        cli, ["--db", demo_db, "check", "--month", "2025-12", "--format", "csv", "--lang", "en"]
    )
    head, first = csv.stdout.splitlines()[:2]
    assert head == "severity,code,meter_id,start,end,value,unit,message"
    assert float(first.split(",")[5]) == pytest.approx(30 / 31 * 100, rel=1e-14)
    # a gap of 23.75 h missing: hours with 1 decimal, as the coverage's longest gap
    assert format_number(23.75, row_kind("value", "h")) == "23.8"


def test_zero_carbon_notes_show_statuses_from_the_catalogue(demo_db):
    runner = CliRunner()
    table = runner.invoke(cli, ["--db", demo_db, "zero-carbon", "--year", "2025", "--lang", "en"])
    assert table.exit_code == 0, table.output
    basis = next(t for t in table.output.splitlines() if "on every basis" in t)
    assert raw_status_ids(basis) == [] and "(not met)" in basis
    csv = runner.invoke(
        cli, ["--db", demo_db, "zero-carbon", "--year", "2025", "--format", "csv", "--lang", "en"]
    )
    assert raw_status_ids(csv.stderr) == [] and "(not met)" in csv.stderr
    assert "on every basis" in csv.stderr
    zh = runner.invoke(
        cli, ["--db", demo_db, "zero-carbon", "--year", "2025", "--format", "csv", "--lang", "zh"]
    )
    assert english_in_chinese(as_page(zh.stderr)) == [] and "Note:" not in zh.stderr


def test_the_grid_regions_in_english(demo_db):
    """grid_emission_factors.csv: 华北 is North China, 全国 the national average."""
    from greenpark.core.labels import VALUES

    run = CliRunner().invoke(
        cli, ["--db", demo_db, "factors", "list", "--kind", "grid", "--lang", "en"]
    )
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    rule = next(i for i, t in enumerate(lines) if set(t) <= {"-", " "} and "-" in t)
    spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
    heads = _cells(lines[rule - 1], spans)
    notes = {
        cells[0]: cells[heads.index("Note")]
        for cells in (_cells(t, spans) for t in lines[rule + 1 :] if t.startswith("grid."))
    }
    assert len(notes) == 120  # every shipped grid factor
    assert notes["grid.average.region.North China.2021"] == "North China"
    assert notes["grid.average.national.CN.2021"] == "China (national)"
    assert [n for n in notes.values() if CJK.search(n)] == []
    import csv as csv_module
    from importlib import resources

    table = resources.files("greenpark") / "data" / "grid_emission_factors.csv"
    with table.open(encoding="utf-8") as fh:
        areas = {r["area_zh"] for r in csv_module.DictReader(fh)}
    assert areas <= set(VALUES["note"]) and all(VALUES["note"][a][1] == a for a in areas)


PLAN_MACHINE = [
    ["plan", "pathway", "--format", "csv"],
    ["plan", "pathway", "--format", "json"],
    ["plan", "storage", "--size-kwh", "2000", "--format", "csv"],
    ["plan", "storage", "--size-kwh", "2000", "--format", "json"],
]


@pytest.mark.parametrize("args", PLAN_MACHINE, ids=" ".join)
def test_plan_notes_on_stderr_follow_lang(demo_db, args):
    runner = CliRunner()
    en = runner.invoke(cli, ["--db", demo_db, *args, "--lang", "en"])
    assert en.exit_code == 0, en.output
    lines = en.stderr.splitlines()
    assert lines and all(t.startswith("Note: ") for t in lines)
    assert any(t.startswith("Note: assumed: ") for t in lines)
    assert [t for t in lines if CJK.search(t)] == []
    zh = runner.invoke(cli, ["--db", demo_db, *args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    lines = zh.stderr.splitlines()
    assert lines and all(t.startswith("注：") for t in lines)
    assert any(t.startswith("注：假设：") for t in lines)
    # the findings from the message catalogue: no English sentence, no raw code
    findings = [t for t in lines if not t.startswith("注：假设：")]
    assert english_in_chinese(as_page("\n".join(findings))) == []
    assert not any(re.match(r"注：[a-z_]+\.[a-z_]+: ", t) for t in findings)
