"""Waste rates of a period: comprehensive utilization, hazardous waste, recycling,
diversion, intensity.

``waste_rates(store, period)`` sums the ledger (in t) per group in DuckDB and applies the
formulas of :mod:`greenpark.metrics.waste.formulas`; it returns a
:class:`~greenpark.core.findings.Result` with the ledger findings of the period and a
finding for each rate that is not available.
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.metrics.waste.formulas import (
    DIVERSION_ROUTES,
    ENERGY_ROUTE,
    RECYCLING_ROUTES,
    comprehensive_utilization_rate_pct,
    rate_pct,
    safe_disposal_rate_pct,
    utilization_disposal_rate_pct,
)
from greenpark.metrics.waste.intensity import with_intensity
from greenpark.metrics.waste.ledger import (
    LEDGER_SQL,
    QUANTITY_COLUMNS,
    ledger_findings,
    ledger_overlaps,
    ledger_params,
    ledger_span,
)
from greenpark.metrics.waste.tables import (
    cached_result,
    register_units,
    require_current,
    text_nulls_to_none,
)
from greenpark.metrics.waste.window import month_range

BY = {
    "park": (),
    "category": ("category",),
    "enterprise": ("enterprise_id",),
    "stream": ("enterprise_id", "stream", "category"),
}
SUMS_SQL = """
SELECT count(*) AS rows, count(DISTINCT month) AS months,
       sum(generated_t) AS generated_t, sum(utilized_t) AS utilized_t,
       sum(utilized_from_storage_t) AS utilized_from_storage_t, sum(disposed_t) AS disposed_t,
       sum(disposed_from_storage_t) AS disposed_from_storage_t, sum(stored_t) AS stored_t,
       sum(dumped_t) AS dumped_t,
       count(*) FILTER (WHERE category IN ('general_industrial_solid', 'hazardous'))
           AS industrial_rows,
       coalesce(sum(generated_t) FILTER (WHERE category IN ('general_industrial_solid',
           'hazardous')), 0) AS industrial_generated_t,
       coalesce(sum(utilized_t) FILTER (WHERE category IN ('general_industrial_solid',
           'hazardous')), 0) AS industrial_utilized_t,
       coalesce(sum(utilized_from_storage_t) FILTER (WHERE category IN
           ('general_industrial_solid', 'hazardous')), 0) AS industrial_ufs_t,
       count(*) FILTER (WHERE category = 'general_industrial_solid') AS general_rows,
       coalesce(sum(generated_t) FILTER (WHERE category = 'general_industrial_solid'), 0)
           AS general_generated_t,
       coalesce(sum(utilized_t) FILTER (WHERE category = 'general_industrial_solid'), 0)
           AS general_utilized_t,
       coalesce(sum(utilized_from_storage_t) FILTER (WHERE category =
           'general_industrial_solid'), 0) AS general_ufs_t,
       count(*) FILTER (WHERE category = 'hazardous') AS hazardous_rows,
       coalesce(sum(generated_t) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_generated_t,
       coalesce(sum(utilized_t) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_utilized_t,
       coalesce(sum(utilized_from_storage_t) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_ufs_t,
       coalesce(sum(disposed_t) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_disposed_t,
       coalesce(sum(disposed_from_storage_t) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_dfs_t,
       coalesce(sum(greatest(utilized_t - generated_t - utilized_from_storage_t, 0))
           FILTER (WHERE category IN ('general_industrial_solid', 'hazardous')), 0)
           AS industrial_excess_t,
       coalesce(sum(greatest(utilized_t - generated_t - utilized_from_storage_t, 0))
           FILTER (WHERE category = 'general_industrial_solid'), 0) AS general_excess_t,
       coalesce(sum(greatest(utilized_t - generated_t - utilized_from_storage_t, 0))
           FILTER (WHERE category = 'hazardous'), 0) AS hazardous_excess_t,
       coalesce(sum(greatest(utilized_t + disposed_t - generated_t - utilized_from_storage_t
           - disposed_from_storage_t, 0)) FILTER (WHERE category = 'hazardous'), 0)
           AS hazardous_treated_excess_t,
       coalesce(sum(greatest(disposed_t - generated_t - disposed_from_storage_t, 0))
           FILTER (WHERE category = 'hazardous'), 0) AS hazardous_disposed_excess_t,
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route IN ('recycling',
           'composting')), 0) AS recycling_routes_t,
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route IN ('recycling', 'reuse',
           'composting')), 0) AS diversion_routes_t,
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route = 'energy_recovery'), 0)
           AS energy_recovery_t
