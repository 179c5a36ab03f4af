"""The inputs of the water and waste-heat table (:mod:`greenpark.metrics.resources`):
monthly sums of the water and waste-heat meters, the monthly water file and the
waste-heat declarations, in canonical units (m3, GJ), read once per store and period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from greenpark.core.periods import Period
from greenpark.metrics.waste.tables import register_units, text_nulls_to_none

WATER_ROLES = ("water_intake", "water_recycled")
HEAT_ROLE = "waste_heat_recovered"
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


@dataclass(frozen=True)
class ResourceInputs:
    """What the table is worked out from, per park local month (``month``: a date).

    ``meters``: monthly sums of the water and waste-heat meters (``meter_id, role,
    quantity, readings``); ``water``: the monthly water file (``intake_m3,
    recycled_m3``); ``heat``: the waste-heat declarations (``source_id, meter_id,
    applicable, reason, recoverable_gj, recovered_gj``), by month and source.
    """

    meters: object
    water: object
    heat: object


def resource_inputs(store, period: Period) -> ResourceInputs:
    """The inputs of ``period`` (localized), read once per store and span (a year and the
    rolling 12 months ending in December share them).

    Not sliced from a wider span: DuckDB's sums of the meters would add the same
    readings in another order (a different last digit)."""
    key = ("resources.inputs", period.first, period.last, period.timezone)
    return store.cached(key, lambda: _read_raw(store, period))


def _read_raw(store, period: Period) -> ResourceInputs:
    """Read the inputs; a source the park has none of at all is not queried."""
    con = store.con
    n_meters, n_water, n_heat = store.cached(("resources.sources",), lambda: _sources(con))
    meters = _empty("month meter_id role", "quantity", "readings")
    water = _empty("month", "intake_m3 recycled_m3")
    heat = _empty("month source_id meter_id reason", "recoverable_gj recovered_gj")
    if n_meters:
        meters = _meter_months(store, period)
    if n_water:
        water = _file_rows(con, "water_monthly", "m3", WATER_FILE_SQL, period)
    if n_heat:
        heat = _file_rows(con, "waste_heat_sources", "GJ", HEAT_FILE_SQL, period)
    return ResourceInputs(meters, water, heat)


_SOURCES_SQL = f"""
SELECT (SELECT count(*) FROM meters WHERE role IN {(*WATER_ROLES, HEAT_ROLE)!r}),
       (SELECT count(*) FROM water_monthly), (SELECT count(*) FROM waste_heat_sources)
"""  # noqa: S608 - code-only names


def _sources(con) -> tuple[int, int, int]:
    """How many water/waste-heat meters, monthly water rows and heat declarations."""
    return con.execute(_SOURCES_SQL).fetchone()


def _empty(texts: str, floats: str = "", counts: str = ""):
    """An input without rows: text (``object``), float and count columns, as a query of
    it would give (the heat declarations' ``applicable``: bool)."""
    import pandas as pd

    columns = {c: pd.Series(dtype=object) for c in texts.split()}
    columns.update({c: pd.Series(dtype=float) for c in floats.split()})
    columns.update({c: pd.Series(dtype="int64") for c in counts.split()})
    if "source_id" in columns:
        columns["applicable"] = pd.Series(dtype=bool)
    return pd.DataFrame(columns)


def _meter_months(store, period: Period):
    """Monthly sums of water and waste-heat meters (park local months), canonical units."""
    import pandas as pd

    from greenpark.store import register_frame

    bounds = [Period.month(m, period.timezone) for m in period.months]
    months = pd.DataFrame(
        {
            "month": [dt.datetime.combine(m, dt.time()) for m in period.months],
            "start_utc": [b.start_utc for b in bounds],
            "end_utc": [b.end_utc for b in bounds],
        }
    )
    register_frame(store.con, "gp_months", months)
    try:
        frame = store.con.execute(METER_MONTH_SQL, list(period.utc_bounds())).df()
    finally:
        store.con.unregister("gp_months")
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def _file_rows(con, table: str, canonical: str, sql: str, period: Period):
    import pandas as pd

    register_units(con, table, canonical)
    try:
        frame = con.execute(sql, [period.first, period.last]).df()
    finally:
        con.unregister("gp_units")
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return text_nulls_to_none(frame)
