"""Carbon and energy tables for a month or a year, and intensities: the public API.

Every function returns a pandas DataFrame; findings and factor notes (fallback years,
overrides, excess claims) are in ``frame.attrs["findings"]``.
"""

from __future__ import annotations

import datetime as dt
import math

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import month_period, months_between
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import (
    NOT_SUBMETERED,
    NOT_SUBMETERED_NOTE,
    build_ledger,
    location_total,
    market_total,
)

BY_CARBON = ("scope", "source", "enterprise", "industry")
METRICS = ["energy_tce", "emissions_location_tco2", "emissions_market_tco2"]
SCOPE_LABELS = {
    "scope1": "scope 1 fuel combustion / 范围一 化石燃料燃烧",
    "scope2": "scope 2 purchased electricity and heat / 范围二 外购电力热力",
    "on_site": "on-site renewable (zero-emission) / 自发可再生能源（零排放）",
}


def period_months(
    month: str | None = None, year: int | str | None = None
) -> tuple[str, list[dt.date]]:
    """``(label, months)`` for ``--month YYYY-MM`` or ``--year YYYY`` (exactly one)."""
    if (month is None) == (year is None):
        raise GreenparkError("give exactly one of --month YYYY-MM or --year YYYY")
    if month is not None:
        period = month_period(month, "UTC")
        return period.label, [period.start_local.date()]
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4):
        raise GreenparkError(f"--year {year!r}: expected YYYY, e.g. 2025")
    y = int(text)
    return text, months_between(dt.date(y, 1, 1), dt.date(y, 12, 1))


def ledger(store, month: str | None = None, year: int | str | None = None):
    """Every ledger line of the period (see :mod:`greenpark.metrics.carbon.ledger`)."""
    label, months = period_months(month, year)
    led = build_ledger(store, months)
    frame = led.lines.copy()
    frame.attrs["findings"] = led.findings
    frame.attrs["period"] = label
    return frame


def carbon_table(store, month: str | None = None, year: int | str | None = None, by: str = "scope"):
    """Energy and emissions of the period grouped ``by`` scope, source, enterprise or
    industry, with a total row.

    Returns
    -------
    pandas.DataFrame
        The group column(s), ``energy_tce`` [tce], ``emissions_location_tco2`` and
        ``emissions_market_tco2`` [tCO2]; totals equal the sums of the ledger lines.
    """
    if by not in BY_CARBON:
        raise GreenparkError(f"--by {by!r}: choose one of {', '.join(BY_CARBON)}")
    label, months = period_months(month, year)
    led = build_ledger(store, months)
    if by in ("scope", "source"):
        frame = _by_ledger_column(led.lines, by)
    else:
        frame = _by_enterprise(led.enterprise, store, by, months)
    frame.attrs["findings"] = led.findings
    frame.attrs["period"] = label
    return frame


def _by_ledger_column(lines, by: str):
    import pandas as pd

    key = "scope" if by == "scope" else "source"
    rows = []
    for value, group in lines.groupby(key, sort=True):
        rows.append(
            {
                key: value,
                "label": SCOPE_LABELS.get(value, value),
                "energy_tce": float(group["energy_tce"].sum()),
                "emissions_location_tco2": location_total(group),
                "emissions_market_tco2": market_total(group),
            }
        )
    rows.append(
        {
            key: "total",
            "label": "total / 合计",
            "energy_tce": float(lines["energy_tce"].sum()),
            "emissions_location_tco2": location_total(lines),
            "emissions_market_tco2": market_total(lines),
        }
    )
    return pd.DataFrame(rows)


