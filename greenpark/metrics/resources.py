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
import math
from functools import cache
from importlib import resources as package_data

from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period, period_of
from greenpark.metrics.waste.formulas import rate_pct
from greenpark.metrics.waste.tables import (
    HEAT_ROLE,
    WATER_ROLES,
    ResourceInputs,
    cached_result,
    require_current,
    resource_inputs,
    text_nulls_to_none,
)

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


# Import compatibility: resources_table and resource_indicators return the core Result.
ResourcesResult = Result


def resources_period(period: Period | str | int, timezone: str | None = None) -> Period:
    """The edge: a Period as it is, a year (``2025``, ``"2025"``) or any period text
    (``2025-06``, ``2025-01..2025-06``) parsed once."""
    if isinstance(period, int) or (isinstance(period, str) and period.strip().isdigit()):
        return period_of(year=period, timezone=timezone)
    return period_of(period=period, timezone=timezone)


def resources_table(store, period: Period | str | int) -> Result:
    """Water reuse and waste-heat utilization per month of ``period`` and for the period.

    Worked out once per store and period (until the store's next committed write); each
    call returns its own copy.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, str or int
        Usually a year (``Period.year(2025)``, ``2025``); any Period works, e.g.
        ``Period.rolling12("2025-06")``.

    Returns
    -------
    Result
        ``frame`` with :data:`MONTHLY_COLUMNS`: one row per month (``period`` =
        ``YYYY-MM``), then the period's row (``period`` = its label, e.g. ``2025``), which
        sums the months whose rate is available; ``inputs``: the period.
    """
    require_current(store)
    period = resources_period(period, store.park().timezone)
    return cached_result(store, ("resources_table", period), lambda: _table(store, period))


def _table(store, period: Period) -> Result:
    inputs = resource_inputs(store, period)
    water, water_findings = _water(inputs, period)
    heat, heat_findings = _waste_heat(inputs, period)
    frame = water.merge(heat, on="period")
    frame = text_nulls_to_none(frame[list(MONTHLY_COLUMNS)].copy())
    return Result(frame, water_findings + heat_findings, _inputs(period))


def _inputs(period: Period) -> dict:
    return {**period.to_dict(), "water_roles": list(WATER_ROLES), "waste_heat_role": HEAT_ROLE}


def _water(raw: ResourceInputs, period: Period):
    """Water per month (meters first, the monthly file where a month has no readings)."""
    import pandas as pd

    columns = _FILE_COLUMNS.values()
    files = {(r["month"], c): r[c] for r in raw.water.to_dict("records") for c in columns}
    metered = _metered_water(raw.meters)
    rows, found = [], []
    for month in period.months:
        values, sources = {}, []
        for role, col in _FILE_COLUMNS.items():
            value, source, note = _water_value(metered, files, month, role, col)
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


# role -> column of the monthly water file
_FILE_COLUMNS = {"water_intake": "intake_m3", "water_recycled": "recycled_m3"}


def _metered_water(meters) -> dict:
    """(month, role) -> (m3, meter ids) of the water meters with readings (one pass)."""
    live = meters[(meters["readings"] > 0) & meters["role"].isin(WATER_ROLES)]
    groups = live.groupby(["month", "role"], sort=False)
    ids = groups["meter_id"].agg(list)
    return {key: (float(qty.sum()), ids[key]) for key, qty in groups["quantity"]}


def _water_value(metered: dict, files: dict, month: dt.date, role: str, col: str):
    """(m3 or NaN, source or None, findings) of one water quantity in one month."""
    in_file = files.get((month, col), math.nan) == files.get((month, col), math.nan)  # not NaN
    if (month, role) in metered:
        quantity, meter_ids = metered[month, role]
        note = (
            [
                Finding(
                    "resources.water_source_overlap",
                    (
                        f"{month:%Y-%m}: {role} comes from meters ({', '.join(meter_ids)}); "
                        "the monthly water file's value for that month is ignored"
                    ),
                    severity="info",
                    data={"month": month, "period": f"{month:%Y-%m}", "role": role},
                )
            ]
            if in_file
            else []
        )
        return quantity, "meters", note
    if in_file:
        return float(files[month, col]), "file", []
    return float("nan"), None, []


