"""Load the waste ledger and the monthly water and waste-heat files.

Three small table files, each loaded with :func:`greenpark.loaders.tables.load_table`
(atomic, idempotent, every problem named by file, line, column, value and rule):

* the **waste ledger** (``waste_ledger``): per month, enterprise and stream, the category
  (with an HW code for hazardous waste), the quantities in any mass unit and the route;
* the **monthly water file** (``water_monthly``): fresh intake and recycled water per month
  (and enterprise), for parks without water meters;
* the **waste-heat declarations** (``waste_heat_sources``): per month and source, the
  recoverable waste heat/cold/pressure energy, the recovered energy (a number or a meter
  with role ``waste_heat_recovered``), or "not applicable" with a reason.

Quantities are stored as given, with their unit (pint checks that it measures the right
thing); :mod:`greenpark.metrics.waste` and :mod:`greenpark.metrics.resources` convert them to
t, m3 and GJ
when they aggregate.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from greenpark.core.errors import Problem
from greenpark.core.units import UnitError, factor_to
from greenpark.loaders.common import LoadResult
from greenpark.loaders.tables import Column, TableSpec, load_table

CATEGORIES = ("general_industrial_solid", "hazardous", "recyclable", "domestic")
ROUTES = (
    "recycling",
    "reuse",
    "composting",
    "energy_recovery",
    "incineration",
    "landfill",
    "other",
)
QUANTITIES = (
    "generated",
    "utilized",
    "utilized_from_storage",
    "disposed",
    "disposed_from_storage",
    "stored",
    "dumped",
)
# National Catalogue of Hazardous Wastes (2016 and 2021 editions): HW01-HW40 and HW45-HW50;
# HW41-HW44 of the 2008 edition were merged into other classes.
HW_CLASSES = frozenset(f"HW{n:02d}" for n in [*range(1, 41), *range(45, 51)])
_HW_CODE = re.compile(r"^HW\d{2}$")

# Chinese ledger headers (固废台账) -> canonical columns, for --map or load_waste(mapping=...).
LEDGER_HEADERS_ZH = {
    "month": "月份",
    "enterprise_id": "企业编号",
    "stream": "废物流编号",
    "category": "类别",
    "subtype": "废物名称",
    "hw_code": "危废代码",
    "unit": "计量单位",
    "generated": "产生量",
    "utilized": "综合利用量",
    "utilized_from_storage": "其中利用往年贮存量",
    "disposed": "处置量",
    "disposed_from_storage": "其中处置往年贮存量",
    "stored": "贮存量",
    "dumped": "倾倒丢弃量",
    "route": "利用处置方式",
    "contractor": "利用处置单位",
    "licence_no": "许可证编号",
}


def _quantity(name: str) -> Column:
    return Column(name, "number", minimum=0.0, default=0.0)


def current_month(timezone: str) -> dt.date:
    """First day of the current month in ``timezone`` (months after it are in the future)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(timezone)).date().replace(day=1)


def _future(row: dict, line: int, latest: dt.date) -> list[Problem]:
    if row["month"] > latest:
        return [
            Problem(
                line,
                "month",
                row["month"].strftime("%Y-%m"),
                f"month is in the future (the current month is {latest:%Y-%m})",
                "input.future_month",
            )
        ]
    return []


def _unit(row: dict, line: int, canonical: str, what: str, kind: str) -> list[Problem]:
    try:
        factor_to(row["unit"], canonical)
    except UnitError as exc:
        return [
            Problem(
                line,
                "unit",
                row["unit"],
                f"{exc}; {what} needs a unit like {canonical}",
                f"{kind}.unit",
            )
        ]
    return []


def _hw_code(row: dict, line: int) -> list[Problem]:
    code = row.get("hw_code")
    if row["category"] != "hazardous":
        if code is not None:
            return [
                Problem(
                    line,
                    "hw_code",
                    code,
                    "an HW code is only for category hazardous",
                    "waste.hw_code",
                )
            ]
        return []
    if code is None:
        return [
            Problem(
                line,
                "hw_code",
                None,
                "hazardous waste needs its HW code (HW01-HW50)",
                "waste.hw_code",
            )
        ]
    if not _HW_CODE.match(code):
        return [
            Problem(
                line,
                "hw_code",
                code,
                "malformed HW code; expected HW followed by two digits, e.g. HW08",
                "waste.hw_code",
            )
        ]
    if code not in HW_CLASSES:
        return [
            Problem(
                line,
                "hw_code",
                code,
                "unknown HW class; the National Catalogue of "
                "Hazardous Wastes has HW01-HW40 and HW45-HW50",
                "waste.hw_code",
            )
        ]
    return []


