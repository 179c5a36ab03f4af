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
# Below this the excess of claims over the net purchase is rounding, not a finding. [kWh]
EXCESS_TOLERANCE_KWH = 1e-9


def green_claims(store, period):
    """Green-power and GEC kWh claimable per month and enterprise (None = park).

    An instrument covering [period_start, period_end] is spread pro rata over the days it
    covers; only instruments whose vintage is in the month's calendar year count.

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
            if rec["vintage"].year != month.year:
                findings.append(_vintage_finding(rec, month))
                continue
            share = ((last - first).days + 1) / days
            out.append(
                [month, rec["enterprise_id"], rec["instrument_id"], rec["mwh"] * 1000.0 * share]
            )
    return pd.DataFrame(out, columns=CLAIM_COLUMNS), findings


def _vintage_finding(rec: dict, month) -> Finding:
    return Finding(
        "green_power.vintage",
        f"{rec['instrument_id']} (vintage {rec['vintage']:%Y-%m}) not counted for "
        f"{month:%Y-%m}: its vintage is outside the reporting year",
        data={
            "instrument_id": rec["instrument_id"],
            "month": month,
            "period": f"{month:%Y-%m}",
            "vintage": f"{rec['vintage']:%Y-%m}",
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
