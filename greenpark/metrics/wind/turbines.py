"""Wind turbine types: windpowerlib's shipped OEDB library (read offline) and custom power
curves.

windpowerlib 0.2.2 ships the Open Energy Database (OEDB) turbine library as three CSV
files in ``windpowerlib/oedb/`` (``turbine_data.csv``, ``power_curves.csv``,
``power_coefficient_curves.csv``). ``windpowerlib.get_turbine_types(turbine_library=
"local")`` and ``WindTurbine(path="oedb")`` read those files; only
``turbine_library="oedb"`` or ``store_turbine_data_from_oedb()`` would go to the network,
and greenpark calls neither.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from greenpark.core.errors import GreenparkError

LIBRARY_SOURCE = "OEDB wind turbine library as shipped with windpowerlib {version}"
TURBINE_COLUMNS = [
    "turbine_type",
    "manufacturer",
    "rated_power_kw",
    "rotor_diameter_m",
    "hub_heights_m",
    "has_power_curve",
    "has_cp_curve",
    "source",
]


def library_dir() -> str:
    """Folder of windpowerlib's shipped OEDB files (no network)."""
    import os

    import windpowerlib

    return os.path.join(os.path.dirname(windpowerlib.__file__), "oedb")


def library_source() -> str:
    """Where the shipped turbine data come from, with windpowerlib's version."""
    import windpowerlib

    return LIBRARY_SOURCE.format(version=windpowerlib.__version__)


def parse_hub_heights(text) -> tuple[float, ...]:
    """The hub heights of an OEDB ``hub_height`` cell (``"90;102"``, ``"87,5; 100"``,
    ``"75/85"``). [m]"""
    if not isinstance(text, str):
        return ()
    parts = re.split(r"[;/]", text)
    out = []
    for part in parts:
        part = part.strip().replace(",", ".")
        try:
            out.append(float(part))
        except ValueError:
            continue
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _library_frame():
    import os

    import pandas as pd
    from windpowerlib import get_turbine_types

    types = get_turbine_types(turbine_library="local", print_out=False, filter_=True)
    data = pd.read_csv(os.path.join(library_dir(), "turbine_data.csv"))
    data = data.drop_duplicates("turbine_type").set_index("turbine_type")
    rows = []
    for t in types.itertuples():
        d = data.loc[t.turbine_type] if t.turbine_type in data.index else None
        rows.append(
            {
                "turbine_type": t.turbine_type,
                "manufacturer": t.manufacturer,
                "rated_power_kw": None if d is None else float(d["nominal_power"]) / 1000.0,
                "rotor_diameter_m": None if d is None else float(d["rotor_diameter"]),
                "hub_heights_m": () if d is None else parse_hub_heights(d["hub_height"]),
                "has_power_curve": bool(t.has_power_curve),
                "has_cp_curve": bool(t.has_cp_curve),
                "source": library_source()
                + ("" if d is None or not isinstance(d["source"], str) else f"; {d['source']}"),
            }
        )
    return pd.DataFrame(rows, columns=TURBINE_COLUMNS)


def turbine_types(search: str | None = None):
    """The shipped turbine types with a power curve or a power coefficient curve.

    Parameters
    ----------
    search : str, optional
        Keep types whose name or manufacturer contains this text (case-insensitive).

    Returns
    -------
    pandas.DataFrame
        ``turbine_type, manufacturer, rated_power_kw`` [kW], ``rotor_diameter_m`` [m],
        ``hub_heights_m`` (tuple, the heights the library lists) [m],
        ``has_power_curve, has_cp_curve, source``.
    """
    frame = _library_frame()
    if search:
        text = search.lower()
        keep = frame["turbine_type"].str.lower().str.contains(text, regex=False) | frame[
            "manufacturer"
        ].str.lower().str.contains(text, regex=False)
        frame = frame[keep]
    return frame.reset_index(drop=True).copy()


def library_turbine(turbine_type: str):
    """One shipped turbine type as a dict (see :func:`turbine_types`), or None."""
    frame = _library_frame()
    match = frame[frame["turbine_type"] == turbine_type]
    return None if match.empty else match.iloc[0].to_dict()


def close_matches(turbine_type: str, n: int = 3) -> list[str]:
    """Shipped turbine types whose names are close to ``turbine_type``."""
    import difflib

    names = list(_library_frame()["turbine_type"])
    return difflib.get_close_matches(turbine_type, names, n=n, cutoff=0.5)


@dataclass(frozen=True)
class TurbineSpec:
    """What a site's turbine is: a shipped type, or a custom power curve.

    Attributes
    ----------
    turbine_type : str
        Shipped type name, or the label of a custom curve.
    power_curve_file : str or None
        Custom power curve (``wind_speed_m_per_s, power_kw``); None for a shipped type.
    rotor_diameter_m : float or None
        [m]
    """

    turbine_type: str
    power_curve_file: str | None = None
    rotor_diameter_m: float | None = None


@functools.lru_cache(maxsize=256)
def power_curve(spec: TurbineSpec):
    """The power curve of a turbine: ``(wind_speed [m/s], power [W], rated power [kW],
    source)``, read with windpowerlib for a shipped type.

    Raises
    ------
    GreenparkError
        A shipped type without a power curve, or a name not in the library.
    """
    import numpy as np

    if spec.power_curve_file is not None:
        from greenpark.io.wind import read_power_curve

        curve, meta = read_power_curve(spec.power_curve_file)
        values_w = curve["power_kw"].to_numpy(dtype=float) * 1000.0
        return (
            curve["wind_speed_m_per_s"].to_numpy(dtype=float),
            values_w,
            float(values_w.max()) / 1000.0,
            f"custom power curve {meta['name']}",
        )
    from windpowerlib.wind_turbine import get_turbine_data_from_file

    found = library_turbine(spec.turbine_type)
    if found is None or not found["has_power_curve"]:
        raise GreenparkError(unknown_turbine_message(spec.turbine_type, found))
    import os

    curve = get_turbine_data_from_file(
        spec.turbine_type, os.path.join(library_dir(), "power_curves.csv")
    )
    curve = curve.sort_values("wind_speed")
    return (
        curve["wind_speed"].to_numpy(dtype=float),
        curve["value"].to_numpy(dtype=float),
        float(found["rated_power_kw"] or np.max(curve["value"]) / 1000.0),
        found["source"],
    )


def unknown_turbine_message(turbine_type: str, found) -> str:
    """Why a turbine type cannot be modelled, with close shipped names."""
    if found is not None:
        return (
            f"turbine type {turbine_type!r} has no power curve in the shipped OEDB library "
            "(give a power_curve_file)"
        )
    close = close_matches(turbine_type)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return (
        f"turbine type {turbine_type!r} is not in windpowerlib's shipped turbine library "
        f"(see 'greenpark wind turbines --search'){hint}"
    )
