"""Roll many parks up: one SQL text, run on DuckDB or Spark, then ratios of sums.

The SQL (:data:`PARK_SQL`, :data:`GROUP_SQL`) only sums: energy, emissions by scope and
basis, value added, grid and PV electricity from the readings, waste, clean energy and
the counts behind coverage and findings, per park and per group. Every ratio
(intensities, rates, shares) is computed afterwards from those sums by greenpark's own
formulas (:func:`add_ratios`), so a group's ratio is a ratio of sums, never a mean of
the parks' ratios. References: docs/methodology.md, "Roll-ups across parks".
"""

from __future__ import annotations

import os
from pathlib import Path

from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.lake.check import check_lake
from greenpark.lake.engines import open_engine
from greenpark.lake.layout import MONTHLY_TABLES, TABLES, LakeError, check_park_id

GROUPS = {  # --group-by -> the park attribute (code-only SQL text)
    "park": "p.park_id",
    "province": "p.province",
    "operator": "p.operator",
    "industry": "p.industry",
}
READ_TABLES = ("readings", "ledger", "park", "meters", "production", "waste", "findings",
               "park_months")  # fmt: skip
NONE_GROUP = "(none)"

_MONTHLY = """
led AS (
  SELECT park_id, make_date(CAST(year AS INT), CAST(month AS INT), 1) AS month,
    SUM(energy_tce) AS energy_tce,
    SUM(CASE WHEN basis IN ('location', 'both') THEN emissions_tco2 ELSE 0 END)
      AS emissions_location_tco2,
    SUM(CASE WHEN basis IN ('market', 'both') THEN emissions_tco2 ELSE 0 END)
      AS emissions_market_tco2,
    SUM(CASE WHEN scope = 'scope1' THEN emissions_tco2 ELSE 0 END) AS scope1_tco2,
    SUM(CASE WHEN scope = 'scope2' AND basis IN ('location', 'both') THEN emissions_tco2
        ELSE 0 END) AS scope2_location_tco2,
    SUM(CASE WHEN scope = 'scope2' AND basis IN ('market', 'both') THEN emissions_tco2
        ELSE 0 END) AS scope2_market_tco2,
    SUM(CASE WHEN scope = 'scope2' AND basis = 'location' AND source = 'electricity'
        THEN emissions_tco2 ELSE 0 END) AS grid_location_tco2,
    SUM(CASE WHEN scope = 'scope2' AND basis = 'location' AND source = 'electricity'
        THEN quantity ELSE 0 END) AS grid_net_kwh,
    SUM(CASE WHEN scope = 'scope2' AND basis = 'market' AND source = 'electricity'
        AND factor_id <> 'zero_emission' THEN emissions_tco2 ELSE 0 END) AS grid_residual_tco2,
    SUM(CASE WHEN scope = 'scope2' AND basis = 'market' AND source = 'electricity'
        AND factor_id <> 'zero_emission' THEN quantity ELSE 0 END) AS grid_residual_kwh
  FROM ledger GROUP BY park_id, year, month),
rd AS (
  SELECT r.park_id, make_date(CAST(r.year AS INT), CAST(r.month AS INT), 1) AS month,
    SUM(CASE WHEN m.role = 'grid_import' THEN r.value ELSE 0 END) AS grid_import_kwh,
    SUM(CASE WHEN m.role = 'grid_export' THEN r.value ELSE 0 END) AS grid_export_kwh,
    SUM(CASE WHEN m.role = 'pv_generation' THEN r.value ELSE 0 END) AS pv_generation_kwh,
    COUNT(*) AS readings
  FROM readings r JOIN meters m ON r.park_id = m.park_id AND r.meter_id = m.meter_id
  GROUP BY r.park_id, r.year, r.month),
prod AS (
  SELECT park_id, SUM(value_added_10k_cny) AS value_added_10k_cny FROM production
  WHERE month IN (SELECT month FROM gp_months) GROUP BY park_id),
wst AS (
  SELECT park_id,
    SUM(CASE WHEN category IN ('general_industrial_solid', 'hazardous') THEN generated_t
        ELSE 0 END) AS industrial_generated_t,
    SUM(CASE WHEN category IN ('general_industrial_solid', 'hazardous') THEN utilized_t
        ELSE 0 END) AS industrial_utilized_t,
    SUM(CASE WHEN category IN ('general_industrial_solid', 'hazardous')
        THEN utilized_from_storage_t ELSE 0 END) AS industrial_ufs_t
  FROM waste WHERE month IN (SELECT month FROM gp_months) GROUP BY park_id),
pm AS (
  SELECT park_id, SUM(clean_energy_tce) AS clean_energy_tce FROM park_months
  WHERE month IN (SELECT month FROM gp_months) GROUP BY park_id),
fnd AS (
  SELECT park_id,
    SUM(CASE WHEN severity = 'error' THEN 1 ELSE 0 END) AS findings_error,
    SUM(CASE WHEN severity = 'warning' THEN 1 ELSE 0 END) AS findings_warning
  FROM findings WHERE month IN (SELECT month FROM gp_months) GROUP BY park_id),
pk AS (
  SELECT l.park_id, COUNT(*) AS months_with_data,
    SUM(l.energy_tce) AS energy_tce,
    SUM(l.emissions_location_tco2) AS emissions_location_tco2,
    SUM(l.emissions_market_tco2) AS emissions_market_tco2,
    SUM(l.scope1_tco2) AS scope1_tco2,
    SUM(l.scope2_location_tco2) AS scope2_location_tco2,
    SUM(l.scope2_market_tco2) AS scope2_market_tco2,
    SUM(l.grid_location_tco2) AS grid_location_tco2,
    SUM(l.grid_net_kwh) AS grid_net_kwh,
    SUM(l.grid_residual_tco2) AS grid_residual_tco2,
    SUM(l.grid_residual_kwh) AS grid_residual_kwh,
    SUM(COALESCE(r.grid_import_kwh, 0)) AS grid_import_kwh,
    SUM(COALESCE(r.grid_export_kwh, 0)) AS grid_export_kwh,
    SUM(COALESCE(r.pv_generation_kwh, 0)) AS pv_generation_kwh,
    SUM(COALESCE(r.readings, 0)) AS readings
  FROM led l LEFT JOIN rd r ON l.park_id = r.park_id AND l.month = r.month
  GROUP BY l.park_id),
base AS (
  SELECT p.park_id, p.name, p.name_zh, p.province, p.operator, p.industry,
    p.emissions_basis,
    COALESCE(k.months_with_data, 0) AS months_with_data,
    COALESCE(k.energy_tce, 0) AS energy_tce,
    COALESCE(k.emissions_location_tco2, 0) AS emissions_location_tco2,
    COALESCE(k.emissions_market_tco2, 0) AS emissions_market_tco2,
    COALESCE(k.scope1_tco2, 0) AS scope1_tco2,
    COALESCE(k.scope2_location_tco2, 0) AS scope2_location_tco2,
    COALESCE(k.scope2_market_tco2, 0) AS scope2_market_tco2,
    COALESCE(k.grid_location_tco2, 0) AS grid_location_tco2,
    COALESCE(k.grid_net_kwh, 0) AS grid_net_kwh,
    COALESCE(k.grid_residual_tco2, 0) AS grid_residual_tco2,
    COALESCE(k.grid_residual_kwh, 0) AS grid_residual_kwh,
    COALESCE(k.grid_import_kwh, 0) AS grid_import_kwh,
    COALESCE(k.grid_export_kwh, 0) AS grid_export_kwh,
    COALESCE(k.pv_generation_kwh, 0) AS pv_generation_kwh,
    COALESCE(k.readings, 0) AS readings,
    COALESCE(d.value_added_10k_cny, 0) AS value_added_10k_cny,
    COALESCE(w.industrial_generated_t, 0) AS industrial_generated_t,
    COALESCE(w.industrial_utilized_t, 0) AS industrial_utilized_t,
    COALESCE(w.industrial_ufs_t, 0) AS industrial_ufs_t,
    COALESCE(c.clean_energy_tce, 0) AS clean_energy_tce,
    COALESCE(f.findings_error, 0) AS findings_error,
    COALESCE(f.findings_warning, 0) AS findings_warning
  FROM park p LEFT JOIN pk k ON p.park_id = k.park_id
  LEFT JOIN prod d ON p.park_id = d.park_id LEFT JOIN wst w ON p.park_id = w.park_id
  LEFT JOIN pm c ON p.park_id = c.park_id LEFT JOIN fnd f ON p.park_id = f.park_id)
"""
ATTRIBUTES = ["park_id", "province", "operator", "industry"]
SUMMED = [
    "months_with_data",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "grid_location_tco2",
    "grid_net_kwh",
    "grid_residual_tco2",
    "grid_residual_kwh",
    "grid_import_kwh",
    "grid_export_kwh",
    "pv_generation_kwh",
    "readings",
    "value_added_10k_cny",
    "industrial_generated_t",
    "industrial_utilized_t",
    "industrial_ufs_t",
    "clean_energy_tce",
    "findings_error",
    "findings_warning",
]
PARK_SQL = f"WITH {_MONTHLY} SELECT * FROM base ORDER BY park_id"  # noqa: S608 - code only
_GROUP_SELECT = ", ".join(f"SUM({c}) AS {c}" for c in SUMMED)


