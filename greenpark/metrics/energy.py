"""Energy use per meter or carrier for a period, aggregated inside DuckDB.

Definitions (docs/methodology.md):

* ``quantity``: sum of interval values whose interval starts in the month (park local
  time), in the carrier's canonical unit (``unit`` column).
* ``coverage_pct``: received / expected intervals x 100 (0 for a meter that sent
  nothing, blank for one not in service), and ``interval_min`` the meter's usual
  interval: :mod:`greenpark.metrics.coverage`.
* by carrier, park figures come from boundary meters only: ``grid_import``,
  ``grid_export``, ``pv_generation`` ... and ``consumption`` = import + on-site
  generation - export (electricity) or the sum of boundary meters (other carriers).
  ``submetered`` is the sum of the top-level submeters (a submeter under another
  submeter is already inside its parent: each meter counted once), shown beside it,
  never added to it.
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.factors import COAL_ROWS
from greenpark.core.findings import Result
from greenpark.core.periods import Period, period_of
from greenpark.core.vocab import BOUNDARY_ROLES

BY = ("meter", "carrier", "enterprise", "industry")
GENERATION_ROLES = ("pv_generation", "wind_generation")
EXPORT_ROLES = ("grid_export", "heat_export")
CARRIER_COLUMNS = ["carrier", "flow", "unit", "quantity", "meters", "coverage_pct", "energy_tce"]

# The per-meter frame from each meter's sum and count of the period (s: meter_key,
# quantity, readings).
METER_SQL = """
WITH s AS (
    SELECT unnest(?::INTEGER[]) AS meter_key, unnest(?::DOUBLE[]) AS quantity,
           unnest(?::BIGINT[]) AS readings
)
SELECT m.meter_id, m.name, m.carrier, m.role, m.canonical_unit AS unit, m.parent_id,
       m.enterprise_id, coalesce(s.quantity, 0.0) AS quantity, coalesce(s.readings, 0) AS readings
