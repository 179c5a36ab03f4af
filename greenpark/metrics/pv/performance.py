"""``greenpark pv performance``: metered generation of existing PV vs the model.

For each ``pv_generation`` meter, the roofs of its building with ``existing_pv_kwp`` are
modelled on the same weather over the month; the comparison uses the hours in which the
meter has readings. Performance ratio after IEC 61724-1: PR = (E / P0) / (H_poa / G_stc).
"""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.core.periods import Period, period_of

# PVWatts accuracy with typical-year weather (shared reference): about +-10 % a year,
# +-30 % a month. With measured weather the annual figure is used as the tolerance.
TOLERANCE_MEASURED_PCT = 10.0
TOLERANCE_TYPICAL_PCT = 30.0
# A meter's hourly sums in each month (idx: the month's position; its UTC bounds [lo, hi))
METER_SQL = """
WITH m AS (SELECT unnest(?::TIMESTAMP[]) AS lo, unnest(?::TIMESTAMP[]) AS hi,
                  unnest(?::INTEGER[]) AS idx)
SELECT m.idx, date_trunc('hour', r.ts) AS ts, sum(r.value) AS actual_kwh
FROM readings r JOIN m ON r.ts >= m.lo AND r.ts < m.hi
WHERE r.meter_key = ? AND r.ts >= ? AND r.ts < ?
GROUP BY 1, 2 ORDER BY 1, 2
"""
COLUMNS = (
    "meter_id",
    "building_id",
    "capacity_kwp",
    "hours_compared",
    "actual_kwh",
    "expected_kwh",
    "actual_to_expected_pct",
    "poa_insolation_kwh_per_m2",
    "performance_ratio",
    "expected_performance_ratio",
    "status",
)


def month_weather(store, period, sets: dict | None = None):
    """Measured weather covering the month, else a typical year mapped onto it.

    Parameters
    ----------
    sets : dict, optional
        Weather sets already read, by id (filled here): the months of one call to
        :func:`performance_months` read each set once.

    Returns
    -------
    (pandas.DataFrame, str, bool)
        Hourly weather on the month's UTC hours, its label, whether it is typical.
    """
    import pandas as pd

    from greenpark.metrics.pv.value import align_by_utc_hour
    from greenpark.metrics.pv.weather import read_weather_set

    sets = {} if sets is None else sets

    def read(weather_id):
        if weather_id not in sets:
            sets[weather_id] = read_weather_set(store.con, weather_id)
        return sets[weather_id]

    hours = pd.date_range(period.start_utc, period.end_utc, freq="1h", inclusive="left", tz="UTC")
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE NOT typical_year AND ts_min <= ? "
        "AND ts_max >= ? ORDER BY weather_id DESC LIMIT 1",
        [period.start_utc, hours[-1].tz_localize(None)],
    ).fetchone()
    if row is not None:
        wx = read(row[0])
        return wx.data.reindex(hours), wx.label, False
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE typical_year AND "
        "hours = 8760 ORDER BY weather_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise GreenparkError(
            f"no weather for {period.label}: load measured weather for the "
            "month or a typical year ('greenpark load weather FILE')"
        )
    wx = read(row[0])
    data = pd.DataFrame(
        {
            c: align_by_utc_hour(wx.data.index, wx.data[c].to_numpy(), hours)
            for c in wx.data.columns
        },
        index=hours,
    )
    return data, wx.label, True


def performance(store, period: Period | str) -> Result:
    """Measured vs modelled generation of each PV meter in a month.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period or str
        A month (``YYYY-MM``) in park time.

    Returns
    -------
    Result
        ``frame``: :data:`COLUMNS`, one row per PV meter. ``inputs``: ``period``,
        ``weather`` (label), ``typical_weather``, ``tolerance_pct`` [%].
    """
    park = store.park()
    return performance_months(store, [period_of(period=period, timezone=park.timezone)])[0]


def performance_months(store, months: list[Period]) -> list[Result]:
    """:func:`performance` of several months, with one model run over all their hours
    (the model is hour by hour: each month's figures are those of its own call).

    Parameters
    ----------
    store : greenpark.store.Store
    months : list of Period
        Months in park time, in order.

    Returns
    -------
    list of Result
        One per month, as :func:`performance` returns it.
    """
    import pandas as pd

    from greenpark.metrics.pv.roofs import read_roofs, roof_systems

    park = store.park()
    meters = store.con.execute(
        "SELECT meter_key, meter_id, building_id FROM meters WHERE role = 'pv_generation' "
        "AND carrier = 'electricity' ORDER BY meter_id"
    ).fetchall()
    if not meters:
        raise GreenparkError("no meters with role pv_generation")
    roofs = read_roofs(store.con)
    roofs = roofs[roofs["existing_pv_kwp"].fillna(0) > 0].copy()
    sets: dict = {}
    weather = [month_weather(store, period, sets) for period in months]
    data = pd.concat([w[0] for w in weather]) if len(weather) > 1 else weather[0][0]
    ac_all, poa_all, systems = _model(park, park.pv, roofs, data, roof_systems)
    actuals = {m[0]: _meter_actuals(store.con, m[0], months) for m in meters}
    results, first = [], 0
    for i, (period, (month_data, label, typical)) in enumerate(zip(months, weather, strict=True)):
        hours = slice(first, first + len(month_data))
        first += len(month_data)
        ac, poa = ac_all[hours], poa_all[hours]
        tolerance = TOLERANCE_TYPICAL_PCT if typical else TOLERANCE_MEASURED_PCT
        findings = [_typical_finding(period)] if typical else []
        index = month_data.index
        rows = [
            _meter_row(actuals[m[0]][i], m, systems, ac, poa, index, period, tolerance, findings)
            for m in meters
        ]
        inputs = {
            "period": period.label,
            "weather": label,
            "typical_weather": typical,
            "tolerance_pct": tolerance,
        }
        results.append(Result(pd.DataFrame(rows, columns=list(COLUMNS)), findings, inputs))
    return results


