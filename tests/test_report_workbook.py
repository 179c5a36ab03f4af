"""The audit workbook: live formulas evaluated by a small formula engine, totals equal to
``greenpark carbon``, hostile strings stay text, deterministic bytes."""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner
from report_park import ENTERPRISE_NAME, GAS_NAME, HOURS, make_report_park

from greenpark.cli import cli

STAMP = "2026-01-05T08:00:00+00:00"
# Reference numbers copied from greenpark/data (shared/reference): Jiangsu 2023 grid
# factor, national residual factor 2023, natural gas NCV / C / OX, GB/T 2589 coefficients.
JIANGSU_TCO2_PER_MWH = 0.5827
RESIDUAL_TCO2_PER_MWH = 0.6096
GAS_NCV_GJ_PER_NM3 = 389.31 / 10_000
GAS_C_TC_PER_TJ = 15.3
GAS_OX = 0.99
ELEC_KGCE_PER_KWH = 0.1229
GAS_KGCE_PER_NM3 = 1.33  # GB/T 2589 at the guideline NCV 38,931 kJ/m3 (was 1.2143)


# ------------------------------------------------------------------ a tiny formula engine
TOKEN = re.compile(
    r"""
    (?P<str>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'[^']+'|[A-Za-z_][A-Za-z0-9_]*)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
  | (?P<func>[A-Z][A-Z0-9.]*(?=\())
  | (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<op><>|>=|<=|[-+*/(),=<>])
  | (?P<ws>\s+)
""",
    re.VERBOSE,
)
FUNCTIONS = {"SUM", "SUMIFS", "IF", "OR", "AND", "ISNUMBER", "MIN", "MAX"}


class Blank(int):
    """An empty cell: 0 in arithmetic, not a number for ISNUMBER, skipped by SUM."""


def tokens(formula: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(formula):
        m = TOKEN.match(formula, pos)
        assert m, f"cannot parse {formula!r} at {pos}"
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group()))
    return out


def translate(toks: list[tuple[str, str]]) -> str:
    """Excel tokens -> a Python expression; IF's branches become lambdas (lazy)."""
    out, i = [], 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "func":
            assert text in FUNCTIONS, f"unsupported function {text}"
            args, i = _args(toks, i + 2)
            parts = [translate(a) for a in args]
            if text == "IF":
                parts = [parts[0]] + [f"(lambda: {p})" for p in parts[1:]]
            out.append(f"F_{text.replace('.', '_')}({', '.join(parts)})")
            continue
        if kind == "ref":
            sheet, _, cells = text.rpartition("!")
            a, _, b = cells.replace("$", "").partition(":")
            out.append(f"REF({sheet.strip(chr(39))!r}, {a!r}, {b or None!r})")
        elif kind == "str":
            out.append(repr(text[1:-1].replace('""', '"')))
        elif text == "=":
            out.append("==")
        elif text == "<>":
            out.append("!=")
        else:
            out.append(text)
        i += 1
    return " ".join(out)


def _args(toks, i):
    """Arguments of a call whose '(' is at i - 1; returns (list of token lists, index after
    ')')."""
    args, current, depth = [], [], 0
    while True:
        kind, text = toks[i]
        if text == "(":
            depth += 1
        elif text == ")":
            if depth == 0:
                args.append(current)
                return [a for a in args if a], i + 1
            depth -= 1
        elif text == "," and depth == 0:
            args.append(current)
            current = []
            i += 1
            continue
        current.append((kind, text))
        i += 1


class Engine:
    """Evaluates every formula of an openpyxl workbook (formulas kept as text)."""

    def __init__(self, wb):
        self.wb, self.cache = wb, {}

    def value(self, sheet: str, ref: str):
        key = (sheet, ref)
        if key not in self.cache:
            raw = self.wb[sheet][ref].value
            if (
                isinstance(raw, str)
                and raw.startswith("=")
                and self.wb[sheet][ref].data_type == "f"
            ):
                self.cache[key] = self.evaluate(sheet, raw[1:])
            else:
                self.cache[key] = Blank(0) if raw is None else raw
        return self.cache[key]

    def evaluate(self, sheet: str, formula: str):
        from openpyxl.utils.cell import get_column_letter, range_boundaries

        def ref(target, a, b):
            target = target or sheet
            if b is None:
                return self.value(target, a)
            c1, r1, c2, r2 = range_boundaries(f"{a}:{b}")
            return [
                self.value(target, f"{get_column_letter(c)}{r}")
                for r in range(r1, r2 + 1)
                for c in range(c1, c2 + 1)
            ]

        env = {
            "REF": ref,
            "F_SUM": f_sum,
            "F_SUMIFS": f_sumifs,
            "F_IF": f_if,
            "F_OR": lambda *a: any(a),
            "F_AND": lambda *a: all(a),
            "F_ISNUMBER": is_number,
            "F_MIN": lambda *a: min(a),
            "F_MAX": lambda *a: max(a),
        }
        return eval(translate(tokens(formula)), env)  # noqa: S307 - our own translation