def group_sql(group_by: str) -> str:
    """The roll-up per group of ``group_by`` (a key of :data:`GROUPS`): sums only, over
    ``gp_base`` (the per-park sums of :data:`PARK_SQL`, registered back on the engine)."""
    if group_by not in GROUPS:
        raise LakeError(f"--group-by {group_by!r}: use one of {', '.join(GROUPS)}")
    key = GROUPS[group_by].replace("p.", "")
    return (
        f"SELECT COALESCE({key}, '{NONE_GROUP}') AS group_key, "  # noqa: S608
        f"COUNT(*) AS parks, {_GROUP_SELECT} FROM gp_base GROUP BY COALESCE({key}, "
        f"'{NONE_GROUP}') ORDER BY group_key"
    )


def rollup(
    lake: str | os.PathLike,
    period: Period | str,
    parks: list[str] | None = None,
    group_by: str = "park",
    engine: str = "duckdb",
    master: str | None = None,
    session=None,
) -> Result:
    """Roll the parks of ``lake`` up over ``period``.

    Parameters
    ----------
    lake : str or path-like
        The lake directory (read only; nothing in it is written).
    period : Period or str
        Park-local months (``2025``, ``2025-06``, ``2025-01..2025-06``).
    parks : list of str, optional
        Only these park ids (default: all).
    group_by : str
        ``park``, ``province``, ``operator`` or ``industry``.
    engine : str
        ``duckdb`` (default) or ``spark``.
    master : str, optional
        Spark master URL (default: spark-submit's or ``local[*]``).
    session : pyspark.sql.SparkSession, optional
        An open session to use (it is not stopped).

    Returns
    -------
    Result
        frame: one row per group, :data:`SUMMED` sums then the ratios of
        :func:`add_ratios`; ``inputs["parks"]``: the per-park frame with each park's
        threshold and distance to it (:func:`park_distances`); findings: each park's
        coverage and findings, carried up.
    """
    period = Period.parse(period) if isinstance(period, str) else period
    parks_frame, groups = run_sql(lake, period, parks, group_by, engine, master, session)
    n_months = period.n_months
    parks_frame = park_distances(add_ratios(parks_frame, n_months), n_months)
    groups = add_ratios(groups, n_months, parks_frame, group_by)
    findings = carried_findings(parks_frame, period, group_by)
    inputs = {
        "period": period.label,
        "group_by": group_by,
        "engine": engine,
        "lake": str(lake),
        "parks": parks_frame,
    }
    return Result(groups, findings, inputs)


