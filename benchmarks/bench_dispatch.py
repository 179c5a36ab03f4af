#!/usr/bin/env python
"""Benchmark: optimal storage dispatch for a year of 15-minute data (35,040 intervals).

Round by round, interleaved (so that machine load hits both alike):

(a) the anchor: the same battery and load under a time-of-use tariff without a demand
    charge (the LP without the 35,040 maximum-demand rows and 12 monthly columns);
(b) :func:`greenpark.metrics.plan.dispatch.dispatch` under a tariff with a critical
    peak in summer and a demand charge: the full LP, built and solved (HiGHS), and both
    bills.

Load: the demo park's 2025 metered load and PV (``reports/demo-park.duckdb``, built by
``greenpark demo``) when it exists, else a deterministic synthetic year. Target (issue 16,
item 2): (b)'s median <= 10 s. Prints medians and peak RSS; exit status 1 when the target
is missed, 0 otherwise.

Usage::

    python benchmarks/bench_dispatch.py
    python benchmarks/bench_dispatch.py --repeat 5 --synthetic
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

TARGET_S = 10.0
DEMO_DB = Path("reports/demo-park.duckdb")
TARIFF = {
    "peak_hours": [[8, 11], [17, 22]],
    "flat_hours": [[11, 17], [22, 24]],
    "valley_hours": [[0, 8]],
    "critical_peak_months": [7, 8],
    "critical_peak_hours": [[19, 21]],
    "peak_cny_per_kwh": 1.08,
    "flat_cny_per_kwh": 0.65,
    "valley_cny_per_kwh": 0.27,
}


def year_of_data(synthetic: bool):
    """(load, pv, months, hours, month_index) for 35,040 quarter-hours. [kWh]"""
    import numpy as np

    if not synthetic and DEMO_DB.exists():
        from greenpark.core.periods import Period
        from greenpark.metrics.plan.inputs import interval_data
        from greenpark.store import open_store

        with open_store(DEMO_DB, read_only=True) as store:
            data = interval_data(store, Period.year(2025, store.park().timezone))
        if len(data.load_kwh) == 35_040:
            return (
                data.load_kwh,
                data.pv_existing_kwh,
                data.months,
                data.hours,
                data.month_index,
                "demo park 2025",
            )
    t = np.arange(35_040)
    hours = (t // 4) % 24
    month_index = np.minimum(t // 2920, 11)
    rng = np.random.default_rng(16)
    load_kw = 5000 + 2000 * np.sin((hours - 6) / 24 * 2 * np.pi) + rng.normal(0, 300, t.size)
    pv_kw = np.clip(1500 * np.sin((hours - 6) / 12 * np.pi), 0, None)
    return load_kw * 0.25, pv_kw * 0.25, month_index + 1, hours, month_index, "synthetic"


def timed(load, pv, months, hours, month_index, demand: float) -> float:
    from greenpark.core.config.tariffs import tariff
    from greenpark.metrics.plan.dispatch import Battery, dispatch
    from greenpark.metrics.plan.tariff import period_codes

    t = tariff({"tariff": {**TARIFF, "demand_charge_cny_per_kw_month": demand}})
    codes = period_codes(months, hours, t)
    battery = Battery(energy_kwh=8000.0, power_kw=4000.0)
    started = time.perf_counter()
    dispatch(load, pv, codes, month_index, t, battery, 0.25)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--synthetic", action="store_true", help="ignore the demo database")
    args = parser.parse_args(argv)
    *data, label = year_of_data(args.synthetic)
    anchor, full = [], []
    for _ in range(args.repeat):
        anchor.append(timed(*data, demand=0.0))
        full.append(timed(*data, demand=40.0))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    a, b = statistics.median(anchor), statistics.median(full)
    print(f"data: {label}, {len(data[0]):,} intervals, {args.repeat} rounds")
    print(f"(a) time-of-use only          median {a:6.2f} s  {[round(x, 2) for x in anchor]}")
    print(f"(b) + critical peak + demand  median {b:6.2f} s  {[round(x, 2) for x in full]}")
    print(f"peak RSS {rss_mb:,.0f} MB; target (b) <= {TARGET_S:g} s")
    if b > TARGET_S:
        print(f"FAIL: {b:.2f} s > {TARGET_S:g} s")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