def is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool | Blank)


def f_sum(*args):
    flat = [v for a in args for v in (a if isinstance(a, list) else [a])]
    return sum(v for v in flat if is_number(v))


def f_sumifs(total, *pairs):
    keep = [True] * len(total)
    for rng, crit in zip(pairs[::2], pairs[1::2], strict=True):
        crit, negate = (crit[2:], True) if str(crit).startswith("<>") else (crit, False)
        keep = [
            k and (str(v).lower() == str(crit).lower()) != negate
            for k, v in zip(keep, rng, strict=True)
        ]
    return sum(v for v, k in zip(total, keep, strict=True) if k and is_number(v))


def f_if(cond, then, other=lambda: False):
    return then() if cond else other()


def evaluate_all(path):
    """Every formula cell of the workbook -> (evaluated, cached) values."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    engine = Engine(wb)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    out[(ws.title, cell.coordinate)] = (
                        engine.value(ws.title, cell.coordinate),
                        cached[ws.title][cell.coordinate].value,
                    )
    return out


def test_engine_handles_what_the_workbook_uses():
    assert (
        translate(tokens('IF(C8>0,C6/C8,"")'))
        == "F_IF(REF('', 'C8', None) > 0, (lambda: REF('', 'C6', None) / REF('', 'C8', None)), "
        "(lambda: ''))"
    )
    assert f_sumifs([1.0, 2.0, 4.0], ["a", "b", "a"], "A") == 5.0
    assert f_sumifs([1.0, 2.0, 4.0], ["a", "total", "a"], "<>total") == 5.0
    assert f_sum([1.0, Blank(0), "x"], 2.0) == 3.0
    assert not is_number(Blank(0))


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def park(tmp_path_factory):
    return make_report_park(tmp_path_factory.mktemp("report_wb"))


@pytest.fixture(scope="module")
def workbook(park, tmp_path_factory):
    from greenpark.report.writer import write_audit
    from greenpark.store import open_store

    path = tmp_path_factory.mktemp("wb") / "audit.xlsx"
    with open_store(park, read_only=True) as store:
        write_audit(store, path, month="2025-12", generated_at=STAMP)
    return path


def _carbon_json(park, *period):
    result = CliRunner().invoke(cli, ["--db", str(park), "carbon", *period, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {r["scope"]: r for r in json.loads(result.stdout)}


def _summary(values):
    items = [
        "scope1_tco2",
        "scope2_location_tco2",
        "scope2_market_tco2",
        "on_site_tco2",
        "total_location_tco2",
        "total_market_tco2",
        "energy_tce",
        "value_added_10k_cny",
        "tco2_per_tce_location",
        "tco2_per_tce_market",
        "tco2_per_10k_cny_location",
        "tce_per_10k_cny",
    ]
    return {
        item: values.get(("Summary", f"C{i}"), (None,))[0] for i, item in enumerate(items, start=2)
    }


# --------------------------------------------------------------------------------- tests
def test_every_formula_evaluates_to_greenpark_carbon_totals(park, workbook):
    values = evaluate_all(workbook)
    assert len(values) > 40
    for (sheet, ref), (evaluated, cached) in values.items():
        if is_number(cached):
            assert evaluated == pytest.approx(cached, rel=1e-12, abs=1e-12), (sheet, ref)
    summary = _summary(values)
    carbon = _carbon_json(park, "--month", "2025-12")
    assert summary["total_location_tco2"] == pytest.approx(
        carbon["total"]["emissions_location_tco2"], rel=1e-12
    )
    assert summary["total_market_tco2"] == pytest.approx(
        carbon["total"]["emissions_market_tco2"], rel=1e-12
    )
    assert summary["energy_tce"] == pytest.approx(carbon["total"]["energy_tce"], rel=1e-12)
    assert summary["scope1_tco2"] == pytest.approx(
        carbon["scope1"]["emissions_location_tco2"], rel=1e-12
    )
    assert summary["scope2_location_tco2"] == pytest.approx(
        carbon["scope2"]["emissions_location_tco2"], rel=1e-12
    )
    assert summary["scope2_market_tco2"] == pytest.approx(
        carbon["scope2"]["emissions_market_tco2"], rel=1e-12
    )
    for (sheet, ref), (evaluated, _) in values.items():
        if sheet == "Summary" and ref.startswith("E") and is_number(evaluated):
            assert abs(evaluated) < 1e-9, ref  # workbook - greenpark difference column


def test_workbook_totals_by_hand(workbook):
    hours = HOURS["2025-12"]
    net_kwh = (100.0 - 1.0) * hours
    gas_nm3 = 5.0 * hours
    gas_factor = GAS_NCV_GJ_PER_NM3 / 1000 * GAS_C_TC_PER_TJ * GAS_OX * 44 / 12
    scope1 = gas_nm3 * gas_factor
    location = net_kwh / 1000 * JIANGSU_TCO2_PER_MWH + scope1
    market = net_kwh / 1000 * RESIDUAL_TCO2_PER_MWH + scope1
    energy = (net_kwh + 10.0 * hours) * ELEC_KGCE_PER_KWH / 1000 + gas_nm3 * GAS_KGCE_PER_NM3 / 1000
    s = _summary(evaluate_all(workbook))
    assert s["scope1_tco2"] == pytest.approx(scope1, rel=1e-9)
    assert s["total_location_tco2"] == pytest.approx(location, rel=1e-9)
    assert s["total_market_tco2"] == pytest.approx(market, rel=1e-9)
    assert s["energy_tce"] == pytest.approx(energy, rel=1e-9)
    import openpyxl

    va = openpyxl.load_workbook(workbook)["Summary"]["C9"].value  # a formula, not typed in
    assert va.startswith("=SUMIFS('Enterprises'!") and s["value_added_10k_cny"] == 1000.0
    assert s["tco2_per_tce_location"] == pytest.approx(location / energy, rel=1e-9)
    assert s["tco2_per_10k_cny_location"] == pytest.approx(location / 1000.0, rel=1e-9)


def test_formulas_link_activity_and_factors(workbook):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    em = wb["Emissions"]
    header = [c.value for c in em[1]]
    assert header[9] == "emissions_tco2 [tCO2]"
    rows = list(em.iter_rows(min_row=2, values_only=True))
    gas = next(r for r in rows if r[2] == "natural_gas")
    assert re.fullmatch(r"='Activity'!I\d+", gas[4])
    assert re.fullmatch(r"='Factors'!C\d+", gas[7])
    assert re.fullmatch(r"=E(\d+)\*H\1", gas[9])
    grid = next(r for r in rows if r[2] == "electricity" and r[3] == "location")
    assert re.fullmatch(r"=E(\d+)/1000\*H\1", grid[9])
    factors = {r[1]: r for r in wb["Factors"].iter_rows(min_row=2, values_only=True)}
    composite = factors["fuel.natural_gas.co2"]
    assert re.fullmatch(r"=C\d+/1000\*C\d+\*C\d+\*44/12", composite[2])
    assert factors["grid.average.province.Jiangsu.2023"][2] == JIANGSU_TCO2_PER_MWH
    assert "MEE" in factors["grid.average.province.Jiangsu.2023"][5]


def test_workbook_structure(workbook):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    for name in (
        "README",
        "Summary",
        "Activity",
        "Factors",
        "Emissions",
        "Energy",
        "Enterprises",
        "Waste" if "Waste" in wb.sheetnames else "Energy",
        "Findings",
        "Coverage",
    ):
        assert name in wb.sheetnames
    for name in ("Activity", "Factors", "Emissions", "Summary", "Energy"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert len(ws.tables) == 1, name
    readme = {r[0]: r[1] for r in wb["README"].iter_rows(values_only=True) if r[0]}
    assert readme["period"] == "2025-12"
    assert readme["generated_at"] == STAMP
    assert readme["greenpark_version"]
    hashes = [
        r
        for r in wb["README"].iter_rows(values_only=True)
        if isinstance(r[3], str) and re.fullmatch(r"[0-9a-f]{64}", r[3])
    ]
    assert len(hashes) == 4  # meters, readings, enterprises, production
    assert wb["Energy"].cell(1, 4).value == "quantity [see unit]"
    assert wb["Energy"]["G1"].value == "energy_tce [tce]"


def test_hostile_strings_stay_text(workbook):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in (GAS_NAME, ENTERPRISE_NAME):
                    found[cell.value] = cell.data_type
    assert found == {GAS_NAME: "s", ENTERPRISE_NAME: "s"}


def test_workbook_bytes_are_deterministic(park, workbook, tmp_path):
    from greenpark.report.writer import write_audit
    from greenpark.store import open_store

    again = tmp_path / "again.xlsx"
    with open_store(park, read_only=True) as store:
        write_audit(store, again, month="2025-12", generated_at=STAMP)
    assert again.read_bytes() == workbook.read_bytes()


def test_export_audit_for_a_year(park, tmp_path):
    out = tmp_path / "sub" / "audit_2025.xlsx"
    result = CliRunner().invoke(
        cli, ["--db", str(park), "export", "audit", "--year", "2025", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    values = evaluate_all(out)
    carbon = _carbon_json(park, "--year", "2025")
    assert _summary(values)["total_market_tco2"] == pytest.approx(
        carbon["total"]["emissions_market_tco2"], rel=1e-12
    )
    assert not math.isnan(_summary(values)["energy_tce"])
    bad = CliRunner().invoke(cli, ["--db", str(park), "export", "audit", "--output", str(out)])
    assert bad.exit_code == 1
    assert "exactly one of --year YYYY or --month YYYY-MM" in bad.output
