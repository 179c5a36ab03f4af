"""Energy use per meter or carrier for a month, aggregated inside DuckDB.

Definitions (docs/methodology.md):

* ``quantity``: sum of interval values whose interval starts in the month (park local
  time), in the carrier's canonical unit (``unit`` column).
* ``coverage_pct``: readings present x the meter's usual interval / hours in the month
  x 100; the usual interval is the most common spacing of the meter's readings.
* by carrier, park figures come from boundary meters only: ``grid_import``,
  ``grid_export``, ``pv_generation`` ... and ``consumption`` = import + on-site
  generation - export (electricity) or the sum of boundary meters (other carriers).
  ``submetered`` is the sum of submeters, shown beside it, never added to it.
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import period_of
from greenpark.core.vocab import BOUNDARY_ROLES

BY = ("meter", "carrier", "enterprise", "industry")
GENERATION_ROLES = ("pv_generation", "wind_generation")
EXPORT_ROLES = ("grid_export", "heat_export")

METER_SQL = """
WITH r AS (
    SELECT meter_key, ts, value FROM readings WHERE ts >= ? AND ts < ?
), steps AS (
    SELECT meter_key, mode(d) AS step_s FROM (
        SELECT meter_key, epoch(ts) - epoch(lag(ts) OVER (PARTITION BY meter_key ORDER BY ts))
               AS d FROM r)
    WHERE d > 0 GROUP BY meter_key
), sums AS (
    SELECT meter_key, sum(value) AS quantity, count(value) AS readings FROM r GROUP BY meter_key
)
SELECT m.meter_id, m.name, m.carrier, m.role, m.canonical_unit AS unit, m.parent_id,
       m.enterprise_id, coalesce(s.quantity, 0.0) AS quantity, coalesce(s.readings, 0) AS readings,
       st.step_s / 60.0 AS interval_min,
       least(100.0, coalesce(s.readings, 0) * st.step_s / 36.0 / ?) AS coverage_pct
FROM meters m LEFT JOIN sums s USING (meter_key) LEFT JOIN steps st USING (meter_key)
ORDER BY m.carrier, m.role, m.meter_id
"""


def energy(store, month: str | None = None, by: str = "carrier", year: str | None = None):
    """Energy use for a month or a year.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    month : str, optional
        ``YYYY-MM`` in park local time.
    by : {"carrier", "meter", "enterprise", "industry"}
        Grouping.
    year : str, optional
        ``YYYY`` instead of a month.

    Returns
    -------
    pandas.DataFrame
        by meter: ``meter_id, name, carrier, role, unit, parent_id, enterprise_id, quantity,
        readings, interval_min, coverage_pct, energy_tce``; by carrier: ``carrier, flow,
        unit, quantity, meters, coverage_pct, energy_tce``; by enterprise or industry: see
        :func:`greenpark.metrics.carbon.tables.carbon_table`. ``quantity`` is in ``unit``.

    Raises
    ------
    GreenparkError
        Bad period, or no readings at all in it.
    """
    if by not in BY:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY)}")
    if by in ("enterprise", "industry"):
        from greenpark.metrics.carbon.tables import energy_tce_table

        return energy_tce_table(store, month, year, by)
    park = store.park()
    period = period_of(month, year, park.timezone)
    meters = store.con.execute(METER_SQL, [period.start_utc, period.end_utc, period.hours]).df()
    if not meters["readings"].any():
        first, last = store.con.execute("SELECT min(ts), max(ts) FROM readings").fetchone()
        span = f"stored readings run from {first} to {last} UTC" if first else "no readings stored"
        raise GreenparkError(f"no readings in {period.label} ({span})")
    meters["meter_id"] = meters["meter_id"].astype(object)
    meters["energy_tce"] = _tce(meters, period.start_local.date())
    return meters if by == "meter" else by_carrier(meters)


def _tce(meters, month) -> list[float]:
    """Standard coal equivalent of each meter's quantity (GB/T 2589, calorific). [tce]"""
    from greenpark.core.factors import COAL_ROWS, coal_coefficient
    from greenpark.metrics.carbon.formulas import energy_tce

    return [
        energy_tce(q, coal_coefficient(c).value) if c in COAL_ROWS else float("nan")
        for q, c in zip(meters["quantity"], meters["carrier"], strict=True)
    ]


def by_carrier(meters):
    """Per-meter frame (see :func:`energy`) -> park flows per carrier.

    Parameters
    ----------
    meters : pandas.DataFrame
        Columns ``carrier, role, unit, quantity, coverage_pct, meter_id``.

    Returns
    -------
    pandas.DataFrame
        ``carrier, flow, unit, quantity, meters, coverage_pct``.
    """
    import pandas as pd

    rows = []
    for carrier, group in meters.groupby("carrier", sort=True):
        unit = group["unit"].iloc[0]
        boundary = group[group["role"].isin(BOUNDARY_ROLES)]
        for role, flow in boundary.groupby("role", sort=True):
            rows.append(_row(carrier, role, unit, flow["quantity"].sum(), flow))
        if not boundary.empty:
            sign = boundary["role"].map(lambda r: -1.0 if r in EXPORT_ROLES else 1.0)
            rows.append(
                _row(carrier, "consumption", unit, (boundary["quantity"] * sign).sum(), boundary)
            )
        subs = group[group["role"] == "submeter"]
        if not subs.empty:
            rows.append(_row(carrier, "submetered", unit, subs["quantity"].sum(), subs))
    return pd.DataFrame(
        rows,
        columns=["carrier", "flow", "unit", "quantity", "meters", "coverage_pct", "energy_tce"],
    )


def _row(carrier, flow, unit, quantity, group) -> dict:
    from greenpark.core.factors import COAL_ROWS, coal_coefficient
    from greenpark.metrics.carbon.formulas import energy_tce

    tce = (
        energy_tce(quantity, coal_coefficient(carrier).value)
        if carrier in COAL_ROWS
        else float("nan")
    )
    return {
        "carrier": carrier,
        "flow": flow,
        "unit": unit,
        "quantity": float(quantity),
        "meters": int(len(group)),
        "coverage_pct": float(group["coverage_pct"].mean()),
        "energy_tce": tce,
    }