def run_sql(lake, period: Period, parks, group_by: str, engine: str, master=None, session=None):
    """Check the lake, register its files for ``period`` and run both SQL texts.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Per park and per group: the sums, as each engine returns them (floats).
    """
    import pandas as pd

    manifest, selected = check_lake(lake, parks)
    base = Path(lake)
    wanted = {f"year={m.year:04d}/month={m.month:02d}/" for m in period.months}
    for table in READ_TABLES:
        if not _has_files(manifest, selected, table, wanted):
            raise LakeError(f"{base / table}: no {table} files for {period.label}")
    everyone = len(selected) == len(manifest["parks"])
    runner = open_engine(engine, master=master, session=session)
    try:
        for table in READ_TABLES:
            monthly = table in MONTHLY_TABLES
            where = partition_predicate(None if everyone else selected, period if monthly else None)
            kwargs = {"columns": TABLES[table]} if runner.name == "spark" else {}
            runner.register_table(table, str(base / table), monthly, where, **kwargs)
        runner.register_frame("gp_months", pd.DataFrame({"month": period.months}))
        per_park = _floats(runner.sql(PARK_SQL))
        runner.register_frame("gp_base", per_park[[*ATTRIBUTES, *SUMMED]])
        groups = _floats(runner.sql(group_sql(group_by)))
    finally:
        runner.close()
    return per_park, groups


