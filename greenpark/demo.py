"""``greenpark demo``: build the demo park database and show its latest month.

The demo loads every file of ``datasets/demo-park/`` the way a park would: the meter
registry, two years of 15-minute readings (wide Parquet), a GBK-encoded gas register
export with Chinese headers, and an Excel inverter export. Then it prints the latest
month's energy by carrier and the data-quality findings, and writes them to
``reports/demo-park/<month>/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from greenpark.core.errors import GreenparkError

GAS_MAP = {"meter_id": "表计编号", "timestamp": "抄表时间", "value": "累计读数(m3)"}


def find_dataset(data_dir: str | Path | None = None) -> Path:
    """Locate ``datasets/demo-park`` (given, under the working directory, or the repo)."""
    candidates = (
        [Path(data_dir)]
        if data_dir
        else [
            Path.cwd() / "datasets" / "demo-park",
            Path(__file__).resolve().parents[1] / "datasets" / "demo-park",
        ]
    )
    for path in candidates:
        if (path / "park.toml").is_file():
            return path
    raise GreenparkError(
        "demo data not found: run from the greenpark repository "
        "(datasets/demo-park/) or pass --data DIR"
    )


def build_demo(
    db_path: str | Path, data_dir: str | Path | None = None, fresh: bool = True, progress=None
) -> list:
    """Create the demo park database from the dataset files.

    Returns
    -------
    list of LoadResult
        One per file loaded.
    """
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import ReadingsOptions, load_readings
    from greenpark.loaders.waste import load_waste_demo
    from greenpark.metrics.pv.potential import load_pv_demo
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    data = find_dataset(data_dir)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", ".wal"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    init_park(str(db_path), data / "park.toml")
    with open_store(db_path) as store:
        results = [load_meters(store, data / "meters.csv")]
        results += load_readings(store, sorted(data.glob("readings_*.parquet")), progress=progress)
        results += load_readings(
            store,
            data / "gas_register_gbk.csv",
            ReadingsOptions(mapping=GAS_MAP),
            progress=progress,
        )
        results += load_readings(store, data / "pv_inverter_export.xlsx", progress=progress)
        results += load_accounting_demo(store, data, progress)
        results += load_waste_demo(store, data)
        results += load_pv_demo(store, data)
    return results


def load_accounting_demo(store, data: Path, progress=None) -> list:
    """Steam meters and readings, enterprises, production, green power."""
    from greenpark.loaders.accounting_inputs import load_accounting_input
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings

    results = [load_meters(store, data / "meters_carbon.csv")]
    results += load_readings(store, data / "steam_daily.csv", progress=progress)
    for kind, name in (
        ("enterprises", "enterprises.csv"),
        ("production", "production.csv"),
        ("green_power", "green_power.csv"),
        ("product_energy", "product_energy.csv"),
    ):
        results.append(load_accounting_input(store, kind, data / name))
    return results


def latest_full_month(store) -> str:
    """The last calendar month (park time) with readings, as ``YYYY-MM``."""
    from greenpark.core.periods import to_local

    last = store.con.execute("SELECT max(ts) FROM readings").fetchone()[0]
    if last is None:
        raise GreenparkError("the demo database has no readings")
    return to_local(last, store.park().timezone).strftime("%Y-%m")


def run_demo(
    db_path=None,
    data_dir=None,
    fresh: bool = True,
    fmt: str = "table",
    output_dir: str | Path = "reports",
    echo=print,
) -> Path:
    """Build the demo, print its latest month, and write the tables to ``output_dir``.

    Returns
    -------
    Path
        The folder written (``<output_dir>/demo-park/<YYYY-MM>``).
    """
    from greenpark.metrics.carbon.tables import carbon_table, intensities
    from greenpark.metrics.energy import energy
    from greenpark.metrics.pv.potential import estimate
    from greenpark.metrics.pv.value import value
    from greenpark.metrics.quality import check
    from greenpark.metrics.zerocarbon import gap, indicators
    from greenpark.report.output import render
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    db_path = Path(db_path or Path(output_dir) / "demo-park.duckdb")
    results = build_demo(db_path, data_dir, fresh)
    rows = sum(r.rows_inserted for r in results)
    echo(f"Demo park database: {db_path} ({len(results)} files, {rows:,} rows loaded)")
    with open_store(db_path) as store:
        pv = estimate(store)  # stored: the zero-carbon gap reads it
        pv_value = value(store).to_long()
        park = store.park()
        month = latest_full_month(store)
        by_carrier = energy(store, month, by="carrier")
        by_meter = energy(store, month, by="meter")
        findings = check(store, month=month)
        carbon_year = carbon_table(store, year=month[:4], by="scope")
        intensity = intensities(store, month)
        zero_carbon = indicators(store, year=month[:4])
        zero_gap = gap(store, month[:4])
    out = Path(output_dir) / park.id / month
    out.mkdir(parents=True, exist_ok=True)
    (out / "energy_by_carrier.csv").write_text(render(by_carrier, "csv"), encoding="utf-8")
    (out / "energy_by_meter.csv").write_text(render(by_meter, "csv"), encoding="utf-8")
    (out / "data_quality.csv").write_text(render(findings, "csv"), encoding="utf-8")
    (out / "carbon_by_scope.csv").write_text(render(carbon_year, "csv"), encoding="utf-8")
    (out / "intensities.csv").write_text(render(intensity, "csv"), encoding="utf-8")
    (out / "zero_carbon_indicators.csv").write_text(render(zero_carbon, "csv"), encoding="utf-8")
    (out / "zero_carbon_gap.csv").write_text(render(zero_gap, "csv"), encoding="utf-8")
    (out / "pv_estimate.csv").write_text(render(pv.with_park_row(), "csv"), encoding="utf-8")
    (out / "pv_value.csv").write_text(render(pv_value, "csv"), encoding="utf-8")
    summary = {
        "park": park.id,
        "month": month,
        "database": str(db_path),
        "energy_by_carrier": json.loads(render(by_carrier, "json")),
        "carbon_by_scope": json.loads(render(carbon_year, "json")),
        "intensities": json.loads(render(intensity, "json")),
        "zero_carbon_indicators": json.loads(render(zero_carbon, "json")),
        "zero_carbon_gap": json.loads(render(zero_gap, "json"))[0],
        "pv_potential": json.loads(render(pv.summary(), "json")),
        "notes": sorted(set(carbon_year.attrs["findings"]) | set(intensity.attrs["findings"])),
        "findings": len(findings),
    }
    with open_store(db_path, read_only=True) as store:
        files = write_report(store, "monthly", month, lang="zh", output=output_dir)
    report_summary = json.loads(files.summary.read_text(encoding="utf-8"))
    files.summary.write_text(
        json.dumps({**report_summary, **summary}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    echo(render(by_carrier, fmt, title=f"{park.name} / {park.name_zh}: energy {month}"))
    echo(
        render(
            carbon_year,
            fmt,
            title=f"Energy and CO2 {month[:4]} by scope",
            notes=carbon_year.attrs["findings"],
        )
    )
    echo(render(intensity, fmt, title=f"Intensities {month}", notes=intensity.attrs["findings"]))
    echo(render(pv.summary(), fmt, title="Rooftop PV potential / 屋顶光伏潜力", notes=pv.notes()))
    echo(render(pv_value, fmt, title="Rooftop PV: self-consumption, CO2 and economics"))
    shown = zero_carbon[
        [
            "indicator_id",
            "indicator_zh",
            "value",
            "unit",
            "comparison",
            "threshold",
            "status",
            "confidence",
        ]
    ]
    echo(
        render(
            shown,
            fmt,
            title=f"Zero-carbon park indicators {month[:4]} / 零碳园区指标",
            notes=[zero_carbon.attrs["definition"]],
        )
    )
    gap_rows = zero_gap.T.reset_index().set_axis(["item", "value"], axis=1).astype(object)
    echo(
        render(
            gap_rows, fmt, title=f"Zero-carbon gap {month[:4]} (basis: {zero_gap.attrs['basis']})"
        )
    )
    echo(render(findings, fmt, title=f"Data quality {month}: {len(findings)} finding(s)"))
    echo(f"Monthly report: {files.html} (audit workbook {files.xlsx})")
    echo(f"Written to {out}/")
    return out
