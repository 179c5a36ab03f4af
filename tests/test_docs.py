"""The documentation runs: README.md and docs/*.md.

* Every ```python block runs against the demo database, built once for this module by
  ``greenpark demo`` (:func:`greenpark.demo.run_demo`) into a temporary folder. The
  blocks keep the path the README uses, ``reports/demo-park.duckdb``: they run with the
  working directory set to that folder (nothing in the text is substituted). The blocks
  of one file run in order in one namespace, as a reader would paste them.
* Every ```bash command line of the README's "Your own park" section runs, in order, as
  a bash command (so ``2025-*.csv`` and ``> ledger.csv`` work as typed) with the
  installed ``greenpark`` first on PATH, in a folder holding small input files built
  here by hand: park.toml (the README's own ```toml block), meters.csv, monthly reading
  CSVs, a GBK register export with Chinese headers, enterprises.csv, production.xlsx,
  gec_2025.csv and waste_ledger.xlsx. Each line must exit 0. ``CANNOT_RUN`` lists any
  line that cannot run here, with the reason (empty: every line runs).
* Every ```toml block parses with :func:`greenpark.core.config.parse_park_config`. A
  block without a ``[park]`` table is a fragment showing one section: it is parsed after
  a minimal ``[park]`` table (``MINIMAL_PARK``).
* Every path the docs cite (``greenpark/...py``, ``docs/...md``, ``datasets/...``,
  ``benchmarks/...py``, ``tests/...py``) exists in the repository.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
PATH_REF = re.compile(
    r"(?<![\w/.-])(?:greenpark/[\w/]+(?:\.(?:py|csv|txt|md)|/)|docs/[\w/.-]+\.(?:md|png)"
    r"|datasets/[\w/.-]*[\w/]|benchmarks/[\w/]+\.py|tests/[\w/]+\.py)"
)
MINIMAL_PARK = '[park]\nid = "docs"\nname = "Docs"\ntimezone = "Asia/Shanghai"\n'
# README "Your own park" lines that cannot run in a test, with the reason (none today).
CANNOT_RUN: dict[str, str] = {}


def fenced(path: Path, language: str, text: str | None = None) -> list[str]:
    """The bodies of the ```language blocks of ``path`` (or of ``text``)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    return [body for lang, body in FENCE.findall(text) if lang == language]


def section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next ``## `` heading."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def command_lines(script: str) -> list[str]:
    """Logical lines of a bash block: continuations joined, blank and comment lines out."""
    joined = re.sub(r"\\\n\s*", " ", script)
    return [line.strip() for line in joined.splitlines() if line.strip() and line[0] != "#"]


# --- python blocks ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    from greenpark.demo import run_demo

    folder = tmp_path_factory.mktemp("demo")
    reports = folder / "reports"
    run_demo(db_path=reports / "demo-park.duckdb", output_dir=reports, echo=lambda *a: None)
    return folder


PYTHON_DOCS = [p for p in DOCS if fenced(p, "python")]


def test_the_readme_and_the_architecture_have_python_examples():
    names = {p.name for p in PYTHON_DOCS}
    assert {"README.md", "architecture.md"} <= names


@pytest.mark.parametrize("path", PYTHON_DOCS, ids=lambda p: p.name)
def test_python_blocks_run_against_the_demo(path, demo_folder, monkeypatch):
    from greenpark.store import Store

    monkeypatch.chdir(demo_folder)
    namespace: dict = {"__name__": f"docs_{path.stem}"}
    try:
        for number, block in enumerate(fenced(path, "python"), start=1):
            code = compile(block, f"{path.name} python block {number}", "exec")
            exec(code, namespace)  # noqa: S102 - the documentation's own examples
    finally:
        for value in list(namespace.values()):
            if isinstance(value, Store):
                value.close()


# --- bash lines of "Your own park" ---------------------------------------------------------


def readme_own_park() -> str:
    return section((ROOT / "README.md").read_text(encoding="utf-8"), "Your own park")


METERS_CSV = """\
meter_id,name,carrier,role,unit,reading_type,multiplier,register_max,parent_id,enterprise_id
GRID-IMP,Park grid import,electricity,grid_import,kWh,interval,1,,,
GAS,Park gas main,natural_gas,fuel,m3,interval,1,,,
E01-M,E01 main meter,electricity,submeter,kWh,interval,1,,GRID-IMP,E01
E02-REG,E02 register meter,electricity,submeter,kWh,register,1,99999999,GRID-IMP,E02
"""
ENTERPRISES_CSV = """\
enterprise_id,name,name_zh,industry,leading_industry
E01,Battery Pack Co.,电池包公司,new_energy_vehicle_parts,true
E02,Pharma Co.,制药公司,biomedicine,true
"""
GEC_CSV = """\
instrument_id,type,mwh,period_start,period_end,vintage,enterprise_id,reference
GEC-2025-E01,gec,20,2025-01-01,2025-12-31,2025-03,E01,GEC-202503-0001
"""


def readings_csv(month: dt.date) -> str:
    """Hourly readings of a whole month, park local time: grid, E01 and gas."""
    rows = ["meter_id,timestamp,value"]
    hour = dt.datetime(month.year, month.month, 1)
    while hour.month == month.month:
        stamp, load = f"{hour:%Y-%m-%d %H:%M}", 8 + hour.hour % 12  # a daily shape
        rows += [
            f"GRID-IMP,{stamp},{10 * load}",
            f"E01-M,{stamp},{4 * load}",
            f"GAS,{stamp},{load / 4}",
        ]
        hour += dt.timedelta(hours=1)
    return "\n".join(rows) + "\n"


def register_export_gbk(path: Path) -> None:
    """A GBK meter-system export with Chinese headers: daily register readings of E02."""
    rows = ["表计编号,采集时间,正向有功总电能"]
    for day in range(1, 31):
        rows.append(f"E02-REG,2025-06-{day:02d} 00:00,{10000 + 480 * (day - 1) + day % 3 * 7}")
    path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)


def own_park_files(folder: Path) -> None:
    (folder / "park.toml").write_text(fenced(ROOT / "README.md", "toml", readme_own_park())[0])
    (folder / "meters.csv").write_text(METERS_CSV)
    for month in (dt.date(2025, 6, 1), dt.date(2025, 12, 1)):
        (folder / f"{month:%Y-%m}.csv").write_text(readings_csv(month))
    register_export_gbk(folder / "export.csv")
    (folder / "enterprises.csv").write_text(ENTERPRISES_CSV, encoding="utf-8")
    (folder / "gec_2025.csv").write_text(GEC_CSV)
    write_xlsx(
        folder / "production.xlsx",
        ["enterprise_id", "month", "value_added_10k_cny"],
        [
            [e, f"2025-{m:02d}", va]
            for e, va in (("E01", 900.0), ("E02", 450.0))
            for m in range(1, 13)
        ],
    )
    write_xlsx(
        folder / "waste_ledger.xlsx",
        [
            "month",
            "enterprise_id",
            "stream",
            "category",
            "hw_code",
            "unit",
            "generated",
            "utilized",
            "disposed",
            "route",
        ],
        [
            [
                "2025-06",
                "E01",
                "E01-SCRAP",
                "general_industrial_solid",
                None,
                "t",
                12,
                11,
                1,
                "recycling",
            ],
            ["2025-06", "E02", "E02-OIL", "hazardous", "HW08", "kg", 800, 0, 800, "incineration"],
        ],
    )


def test_the_own_park_section_has_command_lines():
    lines = [
        line
        for b in fenced(ROOT / "README.md", "bash", readme_own_park())
        for line in command_lines(b)
    ]
    assert len(lines) >= 10 and lines[0].startswith("greenpark --db park.duckdb init")


def test_readme_own_park_commands_run(tmp_path):
    own_park_files(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "GREENPARK_DB"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    failures, ran = [], 0
    for block in fenced(ROOT / "README.md", "bash", readme_own_park()):
        for line in command_lines(block):
            if line in CANNOT_RUN:
                continue
            done = subprocess.run(
                ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True
            )
            ran += 1
            if done.returncode != 0:
                failures.append(f"{line}\n  exit {done.returncode}: {done.stderr[-800:]}")
    assert failures == [], "\n".join(failures)
    assert ran >= 10
    assert (tmp_path / "ledger.csv").read_text().startswith("month")


# --- toml blocks --------------------------------------------------------------------------


TOML_BLOCKS = [(p, n, b) for p in DOCS for n, b in enumerate(fenced(p, "toml"), start=1)]


@pytest.mark.parametrize(
    ("path", "number", "block"), TOML_BLOCKS, ids=[f"{p.name}-{n}" for p, n, _ in TOML_BLOCKS]
)
def test_toml_blocks_are_valid_park_config(path, number, block):
    from greenpark.core.config import parse_park_config

    text = block if re.search(r"^\[park\]", block, re.MULTILINE) else MINIMAL_PARK + block
    parse_park_config(text, source=f"{path.name} toml block {number}")


# --- cited paths ----------------------------------------------------------------------------


def test_every_cited_path_exists():
    missing = []
    for path in DOCS + [ROOT / "datasets" / "demo-park" / "README.md"]:
        for ref in PATH_REF.findall(path.read_text(encoding="utf-8")):
            if not (ROOT / ref.rstrip("/")).exists():
                missing.append(f"{path.relative_to(ROOT)}: {ref}")
    assert missing == []


def test_the_path_pattern_finds_references():
    text = "see `greenpark/metrics/energy.py`, docs/cli.md and datasets/demo-park/ (x/tests/a.py)"
    assert PATH_REF.findall(text) == [
        "greenpark/metrics/energy.py",
        "docs/cli.md",
        "datasets/demo-park/",
    ]


DOTTED = re.compile(r"(?<![\w/.-])greenpark(?:\.[A-Za-z_]\w*)+")


def resolve(dotted: str):
    """Import the longest module prefix of ``dotted``, then get the rest as attributes."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_every_cited_module_and_name_imports():
    broken = []
    for path in DOCS + [ROOT / "datasets" / "demo-park" / "README.md"]:
        for ref in sorted(set(DOTTED.findall(path.read_text(encoding="utf-8")))):
            if ref.endswith((".duckdb", ".toml")):
                continue  # file names (greenpark.duckdb), not modules
            try:
                resolve(ref)
            except (ImportError, AttributeError) as exc:
                broken.append(f"{path.relative_to(ROOT)}: {ref} ({exc})")
    assert broken == []


def layout_table() -> dict[str, str]:
    """The rows of docs/architecture.md's "What lives where": package -> modules cell."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(greenpark/[\w/]*)` \| (.*) \|$", text, re.MULTILINE)
    return dict(rows)


def test_the_architecture_lists_every_module_where_it_lives():
    table = layout_table()
    packages = {
        p.parent.relative_to(ROOT).as_posix() + "/"
        for p in (ROOT / "greenpark").rglob("__init__.py")
    }
    assert packages - {"greenpark/"} == set(table), "a package without a row, or a row too many"
    problems = []
    for package, cell in table.items():
        named = set(re.findall(r"`(\w+\.py)`", cell))
        present = {
            p.name
            for p in (ROOT / package).glob("*.py")
            if p.name != "__init__.py" or p.name in named
        }
        problems += [f"{package}: {m} not in the tree" for m in sorted(named - present)]
        problems += [f"{package}: {m} not listed" for m in sorted(present - named)]
    assert problems == []
