"""CSVs greenpark writes, opened by a real spreadsheet engine (LibreOffice headless): no
injected cell becomes a formula. The same cells written by Python's csv module (what
greenpark used to do) do become formulas there, so the check can fail."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from db_helpers import make_park

from greenpark.cli import cli
from greenpark.io.csv_writer import csv_text

SOFFICE = shutil.which("soffice")
INJECTED = [
    "ok\r=cmd|' /C calc'!A0",
    "=1+1",
    "+1+2",
    "-3+4",
    "@SUM(1)",
    "\t=1",
    "a\n=2+2",
    'q"=1+1',
]


def formula_cells(xlsx) -> list[tuple[str, str]]:
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    return [(c.coordinate, c.value) for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def convert(tmp_path, *files):
    """LibreOffice: CSV (comma, double quote, UTF-8) -> xlsx, as a user opening it."""
    out = tmp_path / "out"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
         *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {f.stem: out / f"{f.stem}.xlsx" for f in files}


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is installed by .ci/run")
def test_no_injected_cell_becomes_a_formula_in_libreoffice(tmp_path):
    safe = tmp_path / "safe.csv"
    safe.write_text(csv_text(["id", "text"], list(enumerate(INJECTED))), encoding="utf-8")
    naive = tmp_path / "naive.csv"
    with open(naive, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerows([["id", "text"], *enumerate(INJECTED)])
    # The quarantine file, through the loader: bad rows carry user text in every column.
    db = make_park(tmp_path / "park")
    bad = tmp_path / "=bad.csv"
    bad.write_text(
        'meter_id,timestamp,value\n"=1+1",2025-01-01 00:00,1\nM1,"@SUM(1)",2\n'
        "M1,2025-01-01 00:15,\"ok\r=cmd|' /C calc'!A0\"\n",
        encoding="utf-8",
    )
    quarantine = tmp_path / "quarantine.csv"
    out = CliRunner().invoke(
        cli, ["--db", str(db), "load", "readings", "--quarantine", str(quarantine), str(bad)]
    )
    assert out.exit_code == 0, out.output
    text = quarantine.read_bytes().decode("utf-8-sig")  # bare CRs kept
    assert "'=bad.csv" in text and "'=1+1" in text and "'@SUM(1)" in text and "\r'=cmd" in text
    books = convert(tmp_path, safe, naive, quarantine)
    assert formula_cells(books["naive"]), "control: Python's csv output should give formulas"
    assert formula_cells(books["safe"]) == []
    assert formula_cells(books["quarantine"]) == []
