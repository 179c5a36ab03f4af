"""The planner's inputs from the park database: metered interval load and PV, and the
new PV of each roof of the current estimate on the same intervals.

Interval sums are aggregated in DuckDB at the grid import meters' own spacing (15 minutes
or an hour); a coarser meter's reading is spread evenly over the intervals it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.core.periods import Period

ROLES = ("grid_import", "grid_export", "pv_generation")
STEP_SQL = """
SELECT m.role, mode(s.step_s) FROM (
    SELECT meter_key, epoch(ts) - epoch(lag(ts) OVER (PARTITION BY meter_key ORDER BY ts))
           AS step_s
    FROM readings WHERE ts >= ? AND ts < ?
) s JOIN meters m USING (meter_key)
WHERE m.carrier = 'electricity' AND m.role = 'grid_import' AND s.step_s > 0
GROUP BY 1
"""
INTERVAL_SQL = """
WITH r AS (
    SELECT meter_key, ts, value,
           epoch(lead(ts) OVER (PARTITION BY meter_key ORDER BY ts)) - epoch(ts) AS next_s
    FROM readings WHERE ts >= ? AND ts < ?
), steps AS (
    SELECT meter_key, greatest(1, round(mode(next_s) / ?))::INTEGER AS n FROM r
    WHERE next_s > 0 GROUP BY 1
), spread AS (
    SELECT m.role, r.ts + to_seconds(k.k * ?) AS ts, r.value / s.n AS value
    FROM r JOIN steps s USING (meter_key) JOIN meters m USING (meter_key),
         LATERAL (SELECT unnest(range(s.n)) AS k) k
    WHERE m.carrier = 'electricity' AND m.role IN ('grid_import', 'grid_export', 'pv_generation')
)
SELECT time_bucket(to_seconds(?), ts) AS ts,
       sum(CASE WHEN role = 'grid_import' THEN value ELSE 0 END) AS grid_import_kwh,
       sum(CASE WHEN role = 'grid_export' THEN value ELSE 0 END) AS grid_export_kwh,
       sum(CASE WHEN role = 'pv_generation' THEN value ELSE 0 END) AS pv_generation_kwh
