"""Small DuckDB and DataFrame helpers shared by the waste and resources queries, the
per-store caching of their Results, and the inputs of the water and waste-heat table
(:mod:`greenpark.metrics.resources`): monthly sums of the water and waste-heat meters, the
monthly water file and the waste-heat declarations, in canonical units (m3, GJ).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from greenpark.core.periods import Period


def register_units(con, table: str, canonical: str, name: str = "gp_units") -> None:
    """Expose ``(unit, factor)`` for every distinct unit of ``table`` as the view ``name``.

    ``table`` and ``name`` come from greenpark's code; factors come from pint
    (:func:`greenpark.core.units.factor_to`), so that a query converts to ``canonical``.
    """
    import pandas as pd

    from greenpark.core.units import factor_to
    from greenpark.store import register_frame

    units = [r[0] for r in con.execute(f"SELECT DISTINCT unit FROM {table}").fetchall()]  # noqa: S608
    frame = pd.DataFrame(
        {"unit": pd.Series(units, dtype=object), "factor": [factor_to(u, canonical) for u in units]}
    )
    register_frame(con, name, frame)


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


def table_exists(con, table: str) -> bool:
    """Whether the database has ``table`` (older databases may lack optional tables)."""
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    return con.execute(sql, [table]).fetchone()[0] > 0


def require_current(store) -> None:
    """``store.require_current()``, checked once per store (until its next committed
    write): raises while the database is not initialized or lacks a migration."""
    store.cached(("require_current",), lambda: store.require_current() or True)


def cached_table_exists(store, table: str) -> bool:
    """:func:`table_exists`, asked once per store (until its next committed write)."""
    return store.cached(("table_exists", table), lambda: table_exists(store.con, table))


def cached_result(store, key, build):
    """``build()`` once per ``key`` and store (see ``Store.cached``), returned as a copy
    that the caller may change freely: see :func:`fresh`."""
    return fresh(store.cached(key, build))


def fresh(result):
    """A copy of a cached :class:`~greenpark.core.findings.Result`: its own frame, findings
    list, inputs and companion tables, so that a caller changing them leaves the cached
    one intact (findings themselves are frozen)."""
    import copy

    out = copy.copy(result)  # no __post_init__: the findings are unique already
    out.frame = result.frame.copy()
    out.findings = list(result.findings)
    out.inputs = copy.deepcopy(result.inputs)
    out.tables = {name: table.copy() for name, table in result.tables.items()}
    return out


# --- the inputs of the resources table ----------------------------------------------

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