def _by_enterprise(enterprise, store, by: str, months: list[dt.date]):
    import pandas as pd

    names = store.con.execute(
        "SELECT enterprise_id, name, name_zh, industry, leading_industry FROM enterprises"
    ).df()
    sums = enterprise.groupby("enterprise_id", sort=True)[["electricity_kwh", *METRICS]].sum()
    sums = sums.reset_index().merge(names, on="enterprise_id", how="left")
    sums["value_added_10k_cny"] = _enterprise_value_added(store, sums["enterprise_id"], months)
    rest = sums["enterprise_id"] == NOT_SUBMETERED
    sums.loc[rest, "name"] = NOT_SUBMETERED_NOTE
    values = ["electricity_kwh", *METRICS, "value_added_10k_cny"]
    if by == "industry":
        sums["industry"] = sums["industry"].where(sums["industry"].notna(), "(unknown)")
        sums.loc[rest, "industry"] = NOT_SUBMETERED
        sums["leading_industry"] = sums["leading_industry"].fillna(False).astype(bool)
        groups = sums.groupby(["industry", "leading_industry"], sort=True)
        # An industry's value added is known only if every member's is.
        va = groups["value_added_10k_cny"].apply(
            lambda v: float(v.sum()) if v.notna().all() else math.nan
        )
        sums = groups[values[:-1]].sum().join(va).reset_index()
        key_cols = ["industry", "leading_industry"]
    else:
        key_cols = ["enterprise_id", "name", "name_zh", "industry"]
    order = sums[key_cols[0]].eq(NOT_SUBMETERED)
    sums = pd.concat([sums[~order], sums[order]])
    total = {c: "total" if i == 0 else None for i, c in enumerate(key_cols)}
    total.update({c: float(sums[c].sum()) for c in ["electricity_kwh", *METRICS]})
    va = sums.loc[~order, "value_added_10k_cny"]
    total["value_added_10k_cny"] = float(va.sum()) if va.notna().all() and len(va) else math.nan
    out = pd.concat([sums[key_cols + values], pd.DataFrame([total])], ignore_index=True)
    _add_intensities(out)
    return out.astype({c: object for c in key_cols})


def _enterprise_value_added(store, enterprise_ids, months: list[dt.date]) -> list[float]:
    """Value added of each enterprise over ``months``; NaN unless every month is reported.
    [10k CNY]"""
    rows = store.con.execute(
        "SELECT enterprise_id, month, value_added_10k_cny FROM production "
        "WHERE month BETWEEN ? AND ?",
        [months[0], months[-1]],
    ).fetchall()
    by_ent: dict[str, dict] = {}
    for ent, month, value in rows:
        by_ent.setdefault(ent, {})[dt.date(month.year, month.month, 1)] = value
    out = []
    for ent in enterprise_ids:
        reported = by_ent.get(ent, {})
        out.append(
            sum(reported[m] for m in months) if all(m in reported for m in months) else math.nan
        )
    return out


def _add_intensities(frame) -> None:
    """Add intensity columns (NaN where a denominator is missing or zero)."""
    pairs = {
        "tco2_per_tce_location": ("emissions_location_tco2", "energy_tce"),
        "tco2_per_10k_cny_location": ("emissions_location_tco2", "value_added_10k_cny"),
        "tco2_per_10k_cny_market": ("emissions_market_tco2", "value_added_10k_cny"),
        "tce_per_10k_cny": ("energy_tce", "value_added_10k_cny"),
    }
    for name, (num, den) in pairs.items():
        frame[name] = [carbon.intensity(a, b) for a, b in zip(frame[num], frame[den], strict=True)]


def energy_tce_table(
    store, month: str | None = None, year: int | str | None = None, by: str = "carrier"
):
    """Comprehensive energy consumption (GB/T 2589) of the period by carrier, enterprise or
    industry.

    Returns
    -------
    pandas.DataFrame
        by carrier: ``carrier, quantity, unit, energy_tce``; by enterprise/industry: as
        :func:`carbon_table`.
    """
    import pandas as pd

    if by in ("enterprise", "industry"):
        return carbon_table(store, month, year, by)
    label, months = period_months(month, year)
    led = build_ledger(store, months)
    lines = led.lines[led.lines["basis"].isin(["location", "both"])]
    rows = [
        {
            "carrier": c,
            "quantity": float(g["quantity"].sum()),
            "unit": g["unit"].iloc[0],
            "energy_tce": float(g["energy_tce"].sum()),
        }
        for c, g in lines.groupby("source", sort=True)
    ]
    rows.append(
        {
            "carrier": "total",
            "quantity": math.nan,
            "unit": None,
            "energy_tce": float(lines["energy_tce"].sum()),
        }
    )
    frame = pd.DataFrame(rows)
    frame.attrs["findings"] = led.findings
    frame.attrs["period"] = label
    return frame


