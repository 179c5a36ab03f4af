"""Industrial waste intensity: waste generated per 10k CNY of value added (``production``).

Enterprise value added for ``enterprise``/``stream`` rows, the park's total for
``park``/``category`` rows; a finding when value added is missing or covers fewer months
than the period.
"""

from __future__ import annotations

from greenpark.core.findings import Finding, unique
from greenpark.core.periods import Period
from greenpark.metrics.waste.formulas import waste_intensity_t_per_10k_cny
from greenpark.metrics.waste.tables import cached_table_exists

VALUE_ADDED_SQL = """
SELECT enterprise_id, sum(value_added_10k_cny) AS value_added_10k_cny,
       count(DISTINCT month) AS va_months
FROM production WHERE month BETWEEN ? AND ? GROUP BY enterprise_id
"""
_PER_ENTERPRISE = ("enterprise", "stream")


def with_intensity(store, frame, period: Period, by: str):
    """``frame`` with ``value_added_10k_cny``, ``va_months`` and
    ``industrial_waste_intensity_t_per_10k_cny`` [t/10k CNY], and the findings.

    Parameters
    ----------
    store : greenpark.store.Store
    frame : pandas.DataFrame
        Rates per group, with ``industrial_generated_t`` [t] (and ``enterprise_id`` when
        ``by`` is ``enterprise`` or ``stream``).
    period : Period
    by : str
        The grouping of ``frame``.

    Returns
    -------
    tuple of (pandas.DataFrame, list of Finding)
    """
    import pandas as pd

    if not cached_table_exists(store, "production"):
        frame = frame.assign(value_added_10k_cny=float("nan"), va_months=0)
        note = Finding(
            "waste.intensity_unavailable",
            "waste intensity not available: this "
            "database has no production table (enterprise value added)",
            severity="info",
            data={"period": period.label},
        )
        return _intensity(frame), [note]
    va = value_added(store, period)
    if by in _PER_ENTERPRISE:
        va["enterprise_id"] = va["enterprise_id"].astype(object)
        frame = frame.merge(va, on="enterprise_id", how="left")
    else:
        total = float(va["value_added_10k_cny"].sum()) if not va.empty else float("nan")
        months = int(va["va_months"].max()) if not va.empty else 0
        frame = frame.assign(
            value_added_10k_cny=total if months else float("nan"), va_months=months
        )
    frame["va_months"] = pd.to_numeric(frame["va_months"]).fillna(0).astype(int)
    return _intensity(frame), _intensity_findings(frame, period, by)


def value_added(store, period: Period):
    """:data:`VALUE_ADDED_SQL` of the period's months (a new frame each call; the query
    runs once per store and span)."""
    span = (period.first, period.last)
    sql = VALUE_ADDED_SQL
    frame = store.cached(
        ("waste.value_added", *span), lambda: store.con.execute(sql, list(span)).df()
    )
    return frame.copy()


def _intensity(frame):
    frame["industrial_waste_intensity_t_per_10k_cny"] = waste_intensity_t_per_10k_cny(
        frame["industrial_generated_t"], frame["value_added_10k_cny"]
    )
    return frame


def _intensity_findings(frame, period: Period, by: str) -> list[Finding]:
    found = []
    for rec in frame.to_dict("records"):
        if rec["industrial_generated_t"] <= 0:
            continue
        who = rec.get("enterprise_id") if by in _PER_ENTERPRISE else "the park"
        data = {"period": period.label, "enterprise_id": who}
        if rec["va_months"] == 0:
            message = (
                f"{period.label}: no value added for {who} in the production table; waste "
                "intensity not available"
            )
            found.append(Finding("waste.intensity_unavailable", message, "info", data))
        elif rec["va_months"] < period.n_months:
            message = (
                f"{period.label}: value added for {who} covers {rec['va_months']} of "
                f"{period.n_months} months; the intensity overstates waste per value added"
            )
            data["va_months"] = rec["va_months"]
            found.append(Finding("waste.intensity_partial", message, data=data))
    return unique(found)
