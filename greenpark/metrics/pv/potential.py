"""Rooftop PV potential for every roof of the park: the ``greenpark pv estimate`` orchestrator.

Reads the roofs (:mod:`.roofs`) and a weather set (:mod:`.weather`) from the park
database, runs the vectorised model of :mod:`greenpark.metrics.pv.model` once per profile
class, and stores the results (:mod:`.storage`: per roof, per month, hourly per class and
for the park) as the park's current PV estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from greenpark.core.config.pv import PV_DEFAULTS, assumptions
from greenpark.core.findings import Finding, Result
from greenpark.core.numeric import safe_divide
from greenpark.metrics.pv.roofs import default_findings, read_roofs, roof_systems
from greenpark.metrics.pv.storage import (
    MONTH_COLUMNS,
    PROFILE_VALUES_PER_COMMIT,
    RESULT_TABLES,
    Saver,
    delete_runs,
)
from greenpark.metrics.pv.weather import (
    FULL_YEAR_HOURS,
    SCREENING_LABEL,
    Weather,
    choose_weather,
    local_months,
    pvgis_weather,
    read_weather_set,
    screening,
)

__all__ = [
    "FULL_YEAR_HOURS",
    "MONTH_COLUMNS",
    "PROFILE_VALUES_PER_COMMIT",
    "RESULT_TABLES",
    "ROOF_COLUMNS",
    "SCREENING_LABEL",
    "SUMMARY_COLUMNS",
    "Estimate",
    "Weather",
    "assumption_notes",
    "assumption_text",
    "choose_weather",
    "delete_runs",
    "estimate",
    "estimate_result",
    "load_pv_demo",
    "local_months",
    "park_row",
    "pvgis_weather",
    "read_roofs",
    "read_weather_set",
    "roof_results",
    "roof_systems",
    "run_model",
    "screening",
]

ROOF_COLUMNS = (
    "roof_id",
    "building_id",
    "enterprise_id",
    "roof_type",
    "mounting",
    "area_m2",
    "usable_fraction",
    "tilt_deg",
    "azimuth_deg",
    "capacity_kwp",
    "existing_pv_kwp",
    "new_capacity_kwp",
    "annual_energy_kwh",
    "new_annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "capacity_factor_pct",
)
SUMMARY_COLUMNS = (
    "roofs",
    "area_m2",
    "capacity_kwp",
    "existing_pv_kwp",
    "new_capacity_kwp",
    "annual_energy_kwh",
    "new_annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "capacity_factor_pct",
    "estimate_kind",
)


@dataclass
class Estimate:
    """Result of :func:`estimate`.

    Attributes
    ----------
    roofs : pandas.DataFrame
        :data:`ROOF_COLUMNS` + :data:`MONTH_COLUMNS`, one row per roof.
    park : pandas.DataFrame
        One row: totals for the roofs estimated.
    hourly : pandas.DataFrame
        Index: UTC hour start; ``ac_kwh`` (all capacity), ``new_ac_kwh`` (new capacity).
    weather : Weather
    run_id : int or None
        Row of ``pv_runs`` when stored.
    findings : list of Finding
    assumptions : list of dict
        Settings used, each with its source (see
        :func:`greenpark.core.config.pv.assumptions`).
    """

    roofs: object
    park: object
    hourly: object
    weather: Weather
    run_id: int | None = None
    findings: list = field(default_factory=list)
    assumptions: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return SCREENING_LABEL if self.weather.screening else "estimate"

    def summary(self):
        """The park row, compact: what ``greenpark demo`` prints."""
        return self.park[list(SUMMARY_COLUMNS)]

    def with_park_row(self):
        """Per-roof rows and a last row ``roof_id = 'park'`` with the totals; every row
        says whether it is a screening estimate (``estimate_kind``)."""
        import pandas as pd

        park = self.park.drop(columns=["roofs", "weather"]).assign(roof_id="park")
        frame = pd.concat([self.roofs.drop(columns=["profile_id"]), park], ignore_index=True)
        frame["estimate_kind"] = self.park["estimate_kind"].iloc[0]
        frame["profile_id"] = pd.concat(
            [self.roofs["profile_id"], pd.Series([pd.NA])], ignore_index=True
        ).astype("Int64")
        return frame

    def all_findings(self) -> list[Finding]:
        """The screening label (first, when it is one) and the model's findings."""
        return ([screening_finding()] if self.weather.screening else []) + list(self.findings)

    def assumption_notes(self) -> list[str]:
        """The settings that are not the park's own, as note lines (screening settings
        only for a screening estimate)."""
        shown = [
            a for a in self.assumptions if self.weather.screening or "screening" not in a["setting"]
        ]
        return assumption_notes(shown)

    def to_result(self) -> Result:
        """The estimate as a Result: ``frame`` = :meth:`with_park_row`; tables ``roofs``,
        ``park`` and ``summary``; inputs ``weather``, ``weather_id``, ``screening``,
        ``estimate_kind``, ``run_id``, ``assumptions``."""
        inputs = {
            "weather": self.weather.label,
            "weather_id": self.weather.weather_id,
            "screening": self.weather.screening,
            "estimate_kind": self.label,
            "run_id": self.run_id,
            "assumptions": list(self.assumptions),
        }
        tables = {"roofs": self.roofs, "park": self.park, "summary": self.summary()}
        return Result(self.with_park_row(), self.all_findings(), inputs, tables)

    def notes(self) -> list[str]:
        """Lines under a table: the screening label, the weather, the findings and the
        assumptions."""
        found = self.all_findings()
        lines = [f"weather: {self.weather.label}"]
        if self.weather.screening:
            lines.insert(0, found.pop(0).message)
        return lines + [str(f) for f in found] + self.assumption_notes()