def _water_gaps(frame, known, period: Period) -> list[Finding]:
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


def _waste_heat(raw: ResourceInputs, period: Period):
    """Waste heat per month over the declared sources, and the year row."""
    import pandas as pd

    decl, meters = raw.heat, raw.meters
    heat = meters[(meters["role"] == HEAT_ROLE) & (meters["readings"] > 0)]
    metered = {(r["month"], r["meter_id"]): r["quantity"] for r in heat.to_dict("records")}
    by_month: dict = {}
    for rec in decl.to_dict("records"):
        by_month.setdefault(rec["month"], []).append(rec)
    rows, found = [], []
    for month in period.months:
        row, notes = _heat_month(by_month.get(month, []), metered, month)
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


def _heat_month(records: list[dict], metered: dict, month: dt.date) -> tuple[dict, list]:
    """The month's row over its declared sources (``records``, by source), and the
    findings about them."""
    applicable = [r for r in records if r["applicable"]]
    na = [r for r in records if not r["applicable"]]
    recovered, recoverable, counted, found = _heat_sources(applicable, metered, month)
    note = "; ".join(f"{r['source_id']} not applicable: {r['reason']}" for r in na) or None
    if counted and recoverable > 0:
        status = "ok"
    elif counted or applicable:
        status = "not_available"
    else:
        status = "not_applicable" if na else "not_declared"
    nan = float("nan")
    return {
        "period": f"{month:%Y-%m}",
        "waste_heat_recovered_gj": recovered if status == "ok" else nan,
        "waste_heat_recoverable_gj": recoverable if status == "ok" else nan,
        "waste_heat_status": status,
        "waste_heat_note": note,
    }, found


def _heat_sources(applicable: list[dict], metered: dict, month: dt.date):
    """(recovered [GJ], recoverable [GJ], sources counted, findings) of the applicable
    sources of one month; a metered source without readings is left out."""
    label, found = f"{month:%Y-%m}", []
    recovered = recoverable = 0.0
    counted = 0
    for rec in applicable:
        data = {"month": month, "period": label, "source_id": rec["source_id"]}
        value = rec["recovered_gj"]
        if rec["meter_id"] is not None:
            value = metered.get((month, rec["meter_id"]))
            if value is None:
                message = (
                    f"{label}: source {rec['source_id']} reads meter {rec['meter_id']}, "
                    "which has no readings in the month; the source is left out of the rate"
                )
                data["meter_id"] = rec["meter_id"]
                found.append(Finding("resources.waste_heat_meter_missing", message, data=data))
                continue
        if value > rec["recoverable_gj"] * (1 + 1e-9):
            message = (
                f"{label}: source {rec['source_id']} recovered {value:.1f} GJ, more than "
                f"its declared recoverable {rec['recoverable_gj']:.1f} GJ: check the "
                "declaration"
            )
            found.append(Finding("resources.waste_heat_over_recoverable", message, data=data))
        recovered += value
        recoverable += rec["recoverable_gj"]
        counted += 1
    return recovered, recoverable, counted, found


def _heat_year(frame, period: Period) -> tuple[dict, list[Finding]]:
    """The period's row over the months whose rate is available, and its finding."""
    ok = frame["waste_heat_status"] == "ok"
    notes = list(dict.fromkeys(n for n in frame["waste_heat_note"] if isinstance(n, str)))
    year = {
        "period": period.label,
        "waste_heat_note": "; ".join(notes) or None,
        "waste_heat_recovered_gj": frame.loc[ok, "waste_heat_recovered_gj"].sum(),
        "waste_heat_recoverable_gj": frame.loc[ok, "waste_heat_recoverable_gj"].sum(),
    }
    if not ok.any():
        return _heat_year_unavailable(year, set(frame["waste_heat_status"]), period)
    year["waste_heat_status"] = "ok"
    missing = frame.loc[~ok, "period"].tolist()
    if not missing:
        return year, []
    message = (
        f"waste heat rate not available for {', '.join(missing)}; the "
        f"{period.label} rate covers the other months only"
    )
    data = {"period": period.label, "months": missing}
    return year, [Finding("resources.waste_heat_incomplete", message, data=data)]


