"""``greenpark load wind-sites``: the distributed wind (分散式风电) site registry, through the
generic table loader.

Columns (docs/wind.md): site_id, turbine_type, hub_height_m, and roughness_length_m or
terrain_class; optional name, latitude, longitude, x_m, y_m, power_curve_file (a custom
curve, relative to the sites file; then turbine_type is its label), rotor_diameter_m,
turbine_count, availability_pct, other_losses_pct, wake_loss_pct, capex_cny_per_kw,
om_cny_per_kw_year. Every turbine type, hub height and curve file is checked at load time.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from greenpark.core.errors import GreenparkError, InputError, Problem
from greenpark.core.findings import Finding
from greenpark.loaders.tables import Column, TableSpec, load_table
from greenpark.metrics.wind.resource import TERRAIN_CLASSES

WIND_SITES_SPEC = TableSpec(
    kind="wind_sites",
    table="wind_sites",
    columns=(
        Column("site_id", required=True),
        Column("name"),
        Column("latitude", "number", minimum=-90, maximum=90),
        Column("longitude", "number", minimum=-180, maximum=180),
        Column("x_m", "number"),
        Column("y_m", "number"),
        Column("turbine_type", required=True),
        Column("power_curve_file"),
        Column("rotor_diameter_m", "number", minimum=0),
        Column("hub_height_m", "number", required=True, maximum=300),
        Column("turbine_count", "int", minimum=1, default=1),
        Column("roughness_length_m", "number"),
        Column("terrain_class", "choice", choices=tuple(TERRAIN_CLASSES)),
        Column("availability_pct", "number", minimum=0, maximum=100),
        Column("other_losses_pct", "number", minimum=0, maximum=100),
        Column("wake_loss_pct", "number", minimum=0, maximum=100),
        Column("capex_cny_per_kw", "number", minimum=0),
        Column("om_cny_per_kw_year", "number", minimum=0),
    ),
    key=("site_id",),
)


def _row_check(folder: Path, notes: list):
    def check(row: dict, line: int) -> list[Problem]:
        problems = _roughness_problems(row, line)
        hub = row.get("hub_height_m")
        if hub is not None and hub <= 0:
            problems.append(
                Problem(
                    line, "hub_height_m", f"{hub:g}", "must be greater than 0", "wind.hub_height"
                )
            )
        if row.get("power_curve_file"):
            row["power_curve_file"] = str((folder / row["power_curve_file"]).resolve())
        problems += _turbine_problems(row, line, notes)
        return problems

    return check


def _roughness_problems(row: dict, line: int) -> list[Problem]:
    z0, terrain = row.get("roughness_length_m"), row.get("terrain_class")
    if z0 is not None and z0 <= 0:
        return [
            Problem(
                line,
                "roughness_length_m",
                f"{z0:g}",
                "roughness length must be greater than 0 m (e.g. 0.03 open farmland)",
                "wind.roughness",
            )
        ]
    if z0 is None and terrain is None:
        return [
            Problem(
                line,
                "roughness_length_m",
                None,
                f"give roughness_length_m or terrain_class ({', '.join(TERRAIN_CLASSES)})",
                "wind.roughness",
            )
        ]
    if z0 is not None and terrain is not None:
        return [
            Problem(
                line,
                "terrain_class",
                terrain,
                "give roughness_length_m or terrain_class, not both",
                "wind.roughness",
            )
        ]
    return []


def _turbine_problems(row: dict, line: int, notes: list) -> list[Problem]:
    """The turbine type must be modelled: a shipped type with a power curve, or a custom
    curve file; the hub height must exceed half the rotor (windpowerlib's rule); a hub
    height the library does not list for the type is a warning."""
    from greenpark.metrics.wind.turbines import TurbineSpec, library_turbine, power_curve

    ttype, hub = row.get("turbine_type"), row.get("hub_height_m")
    if ttype is None:
        return []
    spec = TurbineSpec(ttype, row.get("power_curve_file"), row.get("rotor_diameter_m"))
    column = "power_curve_file" if spec.power_curve_file else "turbine_type"
    try:
        power_curve(spec)
    except InputError as exc:
        return [Problem(line, column, spec.power_curve_file, str(exc), "wind.curve")]
    except GreenparkError as exc:
        return [Problem(line, column, ttype, str(exc), "wind.turbine_type")]
    found = None if spec.power_curve_file else library_turbine(ttype)
    rotor = spec.rotor_diameter_m or (found or {}).get("rotor_diameter_m")
    if hub is None or hub <= 0:
        return []
    if rotor and hub <= 0.5 * rotor:
        return [
            Problem(
                line,
                "hub_height_m",
                f"{hub:g}",
                f"hub height must exceed half the rotor diameter ({rotor:g} m)",
                "wind.hub_height",
            )
        ]
    offered = (found or {}).get("hub_heights_m") or ()
    if offered and hub not in offered:
        notes.append(
            Finding(
                "wind.hub_height_not_offered",
                f"site {row.get('site_id')}: hub height {hub:g} m is not one the library "
                f"lists for {ttype} ({', '.join(f'{h:g}' for h in offered)} m); the power "
                "curve is used at that height anyway",
                data={"line": line, "site_id": row.get("site_id"), "hub_height_m": hub},
            )
        )
    return []


def load_wind_sites(
    store,
    path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
):
    """Load a wind site file (CSV, XLSX, Parquet) into ``wind_sites``, whole or not at all.

    Returns
    -------
    greenpark.loaders.common.LoadResult
        With a ``wind.hub_height_not_offered`` warning per site whose hub height the
        library does not list for its type.

    Raises
    ------
    InputError
        Naming line, column, value and rule (a turbine type not in the library, a hub
        height below half the rotor, roughness <= 0, a bad power curve file ...); the
        database is unchanged.
    """
    store.require_current()
    notes: list[Finding] = []
    folder = Path(path).resolve().parent
    spec = dataclasses.replace(WIND_SITES_SPEC, row_check=_row_check(folder, notes))
    result = load_table(
        store,
        spec,
        path,
        mapping=mapping,
        replace=replace,
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
    )
    for note in notes:
        note.data["file"] = str(path)
    result.findings.extend(notes)
    return result


def load_wind_demo(store, data_dir) -> list:
    """Load the demo park's candidate wind sites (``datasets/demo-park/wind_sites.csv``),
    if the dataset has them."""
    path = Path(data_dir) / "wind_sites.csv"
    return [load_wind_sites(store, path)] if path.exists() else []
