"""Distributed wind benchmark: ``greenpark wind estimate`` against a per-site windpowerlib
ModelChain loop, in the same run, interleaved.

On the same sites and the same weather (the demo park's typical year,
``datasets/demo-park/weather_suzhou_tmy.epw``, 8,760 hours, wind speed at 10 m):

1. **anchor** - for every site, ``windpowerlib.WindTurbine(hub_height, turbine_type)``
   (the shipped OEDB library) and ``ModelChain(turbine).run_model(weather)`` on the
   MultiIndex weather frame windpowerlib expects; the annual energy summed;
2. **greenpark** - ``greenpark.metrics.wind.estimate.wind_estimate`` on a park database
   holding those sites and that weather, end to end (sites and weather read from DuckDB,
   the model, the monthly table and the hourly profile), its cache dropped before each
   run; and the vectorised model alone (``run_sites``);
3. **correctness** - the per-turbine power of every site and hour equal to the anchor's
   within 1e-9 W (reported: the largest absolute difference).

Sites: ``--sites`` (default 100) single-turbine sites, turbine types drawn from the
library's types with a power curve, hub heights between 0.6 and 1.4 rotor diameters
(each above half the rotor), roughness from the European Wind Atlas classes; several
sites share a configuration, as on a real park.

Target (issue 17): greenpark <= 2 s for 100 sites x 8,760 h, power equal within 1e-9 W.
The ratio anchor / greenpark is reported. Exits 1 when a target is missed.

Usage::

    python benchmarks/bench_wind.py               # 100 sites, 3 interleaved rounds
    python benchmarks/bench_wind.py --sites 300 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
EPW = ROOT / "datasets" / "demo-park" / "weather_suzhou_tmy.epw"
TARGET_SECONDS = 2.0
TARGET_ABS_W = 1e-9
PARK_TOML = """\
[park]
id = "bench-wind"
name = "Wind benchmark park"
timezone = "Asia/Shanghai"
latitude = 31.30
longitude = 120.70
altitude_m = 5
province = "Jiangsu"
"""


def make_sites(n: int, seed: int = 17) -> pd.DataFrame:
    """``n`` single-turbine sites with library types, valid hub heights, EWA roughness."""
    from greenpark.metrics.wind.resource import TERRAIN_CLASSES
    from greenpark.metrics.wind.turbines import turbine_types

    rng = np.random.default_rng(seed)
    types = turbine_types()
    types = types[types["has_power_curve"] & types["rotor_diameter_m"].notna()]
    pick = types.sample(n=min(12, len(types)), random_state=seed).reset_index(drop=True)
    chosen = pick.iloc[rng.integers(0, len(pick), n)].reset_index(drop=True)
    rotor = chosen["rotor_diameter_m"].to_numpy()
    hub = np.round(rotor * rng.choice([0.6, 0.8, 1.0, 1.2, 1.4], n))
    classes = rng.choice(["1", "1.5", "2", "2.5", "3"], n)
    return pd.DataFrame(
        {
            "site_id": [f"W{i:04d}" for i in range(n)],
            "turbine_type": chosen["turbine_type"],
            "hub_height_m": hub,
            "turbine_count": 1,
            "roughness_length_m": [TERRAIN_CLASSES[c][0] for c in classes],
            "availability_pct": 100.0,
            "other_losses_pct": 0.0,
        }
    )


def build_db(workdir: Path, sites: pd.DataFrame) -> Path:
    from greenpark.loaders.weather import load_weather
    from greenpark.loaders.wind_sites import load_wind_sites
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = workdir / "wind.duckdb"
    toml = workdir / "park.toml"
    toml.write_text(PARK_TOML, encoding="utf-8")
    sites_csv = workdir / "sites.csv"
    sites.to_csv(sites_csv, index=False)
    init_park(str(db), toml)
    with open_store(db) as store:
        load_wind_sites(store, sites_csv)
        load_weather(store, EPW)
    return db


def weather_frame(store):
    """The stored weather as windpowerlib's MultiIndex frame (one roughness per site is
    set inside the loop)."""
    from greenpark.metrics.wind.model import ChainOptions, modelchain_weather
    from greenpark.metrics.wind.resource import stored_resource

    res = stored_resource(store)
    return res, modelchain_weather(res, float("nan"), ChainOptions())


def run_round(store, sites, res, weather_df):
    from windpowerlib import ModelChain, WindTurbine

    from greenpark.metrics.wind.estimate import resolve_sites, stored_sites, wind_estimate
    from greenpark.metrics.wind.model import run_sites

    # anchor: one ModelChain per site, its roughness set in the weather frame
    started = time.perf_counter()
    anchor = np.empty((len(res.index), len(sites)))
    for k, site in enumerate(sites.itertuples()):
        frame = weather_df.copy()
        frame[("roughness_length", 0)] = site.roughness_length_m
        turbine = WindTurbine(hub_height=site.hub_height_m, turbine_type=site.turbine_type)
        anchor[:, k] = ModelChain(turbine).run_model(frame).power_output.to_numpy()
    anchor_s = time.perf_counter() - started

    store.forget()
    started = time.perf_counter()
    result = wind_estimate(store)
    greenpark_s = time.perf_counter() - started

    resolved = resolve_sites(stored_sites(store.con), [])
    started = time.perf_counter()
    per_turbine_w, _ = run_sites(res, resolved)
    model_s = time.perf_counter() - started
    order = [list(resolved["site_id"]).index(s) for s in sites["site_id"]]
    diff = float(np.max(np.abs(per_turbine_w[:, order] - anchor)))
    return anchor_s, greenpark_s, model_s, diff, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    import greenpark as gp

    sites = make_sites(args.sites)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp), sites)
        with gp.open_store(db, read_only=True) as store:
            res, weather_df = weather_frame(store)
            rounds = [run_round(store, sites, res, weather_df) for _ in range(args.rounds)]
    anchor_s = statistics.median(r[0] for r in rounds)
    greenpark_s = statistics.median(r[1] for r in rounds)
    model_s = statistics.median(r[2] for r in rounds)
    diff = max(r[3] for r in rounds)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    report = {
        "sites": args.sites,
        "hours": len(res.index),
        "rounds": args.rounds,
        "anchor_modelchain_loop_s": anchor_s,
        "greenpark_wind_estimate_s": greenpark_s,
        "greenpark_model_only_s": model_s,
        "speedup_end_to_end": anchor_s / greenpark_s,
        "speedup_model_only": anchor_s / model_s,
        "max_abs_power_diff_w": diff,
        "peak_rss_mb": rss_mb,
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=1))
    missed = []
    if greenpark_s > TARGET_SECONDS * args.sites / 100:
        missed.append(f"greenpark {greenpark_s:.2f} s > {TARGET_SECONDS:g} s per 100 sites")
    if diff > TARGET_ABS_W:
        missed.append(f"power differs from ModelChain by {diff:g} W > {TARGET_ABS_W:g} W")
    for line in missed:
        print(f"FAIL: {line}", file=sys.stderr)
    if not missed:
        print(
            f"OK: {args.sites} sites x {len(res.index)} h in {greenpark_s:.3f} s "
            f"(ModelChain loop {anchor_s:.2f} s, {anchor_s / greenpark_s:.1f}x); "
            f"max |diff| {diff:g} W"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
