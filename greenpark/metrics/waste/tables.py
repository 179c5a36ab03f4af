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