def screening_finding() -> Finding:
    """What a screening estimate is, said first under its table."""
    return Finding(
        "pv.screening",
        f"{SCREENING_LABEL.upper()}: clear-sky irradiance scaled by monthly clearness "
        "indices from park.toml, not weather data",
    )


def assumption_notes(assumptions: list[dict]) -> list[str]:
    """:func:`assumption_text` of each setting not given by the park itself."""
    return [assumption_text(a) for a in assumptions if a["confidence"] != "park"]


def assumption_text(a: dict) -> str:
    """One setting as a note: ``pv.x = 1.2 unit (source, confidence)``."""
    value = a["value"]
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{a['setting']} = {text} {a['unit']} ({a['source']}; {a['confidence']})".replace(
        "  ", " "
    )


def run_model(
    sun,
    weather,
    classes,
    transposition: str,
    months,
    chunk_size: int = 128,
    progress=None,
    on_chunk=None,
):
    """Monthly energy per kWp of each class, and the hourly profiles (via ``on_chunk``:
    ``on_chunk(first_class, ac)``, ``ac`` of the :func:`~greenpark.metrics.pv.model.\
daylight_hours` only, daylight hours x classes [kWh/kWp]).

    Returns
    -------
    (numpy.ndarray, int)
        Monthly energy per kWp, shape (12, classes) [kWh/kWp]; and the number of
        undefined plane-of-array values set to 0.
    """
    import numpy as np

    from greenpark.metrics.pv.model import daylight_hours, simulate

    months = months[daylight_hours(weather)]  # the other hours are 0
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    monthly = np.zeros((12, len(classes)))
    zeroed = 0
    for start, ac, _poa, bad in simulate(
        sun, weather, classes, transposition, chunk_size, progress, daylight_only=True
    ):
        # Sum each run of equal months, then add the runs into their month's row, in
        # order (as np.add.at would, which costs 2 ms a call for these ~13 rows).
        runs = np.add.reduceat(ac, starts, axis=0)
        for run, month in zip(runs, months[starts] - 1, strict=True):
            monthly[month, start : start + ac.shape[1]] += run
        zeroed += bad
        if on_chunk:
            on_chunk(start, ac)
    return monthly, zeroed


def estimate(
    store,
    roof_ids=None,
    weather: str | None = None,
    chunk_size: int = 128,
    progress=None,
    save: bool = True,
) -> Estimate:
    """Rooftop PV potential of every roof (or the ids given) for a typical year.

    Parameters
    ----------
    store : greenpark.store.Store
    roof_ids : list of str, optional
    weather : str, optional
        See :func:`choose_weather`.
    chunk_size : int
        Profile classes per model chunk.
    progress : callable, optional
        ``progress(done, total)`` per chunk.
    save : bool
        Store the results as the park's current estimate (replacing the previous one).

    Returns
    -------
    Estimate
    """
    park = store.park()
    settings = park.pv
    raw = read_roofs(store.con, roof_ids)
    roofs, classes = roof_systems(raw, settings)
    wx = choose_weather(store, park, settings, weather)
    saver = Saver(store, wx, classes) if save else None
    try:
        result = _estimate(park, settings, roofs, classes, wx, chunk_size, progress, saver)
        result.findings += default_findings(raw, roofs, settings)
        result.assumptions = assumptions(settings, PV_DEFAULTS, "pv")
        if saver:
            result.run_id = saver.finish(result)
    except BaseException:
        if saver:
            saver.discard()
        raise
    return result


def estimate_result(store, roof_ids=None, weather: str | None = None, **options) -> Result:
    """:func:`estimate` (stored) as a :class:`~greenpark.core.findings.Result`."""
    return estimate(store, roof_ids=roof_ids, weather=weather, **options).to_result()


