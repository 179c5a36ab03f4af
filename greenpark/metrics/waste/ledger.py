"""The waste ledger in t, and its balance and plausibility findings.

Quantities in ``waste_ledger`` (see :mod:`greenpark.loaders.waste`) keep the unit they
were loaded in; they are converted to t (pint) inside the query. Each finding names its
row and file; its data carry ``month`` (the first day, a ``datetime.date``), ``period``
(``YYYY-MM``), ``enterprise_id``, ``stream`` and ``file``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period, month_start, period_of
from greenpark.metrics.waste.formulas import balance_gap_t, balance_tolerance_t
from greenpark.metrics.waste.tables import register_units, table_exists, text_nulls_to_none

QUANTITY_COLUMNS = (
    "generated_t",
    "utilized_t",
    "utilized_from_storage_t",
    "disposed_t",
    "disposed_from_storage_t",
    "stored_t",
    "dumped_t",
)
LEDGER_SQL = """
SELECT l.month, l.enterprise_id, l.stream, l.category, l.subtype, l.hw_code, l.route,
       l.load_id, g.file_name,
       l.generated * u.factor AS generated_t,
       l.utilized * u.factor AS utilized_t,
       l.utilized_from_storage * u.factor AS utilized_from_storage_t,
       l.disposed * u.factor AS disposed_t,
       l.disposed_from_storage * u.factor AS disposed_from_storage_t,
       l.stored * u.factor AS stored_t,
       l.dumped * u.factor AS dumped_t
FROM waste_ledger l JOIN gp_units u USING (unit) LEFT JOIN load_log g USING (load_id)
WHERE l.month BETWEEN ? AND ? AND (CAST(? AS INTEGER) IS NULL OR l.load_id = ?)
"""
# The waste-check table (``greenpark waste-check``): one row per finding, errors first.
FINDING_COLUMNS = ("severity", "code", "month", "enterprise_id", "stream", "file", "message")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def ledger_params(period: Period | None, load_id: int | None = None) -> list:
    """Parameters of :data:`LEDGER_SQL`: the period's first and last month (all months
    when None) and the load id (any when None)."""
    first = period.first if period else dt.date(1, 1, 1)
    last = period.last if period else dt.date(9999, 12, 1)
    return [first, last, load_id, load_id]


def ledger_frame(store, period: Period | None = None, load_id: int | None = None):
    """Ledger rows with quantities in t (``*_t`` columns) and the file they came from.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, optional
        Only its months; all months when omitted.
    load_id : int, optional
        Only the rows stored by this load.

    Returns
    -------
    pandas.DataFrame
        ``month, enterprise_id, stream, category, subtype, hw_code, route, load_id,
        file_name`` and the seven quantities in t.
    """
    con = store.con
    register_units(con, "waste_ledger", "t")
    sql = LEDGER_SQL + " ORDER BY month, enterprise_id, stream"
    try:
        frame = con.execute(sql, ledger_params(period, load_id)).df()
    finally:
        con.unregister("gp_units")
    return text_nulls_to_none(frame)


def ledger_findings(
    store, period: Period | None = None, load_id: int | None = None
) -> list[Finding]:
    """Balance and plausibility findings of ledger rows, each naming its row and file.

    ``waste.balance`` (generated differs from what the row accounts for by more than the
    tolerance), ``waste.over_utilized`` (utilized > generated + utilized from storage),
    ``waste.hazardous_dumped``, ``waste.route_missing`` (utilized or disposed without a
    route) and ``waste.unknown_enterprise`` (not in ``enterprises``, when that is loaded).

    The findings of the whole ledger are worked out once per store (until its next
    committed write) and a period's are picked from them; those of one load (``load_id``)
    are read afresh.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, optional
        Only rows of its months; all months when omitted.
    load_id : int, optional
        Only the rows stored by this load.
    """
    if load_id is not None:
        frame = ledger_frame(store, period, load_id)
        if frame.empty:
            return []
        return _row_findings(frame) + _enterprise_findings(store.con, frame["enterprise_id"])
    if not ledger_overlaps(store, period):
        return []
    whole = store.cached(("waste.ledger_findings",), lambda: _whole_ledger(store))
    inside = whole.rows_in(period)
    if not inside.any():
        return []
    rows = [f for f in whole.row_findings if period is None or f.data["month"] in period]
    return rows + whole.enterprise_findings(whole.enterprises[inside])


def ledger_span(store) -> tuple[dt.date | None, dt.date | None]:
    """The first and last month of the stored ledger ((None, None) when it is empty),
    asked once per store."""
    sql = "SELECT min(month), max(month) FROM waste_ledger"
    return store.cached(("waste.ledger_span",), lambda: store.con.execute(sql).fetchone())


def ledger_overlaps(store, period: Period | None) -> bool:
    """Whether the stored ledger has months in ``period`` (any month when None); False
    means it has no rows there."""
    first, last = ledger_span(store)
    if first is None:
        return False
    return period is None or (period.first <= last and first <= period.last)


@dataclass(frozen=True)
class _WholeLedger:
    """The row findings of every ledger row (in the ledger's order: month, enterprise,
    stream), each row's month and enterprise, and the enterprise registry."""

    months: object  # numpy array of datetime64: each row's month
    enterprises: object  # numpy array of str: each row's enterprise
    row_findings: list
    known: frozenset | None  # the registry's enterprises; None: no registry to check

    def rows_in(self, period: Period | None):
        """Which rows lie in ``period`` (all when None): a boolean array."""
        import numpy as np

        if period is None:
            return np.ones(len(self.months), dtype=bool)
        first, last = (np.datetime64(m, "us") for m in (period.first, period.last))
        return (self.months >= first) & (self.months <= last)

    def enterprise_findings(self, enterprises) -> list[Finding]:
        return _unknown_enterprises(set(enterprises), self.known)


