"""Waste rates: comprehensive utilization, hazardous waste, recycling, diversion, intensity.

Pure formulas (numbers or Series in, the same out) and the DuckDB aggregation of the
waste ledger (``waste_ledger``, see :mod:`greenpark.loaders.waste`) behind them. Every
formula, unit and source is in ``docs/methodology.md`` ("Waste, water and waste heat").

Quantities in the ledger keep the unit they were loaded in; they are converted to t
(pint, :func:`greenpark.core.units.factor_to`) inside the queries. A rate whose denominator is
zero is not available: NaN with a finding, never a division by zero.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from greenpark.core.errors import GreenparkError

INDUSTRIAL = ("general_industrial_solid", "hazardous")
RECYCLING_ROUTES = ("recycling", "composting")
DIVERSION_ROUTES = ("recycling", "reuse", "composting")
ENERGY_ROUTE = "energy_recovery"
# Balance tolerance (an assumption, see docs): |gap| <= max(0.01 t, 1 % of generated).
BALANCE_TOLERANCE_T = 0.01
BALANCE_TOLERANCE_FRACTION = 0.01
BY = {
    "park": (),
    "category": ("category",),
    "enterprise": ("enterprise_id",),
    "stream": ("enterprise_id", "stream", "category"),
}
WINDOWS = ("month", "ytd", "rolling12")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass
class Finding:
    """A data-quality or method note.

    Attributes
    ----------
    code : str
        Dotted code, e.g. ``waste.balance``.
    message : str
        What was found, naming the rows or the period.
    severity : str
        ``error``, ``warning`` or ``info``.
    data : dict
        The numbers behind the message (JSON-safe).
    """

    code: str
    message: str
    severity: str = "warning"
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# --- pure formulas -------------------------------------------------------------------


def rate_pct(numerator, denominator):
    """numerator / denominator x 100, NaN where the denominator is not positive.

    Parameters
    ----------
    numerator, denominator : float or pandas.Series
        Same unit. [any]

    Returns
    -------
    float or pandas.Series
        The rate. [%]
    """
    import numpy as np

    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)
    if hasattr(numerator, "index"):
        import pandas as pd

        return pd.Series(out, index=numerator.index)
    return float(out) if out.ndim == 0 else out


def comprehensive_utilization_rate_pct(utilized_t, generated_t, utilized_from_storage_t):
    """Industrial solid waste comprehensive utilization rate (工业固体废物综合利用率).

    rate = utilized / (generated + utilized from prior-year storage) x 100.

    Parameters
    ----------
    utilized_t : float or Series
        Utilized in the period, including waste taken from prior-year storage. [t]
    generated_t : float or Series
        Generated in the period. [t]
    utilized_from_storage_t : float or Series
        Part of ``utilized_t`` taken from prior-year storage. [t]

    Returns
    -------
    float or Series
        [%]; NaN when the denominator is zero.

    References
    ----------
    Chinese environmental statistics definition, as collected in the project's shared
    reference (confidence B).
    """
    return rate_pct(utilized_t, generated_t + utilized_from_storage_t)


def safe_disposal_rate_pct(disposed_t, generated_t, disposed_from_storage_t):
    """Hazardous waste safe-disposal rate: disposed / (generated + disposed from storage).

    Parameters
    ----------
    disposed_t : float or Series
        Disposed in the period by licensed disposal, incl. from prior-year storage. [t]
    generated_t : float or Series
        Generated in the period. [t]
    disposed_from_storage_t : float or Series
        Part of ``disposed_t`` taken from prior-year storage. [t]

    Returns
    -------
    float or Series
        [%]; NaN when the denominator is zero. Defined by analogy with the utilization
        rate (an assumption, see docs/methodology.md).
    """
    return rate_pct(disposed_t, generated_t + disposed_from_storage_t)


def balance_gap_t(
    generated_t,
    utilized_t,
    utilized_from_storage_t,
    stored_t,
    disposed_t,
    disposed_from_storage_t,
    dumped_t,
):
    """generated - [(utilized - from storage) + stored + (disposed - from storage) + dumped].

    Parameters
    ----------
    generated_t, utilized_t, utilized_from_storage_t, stored_t, disposed_t,
    disposed_from_storage_t, dumped_t : float or Series
        Ledger quantities of the period. [t]

    Returns
    -------
    float or Series
        Positive: generated waste not accounted for; negative: more accounted for than
        generated. [t]
    """
    accounted = (
        (utilized_t - utilized_from_storage_t)
        + stored_t
        + (disposed_t - disposed_from_storage_t)
        + dumped_t
    )
    return generated_t - accounted


def balance_tolerance_t(
    generated_t,
    absolute_t: float = BALANCE_TOLERANCE_T,
    fraction: float = BALANCE_TOLERANCE_FRACTION,
):
    """Largest balance gap that is not a finding: max(absolute, fraction x generated). [t]"""
    import numpy as np

    return np.maximum(absolute_t, fraction * np.asarray(generated_t, dtype=float))


def waste_intensity_t_per_10k_cny(generated_t, value_added_10k_cny):
    """Waste generated per 10k CNY of value added, NaN where value added is not positive.

    Parameters
    ----------
    generated_t : float or Series
        [t]
    value_added_10k_cny : float or Series
        Industrial value added. [10k CNY]

    Returns
    -------
    float or Series
        [t/10k CNY]
    """
    rate = rate_pct(generated_t, value_added_10k_cny)
    return rate / 100.0


# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRange:
    """Months ``first`` .. ``last`` (first days, inclusive) with a label."""

    label: str
    first: dt.date
    last: dt.date

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def month_starts(self) -> list[dt.date]:
        return [_add_months(self.first, i) for i in range(self.months)]


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(
    month: str | None = None, year: str | int | None = None, window: str = "month"
) -> MonthRange:
    """The months of ``--month M [--window month|ytd|rolling12]`` or ``--year Y``.

    Raises
    ------
    GreenparkError
        Neither or both of month and year, a malformed value or an unknown window.
    """
    if (month is None) == (year is None):
        raise GreenparkError("give either --month YYYY-MM or --year YYYY")
    if year is not None:
        if not _YEAR.match(str(year).strip()):
            raise GreenparkError(f"--year {year!r}: expected YYYY, e.g. 2025")
        y = int(year)
        return MonthRange(f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 1))
    match = _MONTH.match(str(month).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise GreenparkError(f"--month {month!r}: expected YYYY-MM, e.g. 2025-06")
    if window not in WINDOWS:
        raise GreenparkError(f"--window {window!r}: choose one of {', '.join(WINDOWS)}")
    last = dt.date(int(match.group(1)), int(match.group(2)), 1)
    first = {"month": last, "ytd": last.replace(month=1), "rolling12": _add_months(last, -11)}[
        window
    ]
    label = f"{last:%Y-%m}" if first == last else f"{first:%Y-%m}..{last:%Y-%m}"
    return MonthRange(label, first, last)


# --- ledger queries --------------------------------------------------------------------

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
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route IN ('recycling',
           'composting')), 0) AS recycling_routes_t,
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route IN ('recycling', 'reuse',
           'composting')), 0) AS diversion_routes_t,
       coalesce(sum(utilized_t + disposed_t) FILTER (WHERE route = 'energy_recovery'), 0)
           AS energy_recovery_t
FROM gp_ledger
"""
OUTPUT_COLUMNS = (
    "generated_t",
    "utilized_t",
    "utilized_from_storage_t",
    "disposed_t",
    "disposed_from_storage_t",
    "stored_t",
    "dumped_t",
    "industrial_generated_t",
    "industrial_utilization_rate_pct",
    "general_utilization_rate_pct",
    "hazardous_generated_t",
    "hazardous_utilization_rate_pct",
    "hazardous_safe_disposal_rate_pct",
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


def register_units(con, table: str, canonical: str, name: str = "gp_units") -> None:
    """Expose ``(unit, factor)`` for every distinct unit of ``table`` as the view ``name``.

    ``table`` and ``name`` come from greenpark's code; factors come from pint.
    """
    import pandas as pd

    from greenpark.core.units import factor_to
    from greenpark.store import register_frame

    units = [r[0] for r in con.execute(f"SELECT DISTINCT unit FROM {table}").fetchall()]  # noqa: S608
    frame = pd.DataFrame(
        {"unit": pd.Series(units, dtype=object), "factor": [factor_to(u, canonical) for u in units]}
    )
    register_frame(con, name, frame)


def ledger_frame(
    store, first: dt.date | None = None, last: dt.date | None = None, load_id: int | None = None
):
    """Ledger rows with quantities in t (``*_t`` columns) and the file they came from.

    Parameters
    ----------
    store : greenpark.store.Store
    first, last : datetime.date, optional
        First days of the first and last month (inclusive); all months when omitted.
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
    params = [first or dt.date(1, 1, 1), last or dt.date(9999, 12, 1), load_id, load_id]
    try:
        frame = con.execute(LEDGER_SQL + " ORDER BY month, enterprise_id, stream", params).df()
    finally:
        con.unregister("gp_units")
    return text_nulls_to_none(frame)


def text_nulls_to_none(frame):
    """Text columns as ``object`` dtype with None for blanks (in place, returned).

    DuckDB and pandas 3 give text as the ``str`` dtype with NaN for NULL; greenpark's
    renderers escape spreadsheet formulas in ``object`` columns.
    """
    import pandas as pd

    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col].dtype):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def ledger_findings(
    store, first: dt.date | None = None, last: dt.date | None = None, load_id: int | None = None
) -> list[Finding]:
    """Balance and plausibility findings of ledger rows, each naming its row and file.

    ``waste.balance`` (generated differs from what the row accounts for by more than the
    tolerance), ``waste.over_utilized`` (utilized > generated + utilized from storage),
    ``waste.hazardous_dumped``, ``waste.route_missing`` (utilized or disposed without a
    route) and ``waste.unknown_enterprise`` (not in ``enterprises``, when that is loaded).
    """
    frame = ledger_frame(store, first, last, load_id)
    if frame.empty:
        return []
    return _row_findings(frame) + _enterprise_findings(store.con, frame)


def _where(rec: dict) -> str:
    return f"{rec['file_name']}: {rec['month']:%Y-%m} {rec['enterprise_id']} stream {rec['stream']}"


def _row_findings(frame) -> list[Finding]:
    gap = balance_gap_t(
        *(
            frame[c]
            for c in (
                "generated_t",
                "utilized_t",
                "utilized_from_storage_t",
                "stored_t",
                "disposed_t",
                "disposed_from_storage_t",
                "dumped_t",
            )
        )
    )
    tol = balance_tolerance_t(frame["generated_t"])
    frame = frame.assign(gap_t=gap, tolerance_t=tol)
    found = []
    for rec in frame.to_dict("records"):
        key = {
            "month": f"{rec['month']:%Y-%m}",
            "enterprise_id": rec["enterprise_id"],
            "stream": rec["stream"],
            "file": rec["file_name"],
        }
        if abs(rec["gap_t"]) > rec["tolerance_t"]:
            found.append(
                Finding(
                    "waste.balance",
                    (
                        f"{_where(rec)}: generated {rec['generated_t']:.3f} t but the row accounts "
                        f"for {rec['generated_t'] - rec['gap_t']:.3f} t (gap {rec['gap_t']:+.3f} "
                        f"t, tolerance {rec['tolerance_t']:.3f} t)"
                    ),
                    data={**key, "gap_t": rec["gap_t"], "tolerance_t": rec["tolerance_t"]},
                )
            )
        found += _plausibility(rec, key)
    return found


def _plausibility(rec: dict, key: dict) -> list[Finding]:
    found = []
    available = rec["generated_t"] + rec["utilized_from_storage_t"]
    if rec["utilized_t"] > available + 1e-9:
        found.append(
            Finding(
                "waste.over_utilized",
                (
                    f"{_where(rec)}: utilized {rec['utilized_t']:.3f} t exceeds generated + "
                    f"utilized from storage ({available:.3f} t); undeclared prior-year storage?"
                ),
                data={**key, "utilized_t": rec["utilized_t"], "available_t": available},
            )
        )
    if rec["category"] == "hazardous" and rec["dumped_t"] > 0:
        found.append(
            Finding(
                "waste.hazardous_dumped",
                (
                    f"{_where(rec)}: {rec['dumped_t']:.3f} t of hazardous waste ({rec['hw_code']}) "
                    "reported as dumped"
                ),
                severity="error",
                data={**key, "dumped_t": rec["dumped_t"]},
            )
        )
    treated = rec["utilized_t"] + rec["disposed_t"]
    if treated > 0 and rec["route"] is None:
        found.append(
            Finding(
                "waste.route_missing",
                (
                    f"{_where(rec)}: {treated:.3f} t utilized or disposed without a route; counted "
                    "as neither recycled nor diverted"
                ),
                data={**key, "treated_t": treated},
            )
        )
    return found


def _table_exists(con, table: str) -> bool:
    return (
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()[0]
        > 0
    )


def _enterprise_findings(con, frame) -> list[Finding]:
    if not _table_exists(con, "enterprises"):
        return []
    known = {r[0] for r in con.execute("SELECT enterprise_id FROM enterprises").fetchall()}
    if not known:
        return []
    unknown = sorted(set(frame["enterprise_id"]) - known)
    return [
        Finding(
            "waste.unknown_enterprise",
            f"waste ledger: enterprise {e} is not in the enterprise registry",
            data={"enterprise_id": e},
        )
        for e in unknown
    ]


# --- rates -----------------------------------------------------------------------------


@dataclass
class WasteResult:
    """Waste rates of a period.

    Attributes
    ----------
    period : MonthRange
    by : str
        ``park``, ``category``, ``enterprise`` or ``stream``.
    count_energy_recovery : bool
        Whether energy recovery counted as recycling and diversion.
    frame : pandas.DataFrame
        ``period``, the ``by`` columns, then :data:`OUTPUT_COLUMNS`.
    findings : list of Finding
    """

    period: MonthRange
    by: str
    count_energy_recovery: bool
    frame: object
    findings: list[Finding]

    def to_frame(self):
        return self.frame


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
    out["industrial_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["industrial_utilized_t"], s["industrial_generated_t"], s["industrial_ufs_t"]
    )
    out["general_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["general_utilized_t"], s["general_generated_t"], s["general_ufs_t"]
    )
    out["hazardous_utilization_rate_pct"] = comprehensive_utilization_rate_pct(
        s["hazardous_utilized_t"], s["hazardous_generated_t"], s["hazardous_ufs_t"]
    )
    out["hazardous_safe_disposal_rate_pct"] = safe_disposal_rate_pct(
        s["hazardous_disposed_t"], s["hazardous_generated_t"], s["hazardous_dfs_t"]
    )
    energy = s["energy_recovery_t"] if count_energy_recovery else 0.0
    out["handled_t"] = s["utilized_t"] + s["disposed_t"] + s["dumped_t"]
    out["recycled_t"] = s["recycling_routes_t"] + energy
    out["recycling_rate_pct"] = rate_pct(out["recycled_t"], out["handled_t"])
    out["diverted_t"] = s["diversion_routes_t"] + energy
    out["landfill_diversion_rate_pct"] = rate_pct(out["diverted_t"], out["handled_t"])
    return out


def waste_rates(
    store,
    month: str | None = None,
    year: str | int | None = None,
    window: str = "month",
    by: str = "park",
    count_energy_recovery: bool = False,
) -> WasteResult:
    """Waste quantities and rates for a month, year to date, rolling 12 months or a year.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database.
    month : str, optional
        ``YYYY-MM``: the last month of the period (see ``window``).
    year : str or int, optional
        ``YYYY``: the calendar year (instead of ``month``).
    window : {"month", "ytd", "rolling12"}
        With ``month``: that month, January to it, or the 12 months ending with it.
    by : {"park", "category", "enterprise", "stream"}
        Grouping.
    count_energy_recovery : bool
        Count the route ``energy_recovery`` as recycled and diverted (off by default).

    Returns
    -------
    WasteResult
        ``frame`` with ``period``, the grouping columns and :data:`OUTPUT_COLUMNS`;
        ``findings`` with the ledger findings of the period and unavailable rates.

    Raises
    ------
    GreenparkError
        Bad period or grouping, or no ledger rows in the period.
    """
    if by not in BY:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY)}")
    period = month_range(month, year, window)
    store.require_current()
    sums = _sums(store, period, BY[by])
    frame = rates_frame(sums, count_energy_recovery)
    findings = ledger_findings(store, period.first, period.last)
    findings += _coverage_findings(sums, period) if by == "park" else []
    frame, va_findings = _with_intensity(store.con, frame, period, by)
    findings += _unavailable_findings(frame, BY[by], period) + va_findings
    frame.insert(0, "period", period.label)
    columns = ["period", *BY[by], *OUTPUT_COLUMNS]
    frame = text_nulls_to_none(frame[columns].reset_index(drop=True))
    return WasteResult(period, by, count_energy_recovery, frame, findings)


def _sums(store, period: MonthRange, group: tuple[str, ...]):
    con = store.con
    register_units(con, "waste_ledger", "t")
    cols = ", ".join(group)
    select = SUMS_SQL.replace("SELECT ", f"SELECT {cols}, " if cols else "SELECT ", 1)
    tail = f" GROUP BY {cols} ORDER BY {cols}" if cols else ""
    sql = f"WITH gp_ledger AS ({LEDGER_SQL}) {select}{tail}"  # noqa: S608 - code-only names
    try:
        sums = con.execute(sql, [period.first, period.last, None, None]).df()
    finally:
        con.unregister("gp_units")
    if sums.empty or int(sums["rows"].sum()) == 0:
        first, last = con.execute("SELECT min(month), max(month) FROM waste_ledger").fetchone()
        span = (
            f"the ledger runs from {first:%Y-%m} to {last:%Y-%m}"
            if first
            else "no waste ledger loaded: run 'greenpark load waste FILE'"
        )
        raise GreenparkError(f"no waste ledger rows in {period.label} ({span})")
    for col in group:
        sums[col] = sums[col].astype(object)
    return sums


def _coverage_findings(sums, period: MonthRange) -> list[Finding]:
    months = int(sums["months"].iloc[0])
    if months >= period.months:
        return []
    return [
        Finding(
            "waste.months_missing",
            (
                f"the waste ledger has rows for {months} of the {period.months} months of "
                f"{period.label}: the rates cover those months only"
            ),
            data={
                "period": period.label,
                "months_with_rows": months,
                "months_in_period": period.months,
            },
        )
    ]


_RATE_PARTS = {  # rate column -> (rows column, what the rate covers)
    "industrial_utilization_rate_pct": ("industrial_rows", "industrial solid waste"),
    "general_utilization_rate_pct": ("general_rows", "general industrial solid waste"),
    "hazardous_utilization_rate_pct": ("hazardous_rows", "hazardous waste"),
    "hazardous_safe_disposal_rate_pct": ("hazardous_rows", "hazardous waste"),
    "recycling_rate_pct": ("rows", "waste handled"),
    "landfill_diversion_rate_pct": ("rows", "waste handled"),
}


def _unavailable_findings(frame, group: tuple[str, ...], period: MonthRange) -> list[Finding]:
    found = []
    for rec in frame.to_dict("records"):
        where = ", ".join(f"{c}={rec[c]}" for c in group) or "park"
        for rate, (rows, what) in _RATE_PARTS.items():
            if rec[rows] > 0 and rec[rate] != rec[rate]:
                found.append(
                    Finding(
                        "waste.rate_unavailable",
                        (
                            f"{period.label} {where}: {rate} not available (no {what} in the "
                            "denominator: zero generated/handled)"
                        ),
                        severity="info",
                        data={"period": period.label, "group": where, "rate": rate},
                    )
                )
    return found


VALUE_ADDED_SQL = """
SELECT enterprise_id, sum(value_added_10k_cny) AS value_added_10k_cny,
       count(DISTINCT month) AS va_months
FROM production WHERE month BETWEEN ? AND ? GROUP BY enterprise_id
"""


def _with_intensity(con, frame, period: MonthRange, by: str):
    """Add value added and industrial waste intensity; enterprise value added for
    ``enterprise``/``stream`` rows, the park's for ``park``/``category`` rows."""
    import pandas as pd

    if not _table_exists(con, "production"):
        frame = frame.assign(value_added_10k_cny=float("nan"), va_months=0)
        note = Finding(
            "waste.intensity_unavailable",
            "waste intensity not available: this "
            "database has no production table (enterprise value added)",
            severity="info",
            data={"period": period.label},
        )
        return _intensity(frame), [note]
    va = con.execute(VALUE_ADDED_SQL, [period.first, period.last]).df()
    if by in ("enterprise", "stream"):
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


def _intensity(frame):
    frame["industrial_waste_intensity_t_per_10k_cny"] = waste_intensity_t_per_10k_cny(
        frame["industrial_generated_t"], frame["value_added_10k_cny"]
    )
    return frame


def _intensity_findings(frame, period: MonthRange, by: str) -> list[Finding]:
    found = []
    for rec in frame.to_dict("records"):
        who = rec.get("enterprise_id") if by in ("enterprise", "stream") else "the park"
        if rec["industrial_generated_t"] <= 0:
            continue
        if rec["va_months"] == 0:
            found.append(
                Finding(
                    "waste.intensity_unavailable",
                    (
                        f"{period.label}: no value added for {who} in the production table; waste "
                        "intensity not available"
                    ),
                    severity="info",
                    data={"period": period.label, "enterprise_id": who},
                )
            )
        elif rec["va_months"] < period.months:
            found.append(
                Finding(
                    "waste.intensity_partial",
                    (
                        f"{period.label}: value added for {who} covers {rec['va_months']} of "
                        f"{period.months} months; the intensity overstates waste per value added"
                    ),
                    data={
                        "period": period.label,
                        "enterprise_id": who,
                        "va_months": rec["va_months"],
                    },
                )
            )
    return _dedupe(found)


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in found:
        if f.message not in seen:
            seen.add(f.message)
            out.append(f)
    return out


FINDING_COLUMNS = ("severity", "code", "month", "enterprise_id", "stream", "file", "message")


def findings_frame(findings: list[Finding]):
    """Findings -> DataFrame with :data:`FINDING_COLUMNS` (errors first)."""
    import pandas as pd

    order = {"error": 0, "warning": 1, "info": 2}
    rows = [
        {
            "severity": f.severity,
            "code": f.code,
            "month": f.data.get("month"),
            "enterprise_id": f.data.get("enterprise_id"),
            "stream": f.data.get("stream"),
            "file": f.data.get("file"),
            "message": f.message,
        }
        for f in findings
    ]
    frame = text_nulls_to_none(pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype=object))
    if frame.empty:
        return frame
    frame["_o"] = frame["severity"].map(order)
    frame = frame.sort_values(
        ["_o", "month", "enterprise_id", "stream"], kind="stable", na_position="first"
    )
    return frame.drop(columns="_o").reset_index(drop=True)


def waste_check(store, year: str | int | None = None) -> list[Finding]:
    """Ledger findings for a year (all stored months when omitted)."""
    store.require_current()
    if year is None:
        return ledger_findings(store)
    period = month_range(year=year)
    return ledger_findings(store, period.first, period.last)