def _heat_year_unavailable(year: dict, statuses: set, period: Period):
    """The period's row when no month has a rate: not applicable, or not available."""
    year["waste_heat_recovered_gj"] = year["waste_heat_recoverable_gj"] = float("nan")
    data = {"period": period.label}
    if "not_applicable" in statuses and statuses <= {"not_applicable", "not_declared"}:
        year["waste_heat_status"] = "not_applicable"
        message = (
            f"waste heat/cold/pressure utilization is not applicable in {period.label}: "
            f"{year['waste_heat_note']}"
        )
        return year, [Finding("resources.waste_heat_not_applicable", message, "info", data)]
    year["waste_heat_status"] = "not_declared" if statuses == {"not_declared"} else "not_available"
    message = (
        f"waste heat utilization not available for {period.label}: no month has declared "
        "recoverable energy with a known recovered amount (greenpark load waste-heat FILE)"
    )
    return year, [Finding("resources.waste_heat_unavailable", message, data=data)]


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
    return {key: dict(row) for key, row in _thresholds().items()}


@cache
def _thresholds() -> dict[str, dict]:
    """:func:`indicator_thresholds`, read once per process (read only)."""
    path = package_data.files("greenpark") / "data" / "zero_carbon_park_indicators.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def resource_indicators(store, period: Period | str | int) -> Result:
    """The three resource indicators of the zero-carbon park system for ``period``
    (usually a year), against their (provisional, confidence B) thresholds.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period, str or int
        As for :func:`resources_table`.

    Returns
    -------
    Result
        ``frame`` with :data:`INDICATOR_COLUMNS`; ``value_pct`` [%]; the findings of the
        resources table and the waste rates. Worked out once per store and period, like
        :func:`resources_table`.
    """
    period = resources_period(period, store.park().timezone)
    key = ("resource_indicators", period)
    return cached_result(store, key, lambda: _indicators(store, period))


def _indicators(store, period: Period) -> Result:
    import pandas as pd

    table = resources_table(store, period)
    last = table.frame.iloc[-1]
    values = {
        "waste_heat_utilization": (
            last["waste_heat_utilization_rate_pct"],
            last["waste_heat_status"],
            last["waste_heat_note"],
        ),
        "water_reuse": (last["water_reuse_rate_pct"], None, last["water_source"]),
    }
    values["solid_waste_utilization"], waste_findings = _solid_waste(store, period)
    rows = [_indicator_row(ind, period.label, *values[ind]) for ind, _ in INDICATORS]
    frame = text_nulls_to_none(pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS)))
    return Result(frame, [*table.findings, *waste_findings], table.inputs)


def _solid_waste(store, period: Period) -> tuple[tuple, list[Finding]]:
    """((rate [%], status, note), findings) of the industrial solid waste utilization."""
    from greenpark.core.errors import GreenparkError
    from greenpark.metrics.waste import waste_rates
    from greenpark.metrics.waste.rates import solid_waste_indicator

    try:
        waste = waste_rates(store, period)
    except GreenparkError as exc:
        return (float("nan"), "not_available", str(exc)), []
    basis = store.park().zero_carbon.solid_waste_basis
    value, note = solid_waste_indicator(waste.frame.iloc[0], basis)
    return (value, None, note), waste.findings


def _indicator_row(indicator: str, period: str, value, status, note) -> dict:
    ref = _thresholds()[indicator]
    threshold = float(ref["threshold"])
    available = value == value and value is not None
    met = None
    if available:
        from greenpark.metrics.zerocarbon.formulas import meets

        met = meets(float(value), ref["comparison"], threshold)
    return {
        "indicator_id": indicator,
        "indicator_zh": ref["indicator_zh"],
        "indicator_en": ref["indicator_en"],
        "period": period,
        "value_pct": float(value) if available else float("nan"),
        "comparison": ref["comparison"],
        "threshold_pct": threshold,
        "meets_threshold": met,
        "status": status or ("ok" if available else "not_available"),
        "threshold_status": ref["status"],
        "confidence": ref["confidence"],
        "note": note,
    }