def _whole_ledger(store) -> _WholeLedger:
    frame = ledger_frame(store)
    months = frame["month"].to_numpy(dtype="datetime64[us]")
    return _WholeLedger(
        months,
        frame["enterprise_id"].to_numpy(dtype=object),
        _row_findings(frame) if len(frame) else [],
        _registry(store.con),
    )


def _where(rec: dict) -> str:
    return f"{rec['file_name']}: {rec['month']:%Y-%m} {rec['enterprise_id']} stream {rec['stream']}"


_BALANCE_ORDER = (
    "generated_t",
    "utilized_t",
    "utilized_from_storage_t",
    "stored_t",
    "disposed_t",
    "disposed_from_storage_t",
    "dumped_t",
)


def _row_findings(frame) -> list[Finding]:
    """The findings of every row, in row order; only the rows that have one are visited
    (the tests are worked out for all rows at once)."""
    gap = balance_gap_t(*(frame[c] for c in _BALANCE_ORDER))
    frame = frame.assign(gap_t=gap, tolerance_t=balance_tolerance_t(frame["generated_t"]))
    available = frame["generated_t"] + frame["utilized_from_storage_t"]
    treated = frame["utilized_t"] + frame["disposed_t"]
    hazardous = frame["category"] == "hazardous"
    flagged = (
        ~(frame["gap_t"].abs() <= frame["tolerance_t"])
        | (frame["utilized_t"] > available + 1e-9)
        | (hazardous & (treated > available + frame["disposed_from_storage_t"] + 1e-9))
        | ((frame["category"] == "hazardous") & (frame["dumped_t"] > 0))
        | ((treated > 0) & frame["route"].isna())
    )
    found = []
    for rec in frame[flagged].to_dict("records"):
        month = month_start(rec["month"])
        key = {
            "month": month,
            "period": f"{month:%Y-%m}",
            "enterprise_id": rec["enterprise_id"],
            "stream": rec["stream"],
            "file": rec["file_name"],
        }
        found += _balance(rec, key) + _plausibility(rec, key)
    return found


def _balance(rec: dict, key: dict) -> list[Finding]:
    if abs(rec["gap_t"]) <= rec["tolerance_t"]:
        return []
    message = (
        f"{_where(rec)}: generated {rec['generated_t']:.3f} t but the row accounts "
        f"for {rec['generated_t'] - rec['gap_t']:.3f} t (gap {rec['gap_t']:+.3f} "
        f"t, tolerance {rec['tolerance_t']:.3f} t)"
    )
    data = {**key, "gap_t": rec["gap_t"], "tolerance_t": rec["tolerance_t"]}
    return [Finding("waste.balance", message, data=data)]


def _plausibility(rec: dict, key: dict) -> list[Finding]:
    found = []
    available = rec["generated_t"] + rec["utilized_from_storage_t"]
    if rec["utilized_t"] > available + 1e-9:
        excess = rec["utilized_t"] - available
        message = (
            f"{_where(rec)}: utilized {rec['utilized_t']:.3f} t exceeds generated + "
            f"utilized from storage ({available:.3f} t); undeclared prior-year storage? "
            f"The rates count the {excess:.3f} t excess as taken from prior-year storage "
            "(so no rate exceeds 100 %)"
        )
        data = {**key, "utilized_t": rec["utilized_t"], "available_t": available}
        found.append(Finding("waste.over_utilized", message, data={**data, "excess_t": excess}))
    found += _over_treated(rec, key)
    if rec["category"] == "hazardous" and rec["dumped_t"] > 0:
        message = (
            f"{_where(rec)}: {rec['dumped_t']:.3f} t of hazardous waste ({rec['hw_code']}) "
            "reported as dumped"
        )
        data = {**key, "dumped_t": rec["dumped_t"]}
        found.append(Finding("waste.hazardous_dumped", message, "error", data))
    treated = rec["utilized_t"] + rec["disposed_t"]
    if treated > 0 and rec["route"] is None:
        message = (
            f"{_where(rec)}: {treated:.3f} t utilized or disposed without a route; counted "
            "as neither recycled nor diverted"
        )
        found.append(Finding("waste.route_missing", message, data={**key, "treated_t": treated}))
    return found


