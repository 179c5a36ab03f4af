"""Energy (tce) and CO2 accounting of the park for a set of months: the ledger.

Every figure comes from a ledger line: an activity (a boundary meter's monthly total, or
a green-power claim), its quantity and unit, the factor applied (id, value, unit,
source, year, confidence, override) and the result. Totals are sums of ledger lines.
Months are calendar months in park local time; factors are resolved per month (the
grid factor of the month's year, or the newest earlier one, stated in ``note``).

Method (docs/methodology.md, "Energy and carbon"):

* scope 1: fuel combustion, quantity x NCV x C x OX x 44/12;
* scope 2 location-based: (grid import - grid export) x the grid factor of the park's
  province (or region, or national: ``[accounting] grid_factor_level``);
* scope 2 market-based: green power and GECs (vintage in the month's year, pro rata over
  the days they cover, at most the net purchase) at zero; the rest at the national
  factor excluding market-traded non-fossil electricity;
* purchased heat at 0.11 tCO2/GJ (minus exported heat);
* on-site PV/wind: zero-emission, counted in energy, not purchased;
* energy: GB/T 2589 coefficients, electricity at its calorific equivalent (0.1229
  kgce/kWh) or, with ``electricity_tce_method = "primary"``, at the year's coal rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from greenpark.core.errors import GreenparkError
from greenpark.core.factors import FUEL_ROWS, ZERO, Factor, FactorBook
from greenpark.core.periods import month_end, month_start
from greenpark.core.vocab import CARRIERS
from greenpark.metrics.carbon import formulas as carbon

NOT_SUBMETERED = "(not submetered)"
NOT_SUBMETERED_NOTE = (
    "park total minus enterprise submeters: common areas, losses, on-site "
    "generation, unallocated fuels, park-level green power / "
    "未分表：公共区域、损耗、自发电、未分配燃料、园区级绿电"
)

# role -> (scope, activity, sign, emission slot, basis)
ROLE_ACTIVITY = {
    "grid_import": (
        "scope2",
        "purchased electricity (grid import)",
        1.0,
        "electricity.location",
        "location",
    ),
    "grid_export": (
        "scope2",
        "exported electricity (grid export)",
        -1.0,
        "electricity.location",
        "location",
    ),
    "pv_generation": ("on_site", "on-site PV generation (zero-emission)", 1.0, None, "both"),
    "wind_generation": ("on_site", "on-site wind generation (zero-emission)", 1.0, None, "both"),
    "fuel": ("scope1", "fuel combustion", 1.0, "fuel.co2", "both"),
    "heat_import": ("scope2", "purchased heat", 1.0, "heat.purchased", "both"),
    "heat_export": ("scope2", "exported heat", -1.0, "heat.purchased", "both"),
}
LEDGER_COLUMNS = [
    "month",
    "meter_id",
    "enterprise_id",
    "scope",
    "source",
    "activity",
    "basis",
    "quantity",
    "unit",
    "factor_id",
    "factor_value",
    "factor_unit",
    "factor_source",
    "factor_year",
    "confidence",
    "override",
    "note",
    "emissions_tco2",
    "energy_tce",
]


@dataclass
class Ledger:
    """The ledger lines of some months, and what to know about them.

    Attributes
    ----------
    lines : pandas.DataFrame
        Columns ``LEDGER_COLUMNS``; ``basis`` is ``location``, ``market`` or ``both``.
    enterprise : pandas.DataFrame
        Per month and enterprise (and the not-submetered line): ``energy_tce``,
        ``emissions_location_tco2``, ``emissions_market_tco2``, ``electricity_kwh``.
    findings : list of str
    """

    lines: object
    enterprise: object
    findings: list[str] = field(default_factory=list)

    def slice(self, months: list[dt.date]) -> Ledger:
        """The ledger of ``months`` only (every line and row is per month).

        Findings tagged with a month (``Finding.data["month"]``) outside ``months`` are
        dropped; untagged ones are kept.
        """
        wanted = set(months)
        lines = self.lines[self.lines["month"].isin(wanted)]
        enterprise = self.enterprise[self.enterprise["month"].isin(wanted)]
        if lines.empty and enterprise.empty:
            raise GreenparkError(f"no readings from {months[0]:%Y-%m} to {months[-1]:%Y-%m}")
        findings = [f for f in self.findings if _month_of(f) in (None, *wanted)]
        return Ledger(lines.reset_index(drop=True), enterprise.reset_index(drop=True), findings)


def _month_of(finding):
    data = getattr(finding, "data", None) or {}
    month = data.get("month")
    return month_start(month) if hasattr(month, "year") else None


# How many times a ledger was built from the database in this process (tests assert that
# a report builds exactly one).
BUILDS = {"count": 0}


def ledger_for(store, period) -> Ledger:
    """The ledger of ``period`` (a :class:`~greenpark.core.periods.Period`), built once.

    Ledgers are kept on the store until its next write; a period inside one already
    built (e.g. the month of a report whose 24-month span was built first with
    :func:`prime`) is sliced from it instead of being built again.

    Raises
    ------
    GreenparkError
        If there are no readings in the period.
    """
    built = store.cached("ledgers", dict)
    for (first, last), ledger in built.items():
        if first <= period.first and period.last <= last:
            if (first, last) == (period.first, period.last):
                return ledger
            return ledger.slice(period.months)
    ledger = build_ledger(store, period.months)
    built[period.first, period.last] = ledger
    return ledger


def prime(store, period) -> None:
    """Build the ledger of ``period`` now, so that every period inside it is a slice.

    A period with no readings at all is left unbuilt (its users raise as usual).
    """
    try:
        ledger_for(store, period)
    except GreenparkError:
        pass


def build_ledger(store, months: list[dt.date]) -> Ledger:
    """Build the ledger for ``months`` (first days, park local time).

    Raises
    ------
    GreenparkError
        If there are no readings at all in those months.
    """
    import pandas as pd

    BUILDS["count"] += 1
    park = store.park()
    book = store.factor_book()
    totals = monthly_meter_totals(store, months[0], month_end(months[-1]), park.timezone)
    if totals.empty:
        raise GreenparkError(f"no readings from {months[0]:%Y-%m} to {months[-1]:%Y-%m}")
    findings: list[str] = []
    boundary = totals[totals["role"].isin(ROLE_ACTIVITY)]
    lines = [_meter_line(r, book) for r in boundary.itertuples()]
    claims = green_claims(store, months, findings)
    for month in months:
        lines += _market_lines(boundary[boundary["month"] == month], claims, month, book, findings)
    ledger = pd.DataFrame(lines, columns=LEDGER_COLUMNS)
    enterprise = enterprise_breakdown(totals, ledger, claims, book, store)
    findings += _factor_notes(ledger)
    return Ledger(ledger, enterprise, findings)


def monthly_meter_totals(store, first: dt.date, last: dt.date, timezone: str):
    """Monthly totals per meter, summed in DuckDB (park local months).

    Returns
    -------
    pandas.DataFrame
        ``month, meter_id, carrier, role, enterprise_id, parent_id, parent_role, quantity``
        (canonical units).
    """
    from greenpark.core.periods import to_utc
    from greenpark.io.timezones import fixed_offset_seconds

    start = to_utc(dt.datetime(first.year, first.month, 1), timezone)
    end_month = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    end = to_utc(dt.datetime(end_month.year, end_month.month, 1), timezone)
    offset = fixed_offset_seconds(timezone)
    local = (
        f"r.ts + INTERVAL ({offset}) SECOND"
        if offset is not None
        else "timezone(?, timezone('UTC', r.ts))"
    )
    params = ([] if offset is not None else [timezone]) + [start, end]
    frame = store.con.execute(
        f"""
        WITH t AS (
            SELECT r.meter_key, CAST(date_trunc('month', {local}) AS DATE) AS month,
                   sum(r.value) AS quantity
            FROM readings r WHERE r.ts >= ? AND r.ts < ? GROUP BY ALL)
        SELECT t.month, m.meter_id, m.carrier, m.role, m.enterprise_id, m.parent_id,
               p.role AS parent_role, t.quantity
        FROM t JOIN meters m USING (meter_key) LEFT JOIN meters p ON p.meter_id = m.parent_id
        ORDER BY t.month, m.meter_id""",
        params,
    ).df()  # noqa: S608 - internal fragments
    frame["month"] = frame["month"].map(lambda d: dt.date(d.year, d.month, 1))
    for col in ("meter_id", "carrier", "role", "enterprise_id", "parent_id", "parent_role"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _line(
    month,
    meter_id,
    enterprise_id,
    scope,
    source,
    activity,
    basis,
    quantity,
    unit,
    factor: Factor,
    emissions,
    energy,
) -> list:
    return [
        month,
        meter_id,
        enterprise_id,
        scope,
        source,
        activity,
        basis,
        quantity,
        unit,
        factor.factor_id,
        factor.value,
        factor.unit,
        factor.source,
        factor.year,
        factor.confidence,
        factor.override,
        factor.note,
        emissions,
        energy,
    ]


def _meter_line(row, book: FactorBook) -> list:
    scope, activity, sign, slot, basis = ROLE_ACTIVITY[row.role]
    quantity = sign * row.quantity
    unit = CARRIERS[row.carrier]
    if slot is None:
        factor, emissions = ZERO, 0.0
    elif slot == "fuel.co2":
        factor = book.fuel_co2(row.carrier, row.month)
        emissions = quantity * factor.value
    elif slot.startswith("electricity"):
        factor = book.get(slot, row.month)
        emissions = carbon.electricity_tco2(quantity, factor.value)
    else:
        factor = book.get(slot, row.month)
        emissions = quantity * factor.value
    energy = carbon.energy_tce(quantity, book.get(f"tce.{row.carrier}", row.month).value)
    return _line(
        row.month,
        row.meter_id,
        row.enterprise_id,
        scope,
        row.carrier,
        activity,
        basis,
        quantity,
        unit,
        factor,
        emissions,
        energy,
    )


def green_claims(store, months: list[dt.date], findings: list[str]):
    """Green-power and GEC MWh claimable per month and enterprise (None = park).

    An instrument covering [period_start, period_end] is spread pro rata over the days it
    covers; only instruments whose vintage is in the month's calendar year count.

    Returns
    -------
    pandas.DataFrame
        ``month, enterprise_id, instrument_id, kwh``.
    """
    import pandas as pd

    rows = store.con.execute("SELECT * FROM green_power").fetchall()
    cols = [d[0] for d in store.con.description]
    out = []
    for rec in (dict(zip(cols, r, strict=True)) for r in rows):
        days = (rec["period_end"] - rec["period_start"]).days + 1
        skipped = []
        for month in months:
            first = max(month, rec["period_start"])
            last = min(month_end(month), rec["period_end"])
            if last < first:
                continue
            if rec["vintage"].year != month.year:
                skipped.append(f"{month:%Y-%m}")
                continue
            share = ((last - first).days + 1) / days
            out.append(
                [month, rec["enterprise_id"], rec["instrument_id"], rec["mwh"] * 1000.0 * share]
            )
        if skipped:
            findings.append(
                f"green_power.vintage: {rec['instrument_id']} (vintage "
                f"{rec['vintage']:%Y-%m}) not counted for {', '.join(skipped)}: "
                "its vintage is outside the reporting year"
            )
    return pd.DataFrame(out, columns=["month", "enterprise_id", "instrument_id", "kwh"])


def _market_lines(boundary, claims, month, book: FactorBook, findings) -> list:
    grid = boundary[boundary["role"].isin(["grid_import", "grid_export"])]
    if grid.empty:
        return []
    sign = grid["role"].map({"grid_import": 1.0, "grid_export": -1.0})
    net_kwh = float((grid["quantity"] * sign).sum())
    claimed = float(claims.loc[claims["month"] == month, "kwh"].sum()) if len(claims) else 0.0
    used, excess = carbon.allocate_claims(net_kwh, claimed)
    if excess > 1e-9:
        findings.append(
            f"green_power.excess: {month:%Y-%m}: claims of {claimed / 1000:,.3f} "
            f"MWh exceed net purchased electricity {max(net_kwh, 0) / 1000:,.3f} "
            f"MWh; the excess {excess / 1000:,.3f} MWh is not used"
        )
    residual = book.get("electricity.market_residual", month)
    return [
        _line(
            month,
            None,
            None,
            "scope2",
            "electricity",
            "purchased electricity covered by green power / GECs",
            "market",
            used,
            "kWh",
            ZERO,
            0.0,
            0.0,
        ),
        _line(
            month,
            None,
            None,
            "scope2",
            "electricity",
            "purchased electricity not covered (residual mix)",
            "market",
            net_kwh - used,
            "kWh",
            residual,
            carbon.electricity_tco2(net_kwh - used, residual.value),
            0.0,
        ),
    ]


def _factor_notes(ledger) -> list[str]:
    notes = ledger.loc[
        ledger["note"].astype(bool) & ledger["factor_id"].str.startswith(("grid.", "override.")),
        ["factor_id", "note"],
    ].drop_duplicates()
    return [f"factor: {r.factor_id}: {r.note}" for r in notes.itertuples()]


def location_total(lines) -> float:
    """Location-based total of ledger lines. [tCO2]"""
    return float(lines.loc[lines["basis"].isin(["location", "both"]), "emissions_tco2"].sum())


def market_total(lines) -> float:
    """Market-based total of ledger lines. [tCO2]"""
    return float(lines.loc[lines["basis"].isin(["market", "both"]), "emissions_tco2"].sum())


def enterprise_breakdown(totals, ledger, claims, book: FactorBook, store):
    """Per month and enterprise, from top-level submeters; the rest of the park total is
    its own ``(not submetered)`` line, never spread over enterprises.

    Returns
    -------
    pandas.DataFrame
        ``month, enterprise_id, electricity_kwh, energy_tce, emissions_location_tco2,
        emissions_market_tco2``.
    """
    import pandas as pd

    subs = totals[
        (totals["role"] == "submeter")
        & totals["enterprise_id"].notna()
        & (totals["parent_role"] != "submeter")
    ]
    frame = _enterprise_rows(subs, claims, book)
    rest = []
    for month, lines in ledger.groupby("month", sort=True):
        mine = frame[frame["month"] == month]
        park_elec = float(
            lines.loc[
                lines["source"].eq("electricity") & lines["basis"].isin(["location", "both"]),
                "quantity",
            ].sum()
        )
        rest.append(
            [
                month,
                NOT_SUBMETERED,
                park_elec - mine["electricity_kwh"].sum(),
                float(lines["energy_tce"].sum()) - mine["energy_tce"].sum(),
                location_total(lines) - mine["emissions_location_tco2"].sum(),
                market_total(lines) - mine["emissions_market_tco2"].sum(),
            ]
        )
    return pd.concat([frame, pd.DataFrame(rest, columns=frame.columns)], ignore_index=True)


def _enterprise_rows(subs, claims, book: FactorBook):
    """Vectorised per (month, enterprise): factors are looked up once per (slot, month)."""
    import numpy as np
    import pandas as pd

    subs = subs.copy()
    pairs = subs[["carrier", "month"]].drop_duplicates().itertuples(index=False)
    coef, direct = {}, {}
    for carrier, month in pairs:
        coef[carrier, month] = book.get(f"tce.{carrier}", month).value
        direct[carrier, month] = (
            book.fuel_co2(carrier, month).value
            if carrier in FUEL_ROWS
            else book.get("heat.purchased", month).value
            if carrier == "heat"
            else 0.0
        )
    keys = list(zip(subs["carrier"], subs["month"], strict=True))
    subs["energy_tce"] = subs["quantity"] * [coef[k] for k in keys] / 1000.0
    subs["direct_tco2"] = subs["quantity"] * [direct[k] for k in keys]
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
    used = np.minimum(out["electricity_kwh"].clip(lower=0.0), claims_kwh.clip(lower=0.0))
    location = out["month"].map(lambda m: book.get("electricity.location", m).value)
    residual = out["month"].map(lambda m: book.get("electricity.market_residual", m).value)
    out["emissions_location_tco2"] = out["electricity_kwh"] / 1000.0 * location + out["direct_tco2"]
    out["emissions_market_tco2"] = (out["electricity_kwh"] - used) / 1000.0 * residual + out[
        "direct_tco2"
    ]
    return out[
        [
            "month",
            "enterprise_id",
            "electricity_kwh",
            "energy_tce",
            "emissions_location_tco2",
            "emissions_market_tco2",
        ]
    ]
