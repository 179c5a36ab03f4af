"""Map a file's header to greenpark's reading columns, without putting names into SQL.

Every source column gets a generated positional name (``c0``, ``c1`` ...); only those
names ever appear in SQL text. The header names themselves travel as bound values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.errors import InputError, Problem
from greenpark.core.vocab import READING_COLUMNS

LAYOUTS = ("long", "wide")


@dataclass
class ColumnPlan:
    """Where the reading columns are in a file.

    Attributes
    ----------
    layout : str
        ``long`` (meter_id, timestamp, value) or ``wide`` (timestamp + a column per meter).
    names : list of str
        Positional SQL names, one per source column (``c0`` ...).
    timestamp : str
        SQL name of the timestamp column.
    meter_id, value : str or None
        SQL names of the meter and value columns (long layout).
    meter_columns : list of tuple
        Wide layout: (SQL name, meter id, header as in the file) per meter column.
    source : dict
        SQL name -> header name as in the file (for messages).
    """

    layout: str
    names: list[str]
    timestamp: str
    meter_id: str | None = None
    value: str | None = None
    meter_columns: list[tuple[str, str, str]] = field(default_factory=list)
    source: dict[str, str] = field(default_factory=dict)


def rename_columns(frame, mapping: dict[str, str], names, kind: str, tab):
    """``frame`` (a small table read as text) with the ``--map`` renames applied.

    Parameters
    ----------
    frame : pandas.DataFrame
    mapping : dict
        Canonical column -> header in the file; Chinese headers of
        :data:`greenpark.loaders.headers.COLUMN_TEXT` are understood without it.
    names : iterable of str
        The canonical columns of the table.
    kind : str
        The table, for messages (``meters``, ``enterprises`` ...).
    tab : greenpark.io.tabular.TabularFile

    Raises
    ------
    InputError
        A canonical name the table does not have, or a header not in the file.
    """
    from greenpark.loaders.headers import aliases

    names = list(names)
    mapping = aliases([str(c) for c in frame.columns], names, mapping)
    for canonical, source in mapping.items():
        if canonical not in names:
            rule = f"--map: unknown column; {kind} columns are {', '.join(names)}"
            raise InputError(str(tab.path), [Problem(None, None, canonical, rule, "input.map")])
        if source not in frame.columns:
            rule = (
                f"--map {canonical}={source}: no such column; the file has: "
                f"{', '.join(map(str, frame.columns))}"
            )
            raise InputError(
                str(tab.path), [Problem(1, source, None, rule, "input.map")], unit=tab.row_unit
            )
    return frame.rename(columns={v: k for k, v in mapping.items()})


def parse_mapping(pairs) -> dict[str, str]:
    """``["meter_id=表计编号", ...]`` -> ``{"meter_id": "表计编号"}``."""
    out = {}
    for pair in pairs or ():
        canonical, sep, source = str(pair).partition("=")
        if not sep or not canonical.strip() or not source.strip():
            raise InputError(
                "--map",
                [
                    Problem(
                        None,
                        None,
                        str(pair),
                        "expected CANONICAL=SOURCE, e.g. meter_id=表计编号",
                        "cli.map",
                    )
                ],
            )
        out[canonical.strip()] = source.strip()
    return out


def plan_columns(
    path: str, header: list[str], mapping: dict[str, str], layout: str | None, unit: str = "line"
) -> ColumnPlan:
    """Decide the layout and where each reading column is.

    Parameters
    ----------
    path : str
        File name, for messages.
    header : list of str
        Column names as in the file.
    mapping : dict
        Canonical name (or, for wide files, meter id) -> header name.
    layout : str or None
        ``long``, ``wide`` or None to detect.

    Raises
    ------
    InputError
        A mapped column is not in the file, or a required column is missing.
    """
    from greenpark.loaders.headers import aliases

    mapping = aliases(header, READING_COLUMNS, mapping)
    by_header = {h: i for i, h in enumerate(header)}
    renamed = list(header)
    for canonical, source in mapping.items():
        if source not in by_header:
            raise InputError(
                path,
                [
                    Problem(
                        1,
                        source,
                        None,
                        f"--map {canonical}={source}: no such column; the file has: "
                        f"{', '.join(header)}",
                        "readings.map",
                    )
                ],
                unit=unit,
            )
        renamed[by_header[source]] = canonical
    index = {name: i for i, name in enumerate(renamed)}
    if layout is None:
        layout = "long" if {"meter_id", "value"} <= set(index) else "wide"
    if layout not in LAYOUTS:
        raise InputError(
            path, [Problem(None, None, layout, "layout must be long or wide", "readings.layout")]
        )
    names = [f"c{i}" for i in range(len(header))]
    required = READING_COLUMNS if layout == "long" else ("timestamp",)
    missing = [c for c in required if c not in index]
    if missing:
        raise InputError(
            path,
            [
                Problem(
                    1,
                    c,
                    None,
                    f"required column is missing ({layout} layout needs "
                    f"{', '.join(required)}; the file has: {', '.join(header)}; "
                    f"use --map {c}=COLUMN)",
                    "readings.missing_column",
                )
                for c in missing
            ],
            unit=unit,
        )
    plan = ColumnPlan(
        layout, names, f"c{index['timestamp']}", source={f"c{i}": h for i, h in enumerate(header)}
    )
    if layout == "long":
        plan.meter_id, plan.value = f"c{index['meter_id']}", f"c{index['value']}"
        return plan
    ts_pos = index["timestamp"]
    plan.meter_columns = [
        (f"c{i}", renamed[i], header[i])
        for i in range(len(header))
        if i != ts_pos and renamed[i] and not renamed[i].startswith("Unnamed")
    ]
    if not plan.meter_columns:
        raise InputError(
            path,
            [
                Problem(
                    1,
                    None,
                    None,
                    "wide layout: no meter columns besides the timestamp",
                    "readings.missing_column",
                )
            ],
            unit=unit,
        )
    return plan
