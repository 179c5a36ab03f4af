"""Tables the audit workbook shows so that a verifier can trace the market-based lines
and the register meters: green-power instruments per month, register readings at the
start and end of each month.

Built once with the report (:func:`greenpark.report.sections.carbon`); the workbook only
writes them.
"""

from __future__ import annotations

GREEN_POWER_COLUMNS = [
    "instrument_id",
    "type",
    "mwh",
    "vintage",
    "period_start",
    "period_end",
    "enterprise_id",
    "month",
    "vintage_year",
    "month_year",
    "days_in_month",
    "days_total",
    "counted_mwh",
    "reason",
]
RESET_NOTE = (
    "register reset (meter replaced): the consumption of that interval is unknown and not "
    "stored, so closing - opening differs from the stored quantity"
)
VINTAGE_REASON = "vintage outside the reporting year (GHG Protocol Scope 2 quality criteria)"

REGISTER_SQL = """
WITH seq AS (
    SELECT r.meter_key, r.ts, r.reading, m.register_max,
           lag(r.reading) OVER (PARTITION BY r.meter_key ORDER BY r.ts) AS prev_reading
    FROM register_readings r JOIN meters m USING (meter_key)
), kinds AS (
    SELECT *, {classify} AS kind FROM seq
)
SELECT m.meter_id, m.unit, m.multiplier, m.to_canonical, m.register_max,
       (SELECT arg_min(ts, ts) FROM register_readings
            WHERE meter_key = m.meter_key AND ts >= ?) AS opening_ts,
       (SELECT arg_min(reading, ts) FROM register_readings
            WHERE meter_key = m.meter_key AND ts >= ?) AS opening_reading,
       coalesce((SELECT arg_min(ts, ts) FROM register_readings
                     WHERE meter_key = m.meter_key AND ts >= ?),
                (SELECT arg_max(ts, ts) FROM register_readings
                     WHERE meter_key = m.meter_key AND ts < ?)) AS closing_ts,
       coalesce((SELECT arg_min(reading, ts) FROM register_readings
                     WHERE meter_key = m.meter_key AND ts >= ?),
                (SELECT arg_max(reading, ts) FROM register_readings
                     WHERE meter_key = m.meter_key AND ts < ?)) AS closing_reading,
       (SELECT count(*) FROM kinds k WHERE k.meter_key = m.meter_key AND k.kind = 'rollover'
            AND k.ts > ? AND k.ts <= ?) AS rollovers,
       (SELECT count(*) FROM kinds k WHERE k.meter_key = m.meter_key AND k.kind = 'reset'
            AND k.ts > ? AND k.ts <= ?) AS resets,
       (SELECT sum(value) FROM readings WHERE meter_key = m.meter_key AND ts >= ? AND ts < ?)
           AS quantity
FROM meters m WHERE m.reading_type = 'register' ORDER BY m.meter_id
"""


def green_power_months(store, period):
    """Every green-power contract and certificate covering a month of ``period``: what
    it may claim in that month (pro rata by days, its vintage in the month's year).

    Returns
    -------
    pandas.DataFrame
        :data:`GREEN_POWER_COLUMNS`: ``mwh`` the instrument's total [MWh], ``month``
        ``YYYY-MM``, ``counted_mwh`` = mwh x days_in_month / days_total when the vintage
        year is the month's year, else 0 with the ``reason`` [MWh].
    """
    import pandas as pd

    from greenpark.core.periods import month_end

    rows = store.con.execute(
        "SELECT instrument_id, type, mwh, vintage, period_start, period_end, enterprise_id "
        "FROM green_power ORDER BY instrument_id"
    ).fetchall()
    out = []
    for ident, kind, mwh, vintage, start, end, enterprise in rows:
        days = (end - start).days + 1
        for month in period.months:
            first, last = max(month, start), min(month_end(month), end)
            if last < first:
                continue
            counted = vintage.year == month.year
            in_month = (last - first).days + 1
            out.append(
                [
                    ident,
                    kind,
                    float(mwh),
                    f"{vintage:%Y-%m}",
                    start.isoformat(),
                    end.isoformat(),
                    enterprise,
                    f"{month:%Y-%m}",
                    vintage.year,
                    month.year,
                    in_month,
                    days,
                    float(mwh) * in_month / days if counted else 0.0,
                    None if counted else VINTAGE_REASON,
                ]
            )
    return pd.DataFrame(out, columns=GREEN_POWER_COLUMNS).astype(
        {"enterprise_id": object, "reason": object}
    )


def register_months(store, period):
    """Opening and closing readings (期初/期末) of every register meter per month: the
    first reading at or after the month's start and at or after its end, the rollovers
    and resets between them, and the consumption greenpark stored for the month.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, month, unit, opening_ts, opening_reading, closing_ts,
        closing_reading, rollovers, resets, register_max, multiplier, to_canonical,
        quantity`` (``quantity`` in the carrier's canonical unit; readings in the meter's
        unit).
    """
    import pandas as pd

    from greenpark.core.periods import Period
    from greenpark.loaders.registers import CLASSIFY

    frames = []
    for month in period.months:
        start, end = Period.month(month, period.timezone).utc_bounds()
        frame = store.con.execute(
            REGISTER_SQL.format(classify=CLASSIFY), [start, start] + [end] * 4 + [start, end] * 3
        ).df()
        frame.insert(1, "month", f"{month:%Y-%m}")
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if out.empty:
        return out
    for col in ("opening_ts", "closing_ts"):  # shown in park time
        out[col] = [_local(t, period.timezone) for t in out[col]]
    out["note"] = [RESET_NOTE if n else None for n in out["resets"]]
    order = ["meter_id", "month", "unit", "opening_ts", "opening_reading", "closing_ts"]
    order += ["closing_reading", "rollovers", "resets", "register_max", "multiplier"]
    order += ["to_canonical", "quantity", "note"]
    return out[order].astype({"note": object})


def _local(ts, timezone: str) -> str | None:
    from greenpark.core.periods import to_local

    if ts is None or ts != ts:
        return None
    return f"{to_local(ts, timezone):%Y-%m-%d %H:%M}"
