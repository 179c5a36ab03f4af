"""Industrial water reuse and waste heat/cold/pressure utilization, month by month.

* Water: reuse rate = recycled / (recycled + fresh intake), from meters with roles
  ``water_recycled`` and ``water_intake`` (m3), or from the monthly water file where a
  month has no meter readings.
* Waste heat: utilization rate = recovered / recoverable over the declared sources of
  ``waste_heat_sources``; recovered energy comes from the source's meter (role
  ``waste_heat_recovered``, GJ) or from the declaration; a source may be declared not
  applicable with a reason.

Formulas, units and sources: ``docs/methodology.md`` ("Waste, water and waste heat").
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources as package_data

from greenpark.core.periods import month_period
from greenpark.metrics.waste import (
    Finding,
    MonthRange,
    month_range,
    rate_pct,
    register_units,
    text_nulls_to_none,
)

WATER_ROLES = ("water_intake", "water_recycled")
HEAT_ROLE = "waste_heat_recovered"
MONTHLY_COLUMNS = (
    "period",
    "water_intake_m3",
    "water_recycled_m3",
    "water_reuse_rate_pct",
    "water_source",
    "waste_heat_recovered_gj",
    "waste_heat_recoverable_gj",
    "waste_heat_utilization_rate_pct",
    "waste_heat_status",
    "waste_heat_note",
)

METER_MONTH_SQL = """
SELECT p.month, m.meter_id, m.role, sum(r.value) AS quantity, count(r.value) AS readings
FROM readings r JOIN meters m USING (meter_key)
JOIN gp_months p ON r.ts >= p.start_utc AND r.ts < p.end_utc
WHERE m.role IN ('water_intake', 'water_recycled', 'waste_heat_recovered')
  AND r.ts >= ? AND r.ts < ?
GROUP BY p.month, m.meter_id, m.role
"""
WATER_FILE_SQL = """
SELECT w.month, sum(w.intake * u.factor) AS intake_m3, sum(w.recycled * u.factor) AS recycled_m3
FROM water_monthly w JOIN gp_units u USING (unit)
WHERE w.month BETWEEN ? AND ? GROUP BY w.month
"""
HEAT_FILE_SQL = """
SELECT h.month, h.source_id, h.meter_id, h.applicable, h.reason,
       h.recoverable * u.factor AS recoverable_gj, h.recovered * u.factor AS recovered_gj