FROM spread WHERE ts >= ? AND ts < ? GROUP BY 1 ORDER BY 1
"""
MIN_COVERAGE_PCT = 99.0


@dataclass
class IntervalData:
    """A year of park electricity on a regular grid of intervals.

    Attributes
    ----------
    ts_utc : pandas.DatetimeIndex
        Interval starts, UTC.
    step_h : float
        Interval length. [h]
    months, hours : numpy.ndarray of int
        Local month (1-12) and clock hour of each interval.
    month_index : numpy.ndarray of int
        0-based month of each interval within the period.
    load_kwh, pv_existing_kwh, grid_import_kwh, grid_export_kwh : numpy.ndarray
        Site load (= import + PV - export), metered PV, import, export. [kWh]
    findings : list of Finding
    """

    ts_utc: object
    step_h: float
    months: object
    hours: object
    month_index: object
    load_kwh: object
    pv_existing_kwh: object
    grid_import_kwh: object
    grid_export_kwh: object
    period: Period
    findings: list = field(default_factory=list)


def interval_data(store, period: Period) -> IntervalData:
    """The period's metered electricity per interval (0 where an interval has no data,
    with a ``plan.load_coverage`` finding)."""
    import pandas as pd

    start, end = period.utc_bounds()
    step_s = _step_seconds(store.con, start, end)
    frame = store.con.execute(INTERVAL_SQL, [start, end, step_s, step_s, step_s, start, end]).df()
    grid = pd.date_range(start, end, freq=f"{int(step_s)}s", inclusive="left", tz="UTC")
    frame.index = pd.DatetimeIndex(frame.pop("ts")).tz_localize("UTC")
    covered = float(frame.index.isin(grid).sum()) / len(grid) * 100.0
    frame = frame.reindex(grid).fillna(0.0)
    return _assemble(frame, grid, step_s / 3600.0, period, covered)


def _step_seconds(con, start, end) -> float:
    row = con.execute(STEP_SQL, [start, end]).fetchone()
    if row is None or row[1] is None:
        raise GreenparkError(
            "plan: no grid_import readings in the period; the planner needs the park's metered load"
        )
    return float(min(max(row[1], 900.0), 3600.0))  # 15 minutes .. 1 hour


def _assemble(frame, grid, step_h: float, period: Period, covered_pct: float) -> IntervalData:
    import numpy as np

    local = grid.tz_convert(period.timezone)
    first = period.first
    month_index = (local.year - first.year) * 12 + local.month - first.month
    findings = []
    if covered_pct < MIN_COVERAGE_PCT:
        findings.append(
            Finding(
                "plan.load_coverage",
                f"metered electricity covers {covered_pct:.1f} % of the intervals of "
                f"{period.label}: intervals without data count as zero load",
                data={"period": period.label, "coverage_pct": covered_pct},
            )
        )
    imp, exp, pv = (frame[c].to_numpy() for c in ROLE_COLUMNS)
    return IntervalData(
        ts_utc=grid,
        step_h=step_h,
        months=np.asarray(local.month),
        hours=np.asarray(local.hour),
        month_index=np.asarray(month_index),
        load_kwh=np.clip(imp + pv - exp, 0.0, None),
        pv_existing_kwh=pv,
        grid_import_kwh=imp,
        grid_export_kwh=exp,
        period=period,
        findings=findings,
    )


ROLE_COLUMNS = ("grid_import_kwh", "grid_export_kwh", "pv_generation_kwh")


def roof_table(store):
    """Roofs of the current PV estimate with new capacity, in order of LCOE.

    LCOE per roof with ``[pv.economics]`` (docs/methodology.md, "Rooftop PV"): capex =
    new kWp x (the roof's capex, else the park's) [CNY], O&M = kWp x O&M [CNY/a], energy =
    annual energy x new / total capacity [kWh].

    Returns
    -------
    pandas.DataFrame
        ``roof_id, profile_id, new_capacity_kwp, new_annual_energy_kwh, capex_cny,
        om_cny_per_year, lcoe_cny_per_kwh``, cheapest first; empty without an estimate.
    """
    from greenpark.metrics.pv import economics as pe

    econ = store.park().economics
    frame = store.con.execute(
        """SELECT p.roof_id, p.profile_id, p.new_capacity_kwp,
                  p.annual_energy_kwh * p.new_capacity_kwp / nullif(p.capacity_kwp, 0)
                      AS new_annual_energy_kwh,
                  p.new_capacity_kwp * coalesce(r.capex_cny_per_kwp, ?) AS capex_cny,
                  p.new_capacity_kwp * ? AS om_cny_per_year
           FROM pv_roof_results p JOIN roofs r USING (roof_id)
           WHERE p.run_id = (SELECT max(run_id) FROM pv_runs) AND p.new_capacity_kwp > 0
           ORDER BY p.roof_id""",
        [econ.capex_cny_per_kwp, econ.om_cny_per_kwp_year],
    ).df()
    frame["lcoe_cny_per_kwh"] = pe.lcoe_cny_per_kwh(
        frame["capex_cny"],
        frame["om_cny_per_year"],
        frame["new_annual_energy_kwh"],
        econ.discount_rate,
        econ.lifetime_years,
        econ.degradation_pct_per_year,
    )
    return frame.sort_values(["lcoe_cny_per_kwh", "roof_id"], kind="stable").reset_index(drop=True)


def new_pv_kwh(store, roofs, data: IntervalData):
    """New PV output of ``roofs`` on the intervals of ``data``: each roof's class profile
    [kWh/kWp per hour] x new kWp, the typical year's hour placed by UTC month, day and hour
    and spread evenly over the hour's intervals. [kWh per interval]"""
    import numpy as np
    import pandas as pd

    from greenpark.metrics.pv.value import align_by_utc_hour

    out = np.zeros(len(data.ts_utc))
    if roofs is None or not len(roofs):
        return out
    kwp = roofs.groupby("profile_id")["new_capacity_kwp"].sum()
    stored = store.con.execute(
        "SELECT profile_id, ac_kwh_per_kwp FROM pv_profile_values "
        "WHERE run_id = (SELECT max(run_id) FROM pv_runs) AND list_contains(?, profile_id)",
        [[int(p) for p in kwp.index]],
    ).fetchall()
    if not stored:
        return out
    # one array per class over the run's daylight hours (pv_profile_hours.ts)
    ts = store.con.execute(
        "SELECT ts FROM pv_profile_hours WHERE run_id = (SELECT max(run_id) FROM pv_runs)"
    ).fetchone()[0]
    by_class = dict(stored)
    zero = [0.0] * len(ts)
    wide = np.array([by_class.get(int(p), zero) for p in kwp.index], dtype=float).T
    hourly = wide @ kwp.to_numpy()
    hours = data.ts_utc.floor("h")
    source = pd.DatetimeIndex(ts).tz_localize("UTC")
    # profiles keep daylight hours only: every other hour of the year is 0.
    full = pd.date_range(source.min().floor("D"), periods=8760, freq="1h", tz="UTC")
    values = pd.Series(hourly, index=source).reindex(full, fill_value=0.0)
    aligned = align_by_utc_hour(full, values.to_numpy(), hours)
    return np.nan_to_num(aligned) * data.step_h
