"""A lake that cannot be trusted is refused with an error naming the path; nothing in it
is changed. A small lake of two generated parks is built once and copied per test."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from greenpark.cli.app import cli
from greenpark.lake.export import export_park
from greenpark.lake.layout import LakeError, check_park_id
from greenpark.lake.rollup import rollup
from greenpark.lake.synthetic import SyntheticPark, build_park
from greenpark.store import open_store

Q1 = tuple(range(4, 13))  # missing months: data for January to March 2025 only
SPECS = [
    SyntheticPark("A1", imp_kwh=50.0, missing_months=Q1),
    SyntheticPark("B2", imp_kwh=70.0, province="Zhejiang", missing_months=Q1),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    dbs = {}
    for s in SPECS:
        dbs[s.park_id] = build_park(s, root / s.park_id)
        with open_store(dbs[s.park_id], read_only=True) as store:
            export_park(store, root / "lake")
    return root / "lake", dbs


@pytest.fixture
def lake(built, tmp_path):
    copy = tmp_path / "lake"
    shutil.copytree(built[0], copy)
    return copy


def snapshot(lake: Path) -> dict:
    return {
        str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def refused(lake: Path, fragment: str, where: Path) -> None:
    """The roll-up (API and CLI) is refused naming ``where``; the lake is unchanged."""
    before = snapshot(lake)
    with pytest.raises(LakeError) as caught:
        rollup(lake, "2025")
    assert str(where) in str(caught.value) and fragment in str(caught.value)
    run = CliRunner().invoke(cli, ["rollup", "--lake", str(lake), "--year", "2025"])
    assert run.exit_code == 1 and str(where) in run.output and "Traceback" not in run.output
    assert snapshot(lake) == before


def manifest_of(lake: Path) -> dict:
    return json.loads((lake / "_manifest.json").read_text(encoding="utf-8"))


def test_the_small_lake_rolls_up(lake):
    result = rollup(lake, "2025")
    hours = (31 + 28 + 31) * 24
    assert result.inputs["parks"]["grid_import_kwh"].tolist() == [50.0 * hours, 70.0 * hours]


def test_missing_manifest(lake):
    (lake / "_manifest.json").unlink()
    refused(lake, "missing", lake / "_manifest.json")


def test_layout_version_from_the_future(lake):
    manifest = manifest_of(lake)
    manifest["layout_version"] = 2
    (lake / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused(lake, "layout version 2 is newer", lake / "_manifest.json")


def test_partial_park_directory(lake):
    stray = lake / "readings" / "park_id=C3" / "year=2025" / "month=01"
    stray.mkdir(parents=True)
    shutil.copy(lake / "readings/park_id=A1/year=2025/month=01/part-0.parquet", stray)
    refused(lake, "does not list", lake / "readings" / "park_id=C3")


def test_missing_file_of_a_listed_park(lake):
    gone = lake / "ledger/park_id=B2/year=2025/month=02/part-0.parquet"
    gone.unlink()
    refused(lake, "missing", gone)


def test_same_park_under_two_ids_in_the_manifest(lake):
    manifest = manifest_of(lake)
    manifest["parks"]["B2"]["fingerprint"] = manifest["parks"]["A1"]["fingerprint"]
    (lake / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused(lake, "the same readings as park 'A1'", lake / "readings" / "park_id=B2")


def test_same_park_exported_twice_under_another_id_is_refused(lake, tmp_path):
    twin = SyntheticPark(**{**SPECS[0].__dict__, "park_id": "A1-COPY"})
    before = snapshot(lake)
    with open_store(build_park(twin, tmp_path / "twin"), read_only=True) as store:
        with pytest.raises(LakeError, match="already in the lake as park 'A1'") as caught:
            export_park(store, lake)
    assert str(lake / "readings" / "park_id=A1-COPY") in str(caught.value)
    assert snapshot(lake) == before
    assert not [p for p in lake.iterdir() if p.name.startswith(".staging")]


def test_mixed_units(lake):
    meters = lake / "meters/park_id=B2/part-0.parquet"
    tmp = meters.with_suffix(".tmp")
    con = duckdb.connect()
    sql = "SELECT * REPLACE (CASE WHEN carrier = 'electricity' THEN 'MWh' ELSE unit END AS unit) "
    con.sql(sql + "FROM read_parquet(?)", params=[str(meters)]).write_parquet(str(tmp))
    con.close()
    tmp.replace(meters)
    manifest = manifest_of(lake)
    manifest["parks"]["B2"]["files"]["meters/park_id=B2/part-0.parquet"]["bytes"] = (
        meters.stat().st_size
    )
    (lake / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused(lake, "carrier 'electricity' in 'MWh'", meters)


def test_a_file_changed_after_export(lake):
    changed = lake / "waste/park_id=A1/part-0.parquet"
    changed.write_bytes(changed.read_bytes() + b"x")
    refused(lake, "changed after export", changed)


def test_export_into_a_directory_that_is_not_a_lake(built, tmp_path):
    folder = tmp_path / "not-a-lake"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with open_store(built[1]["A1"], read_only=True) as store:
        with pytest.raises(LakeError, match="not a greenpark lake"):
            export_park(store, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    run = CliRunner().invoke(
        cli, ["--db", str(built[1]["A1"]), "export", "lake", "--output", str(folder)]
    )
    assert run.exit_code == 1 and str(folder / "_manifest.json") in run.output


def test_park_ids_must_be_ascii():
    assert check_park_id("P-01_a") == "P-01_a"
    for bad in ("苏州园区", "a/b", "../x", "", "x" * 65, "a b", "park_id=1"):
        with pytest.raises(LakeError, match="ASCII"):
            check_park_id(bad)


def test_unknown_park_and_no_data_in_the_period(lake):
    with pytest.raises(LakeError, match="park 'ZZ' is not in the lake"):
        rollup(lake, "2025", parks=["ZZ"])
    with pytest.raises(LakeError, match="no readings files for 2024"):
        rollup(lake, "2024")