FROM meters m LEFT JOIN s USING (meter_key)
ORDER BY m.carrier, m.role, m.meter_id
"""


def energy_result(store, period: Period | str, by: str = "carrier") -> Result:
    """Energy use of a period, per meter or per carrier (or enterprise, industry).

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    period : Period or str
        In park local time (``2025-06``, ``2025``, ``2025-01..2025-06``).
    by : {"carrier", "meter", "enterprise", "industry"}
        Grouping.

    Returns
    -------
    Result
        ``frame`` by meter: ``meter_id, name, carrier, role, unit, parent_id,
        enterprise_id, quantity, readings, interval_min, coverage_pct, energy_tce``; by
        carrier: ``carrier, flow, unit, quantity, meters, coverage_pct, energy_tce``
        (``quantity`` in ``unit``, ``interval_min`` [min], ``coverage_pct`` [%],
        ``energy_tce`` [tce], GB/T 2589 through the park's factor book); by enterprise or
        industry: :func:`greenpark.metrics.carbon.tables.energy_tce_by`. ``inputs``: the
        period, ``by`` and the ``factor_ids`` used.

    Raises
    ------
    GreenparkError
        Bad period or grouping, or no readings at all in the period.
    """
    if by not in BY:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY)}")
    period = period_of(period=period, timezone=store.park().timezone)
    if by in ("enterprise", "industry"):
        from greenpark.metrics.carbon.tables import energy_tce_by

        return energy_tce_by(store, period, by)
    meters, factor_ids = store.cached(("energy.meters", period), lambda: _meters(store, period))
    from greenpark.metrics.coverage import with_coverage

    frame = meters.copy() if by == "meter" else by_carrier(meters)
    result = Result(frame, inputs={**period.to_dict(), "by": by, "factor_ids": factor_ids})
    return with_coverage(result, store, period)


def energy(store, month: str | None = None, by: str = "carrier", year=None, period=None):
    """:func:`energy_result` as a DataFrame (``gp.energy``): exactly one of ``month``
    (``YYYY-MM``), ``year`` (``YYYY``) or ``period``."""
    return energy_result(store, period_of(month, year, period=period), by).to_frame()


def _meters(store, period: Period):
    """The per-meter frame of ``period`` (see :func:`energy_result`) and the ids of the
    standard-coal factors used.

    Sums and counts come from :func:`greenpark.metrics.quality.reading_profile` (shared
    with the quality checks, and with the ledger's monthly sums in a report), intervals
    and coverage from :func:`greenpark.metrics.coverage.meter_coverage`.
    """
    from greenpark.metrics.coverage import meter_coverage
    from greenpark.metrics.quality import reading_profile

    profile = reading_profile(store, period)
    known = profile[profile["n_rows"].notna()]
    keys, readings = known["meter_key"].astype(int), known["readings"].astype(int)
    quantity = known["quantity"].astype(object).where(readings > 0, None)  # a sum of none
    sums = [keys.tolist(), quantity.tolist(), readings.tolist()]
    meters = store.con.execute(METER_SQL, sums).df()
    if not meters["readings"].any():
        first, last = store.con.execute("SELECT min(ts), max(ts) FROM readings").fetchone()
        span = f"stored readings run from {first} to {last} UTC" if first else "no readings stored"
        raise GreenparkError(f"no readings in {period.label} ({span})")
    meters["meter_id"] = meters["meter_id"].astype(object)
    coverage = meter_coverage(store, period).set_index("meter_id")
    meters["interval_min"] = meters["meter_id"].map(coverage["interval_min"]).astype(float)
    meters["coverage_pct"] = meters["meter_id"].map(coverage["coverage_pct"]).astype(float)
    meters["energy_tce"], factor_ids = _tce(store, meters, period)
    return meters, factor_ids


def _tce(store, meters, period: Period):
    """Standard coal equivalent of each meter's quantity (GB/T 2589), with each month's
    coefficient from the park's factor book (overrides and the electricity method
    apply). [tce]

    Returns
    -------
    (pandas.Series, list of str)
        ``energy_tce`` per meter (NaN for carriers without a coefficient) and the
        factor ids used.
    """
    from greenpark.metrics.carbon.formulas import energy_tce

    book = store.factor_book()
    carriers = sorted(c for c in set(meters["carrier"]) if c in COAL_ROWS)
    factors = {c: [book.get(f"tce.{c}", m) for m in period.months] for c in carriers}
    ids = sorted({f.factor_id for found in factors.values() for f in found})
    if all(len({f.value for f in found}) == 1 for found in factors.values()):
        coefficient = meters["carrier"].map({c: found[0].value for c, found in factors.items()})
        return energy_tce(meters["quantity"], coefficient.astype(float)), ids
    return _monthly_tce(store, meters, period, factors), ids


def _monthly_tce(store, meters, period: Period, factors: dict):
    """:func:`_tce` where a coefficient changes within the period: month by month. [tce]"""
    from greenpark.metrics.carbon.formulas import energy_tce
    from greenpark.metrics.carbon.ledger import monthly_meter_totals

    monthly = monthly_meter_totals(store, period)
    index = {m: i for i, m in enumerate(period.months)}
    coefficient = [
        factors[c][index[m]].value if c in factors else float("nan")
        for c, m in zip(monthly["carrier"], monthly["month"], strict=True)
    ]
    tce = energy_tce(monthly["quantity"], coefficient).groupby(monthly["meter_id"]).sum()
    return meters["meter_id"].map(tce).fillna(0.0).where(meters["carrier"].isin(list(factors)))


def by_carrier(meters):
    """Per-meter frame (see :func:`energy_result`) -> park flows per carrier.

    Parameters
    ----------
    meters : pandas.DataFrame
        Columns ``carrier, role, unit, quantity, coverage_pct, meter_id, parent_id,
        energy_tce``: every meter, so that a submeter's parent can be told.

    Returns
    -------
    pandas.DataFrame
        ``carrier, flow, unit, quantity, meters, coverage_pct, energy_tce``; a flow's
        ``energy_tce`` is the signed sum of its meters' (exports count negative). [tce]
    """
    import pandas as pd

    rows = []
    top = top_level_submeters(meters)
    for carrier, group in meters.groupby("carrier", sort=True):
        unit = group["unit"].iloc[0]
        boundary = group[group["role"].isin(BOUNDARY_ROLES)]
        for role, flow in boundary.groupby("role", sort=True):
            rows.append(_row(carrier, role, unit, flow, 1.0))
        if not boundary.empty:
            sign = boundary["role"].map(lambda r: -1.0 if r in EXPORT_ROLES else 1.0)
            rows.append(_row(carrier, "consumption", unit, boundary, sign))
        subs = group[top.loc[group.index]]
        if not subs.empty:
            rows.append(_row(carrier, "submetered", unit, subs, 1.0))
    return pd.DataFrame(rows, columns=CARRIER_COLUMNS)


def top_level_submeters(meters):
    """Mask of the submeters whose parent is not itself a submeter: their sum counts each
    metered kWh once (a child submeter's consumption is inside its parent's).

    Parameters
    ----------
    meters : pandas.DataFrame
        Columns ``meter_id, role, parent_id`` of every meter.
    """
    role_of = dict(zip(meters["meter_id"], meters["role"], strict=True))
    parent_role = meters["parent_id"].map(lambda p: role_of.get(p) if isinstance(p, str) else None)
    return (meters["role"] == "submeter") & (parent_role != "submeter")


def _row(carrier, flow, unit, group, sign) -> dict:
    return {
        "carrier": carrier,
        "flow": flow,
        "unit": unit,
        "quantity": float((group["quantity"] * sign).sum()),
        "meters": int(len(group)),
        "coverage_pct": float(group["coverage_pct"].mean()),
        "energy_tce": float((group["energy_tce"] * sign).sum(min_count=1)),
    }