def _estimate(park, settings, roofs, classes, wx: Weather, chunk_size, progress, saver):
    import numpy as np
    import pandas as pd

    from greenpark.metrics.pv.model import daylight_hours, midpoints, sun_geometry

    data = wx.data
    daylight = daylight_hours(data)
    sun = sun_geometry(
        midpoints(data.index, wx.instant_offset_min),
        park.latitude,
        park.longitude,
        park.altitude_m,
        data["temp_air"].to_numpy(),
        only=daylight,
    )
    months = local_months(data.index, park.timezone, wx.typical_year)
    kwp = roofs.groupby("profile_id")[["capacity_kwp", "new_capacity_kwp"]].sum()
    kwp = kwp.reindex(classes.index).to_numpy()
    hourly = np.zeros((len(data), 2))

    def on_chunk(start, ac):
        # einsum, not BLAS: OpenBLAS's threads spin beside the model's (measured: 0.15 s
        # of CPU for 1,000 roofs)
        hourly[daylight] += np.einsum("tc,ck->tk", ac, kwp[start : start + ac.shape[1]])
        if saver:
            saver.profiles(start, ac, data.index, daylight)

    monthly, zeroed = run_model(
        sun, data, classes, settings.transposition, months, chunk_size, progress, on_chunk
    )
    frame = roof_results(roofs, monthly, len(data))
    findings = _roof_findings(roofs)
    if zeroed:
        findings.append(
            Finding(
                "pv.poa_undefined",
                f"{zeroed} plane-of-array value(s) undefined (sunrise/sunset with DHI = 0) "
                "set to 0",
                severity="info",
                data={"values": zeroed},
            )
        )
    hourly_frame = pd.DataFrame(hourly, index=data.index, columns=["ac_kwh", "new_ac_kwh"])
    return Estimate(frame, park_row(frame, len(data), wx), hourly_frame, wx, findings=findings)


def roof_results(roofs, monthly_per_kwp, hours: int):
    """Per-roof table from the class results.

    annual_energy_kwh = capacity_kwp x sum of the class's monthly kWh/kWp;
    specific_yield = annual / capacity; capacity_factor = annual / (capacity x hours).
    """
    from greenpark.metrics.pv.model import capacity_factor_pct

    out = roofs.copy()
    per_kwp = monthly_per_kwp[:, out["profile_id"].to_numpy() - 1]  # (12, roofs)
    for m, col in enumerate(MONTH_COLUMNS):
        out[col] = per_kwp[m] * out["capacity_kwp"].to_numpy()
    out["annual_energy_kwh"] = out[list(MONTH_COLUMNS)].sum(axis=1)
    out["new_annual_energy_kwh"] = per_kwp.sum(axis=0) * out["new_capacity_kwp"].to_numpy()
    cap = out["capacity_kwp"].to_numpy()
    out["specific_yield_kwh_per_kwp"] = safe_divide(out["annual_energy_kwh"].to_numpy(), cap)
    out["capacity_factor_pct"] = capacity_factor_pct(out["annual_energy_kwh"], cap, hours)
    return out[[*ROOF_COLUMNS, *MONTH_COLUMNS, "profile_id"]].reset_index(drop=True)


def park_row(frame, hours: int, wx: Weather):
    """One-row park total of a per-roof table."""
    import pandas as pd

    from greenpark.metrics.pv.model import capacity_factor_pct

    sums = frame[
        [
            "capacity_kwp",
            "existing_pv_kwp",
            "new_capacity_kwp",
            "annual_energy_kwh",
            "new_annual_energy_kwh",
            *MONTH_COLUMNS,
        ]
    ].sum()
    cap = float(sums["capacity_kwp"])
    row = {"roofs": len(frame), "area_m2": float(frame["area_m2"].sum()), **sums.to_dict()}
    row["specific_yield_kwh_per_kwp"] = safe_divide(float(row["annual_energy_kwh"]), cap)
    row["capacity_factor_pct"] = float(capacity_factor_pct(row["annual_energy_kwh"], cap, hours))
    row["weather"] = wx.label
    row["estimate_kind"] = SCREENING_LABEL if wx.screening else "weather data"
    return pd.DataFrame([row])


def _roof_findings(roofs) -> list[Finding]:
    out = []
    zero = roofs[roofs["capacity_kwp"] <= 0]
    if len(zero):
        out.append(
            Finding(
                "pv.no_capacity",
                f"{len(zero)} roof(s) with zero usable capacity (e.g. "
                f"{zero['roof_id'].iloc[0]}): yield is n/a",
                data={"roof_ids": list(zero["roof_id"])},
            )
        )
    over = roofs[roofs["existing_pv_kwp"] > roofs["capacity_kwp"] + 1e-9]
    if len(over):
        out.append(
            Finding(
                "pv.existing_exceeds_potential",
                f"{len(over)} roof(s) carry more existing PV than the estimated potential "
                f"(e.g. {over['roof_id'].iloc[0]}): check usable_fraction or power density",
                data={"roof_ids": list(over["roof_id"])},
            )
        )
    return out


DEMO_FILES = ("roofs.csv", "weather_suzhou_tmy.epw", "weather_2025_measured.csv")


def load_pv_demo(store, data_dir) -> list:
    """Load the demo park's roofs and weather (``datasets/demo-park``).

    The meter registry must be loaded first (roofs are checked against its buildings).

    Returns
    -------
    list of LoadResult
        Roofs, typical-year weather (EPW), measured 2025 weather (plain CSV, GHI only).
    """
    from pathlib import Path

    from greenpark.loaders.roofs import load_roofs
    from greenpark.loaders.weather import load_weather

    data_dir = Path(data_dir)
    roofs, tmy, measured = (data_dir / name for name in DEMO_FILES)
    return [load_roofs(store, roofs), load_weather(store, tmy), load_weather(store, measured)]