def _typical_finding(period: Period) -> Finding:
    return Finding(
        "pv.typical_weather",
        f"no measured weather for {period.label}: compared with a typical year, so only a "
        "large shortfall is meaningful",
        severity="info",
        data={"period": period.label},
    )


def _model(park, settings, roofs, data, roof_systems):
    """Hourly AC [kWh] and POA [Wh/m2] per existing-PV roof (hours x roofs)."""
    import numpy as np

    from greenpark.metrics.pv.model import midpoints, simulate, sun_geometry

    if roofs.empty:
        return np.zeros((len(data), 0)), np.zeros((len(data), 0)), roofs
    systems, classes = roof_systems(roofs, settings)
    systems["capacity_kwp"] = systems["existing_pv_kwp"]
    filled = data.fillna(0.0)
    sun = sun_geometry(
        midpoints(data.index),
        park.latitude,
        park.longitude,
        park.altitude_m,
        filled["temp_air"].to_numpy(),
    )
    ac_cls = np.zeros((len(data), len(classes)))
    poa_cls = np.zeros((len(data), len(classes)))
    for start, ac, poa, _ in simulate(sun, filled, classes, settings.transposition):
        ac_cls[:, start : start + ac.shape[1]] = ac
        poa_cls[:, start : start + poa.shape[1]] = poa
    idx = systems["profile_id"].to_numpy() - 1
    return ac_cls[:, idx] * systems["capacity_kwp"].to_numpy(), poa_cls[:, idx], systems


def _meter_actuals(con, key: int, months: list[Period]) -> list:
    """A meter's hourly readings sums [kWh] in each month (one query for all months):
    per month a frame ``ts`` (UTC hour), ``actual_kwh``."""
    bounds = [p.utc_bounds() for p in months]
    frame = con.execute(
        METER_SQL,
        [
            [b[0] for b in bounds],
            [b[1] for b in bounds],
            list(range(len(months))),
            key,
            bounds[0][0],
            bounds[-1][1],
        ],
    ).df()
    parts = {i: part for i, part in frame.groupby("idx", sort=False)}
    empty = frame.iloc[:0]
    return [
        parts.get(i, empty)[["ts", "actual_kwh"]].reset_index(drop=True) for i in range(len(months))
    ]


def _meter_row(actual, meter, systems, ac, poa, hours, period, tolerance, findings) -> dict:
    import numpy as np
    import pandas as pd

    from greenpark.metrics.pv.model import performance_ratio

    key, meter_id, building = meter
    mine = (systems["building_id"] == building).to_numpy() if len(systems) else np.array([])
    kwp = float(systems.loc[mine, "capacity_kwp"].sum()) if mine.any() else 0.0
    row = dict.fromkeys(COLUMNS, np.nan) | {
        "meter_id": meter_id,
        "building_id": building,
        "capacity_kwp": kwp,
        "hours_compared": 0,
    }
    if kwp <= 0:
        findings.append(
            Finding(
                "pv.no_roof",
                f"{meter_id}: no roof of building {building} has existing_pv_kwp; cannot model it",
                data={"meter_id": meter_id, "building_id": building, "period": period.label},
            )
        )
        return row | {"status": "no roof"}
    if actual.empty:
        findings.append(
            Finding(
                "pv.no_readings",
                f"{meter_id}: no readings in {period.label}",
                data={"meter_id": meter_id, "period": period.label},
            )
        )
        return row | {"status": "no readings"}
    at = pd.Series(
        actual["actual_kwh"].to_numpy(), index=pd.DatetimeIndex(actual["ts"]).tz_localize("UTC")
    )
    present = hours.isin(at.index)
    expected = float(ac[present][:, mine].sum())
    weights = systems.loc[mine, "capacity_kwp"].to_numpy() / kwp
    insolation = float((poa[present][:, mine] * weights).sum()) / 1000.0
    measured = float(at.reindex(hours[present]).sum())
    ratio = safe_divide(measured, expected) * 100.0
    status = "ok"
    if ratio == ratio and ratio < 100.0 - tolerance:
        status = "shortfall"
        findings.append(
            Finding(
                "pv.underperformance",
                f"{meter_id} delivered {ratio:.0f} % of the modelled {expected:,.0f} kWh in "
                f"{period.label} (threshold {100 - tolerance:g} %): check availability, "
                "soiling, shading and inverter faults",
                data={
                    "meter_id": meter_id,
                    "period": period.label,
                    "actual_to_expected_pct": ratio,
                    "expected_kwh": expected,
                },
            )
        )
    return row | {
        "hours_compared": int(present.sum()),
        "actual_kwh": measured,
        "expected_kwh": expected,
        "actual_to_expected_pct": ratio,
        "poa_insolation_kwh_per_m2": insolation,
        "performance_ratio": performance_ratio(measured, kwp, insolation),
        "expected_performance_ratio": performance_ratio(expected, kwp, insolation),
        "status": status,
    }