FROM waste_heat_sources h JOIN gp_units u USING (unit)
WHERE h.month BETWEEN ? AND ? ORDER BY h.month, h.source_id
"""


def water_reuse_rate_pct(recycled_m3, intake_m3):
    """Industrial water reuse rate (工业用水重复利用率).

    rate = recycled / (recycled + fresh intake) x 100.

    Parameters
    ----------
    recycled_m3 : float or Series
        Water used again (recirculated cooling water, reused process water). [m3]
    intake_m3 : float or Series
        Fresh water taken in. [m3]

    Returns
    -------
    float or Series
        [%]; NaN when both are zero.
    """
    return rate_pct(recycled_m3, recycled_m3 + intake_m3)


def waste_heat_utilization_rate_pct(recovered_gj, recoverable_gj):
    """Waste heat/cold/pressure utilization rate = recovered / recoverable x 100.

    Parameters
    ----------
    recovered_gj : float or Series
        Energy recovered and used. [GJ]
    recoverable_gj : float or Series
        Declared recoverable energy of the sources. [GJ]

    Returns
    -------
    float or Series
        [%]; NaN when nothing recoverable is declared.
    """
    return rate_pct(recovered_gj, recoverable_gj)


@dataclass
class ResourcesResult:
    """Water reuse and waste heat of a year: ``frame`` (one row per month, then the year)
    and ``findings``."""

    period: MonthRange
    frame: object
    findings: list[Finding]

    def to_frame(self):
        return self.frame


def resources_table(store, year: str | int) -> ResourcesResult:
    """Water reuse and waste-heat utilization per month of ``year`` and for the year.

    Parameters
    ----------
    store : greenpark.store.Store
    year : str or int
        ``YYYY``.

    Returns
    -------
    ResourcesResult
        ``frame`` with :data:`MONTHLY_COLUMNS`; the last row (``period`` = the year) sums
        the months whose rate is available.
    """
    period = month_range(year=year)
    store.require_current()
    meters = _meter_months(store, period)
    water, water_findings = _water(store.con, meters, period)
    heat, heat_findings = _waste_heat(store.con, meters, period)
    frame = water.merge(heat, on="period")
    frame = text_nulls_to_none(frame[list(MONTHLY_COLUMNS)].copy())
    return ResourcesResult(period, frame, water_findings + heat_findings)


def _meter_months(store, period: MonthRange):
    """Monthly sums of water and waste-heat meters (park local months), canonical units."""
    import pandas as pd

    from greenpark.store import register_frame

    tz = store.park().timezone
    bounds = [month_period(f"{m:%Y-%m}", tz) for m in period.month_starts()]
    months = pd.DataFrame(
        {
            "month": [dt.datetime.combine(m, dt.time()) for m in period.month_starts()],
            "start_utc": [b.start_utc for b in bounds],
            "end_utc": [b.end_utc for b in bounds],
        }
    )
    register_frame(store.con, "gp_months", months)
    try:
        frame = store.con.execute(METER_MONTH_SQL, [bounds[0].start_utc, bounds[-1].end_utc]).df()
    finally:
        store.con.unregister("gp_months")
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def _file_rows(con, table: str, canonical: str, sql: str, period: MonthRange):
    import pandas as pd

    register_units(con, table, canonical)
    try:
        frame = con.execute(sql, [period.first, period.last]).df()
    finally:
        con.unregister("gp_units")
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return text_nulls_to_none(frame)


def _water(con, meters, period: MonthRange):
    """Water per month (meters first, the monthly file where a month has no readings)."""
    import pandas as pd

    files = _file_rows(con, "water_monthly", "m3", WATER_FILE_SQL, period).set_index("month")
    rows, found = [], []
    for month in period.month_starts():
        values, sources = {}, []
        for role, col in (("water_intake", "intake_m3"), ("water_recycled", "recycled_m3")):
            value, source, note = _water_value(meters, files, month, role, col)
            values[role], found = value, found + note
            sources += [source] if source else []
        rows.append(
            {
                "period": f"{month:%Y-%m}",
                "water_intake_m3": values["water_intake"],
                "water_recycled_m3": values["water_recycled"],
                "water_source": "+".join(dict.fromkeys(sources)) or None,
            }
        )
    frame = pd.DataFrame(rows)
    known = frame["water_intake_m3"].notna() & frame["water_recycled_m3"].notna()
    found += _water_gaps(frame, known, period)
    year = {
        "period": period.label,
        "water_intake_m3": frame.loc[known, "water_intake_m3"].sum()
        if known.any()
        else float("nan"),
        "water_recycled_m3": frame.loc[known, "water_recycled_m3"].sum()
        if known.any()
        else float("nan"),
        "water_source": "+".join(dict.fromkeys(frame.loc[known, "water_source"])) or None,
    }
    frame = pd.concat([frame, pd.DataFrame([year])], ignore_index=True)
    frame["water_reuse_rate_pct"] = water_reuse_rate_pct(
        frame["water_recycled_m3"], frame["water_intake_m3"]
    )
    return frame, found


def _water_value(meters, files, month: dt.date, role: str, col: str):
    """(m3 or NaN, source or None, findings) of one water quantity in one month."""
    sel = meters[(meters["month"] == month) & (meters["role"] == role) & (meters["readings"] > 0)]
    in_file = month in files.index and files.at[month, col] == files.at[month, col]
    if not sel.empty:
        note = (
            [
                Finding(
                    "resources.water_source_overlap",
                    (
                        f"{month:%Y-%m}: {role} comes from meters ({', '.join(sel['meter_id'])}); "
                        "the monthly water file's value for that month is ignored"
                    ),
                    severity="info",
                    data={"month": f"{month:%Y-%m}", "role": role},
                )
            ]
            if in_file
            else []
        )
        return float(sel["quantity"].sum()), "meters", note
    if in_file:
        return float(files.at[month, col]), "file", []
    return float("nan"), None, []


def _water_gaps(frame, known, period: MonthRange) -> list[Finding]:
    some = frame["water_intake_m3"].notna() | frame["water_recycled_m3"].notna()
    if not some.any():
        return [
            Finding(
                "resources.water_unavailable",
                (
                    f"no water data in {period.label}: no readings of water_intake/water_recycled "
                    "meters and no monthly water file rows"
                ),
                data={"period": period.label},
            )
        ]
    missing = frame.loc[~known, "period"].tolist()
    if not missing:
        return []
    return [
        Finding(
            "resources.water_incomplete",
            (
                f"water reuse rate not available for {', '.join(missing)} (fresh intake or "
                f"recycled water missing); the {period.label} rate covers the other months only"
            ),
            data={"period": period.label, "months": missing},
        )
    ]


def _waste_heat(con, meters, period: MonthRange):
    """Waste heat per month over the declared sources, and the year row."""
    import pandas as pd

    decl = _file_rows(con, "waste_heat_sources", "GJ", HEAT_FILE_SQL, period)
    heat = meters[(meters["role"] == HEAT_ROLE) & (meters["readings"] > 0)]
    metered = {(r["month"], r["meter_id"]): r["quantity"] for r in heat.to_dict("records")}
    rows, found = [], []
    for month in period.month_starts():
        row, notes = _heat_month(decl[decl["month"] == month], metered, month)
        rows.append(row)
        found += notes
    found += _undeclared_meters(heat, decl)
    frame = pd.DataFrame(rows)
    year, notes = _heat_year(frame, period)
    frame = pd.concat([frame, pd.DataFrame([year])], ignore_index=True)
    frame["waste_heat_utilization_rate_pct"] = waste_heat_utilization_rate_pct(
        frame["waste_heat_recovered_gj"], frame["waste_heat_recoverable_gj"]
    )
    return frame, found + notes


def _heat_month(rows, metered: dict, month: dt.date) -> tuple[dict, list[Finding]]:
    label, found = f"{month:%Y-%m}", []
    recovered = recoverable = 0.0
    counted = 0
    for rec in rows[rows["applicable"]].to_dict("records"):
        value = rec["recovered_gj"]
        if rec["meter_id"] is not None:
            value = metered.get((month, rec["meter_id"]))
            if value is None:
                found.append(
                    Finding(
                        "resources.waste_heat_meter_missing",
                        (
                            f"{label}: source {rec['source_id']} reads meter {rec['meter_id']}, "
                            "which has no readings in the month; the source is left out of the rate"
                        ),
                        data={"month": label, "source_id": rec["source_id"]},
                    )
                )
                continue
        if value > rec["recoverable_gj"] * (1 + 1e-9):
            found.append(
                Finding(
                    "resources.waste_heat_over_recoverable",
                    (
                        f"{label}: source {rec['source_id']} recovered {value:.1f} GJ, more than "
                        f"its declared recoverable {rec['recoverable_gj']:.1f} GJ: check the "
                        "declaration"
                    ),
                    data={"month": label, "source_id": rec["source_id"]},
                )
            )
        recovered, recoverable, counted = (
            recovered + value,
            recoverable + rec["recoverable_gj"],
            counted + 1,
        )
    na = rows[~rows["applicable"]]
    note = (
        "; ".join(f"{r['source_id']} not applicable: {r['reason']}" for r in na.to_dict("records"))
        or None
    )
    if counted and recoverable > 0:
        status = "ok"
    elif counted or len(rows[rows["applicable"]]):
        status = "not_available"
    else:
        status = "not_applicable" if len(na) else "not_declared"
    nan = float("nan")
    return {
        "period": label,
        "waste_heat_recovered_gj": recovered if status == "ok" else nan,
        "waste_heat_recoverable_gj": recoverable if status == "ok" else nan,
        "waste_heat_status": status,
        "waste_heat_note": note,
    }, found


def _heat_year(frame, period: MonthRange) -> tuple[dict, list[Finding]]:
    ok = frame["waste_heat_status"] == "ok"
    statuses = set(frame["waste_heat_status"])
    notes = list(dict.fromkeys(n for n in frame["waste_heat_note"] if isinstance(n, str)))
    year = {
        "period": period.label,
        "waste_heat_note": "; ".join(notes) or None,
        "waste_heat_recovered_gj": frame.loc[ok, "waste_heat_recovered_gj"].sum(),
        "waste_heat_recoverable_gj": frame.loc[ok, "waste_heat_recoverable_gj"].sum(),
    }
    if ok.any():
        year["waste_heat_status"] = "ok"
        missing = frame.loc[~ok, "period"].tolist()
        found = (
            [
                Finding(
                    "resources.waste_heat_incomplete",
                    (
                        f"waste heat rate not available for {', '.join(missing)}; the "
                        f"{period.label} rate covers the other months only"
                    ),
                    data={"period": period.label, "months": missing},
                )
            ]
            if missing
            else []
        )
        return year, found
    year["waste_heat_recovered_gj"] = year["waste_heat_recoverable_gj"] = float("nan")
    if "not_applicable" in statuses and statuses <= {"not_applicable", "not_declared"}:
        year["waste_heat_status"] = "not_applicable"
        return year, [
            Finding(
                "resources.waste_heat_not_applicable",
                (
                    f"waste heat/cold/pressure utilization is not applicable in {period.label}: "
                    f"{year['waste_heat_note']}"
                ),
                severity="info",
                data={"period": period.label},
            )
        ]
    year["waste_heat_status"] = "not_declared" if statuses == {"not_declared"} else "not_available"
    return year, [
        Finding(
            "resources.waste_heat_unavailable",
            (
                f"waste heat utilization not available for {period.label}: no month has declared "
                "recoverable energy with a known recovered amount (greenpark load waste-heat FILE)"
            ),
            data={"period": period.label},
        )
    ]


def _undeclared_meters(heat, decl) -> list[Finding]:
    declared = set(decl.loc[decl["applicable"], "meter_id"].dropna())
    found = []
    for meter_id, group in heat.groupby("meter_id", sort=True):
        if meter_id in declared:
            continue
        found.append(
            Finding(
                "resources.waste_heat_meter_undeclared",
                (
                    f"meter {meter_id} recorded {group['quantity'].sum():.1f} GJ of recovered "
                    "waste heat but no declared source reads it; it is not in the rate (declare "
                    "its recoverable energy)"
                ),
                data={"meter_id": meter_id},
            )
        )
    return found


# --- zero-carbon park resource indicators ------------------------------------------------

INDICATORS = (
    ("solid_waste_utilization", "industrial_utilization_rate_pct"),
    ("waste_heat_utilization", "waste_heat_utilization_rate_pct"),
    ("water_reuse", "water_reuse_rate_pct"),
)
INDICATOR_COLUMNS = (
    "indicator_id",
    "indicator_zh",
    "indicator_en",
    "period",
    "value_pct",
    "comparison",
    "threshold_pct",
    "meets_threshold",
    "status",
    "threshold_status",
    "confidence",
    "note",
)


def indicator_thresholds() -> dict[str, dict]:
    """Rows of the shipped ``zero_carbon_park_indicators.csv``, by indicator id."""
    path = package_data.files("greenpark") / "data" / "zero_carbon_park_indicators.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def resource_indicators(store, year: str | int) -> ResourcesResult:
    """The three resource indicators of the zero-carbon park system for ``year``, against
    their (provisional, confidence B) thresholds.

    Returns
    -------
    ResourcesResult
        ``frame`` with :data:`INDICATOR_COLUMNS`; ``value_pct`` [%].
    """
    from greenpark.core.errors import GreenparkError
    from greenpark.metrics.waste import waste_rates

    table = resources_table(store, year)
    last = table.frame.iloc[-1]
    values = {
        "waste_heat_utilization": (
            last["waste_heat_utilization_rate_pct"],
            last["waste_heat_status"],
            last["waste_heat_note"],
        ),
        "water_reuse": (last["water_reuse_rate_pct"], None, last["water_source"]),
    }
    findings = list(table.findings)
    try:
        waste = waste_rates(store, year=year)
        values["solid_waste_utilization"] = (
            waste.frame["industrial_utilization_rate_pct"].iloc[0],
            None,
            None,
        )
        findings += waste.findings
    except GreenparkError as exc:
        values["solid_waste_utilization"] = (float("nan"), "not_available", str(exc))
    rows = [_indicator_row(ind, table.period.label, *values[ind]) for ind, _ in INDICATORS]
    import pandas as pd

    frame = text_nulls_to_none(pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS)))
    return ResourcesResult(table.period, frame, findings)


def _indicator_row(indicator: str, period: str, value, status, note) -> dict:
    ref = indicator_thresholds()[indicator]
    threshold = float(ref["threshold"])
    available = value == value and value is not None
    meets = None
    if available:
        meets = bool(value >= threshold if ref["comparison"] == ">=" else value <= threshold)
    return {
        "indicator_id": indicator,
        "indicator_zh": ref["indicator_zh"],
        "indicator_en": ref["indicator_en"],
        "period": period,
        "value_pct": float(value) if available else float("nan"),
        "comparison": ref["comparison"],
        "threshold_pct": threshold,
        "meets_threshold": meets,
        "status": status or ("ok" if available else "not_available"),
        "threshold_status": ref["status"],
        "confidence": ref["confidence"],
        "note": note,
    }
