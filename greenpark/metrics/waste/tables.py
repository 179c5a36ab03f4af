"""Small DuckDB and DataFrame helpers shared by the waste and resources queries."""

from __future__ import annotations


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
