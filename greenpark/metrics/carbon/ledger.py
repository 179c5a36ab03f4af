"""Energy (tce) and CO2 accounting of the park for a period: the ledger.

Every figure comes from a ledger line: an activity (a boundary meter's monthly total, or
a green-power claim), its quantity and unit, the factor applied (id, value, unit,
source, year, confidence, override) and the result. Totals are sums of ledger lines.
Months are calendar months in park local time; factors are resolved per month (the
grid factor of the month's year, or the newest earlier one, stated in ``note`` and in a
``factor.fallback`` finding).

Method (docs/methodology.md, "Energy and carbon"):

* scope 1: fuel combustion, quantity x NCV x C x OX x 44/12;
* scope 2 location-based: (grid import - grid export) x the grid factor of the park's
  province (or region, or national: ``[accounting] grid_factor_level``);
* scope 2 market-based: green power and GECs (vintage in the month's year, pro rata over
  the days they cover, at most the net purchase) at zero; the rest at the national
  factor excluding market-traded non-fossil electricity;
* purchased heat at 0.11 tCO2/GJ (minus exported heat);
* on-site PV/wind: zero-emission, counted in energy, not purchased;
* industrial process emissions: declared per enterprise, month and process (``greenpark
  load process-emissions``), scope 1, source ``industrial_process``, no energy;
* energy: GB/T 2589 coefficients, electricity at its calorific equivalent (0.1229
  kgce/kWh) or, with ``electricity_tce_method = "primary"``, at the year's coal rate.

Every finding of a ledger is about one month (``Finding.data["month"]``), so a slice of a
ledger has exactly the findings a ledger built for the slice's months would have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from greenpark.core.errors import GreenparkError
from greenpark.core.factors import ZERO, FactorBook
from greenpark.core.findings import Finding
from greenpark.core.periods import Period, month_start
from greenpark.core.vocab import CARRIERS
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.enterprise import ENTERPRISE_COLUMNS, enterprise_breakdown
from greenpark.metrics.carbon.green_power import enterprise_excess, green_claims, market_lines
from greenpark.metrics.carbon.lines import (
    LEDGER_COLUMNS,
    NOT_SUBMETERED,
    NOT_SUBMETERED_NOTE,
    ROLE_ACTIVITY,
    ledger_line,
    location_total,
    market_total,
)

__all__ = [
    "BUILDS",
    "ENTERPRISE_COLUMNS",
    "LEDGER_COLUMNS",
    "NOT_SUBMETERED",
    "NOT_SUBMETERED_NOTE",
    "ROLE_ACTIVITY",
    "Ledger",
    "build_ledger",
    "enterprise_breakdown",
    "green_claims",
    "ledger_for",
    "location_total",
    "market_total",
    "meter_months",
    "monthly_meter_totals",
    "prime",
]


@dataclass
class Ledger:
    """The ledger lines of some months, and what to know about them.

    Attributes
    ----------
    lines : pandas.DataFrame
        Columns ``LEDGER_COLUMNS``; ``basis`` is ``location``, ``market`` or ``both``.
    enterprise : pandas.DataFrame
        Per month and enterprise (and the not-submetered line): ``energy_tce``,
        ``emissions_location_tco2``, ``emissions_market_tco2``, ``electricity_kwh``.
    findings : list of Finding
        Each with ``data["month"]`` (the first day of the month it is about).
    """

    lines: object
    enterprise: object
    findings: list[Finding] = field(default_factory=list)

    def slice(self, months) -> Ledger:
        """The ledger of ``months`` (a :class:`Period` or first days of months) only.

        Findings tagged with a month (``Finding.data["month"]``) outside ``months`` are
        dropped; untagged ones are kept.

        Raises
        ------
        GreenparkError
            If there are no lines in those months.
        """
        months = months.months if isinstance(months, Period) else list(months)
        wanted = set(months)
        lines = self.lines[self.lines["month"].isin(wanted)]
        enterprise = self.enterprise[self.enterprise["month"].isin(wanted)]
        if lines.empty and enterprise.empty:
            raise GreenparkError(f"no readings from {months[0]:%Y-%m} to {months[-1]:%Y-%m}")
        findings = [f for f in self.findings if _month_of(f) in (None, *wanted)]
        return Ledger(lines.reset_index(drop=True), enterprise.reset_index(drop=True), findings)


def _month_of(finding):
    data = getattr(finding, "data", None) or {}
    month = data.get("month")
    return month_start(month) if hasattr(month, "year") else None


# How many times a ledger was built from the database in this process (tests assert that
# a report builds exactly one).
BUILDS = {"count": 0}


def ledger_for(store, period: Period) -> Ledger:
    """The ledger of ``period`` (a :class:`~greenpark.core.periods.Period`), built once.

    Ledgers are kept on the store until its next write; a period inside one already
    built (e.g. the month of a report whose 24-month span was built first with
    :func:`prime`) is sliced from it instead of being built again.

    Raises
    ------
    GreenparkError
        If there are no readings in the period.
    """
    built = store.cached("ledgers", dict)
    key = (period.first, period.last)
    if key in built:
        return built[key]
    inside = [led for (a, b), led in built.items() if a <= period.first and period.last <= b]
    # a slice is kept too: a report slices the same windows many times (shared and read
    # only, as the built ledgers are)
    ledger = inside[0].slice(period.months) if inside else build_ledger(store, period.months)
    built[key] = ledger
    return ledger


def prime(store, period: Period) -> None:
    """Build the ledger of ``period`` now, so that every period inside it is a slice.

    A period with no readings at all is left unbuilt (its users raise as usual).
    """
    try:
        ledger_for(store, period)
    except GreenparkError:
        pass


def build_ledger(store, months: list[dt.date]) -> Ledger:
    """Build the ledger for ``months`` (consecutive first days, park local time).

    Use :func:`ledger_for` instead: it builds once per store and slices.

    Raises
    ------
    GreenparkError
        If there are no readings at all in those months.
    """
    import pandas as pd

    BUILDS["count"] += 1
    park = store.park()
    book = store.factor_book()
    period = Period.range(months[0], months[-1], park.timezone)
    totals = monthly_meter_totals(store, period)
    if totals.empty:
        raise GreenparkError(f"no readings from {months[0]:%Y-%m} to {months[-1]:%Y-%m}")
    boundary = totals[totals["role"].isin(ROLE_ACTIVITY)]
    lines = [_meter_line(r, book) for r in boundary.itertuples()]
    claims, findings = green_claims(store, period)
    claims, excess = enterprise_excess(
        claims, totals, park.accounting.enterprise_excess_green_power
    )
    findings += excess
    for month in period.months:
        more, found = market_lines(boundary[boundary["month"] == month], claims, month, book)
        lines += more
        findings += found
    lines += process_lines(store, period)
    ledger = pd.DataFrame(lines, columns=LEDGER_COLUMNS)
    enterprise = enterprise_breakdown(totals, ledger, claims, book)
    return Ledger(ledger, enterprise, findings + factor_findings(ledger))


TOTALS_COLUMNS = [
    "month",
    "meter_id",
    "carrier",
    "role",
    "enterprise_id",
    "parent_id",
    "parent_role",
    "quantity",
]


def monthly_meter_totals(store, period: Period):
    """Monthly totals per meter over ``period`` (localized), summed in DuckDB.

    Returns
    -------
    pandas.DataFrame
        ``month, meter_id, carrier, role, enterprise_id, parent_id, parent_role, quantity``
        (park local months; quantities in canonical units).
    """
    return meter_months(store, period)[TOTALS_COLUMNS].copy()


def meter_months(store, period: Period, build: bool = True):
    """Per meter and park-local month of ``period``: the columns of
    :func:`monthly_meter_totals`, and ``meter_key``, ``readings`` (non-blank values),
    ``n_rows``, ``first_us`` and ``last_us`` (first and last reading, UTC epoch [us]).

    Summed once per store: a period inside one already summed (the report's 24 months)
    is a slice of it. The frame is shared: do not modify it. With ``build=False``: None
    unless it is already summed.
    """
    built = store.cached("meter_months", dict)
    for (first, last, timezone), frame in built.items():
        if timezone == period.timezone and first <= period.first and period.last <= last:
            if (first, last) == (period.first, period.last):
                return frame
            # (an empty slice has the full frame's columns and types: no second scan)
            return frame[frame["month"].isin(set(period.months))].reset_index(drop=True)
    if not build:
        return None
    frame = _sum_meter_months(store, period)
    built[period.first, period.last, period.timezone] = frame
    return frame


DAYS_TABLE = "gp_ledger_days"  # temporary: each local day's month, while summing
_SELECT_TOTALS = """
SELECT t.month, m.meter_id, m.carrier, m.role, m.enterprise_id, m.parent_id,
       p.role AS parent_role, t.quantity, t.meter_key, t.readings, t.n_rows,
       t.first_us, t.last_us
FROM t JOIN meters m USING (meter_key) LEFT JOIN meters p ON p.meter_id = m.parent_id
ORDER BY t.month, m.meter_id"""
_SUMS = """sum(r.value) AS quantity, count(r.value) AS readings, count(*) AS n_rows,
           epoch_us(min(r.ts)) AS first_us, epoch_us(max(r.ts)) AS last_us"""


def _sum_meter_months(store, period: Period):
    """The one scan of the readings behind :func:`meter_months`.

    At a fixed UTC offset (after 1970) each reading's local day is integer arithmetic
    and its month a join with a small table of the period's days: much cheaper than
    truncating every timestamp to its month (as before 1970 or with daylight saving).
    """
    from greenpark.io.timezones import fixed_offset_seconds

    start, end = period.utc_bounds()
    offset = fixed_offset_seconds(period.timezone)
    if offset is None or start + dt.timedelta(seconds=offset) < dt.datetime(1970, 1, 2):
        local = (
            "timezone(?, timezone('UTC', r.ts))"
            if offset is None
            else f"r.ts + INTERVAL ({offset}) SECOND"
        )
        sql = f"""WITH t AS (
            SELECT r.meter_key, CAST(date_trunc('month', {local}) AS DATE) AS month, {_SUMS}
            FROM readings r WHERE r.ts >= ? AND r.ts < ? GROUP BY ALL)"""
        params = ([period.timezone] if offset is None else []) + [start, end]
        return _totals_frame(store.con.execute(sql + _SELECT_TOTALS, params).df())
    base = _days_table(store.con, start, end, offset)
    sql = f"""WITH s AS (
        SELECT r.meter_key, d.idx, {_SUMS}
        FROM readings r JOIN {DAYS_TABLE} d
             ON d.day = (epoch_us(r.ts) + {offset * 1_000_000}) // 86400000000
        WHERE r.ts >= ? AND r.ts < ? GROUP BY r.meter_key, d.idx),
    t AS (SELECT *, make_date((idx + {base}) // 12, (idx + {base}) % 12 + 1, 1) AS month
          FROM s)"""
    try:
        return _totals_frame(store.con.execute(sql + _SELECT_TOTALS, [start, end]).df())
    finally:
        store.con.execute(f"DROP TABLE IF EXISTS {DAYS_TABLE}")


def _days_table(con, start, end, offset: int) -> int:
    """Create :data:`DAYS_TABLE`: each local day (days since 1970) from the day before
    ``start`` to the day after ``end`` (UTC) and its month, counted from the first
    day's month; returns that month's number (year * 12 + month - 1). A table, not a
    CTE: DuckDB joins it much faster (it knows the table's value ranges)."""
    shift = dt.timedelta(seconds=offset)
    first = (start + shift).date() - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=i) for i in range(((end + shift).date() - first).days + 2)]
    base = first.year * 12 + first.month - 1
    months = [d.year * 12 + d.month - 1 - base for d in days]
    kind = "UTINYINT" if months[-1] < 256 else "INTEGER"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DAYS_TABLE} AS "
        f"SELECT unnest(?::BIGINT[]) AS day, unnest(?::{kind}[]) AS idx",
        [[(d - dt.date(1970, 1, 1)).days for d in days], months],
    )
    return base


