"""The core indicator on every basis: location and market emissions x calorific and
primary-energy electricity, side by side, and the one basis the status is judged on.

No primary source settles either choice for the zero-carbon park indicator (the 2025
notice names CO2 per tce, not the Scope 2 basis nor the tce method of electricity), and
the primary-energy equivalent can halve the indicator and move the band: the output shows
all four and says which one the status uses and why (:func:`status_basis`).
"""

from __future__ import annotations

import dataclasses
import math
import re

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import location_total, market_total
from greenpark.metrics.zerocarbon.formulas import core_threshold

EMISSIONS_BASES = ("location", "market")
ELECTRICITY_METHODS = ("calorific", "primary")
BASES_COLUMNS = [
    "emissions_basis",
    "electricity_tce_method",
    "emissions_tco2",
    "energy_tce",
    "tco2_per_tce",
    "band",
    "threshold_tco2_per_tce",
    "status",
    "judged",
    "coal_rate_gce_per_kwh",
    "coal_rate_year",
    "note",
]


@dataclasses.dataclass(frozen=True)
class StatusBasis:
    """The basis the zero-carbon status is judged on.

    Attributes
    ----------
    emissions_basis : str
        ``market`` or ``location``: ``[zero_carbon] emissions_basis``.
    electricity_tce_method : str
        ``calorific`` or ``primary``: ``[accounting] electricity_tce_method`` (the
        ledger's, so the status and every energy figure agree).
    reason : str
        Why, in words (printed with the indicators).
    """

    emissions_basis: str
    electricity_tce_method: str
    reason: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def status_basis(park) -> StatusBasis:
    """The basis the zero-carbon status is judged on, from the park's configuration.

    Parameters
    ----------
    park : greenpark.core.config.ParkConfig
        ``store.park()``.
    """
    emissions = park.zero_carbon.emissions_basis
    method = park.accounting.electricity_tce_method
    reason = (
        f'status judged on {emissions} emissions ([zero_carbon] emissions_basis = "{emissions}"'
        + (
            ": green power and GECs at zero, so that buying them closes the gap as the "
            "notice intends"
            if emissions == "market"
            else ": the grid average factor, green power not deducted"
        )
        + f') and {method} electricity ([accounting] electricity_tce_method = "{method}"'
        + (
            ": GB/T 2589 calorific equivalent, 0.1229 kgce/kWh"
            if method == "calorific"
            else ": GB/T 2589 primary-energy equivalent at the year's coal rate"
        )
        + "); greenpark's defaults are market and calorific, an assumption: no primary "
        "source of the indicator system fixes either"
    )
    return StatusBasis(emissions, method, reason)


def core_bases(store, lines, coverage_pct: float) -> tuple:
    """The core indicator of ledger ``lines`` on each of the four bases.

    Parameters
    ----------
    store : greenpark.store.Store
    lines : pandas.DataFrame
        The period's ledger lines.
    coverage_pct : float
        Share of the period's months with readings (the band scales energy to a year). [%]

    Returns
    -------
    (pandas.DataFrame, list of Finding)
        :data:`BASES_COLUMNS`, one row per basis (``judged`` marks the status basis);
        ``coal_rate_gce_per_kwh`` [gce/kWh] and ``coal_rate_year`` of the primary-energy
        rows (the year whose rate was used, with the fallback in ``note``); a finding when
        the primary-energy rows cannot be computed or a coal rate of another year is used.
    """
    import pandas as pd

    from greenpark.metrics.zerocarbon.common import status_of

    judged = status_basis(store.park())
    book = store.factor_book()
    rows, findings = [], []
    for method in ELECTRICITY_METHODS:
        energy, rate, note = _energy_tce(lines, book, method)
        if note:
            code = "zero_carbon.primary_unavailable" if energy != energy else "zero_carbon.bases"
            findings.append(Finding(code, note, data={"method": method}))
        annual = energy * 100.0 / coverage_pct if coverage_pct and energy == energy else 0.0
        band, threshold, _ = core_threshold(annual)
        for basis in EMISSIONS_BASES:
            emissions = location_total(lines) if basis == "location" else market_total(lines)
            value = carbon.intensity(emissions, energy) if energy == energy else math.nan
            rows.append(
                [
                    basis,
                    method,
                    emissions,
                    energy,
                    value,
                    band if energy == energy else None,
                    threshold if energy == energy else math.nan,
                    status_of(value, band, coverage_pct, threshold),
                    (basis, method) == (judged.emissions_basis, judged.electricity_tce_method),
                    rate.get("value", math.nan),
                    rate.get("year"),
                    note,
                ]
            )
    return pd.DataFrame(rows, columns=BASES_COLUMNS), findings


