"""The sections of a report: each calls the metric functions for the report's periods
and puts their tables and findings into the :class:`~greenpark.report.builder.ReportData`.

Every ledger-based metric reads :func:`greenpark.metrics.carbon.ledger.ledger_for`, which
slices the one ledger :func:`greenpark.report.builder.build` primed for the report's span;
the factor book and the park config are the store's (each built once per store).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.core.numeric import safe_divide
from greenpark.core.periods import Period
from greenpark.report import tables as rt
from greenpark.report.audit_tables import green_power_months, register_months
from greenpark.report.headline import CLEAN_SHARE_WINDOWS, INTENSITY_ROWS

CARBON_BY = ("scope", "source", "enterprise", "industry")


@dataclass
class Build:
    """What every section of one report shares.

    Attributes
    ----------
    store : greenpark.store.Store
    kind : str
        ``monthly`` or ``annual``.
    period : Period
        The report period, localized with the park's timezone.
    windows : dict of str -> Period
        Its comparison windows (:func:`greenpark.report.headline.report_windows`).
    series : Period
        The months of the monthly series (24 months ending with the period).
    data : ReportData
    """

    store: object
    kind: str
    period: Period
    windows: dict
    series: Period
    data: object

    @property
    def month(self) -> Period:
        """The last month of the period (what trajectories and intensities end with)."""
        return Period.month(self.period.last, self.period.timezone)

    @property
    def year(self) -> Period:
        """The calendar year of the period's last month."""
        return Period.year(self.period.last.year, self.period.timezone)

    def add(self, section: str, found: list[Finding]) -> None:
        """Add the findings of a metric's Result to ``section``."""
        self.data.findings.setdefault(section, []).extend(found)

    def unavailable(self, section: str, exc: GreenparkError) -> None:
        """A section the data does not allow: say why, and go on."""
        finding = Finding("report.section_unavailable", str(exc), "info", {"section": section})
        self.data.findings.setdefault(section, []).append(finding)


# ------------------------------------------------------------------------------ carbon
def carbon(b: Build) -> None:
    """Ledger with factor keys, every factor, emissions by scope/source/enterprise/industry,
    intensities and the monthly series."""
    from greenpark.metrics.carbon.ledger import ledger_for
    from greenpark.metrics.carbon.tables import carbon_by, ledger_lines, park_intensities

    t = b.data.tables
    lines = ledger_lines(b.store, b.period)
    b.add("carbon", lines.findings)
    for by in CARBON_BY:
        t[f"carbon_{by}"] = carbon_by(b.store, b.period, by=by).frame
    t["factors"], t["ledger"] = rt.factor_table(b.store.factor_book(), lines.frame)
    t["green_power"] = green_power_months(b.store, b.period)
    t["registers"] = register_months(b.store, b.period)
    inten = park_intensities(b.store, b.month)
    t["intensities"] = inten.frame
    flagged = inten.flagged_frame()  # per window: its boundary meters reach the threshold
    if "inputs_complete" in flagged.columns:
        flags = zip(flagged["period"], flagged["inputs_complete"], strict=True)
        b.data.values["intensities_complete"] = {p: bool(ok) for p, ok in flags}
    b.add("intensities", inten.findings)
    series = ledger_for(b.store, b.series).lines
    t["series"] = rt.monthly_series(series, b.series.months)
    current = INTENSITY_ROWS["month" if b.kind == "monthly" else "year"]
    row = t["intensities"].set_index("period").loc[current]
    b.data.values["summary"] = rt.summary_values(t["carbon_scope"], row)


# ------------------------------------------------------------------------------ energy
def energy(b: Build) -> None:
    """Energy by carrier and meter, meter coverage, load profile, time-of-use split."""
    from greenpark.metrics.coverage import coverage_min_pct
    from greenpark.metrics.energy import energy_result

    t = b.data.tables
    t["energy_carrier"] = energy_result(b.store, b.period, by="carrier").frame
    t["energy_meter"] = energy_result(b.store, b.period, by="meter").frame
    t["coverage"] = rt.coverage(t["energy_meter"])
    t["coverage_below"] = rt.below_target(t["coverage"], coverage_min_pct(b.store))
    t["load_profile"] = rt.load_profile(b.store, b.period)
    b.data.values["load_grid"] = rt.load_grid(t["load_profile"])
    t["tou"], note = rt.time_of_use(b.store.park().tariff, t["load_profile"])
    b.data.notes["tou"] = [note]


