"""Rooftop PV benchmark: ``greenpark pv estimate`` against a per-roof pvlib ModelChain loop.

In the same run, on the same roofs and the same weather (the demo park's typical year,
``datasets/demo-park/weather_suzhou_tmy.epw``, 8,760 hours):

1. **baseline** - for every roof, a ``pvlib.modelchain.ModelChain`` with the same
   PVWatts-style configuration greenpark uses (Perez, physical IAM, SAPM cell
   temperature by mounting, PVWatts DC + ``pvwatts`` losses + PVWatts inverter),
   ``run_model`` on the hourly weather; the annual AC energy summed;
2. **greenpark** - ``greenpark.metrics.pv.potential.estimate`` on a park database holding
   those roofs and
   that weather, results stored (``save=True``: per-roof, monthly and hourly profile
   rows written to DuckDB), timed end to end; and the model alone (``save=False``);
3. **correctness** - per-roof annual energy equal within 0.1 % (reported: the largest
   relative difference).

Two roof sets of ``--roofs`` roofs each:

* ``park``: a realistic park - flat roofs racked at 10/15/20 deg facing south, pitched
  steel roofs (5.7 deg) on a street grid rotated 0/8/15 deg, both faces - so many roofs
  share an orientation (greenpark models each orientation once);
* ``unique``: the worst case - every roof a different tilt and azimuth.

Then, in a child process (for a clean peak RSS): ``--big`` roofs (default 10,000), all
with different orientations, estimated and stored; its wall time and peak RSS
(``ru_maxrss``) are reported.

Targets (issue 4): greenpark >= 40x faster than the loop, annual energy within 0.1 %,
10,000 roofs with peak RSS < 2 GB. Exits 0 unless ``--strict`` and a target is missed.

Usage::

    python benchmarks/bench_pv.py                 # 1,000 roofs x 2 sets + 10,000 roofs
    python benchmarks/bench_pv.py --roofs 100 --big 1000   # quick
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EPW = ROOT / "datasets" / "demo-park" / "weather_suzhou_tmy.epw"
TARGET_SPEEDUP = 40.0
TARGET_RTOL = 1e-3
TARGET_RSS_GB = 2.0
PARK_TOML = """\
[park]
id = "bench-pv"
name = "PV benchmark park"
timezone = "Asia/Shanghai"
latitude = 31.30
longitude = 120.70
altitude_m = 5
province = "Jiangsu"
"""


def make_roofs(n: int, kind: str, seed: int = 7) -> pd.DataFrame:
    """``n`` roofs: ``park`` (shared orientations) or ``unique`` (all different)."""
    rng = np.random.default_rng(seed)
    flat = rng.random(n) < 0.7
    if kind == "park":
        grid = rng.choice([0.0, 8.0, 15.0], n)
        tilt = np.where(flat, rng.choice([10.0, 15.0, 20.0], n), 5.7)
        face = rng.choice([0.0, 180.0], n)
        azimuth = np.where(flat, 180.0, (180.0 + grid + face) % 360)
    else:
        tilt = np.round(rng.uniform(3, 35, n), 3)
        azimuth = np.round(rng.uniform(90, 270, n), 3)
    return pd.DataFrame(
        {
            "roof_id": [f"R{i:05d}" for i in range(n)],
            "building_id": "B1",
            "enterprise_id": "E1",
            "area_m2": np.round(rng.uniform(500, 20000, n), 1),
            "tilt_deg": tilt,
            "azimuth_deg": azimuth,
            "roof_type": np.where(flat, "flat", "pitched"),
            "usable_fraction": 0.6,
        }
    )


def build_db(workdir: Path, roofs: pd.DataFrame, name: str) -> Path:
    from greenpark.loaders.roofs import load_roofs
    from greenpark.loaders.weather import load_weather
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = workdir / f"{name}.duckdb"
    toml = workdir / "park.toml"
    toml.write_text(PARK_TOML, encoding="utf-8")
    roofs_csv = workdir / f"{name}_roofs.csv"
    roofs.to_csv(roofs_csv, index=False)
    init_park(str(db), toml)
    with open_store(db) as store:
        load_roofs(store, roofs_csv)
        load_weather(store, EPW)
    return db


def modelchain_loop(roofs: pd.DataFrame, systems: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Annual AC energy per roof [kWh] from one ModelChain per roof, and the wall time."""
    from pvlib import modelchain, pvsystem
    from pvlib.location import Location

    from greenpark.core.config.pv import pv_settings
    from greenpark.io.weather import read_weather
    from greenpark.metrics.pv.model import sapm_parameters

    settings = pv_settings(PARK_TOML)
    weather, _ = read_weather(EPW)
    weather.index = weather.index + pd.Timedelta(minutes=30)  # greenpark's instants
    site = Location(31.30, 120.70, altitude=5)
    out = np.zeros(len(roofs))
    started = time.perf_counter()
    for i, roof in enumerate(systems.itertuples()):
        temp = getattr(settings, f"temperature_model_{roof.mounting}")
        pdc0 = roof.capacity_kwp * 1000.0
        system = pvsystem.PVSystem(
            surface_tilt=roof.tilt_deg,
            surface_azimuth=roof.azimuth_deg,
            albedo=settings.albedo,
            module_parameters={"pdc0": pdc0, "gamma_pdc": settings.gamma_pdc_per_k},
            inverter_parameters={
                "pdc0": pdc0 / settings.dc_ac_ratio / settings.inverter_efficiency,
                "eta_inv_nom": settings.inverter_efficiency,
            },
            temperature_model_parameters=sapm_parameters(temp),
        )
        chain = modelchain.ModelChain(
            system,
            site,
            aoi_model="physical",
            spectral_model="no_loss",
            transposition_model="perez",
            losses_model="pvwatts",
        )
        chain.run_model(weather)
        out[i] = chain.results.ac.sum() / 1000.0
    return out, time.perf_counter() - started


