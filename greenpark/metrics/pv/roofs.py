"""Roofs -> PV systems: capacity of each roof and its profile class (roofs that share an
orientation and mounting share one modelled profile per kWp)."""

from __future__ import annotations

from greenpark.core.errors import GreenparkError
from greenpark.metrics.pv.model import SYSTEM_COLUMNS


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
    new_capacity_kwp = max(capacity_kwp - existing_pv_kwp, 0). A tilt-0 array is flush (no
    rows to space); a roof without its own usable fraction takes the mounting's default
    (``usable_fraction`` for flush, ``usable_fraction_racked`` for racked arrays).

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
    import pandas as pd

    from greenpark.metrics.pv.model import sapm_parameters

    out = roofs.copy()
    default_mounting = np.where(out["roof_type"] == "flat", "racked", "flush")
    out["mounting"] = out["mounting"].where(out["mounting"].notna(), default_mounting)
    out["mounting"] = out["mounting"].where(out["tilt_deg"] > 0, "flush")
    racked = out["mounting"] == "racked"
    default_fraction = np.where(racked, settings.usable_fraction_racked, settings.usable_fraction)
    out["usable_fraction"] = out["usable_fraction"].fillna(pd.Series(default_fraction, out.index))
    out["existing_pv_kwp"] = out["existing_pv_kwp"].fillna(0.0)
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


def default_findings(raw, systems, settings) -> list:
    """Findings for the roof defaults an estimate relies on: roofs without their own
    usable fraction (``pv.default_usable_fraction``: the programme minimum, conservative)
    and flush arrays at greenpark's own module density when ``[pv]
    power_density_flush_kw_per_m2`` is not set (``pv.assumed_flush_density``).

    Parameters
    ----------
    raw : pandas.DataFrame
        The stored roofs (before defaults).
    systems : pandas.DataFrame
        :func:`roof_systems` roofs.
    settings : greenpark.core.config.pv.PvSettings
    """
    from greenpark.core.findings import Finding

    out = []
    own = raw.set_index("roof_id")["usable_fraction"]
    defaulted = systems[systems["roof_id"].map(own).isna().to_numpy()]
    if len(defaulted):
        racked = defaulted["mounting"] == "racked"
        out.append(
            Finding(
                "pv.default_usable_fraction",
                f"{len(defaulted)} roof(s) without their own usable fraction take the default "
                f"{settings.usable_fraction:g} (flush) / {settings.usable_fraction_racked:g} "
                "(racked) of roof area available for PV: the 2021 county-wide rooftop PV "
                "programme's minimum for industrial & commercial roofs, conservative; set "
                "usable_fraction per roof for a survey's value",
                severity="info",
                data={
                    "roofs": len(defaulted),
                    "flush": float(settings.usable_fraction),
                    "racked": float(settings.usable_fraction_racked),
                    "racked_roofs": int(racked.sum()),
                },
            )
        )
    flush = systems[systems["mounting"] == "flush"]
    if len(flush) and "power_density_flush_kw_per_m2" not in settings.from_config:
        out.append(
            Finding(
                "pv.assumed_flush_density",
                f"{len(flush)} flush roof(s) (incl. tilt-0 arrays) at "
                f"{settings.power_density_flush_kw_per_m2:g} kW/m2 of module area: greenpark's "
                "assumption (modules of ~20 % STC efficiency, no row spacing; no sourced value): "
                "set [pv] power_density_flush_kw_per_m2",
                data={"roofs": len(flush), "value": settings.power_density_flush_kw_per_m2},
            )
        )
    return out