# --------------------------------------------------------------------------- resources
def waste_result(b: Build, window: Period):
    """``waste_rates`` of a window (computed once per store: see ``waste_rates``)."""
    from greenpark.metrics.waste import waste_rates

    return waste_rates(b.store, window)


def resources(b: Build) -> None:
    """Waste rates (month and year to date, or the year), water and waste heat, resource
    indicators."""
    from greenpark.metrics.resources import resource_indicators, resources_table

    t = b.data.tables
    _prime_waste(b)
    shown = [b.windows["month"], b.windows["ytd"]] if b.kind == "monthly" else [b.period]
    try:
        results = [waste_result(b, w) for w in shown]
    except GreenparkError as exc:
        b.unavailable("waste", exc)
    else:
        t["waste"] = _concat([r.frame for r in results])
        for r in results:
            b.add("waste", r.findings)
    table = resources_table(b.store, b.year)
    t["resources"] = table.frame
    indicators = resource_indicators(b.store, b.year)
    t["resource_indicators"] = indicators.frame
    b.add("resources", table.findings + indicators.findings)


def _prime_waste(b: Build) -> None:
    """Sum the waste ledger of every period the report asks rates of in one query: the
    comparison windows, the year (resource indicators) and the zero-carbon indicators'
    period."""
    from greenpark.metrics.waste import prime_rates
    from greenpark.metrics.zerocarbon.common import indicator_period

    zero_carbon = indicator_period(b.windows["month" if b.kind == "monthly" else "year"])
    prime_rates(b.store, [*b.windows.values(), b.year, zero_carbon])


def waste_rates_by_window(b: Build) -> dict[str, float]:
    """Industrial solid waste comprehensive utilization rate of every window. [%]"""
    out = {}
    for name, window in b.windows.items():
        try:
            frame = waste_result(b, window).frame
        except GreenparkError:
            out[name] = math.nan
            continue
        out[name] = float(frame["industrial_utilization_rate_pct"].iloc[0])
    return out


def _concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


# ----------------------------------------------------------------------------------- PV
def pv(b: Build) -> None:
    """The stored rooftop-PV estimate's value for the year (``greenpark pv value``), if an
    estimate is stored; otherwise a finding saying what is missing."""
    from greenpark.metrics.pv.value import pv_value

    try:
        result = pv_value(b.store, b.year)
    except GreenparkError as exc:
        b.unavailable("pv", exc)
        return
    b.data.tables["pv_value"] = result.frame
    b.add("pv", result.findings)


def pv_monthly(b: Build) -> None:
    """Metered vs modelled generation of the existing PV per month (the 12 months ending
    with the period's last month), with the self-consumed share from the monthly series."""
    from greenpark.metrics.pv.performance import performance_months

    months = Period.rolling12(b.period.last, b.period.timezone).months
    try:  # one model run over the 12 months' hours
        results = performance_months(
            b.store, [Period.month(month, b.period.timezone) for month in months]
        )
    except GreenparkError as exc:
        b.unavailable("pv", exc)
        return
    rows = [
        {
            "month": f"{month:%Y-%m}",
            "actual_kwh": float(result.frame["actual_kwh"].sum(min_count=1)),
            "expected_kwh": float(result.frame["expected_kwh"].sum(min_count=1)),
        }
        for month, result in zip(months, results, strict=True)
    ]
    b.add("pv", results[-1].findings)
    b.data.tables["pv_monthly"] = rt.pv_monthly(rows, b.data.tables["series"])


# --------------------------------------------------------------------------- zero carbon


