"""Green power and GECs in the ledger: what each month may claim, and the market-based
split of the net purchase into covered (at zero) and residual lines.

References
----------
GHG Protocol Scope 2 Guidance (2015), market-based method and quality criteria (vintage).
NDRC/MOF/NEA 2023 No. 1044: one GEC = 1 MWh of renewable electricity.
"""

from __future__ import annotations

from greenpark.core.factors import ZERO, FactorBook
from greenpark.core.findings import Finding
from greenpark.core.periods import month_end
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.lines import ledger_line

CLAIM_COLUMNS = ["month", "enterprise_id", "instrument_id", "kwh"]
PARK_GREEN_POWER = "(park-level green power)"
PARK_GREEN_POWER_NOTE = (
    "green power / GECs claimed at park level: park-level instruments and enterprises' "
    "claims beyond their own metered consumption (when counted) / "
    "园区级绿电：园区持有的绿电绿证，及企业超出自身计量用电的部分（计入时）"
)
# Below this the excess of claims over the net purchase is rounding, not a finding. [kWh]
EXCESS_TOLERANCE_KWH = 1e-9


def green_claims(store, period):
    """Green-power and GEC kWh claimable per month and enterprise (None = park).

    An instrument covering [period_start, period_end] is spread pro rata over the days it
    covers; only instruments whose vintage passes :func:`vintage_counts` count (by
    default: the month's calendar year).

    Parameters
    ----------
    store : Store
    period : Period
        The months to claim for.

    Returns
    -------
    (pandas.DataFrame, list of Finding)
        ``month, enterprise_id, instrument_id, kwh`` [kWh]; a ``green_power.vintage``
        finding for each instrument and month it covers but may not be claimed in.
    """
    import pandas as pd

    settings = store.park().accounting
    rows = store.con.execute("SELECT * FROM green_power ORDER BY instrument_id").fetchall()
    cols = [d[0] for d in store.con.description]
    out, findings = [], []
    for rec in (dict(zip(cols, r, strict=True)) for r in rows):
        days = (rec["period_end"] - rec["period_start"]).days + 1
        for month in period.months:
            first = max(month, rec["period_start"])
            last = min(month_end(month), rec["period_end"])
            if last < first:
                continue
            if not vintage_counts(rec["vintage"], month, settings):
                findings.append(_vintage_finding(rec, month, settings))
                continue
            share = ((last - first).days + 1) / days
            out.append(
                [month, rec["enterprise_id"], rec["instrument_id"], rec["mwh"] * 1000.0 * share]
            )
    return pd.DataFrame(out, columns=CLAIM_COLUMNS), findings


def vintage_counts(vintage, month, settings) -> bool:
    """Whether an instrument of ``vintage`` may be claimed for consumption in ``month``.

    ``[accounting] vintage_rule = "calendar_year"`` (default, the common Chinese reading):
    the same calendar year. ``"window"``: the vintage month within
    ``vintage_window_months`` of the consumption month, before or after (the GHG Protocol
    Scope 2 Guidance asks only for a vintage "as close as possible" to the period).

    Parameters
    ----------
    vintage, month : datetime.date
        The instrument's vintage (generation month) and the consumption month.
    settings : AccountingSettings
    """
    if settings.vintage_rule == "calendar_year":
        return vintage.year == month.year
    apart = abs((month.year - vintage.year) * 12 + month.month - vintage.month)
    return apart <= settings.vintage_window_months


def _vintage_rule_text(settings) -> str:
    if settings.vintage_rule == "calendar_year":
        return "its vintage is outside the reporting year"
    return f"its vintage is more than {settings.vintage_window_months} months away"


def _vintage_finding(rec: dict, month, settings) -> Finding:
    return Finding(
        "green_power.vintage",
        f"{rec['instrument_id']} (vintage {rec['vintage']:%Y-%m}) not counted for "
        f"{month:%Y-%m}: {_vintage_rule_text(settings)}",
        data={
            "instrument_id": rec["instrument_id"],
            "month": month,
            "period": f"{month:%Y-%m}",
            "vintage": f"{rec['vintage']:%Y-%m}",
        },
    )


