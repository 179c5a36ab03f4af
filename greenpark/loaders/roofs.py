"""``greenpark load roofs``: the roof registry, through the generic table loader.

Columns (docs/cli.md): roof_id, building_id, enterprise_id, area_m2, tilt_deg,
azimuth_deg (pvlib convention: 180 = south), roof_type (flat | pitched); optional
usable_fraction, mounting (racked | flush), existing_pv_kwp, capex_cny_per_kwp. The tilt
and azimuth are those of the modules (on a flat roof: the racking's).
"""

from __future__ import annotations

import dataclasses

from greenpark.core.errors import Problem
from greenpark.core.findings import Finding
from greenpark.loaders.tables import Column, TableSpec, load_table

ROOF_SPEC = TableSpec(
    kind="roofs",
    table="roofs",
    columns=(
        Column("roof_id", required=True),
        Column("building_id", required=True),
        Column("enterprise_id", required=True),
        Column("area_m2", "number", required=True),
        Column("tilt_deg", "number", required=True, minimum=0, maximum=90),
        Column("azimuth_deg", "number", required=True, minimum=0, maximum=360),
        Column("roof_type", "choice", required=True, choices=("flat", "pitched")),
        Column("usable_fraction", "number", minimum=0, maximum=1),
        Column("mounting", "choice", choices=("racked", "flush")),
        Column("existing_pv_kwp", "number", minimum=0, default=0.0),
        Column("capex_cny_per_kwp", "number", minimum=0),
    ),
    key=("roof_id",),
)


def known_buildings(con) -> set[str] | None:
    """Building ids the park database knows (from the meter registry), or None if none."""
    rows = con.execute(
        "SELECT DISTINCT building_id FROM meters WHERE building_id IS NOT NULL"
    ).fetchall()
    return {r[0] for r in rows} or None


def _row_check(buildings: set[str] | None):
    def check(row: dict, line: int) -> list[Problem]:
        problems = []
        if row.get("area_m2") is not None and row["area_m2"] <= 0:
            problems.append(
                Problem(
                    line,
                    "area_m2",
                    f"{row['area_m2']:g}",
                    "must be greater than 0",
                    "roofs.area_m2",
                )
            )
        if buildings is not None and row.get("building_id") not in buildings:
            problems.append(
                Problem(
                    line,
                    "building_id",
                    row.get("building_id"),
                    "unknown building: not in the meter registry (meters.building_id)",
                    "roofs.unknown_building",
                )
            )
        return problems

    return check


def load_roofs(
    store,
    path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """Load a roof file (CSV, XLSX, Parquet) into ``roofs``, whole or not at all.

    Building ids are checked against the meter registry when it names buildings;
    otherwise the result carries a finding that they were not checked.

    Returns
    -------
    greenpark.loaders.common.LoadResult

    Raises
    ------
    InputError
        Naming line, column, value and rule (tilt outside 0-90, azimuth outside 0-360,
        area <= 0, unknown building ...); the database is unchanged.
    """
    store.require_current()
    buildings = known_buildings(store.con)
    spec = dataclasses.replace(ROOF_SPEC, row_check=_row_check(buildings))
    result = load_table(store, spec, path, mapping, replace, encoding, sheet, header_row)
    if buildings is None:
        result.findings.append(
            Finding(
                "roofs.buildings_unchecked",
                "building ids not checked: the meter registry names no buildings",
                "info",
                {"file": str(path)},
            )
        )
    return result
