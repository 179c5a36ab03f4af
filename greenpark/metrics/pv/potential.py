"""Rooftop PV potential for every roof of the park: the ``greenpark pv estimate`` orchestrator.

Reads the roofs and a weather set from the park database, runs the vectorised model of
:mod:`greenpark.metrics.pv.model` once per profile class, and stores the results (per roof, per
month, hourly per class and for the park) as the park's current PV estimate.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from greenpark.core.errors import ConfigError, GreenparkError
from greenpark.metrics.pv.model import SYSTEM_COLUMNS

SCREENING_LABEL = "screening estimate"
FULL_YEAR_HOURS = (8760, 8784)
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
MONTH_COLUMNS = tuple(f"energy_m{m:02d}_kwh" for m in range(1, 13))
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
class Weather:
    """Hourly weather chosen for a model run.

    Attributes
    ----------
    data : pandas.DataFrame
        Index: UTC hour starts; ``ghi``, ``dni``, ``dhi``, ``temp_air``, ``wind_speed``.
    label : str
        What it is (file name, or ``screening estimate ...``).
    weather_id : int or None
        Row of ``weather_sets`` (None for a screening estimate).
    screening : bool
        Clear-sky x monthly clearness indices, not measured or typical-year data.
    typical_year : bool
    """

    data: object
    label: str
    weather_id: int | None
    screening: bool
    typical_year: bool


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
    findings : list of dict
        ``code`` and ``message``.
    assumptions : list of dict
        Settings used, each with its source.
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

    def notes(self) -> list[str]:
        """Lines for the CLI under the table."""
        lines = [f"weather: {self.weather.label}"]
        if self.weather.screening:
            lines.insert(
                0,
                f"{SCREENING_LABEL.upper()}: clear-sky irradiance scaled by "
                "monthly clearness indices from park.toml, not weather data",
            )
        lines += [f"[{f['code']}] {f['message']}" for f in self.findings]
        shown = [
            a
            for a in self.assumptions
            if a["confidence"] != "park"
            and (self.weather.screening or "screening" not in a["setting"])
        ]
        return lines + [assumption_text(a) for a in shown]


def assumption_text(a: dict) -> str:
    """One setting as a note: ``pv.x = 1.2 unit (source, confidence)``."""
    value = a["value"]
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{a['setting']} = {text} {a['unit']} ({a['source']}; {a['confidence']})".replace(
        "  ", " "
    )


# ---------------------------------------------------------------------------------------
# Roofs -> systems and profile classes
# ---------------------------------------------------------------------------------------


def read_roofs(con, roof_ids=None):
    """Stored roofs (all, or the ids given) as a DataFrame.

    Raises
    ------
    GreenparkError
        No roofs loaded, or an id that is not stored.
    """
    frame = con.execute("SELECT * EXCLUDE (load_id) FROM roofs ORDER BY roof_id").df()
    if frame.empty:
        raise GreenparkError("no roofs loaded: run 'greenpark load roofs FILE' first")
    if roof_ids:
        unknown = sorted(set(roof_ids) - set(frame["roof_id"]))
        if unknown:
            raise GreenparkError(
                f"--roof {unknown[0]}: no such roof (stored: "
                f"{', '.join(frame['roof_id'][:10])}"
                f"{' ...' if len(frame) > 10 else ''})"
            )
        frame = frame[frame["roof_id"].isin(roof_ids)].reset_index(drop=True)
    return frame


def roof_systems(roofs, settings):
    """Capacity and model parameters of each roof, and its profile class.

    capacity_kwp = area_m2 x usable_fraction x power density of the mounting;
    new_capacity_kwp = max(capacity_kwp - existing_pv_kwp, 0).

    Parameters
    ----------
    roofs : pandas.DataFrame
        Stored roofs.
    settings : greenpark.core.config.pv.PvSettings

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Roofs with ``mounting``, ``usable_fraction``, ``capacity_kwp``,
        ``new_capacity_kwp``, ``profile_id`` and :data:`SYSTEM_COLUMNS`; and the profile
        classes (one row per ``profile_id``).
    """
    import numpy as np

    from greenpark.metrics.pv.model import sapm_parameters

    out = roofs.copy()
    default_mounting = np.where(out["roof_type"] == "flat", "racked", "flush")
    out["mounting"] = out["mounting"].where(out["mounting"].notna(), default_mounting)
    out["usable_fraction"] = out["usable_fraction"].fillna(settings.usable_fraction)
    out["existing_pv_kwp"] = out["existing_pv_kwp"].fillna(0.0)
    racked = out["mounting"] == "racked"
    density = np.where(
        racked, settings.power_density_racked_kw_per_m2, settings.power_density_flush_kw_per_m2
    )
    out["capacity_kwp"] = out["area_m2"] * out["usable_fraction"] * density
    out["new_capacity_kwp"] = (out["capacity_kwp"] - out["existing_pv_kwp"]).clip(lower=0.0)
    temp = {
        m: sapm_parameters(getattr(settings, f"temperature_model_{m}")) for m in ("racked", "flush")
    }
    for key, col in (("a", "temp_a"), ("b", "temp_b"), ("deltaT", "temp_delta_t")):
        out[col] = np.where(racked, temp["racked"][key], temp["flush"][key])
    for col in (
        "albedo",
        "gamma_pdc_per_k",
        "system_losses_pct",
        "dc_ac_ratio",
        "inverter_efficiency",
    ):
        out[col] = getattr(settings, col)
    out["profile_id"] = out.groupby(list(SYSTEM_COLUMNS), sort=True).ngroup() + 1
    classes = (
        out.drop_duplicates("profile_id")
        .sort_values("profile_id")
        .set_index("profile_id")[list(SYSTEM_COLUMNS)]
    )
    return out, classes


# ---------------------------------------------------------------------------------------
# Weather
# ---------------------------------------------------------------------------------------


def read_weather_set(con, weather_id: int) -> Weather:
    """A stored weather set by id."""
    import pandas as pd

    row = con.execute(
        "SELECT name, typical_year, hours FROM weather_sets WHERE weather_id = ?", [weather_id]
    ).fetchone()
    if row is None:
        raise GreenparkError(f"--weather {weather_id}: no such weather set")
    data = con.execute(
        "SELECT ts, ghi_w_per_m2 AS ghi, dni_w_per_m2 AS dni, dhi_w_per_m2 AS dhi, "
        "temp_air_degc AS temp_air, wind_speed_m_per_s AS wind_speed FROM weather_hourly "
        "WHERE weather_id = ? ORDER BY ts",
        [weather_id],
    ).df()
    data.index = pd.DatetimeIndex(data.pop("ts")).tz_localize("UTC")
    label = f"weather set {weather_id}: {row[0]}" + (" (typical year)" if row[1] else "")
    return Weather(data, label, weather_id, False, bool(row[1]))


def choose_weather(store, park, settings, which: str | None = None) -> Weather:
    """The weather for an annual estimate.

    Parameters
    ----------
    which : str, optional
        A weather set id; ``pvgis`` (download once, then the cached set); ``screening``;
        or None: the newest full-year typical set, else the newest full-year measured
        set, else a screening estimate.
    """
    if which == "screening":
        return screening(park, settings)
    if which == "pvgis":
        return pvgis_weather(store, park)
    if which not in (None, "auto"):
        try:
            weather_id = int(which)
        except ValueError:
            raise GreenparkError(
                f"--weather {which!r}: give a weather set id, 'pvgis' or 'screening'"
            ) from None
        return _full_year(read_weather_set(store.con, weather_id))
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE hours IN (8760, 8784) "
        "ORDER BY typical_year DESC, weather_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return screening(park, settings)
    return read_weather_set(store.con, row[0])


def _full_year(weather: Weather) -> Weather:
    if len(weather.data) not in FULL_YEAR_HOURS:
        raise GreenparkError(
            f"{weather.label} covers {len(weather.data)} hours; an annual "
            "estimate needs a full year (8760 or 8784 hours)"
        )
    return weather


def screening(park, settings) -> Weather:
    """Clear-sky x monthly clearness indices for the park's location (typical year)."""
    import pandas as pd

    from greenpark.io.weather import TYPICAL_YEAR
    from greenpark.metrics.pv.model import midpoints, screening_weather, sun_geometry

    if settings.screening_clearness_index is None:
        raise ConfigError(
            "no weather loaded and no pv.screening_clearness_index in "
            "park.toml: load a weather file ('greenpark load weather FILE'), "
            "use --weather pvgis, or give 12 monthly clearness indices for a "
            "screening estimate"
        )
    starts = pd.date_range(f"{TYPICAL_YEAR}-01-01", periods=8760, freq="1h", tz="UTC", name="ts")
    sun = sun_geometry(midpoints(starts), park.latitude, park.longitude, park.altitude_m)
    data = screening_weather(
        sun,
        park.latitude,
        park.longitude,
        park.altitude_m,
        settings.screening_clearness_index,
        settings.screening_temp_air_degc,
        settings.screening_wind_speed_m_per_s,
    )
    data.index = starts
    label = (
        f"{SCREENING_LABEL}: Ineichen clear sky x monthly clearness indices "
        f"{list(settings.screening_clearness_index)}"
    )
    return Weather(data, label, None, True, True)