def run_set(workdir: Path, n: int, kind: str) -> dict:
    from greenpark.core.config.pv import pv_settings
    from greenpark.metrics.pv.potential import estimate, read_roofs, roof_systems
    from greenpark.store import open_store

    roofs = make_roofs(n, kind)
    db = build_db(workdir, roofs, kind)
    with open_store(db) as store:
        systems, classes = roof_systems(read_roofs(store.con), pv_settings(PARK_TOML))
        started = time.perf_counter()
        result = estimate(store, save=True)
        gp_s = time.perf_counter() - started
        started = time.perf_counter()
        estimate(store, save=False)
        model_s = time.perf_counter() - started
    baseline, mc_s = modelchain_loop(roofs, systems)
    ours = result.roofs.set_index("roof_id").loc[systems["roof_id"], "annual_energy_kwh"]
    rel = np.abs(ours.to_numpy() / baseline - 1.0)
    return {
        "set": kind,
        "roofs": n,
        "profile_classes": len(classes),
        "modelchain_s": round(mc_s, 2),
        "greenpark_s": round(gp_s, 3),
        "greenpark_model_only_s": round(model_s, 3),
        "speedup": round(mc_s / gp_s, 1),
        "speedup_model_only": round(mc_s / model_s, 1),
        "max_rel_diff_annual": float(rel.max()),
        "park_annual_kwh": round(float(ours.sum()), 1),
        "modelchain_park_annual_kwh": round(float(baseline.sum()), 1),
    }


def big_child(workdir: str, n: int) -> None:
    """Child process: build, estimate and store ``n`` unique-orientation roofs."""
    from greenpark.metrics.pv.potential import estimate
    from greenpark.store import open_store

    db = build_db(Path(workdir), make_roofs(n, "unique", seed=11), "big")
    with open_store(db) as store:
        started = time.perf_counter()
        result = estimate(store, save=True)
        seconds = time.perf_counter() - started
        rows = store.con.execute("SELECT count(*) FROM pv_profiles").fetchone()[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
    print(
        json.dumps(
            {
                "roofs": n,
                "estimate_s": round(seconds, 1),
                "peak_rss_gb": round(rss / 1e9, 3),
                "profile_rows": rows,
                "park_annual_kwh": round(float(result.park["annual_energy_kwh"][0]), 1),
            }
        )
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roofs", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000)
    parser.add_argument("--sets", default="park,unique")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        big_child(args.child, args.big)
        return 0
    ok = True
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory(prefix="gp-bench-pv-") as tmp:
        for kind in args.sets.split(","):
            res = run_set(Path(tmp), args.roofs, kind)
            print(json.dumps(res))
            ok &= res["speedup"] >= TARGET_SPEEDUP and res["max_rel_diff_annual"] <= TARGET_RTOL
        if args.big:
            child = subprocess.run(
                [sys.executable, __file__, "--child", tmp, "--big", str(args.big)],
                capture_output=True,
                text=True,
                check=True,
            )
            big = json.loads(child.stdout.strip().splitlines()[-1])
            print(json.dumps(big))
            ok &= big["peak_rss_gb"] < TARGET_RSS_GB
    print("targets met" if ok else "TARGET MISSED")
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