FROM gp_ledger
"""
OUTPUT_COLUMNS = (
    *QUANTITY_COLUMNS,
    "industrial_generated_t",
    "industrial_utilization_rate_pct",
    "general_utilization_rate_pct",
    "hazardous_generated_t",
    "hazardous_utilization_rate_pct",
    "hazardous_utilization_disposal_rate_pct",
    "hazardous_safe_disposal_rate_pct",
    "over_utilized_t",
    "handled_t",
    "recycled_t",
    "recycling_rate_pct",
    "diverted_t",
    "landfill_diversion_rate_pct",
    "value_added_10k_cny",
    "industrial_waste_intensity_t_per_10k_cny",
    "months",
    "rows",
)
# Import compatibility: waste_rates returns the core Result.
WasteResult = Result


def rates_frame(sums, count_energy_recovery: bool = False):
    """Ledger sums per group (columns of ``SUMS_SQL``) -> quantities and rates.

    Parameters
    ----------
    sums : pandas.DataFrame
        One row per group; quantities in t.
    count_energy_recovery : bool
        Count the ``energy_recovery`` route as recycled and diverted.

    Returns
    -------
    pandas.DataFrame
        The quantities [t] and rates [%] of :data:`OUTPUT_COLUMNS` (without value added
        and intensity).
    """
    s = sums
    out = s.copy()
    # An over-utilized row's excess can only come from undeclared prior-year storage: it
    # is counted there (with a waste.over_utilized finding), so no rate exceeds 100 %.
    out["industrial_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["industrial_utilized_t"],
        s["industrial_generated_t"],
        s["industrial_ufs_t"] + s["industrial_excess_t"],
    )
    out["general_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["general_utilized_t"],
        s["general_generated_t"],
        s["general_ufs_t"] + s["general_excess_t"],
    )
    out["hazardous_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["hazardous_utilized_t"],
        s["hazardous_generated_t"],
        s["hazardous_ufs_t"] + s["hazardous_excess_t"],
    )
    out["hazardous_utilization_disposal_rate_pct"] = utilization_disposal_rate_pct(
        s["hazardous_utilized_t"],
        s["hazardous_disposed_t"],
        s["hazardous_generated_t"],
        s["hazardous_ufs_t"],
        s["hazardous_dfs_t"] + s["hazardous_treated_excess_t"],
    )
    out["hazardous_safe_disposal_rate_pct"] = safe_disposal_rate_pct(
        s["hazardous_disposed_t"],
        s["hazardous_generated_t"],
        s["hazardous_dfs_t"] + s["hazardous_disposed_excess_t"],
    )
    out["over_utilized_t"] = s["industrial_excess_t"]
    energy = s["energy_recovery_t"] if count_energy_recovery else 0.0
    out["handled_t"] = s["utilized_t"] + s["disposed_t"] + s["dumped_t"]
    out["recycled_t"] = s["recycling_routes_t"] + energy
    out["recycling_rate_pct"] = rate_pct(out["recycled_t"], out["handled_t"])
    out["diverted_t"] = s["diversion_routes_t"] + energy
    out["landfill_diversion_rate_pct"] = rate_pct(out["diverted_t"], out["handled_t"])
    return out


SOLID_WASTE_COLUMNS = {  # [zero_carbon] solid_waste_basis -> (rate column, what it covers)
    "general": ("general_utilization_rate_pct", "一般工业固体废物综合利用率, general only"),
    "industrial": ("industrial_utilization_rate_pct", "general + hazardous"),
}


def solid_waste_indicator(row, basis: str) -> tuple[float, str]:
    """The value the solid-waste indicator (G3) is judged on, and a note giving both rates.

    Parameters
    ----------
    row : mapping
        A park row of :func:`waste_rates` (``general_utilization_rate_pct``,
        ``industrial_utilization_rate_pct``). [%]
    basis : {"general", "industrial"}
        ``[zero_carbon] solid_waste_basis``.

    Returns
    -------
    (float, str)
        The rate [%] and the note, e.g. ``judged on general industrial solid waste
        (一般工业固体废物综合利用率) 80.0 %; general + hazardous 75.0 %; solid_waste_basis =
        "general" (provisional)``.
    """
    column, what = SOLID_WASTE_COLUMNS[basis]
    other_basis = next(b for b in SOLID_WASTE_COLUMNS if b != basis)
    other_column, other_what = SOLID_WASTE_COLUMNS[other_basis]
    note = (
        f"judged on {what}: {_pct(row[column])}; {other_what}: {_pct(row[other_column])} "
        f'([zero_carbon] solid_waste_basis = "{basis}", greenpark\'s reading, provisional)'
    )
    return float(row[column]), note


def _pct(value) -> str:
    return "n/a" if value != value or value is None else f"{float(value):.1f} %"


def waste_rates(
    store,
    period: Period | str | None = None,
    by: str = "park",
    count_energy_recovery: bool = False,
    *,
    month: str | Period | None = None,
    year: str | int | None = None,
    window: str = "month",
) -> Result:
    """Waste quantities and rates of a period (a month, year to date, 12 months, a year).

    Worked out once per store, period and options (until the store's next committed
    write); each call returns its own copy. :func:`prime_rates` sums several periods in
    one query beforehand.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    period : Period or str, optional
        The months to sum, e.g. ``Period.ytd("2025-06")`` (or ``2025-06``, ``2025``,
        ``2025-01..2025-06``).
    by : {"park", "category", "enterprise", "stream"}
        Grouping.
    count_energy_recovery : bool
        Count the route ``energy_recovery`` as recycled and diverted (off by default).
    month, year, window : optional
        The string form instead of ``period`` (``month="2025-06", window="ytd"``,
        ``year=2025``), turned into a Period by :func:`month_range`.

    Returns
    -------
    Result
        ``frame`` with ``period`` (its label), the grouping columns and
        :data:`OUTPUT_COLUMNS`; ``findings``: the ledger findings of the period and
        unavailable rates; ``inputs``: the period, grouping and route settings.

    Raises
    ------
    GreenparkError
        Bad period or grouping, or no ledger rows in the period.
    """
    if by not in BY:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY)}")
    period = month_range(month, year, window, period)
    require_current(store)
    period = period.localized(store.park().timezone)
    key = ("waste_rates", period, by, count_energy_recovery)
    return cached_result(store, key, lambda: _rates(store, period, by, count_energy_recovery))


def _rates(store, period: Period, by: str, count_energy_recovery: bool) -> Result:
    sums = _sums(store, period, BY[by])
    frame = rates_frame(sums, count_energy_recovery)
    findings = ledger_findings(store, period)
    findings += _coverage_findings(sums, period) if by == "park" else []
    frame, va_findings = with_intensity(store, frame, period, by)
    findings += _unavailable_findings(frame, BY[by], period) + va_findings
    frame.insert(0, "period", period.label)
    columns = ["period", *BY[by], *OUTPUT_COLUMNS]
    frame = text_nulls_to_none(frame[columns].reset_index(drop=True))
    return Result(frame, findings, _inputs(period, by, count_energy_recovery))


def prime_rates(store, periods, by: str = "park") -> None:
    """Sum the ledger for every period in ``periods`` now, in one query, so that
    :func:`waste_rates` of each of them (grouped ``by``) reads the sums from the store.

    Parameters
    ----------
    store : greenpark.store.Store
    periods : iterable of Period
        E.g. a report's comparison windows.
    by : {"park", "category", "enterprise", "stream"}
    """
    require_current(store)
    group = BY[by]
    known = store.cached(("waste.sums",), dict)
    todo = [p for p in periods if (p.first, p.last, group) not in known]
    todo = list(dict.fromkeys((p.first, p.last) for p in todo if ledger_overlaps(store, p)))
    if todo:
        for span, sums in zip(todo, _query_sums(store.con, todo, group), strict=True):
            known[(*span, group)] = sums


def _inputs(period: Period, by: str, count_energy_recovery: bool) -> dict:
    recycled = RECYCLING_ROUTES + ((ENERGY_ROUTE,) if count_energy_recovery else ())
    diverted = DIVERSION_ROUTES + ((ENERGY_ROUTE,) if count_energy_recovery else ())
    return {
        **period.to_dict(),
        "by": by,
        "count_energy_recovery": count_energy_recovery,
        "recycling_routes": list(recycled),
        "diversion_routes": list(diverted),
    }


def _sums(store, period: Period, group: tuple[str, ...]):
    """The ledger sums of ``period`` per ``group`` (:data:`SUMS_SQL`), summed once per
    store; raises when the period has no ledger rows."""
    known = store.cached(("waste.sums",), dict)  # (first, last, group) -> sums
    key = (period.first, period.last, group)
    if key not in known and ledger_overlaps(store, period):
        known[key] = _query_sums(store.con, [key[:2]], group)[0]
    sums = known.get(key)
    if sums is None or sums.empty or int(sums["rows"].sum()) == 0:
        raise GreenparkError(f"no waste ledger rows in {period.label} ({_span(store)})")
    return sums


def _query_sums(con, spans: list[tuple], group: tuple[str, ...]) -> list:
    """:data:`SUMS_SQL` per group of every ``(first, last)`` month span, in one query
    (one ``UNION ALL`` branch per span; each branch sums its rows as a query of that span
    alone would)."""
    cols = ", ".join(group)
    select = SUMS_SQL.replace("SELECT ", f"SELECT {cols}, " if cols else "SELECT ", 1)
    tail = f" GROUP BY {cols}" if cols else ""
    branch = f"FROM (WITH gp_ledger AS ({LEDGER_SQL}) {select}{tail})"
    branches, params = [], []
    for k, (first, last) in enumerate(spans):
        branches.append(f"SELECT {k} AS gp_span, * {branch}")  # noqa: S608 - code-only text
        params += ledger_params(Period.range(first, last))
    order = ", ".join(["gp_span", *group])
    register_units(con, "waste_ledger", "t")
    try:
        frame = con.execute(f"{' UNION ALL '.join(branches)} ORDER BY {order}", params).df()
    finally:
        con.unregister("gp_units")
    for col in group:
        frame[col] = frame[col].astype(object)
    parts = dict(tuple(frame.groupby("gp_span", sort=True)))
    return [
        parts[k].drop(columns="gp_span").reset_index(drop=True)
        if k in parts
        else frame.iloc[:0].drop(columns="gp_span")
        for k in range(len(spans))
    ]


def _span(store) -> str:
    first, last = ledger_span(store)
    if first:
        return f"the ledger runs from {first:%Y-%m} to {last:%Y-%m}"
    return "no waste ledger loaded: run 'greenpark load waste FILE'"


def _coverage_findings(sums, period: Period) -> list[Finding]:
    months = int(sums["months"].iloc[0])
    if months >= period.n_months:
        return []
    message = (
        f"the waste ledger has rows for {months} of the {period.n_months} months of "
        f"{period.label}: the rates cover those months only"
    )
    data = {
        "period": period.label,
        "months_with_rows": months,
        "months_in_period": period.n_months,
    }
    return [Finding("waste.months_missing", message, data=data)]


_RATE_PARTS = {  # rate column -> (rows column, what the rate covers)
    "industrial_utilization_rate_pct": ("industrial_rows", "industrial solid waste"),
    "general_utilization_rate_pct": ("general_rows", "general industrial solid waste"),
    "hazardous_utilization_rate_pct": ("hazardous_rows", "hazardous waste"),
    "hazardous_utilization_disposal_rate_pct": ("hazardous_rows", "hazardous waste"),
    "hazardous_safe_disposal_rate_pct": ("hazardous_rows", "hazardous waste"),
    "recycling_rate_pct": ("rows", "waste handled"),
    "landfill_diversion_rate_pct": ("rows", "waste handled"),
}


def _unavailable_findings(frame, group: tuple[str, ...], period: Period) -> list[Finding]:
    found = []
    about = _about(period)
    for rec in frame.to_dict("records"):
        where = ", ".join(f"{c}={rec[c]}" for c in group) or "park"
        for rate, (rows, what) in _RATE_PARTS.items():
            if rec[rows] > 0 and rec[rate] != rec[rate]:
                message = (
                    f"{period.label} {where}: {rate} not available (no {what} in the "
                    "denominator: zero generated/handled)"
                )
                data = {**about, "group": where, "rate": rate}
                data.update({c: rec[c] for c in group})
                found.append(Finding("waste.rate_unavailable", message, "info", data))
    return found


def _about(period: Period) -> dict:
    """``period`` (the label), and ``month`` when the period is one month."""
    return {"period": period.label, **({"month": period.first} if period.n_months == 1 else {})}
