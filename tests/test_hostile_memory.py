"""A quick subset of ``benchmarks/bench_hostile.py``: hostile inputs refused cleanly, each
greenpark process peaking below 1 GB (measured with ``os.wait4``). The full run, with
1 GB inputs, is ``python benchmarks/bench_hostile.py`` (numbers in docs/benchmarks.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def test_hostile_inputs_stay_below_1_gb(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import bench_hostile
    finally:
        sys.path.remove(str(BENCH))
    out = tmp_path / "hostile.json"
    cases = "line_after_header,zero_config,wide_10000"
    status = bench_hostile.main(["--size-mb", "8", "--cases", cases, "--json", str(out)])
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["case"] for r in results] == cases.split(",")
    for r in results:
        assert r["failure"] is None, r
        assert r["peak_rss_gb"] < 1.0 and not r["traceback"] and r["exit"] != 0, r
    assert status == 0
