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
    from greenpark.loaders.wind_sites import load_wind_demo
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
        results += load_wind_demo(store, data)
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


def latest_full_month(store):
    """The last calendar month (park time) with readings, as a Period."""
    from greenpark.core.periods import Period, to_local

    last = store.con.execute("SELECT max(ts) FROM readings").fetchone()[0]
    if last is None:
        raise GreenparkError("the demo database has no readings")
    tz = store.park().timezone
    return Period.month(to_local(last, tz).date(), tz)


def demo_results(store, month) -> dict:
    """Every table the demo prints, for ``month`` and its year, from the one ledger the
    month's report builds (primed first, so that every table is a slice of it).

    Returns
    -------
    dict of str -> Result
    """
    from greenpark.core.periods import Period
    from greenpark.metrics.carbon.ledger import prime
    from greenpark.metrics.carbon.tables import carbon_by, park_intensities
    from greenpark.metrics.energy import energy_result
    from greenpark.metrics.pv.value import pv_value
    from greenpark.metrics.quality import data_quality
    from greenpark.metrics.zerocarbon import gap_result, indicators_result
    from greenpark.report.builder import report_span

    prime(store, report_span(month)[1])
    year = Period.year(month.last.year, month.timezone)
    return {
        "by_carrier": energy_result(store, month, by="carrier"),
        "by_meter": energy_result(store, month, by="meter"),
        "quality": data_quality(store, month),
        "carbon_year": carbon_by(store, year, by="scope"),
        "intensity": park_intensities(store, month),
        "zero_carbon": indicators_result(store, year),
        "zero_gap": gap_result(store, year),
        "pv_value": pv_value(store),
    }


CSV_FILES = {  # file written -> demo result
    "energy_by_carrier.csv": "by_carrier",
    "energy_by_meter.csv": "by_meter",
    "data_quality.csv": "quality",
    "carbon_by_scope.csv": "carbon_year",
    "intensities.csv": "intensity",
    "zero_carbon_indicators.csv": "zero_carbon",
    "zero_carbon_gap.csv": "zero_gap",
}


def run_demo(
    db_path=None,
    data_dir=None,
    fresh: bool = True,
    fmt: str = "table",
    output_dir: str | Path = "reports",
    echo=print,
    lang: str | None = None,
) -> Path:
    """Build the demo, print its latest month, and write the tables to ``output_dir``
    beside the month's report; ``lang`` (``zh``/``en``): the tables for people, as
    ``--lang`` gives them (:func:`greenpark.report.output.render`).

    Returns
    -------
    Path
        The folder written (``<output_dir>/demo-park/<YYYY-MM>``).
    """
    from greenpark.metrics.pv.potential import estimate
    from greenpark.report.writer import write_report
    from greenpark.store import open_store

    db_path = Path(db_path or Path(output_dir) / "demo-park.duckdb")
    results = build_demo(db_path, data_dir, fresh)
    rows = sum(r.rows_inserted for r in results)
    from greenpark.report.texts import text

    echo(text("demo_db", lang, db=db_path, files=len(results), rows=f"{rows:,}"))
    with open_store(db_path) as store:
        pv = estimate(store)  # stored (a write, so first): the zero-carbon gap reads it
        park = store.park()
        month = latest_full_month(store)
        r = demo_results(store, month)
        files = write_report(store, "monthly", month, lang="zh", output=output_dir)
    out = Path(output_dir) / park.id / month.label
    _write_tables(out, r, pv)
    _write_summary(files.summary, park, month, db_path, r, pv)
    _print(echo, fmt, park, month, r, pv, lang)
    echo(text("demo_report", lang, html=files.html, xlsx=files.xlsx))
    echo(text("demo_written", lang, folder=f"{out}/"))
    if park.plan.levers:  # park.toml [plan]: illustrative example costs, labelled
        echo(text("demo_plan", lang, db=db_path))
    return out


def _write_tables(out: Path, r: dict, pv) -> None:
    from greenpark.io.csv_writer import write_text_file
    from greenpark.report.output import render

    out.mkdir(parents=True, exist_ok=True)
    for name, key in CSV_FILES.items():
        write_text_file(out / name, render(r[key].frame, "csv"))
    write_text_file(out / "pv_estimate.csv", render(pv.with_park_row(), "csv"))
    write_text_file(out / "pv_value.csv", render(r["pv_value"].to_long(), "csv"))


def _write_summary(path: Path, park, month, db_path, r: dict, pv) -> None:
    """The report's summary.json with the demo's tables added."""
    from greenpark.core.findings import unique
    from greenpark.report.output import records

    summary = {
        "park": park.id,
        "month": month.label,
        "database": str(db_path),
        "energy_by_carrier": records(r["by_carrier"].frame),
        "carbon_by_scope": records(r["carbon_year"].frame),
        "intensities": records(r["intensity"].frame),
        "zero_carbon_indicators": records(r["zero_carbon"].frame),
        "zero_carbon_gap": records(r["zero_gap"].frame)[0],
        "pv_potential": records(pv.summary()),
        "notes": [f.to_dict() for f in unique(r["carbon_year"].findings + r["intensity"].findings)],
        "findings": len(r["quality"].frame),
    }
    report_summary = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(
        json.dumps({**report_summary, **summary}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


ZERO_CARBON_SHOWN = [
    "indicator_id",
    "indicator_zh",
    "value",
    "unit",
    "comparison",
    "threshold",
    "status",
    "confidence",
]


def _print(echo, fmt: str, park, month, r: dict, pv, lang: str | None = None) -> None:
    """The demo's tables, each with its findings under it (as ``emit_result`` does); in
    ``lang`` when given (titles from :mod:`greenpark.report.texts`)."""
    from greenpark.report.output import finding_text, render
    from greenpark.report.texts import items_frame, long_table, text

    def show(frame, title, findings=(), notes=()):
        lines = [*notes, *(finding_text(f, lang) for f in findings)]
        echo(render(frame, fmt, title=title, notes=lines, lang=lang))

    year = month.last.year
    name = park.name_zh if lang == "zh" else park.name if lang else f"{park.name} / {park.name_zh}"
    show(r["by_carrier"].frame, text("demo_energy", lang, park=name, period=month.label))
    carbon_year = r["carbon_year"]
    show(
        carbon_year.frame,
        text("carbon", lang, period=year, by="scope"),
        carbon_year.findings,
    )
    intensity = r["intensity"]
    show(intensity.frame, text("demo_intensity", lang, period=month.label), intensity.findings)
    show(pv.summary(), text("demo_pv", lang), pv.findings)
    value, value_notes = long_table(r["pv_value"].to_long(), lang)
    show(value, text("demo_pv_value", lang), notes=value_notes)
    zero_carbon = r["zero_carbon"]
    zh = lang == "zh"
    definition = text("zc_core", lang) if zh else zero_carbon.inputs["definition"]
    show(
        zero_carbon.frame[ZERO_CARBON_SHOWN],
        text("zc", lang, period=year),
        notes=[definition],
    )
    gap = r["zero_gap"]
    gap_title = text("zc_gap", lang, period=year, basis=gap.inputs["basis"])
    show(items_frame(gap.frame, lang), gap_title)
    quality = r["quality"].frame
    show(quality, text("quality", lang, period=f" {month.label}", n=len(quality)))