# ------------------------------------------------------------------------ intensities
INTENSITY_COLUMNS = [
    "period",
    "first_month",
    "last_month",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "value_added_10k_cny",
    "tco2_per_tce_location",
    "tco2_per_tce_market",
    "tco2_per_10k_cny_location",
    "tce_per_10k_cny",
]


def intensities(store, month: str):
    """Park intensities for a month, year to date and rolling 12 months, each with the
    same figures for its comparison periods and the changes.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``month``, ``previous_month``, ``month_last_year``, ``ytd``,
        ``ytd_last_year``, ``rolling_12m``, ``rolling_12m_last_year``; columns
        ``INTENSITY_COLUMNS``. Value-added figures are NaN (with a finding) for periods
        with incomplete production data; zero value added gives NaN, never inf.
        ``frame.attrs["changes"]``: a DataFrame of month-on-month and year-on-year
        changes [%].
    """
    import pandas as pd

    label, (m,) = period_months(month=month)
    periods = _intensity_periods(m)
    first = min(p[0] for p in periods.values())
    led = build_ledger(store, months_between(first, m))
    production = _production(store)
    findings = list(led.findings)
    rows = [
        _intensity_row(name, a, b, led.lines, production, findings)
        for name, (a, b) in periods.items()
    ]
    frame = pd.DataFrame(rows, columns=INTENSITY_COLUMNS)
    frame.attrs["findings"] = sorted(set(findings))
    frame.attrs["changes"] = _changes(frame)
    frame.attrs["period"] = label
    return frame


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _intensity_periods(m: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    jan = dt.date(m.year, 1, 1)
    return {
        "month": (m, m),
        "previous_month": (_shift(m, -1), _shift(m, -1)),
        "month_last_year": (_shift(m, -12), _shift(m, -12)),
        "ytd": (jan, m),
        "ytd_last_year": (_shift(jan, -12), _shift(m, -12)),
        "rolling_12m": (_shift(m, -11), m),
        "rolling_12m_last_year": (_shift(m, -23), _shift(m, -12)),
    }


def _production(store):
    frame = store.con.execute(
        "SELECT enterprise_id, month, value_added_10k_cny FROM production"
    ).df()
    frame["month"] = frame["month"].map(lambda d: dt.date(d.year, d.month, 1))
    expected = {
        r[0] for r in store.con.execute("SELECT enterprise_id FROM enterprises").fetchall()
    } or set(frame["enterprise_id"])
    frame.attrs["expected"] = expected
    return frame


def _value_added(production, first, last, findings) -> float:
    months = months_between(first, last)
    expected = production.attrs["expected"]
    if not expected:
        findings.append("production: no production data; value-added intensities are not available")
        return math.nan
    for month in months:
        have = set(production.loc[production["month"] == month, "enterprise_id"])
        missing = sorted(expected - have)
        if missing:
            findings.append(
                f"production.missing: {month:%Y-%m} has no value added for "
                f"{len(missing)} enterprise(s) ({', '.join(missing[:5])}"
                f"{' ...' if len(missing) > 5 else ''}); per-value-added "
                "intensities of periods with this month are not available"
            )
            return math.nan
    inside = production["month"].between(first, last)
    return float(production.loc[inside, "value_added_10k_cny"].sum())


def _intensity_row(name, first, last, lines, production, findings) -> list:
    chosen = lines[lines["month"].between(first, last)]
    months_with_data = set(chosen["month"])
    if len(months_with_data) < len(months_between(first, last)):
        findings.append(
            f"readings.incomplete: {name} ({first:%Y-%m} to {last:%Y-%m}) has "
            f"readings in {len(months_with_data)} of "
            f"{len(months_between(first, last))} months"
        )
        return [name, f"{first:%Y-%m}", f"{last:%Y-%m}"] + [math.nan] * 8
    energy = float(chosen["energy_tce"].sum())
    loc, mkt = location_total(chosen), market_total(chosen)
    va = _value_added(production, first, last, findings)
    return [
        name,
        f"{first:%Y-%m}",
        f"{last:%Y-%m}",
        energy,
        loc,
        mkt,
        va,
        carbon.intensity(loc, energy),
        carbon.intensity(mkt, energy),
        carbon.intensity(loc, va),
        carbon.intensity(energy, va),
    ]


def _changes(frame):
    import pandas as pd

    rows = frame.set_index("period")
    pairs = [
        ("month", "previous_month", "month_on_month"),
        ("month", "month_last_year", "year_on_year"),
        ("ytd", "ytd_last_year", "ytd_year_on_year"),
        ("rolling_12m", "rolling_12m_last_year", "rolling_12m_year_on_year"),
    ]
    out = []
    for current, previous, name in pairs:
        rec = {"change": name}
        for col in INTENSITY_COLUMNS[3:]:
            rec[f"{col}_change_pct"] = carbon.change_pct(
                rows.loc[current, col], rows.loc[previous, col]
            )
        out.append(rec)
    return pd.DataFrame(out)


ENTITY_CHANGES = (
    ("month", "previous_month", "mom_pct"),
    ("month", "month_last_year", "yoy_pct"),
    ("ytd", "ytd_last_year", "ytd_yoy_pct"),
    ("rolling_12m", "rolling_12m_last_year", "rolling_12m_yoy_pct"),
)


def entity_intensities(store, month: str, by: str = "enterprise"):
    """Per-enterprise or per-industry energy, emissions and intensities for the month, year
    to date and rolling 12 months, with month-on-month and year-on-year changes of
    ``tco2_per_10k_cny_location`` [%].

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`carbon_table` ``by`` enterprise or industry, plus ``period``
        (one of the seven periods of :func:`intensities`); ``frame.attrs["changes"]``
        has one row per entity with ``mom_pct``, ``yoy_pct``, ``ytd_yoy_pct``,
        ``rolling_12m_yoy_pct``.
    """
    import pandas as pd

    if by not in ("enterprise", "industry"):
        raise GreenparkError(f"--by {by!r}: choose enterprise or industry")
    label, (m,) = period_months(month=month)
    periods = _intensity_periods(m)
    led = build_ledger(store, months_between(min(p[0] for p in periods.values()), m))
    parts, findings = [], list(led.findings)
    for name, (first, last) in periods.items():
        months = months_between(first, last)
        subset = led.enterprise[led.enterprise["month"].between(first, last)]
        if set(subset["month"]) != set(months):
            findings.append(
                f"readings.incomplete: {name} ({first:%Y-%m} to {last:%Y-%m}) "
                "lacks readings in some months; not shown"
            )
            continue
        parts.append(_by_enterprise(subset, store, by, months).assign(period=name))
    frame = pd.concat(parts, ignore_index=True)
    key = "enterprise_id" if by == "enterprise" else "industry"
    frame.attrs.update(findings=findings, period=label, changes=_entity_changes(frame, key))
    return frame


def _entity_changes(frame, key: str):
    import pandas as pd

    values = frame.pivot_table(
        index=key,
        columns="period",
        values="tco2_per_10k_cny_location",
        aggfunc="first",
        dropna=False,
    )
    out = pd.DataFrame({key: values.index})
    for current, previous, name in ENTITY_CHANGES:
        if current in values and previous in values:
            out[name] = [
                carbon.change_pct(a, b)
                for a, b in zip(values[current], values[previous], strict=True)
            ]
        else:
            out[name] = math.nan
    return out
