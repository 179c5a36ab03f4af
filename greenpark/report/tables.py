"""The report's own tables, derived from the one ledger of the report and a few queries.

Every function here takes what the build already has (ledger lines, the store's factor
book and park config, a :class:`~greenpark.core.periods.Period`) and returns a DataFrame;
nothing rebuilds a ledger or re-reads park.toml.
"""

from __future__ import annotations

import math

from greenpark.core.numeric import safe_divide

FACTOR_TABLE_COLUMNS = [
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
COVERAGE_COLUMNS = [
    "meter_id",
    "name",
    "carrier",
    "role",
    "readings",
    "interval_min",
    "coverage_pct",
]
COVERAGE_TARGET_PCT = 99.0  # meters below this are listed in the report [%]


# ------------------------------------------------------------------------ monthly series
def monthly_series(lines, months):
    """Per month: energy by source and total [tce], emissions [tCO2], electricity used,
    on-site generation and grid export [kWh]; months without readings have NaN.

    Electricity used = grid import - grid export + on-site generation (the ledger's
    location-basis electricity lines).

    Parameters
    ----------
    lines : pandas.DataFrame
        Ledger lines (``greenpark.metrics.carbon.ledger.LEDGER_COLUMNS``) covering ``months``.
    months : list of datetime.date
        First days of the months to show, in order.
    """
    import numpy as np
    import pandas as pd

    from greenpark.metrics.carbon.ledger import ROLE_ACTIVITY

    # Column arrays once, and each month's rows by position: the sums below add the same
    # values in the same order as pandas' per-month selections did (NaN counted as 0).
    col = {c: lines[c].to_numpy() for c in ("month", "basis", "source", "scope", "activity")}
    num = {c: lines[c].to_numpy(dtype=float) for c in ("energy_tce", "emissions_tco2", "quantity")}
    location = np.isin(col["basis"], ["location", "both"])
    market = np.isin(col["basis"], ["market", "both"])
    export = col["activity"] == ROLE_ACTIVITY["grid_export"][1]
    sources = sorted(set(col["source"]))
    rows_of: dict = {}
    for i, month in enumerate(col["month"]):
        rows_of.setdefault(month, []).append(i)

    def total(column, where) -> float:
        values = num[column][where]
        return float(np.where(np.isnan(values), 0.0, values).sum())

    rows = []
    for month in months:
        at = rows_of.get(month)
        if not at:
            rows.append({"month": f"{month:%Y-%m}"})
            continue
        at = np.asarray(at)
        source, scope = col["source"][at], col["scope"][at]
        loc, mkt = location[at], market[at]
        row = {
            "month": f"{month:%Y-%m}",
            "energy_tce": total("energy_tce", at),
            "emissions_location_tco2": total("emissions_tco2", at[loc]),
            "emissions_market_tco2": total("emissions_tco2", at[mkt]),
            "electricity_kwh": total("quantity", at[loc & (source == "electricity")]),
            "pv_generation_kwh": total("quantity", at[scope == "on_site"]),
            "grid_export_kwh": -total("quantity", at[export[at]]),
        }
        for name in sorted({x for x in scope if isinstance(x, str)}):
            mine = scope == name
            row[f"{name}_location_tco2"] = total("emissions_tco2", at[mine & loc])
            row[f"{name}_market_tco2"] = total("emissions_tco2", at[mine & mkt])
        for name in sources:
            row[f"{name}_tce"] = total("energy_tce", at[source == name])
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- factors
def factor_table(book, lines):
    """Every factor the ledger lines use, with the GB/T 2589 coefficients behind their
    energy and the parameters behind composite fuel factors; and the lines with keys.

    Parameters
    ----------
    book : greenpark.core.factors.FactorBook
        The park's factor book (``store.factor_book()``).
    lines : pandas.DataFrame
        Ledger lines of the report period.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Factors: ``FACTOR_TABLE_COLUMNS`` (``parts``: keys of NCV, carbon content,
        oxidation for a fuel CO2 factor). Lines: the ledger with ``factor_key``,
        ``tce_key`` and ``tce_factor_value`` [kgce/unit] (None/NaN for lines without
        energy, i.e. market-basis lines).
    """
    import pandas as pd

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
    return pd.DataFrame(ordered, columns=FACTOR_TABLE_COLUMNS), keyed


def _line_factor(line):
    """The factor a ledger line applied, as a :class:`~greenpark.core.factors.Factor`."""
    from greenpark.core.factors import Factor

    year = line.factor_year
    year = None if year is None or math.isnan(year) else int(year)
    note = line.note if isinstance(line.note, str) else ""
    return Factor(
        line.factor_id,
        float(line.factor_value),
        line.factor_unit,
        line.factor_source,
        year,
        line.confidence,
        note,
        bool(line.override),
    )


def _add_factor(found: dict, factor, role: str, book, line) -> str:
    ident = (factor.factor_id, factor.value, factor.unit)
    if ident not in found:
        parts = ()
        if role == "emission" and str(line.factor_id).startswith("fuel."):  # NCV x C x OX
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


# ----------------------------------------------------------------------- load profile
PROFILE_SQL = """
SELECT CAST({local} AS DATE) AS day, hour({local}) AS hour,
       sum(CASE WHEN m.role = 'grid_export' THEN -r.value ELSE r.value END) AS load_kwh
FROM readings r JOIN meters m USING (meter_key)
WHERE m.carrier = 'electricity'
  AND m.role IN ('grid_import', 'grid_export', 'pv_generation', 'wind_generation')
  AND r.ts >= ? AND r.ts < ?
GROUP BY ALL ORDER BY ALL
"""


def load_profile(store, period):
    """Electricity used by the park per local day and hour (grid import - export +
    on-site generation) in ``period`` (localized).

    Returns
    -------
    pandas.DataFrame
        ``day`` (``YYYY-MM-DD``), ``hour`` (0-23), ``load_kwh`` [kWh].
    """
    from greenpark.io.timezones import fixed_offset_seconds

    tz = period.timezone
    start, end = period.utc_bounds()
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


def load_grid(profile) -> tuple[list[str], list[list[float]]]:
    """The load profile as days x 24 local hours (NaN where no reading). [kWh]"""
    days = sorted(set(profile["day"]))
    grid = {
        (d, h): v
        for d, h, v in profile[["day", "hour", "load_kwh"]].itertuples(index=False, name=None)
    }
    return days, [[grid.get((d, h), math.nan) for h in range(24)] for d in days]


def time_of_use(tariff, profile):
    """Electricity used in the tariff's peak, flat and valley hours.

    Parameters
    ----------
    tariff : greenpark.core.config.pv.TariffSettings
        ``store.park().tariff`` (park.toml ``[tariff]``, or its stated defaults).
    profile : pandas.DataFrame
        :func:`load_profile`.

    Returns
    -------
    (pandas.DataFrame, str)
        ``period, hours, load_kwh [kWh], share_pct [%]``; a note naming where the hours
        come from.
    """
    import pandas as pd

    from greenpark.core.config.pv import TARIFF_PERIODS

    total = float(profile["load_kwh"].sum())
    rows = []
    for name in TARIFF_PERIODS:
        ranges = getattr(tariff, f"{name}_hours")
        hours = sorted(h for start, end in ranges for h in range(start, end))
        kwh = float(profile.loc[profile["hour"].isin(hours), "load_kwh"].sum())
        rows.append(
            {
                "period": name,
                "hours": ", ".join(f"{a:02d}-{b:02d}" for a, b in ranges),
                "load_kwh": kwh,
                "share_pct": 100.0 * safe_divide(kwh, total),
            }
        )
    source = (
        "park.toml [tariff]"
        if tariff.from_config
        else "greenpark's illustrative default hours (set [tariff] in park.toml)"
    )
    return pd.DataFrame(rows), f"time-of-use hours: {source}"


# --------------------------------------------------------------------------------- PV
def pv_monthly(rows: list[dict], series):
    """Metered and modelled PV generation per month [kWh] with the share of on-site
    generation used on site (generation - grid export, over generation) [%].

    Parameters
    ----------
    rows : list of dict
        ``month`` (``YYYY-MM``), ``actual_kwh``, ``expected_kwh`` per month.
    series : pandas.DataFrame
        :func:`monthly_series` (``pv_generation_kwh``, ``grid_export_kwh``).
    """
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["month", "actual_kwh", "expected_kwh"])
    by_month = series.set_index("month")
    pv = by_month["pv_generation_kwh"].reindex(frame["month"]).to_numpy()
    export = by_month["grid_export_kwh"].reindex(frame["month"]).to_numpy()
    used = [
        max(p - e, 0.0) if p == p and e == e else math.nan for p, e in zip(pv, export, strict=True)
    ]
    frame["self_consumed_pct"] = [
        100.0 * safe_divide(u, p) if p == p and p > 0 else math.nan
        for u, p in zip(used, pv, strict=True)
    ]
    return frame


