"""Collect the results of a reporting period for the renderers.

Every number a report or the audit workbook shows is computed here (or by the metric
modules called from here); renderers only format. A monthly report compares the month
with the previous month, the same month last year and the year to date; an annual report
compares the year with the previous one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from greenpark import __version__
from greenpark.core.errors import GreenparkError
from greenpark.metrics.carbon import formulas as carbon

SERIES_MONTHS = 24
METRICS = (  # headline metric -> unit
    ("energy_tce", "tce"),
    ("electricity_kwh", "kWh"),
    ("emissions_location_tco2", "tCO2"),
    ("emissions_market_tco2", "tCO2"),
    ("tco2_per_tce_location", "tCO2/tce"),
    ("tco2_per_tce_market", "tCO2/tce"),
    ("tco2_per_10k_cny_location", "tCO2/10k CNY"),
    ("tce_per_10k_cny", "tce/10k CNY"),
    ("clean_energy_share_pct", "%"),
    ("pv_generation_kwh", "kWh"),
    ("pv_self_consumed_pct", "%"),
    ("solid_waste_utilization_pct", "%"),
)
INTENSITY_METRICS = (
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "tco2_per_10k_cny_location",
    "tce_per_10k_cny",
)
MONTHLY_WINDOWS = ("current", "previous", "last_year", "ytd", "ytd_last_year")
ANNUAL_WINDOWS = ("current", "previous")
# headline window -> row of greenpark.metrics.carbon.tables.intensities
INTENSITY_ROWS = {
    "monthly": {
        "current": "month",
        "previous": "previous_month",
        "last_year": "month_last_year",
        "ytd": "ytd",
        "ytd_last_year": "ytd_last_year",
    },
    "annual": {"current": "ytd", "previous": "ytd_last_year"},
}
CHANGES = {
    "monthly": (
        ("mom", "current", "previous"),
        ("yoy", "current", "last_year"),
        ("ytd_yoy", "ytd", "ytd_last_year"),
    ),
    "annual": (("yoy", "current", "previous"),),
}


@dataclass
class ReportData:
    """Everything a report shows, for one park and period.

    Attributes
    ----------
    kind : str
        ``monthly`` or ``annual``.
    period : str
        ``YYYY-MM`` or ``YYYY``.
    park : greenpark.core.config.ParkConfig
    generated_at : str
        ISO 8601 time of generation (the only part that changes between identical runs).
    empty : bool
        True when the period has no readings (a report made with ``allow_empty``).
    tables : dict of str -> pandas.DataFrame
        The result tables (see :data:`TABLES` in the docs); missing sections are absent.
    notes : dict of str -> list of str
        Findings and method notes per section.
    """

    kind: str
    period: str
    park: object
    generated_at: str
    version: str = __version__
    empty: bool = False
    empty_message: str = ""
    tables: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    def table(self, name: str):
        return self.tables.get(name)


# ------------------------------------------------------------------------------ periods
def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(kind: str, period: str) -> tuple[dt.date, dt.date]:
    """First and last month (first days) of a ``monthly`` or ``annual`` period.

    Raises
    ------
    GreenparkError
        Bad ``kind`` or period text.
    """
    from greenpark.metrics.carbon.tables import period_months

    if kind == "monthly":
        months = period_months(month=period)[1]
    elif kind == "annual":
        months = period_months(year=period)[1]
    else:
        raise GreenparkError(f"report kind {kind!r}: choose monthly or annual")
    return months[0], months[-1]


def windows(kind: str, first: dt.date, last: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """Comparison windows (first and last month) of the period."""
    if kind == "annual":
        return {"current": (first, last), "previous": (_shift(first, -12), _shift(last, -12))}
    jan = dt.date(last.year, 1, 1)
    return {
        "current": (last, last),
        "previous": (_shift(last, -1), _shift(last, -1)),
        "last_year": (_shift(last, -12), _shift(last, -12)),
        "ytd": (jan, last),
        "ytd_last_year": (_shift(jan, -12), _shift(last, -12)),
    }


# ------------------------------------------------------------------------------- build
def build(
    store, kind: str, period: str, allow_empty: bool = False, generated_at: str | None = None
) -> ReportData:
    """Collect every section of a monthly or annual report.

    Parameters
    ----------
    store : greenpark.store.Store
        Open park database (read-only is enough).
    kind : {"monthly", "annual"}
    period : str
        ``YYYY-MM`` (monthly) or ``YYYY`` (annual).
    allow_empty : bool
        Without readings in the period: return a report that says so instead of raising.
    generated_at : str, optional
        Generation time to print (default: now, UTC, to the second).

    Raises
    ------
    GreenparkError
        Bad period; no readings in it (unless ``allow_empty``).
    """
    first, last = parse_period(kind, period)
    park = store.park()
    stamp = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    data = ReportData(kind, period, park, stamp)
    data.tables["inputs"] = input_files(store)
    data.tables["method"] = method_choices(park)
    empty = _empty_message(store, park, first, last, period)
    if empty:
        if not allow_empty:
            raise GreenparkError(f"{empty}; use --allow-empty to write a report that says so")
        data.empty, data.empty_message = True, empty
        return data
    _carbon_sections(data, store, kind, period, first, last)
    _energy_sections(data, store, kind, period, first, last)
    _resource_sections(data, store, kind, period, last)
    _pv_section(data, store, last)
    _zero_carbon_section(data, store, kind, period, last)
    _quality_section(data, store, kind, period, first, last)
    data.tables["headline"] = headline(data, store, kind, first, last)
    data.tables["findings"] = findings_table(data)
    return data


def _empty_message(store, park, first: dt.date, last: dt.date, period: str) -> str:
    from greenpark.core.periods import to_utc

    start = to_utc(dt.datetime(first.year, first.month, 1), park.timezone)
    end_month = _shift(last, 1)
    end = to_utc(dt.datetime(end_month.year, end_month.month, 1), park.timezone)
    count = store.con.execute(
        "SELECT count(*) FROM readings WHERE ts >= ? AND ts < ?", [start, end]
    ).fetchone()[0]
    if count:
        return ""
    span = store.con.execute("SELECT min(ts), max(ts) FROM readings").fetchone()
    stored = (
        f"stored readings run from {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d} (UTC)"
        if span[0]
        else "no readings are stored"
    )
    return f"no readings in {period} ({stored})"


def _period_kwargs(kind: str, period: str) -> dict:
    return {"month": period} if kind == "monthly" else {"year": period}


# ------------------------------------------------------------------------------ carbon
def _carbon_sections(data: ReportData, store, kind, period, first, last) -> None:
    from greenpark.core.periods import months_between
    from greenpark.metrics.carbon.ledger import build_ledger
    from greenpark.metrics.carbon.tables import carbon_table, intensities, ledger

    kw = _period_kwargs(kind, period)
    lines = ledger(store, **kw)
    data.notes["carbon"] = list(lines.attrs["findings"])
    for by in ("scope", "source", "enterprise", "industry"):
        data.tables[f"carbon_{by}"] = carbon_table(store, by=by, **kw)
    factors, keyed = factor_table(store, lines)
    data.tables["ledger"], data.tables["factors"] = keyed, factors
    data.tables["intensities"] = intensities(store, f"{last:%Y-%m}")
    data.notes["intensities"] = list(data.tables["intensities"].attrs["findings"])
    months = months_between(_shift(last, 1 - SERIES_MONTHS), last)
    data.tables["series"] = monthly_series(build_ledger(store, months).lines, months)
    row = data.tables["intensities"].set_index("period").loc[INTENSITY_ROWS[kind]["current"]]
    data.values["summary"] = summary_values(data.tables["carbon_scope"], row)


def summary_values(by_scope, intensity_row) -> dict[str, float]:
    """What ``greenpark carbon`` and ``greenpark intensity`` report for the period: the
    figures the audit workbook's formulas must reproduce. [tCO2, tce, 10k CNY, ...]"""
    scopes = by_scope.set_index("scope")

    def pick(scope: str, column: str) -> float:
        return float(scopes.loc[scope, column]) if scope in scopes.index else 0.0

    return {
        "scope1_tco2": pick("scope1", "emissions_location_tco2"),
        "scope2_location_tco2": pick("scope2", "emissions_location_tco2"),
        "scope2_market_tco2": pick("scope2", "emissions_market_tco2"),
        "on_site_tco2": pick("on_site", "emissions_location_tco2"),
        "total_location_tco2": pick("total", "emissions_location_tco2"),
        "total_market_tco2": pick("total", "emissions_market_tco2"),
        "energy_tce": pick("total", "energy_tce"),
        "value_added_10k_cny": float(intensity_row["value_added_10k_cny"]),
        "tco2_per_tce_location": float(intensity_row["tco2_per_tce_location"]),
        "tco2_per_tce_market": float(intensity_row["tco2_per_tce_market"]),
        "tco2_per_10k_cny_location": float(intensity_row["tco2_per_10k_cny_location"]),
        "tce_per_10k_cny": float(intensity_row["tce_per_10k_cny"]),
    }