def _storage(row: dict, line: int) -> list[Problem]:
    problems = []
    for part, whole in (
        ("utilized_from_storage", "utilized"),
        ("disposed_from_storage", "disposed"),
    ):
        if row[part] > row[whole]:
            problems.append(
                Problem(
                    line,
                    part,
                    f"{row[part]:g}",
                    f"cannot exceed {whole} "
                    f"({row[whole]:g}): it is the part of {whole} taken from "
                    "prior-year storage",
                    "waste.storage",
                )
            )
    return problems


def ledger_spec(latest_month: dt.date) -> TableSpec:
    """The waste ledger's columns and row rules.

    Parameters
    ----------
    latest_month : datetime.date
        First day of the current month; later months are refused as future.
    """

    def check(row: dict, line: int) -> list[Problem]:
        return (
            _future(row, line, latest_month)
            + _hw_code(row, line)
            + _unit(row, line, "t", "a waste quantity", "waste")
            + _storage(row, line)
        )

    return TableSpec(
        kind="waste",
        table="waste_ledger",
        columns=(
            Column("month", "month", required=True),
            Column("enterprise_id", required=True),
            Column("stream", required=True),
            Column("category", "choice", required=True, choices=CATEGORIES),
            Column("subtype"),
            Column("hw_code"),
            Column("unit", default="t"),
            *(_quantity(q) for q in QUANTITIES),
            Column("route", "choice", choices=ROUTES),
            Column("contractor"),
            Column("licence_no"),
        ),
        key=("month", "enterprise_id", "stream"),
        row_check=check,
    )


def water_spec(latest_month: dt.date) -> TableSpec:
    """The monthly water file: fresh intake and recycled water per month and enterprise.

    ``enterprise_id`` blank means the park as a whole (stored as ``PARK``).
    """

    def check(row: dict, line: int) -> list[Problem]:
        problems = _future(row, line, latest_month)
        if row["intake"] is None and row["recycled"] is None:
            problems.append(
                Problem(line, "intake", None, "give intake, recycled or both", "water.blank")
            )
        return problems + _unit(row, line, "m3", "a water volume", "water")

    return TableSpec(
        kind="water",
        table="water_monthly",
        columns=(
            Column("month", "month", required=True),
            Column("enterprise_id", default="PARK"),
            Column("intake", "number", minimum=0.0),
            Column("recycled", "number", minimum=0.0),
            Column("unit", default="m3"),
        ),
        key=("month", "enterprise_id"),
        row_check=check,
    )


def waste_heat_spec(latest_month: dt.date, heat_meters: frozenset[str]) -> TableSpec:
    """Waste-heat declarations: recoverable and recovered energy per month and source.

    Parameters
    ----------
    latest_month : datetime.date
        First day of the current month.
    heat_meters : frozenset of str
        Ids of meters with role ``waste_heat_recovered``.
    """

    def check(row: dict, line: int) -> list[Problem]:
        problems = _future(row, line, latest_month)
        if not row["applicable"]:
            if row["reason"] is None:
                problems.append(
                    Problem(
                        line,
                        "reason",
                        None,
                        "say why waste heat is not applicable",
                        "waste_heat.reason",
                    )
                )
            return problems
        if row["recoverable"] is None:
            problems.append(
                Problem(
                    line,
                    "recoverable",
                    None,
                    "the recoverable amount is needed (or applicable = false with a reason)",
                    "waste_heat.recoverable",
                )
            )
        problems += _recovered(row, line, heat_meters)
        return problems + _unit(row, line, "GJ", "an energy", "waste_heat")

    return TableSpec(
        kind="waste_heat",
        table="waste_heat_sources",
        columns=(
            Column("month", "month", required=True),
            Column("source_id", required=True),
            Column("enterprise_id"),
            Column("meter_id"),
            Column("recoverable", "number", minimum=0.0),
            Column("recovered", "number", minimum=0.0),
            Column("unit", default="GJ"),
            Column("applicable", "bool", default=True),
            Column("reason"),
        ),
        key=("month", "source_id"),
        row_check=check,
    )


