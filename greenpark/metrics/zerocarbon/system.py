"""The national zero-carbon park indicator system for a period: every indicator's value,
threshold, status and confidence.

References
----------
NDRC/MIIT/NEA notice on zero-carbon park construction (2025, No. 910), annex indicator
system (trial): core indicator CO2 per tce <= 0.2 (200k-1M tce/yr) or <= 0.3 (>= 1M
tce/yr), confidence A; guiding indicators, thresholds provisional (B).
"""

from __future__ import annotations

import math

from greenpark.core.config.zero_carbon import ZeroCarbonSettings
from greenpark.core.findings import Finding, Result
from greenpark.core.periods import Period
from greenpark.metrics.carbon import formulas as carbon
from greenpark.metrics.carbon.ledger import ledger_for, metered_months
from greenpark.metrics.zerocarbon.bases import core_bases, status_basis
from greenpark.metrics.zerocarbon.common import (
    emissions_tco2,
    factor_ids,
    indicator_period,
    indicator_row,
    legacy_frame,
    park_period,
    period_label,
    settings_of,
    status_of,
)
from greenpark.metrics.zerocarbon.formulas import core_threshold, product_grade
from greenpark.metrics.zerocarbon.resources import resource_rows

COLUMNS = [
    "indicator_id",
    "indicator_zh",
    "indicator_en",
    "period",
    "value",
    "unit",
    "comparison",
    "threshold",
    "status",
    "confidence",
    "provisional",
    "note",
]


def indicators_result(store, period: Period | str) -> Result:
    """Every indicator of the national system for a period.

    Parameters
    ----------
    store : greenpark.store.Store
    period : Period or str
        A calendar year; a month stands for the rolling 12 months ending with it; a
        rolling 12 months, year to date or month range as given.

    Returns
    -------
    Result
        ``frame``: :data:`COLUMNS`; ``status`` is ``met``, ``not_met``,
        ``not_applicable`` or ``insufficient_data``. ``inputs``: ``period``,
        ``definition`` (the clean-energy definition), ``basis``, ``band``,
        ``threshold_tco2_per_tce``, ``coverage_pct``, ``factor_ids``, ``status_basis``
        (:func:`~greenpark.metrics.zerocarbon.bases.status_basis` as a dict).
        ``tables["core_bases"]``: the core indicator on the four bases
        (:func:`~greenpark.metrics.zerocarbon.bases.core_bases`).
    """
    import pandas as pd

    period = indicator_period(park_period(store, period))
    settings = settings_of(store)
    label = period_label(period)
    led = ledger_for(store, period)
    findings = list(led.findings)
    coverage = coverage_pct(led.lines, period)
    energy = float(led.lines["energy_tce"].sum())
    core = _core_row(label, emissions_tco2(led.lines, settings), energy, coverage, findings)
    rows = [
        core,
        _clean_row(store, label, led.lines, energy, settings, coverage),
        _product_row(store, label, period, findings),
        *resource_rows(store, period, label, findings),
    ]
    findings += _leading_findings(store)
    bases, bases_findings = core_bases(store, led.lines, coverage)
    findings += bases_findings
    inputs = {
        "period": label,
        "definition": settings.definition(),
        "basis": settings.emissions_basis,
        "band": core[0],
        "threshold_tco2_per_tce": core[7],
        "coverage_pct": coverage,
        "factor_ids": factor_ids(led.lines),
        "status_basis": status_basis(store.park()).to_dict(),
    }
    frame = pd.DataFrame(rows, columns=COLUMNS)
    from greenpark.metrics.coverage import with_coverage

    # the boundary meters' coverage of the period: ``inputs_complete`` and, below the
    # threshold, ``inputs.incomplete`` naming them (as energy, carbon and intensity)
    return with_coverage(Result(frame, findings, inputs, {"core_bases": bases}), store, period)


def indicators(store, period: Period | str | None = None, *, year=None, month=None):
    """:func:`indicators_result` as a DataFrame (``year=``/``month=`` accepted, the edge);
    ``frame.attrs`` carries the findings and every input (``definition``, ``basis``)."""
    return legacy_frame(indicators_result(store, park_period(store, period, year, month)))


def coverage_pct(lines, period: Period) -> float:
    """Share of the period's months that have readings. [%]"""
    have = metered_months(lines)
    return 100.0 * sum(1 for m in period.months if m in have) / period.n_months