def _has_files(manifest: dict, selected: list[str], table: str, wanted: set) -> bool:
    """Whether the manifest lists a file of ``table`` for the parks and months asked."""
    for park_id in selected:
        for rel in manifest["parks"][park_id]["files"]:
            if rel.startswith(f"{table}/") and (
                table not in MONTHLY_TABLES
                or rel.split("/", 2)[2][: len("year=2025/month=01/")] in wanted
            ):
                return True
    return False


def partition_predicate(parks: list[str] | None, period: Period | None) -> str:
    """A SQL predicate on the partition columns (text on both engines) that both engines
    prune partitions by: the parks (None: all) and the months of ``period`` (None: all).
    Park ids are checked ASCII (:func:`greenpark.lake.layout.check_park_id`), so quoting
    them is safe."""
    terms = []
    if parks is not None:
        terms.append("park_id IN (" + ", ".join(f"'{check_park_id(p)}'" for p in parks) + ")")
    if period is not None:
        by_year: dict[int, list[str]] = {}
        for m in period.months:
            by_year.setdefault(m.year, []).append(f"'{m.month:02d}'")
        terms.append(
            "("
            + " OR ".join(
                f"(year = '{y:04d}' AND month IN ({', '.join(ms)}))" for y, ms in by_year.items()
            )
            + ")"
        )
    return " AND ".join(terms) or "TRUE"


def _floats(frame):
    for col in SUMMED:
        if col in frame.columns:
            frame[col] = frame[col].astype(float)
    return frame


def add_ratios(frame, n_months: int, parks=None, group_by: str = "park"):
    """Ratios of the summed columns (numerators and denominators summed first).

    Columns added: ``coverage_pct`` (months with ledger lines of the months asked, over
    the parks) and the intensities and rates below [tCO2/tce, tce/10k CNY,
    tCO2/10k CNY, %]; with ``parks`` (the per-park frame), ``parks_met`` (how many
    parks of the group meet their core threshold).
    """
    from greenpark.core.numeric import safe_divide
    from greenpark.metrics.waste.formulas import comprehensive_utilization_rate_pct, rate_pct

    out = frame.copy()
    count = out["parks"] if "parks" in out.columns else 1.0
    out["coverage_pct"] = rate_pct(out["months_with_data"], count * n_months)
    out["tco2_per_tce_location"] = safe_divide(out["emissions_location_tco2"], out["energy_tce"])
    out["tco2_per_tce_market"] = safe_divide(out["emissions_market_tco2"], out["energy_tce"])
    out["tce_per_10k_cny"] = safe_divide(out["energy_tce"], out["value_added_10k_cny"])
    out["tco2_per_10k_cny_location"] = safe_divide(
        out["emissions_location_tco2"], out["value_added_10k_cny"]
    )
    out["clean_energy_share_pct"] = rate_pct(out["clean_energy_tce"], out["energy_tce"])
    out["solid_waste_utilization_pct"] = comprehensive_utilization_rate_pct(
        out["industrial_utilized_t"], out["industrial_generated_t"], out["industrial_ufs_t"]
    )
    if parks is not None:
        key = GROUPS[group_by].replace("p.", "")
        met = parks.assign(g=parks[key].fillna(NONE_GROUP), m=parks["status"] == "met")
        counts = met.groupby("g")["m"].sum()
        out["parks_met"] = out["group_key"].map(counts).fillna(0).astype(int)
    return out