def enterprise_excess(claims, totals, rule: str):
    """Enterprises' claims beyond their own metered electricity, per month: a
    ``green_power.enterprise_excess`` finding each, and the claims under ``rule``.

    Parameters
    ----------
    claims : pandas.DataFrame
        From :func:`green_claims`.
    totals : pandas.DataFrame
        Monthly meter totals: an enterprise's consumption is the sum of its top-level
        electricity submeters. [kWh]
    rule : {"park", "none"}
        ``[accounting] enterprise_excess_green_power``: ``park`` keeps the excess in the
        claims (it counts against the park's net purchase, in the park-level green-power
        line); ``none`` scales the enterprise's claims of that month down to its
        consumption.

    Returns
    -------
    (pandas.DataFrame, list of Finding)
        The claims to use, and the findings.
    """
    mine = claims[claims["enterprise_id"].notna()]
    if mine.empty:
        return claims, []
    subs = totals[
        (totals["role"] == "submeter")
        & (totals["carrier"] == "electricity")
        & totals["enterprise_id"].notna()
        & (totals["parent_role"] != "submeter")
    ]
    used = subs.groupby(["month", "enterprise_id"])["quantity"].sum()
    claimed = mine.groupby(["month", "enterprise_id"])["kwh"].sum()
    consumption = used.reindex(claimed.index).fillna(0.0).clip(lower=0.0)
    excess = (claimed - consumption).clip(lower=0.0)
    excess = excess[excess > EXCESS_TOLERANCE_KWH]
    findings = [
        _enterprise_excess_finding(m, e, claimed[m, e], consumption[m, e], excess[m, e], rule)
        for m, e in excess.index
    ]
    if rule == "none" and len(excess):
        ratio = (consumption / claimed)[excess.index].to_dict()
        keys = zip(claims["month"], claims["enterprise_id"], strict=True)
        claims = claims.assign(kwh=claims["kwh"] * [ratio.get(k, 1.0) for k in keys])
    return claims, findings


def _enterprise_excess_finding(month, enterprise, claimed, consumption, excess, rule):
    what = (
        "counted at park level (park-level green-power line)" if rule == "park" else "not counted"
    )
    return Finding(
        "green_power.enterprise_excess",
        f"{month:%Y-%m}: {enterprise}'s green power / GECs {claimed / 1000:,.3f} MWh exceed "
        f"its metered consumption {consumption / 1000:,.3f} MWh by {excess / 1000:,.3f} MWh; "
        f'{what} ([accounting] enterprise_excess_green_power = "{rule}")',
        data={
            "month": month,
            "period": f"{month:%Y-%m}",
            "enterprise_id": enterprise,
            "claims_mwh": claimed / 1000,
            "consumption_mwh": consumption / 1000,
            "excess_mwh": excess / 1000,
            "rule": rule,
        },
    )


def market_lines(boundary, claims, month, book: FactorBook) -> tuple[list, list[Finding]]:
    """The market-based lines of one month: the net purchase covered by claims (at zero)
    and the rest at the residual-mix factor.

    Parameters
    ----------
    boundary : pandas.DataFrame
        The month's boundary meter totals (``role``, ``quantity`` [kWh for electricity]).
    claims : pandas.DataFrame
        From :func:`green_claims`.
    month : datetime.date
    book : FactorBook

    Returns
    -------
    (list, list of Finding)
        Two ledger lines (none without grid meters), and a ``green_power.excess`` finding
        when the claims exceed the net purchase.
    """
    grid = boundary[boundary["role"].isin(["grid_import", "grid_export"])]
    if grid.empty:
        return [], []
    sign = grid["role"].map({"grid_import": 1.0, "grid_export": -1.0})
    net_kwh = float((grid["quantity"] * sign).sum())
    claimed = float(claims.loc[claims["month"] == month, "kwh"].sum()) if len(claims) else 0.0
    used, excess = map(float, carbon.allocate_claims(net_kwh, claimed))
    findings = []
    if excess > EXCESS_TOLERANCE_KWH:
        findings.append(_excess_finding(month, claimed, net_kwh, excess))
    residual = book.get("electricity.market_residual", month)
    activity = {
        "month": month,
        "meter_id": None,
        "enterprise_id": None,
        "scope": "scope2",
        "source": "electricity",
        "basis": "market",
        "unit": "kWh",
    }
    covered = {
        **activity,
        "activity": "purchased electricity covered by green power / GECs",
        "quantity": used,
    }
    rest = {
        **activity,
        "activity": "purchased electricity not covered (residual mix)",
        "quantity": net_kwh - used,
    }
    lines = [
        ledger_line(covered, ZERO, 0.0, 0.0),
        ledger_line(rest, residual, carbon.electricity_tco2(net_kwh - used, residual.value), 0.0),
    ]
    return lines, findings


def _excess_finding(month, claimed_kwh: float, net_kwh: float, excess_kwh: float) -> Finding:
    claims_mwh, net_mwh, excess_mwh = claimed_kwh / 1000, max(net_kwh, 0) / 1000, excess_kwh / 1000
    return Finding(
        "green_power.excess",
        f"{month:%Y-%m}: claims of {claims_mwh:,.3f} MWh exceed net purchased electricity "
        f"{net_mwh:,.3f} MWh; the excess {excess_mwh:,.3f} MWh is not used",
        data={
            "month": month,
            "period": f"{month:%Y-%m}",
            "claims_mwh": claims_mwh,
            "net_purchased_mwh": net_mwh,
            "excess_mwh": excess_mwh,
        },
    )
