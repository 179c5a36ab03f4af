"""The ledger per enterprise: top-level submeters, the not-submetered rest and the
park-level green power.

An enterprise's figures come from its top-level submeters (a submeter under another
submeter is already inside its parent), with its own green power / GECs up to its own
consumption. Green power claimed at park level (park-level instruments, and enterprises'
claims beyond their consumption when ``[accounting] enterprise_excess_green_power =
"park"``) is its own labelled ``(park-level green power)`` line; the park total minus
both is the ``(not submetered)`` line, never spread over the enterprises, and carrying
no green power (so it is never pushed below its own consumption's emissions).
"""

from __future__ import annotations

from greenpark.core.factors import FUEL_ROWS, FactorBook
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.green_power import EXCESS_TOLERANCE_KWH, PARK_GREEN_POWER
from greenpark.metrics.carbon.lines import NOT_SUBMETERED, location_total, market_total

ENTERPRISE_COLUMNS = [
    "month",
    "enterprise_id",
    "electricity_kwh",
    "energy_tce",
    "emissions_location_tco2",
    "emissions_market_tco2",
    "green_power_kwh",
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
        ``ENTERPRISE_COLUMNS``: electricity [kWh], energy [tce], emissions [tCO2], green
        power and GECs used [kWh]; the ``(park-level green power)`` line of a month has
        no consumption, and market emissions of minus its kWh at the residual factor.
    """
    import pandas as pd

    subs = totals[
        (totals["role"] == "submeter")
        & totals["enterprise_id"].notna()
        & (totals["parent_role"] != "submeter")
    ]
    frame = _with_process(_enterprise_rows(subs, claims, book), ledger)
    rest = []
    for month, lines in ledger.groupby("month"):
        rest += _park_rows(month, lines, frame, book)
    return pd.concat([frame, pd.DataFrame(rest, columns=frame.columns)], ignore_index=True)


def _with_process(frame, ledger):
    """Add each enterprise's declared industrial process emissions (scope 1, both bases)
    to its rows; an enterprise with process emissions and no submeter gets a row."""
    import pandas as pd

    process = ledger[(ledger["source"] == "industrial_process") & ledger["enterprise_id"].notna()]
    if process.empty:
        return frame
    tco2 = process.groupby(["month", "enterprise_id"])["emissions_tco2"].sum().rename("p")
    out = frame.merge(tco2.reset_index(), on=["month", "enterprise_id"], how="outer")
    out["p"] = out["p"].fillna(0.0)
    for col in ENTERPRISE_COLUMNS[2:]:
        out[col] = out[col].astype(float).fillna(0.0)
    out["emissions_location_tco2"] += out["p"]
    out["emissions_market_tco2"] += out["p"]
    out = out.sort_values(["month", "enterprise_id"], kind="stable")
    return pd.DataFrame(out[ENTERPRISE_COLUMNS]).reset_index(drop=True)


def _park_rows(month, lines, frame, book: FactorBook) -> list:
    """The ``(not submetered)`` line of a month and, when green power is claimed at park
    level, the ``(park-level green power)`` line."""
    mine = frame[frame["month"] == month]
    park_elec = float(
        lines.loc[
            lines["source"].eq("electricity") & lines["basis"].isin(["location", "both"]),
            "quantity",
        ].sum()
    )
    covered = lines["basis"].eq("market") & lines["factor_id"].eq("zero_emission")
    park_green_kwh = float(lines.loc[covered, "quantity"].sum()) - mine["green_power_kwh"].sum()
    residual = book.get("electricity.market_residual", month).value
    green_tco2 = carbon.electricity_tco2(park_green_kwh, residual)
    rows = [
        [
            month,
            NOT_SUBMETERED,
            park_elec - mine["electricity_kwh"].sum(),
            float(lines["energy_tce"].sum()) - mine["energy_tce"].sum(),
            location_total(lines) - mine["emissions_location_tco2"].sum(),
            market_total(lines) - mine["emissions_market_tco2"].sum() + green_tco2,
            0.0,
        ]
    ]
    if abs(park_green_kwh) > EXCESS_TOLERANCE_KWH:
        rows.append([month, PARK_GREEN_POWER, 0.0, 0.0, 0.0, -green_tco2, park_green_kwh])
    return rows


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
    out["green_power_kwh"] = used
    return out[ENTERPRISE_COLUMNS]