def _core_row(label, emissions, energy, coverage, findings) -> list:
    annual = energy * 100.0 / coverage if coverage else 0.0
    ind, threshold, note = core_threshold(annual)
    value = carbon.intensity(emissions, energy)
    status = status_of(value, ind, coverage, threshold)
    if coverage < 100.0:
        note = (note + "; " if note else "") + f"readings cover {coverage:.0f} % of the months"
        findings.append(
            Finding(
                "zero_carbon.coverage",
                f"{label}: readings in {coverage:.0f} % of the months; indicators marked "
                "insufficient_data",
                data={"period": label, "coverage_pct": coverage},
            )
        )
    return indicator_row(ind, label, value, "tCO2/tce", status, note, threshold)


def clean_energy_tce(store, lines, settings: ZeroCarbonSettings) -> float:
    """Clean energy of ledger lines under the park's definition. [tce]

    On-site renewables; green power and GECs (when counted); the counted share of
    uncovered grid electricity; the carriers declared clean. Electricity is converted
    with the FactorBook's ``tce.electricity`` of each month.
    """
    book = store.factor_book()
    location = lines[lines["basis"].isin(["location", "both"])]
    market = lines[lines["basis"] == "market"]
    kgce = market["month"].map(lambda m: book.get("tce.electricity", m).value)
    green = market["factor_id"] == "zero_emission"
    clean = float(location.loc[location["scope"] == "on_site", "energy_tce"].sum())
    if settings.count_green_power:
        clean += float((market.loc[green, "quantity"] * kgce[green]).sum()) / 1000.0
    uncovered_kgce = float((market.loc[~green, "quantity"] * kgce[~green]).sum())
    clean += max(uncovered_kgce, 0.0) * settings.grid_clean_share_pct / 100.0 / 1000.0
    for carrier in settings.clean_carriers:
        clean += float(location.loc[location["source"] == carrier, "energy_tce"].sum())
    return clean


def _clean_row(store, label, lines, energy, settings: ZeroCarbonSettings, coverage) -> list:
    clean = clean_energy_tce(store, lines, settings)
    value = 100.0 * clean / energy if energy > 0 else math.nan
    return indicator_row(
        "clean_energy_share",
        label,
        value,
        "%",
        status_of(value, "clean_energy_share", coverage),
        settings.definition(),
    )


def _product_row(store, label: str, period: Period, findings) -> list:
    year = period.last.year
    rows = store.con.execute(
        "SELECT enterprise_id, product, intensity, grade1_limit, grade2_limit, grade3_limit "
        "FROM product_energy WHERE year = ?",
        [year],
    ).fetchall()
    if not rows:
        return indicator_row(
            "product_energy_intensity",
            label,
            math.nan,
            "grade",
            "insufficient_data",
            f"no product energy intensities declared for {year} ('greenpark load product-energy')",
        )
    grades = [product_grade(r[2], r[3], r[4], r[5]) for r in rows]
    failing = [f"{r[0]} {r[1]} (grade {g})" for r, g in zip(rows, grades, strict=True) if g > 2]
    worst = max(grades)
    note = f"{len(rows) - len(failing)} of {len(rows)} declared products at grade 2 or better" + (
        f"; not: {', '.join(failing)}" if failing else ""
    )
    if failing:
        findings.append(
            Finding(
                "zero_carbon.product_energy",
                note,
                data={"period": label, "year": year, "products": failing},
            )
        )
    return indicator_row(
        "product_energy_intensity",
        label,
        float(worst),
        "grade",
        status_of(float(worst), "product_energy_intensity", 100.0),
        note,
    )


def _leading_findings(store) -> list[Finding]:
    from greenpark.core.config import MAX_LEADING_INDUSTRIES

    out = list(store.park().findings)
    declared = {
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT industry FROM enterprises WHERE leading_industry"
        ).fetchall()
    }
    if len(declared) > MAX_LEADING_INDUSTRIES:
        out.append(
            Finding(
                "zero_carbon.leading_industries",
                f"enterprises declare {len(declared)} leading industries "
                f"({', '.join(sorted(declared))}); the 2025 park guidelines set at most "
                f"{MAX_LEADING_INDUSTRIES}",
                data={"industries": sorted(declared)},
            )
        )
    return out