def _over_treated(rec: dict, key: dict) -> list[Finding]:
    """A hazardous row that utilizes and disposes of more than it generated and took from
    prior-year storage: ``waste.over_treated``, the excess counted as prior-year stock in
    the utilization and disposal rate (so it never exceeds 100 %)."""
    over_utilized = rec["utilized_t"] > rec["generated_t"] + rec["utilized_from_storage_t"] + 1e-9
    if rec["category"] != "hazardous" or over_utilized:  # over-utilized: reported as such
        return []
    available = rec["generated_t"] + rec["utilized_from_storage_t"] + rec["disposed_from_storage_t"]
    treated = rec["utilized_t"] + rec["disposed_t"]
    if treated <= available + 1e-9:
        return []
    excess = treated - available
    message = (
        f"{_where(rec)}: utilized + disposed {treated:.3f} t exceeds generated + prior-year "
        f"stock utilized and disposed ({available:.3f} t); the {excess:.3f} t excess is "
        "counted as prior-year stock in the hazardous utilization and disposal rate"
    )
    data = {**key, "treated_t": treated, "available_t": available, "excess_t": excess}
    return [Finding("waste.over_treated", message, data=data)]


def _enterprise_findings(con, enterprises) -> list[Finding]:
    return _unknown_enterprises(set(enterprises), _registry(con))


def _registry(con) -> frozenset | None:
    """The enterprises of the registry; None without one (no table, or empty)."""
    if not table_exists(con, "enterprises"):
        return None
    known = frozenset(r[0] for r in con.execute("SELECT enterprise_id FROM enterprises").fetchall())
    return known or None


def _unknown_enterprises(enterprises: set, known: frozenset | None) -> list[Finding]:
    if known is None:
        return []
    return [
        Finding(
            "waste.unknown_enterprise",
            f"waste ledger: enterprise {e} is not in the enterprise registry",
            data={"enterprise_id": e},
        )
        for e in sorted(enterprises - known)
    ]


def waste_check(
    store, period: Period | None = None, *, year: str | int | None = None
) -> list[Finding]:
    """Ledger findings of a period (all stored months when neither is given).

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, optional
        Only the months of this period.
    year : str or int, optional
        ``YYYY``, instead of ``period`` (the string edge).
    """
    store.require_current()
    if year is not None:
        period = period_of(year=year)
    return ledger_findings(store, period)


def ledger_check(store, period: Period | None = None) -> Result:
    """The waste-check table of a period (all months when None).

    Returns
    -------
    Result
        ``frame``: :func:`ledger_findings_table` of :func:`waste_check`, one row per
        finding (the findings are the table, so ``findings`` is empty); ``inputs``: the
        period (``all`` when None) and the balance tolerance.
    """
    from greenpark.metrics.waste.formulas import BALANCE_TOLERANCE_FRACTION, BALANCE_TOLERANCE_T

    table = ledger_findings_table(waste_check(store, period))
    inputs = period.to_dict() if period else {"period": "all"}
    inputs["balance_tolerance"] = {
        "absolute_t": BALANCE_TOLERANCE_T,
        "fraction": BALANCE_TOLERANCE_FRACTION,
    }
    return Result(table, inputs=inputs)


def ledger_findings_table(findings: list[Finding]):
    """Findings -> the waste-check view: :data:`FINDING_COLUMNS`, ``month`` as
    ``YYYY-MM``, errors first, then by month, enterprise and stream.

    The general shape of findings is :func:`greenpark.core.findings.findings_frame`; this
    view adds the ledger's ``month`` and ``stream``.
    """
    import pandas as pd

    rows = [_table_row(f) for f in findings]
    frame = text_nulls_to_none(pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype=object))
    if frame.empty:
        return frame
    frame["_o"] = frame["severity"].map(_SEVERITY_ORDER)
    frame = frame.sort_values(
        ["_o", "month", "enterprise_id", "stream"], kind="stable", na_position="first"
    )
    return frame.drop(columns="_o").reset_index(drop=True)


def _table_row(finding: Finding) -> dict:
    month = finding.data.get("month")
    row = {c: finding.data.get(c) for c in FINDING_COLUMNS}
    row.update(severity=finding.severity, code=finding.code, message=finding.message)
    row["month"] = f"{month:%Y-%m}" if month is not None else None
    return row