def _totals_frame(frame):
    frame["month"] = frame["month"].map(month_start)
    for col in ("meter_id", "carrier", "role", "enterprise_id", "parent_id", "parent_role"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _meter_line(row, book: FactorBook) -> list:
    scope, activity, sign, slot, basis = ROLE_ACTIVITY[row.role]
    quantity = sign * row.quantity
    if slot is None:
        factor, emissions = ZERO, 0.0
    elif slot == "fuel.co2":
        factor = book.fuel_co2(row.carrier, row.month)
        emissions = quantity * factor.value
    elif slot.startswith("electricity"):
        factor = book.get(slot, row.month)
        emissions = carbon.electricity_tco2(quantity, factor.value)
    else:
        factor = book.get(slot, row.month)
        emissions = quantity * factor.value
    energy = carbon.energy_tce(quantity, book.get(f"tce.{row.carrier}", row.month).value)
    what = {
        "month": row.month,
        "meter_id": row.meter_id,
        "enterprise_id": row.enterprise_id,
        "scope": scope,
        "source": row.carrier,
        "activity": activity,
        "basis": basis,
        "quantity": quantity,
        "unit": CARRIERS[row.carrier],
    }
    return ledger_line(what, factor, emissions, energy)


PROCESS_SOURCE = "industrial_process"
_PROCESS_SQL = """
SELECT month, enterprise_id, process, tco2, activity, activity_unit, factor_tco2_per_unit,
       method, source FROM process_emissions WHERE month BETWEEN ? AND ?
ORDER BY month, enterprise_id, process"""


def process_lines(store, period: Period) -> list[list]:
    """Scope-1 ledger lines of the declared industrial process emissions of ``period``.

    A row given as activity x factor keeps both (quantity in ``activity_unit``, factor in
    tCO2 per unit); a row given as tCO2 has quantity = tCO2 and factor 1. No energy.
    """
    from greenpark.core.factors import Factor

    rows = store.con.execute(_PROCESS_SQL, [period.first, period.last]).fetchall()
    lines = []
    for month, enterprise, process, tco2, activity, unit, factor, method, source in rows:
        by_activity = activity is not None
        applied = Factor(
            "process.declared",
            float(factor) if by_activity else 1.0,
            f"tCO2/{unit}" if by_activity else "tCO2/tCO2",
            source or "declared by the park",
            None,
            "reported",
            note=f"method: {method}",
        )
        what = {
            "month": month_start(month),
            "meter_id": None,
            "enterprise_id": enterprise,
            "scope": "scope1",
            "source": PROCESS_SOURCE,
            "activity": f"industrial process emissions: {process}",
            "basis": "both",
            "quantity": float(activity) if by_activity else float(tco2),
            "unit": unit if by_activity else "tCO2",
        }
        lines.append(ledger_line(what, applied, float(tco2), 0.0))
    return lines


def metered_months(lines) -> set:
    """The months of ledger lines that come from readings (not declared process rows)."""
    return set(lines.loc[lines["source"] != PROCESS_SOURCE, "month"])


def factor_findings(lines) -> list[Finding]:
    """A finding per month for each grid factor of another year (``factor.fallback``)
    and each park override (``factor.override``) the lines use.

    Parameters
    ----------
    lines : pandas.DataFrame
        Ledger lines (``LEDGER_COLUMNS``).
    """
    noted = lines.loc[
        lines["note"].astype(bool) & lines["factor_id"].str.startswith(("grid.", "override.")),
        ["month", "factor_id", "note", "factor_year"],
    ].drop_duplicates(["month", "factor_id", "note"])
    noted = noted.sort_values(["month", "factor_id"], kind="stable")
    return [_factor_finding(r) for r in noted.itertuples(index=False)]


def _factor_finding(row) -> Finding:
    data = {"factor_id": row.factor_id, "month": row.month, "period": f"{row.month:%Y-%m}"}
    if row.factor_id.startswith("override."):
        return Finding("factor.override", f"{row.factor_id}: {row.note}", "info", data)
    data["year"] = int(row.factor_year)
    return Finding("factor.fallback", f"{row.factor_id}: {row.note}", data=data)