def pvgis_weather(store, park) -> Weather:
    """The cached PVGIS TMY for the park's location, downloading it the first time."""
    row = store.con.execute(
        "SELECT weather_id FROM weather_sets WHERE source_format = 'pvgis_api' "
        "AND abs(latitude - ?) < 0.01 AND abs(longitude - ?) < 0.01 "
        "ORDER BY weather_id DESC LIMIT 1",
        [park.latitude, park.longitude],
    ).fetchone()
    if row is not None:
        return read_weather_set(store.con, row[0])
    from greenpark.loaders.weather import store_downloaded

    try:
        from greenpark.io.weather import get_pvgis_tmy

        data, meta = get_pvgis_tmy(park.latitude, park.longitude)
    except Exception as exc:  # noqa: BLE001 - network errors of any kind
        raise GreenparkError(
            f"PVGIS download failed ({type(exc).__name__}: {exc}); load a "
            "weather file with 'greenpark load weather FILE' instead"
        ) from None
    weather_id = store_downloaded(store, data, meta)
    return read_weather_set(store.con, weather_id)


# ---------------------------------------------------------------------------------------
# Estimate
# ---------------------------------------------------------------------------------------


def local_months(ts_utc, timezone: str, typical_year: bool):
    """Month (1-12) of each hour in park time; typical years use the zone's standard
    offset (they are not real dates, so no daylight saving applies)."""

    if typical_year:
        offset = _standard_offset(timezone)
        return (ts_utc + offset).month.to_numpy()
    return ts_utc.tz_convert(timezone).month.to_numpy()


