"""Rooftop PV defaults (issue 13, item 9), by hand: setbacks/obstacles and row spacing each
counted once, tilt-0 arrays flush, the PVWatts version of the temperature coefficient."""

import math

import pandas as pd
import pytest

from greenpark.core.config.pv import pv_settings
from greenpark.metrics.pv.roofs import roof_systems


def roofs(*rows):
    columns = ["roof_id", "area_m2", "tilt_deg", "azimuth_deg", "roof_type", "usable_fraction"]
    frame = pd.DataFrame([r[:6] for r in rows], columns=columns)
    return frame.assign(
        building_id="B",
        enterprise_id="E",
        mounting=[None if len(r) < 7 else r[6] for r in rows],
        existing_pv_kwp=math.nan,
        capex_cny_per_kwp=math.nan,
    )


def test_each_allowance_counted_once():
    frame = roofs(
        ("FLAT", 1000.0, 10.0, 180.0, "flat", math.nan),  # racked: REopt per m2 of roof
        ("PITCHED", 1000.0, 25.0, 180.0, "pitched", math.nan),  # flush: coverage x module
        ("LEVEL", 1000.0, 0.0, 180.0, "flat", math.nan),  # tilt 0: flush, not racked
        ("OWN", 1000.0, 10.0, 180.0, "flat", 0.5),  # the roof's own fraction
    )
    got = roof_systems(frame, pv_settings(""))[0].set_index("roof_id")
    # racked: 0.30 of the roof available for PV (setbacks, obstacles) x REopt's 0.108 kW
    # per m2 of available roof (row spacing) = 32.4 kWp
    assert got.loc["FLAT", "capacity_kwp"] == pytest.approx(1000 * 0.30 * 0.108)
    assert got.loc["PITCHED", "capacity_kwp"] == pytest.approx(1000 * 0.30 * 0.20)  # 60 kWp
    assert got.loc["LEVEL", "mounting"] == "flush"
    assert got.loc["LEVEL", "capacity_kwp"] == pytest.approx(1000 * 0.30 * 0.20)
    assert got.loc["OWN", "capacity_kwp"] == pytest.approx(1000 * 0.5 * 0.108)  # 54 kWp
    # REopt's density is per m2 of roof *available for PV siting* (its roof_squarefeet), so
    # it holds spacing, not setbacks: the usable fraction counts those once, for both mountings


def test_an_explicit_racked_array_at_tilt_0_is_flush():
    frame = roofs(("R", 100.0, 0.0, 180.0, "flat", 1.0, "racked"))
    got = roof_systems(frame, pv_settings(""))[0].iloc[0]
    assert got["mounting"] == "flush" and got["capacity_kwp"] == pytest.approx(100 * 1.0 * 0.20)


@pytest.mark.parametrize(
    ("text", "gamma"),
    [
        ("", -0.0047),  # PVWatts v5 standard module, the default
        ('[pv]\npvwatts_version = "v8"\n', -0.0037),  # PVWatts v8 standard module
        ('[pv]\npvwatts_version = "v8"\ngamma_pdc_per_k = -0.003\n', -0.003),  # given wins
    ],
)
def test_the_pvwatts_version_chooses_the_temperature_coefficient(text, gamma):
    assert pv_settings(text).gamma_pdc_per_k == gamma


def test_defaults_relied_on_are_findings():
    from greenpark.metrics.pv.roofs import default_findings

    frame = roofs(
        ("FLAT", 1000.0, 10.0, 180.0, "flat", math.nan),
        ("LEVEL", 1000.0, 0.0, 180.0, "flat", math.nan),  # tilt 0: flush density
        ("OWN", 1000.0, 25.0, 180.0, "pitched", 0.5),
    )
    settings = pv_settings("")
    got = {f.code: f for f in default_findings(frame, roof_systems(frame, settings)[0], settings)}
    assert got["pv.default_usable_fraction"].data["roofs"] == 2  # FLAT, LEVEL
    assert got["pv.default_usable_fraction"].data["racked_roofs"] == 1  # FLAT
    assert got["pv.assumed_flush_density"].data == {"roofs": 2, "value": 0.20}  # LEVEL, OWN
    given = pv_settings("[pv]\npower_density_flush_kw_per_m2 = 0.18\n")
    codes = [f.code for f in default_findings(frame, roof_systems(frame, given)[0], given)]
    assert codes == ["pv.default_usable_fraction"]