def zero_carbon(b: Build) -> None:
    """Zero-carbon indicators of the period (a month: the rolling 12 months ending with
    it) and the trajectory to the target year."""
    from greenpark.metrics.zerocarbon import indicators_result, trajectory_result
    from greenpark.metrics.zerocarbon.bases import BASES_COLUMNS, basis_findings

    try:
        result = indicators_result(b.store, b.windows["month" if b.kind == "monthly" else "year"])
    except GreenparkError as exc:
        b.unavailable("zero_carbon", exc)
        return
    b.data.tables["zero_carbon"] = result.frame
    bases = result.tables["core_bases"]
    # the four bases as reported, less their note (the coal-rate finding, in every language)
    b.data.tables["zero_carbon_bases"] = bases[[c for c in BASES_COLUMNS if c != "note"]]
    b.data.notes["zero_carbon"] = [result.inputs.get("definition", "")]
    b.add("zero_carbon", result.findings + basis_findings(bases, result.inputs["status_basis"]))
    try:
        trajectory = trajectory_result(b.store, b.month)
    except GreenparkError as exc:
        b.unavailable("trajectory", exc)
        return
    b.data.tables["trajectory"] = trajectory.frame
    b.add("trajectory", trajectory.findings)


def year_progress(b: Build) -> None:
    """An annual report's year toward the zero-carbon thresholds: for each month of the
    year, the rolling 12 months' tCO2/tce (from the trajectory) and clean energy share,
    beside their thresholds."""
    import pandas as pd

    t = b.data.tables
    if b.kind != "annual" or "trajectory" not in t or "zero_carbon" not in t:
        return
    months = [f"{m:%Y-%m}" for m in b.year.months]
    traj = t["trajectory"]
    traj = traj[(traj["kind"] == "actual") & traj["month"].isin(months)]
    clean = t["zero_carbon"].set_index("indicator_id")
    clean_threshold = (
        float(clean.loc["clean_energy_share", "threshold"])
        if ("clean_energy_share" in clean.index)
        else math.nan
    )
    shares = [
        _clean_share(b, Period.rolling12(Period.month(m).last, b.period.timezone))
        for m in traj["month"]
    ]
    t["year_progress"] = pd.DataFrame(
        {
            "month": list(traj["month"]),
            "tco2_per_tce": list(traj["tco2_per_tce"]),
            "threshold": list(traj["threshold"]),
            "clean_energy_share_pct": shares,
            "clean_energy_threshold_pct": clean_threshold,
        }
    )


def _clean_share(b: Build, window: Period) -> float:
    """Clean energy share of a window with the indicator system's own function. [%]"""
    from greenpark.metrics.carbon.ledger import ledger_for
    from greenpark.metrics.zerocarbon.system import clean_energy_tce

    try:
        lines = ledger_for(b.store, window).lines
    except GreenparkError:
        return math.nan
    clean = clean_energy_tce(b.store, lines, b.store.park().zero_carbon)
    return 100.0 * safe_divide(clean, float(lines["energy_tce"].sum()))


def clean_shares(b: Build) -> dict[str, float]:
    """Clean energy share (zero-carbon indicator system) of the windows that show it: the
    period's from its indicator table, the others from their ledger slices with the
    indicator system's own clean-energy function. [%]"""
    out = {}
    for name in CLEAN_SHARE_WINDOWS:
        if name not in b.windows:
            continue
        if name in ("month", "year"):
            out[name] = _indicator_value(b.data.tables.get("zero_carbon"), "clean_energy_share")
            continue
        window = b.windows[name]
        if window.kind == "month":  # the indicator system's month: its rolling 12 months
            window = Period.rolling12(window.last, window.timezone)
        out[name] = _clean_share(b, window)
    return out


def _indicator_value(frame, indicator_id: str) -> float:
    """The value of one indicator of a zero-carbon indicator table (NaN without it)."""
    if frame is None:
        return math.nan
    rows = frame[frame["indicator_id"] == indicator_id]
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


# ------------------------------------------------------------------------------ quality
def quality(b: Build) -> None:
    """Data-quality findings of the period's readings (and the waste ledger)."""
    from greenpark.metrics.quality import data_quality

    result = data_quality(b.store, b.period)
    b.data.tables["quality"] = result.frame
    b.add("quality", result.findings)