def _standard_offset(timezone: str):
    from zoneinfo import ZoneInfo

    import pandas as pd

    zone = ZoneInfo(timezone)
    jan, jul = (dt.datetime(2025, m, 1, tzinfo=zone).utcoffset() for m in (1, 7))
    return pd.Timedelta(min(jan, jul))


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
    """Monthly energy per kWp of each class, and the hourly profiles (via ``on_chunk``).

    Returns
    -------
    (numpy.ndarray, int)
        Monthly energy per kWp, shape (12, classes) [kWh/kWp]; and the number of
        undefined plane-of-array values set to 0.
    """
    import numpy as np

    from greenpark.metrics.pv.model import simulate

    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    monthly = np.zeros((12, len(classes)))
    zeroed = 0
    for start, ac, _poa, bad in simulate(
        sun, weather, classes, transposition, chunk_size, progress
    ):
        # Sum each run of equal months, then add the runs into their month's row.
        np.add.at(
            monthly[:, start : start + ac.shape[1]],
            months[starts] - 1,
            np.add.reduceat(ac, starts, axis=0),
        )
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
    from greenpark.core.config.pv import PV_DEFAULTS, assumptions

    park = store.park()
    settings = park.pv
    roofs, classes = roof_systems(read_roofs(store.con, roof_ids), settings)
    wx = choose_weather(store, park, settings, weather)
    saver = _Saver(store, wx, classes) if save else None
    try:
        result = _estimate(park, settings, roofs, classes, wx, chunk_size, progress, saver)
        result.assumptions = assumptions(settings, PV_DEFAULTS, "pv")
        if saver:
            result.run_id = saver.finish(result)
    except BaseException:
        if saver:
            saver.discard()
        raise
    return result