def _recovered(row: dict, line: int, heat_meters: frozenset[str]) -> list[Problem]:
    meter = row["meter_id"]
    if meter is None:
        if row["recovered"] is None:
            return [
                Problem(
                    line,
                    "recovered",
                    None,
                    "give the recovered amount or a meter_id with role waste_heat_recovered",
                    "waste_heat.recovered",
                )
            ]
        return []
    if row["recovered"] is not None:
        return [
            Problem(
                line,
                "recovered",
                f"{row['recovered']:g}",
                f"give recovered or meter_id ({meter}), not both",
                "waste_heat.recovered",
            )
        ]
    if meter not in heat_meters:
        known = ", ".join(sorted(heat_meters)) or "none loaded"
        return [
            Problem(
                line,
                "meter_id",
                meter,
                f"not a meter with role waste_heat_recovered (those are: {known})",
                "waste_heat.meter",
            )
        ]
    return []


def load_waste(
    store,
    path: str | Path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    latest_month: dt.date | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load a waste ledger file and report the ledger findings of the rows it stored.

    Parameters
    ----------
    store : greenpark.store.Store
    path : str or Path
        CSV (UTF-8 or GBK), XLSX or Parquet; columns as in :func:`ledger_spec`.
    mapping : dict, optional
        Canonical column -> header in the file (e.g. :data:`LEDGER_HEADERS_ZH`).
    replace : bool
        Overwrite stored rows of the same month, enterprise and stream.
    latest_month : datetime.date, optional
        The current month (default: today in the park's timezone).

    Returns
    -------
    LoadResult
        ``findings`` adds the balance and plausibility findings (core ``Finding``, codes
        ``waste.*``, data naming month, enterprise, stream and file) of the rows stored now.

    Raises
    ------
    InputError
        Naming file, line, column, value and rule; the database is unchanged.
    """
    from greenpark.metrics.waste import ledger_findings

    store.require_current()
    latest = latest_month or current_month(store.park().timezone)
    result = load_table(
        store, ledger_spec(latest), path, mapping, replace, encoding, sheet, header_row
    )
    if result.load_id is not None:
        result.findings += ledger_findings(store, load_id=result.load_id)
    return result


def load_water_monthly(
    store,
    path: str | Path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    latest_month: dt.date | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load a monthly water file (``month, enterprise_id, intake, recycled, unit``).

    See :func:`load_waste` for the parameters and errors.
    """
    store.require_current()
    latest = latest_month or current_month(store.park().timezone)
    return load_table(
        store, water_spec(latest), path, mapping, replace, encoding, sheet, header_row
    )


def load_waste_heat(
    store,
    path: str | Path,
    mapping: dict | None = None,
    replace: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    latest_month: dt.date | None = None,
    header_row: int | None = None,
) -> LoadResult:
    """Load waste-heat declarations (``month, source_id, enterprise_id, meter_id,
    recoverable, recovered, unit, applicable, reason``).

    See :func:`load_waste` for the parameters and errors.
    """
    store.require_current()
    latest = latest_month or current_month(store.park().timezone)
    meters = frozenset(
        r[0]
        for r in store.con.execute(
            "SELECT meter_id FROM meters WHERE role = 'waste_heat_recovered'"
        ).fetchall()
    )
    return load_table(
        store, waste_heat_spec(latest, meters), path, mapping, replace, encoding, sheet, header_row
    )


DEMO_FILES = {
    "meters": "meters_water.csv",
    "readings": "readings_water_heat.csv",
    "ledger": "waste_ledger.csv",
    "waste_heat": "waste_heat.csv",
}


def load_waste_demo(store, data_dir: str | Path) -> list[LoadResult]:
    """Load the demo park's water and waste-heat meters, their daily readings, the waste
    ledger (Chinese headers) and the waste-heat declarations from ``data_dir``.

    Returns
    -------
    list of LoadResult
        One per file, in load order.
    """
    from greenpark.loaders.meters import load_meters
    from greenpark.loaders.readings import load_readings

    data = Path(data_dir)
    results = [load_meters(store, data / DEMO_FILES["meters"])]
    results += load_readings(store, data / DEMO_FILES["readings"])
    results.append(load_waste(store, data / DEMO_FILES["ledger"], mapping=LEDGER_HEADERS_ZH))
    results.append(load_waste_heat(store, data / DEMO_FILES["waste_heat"]))
    return results
