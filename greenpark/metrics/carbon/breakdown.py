"""Ledger totals grouped for people: by scope or source, by enterprise or industry.

Pure table shaping over a :class:`~greenpark.metrics.carbon.ledger.Ledger`'s frames; the
only database reads are the enterprise registry and the production (value-added) table.
"""

from __future__ import annotations

import math

from greenpark.core.numeric import safe_divide
from greenpark.metrics.carbon.green_power import PARK_GREEN_POWER, PARK_GREEN_POWER_NOTE
from greenpark.metrics.carbon.ledger import PROCESS_SOURCE
from greenpark.metrics.carbon.lines import (
    NOT_SUBMETERED,
    NOT_SUBMETERED_NOTE,
    location_total,
    market_total,
)

METRICS = ["energy_tce", "emissions_location_tco2", "emissions_market_tco2"]
SCOPE_LABELS = {
    "scope1": "scope 1 fuel combustion / 范围一 化石燃料燃烧",
    "scope1_process": "scope 1 industrial processes / 范围一 工业生产过程",
    "scope2": "scope 2 purchased electricity and heat / 范围二 外购电力热力",
    "on_site": "on-site renewable (zero-emission) / 自发可再生能源（零排放）",
}
# intensity column -> (numerator, denominator) columns of an enterprise table
ENTERPRISE_INTENSITIES = {
    "tco2_per_tce_location": ("emissions_location_tco2", "energy_tce"),
    "tco2_per_10k_cny_location": ("emissions_location_tco2", "value_added_10k_cny"),
    "tco2_per_10k_cny_market": ("emissions_market_tco2", "value_added_10k_cny"),
    "tce_per_10k_cny": ("energy_tce", "value_added_10k_cny"),
}


def by_ledger_column(lines, key: str):
    """Energy [tce] and location/market emissions [tCO2] of ledger lines per ``key``
    (``scope`` or ``source``), with a ``total`` row. By scope, the scope-1 industrial
    process lines are their own row, ``scope1_process``, beside fuel combustion's
    ``scope1``."""
    import pandas as pd

    groups = lines[key]
    if key == "scope":  # industrial process emissions: their own scope-1 line
        groups = groups.mask(lines["source"].eq(PROCESS_SOURCE), "scope1_process")
    rows = [
        _totals(group, key, value, SCOPE_LABELS.get(value, value))
        for value, group in lines.groupby(groups, sort=True)
    ]
    rows.append(_totals(lines, key, "total", "total / 合计"))
    return pd.DataFrame(rows)


def scopes_without_readings(frame, coverage):
    """``frame`` (by scope) with a row for each scope whose boundary meters sent nothing
    in the period (a silent gas meter: scope 1), instead of the scope vanishing: its
    figures NaN (unknown, not zero) and its label saying ``no readings / 无读数``; the
    result's ``inputs.incomplete`` finding names the meters."""
    import pandas as pd

    from greenpark.metrics.carbon.lines import ROLE_ACTIVITY

    if coverage is None or coverage.empty:
        return frame
    silent = coverage[coverage["received"] == 0]
    scopes = {ROLE_ACTIVITY[r][0] for r in silent["role"] if r in ROLE_ACTIVITY}
    missing = sorted(scopes - set(frame["scope"]))
    if not missing:
        return frame
    nan = float("nan")
    rows = [
        {
            "scope": scope,
            "label": f"{SCOPE_LABELS.get(scope, scope)} (no readings / 无读数)",
            "energy_tce": nan,
            "emissions_location_tco2": nan,
            "emissions_market_tco2": nan,
        }
        for scope in missing
    ]
    body = pd.concat([frame[frame["scope"] != "total"], pd.DataFrame(rows)], ignore_index=True)
    body = body.sort_values("scope", kind="stable")  # as groupby(sort=True) orders them
    return pd.concat([body, frame[frame["scope"] == "total"]], ignore_index=True)


def _totals(lines, key: str, value: str, label: str) -> dict:
    return {
        key: value,
        "label": label,
        "energy_tce": float(lines["energy_tce"].sum()),
        "emissions_location_tco2": location_total(lines),
        "emissions_market_tco2": market_total(lines),
    }


