"""``greenpark pv value``: self-consumption, CO2 avoided and economics of the new PV.

Takes the park's current PV estimate (new capacity, hourly) and the park's metered
electricity for a calendar year, hour by hour: the new PV covers grid import first and
exports the rest. Formulas: docs/methodology.md, "Rooftop PV".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from greenpark.core.errors import GreenparkError

LOAD_SQL = """
SELECT date_trunc('hour', r.ts) AS ts,
       sum(CASE WHEN m.role = 'grid_import' THEN r.value ELSE 0 END) AS grid_import_kwh,
       sum(CASE WHEN m.role = 'grid_export' THEN r.value ELSE 0 END) AS grid_export_kwh,
       sum(CASE WHEN m.role = 'pv_generation' THEN r.value ELSE 0 END) AS pv_generation_kwh
FROM readings r JOIN meters m USING (meter_key)
WHERE m.carrier = 'electricity' AND m.role IN ('grid_import', 'grid_export', 'pv_generation')
  AND r.ts >= ? AND r.ts < ?
GROUP BY 1 ORDER BY 1
"""
MIN_COVERAGE_PCT = 99.0  # as greenpark check's readings.coverage


@dataclass
class ValueResult:
    """Park-level self-consumption and economics.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row; columns documented in docs/cli.md (``greenpark pv value``).
    units : dict
        Column -> unit, for the long view.
    findings : list of dict
    assumptions : list of dict
    """

    frame: object
    units: dict
    findings: list = field(default_factory=list)
    assumptions: list = field(default_factory=list)

    def to_long(self):
        """The one row as ``metric, value, unit`` rows (for a readable table)."""
        import pandas as pd

        row = self.frame.iloc[0]
        return pd.DataFrame(
            {
                "metric": list(row.index),
                "value": [_text(v) for v in row.to_numpy()],
                "unit": [self.units.get(c, "") for c in row.index],
            }
        )

    def notes(self) -> list[str]:
        from greenpark.metrics.pv.potential import assumption_text

        lines = [f"[{f['code']}] {f['message']}" for f in self.findings]
        return lines + [assumption_text(a) for a in self.assumptions if a["confidence"] != "park"]


def _text(value) -> str:
    if isinstance(value, float):
        return "n/a" if value != value else f"{value:,.2f}"
    return str(value)


def hourly_load(con, start_utc, end_utc):
    """Hourly park electricity (UTC hour starts) from the boundary meters, in DuckDB.

    Returns
    -------
    pandas.DataFrame
        ``ts``, ``grid_import_kwh``, ``grid_export_kwh``, ``pv_generation_kwh``,
        ``load_kwh`` (= import + PV - export).
    """
    frame = con.execute(LOAD_SQL, [start_utc, end_utc]).df()
    frame["load_kwh"] = (
        frame["grid_import_kwh"] + frame["pv_generation_kwh"] - frame["grid_export_kwh"]
    )
    return frame


def default_year(con, timezone: str) -> int:
    """The newest calendar year (park time) fully covered by electricity readings, else
    the newest year with any."""
    from greenpark.core.periods import to_local

    first, last = con.execute(
        "SELECT min(r.ts), max(r.ts) FROM readings r JOIN meters m USING (meter_key) "
        "WHERE m.role = 'grid_import'"
    ).fetchone()
    if last is None:
        raise GreenparkError(
            "no grid_import readings: self-consumption needs the park's metered load"
        )
    first_local, last_local = to_local(first, timezone), to_local(last, timezone)
    year = last_local.year
    if (last_local.month, last_local.day) != (12, 31) and first_local.year < year:
        year -= 1
    return year


def align_by_utc_hour(source_ts, source_values, target_ts):
    """Values of a (typical or other) year placed on the target hours by UTC month, day
    and hour; 29 February takes 28 February's values.

    Parameters
    ----------
    source_ts, target_ts : pandas.DatetimeIndex
        UTC hour starts.
    source_values : numpy.ndarray

    Returns
    -------
    numpy.ndarray
        NaN where the source has no such hour.
    """
    import numpy as np
    import pandas as pd

    def key(ts):
        day = np.where((ts.month == 2) & (ts.day == 29), 28, ts.day)
        return ts.month * 10000 + day * 100 + ts.hour

    series = pd.Series(np.asarray(source_values, dtype=float), index=key(source_ts))
    series = series[~series.index.duplicated()]
    return series.reindex(key(target_ts)).to_numpy()


def value(store, year: int | None = None) -> ValueResult:
    """Self-consumption, CO2 avoided and economics of the new PV of the current estimate.

    Parameters
    ----------
    store : greenpark.store.Store
    year : int, optional
        Calendar year of metered load (park time); see :func:`default_year`.

    Returns
    -------
    ValueResult
    """
    import numpy as np
    import pandas as pd

    from greenpark.core.config.pv import ECONOMICS_DEFAULTS, TARIFF_DEFAULTS, assumptions
    from greenpark.core.factors import grid_factor
    from greenpark.core.periods import to_utc

    park = store.park()
    econ, tar = park.economics, park.tariff
    run = _current_run(store.con)
    year = year or default_year(store.con, park.timezone)
    start, end = (to_utc(dt.datetime(y, 1, 1), park.timezone) for y in (year, year + 1))
    hours = pd.date_range(start, end, freq="1h", inclusive="left", tz="UTC")
    load = hourly_load(store.con, start, end)
    load.index = pd.DatetimeIndex(load.pop("ts")).tz_localize("UTC")
    load = load.reindex(hours)
    pv_hourly = store.con.execute(
        "SELECT ts, new_ac_kwh FROM pv_park_hourly WHERE run_id = ? ORDER BY ts", [run["run_id"]]
    ).df()
    pv = align_by_utc_hour(
        pd.DatetimeIndex(pv_hourly["ts"]).tz_localize("UTC"),
        pv_hourly["new_ac_kwh"].to_numpy(),
        hours,
    )
    pv = np.nan_to_num(pv)
    findings = _coverage_findings(load, year)
    prices = np.asarray(tar.hourly_prices())[hours.tz_convert(park.timezone).hour]
    factor = grid_factor(park.province, year)
    frame, units = value_table(
        pv,
        load,
        prices,
        tar.export_cny_per_kwh,
        _capex(store.con, run["run_id"], econ),
        run,
        econ,
        factor,
        year,
    )
    if factor.note:
        findings.append({"code": "pv.grid_factor", "message": factor.note})
    return ValueResult(
        frame,
        units,
        findings,
        assumptions(econ, ECONOMICS_DEFAULTS, "pv.economics")
        + assumptions(tar, TARIFF_DEFAULTS, "tariff"),
    )


def _current_run(con) -> dict:
    row = con.execute(
        "SELECT run_id, weather_label, screening FROM pv_runs "
        "WHERE run_id = (SELECT max(run_id) FROM pv_runs)"
    ).fetchone()
    if row is None:
        raise GreenparkError("no PV estimate stored: run 'greenpark pv estimate' first")
    return {"run_id": row[0], "weather": row[1], "screening": bool(row[2])}


def _capex(con, run_id: int, econ) -> tuple[float, float]:
    """(capex [CNY], new capacity [kWp]) with per-roof capex overrides."""
    new_kwp, capex = con.execute(
        "SELECT coalesce(sum(p.new_capacity_kwp), 0), "
        "coalesce(sum(p.new_capacity_kwp * coalesce(r.capex_cny_per_kwp, ?)), 0) "
        "FROM pv_roof_results p JOIN roofs r USING (roof_id) WHERE p.run_id = ?",
        [econ.capex_cny_per_kwp, run_id],
    ).fetchone()
    return float(capex), float(new_kwp)


def _coverage_findings(load, year: int) -> list[dict]:
    present = load["grid_import_kwh"].notna()
    coverage = float(present.mean() * 100.0)
    if coverage < MIN_COVERAGE_PCT:
        return [
            {
                "code": "pv.load_coverage",
                "message": f"metered load covers "
                f"{coverage:.1f} % of the hours of {year}: new PV in hours without data is "
                "counted as exported",
            }
        ]
    return []


def value_table(
    pv, load, prices, export_price: float, capex_kwp, run: dict, econ, factor, year: int
):
    """Compute the value row (see :class:`ValueResult`); all inputs are per hour."""
    import numpy as np
    import pandas as pd

    from greenpark.metrics.pv import economics as pe

    grid_import = load["grid_import_kwh"].fillna(0.0).to_numpy()
    used, exported = pe.self_consumption(pv, grid_import)
    consumption = float(load["load_kwh"].sum())
    existing_onsite = float((load["pv_generation_kwh"] - load["grid_export_kwh"]).sum())
    capex, new_kwp = capex_kwp
    savings = float(np.sum(used * prices))
    export_income = float(exported.sum() * export_price)
    om = econ.om_cny_per_kwp_year * new_kwp
    row = {
        "year": year,
        "weather": run["weather"],
        "estimate_kind": "screening estimate" if run["screening"] else "weather data",
        "new_capacity_kwp": new_kwp,
        "pv_energy_kwh": float(pv.sum()),
        "self_consumed_kwh": float(used.sum()),
        "exported_kwh": float(exported.sum()),
        "self_consumption_pct": pe.share_pct(float(used.sum()), float(pv.sum())),
        "consumption_kwh": consumption,
        "existing_pv_onsite_kwh": existing_onsite,
        "self_sufficiency_before_pct": pe.share_pct(existing_onsite, consumption),
        "self_sufficiency_after_pct": pe.share_pct(
            existing_onsite + float(used.sum()), consumption
        ),
        "grid_factor_tco2_per_mwh": factor.value,
        "grid_factor_year": factor.year,
        "grid_factor_source": f"{factor.source} ({factor.factor_id}, {factor.confidence})",
        "co2_avoided_tco2": float(used.sum()) / 1000.0 * factor.value,
        "co2_avoided_incl_export_tco2": float(pv.sum()) / 1000.0 * factor.value,
        "savings_cny": savings,
        "export_income_cny": export_income,
        "om_cny": om,
        "net_benefit_cny": savings + export_income - om,
        "capex_cny": capex,
    }
    row["simple_payback_years"] = pe.simple_payback_years(capex, row["net_benefit_cny"])
    args = (econ.discount_rate, econ.lifetime_years, econ.degradation_pct_per_year)
    row["lcoe_cny_per_kwh"] = pe.lcoe_cny_per_kwh(capex, om, row["pv_energy_kwh"], *args)
    row["npv_cny"] = pe.npv_cny(capex, savings + export_income, om, *args)
    return pd.DataFrame([row]), _units(row)


def _units(row: dict) -> dict:
    suffixes = {
        "_kwh": "kWh",
        "_kwp": "kWp",
        "_pct": "%",
        "_tco2": "tCO2",
        "_cny": "CNY",
        "_years": "a",
        "_cny_per_kwh": "CNY/kWh",
        "_tco2_per_mwh": "tCO2/MWh",
    }
    out = {}
    for col in row:
        for suffix, unit in suffixes.items():
            if col.endswith(suffix):
                out[col] = unit
    return out