# --------------------------------------------------------------------------- coverage
def coverage(meters):
    """Meter coverage of the period (from the energy-by-meter table)."""
    return meters[COVERAGE_COLUMNS].copy()


def below_target(cov, target_pct: float = COVERAGE_TARGET_PCT):
    """Meters with less than ``target_pct`` coverage (the park's ``[quality]
    coverage_min_pct``; default :data:`COVERAGE_TARGET_PCT`). [%]"""
    return cov[cov["coverage_pct"] < target_pct].reset_index(drop=True)


# --------------------------------------------------------------------------- summary
def summary_values(by_scope, intensity_row) -> dict[str, float]:
    """What ``greenpark carbon`` and ``greenpark intensity`` report for the period: the
    figures the audit workbook's formulas must reproduce. [tCO2, tce, 10k CNY, ...]"""
    scopes = by_scope.set_index("scope")

    def pick(scope: str, column: str) -> float:
        # a scope kept with blank figures (its meters sent nothing, issue 11) adds nothing
        # to the ledger's sums the workbook's formulas reproduce; the gap is the
        # completeness badge's to show
        value = float(scopes.loc[scope, column]) if scope in scopes.index else 0.0
        return 0.0 if value != value else value

    return {
        # scope 1 whole (fuel combustion and industrial processes), as the ledger's scope
        "scope1_tco2": pick("scope1", "emissions_location_tco2")
        + pick("scope1_process", "emissions_location_tco2"),
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
        "scope1_process_tco2": pick("scope1_process", "emissions_location_tco2"),
    }


# ---------------------------------------------------------------------------- README
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