def monthly_series(lines, months: list[dt.date]):
    """Per month: energy by source and total [tce], emissions [tCO2], electricity used,
    on-site generation and grid export [kWh]; months without readings have NaN.

    Electricity used = grid import - grid export + on-site generation (the ledger's
    location-basis electricity lines).
    """
    import pandas as pd

    from greenpark.metrics.carbon.ledger import ROLE_ACTIVITY, location_total, market_total

    export_activity = ROLE_ACTIVITY["grid_export"][1]
    sources = sorted(set(lines["source"]))
    rows = []
    for month in months:
        m = lines[lines["month"] == month]
        if m.empty:
            rows.append({"month": f"{month:%Y-%m}"})
            continue
        loc = m[m["basis"].isin(["location", "both"])]
        row = {
            "month": f"{month:%Y-%m}",
            "energy_tce": float(m["energy_tce"].sum()),
            "emissions_location_tco2": location_total(m),
            "emissions_market_tco2": market_total(m),
            "electricity_kwh": float(loc.loc[loc["source"] == "electricity", "quantity"].sum()),
            "pv_generation_kwh": float(m.loc[m["scope"] == "on_site", "quantity"].sum()),
            "grid_export_kwh": -float(m.loc[m["activity"] == export_activity, "quantity"].sum()),
        }
        for scope, group in m.groupby("scope"):
            row[f"{scope}_location_tco2"] = location_total(group)
            row[f"{scope}_market_tco2"] = market_total(group)
        for source in sources:
            row[f"{source}_tce"] = float(m.loc[m["source"] == source, "energy_tce"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def factor_table(store, lines):
    """Every factor the ledger lines use, with the GB/T 2589 coefficients behind their
    energy and the parameters behind composite fuel factors; and the lines with keys.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Factors: ``key, factor_id, value, unit, source, year, confidence, override, note,
        role, parts`` (``parts``: keys of NCV, carbon content, oxidation for a fuel CO2
        factor). Lines: the ledger with ``factor_key``, ``tce_key`` and
        ``tce_factor_value`` [kgce/unit] (None/NaN for lines without energy, i.e.
        market-basis lines).
    """
    import pandas as pd

    book = factor_book(store)
    found: dict[tuple, dict] = {}
    keyed = lines.copy()
    factor_keys, tce_keys, tce_values = [], [], []
    for line in lines.itertuples(index=False):
        factor_keys.append(_add_factor(found, _line_factor(line), "emission", book, line))
        tce = book.get(f"tce.{line.source}", line.month) if isinstance(line.meter_id, str) else None
        tce_keys.append(_add_factor(found, tce, "energy", book, line) if tce else None)
        tce_values.append(tce.value if tce else math.nan)
    ordered = sorted(
        found.values(), key=lambda r: (r["role"] != "emission", r["factor_id"], r["value"])
    )
    rename = {row["key"]: f"F{i:03d}" for i, row in enumerate(ordered, start=1)}
    for row in ordered:
        row["key"] = rename[row["key"]]
        row["parts"] = tuple(rename[p] for p in row["parts"])
    keyed["factor_key"] = [rename[k] for k in factor_keys]
    keyed["tce_key"] = [rename[k] if k else None for k in tce_keys]
    keyed["tce_factor_value"] = tce_values
    columns = [
        "key",
        "factor_id",
        "value",
        "unit",
        "source",
        "year",
        "confidence",
        "override",
        "note",
        "role",
        "parts",
    ]
    return pd.DataFrame(ordered, columns=columns), keyed


def factor_book(store):
    """The :class:`~greenpark.core.factors.FactorBook` the park's accounting uses."""
    return store.factor_book()


def _line_factor(line):
    from greenpark.core.factors import Factor

    year = (
        None if line.factor_year is None or math.isnan(line.factor_year) else int(line.factor_year)
    )
    return Factor(
        line.factor_id,
        float(line.factor_value),
        line.factor_unit,
        line.factor_source,
        year,
        line.confidence,
        line.note if isinstance(line.note, str) else "",
        bool(line.override),
    )


def _add_factor(found: dict, factor, role: str, book, line) -> str:
    ident = (factor.factor_id, factor.value, factor.unit)
    if ident not in found:
        parts = ()
        if role == "emission" and line.scope == "scope1":
            params = [
                book.get(f"fuel.{line.source}.{p}", line.month)
                for p in ("ncv", "carbon_content", "oxidation")
            ]
            parts = tuple(_add_factor(found, p, "parameter", book, line) for p in params)
        found[ident] = {
            "key": f"k{len(found)}",
            "factor_id": factor.factor_id,
            "value": factor.value,
            "unit": factor.unit,
            "source": factor.source,
            "year": factor.year,
            "confidence": factor.confidence,
            "override": factor.override,
            "note": factor.note,
            "role": role,
            "parts": parts,
        }
    return found[ident]["key"]


# ------------------------------------------------------------------------------ energy
def _energy_sections(data: ReportData, store, kind, period, first, last) -> None:
    from greenpark.metrics.energy import energy

    kw = _period_kwargs(kind, period)
    data.tables["energy_carrier"] = energy(store, by="carrier", **kw)
    data.tables["energy_meter"] = energy(store, by="meter", **kw)
    profile = load_profile(store, first, last)
    data.tables["load_profile"] = profile
    data.tables["tou"], data.notes["tou"] = time_of_use(store, profile)


PROFILE_SQL = """
SELECT CAST({local} AS DATE) AS day, hour({local}) AS hour,
       sum(CASE WHEN m.role = 'grid_export' THEN -r.value ELSE r.value END) AS load_kwh
FROM readings r JOIN meters m USING (meter_key)
WHERE m.carrier = 'electricity'
  AND m.role IN ('grid_import', 'grid_export', 'pv_generation', 'wind_generation')
  AND r.ts >= ? AND r.ts < ?
GROUP BY ALL ORDER BY ALL
"""


def load_profile(store, first: dt.date, last: dt.date):
    """Electricity used by the park per local day and hour (grid import - export +
    on-site generation).

    Returns
    -------
    pandas.DataFrame
        ``day`` (``YYYY-MM-DD``), ``hour`` (0-23), ``load_kwh`` [kWh].
    """
    from greenpark.core.periods import to_utc
    from greenpark.io.timezones import fixed_offset_seconds

    tz = store.park().timezone
    start = to_utc(dt.datetime(first.year, first.month, 1), tz)
    nxt = _shift(last, 1)
    end = to_utc(dt.datetime(nxt.year, nxt.month, 1), tz)
    offset = fixed_offset_seconds(tz)
    local = (
        f"(r.ts + INTERVAL ({offset}) SECOND)"
        if offset is not None
        else "timezone(?, timezone('UTC', r.ts))"
    )
    params = ([] if offset is not None else [tz, tz]) + [start, end]
    frame = store.con.execute(PROFILE_SQL.format(local=local), params).df()
    frame["day"] = frame["day"].map(lambda d: f"{d:%Y-%m-%d}").astype(object)
    frame["hour"] = frame["hour"].astype(int)
    return frame


def time_of_use(store, profile):
    """Electricity used in the tariff's peak, flat and valley hours (``[tariff]`` of
    park.toml, or its stated defaults).

    Returns
    -------
    (pandas.DataFrame, list of str)
        ``period, hours, load_kwh, share_pct``; notes naming the hours and their source.
    """
    import pandas as pd

    from greenpark.core.config.pv import TARIFF_PERIODS

    tar = store.park().tariff
    total = float(profile["load_kwh"].sum())
    rows, notes = [], []
    for name in TARIFF_PERIODS:
        ranges = getattr(tar, f"{name}_hours")
        hours = sorted(h for start, end in ranges for h in range(start, end))
        kwh = float(profile.loc[profile["hour"].isin(hours), "load_kwh"].sum())
        text = ", ".join(f"{a:02d}-{b:02d}" for a, b in ranges)
        rows.append(
            {
                "period": name,
                "hours": text,
                "load_kwh": kwh,
                "share_pct": 100.0 * carbon.intensity(kwh, total),
            }
        )
    configured = (
        "park.toml [tariff]"
        if tar.from_config
        else "greenpark's illustrative default hours (set [tariff] in park.toml)"
    )
    notes.append(f"time-of-use hours: {configured}")
    return pd.DataFrame(rows), notes


# ----------------------------------------------------------------------------- resources
def _resource_sections(data: ReportData, store, kind, period, last) -> None:
    from greenpark.metrics.resources import resource_indicators, resources_table
    from greenpark.metrics.waste import findings_frame, waste_rates

    year = f"{last:%Y}"
    try:
        if kind == "monthly":
            month = waste_rates(store, month=period)
            ytd = waste_rates(store, month=period, window="ytd")
            data.tables["waste"] = _concat([month.frame, ytd.frame])
            found = month.findings + ytd.findings
        else:
            result = waste_rates(store, year=period)
            data.tables["waste"], found = result.frame, result.findings
        data.tables["waste_findings"] = findings_frame(found)
    except GreenparkError as exc:
        data.notes["waste"] = [str(exc)]
    data.tables["resources"] = resources_table(store, year).frame
    indicators = resource_indicators(store, year)
    data.tables["resource_indicators"] = indicators.frame
    data.notes["resources"] = [f.message for f in indicators.findings]


def _concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


# ----------------------------------------------------------------------------------- PV
def _pv_section(data: ReportData, store, last: dt.date) -> None:
    """The stored rooftop-PV estimate's value for the year (``greenpark pv value``), if an
    estimate is stored; otherwise a note saying what is missing."""
    try:
        from greenpark.metrics.pv.value import value
    except ImportError:
        return
    try:
        result = value(store, last.year)
    except GreenparkError as exc:
        data.notes["pv"] = [str(exc)]
        return
    data.tables["pv_value"] = result.to_long()
    data.notes["pv"] = result.notes()


# --------------------------------------------------------------------------- zero carbon
def _zero_carbon_section(data: ReportData, store, kind, period, last: dt.date) -> None:
    """Indicators and trajectory from :mod:`greenpark.metrics.zerocarbon` (when installed)."""
    try:
        from greenpark.metrics import zerocarbon
    except ImportError:
        return
    kw = _period_kwargs(kind, period)
    try:
        frame = zerocarbon.indicators(store, **kw)
    except GreenparkError as exc:
        data.notes["zero_carbon"] = [str(exc)]
        return
    data.tables["zero_carbon"] = frame
    data.notes["zero_carbon"] = [frame.attrs.get("definition", "")] + list(
        frame.attrs.get("findings", [])
    )
    try:
        data.tables["trajectory"] = zerocarbon.trajectory(store, f"{last:%Y-%m}")
    except GreenparkError as exc:
        data.notes["trajectory"] = [str(exc)]


def _clean_share(store, kind: str, first: dt.date, last: dt.date) -> float:
    """Clean energy share of the zero-carbon indicator system for a window ending at
    ``last`` (rolling 12 months for a month, the year for a year). [%]"""
    try:
        from greenpark.metrics import zerocarbon
    except ImportError:
        return math.nan
    kw = {"year": f"{last:%Y}"} if kind == "annual" else {"month": f"{last:%Y-%m}"}
    try:
        frame = zerocarbon.indicators(store, **kw)
    except GreenparkError:
        return math.nan
    return _clean_value(frame)


def _clean_value(indicators) -> float:
    """The clean energy share of an indicator table. [%]"""
    rows = indicators[indicators["indicator_id"] == "clean_energy_share"]
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


# ------------------------------------------------------------------------------ quality
def _quality_section(data: ReportData, store, kind, period, first, last) -> None:
    import pandas as pd

    from greenpark.core.periods import months_between
    from greenpark.metrics.quality import check

    months = [f"{m:%Y-%m}" for m in months_between(first, last)]
    found = [check(store, month=m) for m in months]
    frame = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]
    data.tables["quality"] = frame
    meters = data.tables["energy_meter"]
    data.tables["coverage"] = meters[
        ["meter_id", "name", "carrier", "role", "readings", "interval_min", "coverage_pct"]
    ].copy()


FINDING_SECTIONS = (
    "carbon",
    "intensities",
    "tou",
    "waste",
    "resources",
    "pv",
    "zero_carbon",
    "trajectory",
)


def findings_table(data: ReportData):
    """Data-quality findings of the meters, then the notes of every section.

    Returns
    -------
    pandas.DataFrame
        ``section, severity, code, meter_id, start, end, message``.
    """
    import pandas as pd

    rows = []
    quality = data.tables.get("quality")
    if quality is not None:
        for r in quality.itertuples(index=False):
            rows.append(
                [
                    "data quality",
                    r.severity,
                    r.code,
                    r.meter_id,
                    _when(r.start),
                    _when(r.end),
                    r.message,
                ]
            )
    waste = data.tables.get("waste_findings")
    if waste is not None:
        for r in waste.itertuples(index=False):
            rows.append(["waste", r.severity, r.code, None, r.month, None, r.message])
    seen = set()
    for section in FINDING_SECTIONS:
        for note in data.notes.get(section, []):
            if note and (section, note) not in seen:
                seen.add((section, note))
                code = note.split(":", 1)[0] if ":" in note[:40] else ""
                rows.append([section, "note", code, None, None, None, note])
    columns = ["section", "severity", "code", "meter_id", "start", "end", "message"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _when(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.isoformat(sep=" ") if hasattr(value, "isoformat") else str(value)


# ----------------------------------------------------------------------------- headline
def headline(data: ReportData, store, kind: str, first: dt.date, last: dt.date):
    """Headline figures for each comparison window and their changes.

    Returns
    -------
    pandas.DataFrame
        ``metric, unit``, one column per window (``current``, ``previous``, and for a
        month ``last_year``, ``ytd``, ``ytd_last_year``), then ``<change>_change`` and
        ``change_unit`` (``%`` relative change, or ``pp`` percentage points for shares).
    """
    import pandas as pd

    wins = windows(kind, first, last)
    inten = data.tables["intensities"].set_index("period")
    series = data.tables["series"]
    values: dict[str, dict] = {m: {} for m, _ in METRICS}
    for name, (a, b) in wins.items():
        row = inten.loc[INTENSITY_ROWS[kind][name]]
        for metric in INTENSITY_METRICS:
            values[metric][name] = float(row[metric])
        _series_metrics(values, series, name, a, b)
        values["solid_waste_utilization_pct"][name] = _waste_rate(store, kind, name, a, b)
    for name in ("current", "previous", "last_year"):
        if name == "current" and "zero_carbon" in data.tables:
            values["clean_energy_share_pct"][name] = _clean_value(data.tables["zero_carbon"])
        elif name in wins:
            values["clean_energy_share_pct"][name] = _clean_share(store, kind, *wins[name])
    rows = []
    for metric, unit in METRICS:
        row = {"metric": metric, "unit": unit}
        row.update({w: values[metric].get(w, math.nan) for w in wins})
        for change, now, before in CHANGES[kind]:
            row[f"{change}_change"] = _change(row[now], row[before], unit)
        row["change_unit"] = "pp" if unit == "%" else "%"
        rows.append(row)
    return pd.DataFrame(rows)


def _change(now: float, before: float, unit: str) -> float:
    if unit != "%":
        return carbon.change_pct(now, before)
    if now is None or before is None or math.isnan(now) or math.isnan(before):
        return math.nan
    return now - before


def _series_metrics(values: dict, series, name: str, a: dt.date, b: dt.date) -> None:
    """Electricity and on-site PV of a window from the monthly series (NaN unless every
    month of the window has readings)."""
    wanted = {f"{m:%Y-%m}" for m in _months(a, b)}
    rows = series[series["month"].isin(wanted)]
    complete = (
        len(rows) == len(wanted) and "energy_tce" in rows and rows["energy_tce"].notna().all()
    )
    sums = {
        c: float(rows[c].sum()) if complete else math.nan
        for c in ("electricity_kwh", "pv_generation_kwh", "grid_export_kwh")
    }
    values["electricity_kwh"][name] = sums["electricity_kwh"]
    values["pv_generation_kwh"][name] = sums["pv_generation_kwh"]
    used = max(sums["pv_generation_kwh"] - sums["grid_export_kwh"], 0.0) if complete else math.nan
    values["pv_self_consumed_pct"][name] = 100.0 * carbon.intensity(used, sums["pv_generation_kwh"])


def _months(a: dt.date, b: dt.date) -> list[dt.date]:
    from greenpark.core.periods import months_between

    return months_between(a, b)


def _waste_rate(store, kind: str, name: str, a: dt.date, b: dt.date) -> float:
    """Industrial solid waste comprehensive utilization rate of a window. [%]"""
    from greenpark.metrics.waste import waste_rates

    try:
        if kind == "annual":
            result = waste_rates(store, year=f"{a:%Y}")
        elif a == b:
            result = waste_rates(store, month=f"{b:%Y-%m}")
        else:
            result = waste_rates(store, month=f"{b:%Y-%m}", window="ytd")
    except GreenparkError:
        return math.nan
    return float(result.frame["industrial_utilization_rate_pct"].iloc[0])


# ------------------------------------------------------------------------------ README
def input_files(store):
    """Files loaded into the database, with their SHA-256 (``load_log``)."""
    frame = store.con.execute(
        "SELECT load_id, kind, file_name, sha256, rows_in_file, rows_inserted "
        "FROM load_log ORDER BY load_id"
    ).df()
    for col in ("kind", "file_name", "sha256"):
        frame[col] = frame[col].astype(object)
    return frame


def method_choices(park):
    """Accounting and reporting choices: ``setting, value, meaning``."""
    import pandas as pd

    s = park.accounting
    rows = [
        ("park.province", park.province, "grid emission factor area"),
        (
            "accounting.grid_factor_level",
            s.grid_factor_level,
            "location-based factor: province, region or national",
        ),
        (
            "accounting.fuel_parameter_set",
            s.fuel_parameter_set,
            "fuel NCV / carbon content / oxidation defaults",
        ),
        (
            "accounting.electricity_tce_method",
            s.electricity_tce_method,
            "electricity to tce: calorific (当量值) or primary (等价值)",
        ),
        ("emissions", "CO2 only", "zero-carbon park accounting method (tCO2)"),
        (
            "scope 2 market-based",
            "green power and GECs at zero, the rest at the national "
            "factor excluding market-traded non-fossil electricity",
            "GHG Protocol Scope 2",
        ),
    ]
    return pd.DataFrame(rows, columns=["setting", "value", "meaning"], dtype=object)
