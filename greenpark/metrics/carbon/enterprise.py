"""The ledger per enterprise: top-level submeters, and the not-submetered rest.

An enterprise's figures come from its top-level submeters (a submeter under another
submeter is already inside its parent); the park total minus the enterprises is its own
``(not submetered)`` line, never spread over the enterprises.
"""

from __future__ import annotations

from greenpark.core.factors import FUEL_ROWS, FactorBook
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.lines import NOT_SUBMETERED, location_total, market_total

ENTERPRISE_COLUMNS = [
    "month",
    "enterprise_id",
    "electricity_kwh",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
]


def enterprise_breakdown(totals, ledger, claims, book: FactorBook):
    """Per month and enterprise, and the ``(not submetered)`` rest of each month.

    Parameters
    ----------
    totals : pandas.DataFrame
        Monthly meter totals (:func:`~greenpark.metrics.carbon.ledger.monthly_meter_totals`).
    ledger : pandas.DataFrame
        The park's ledger lines of the same months.
    claims : pandas.DataFrame
        Green-power claims (:func:`~greenpark.metrics.carbon.green_power.green_claims`).
    book : FactorBook

    Returns
    -------
    pandas.DataFrame
        ``ENTERPRISE_COLUMNS``: electricity [kWh], energy [tce], emissions [tCO2].
    """
    import pandas as pd

    subs = totals[
        (totals["role"] == "submeter")
        & totals["enterprise_id"].notna()
        & (totals["parent_role"] != "submeter")
    ]
    frame = _enterprise_rows(subs, claims, book)
    rest = [_not_submetered(month, lines, frame) for month, lines in ledger.groupby("month")]
    return pd.concat([frame, pd.DataFrame(rest, columns=frame.columns)], ignore_index=True)


def _not_submetered(month, lines, frame) -> list:
    mine = frame[frame["month"] == month]
    park_elec = float(
        lines.loc[
            lines["source"].eq("electricity") & lines["basis"].isin(["location", "both"]),
            "quantity",
        ].sum()
    )
    return [
        month,
        NOT_SUBMETERED,
        park_elec - mine["electricity_kwh"].sum(),
        float(lines["energy_tce"].sum()) - mine["energy_tce"].sum(),
        location_total(lines) - mine["emissions_location_tco2"].sum(),
        market_total(lines) - mine["emissions_market_tco2"].sum(),
    ]


def _direct_factor(book: FactorBook, carrier: str, month) -> float:
    """Emissions at the point of use of a carrier. [tCO2 per canonical unit]"""
    if carrier in FUEL_ROWS:
        return book.fuel_co2(carrier, month).value
    if carrier == "heat":
        return book.get("heat.purchased", month).value
    return 0.0


def _enterprise_rows(subs, claims, book: FactorBook):
    """Vectorised per (month, enterprise): factors are looked up once per (slot, month)."""
    import numpy as np
    import pandas as pd

    pairs = subs[["carrier", "month"]].drop_duplicates()
    pairs = pairs.assign(
        kgce_per_unit=[book.get(f"tce.{c}", m).value for c, m in pairs.itertuples(index=False)],
        direct_tco2_per_unit=[_direct_factor(book, c, m) for c, m in pairs.itertuples(index=False)],
    )
    subs = subs.merge(pairs, on=["carrier", "month"], how="left")
    subs["energy_tce"] = carbon.energy_tce(subs["quantity"], subs["kgce_per_unit"])
    subs["direct_tco2"] = subs["quantity"] * subs["direct_tco2_per_unit"]
    subs["electricity_kwh"] = np.where(subs["carrier"] == "electricity", subs["quantity"], 0.0)
    out = (
        subs.groupby(["month", "enterprise_id"], sort=True)[
            ["electricity_kwh", "energy_tce", "direct_tco2"]
        ]
        .sum()
        .reset_index()
    )
    claimed = (
        claims.groupby(["month", "enterprise_id"])["kwh"].sum().rename("claims_kwh").reset_index()
        if len(claims)
        else pd.DataFrame(columns=["month", "enterprise_id", "claims_kwh"])
    )
    out = out.merge(claimed, on=["month", "enterprise_id"], how="left")
    claims_kwh = out["claims_kwh"].astype(float).fillna(0.0)
    used, _ = carbon.allocate_claims(out["electricity_kwh"], claims_kwh)
    location = out["month"].map(lambda m: book.get("electricity.location", m).value)
    residual = out["month"].map(lambda m: book.get("electricity.market_residual", m).value)
    elec = out["electricity_kwh"]
    out["emissions_location_tco2"] = carbon.electricity_tco2(elec, location) + out["direct_tco2"]
    out["emissions_market_tco2"] = (
        carbon.electricity_tco2(elec - used, residual) + out["direct_tco2"]
    )
    return out[ENTERPRISE_COLUMNS]
