"""``greenpark pv value``: self-consumption, CO2 avoided and economics of the new PV.

Takes the park's current PV estimate (new capacity, hourly) and the park's metered
electricity for a calendar year, hour by hour: the new PV covers grid import first and
exports the rest. Formulas: docs/methodology.md, "Rooftop PV".
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.core.periods import Period, period_of
from greenpark.metrics.pv.potential import assumption_notes

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
GRID_SLOT = "electricity.location"


class ValueResult(Result):
    """:class:`~greenpark.core.findings.Result` of :func:`pv_value`: one row (columns in
    docs/cli.md, ``greenpark pv value``); ``inputs["units"]`` maps each column to its
    unit; ``tables["long"]`` is the readable ``metric, value, unit`` view."""

    def to_long(self):
        """The one row as ``metric, value, unit`` rows (``tables["long"]``)."""
        return self.tables["long"]

    def assumption_notes(self) -> list[str]:
        """The economics and tariff settings not given by the park, as note lines."""
        return assumption_notes(self.inputs["assumptions"])

    def notes(self) -> list[str]:
        """The findings and the assumptions, as lines under a table."""
        return [str(f) for f in self.findings] + self.assumption_notes()


def long_view(frame, units: dict):
    """A one-row frame as ``metric, value, unit`` rows (values as display text)."""
    import pandas as pd

    row = frame.iloc[0]
    return pd.DataFrame(
        {
            "metric": list(row.index),
            "value": [_text(v) for v in row.to_numpy()],
            "unit": [units.get(c, "") for c in row.index],
        }
    )


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


def pv_value(store, period: Period | str | int | None = None) -> ValueResult:
    """Self-consumption, CO2 avoided and economics of the new PV of the current estimate.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, str or int, optional
        A calendar year of metered load (park time); default :func:`default_year`.

    Returns
    -------
    ValueResult
        ``inputs``: ``period``, ``run_id``, ``weather``, ``basis`` (``location``: the new
        PV displaces grid purchases at the FactorBook's ``electricity.location`` factor of
        each month), ``factor_ids``, ``units``, ``assumptions``.

    Raises
    ------
    GreenparkError
        No estimate stored, no metered load, or a period that is not a calendar year.
    """

    from greenpark.core.config.pv import ECONOMICS_DEFAULTS, TARIFF_DEFAULTS, assumptions
    from greenpark.metrics.plan.tariff import export_price, interval_prices, period_codes

    park = store.park()
    run = _current_run(store.con)
    period = value_period(store, period)
    load, hours = _metered_load(store.con, period)
    pv = _new_pv(store.con, run["run_id"], hours)
    local = hours.tz_convert(park.timezone)  # seasons and critical peak by local month
    prices = interval_prices(period_codes(local.month, local.hour, park.tariff), park.tariff)
    factors = hourly_factors(store.factor_book(), hours, period)
    capex = _capex(store.con, run["run_id"], park.economics)
    frame, units = value_table(
        pv,
        load,
        prices,
        export_price(park.tariff),  # 0 when [tariff] export_allowed = false
        capex,
        run,
        park.economics,
        factors,
        period.first.year,
    )
    settings = assumptions(park.economics, ECONOMICS_DEFAULTS, "pv.economics") + assumptions(
        park.tariff, TARIFF_DEFAULTS, "tariff"
    )
    used = distinct_factors(factors)
    findings = _coverage_findings(load, period) + _factor_findings(used, period)
    inputs = {
        "period": period.label,
        "run_id": run["run_id"],
        "weather": run["weather"],
        "basis": "location",
        "factor_slot": GRID_SLOT,
        "factor_ids": [f.factor_id for f in used],
        "units": units,
        "assumptions": settings,
    }
    return ValueResult(frame, findings, inputs, {"long": long_view(frame, units)})


def value(store, year: int | str | None = None) -> ValueResult:
    """:func:`pv_value` of a calendar year (the ``year=`` edge)."""
    return pv_value(store, None if year is None else period_of(year=year))


def value_period(store, period) -> Period:
    """The calendar year to value, in the park's timezone (default: :func:`default_year`)."""
    timezone = store.park().timezone
    if period is None:
        return Period.year(default_year(store.con, timezone), timezone)
    if isinstance(period, int):
        return Period.year(period, timezone)
    period = period_of(period=period, timezone=timezone)
    if period.kind != "year":
        raise GreenparkError(
            f"pv value {period.label}: give a calendar year (--year YYYY); the economics "
            "are per year"
        )
    return period


def _metered_load(con, period: Period):
    """Hourly metered load of the period on every UTC hour of it (NaN without data)."""
    import pandas as pd

    start, end = period.utc_bounds()
    hours = pd.date_range(start, end, freq="1h", inclusive="left", tz="UTC")
    load = hourly_load(con, start, end)
    load.index = pd.DatetimeIndex(load.pop("ts")).tz_localize("UTC")
    return load.reindex(hours), hours


def _new_pv(con, run_id: int, hours):
    """New PV output of the stored run placed on ``hours`` (0 where it has none). [kWh]"""
    import numpy as np
    import pandas as pd

    pv_hourly = con.execute(
        "SELECT ts, new_ac_kwh FROM pv_park_hourly WHERE run_id = ? ORDER BY ts", [run_id]
    ).df()
    pv = align_by_utc_hour(
        pd.DatetimeIndex(pv_hourly["ts"]).tz_localize("UTC"),
        pv_hourly["new_ac_kwh"].to_numpy(),
        hours,
    )
    return np.nan_to_num(pv)