def _energy_tce(lines, book, method: str) -> tuple[float, dict, str]:
    """Energy of ``lines`` with electricity converted by ``method`` [tce]; the coal rate
    used (``value`` [gce/kWh], ``year``); a note (fallback or why not available)."""
    electric = lines["source"].eq("electricity") & lines["basis"].isin(["location", "both"])
    other = float(lines.loc[~electric, "energy_tce"].sum())
    months = sorted(set(lines.loc[electric, "month"]))
    try:
        factors = {m: book.electricity_tce(m, method) for m in months}
    except (GreenparkError, ValueError):
        return (
            math.nan,
            {},
            "primary-energy electricity not available: no [accounting] coal_rate_gce_per_kwh "
            "given (greenpark ships no coal rate: none is verified)",
        )
    kgce = lines.loc[electric, "month"].map(lambda m: factors[m].value)
    energy = other + float((lines.loc[electric, "quantity"] * kgce).sum()) / 1000.0
    if method != "primary" or not factors:
        return energy, {}, ""
    used = {(f.year, f.value) for f in factors.values() if f.factor_id.endswith("primary")}
    if not used:  # a park override of tce.electricity wins over both methods
        return energy, {}, "tce.electricity is overridden by the park: both methods use it"
    year, value = max(used)
    notes = sorted({f.note for f in factors.values() if f.note})
    return energy, {"year": year, "value": value * 1000.0}, "; ".join(notes)


def bases_notes(bases, status: dict, lang: str | None = "en") -> list[str]:
    """One line with the core indicator on each basis, the status basis and why, and the
    coal rate of the primary-energy rows (the lines every zero-carbon output prints);
    English, the statuses from the label catalogue (``not met``).

    Parameters
    ----------
    bases : pandas.DataFrame
        :func:`core_bases` rows.
    status : dict
        :meth:`StatusBasis.to_dict`.
    lang : str or None
        ``en`` (or None) only: Chinese outputs print their own notes.
    """
    from greenpark.core.labels import term

    parts = [
        f"{r.emissions_basis}/{r.electricity_tce_method} "
        + (
            "n/a"
            if r.tco2_per_tce != r.tco2_per_tce
            else f"{r.tco2_per_tce:.4g} ({term(r.status, lang or 'en')})"
        )
        + (" <- status" if r.judged else "")
        for r in bases.itertuples()
    ]
    lines = ["core indicator on every basis [tCO2/tce]: " + "; ".join(parts), status["reason"]]
    primary = bases[bases["electricity_tce_method"] == "primary"].iloc[0]
    if primary["coal_rate_gce_per_kwh"] == primary["coal_rate_gce_per_kwh"]:
        rate = f"primary-energy coal rate {primary['coal_rate_gce_per_kwh']:g} gce/kWh"
        rate += f" ({int(primary['coal_rate_year'])})"
        lines.append(rate + (f": {primary['note']}" if primary["note"] else ""))
    return lines


def basis_findings(bases, status: dict) -> list[Finding]:
    """The findings every zero-carbon report and workbook prints beside the four values:
    which basis the status is judged on and why (``zero_carbon.status_basis``), and the
    primary-energy coal rate used with its year fallback (``zero_carbon.coal_rate``).

    Parameters
    ----------
    bases : pandas.DataFrame
        :func:`core_bases` rows.
    status : dict
        :meth:`StatusBasis.to_dict`.
    """
    judged = bases[bases["judged"]]
    value = float(judged["tco2_per_tce"].iloc[0]) if len(judged) else math.nan
    out = [
        Finding(
            "zero_carbon.status_basis",
            status["reason"],
            severity="info",
            data={
                "emissions_basis": status["emissions_basis"],
                "electricity_tce_method": status["electricity_tce_method"],
                "value": value,
            },
        )
    ]
    primary = bases[bases["electricity_tce_method"] == "primary"].iloc[0]
    rate, year = primary["coal_rate_gce_per_kwh"], primary["coal_rate_year"]
    if rate == rate and year is not None:
        note = str(primary["note"] or "")
        # the factor book's fallback note: "coal rate of 2023 used for 2025"
        used_for = sorted(set(re.findall(r"coal rate of \d{4} used for (\d{4})", note)))
        text = (
            f"primary-energy electricity at the coal rate {rate:g} gce/kWh of {int(year)} "
            "([accounting] coal_rate_gce_per_kwh)"
        )
        code = "zero_carbon.coal_rate"
        if used_for:
            code += "_fallback"
            text += f": no rate given for {', '.join(used_for)}, the newest earlier one is used"
        out.append(
            Finding(
                code,
                text,
                severity="warning" if used_for else "info",
                data={"rate_gce_per_kwh": float(rate), "year": int(year), "for_years": used_for},
            )
        )
    return out