def by_enterprise(enterprise, store, by: str, period):
    """Per enterprise (``by="enterprise"``) or industry of the ledger's enterprise frame
    over ``period``, with the ``(not submetered)`` and ``total`` rows and intensities.

    Returns
    -------
    pandas.DataFrame
        Key columns, ``electricity_kwh`` [kWh], ``energy_tce`` [tce], emissions [tCO2],
        ``value_added_10k_cny`` [10k CNY] (NaN unless every month is reported) and
        ``ENTERPRISE_INTENSITIES``.
    """
    import pandas as pd

    names = store.cached(  # shared, read only (merged into a new frame below)
        "breakdown.enterprise_names",
        lambda: store.con.execute(
            "SELECT enterprise_id, name, name_zh, industry, leading_industry FROM enterprises"
        ).df(),
    )
    sums = enterprise.groupby("enterprise_id", sort=True)[["electricity_kwh", *METRICS]].sum()
    sums = sums.reset_index().merge(names, on="enterprise_id", how="left")
    ids = tuple(sums["enterprise_id"].tolist())  # the same for both ``by`` of a period
    added = store.cached(
        ("breakdown.value_added", period, ids),
        lambda: enterprise_value_added(store, ids, period),
    )
    sums["value_added_10k_cny"] = added.copy()
    sums.loc[sums["enterprise_id"] == NOT_SUBMETERED, "name"] = NOT_SUBMETERED_NOTE
    sums.loc[sums["enterprise_id"] == PARK_GREEN_POWER, "name"] = PARK_GREEN_POWER_NOTE
    rest = sums["enterprise_id"].isin([NOT_SUBMETERED, PARK_GREEN_POWER])
    values = ["electricity_kwh", *METRICS, "value_added_10k_cny"]
    if by == "industry":
        sums, key_cols = _by_industry(sums, rest, values), ["industry", "leading_industry"]
    else:
        key_cols = ["enterprise_id", "name", "name_zh", "industry"]
    order = sums[key_cols[0]].isin([NOT_SUBMETERED, PARK_GREEN_POWER])
    sums = pd.concat([sums[~order], sums[order]])
    total = {c: "total" if i == 0 else None for i, c in enumerate(key_cols)}
    total.update({c: float(sums[c].sum()) for c in ["electricity_kwh", *METRICS]})
    va = sums.loc[~order, "value_added_10k_cny"]
    total["value_added_10k_cny"] = float(va.sum()) if va.notna().all() and len(va) else math.nan
    out = pd.concat([sums[key_cols + values], pd.DataFrame([total])], ignore_index=True)
    add_intensities(out, ENTERPRISE_INTENSITIES)
    return out.astype({c: object for c in key_cols})


def _by_industry(sums, rest, values):
    sums["industry"] = sums["industry"].where(sums["industry"].notna(), "(unknown)")
    sums.loc[rest, "industry"] = sums.loc[rest, "enterprise_id"]
    sums["leading_industry"] = sums["leading_industry"].fillna(False).astype(bool)
    groups = sums.groupby(["industry", "leading_industry"], sort=True)
    # An industry's value added is known only if every member's is.
    va = groups["value_added_10k_cny"].apply(
        lambda v: float(v.sum()) if v.notna().all() else math.nan
    )
    return groups[values[:-1]].sum().join(va).reset_index()


def enterprise_value_added(store, enterprise_ids, period):
    """Value added of each enterprise over ``period``; NaN unless every month of the
    period is reported. [10k CNY]

    Returns
    -------
    pandas.Series
        Aligned with ``enterprise_ids``.
    """
    import pandas as pd

    rows = store.con.execute(
        "SELECT enterprise_id, month, value_added_10k_cny FROM production "
        "WHERE month BETWEEN ? AND ? ORDER BY enterprise_id, month",
        [period.first, period.last],
    ).df()
    grouped = rows.groupby("enterprise_id")
    full = grouped["value_added_10k_cny"].sum().where(grouped["month"].nunique() == period.n_months)
    ids = pd.Series(list(enterprise_ids), dtype=object)
    return ids.map(full).astype(float).to_numpy()


def add_intensities(frame, pairs: dict) -> None:
    """Add intensity columns ``name = numerator / denominator`` for ``pairs`` (name ->
    (numerator column, denominator column)), NaN where a denominator is missing, zero or
    negative."""
    for name, (num, den) in pairs.items():
        frame[name] = safe_divide(frame[num].astype(float), frame[den].astype(float))