def hourly_factors(book, hours, period: Period) -> list:
    """The FactorBook's grid factor (:data:`GRID_SLOT`) of each hour's local month.

    Returns
    -------
    list of Factor
        One per hour of ``hours``. [tCO2/MWh]
    """
    import numpy as np

    local = hours.tz_convert(period.timezone)
    out = [None] * len(hours)
    for month in period.months:
        factor = book.get(GRID_SLOT, month)
        for i in np.flatnonzero((local.year == month.year) & (local.month == month.month)):
            out[i] = factor
    return out


def distinct_factors(factors) -> list:
    """The different factors of a list, in their first order."""
    seen = {}
    for f in factors:
        seen.setdefault(f.factor_id, f)
    return list(seen.values())


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


def _coverage_findings(load, period: Period) -> list[Finding]:
    coverage = float(load["grid_import_kwh"].notna().mean() * 100.0)
    if coverage >= MIN_COVERAGE_PCT:
        return []
    return [
        Finding(
            "pv.load_coverage",
            f"metered load covers {coverage:.1f} % of the hours of {period.label}: new PV "
            "in hours without data is counted as exported",
            data={"period": period.label, "coverage_pct": coverage},
        )
    ]


def _factor_findings(factors, period: Period) -> list[Finding]:
    """``pv.grid_factor`` for each factor used with a note (a fallback year, an override)."""
    return [
        Finding(
            "pv.grid_factor",
            f.note,
            severity="info" if f.override else "warning",
            data={"period": period.label, "factor_id": f.factor_id, "year": f.year},
        )
        for f in factors
        if f.note
    ]


def value_table(
    pv, load, prices, export_price: float, capex_kwp, run: dict, econ, factor, year: int
):
    """Compute the value row (see :func:`pv_value`); all inputs are per hour.

    Parameters
    ----------
    pv : numpy.ndarray
        New PV output per hour. [kWh]
    load : pandas.DataFrame
        ``grid_import_kwh, grid_export_kwh, pv_generation_kwh, load_kwh`` per hour. [kWh]
    prices : numpy.ndarray
        Purchase price per hour. [CNY/kWh]
    export_price : float
        [CNY/kWh]
    capex_kwp : (float, float)
        Capex [CNY] and new capacity [kWp].
    run : dict
        ``weather``, ``screening`` of the estimate.
    econ : greenpark.core.config.pv.Economics
    factor : Factor or list of Factor
        The grid factor, one for every hour or one per hour. [tCO2/MWh]
    year : int

    Returns
    -------
    (pandas.DataFrame, dict)
        One row, and column -> unit.
    """
    import pandas as pd

    from greenpark.metrics.pv import economics as pe

    used, exported = pe.self_consumption(pv, load["grid_import_kwh"].fillna(0.0).to_numpy())
    existing_onsite = float((load["pv_generation_kwh"] - load["grid_export_kwh"]).sum())
    consumption = float(load["load_kwh"].sum())
    row = {
        "year": year,
        "weather": run["weather"],
        "estimate_kind": "screening estimate" if run["screening"] else "weather data",
        "new_capacity_kwp": capex_kwp[1],
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
        **co2_figures(pv, used, factor),
        **money_figures(pv, used, exported, prices, export_price, capex_kwp, econ),
    }
    return pd.DataFrame([row]), _units(row)


def co2_figures(pv, used, factor) -> dict:
    """CO2 avoided by the self-consumed (and by all) new PV at the grid factor of each
    hour, and the factor as one figure: the factor itself, or when it changes within the
    period the self-consumption-weighted mean.

    Returns
    -------
    dict
        ``grid_factor_tco2_per_mwh``, ``grid_factor_year``, ``grid_factor_source``,
        ``co2_avoided_tco2``, ``co2_avoided_incl_export_tco2``.
    """
    import numpy as np

    hourly = factor if isinstance(factor, list | tuple) else [factor] * len(pv)
    values = np.array([f.value for f in hourly], dtype=float)
    avoided = float(np.sum(used * values)) / 1000.0
    factors = distinct_factors(hourly)
    if len(factors) == 1:
        mean = factors[0].value
    else:
        mean = safe_divide(avoided * 1000.0, float(used.sum()))
        mean = float(values.mean()) if mean != mean else mean
    years = sorted({f.year for f in factors if f.year is not None})
    return {
        "grid_factor_tco2_per_mwh": mean,
        "grid_factor_year": factors[0].year if len(factors) == 1 else ", ".join(map(str, years)),
        "grid_factor_source": "; ".join(
            f"{f.source} ({f.factor_id}, {f.confidence})" for f in factors
        ),
        "co2_avoided_tco2": avoided,
        "co2_avoided_incl_export_tco2": float(np.sum(pv * values)) / 1000.0,
    }


def money_figures(pv, used, exported, prices, export_price: float, capex_kwp, econ) -> dict:
    """Savings, export income, O&M, net benefit, capex, payback, LCOE and NPV. [CNY, a,
    CNY/kWh]"""
    import numpy as np

    from greenpark.metrics.pv import economics as pe

    capex, new_kwp = capex_kwp
    savings = float(np.sum(used * prices))
    export_income = float(exported.sum() * export_price)
    om = econ.om_cny_per_kwp_year * new_kwp
    args = (econ.discount_rate, econ.lifetime_years, econ.degradation_pct_per_year)
    energy = float(pv.sum())
    return {
        "savings_cny": savings,
        "export_income_cny": export_income,
        "om_cny": om,
        "net_benefit_cny": savings + export_income - om,
        "capex_cny": capex,
        "simple_payback_years": pe.simple_payback_years(capex, savings + export_income - om),
        "lcoe_cny_per_kwh": pe.lcoe_cny_per_kwh(capex, om, energy, *args),
        "npv_cny": pe.npv_cny(capex, savings + export_income, om, *args),
    }


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
