"""Wind files: a measurement mast with several heights, and custom power curves.

* :func:`read_mast`: CSV with ``timestamp`` (interval start; a UTC offset, or naive with
  ``timezone``), one wind speed column per height (``wind_speed_10m``, ``ws_50m``,
  ``风速_80m`` ...) [m/s], optional ``temp_air`` [degC] and ``pressure`` [Pa]. Returns
  ``(data, metadata)``; the metadata carry the heights and the fitted shear exponent.
* :func:`read_power_curve`: CSV or XLSX with ``wind_speed_m_per_s`` and ``power_kw``.

Nothing is written; errors name the file, the line, the column and the value.
"""

from __future__ import annotations

import re
from pathlib import Path

from greenpark.core.errors import InputError, Problem

HEIGHT_COLUMN = re.compile(r"^(?:wind_speed|ws|风速)_?(\d+(?:\.\d+)?)\s*m$", re.IGNORECASE)
MAX_WIND_SPEED_M_PER_S = 75.0  # above any 10-minute mean ever recorded at a mast


def parse_height_columns(headers) -> dict[float, str]:
    """Height [m] -> header, for the headers that name a wind speed at a height."""
    out = {}
    for header in headers:
        match = HEIGHT_COLUMN.match(str(header).strip())
        if match:
            out[float(match.group(1))] = header
    return dict(sorted(out.items()))


def fit_shear_exponent(heights_m, mean_speeds_m_per_s) -> float:
    """Power-law (Hellman) shear exponent fitted to the mean wind speed of each height.

    alpha = slope of ln(v_mean) on ln(z) (least squares); with two heights
    alpha = ln(v2 / v1) / ln(z2 / z1).

    Parameters
    ----------
    heights_m : sequence of float
        Measurement heights. [m]
    mean_speeds_m_per_s : sequence of float
        Mean wind speed at each height over the same hours. [m/s]

    Returns
    -------
    float
        [1]

    References
    ----------
    Hellman, G. (1915); IEC 61400-1 (power law wind profile).
    """
    import numpy as np

    z = np.log(np.asarray(heights_m, dtype=float))
    v = np.log(np.asarray(mean_speeds_m_per_s, dtype=float))
    return float(np.polyfit(z, v, 1)[0])


def read_mast(path: str | Path, timezone: str | None = None):
    """Read a mast file (see the module docstring).

    Returns
    -------
    (pandas.DataFrame, dict)
        ``data``: index UTC interval starts; ``wind_speed_<h>`` columns keyed by height
        in a ``heights_m`` metadata list, ``temp_air`` [degC] and ``pressure`` [Pa]
        (NaN when absent). ``metadata``: ``name``, ``heights_m``, ``columns`` (height ->
        header), ``mean_speeds_m_per_s``, ``shear_exponent``, ``hours``.

    Raises
    ------
    InputError
        Fewer than two heights, a blank or non-numeric speed, a negative or impossible
        speed, bad timestamps.
    """
    import pandas as pd

    from greenpark.io.files import check_input_file
    from greenpark.io.weather import MAX_WEATHER_BYTES
    from greenpark.io.weather_csv import csv_numbers, csv_timestamps, read_table

    path = check_input_file(path, max_bytes=MAX_WEATHER_BYTES, what="wind mast file")
    raw, lines = read_table(path)  # physical lines: blank lines and quoted newlines counted
    heights = parse_height_columns(raw.columns)
    if len(heights) < 2:
        raise InputError(
            str(path),
            [
                Problem(
                    1,
                    None,
                    ", ".join(map(str, raw.columns)),
                    "a mast file needs wind speed columns at two or more heights, named "
                    "like wind_speed_10m, wind_speed_50m",
                    "wind.mast_heights",
                )
            ],
        )
    ts_col = next((c for c in raw.columns if c.strip().lower() in ("timestamp", "time")), None)
    if ts_col is None:
        raise InputError(
            str(path),
            [Problem(1, "timestamp", None, "required column is missing", "input.missing_column")],
        )
    index = csv_timestamps(raw[ts_col], ts_col, path, timezone, lines)
    data = pd.DataFrame(index=pd.DatetimeIndex(index, name="ts"))
    for height, header in heights.items():
        data[height] = _speeds(raw[header], header, path, lines)
    for name in ("temp_air", "pressure"):
        col = next((c for c in raw.columns if c.strip().lower() == name), None)
        data[name] = csv_numbers(raw[col], col, path, None, lines) if col else float("nan")
    data = data.sort_index()
    means = [float(data[h].mean()) for h in heights]
    meta = {
        "name": path.name,
        "heights_m": list(heights),
        "columns": {h: c for h, c in heights.items()},
        "mean_speeds_m_per_s": means,
        "shear_exponent": fit_shear_exponent(list(heights), means),
        "hours": len(data),
    }
    return data, meta