def _estimate(park, settings, roofs, classes, wx: Weather, chunk_size, progress, saver):
    import numpy as np

    from greenpark.metrics.pv.model import daylight_hours, midpoints, sun_geometry

    data = wx.data
    daylight = daylight_hours(data)
    sun = sun_geometry(
        midpoints(data.index),
        park.latitude,
        park.longitude,
        park.altitude_m,
        data["temp_air"].to_numpy(),
    )
    months = local_months(data.index, park.timezone, wx.typical_year)
    kwp = roofs.groupby("profile_id")[["capacity_kwp", "new_capacity_kwp"]].sum()
    kwp = kwp.reindex(classes.index).to_numpy()
    hourly = np.zeros((len(data), 2))

    def on_chunk(start, ac):
        hourly[:] += ac @ kwp[start : start + ac.shape[1]]
        if saver:
            saver.profiles(start, ac, data.index, daylight)

    monthly, zeroed = run_model(
        sun, data, classes, settings.transposition, months, chunk_size, progress, on_chunk
    )
    frame = roof_results(roofs, monthly, len(data))
    findings = _roof_findings(roofs)
    if zeroed:
        findings.append(
            {
                "code": "pv.poa_undefined",
                "message": f"{zeroed} plane-of-array "
                "value(s) undefined (sunrise/sunset with DHI = 0) set to 0",
            }
        )
    import pandas as pd

    hourly_frame = pd.DataFrame(hourly, index=data.index, columns=["ac_kwh", "new_ac_kwh"])
    return Estimate(frame, park_row(frame, len(data), wx), hourly_frame, wx, findings=findings)