def park_distances(parks, n_months: int):
    """Each park's core indicator on its own basis, its size band's threshold and the
    distance to it: ``core_tco2_per_tce``, ``threshold_tco2_per_tce``,
    ``distance_tco2_per_tce`` (value - threshold; <= 0 meets it), ``excess_tco2``
    (emissions over threshold x energy) and ``electricity_gap_mwh`` (zero-carbon
    electricity that closes it: at the park's residual factor on the market basis, its
    grid factor on the location basis, as ``greenpark zero-carbon gap``), ``status`` and
    ``rank``
    (1 = furthest below its threshold)."""
    from greenpark.core.numeric import safe_divide
    from greenpark.metrics.zerocarbon.formulas import (
        core_threshold,
        electricity_gap_mwh,
        meets,
    )

    out = parks.copy()
    market = out["emissions_basis"] == "market"
    emissions = out["emissions_market_tco2"].where(market, out["emissions_location_tco2"])
    out["core_tco2_per_tce"] = safe_divide(emissions, out["energy_tce"])
    annual = safe_divide(out["energy_tce"] * 12.0, out["months_with_data"])  # as a year
    bands = [core_threshold(a if a == a else 0.0) for a in annual]
    out["threshold_tco2_per_tce"] = [b[1] for b in bands]
    out["distance_tco2_per_tce"] = out["core_tco2_per_tce"] - out["threshold_tco2_per_tce"]
    out["excess_tco2"] = emissions - out["threshold_tco2_per_tce"] * out["energy_tce"]
    location = safe_divide(out["grid_location_tco2"], out["grid_net_kwh"] / 1000.0)
    residual = safe_divide(out["grid_residual_tco2"], out["grid_residual_kwh"] / 1000.0)
    factor = residual.where(market, location)  # as greenpark zero-carbon gap does
    out["electricity_gap_mwh"] = [
        electricity_gap_mwh(e, t, th, f) if f == f and f > 0 else float("nan")
        for e, t, th, f in zip(
            emissions, out["energy_tce"], out["threshold_tco2_per_tce"], factor, strict=True
        )
    ]
    out["status"] = [
        "insufficient_data"
        if cov < n_months or v != v
        else ("met" if meets(v, "<=", th) else "not_met")
        for cov, v, th in zip(
            out["months_with_data"],
            out["core_tco2_per_tce"],
            out["threshold_tco2_per_tce"],
            strict=True,
        )
    ]
    out["rank"] = out["distance_tco2_per_tce"].rank(method="min", na_option="bottom").astype(int)
    return out.sort_values(["rank", "park_id"], kind="stable").reset_index(drop=True)


def carried_findings(parks, period: Period, group_by: str) -> list[Finding]:
    """Each park's incomplete months and the findings it brought into the lake."""
    findings = []
    for row in parks.itertuples(index=False):
        data = {"park_id": row.park_id, "period": period.label}
        if row.months_with_data < period.n_months:
            findings.append(
                Finding(
                    "lake.coverage",
                    f"park {row.park_id}: ledger lines in {int(row.months_with_data)} of "
                    f"{period.n_months} months of {period.label}; its figures are partial "
                    "and its status is insufficient_data",
                    data={**data, "months_with_data": int(row.months_with_data)},
                )
            )
        if row.findings_error or row.findings_warning:
            findings.append(
                Finding(
                    "lake.park_findings",
                    f"park {row.park_id}: {int(row.findings_error)} error(s) and "
                    f"{int(row.findings_warning)} warning(s) in {period.label} recorded at "
                    "export (its lake table 'findings')",
                    "error" if row.findings_error else "info",
                    data={**data, "errors": int(row.findings_error)},
                )
            )
        if group_by in ("operator", "industry") and not isinstance(getattr(row, group_by), str):
            findings.append(
                Finding(
                    "lake.no_group",
                    f"park {row.park_id} has no {group_by}: rolled up under {NONE_GROUP}",
                    data=data,
                )
            )
    return findings