def _speeds(text, header: str, path: Path, lines):
    import numpy as np

    from greenpark.io.weather_csv import csv_numbers

    values = csv_numbers(text, header, path, None, lines)
    bad = np.isnan(values) | (values < 0) | (values > MAX_WIND_SPEED_M_PER_S)
    if bad.any():
        i = int(bad.argmax())
        rule = (
            "wind speed is missing"
            if np.isnan(values[i])
            else f"wind speed must be between 0 and {MAX_WIND_SPEED_M_PER_S:g} m/s"
        )
        raise InputError(
            str(path), [Problem(lines[i], header, str(text.iloc[i]), rule, "wind.speed")]
        )
    return values


def read_power_curve(path: str | Path):
    """A custom power curve: ``wind_speed_m_per_s`` [m/s] and ``power_kw`` [kW] per row.

    Returns
    -------
    (pandas.DataFrame, dict)
        The curve sorted by wind speed, and ``name``, ``rated_power_kw``.

    Raises
    ------
    InputError
        Missing columns, non-numeric or negative values, repeated wind speeds, fewer than
        three points.
    """
    from greenpark.io.tabular import open_tabular, read_small_table

    path = Path(path)
    if not path.exists():
        raise InputError(
            str(path), [Problem(None, None, None, "power curve file not found", "input.not_found")]
        )
    tab = open_tabular(path, None, None)
    try:
        raw = read_small_table(tab)
    finally:
        tab.cleanup()
    # physical lines (blank lines, quoted newlines and title rows counted), as every reader
    physical = raw.attrs.get("lines")
    lines = [physical[i] if physical else i + 1 + tab.header_lines for i in raw.index]
    raw = raw.reset_index(drop=True)
    curve = _curve_columns(raw, path, lines)
    if len(curve) < 3:
        raise InputError(
            str(path),
            [
                Problem(
                    None,
                    None,
                    str(len(curve)),
                    "a power curve needs at least 3 points",
                    "wind.curve",
                )
            ],
        )
    if curve["wind_speed_m_per_s"].duplicated().any():
        i = int(curve["wind_speed_m_per_s"].duplicated().to_numpy().argmax())
        raise InputError(
            str(path),
            [
                Problem(
                    lines[i],
                    "wind_speed_m_per_s",
                    str(curve["wind_speed_m_per_s"].iloc[i]),
                    "wind speed repeated",
                    "wind.curve",
                )
            ],
        )
    curve = curve.sort_values("wind_speed_m_per_s").reset_index(drop=True)
    return curve, {"name": path.name, "rated_power_kw": float(curve["power_kw"].max())}


def _curve_columns(raw, path: Path, lines: list):
    import pandas as pd

    from greenpark.io.weather_csv import csv_numbers

    headers = {str(h).strip().lower(): h for h in raw.columns}
    out = {}
    for name in ("wind_speed_m_per_s", "power_kw"):
        if name not in headers:
            raise InputError(
                str(path),
                [
                    Problem(
                        1,
                        name,
                        None,
                        "required column is missing; the file has: "
                        + ", ".join(map(str, raw.columns)),
                        "input.missing_column",
                    )
                ],
            )
        cells = raw[headers[name]].fillna("").astype(str)
        values = csv_numbers(cells, headers[name], path, None, lines)
        bad = (values != values) | (values < 0)
        if bad.any():
            i = int(bad.argmax())
            raise InputError(
                str(path),
                [
                    Problem(
                        lines[i],
                        name,
                        str(raw[headers[name]].iloc[i]),
                        "must be a number >= 0",
                        "wind.curve",
                    )
                ],
            )
        out[name] = values
    return pd.DataFrame(out)