def roof_results(roofs, monthly_per_kwp, hours: int):
    """Per-roof table from the class results.

    annual_energy_kwh = capacity_kwp x sum of the class's monthly kWh/kWp;
    specific_yield = annual / capacity; capacity_factor = annual / (capacity x hours).
    """
    import numpy as np

    from greenpark.metrics.pv.model import capacity_factor_pct

    out = roofs.copy()
    per_kwp = monthly_per_kwp[:, out["profile_id"].to_numpy() - 1]  # (12, roofs)
    for m, col in enumerate(MONTH_COLUMNS):
        out[col] = per_kwp[m] * out["capacity_kwp"].to_numpy()
    out["annual_energy_kwh"] = out[list(MONTH_COLUMNS)].sum(axis=1)
    out["new_annual_energy_kwh"] = per_kwp.sum(axis=0) * out["new_capacity_kwp"].to_numpy()
    cap = out["capacity_kwp"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["specific_yield_kwh_per_kwp"] = np.where(
            cap > 0, out["annual_energy_kwh"] / cap, np.nan
        )
    out["capacity_factor_pct"] = capacity_factor_pct(out["annual_energy_kwh"], cap, hours)
    return out[[*ROOF_COLUMNS, *MONTH_COLUMNS, "profile_id"]].reset_index(drop=True)


def park_row(frame, hours: int, wx: Weather):
    """One-row park total of a per-roof table."""
    import numpy as np
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
    row["specific_yield_kwh_per_kwp"] = row["annual_energy_kwh"] / cap if cap > 0 else np.nan
    row["capacity_factor_pct"] = float(capacity_factor_pct(row["annual_energy_kwh"], cap, hours))
    row["weather"] = wx.label
    row["estimate_kind"] = SCREENING_LABEL if wx.screening else "weather data"
    return pd.DataFrame([row])


def _roof_findings(roofs) -> list[dict]:
    out = []
    zero = roofs[roofs["capacity_kwp"] <= 0]
    if len(zero):
        out.append(
            {
                "code": "pv.no_capacity",
                "message": f"{len(zero)} roof(s) with zero "
                f"usable capacity (e.g. {zero['roof_id'].iloc[0]}): yield is n/a",
            }
        )
    over = roofs[roofs["existing_pv_kwp"] > roofs["capacity_kwp"] + 1e-9]
    if len(over):
        out.append(
            {
                "code": "pv.existing_exceeds_potential",
                "message": f"{len(over)} "
                f"roof(s) carry more existing PV than the estimated potential (e.g. "
                f"{over['roof_id'].iloc[0]}): check usable_fraction or power density",
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# Storage of the current estimate
# ---------------------------------------------------------------------------------------

# Profile rows inserted per committed transaction: bounds DuckDB's transaction-local memory
# (about 100 bytes a row) while keeping the number of commits small.
PROFILE_ROWS_PER_COMMIT = 2_500_000
RESULT_TABLES = ("pv_roof_results", "pv_roof_monthly", "pv_profiles", "pv_park_hourly")


def _delete_runs(con, where: str, params=()) -> None:
    """Delete result rows of some runs (``where`` is a fixed SQL fragment from code)."""
    for table in RESULT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE {where}", list(params))  # noqa: S608


class _Saver:
    """Stores one run so that the database always holds one complete estimate.

    Profiles are committed chunk by chunk under a new run id (bounded memory however many
    classes there are); the last transaction writes the ``pv_runs`` row and the other
    result tables and deletes the previous run. Until then readers see the previous run
    (the newest ``pv_runs`` row); rows of a run that never finished are deleted by
    :meth:`discard` or by the next estimate.
    """

    def __init__(self, store, wx: Weather, classes):
        self.store, self.con, self.wx, self.classes = store, store.con, wx, classes
        self.pending = []
        with store.transaction() as con:
            _delete_runs(con, "run_id NOT IN (SELECT run_id FROM pv_runs)")
            self.run_id = con.execute(
                "SELECT coalesce(max(run_id), 0) + 1 FROM pv_runs"
            ).fetchone()[0]

    def discard(self) -> None:
        import contextlib

        with contextlib.suppress(Exception), self.store.transaction() as con:
            _delete_runs(con, "run_id NOT IN (SELECT run_id FROM pv_runs)")

    def profiles(self, start: int, ac, index, daylight) -> None:
        """Queue a chunk of class profiles: daylight hours only (other hours are 0)."""
        import numpy as np
        import pyarrow as pa

        part = ac[daylight]
        n_hours, n = part.shape
        self.pending.append(
            pa.table(
                {
                    "profile_id": np.repeat(
                        self.classes.index.to_numpy()[start : start + n], n_hours
                    ),
                    "ts": np.tile(index[daylight].tz_localize(None).to_numpy(), n),
                    "value": np.ascontiguousarray(part.T).ravel(),
                }
            )
        )
        if sum(t.num_rows for t in self.pending) >= PROFILE_ROWS_PER_COMMIT:
            self.flush()

    def flush(self) -> None:
        """Insert the queued profiles in one committed transaction."""
        import pyarrow as pa

        if not self.pending:
            return
        table, self.pending = pa.concat_tables(self.pending), []
        with self.store.transaction() as con:
            con.execute("SELECT NULL").fetchall()
            con.register("gp_pv_profiles", table)
            try:
                con.execute(
                    "INSERT INTO pv_profiles SELECT ?, profile_id, ts, value FROM gp_pv_profiles",
                    [self.run_id],
                )
            finally:
                con.unregister("gp_pv_profiles")

    def finish(self, result: Estimate) -> int:
        self.flush()
        with self.store.transaction() as con:
            self._write(con, result)
            _delete_runs(con, "run_id <> ?", [self.run_id])
        return self.run_id

    def _write(self, con, result: Estimate) -> None:
        import pandas as pd

        from greenpark.store import register_frame

        run = self.run_id
        params = {
            "settings": {a["setting"]: a["value"] for a in result.assumptions},
            "findings": result.findings,
        }
        con.execute(
            "INSERT INTO pv_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                run,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                self.wx.weather_id,
                self.wx.label,
                self.wx.screening,
                len(result.roofs),
                json.dumps(params, default=str),
            ],
        )
        roofs = result.roofs
        frames = {
            "pv_roof_results": roofs[
                ["roof_id", "profile_id", "capacity_kwp", "new_capacity_kwp", "annual_energy_kwh"]
            ],
            "pv_roof_monthly": roofs.melt(
                "roof_id", list(MONTH_COLUMNS), "month", "energy_kwh"
            ).assign(month=lambda f: f["month"].str[8:10].astype(int)),
            "pv_park_hourly": pd.DataFrame(
                {
                    "ts": result.hourly.index.tz_localize(None),
                    "ac_kwh": result.hourly["ac_kwh"].to_numpy(),
                    "new_ac_kwh": result.hourly["new_ac_kwh"].to_numpy(),
                }
            ),
        }
        for table, frame in frames.items():
            register_frame(con, "gp_pv_rows", frame)
            try:
                cols = ", ".join(frame.columns)
                con.execute(
                    f"INSERT INTO {table} SELECT ?, {cols} FROM gp_pv_rows",  # noqa: S608
                    [run],
                )
            finally:
                con.unregister("gp_pv_rows")


# ---------------------------------------------------------------------------------------
# Demo park
# ---------------------------------------------------------------------------------------

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
