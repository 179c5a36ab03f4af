"""PV profiles stored as one array per class (migration 34): old databases keep working."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from greenpark.store import open_store
from greenpark.store.migrations import MIGRATIONS


def test_migration_34_converts_profile_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version ("
        "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
    )
    for version, description, statements in MIGRATIONS:
        if version >= 34:
            continue
        for sql in statements:
            con.execute(sql)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)", [version, description]
        )
    t = [dt.datetime(2025, 6, 1, h) for h in (4, 5, 6)]
    # run 3: class 1 has all three daylight hours, class 2 only the last two
    rows = [(3, 1, t[0], 0.1), (3, 1, t[1], 0.25), (3, 1, t[2], 0.5)]
    rows += [(3, 2, t[1], 0.125), (3, 2, t[2], 0.375)]
    con.executemany("INSERT INTO pv_profiles VALUES (?, ?, ?, ?)", rows)
    con.close()
    with open_store(path) as store:
        assert 34 in store.migrate()
        hours = store.con.execute("SELECT run_id, ts FROM pv_profile_hours").fetchall()
        assert hours == [(3, t)]
        values = store.con.execute(
            "SELECT profile_id, ac_kwh_per_kwp FROM pv_profile_values ORDER BY profile_id"
        ).fetchall()
        assert values == [(1, [0.1, 0.25, 0.5]), (2, [0.0, 0.125, 0.375])]
        view = store.con.execute(
            "SELECT run_id, profile_id, ts, ac_kwh_per_kwp FROM pv_profiles ORDER BY ALL"
        ).fetchall()
        assert view == sorted(rows + [(3, 2, t[0], 0.0)])
        total = store.con.execute("SELECT sum(ac_kwh_per_kwp) FROM pv_profiles").fetchone()[0]
        assert total == pytest.approx(0.1 + 0.25 + 0.5 + 0.125 + 0.375)


def test_plan_reads_the_stored_profiles(tmp_path):
    """The planner's new-PV series over a whole year = the park's hourly new output."""
    from types import SimpleNamespace

    import pandas as pd
    from test_pv_estimate import make_store

    from greenpark.metrics.plan.inputs import new_pv_kwh
    from greenpark.metrics.pv.potential import estimate

    with make_store(tmp_path) as store:
        result = estimate(store)
        roofs = result.roofs[["roof_id", "profile_id", "new_capacity_kwp"]]
        hours = store.con.execute("SELECT len(ts) FROM pv_profile_hours").fetchone()[0]
        cells = store.con.execute("SELECT sum(len(ac_kwh_per_kwp)) FROM pv_profile_values")
        assert cells.fetchone()[0] == 2 * hours  # two classes: R1 and R3 share one
        park_new = store.con.execute("SELECT sum(new_ac_kwh) FROM pv_park_hourly").fetchone()[0]
        data = SimpleNamespace(
            ts_utc=pd.date_range("2025-01-01", periods=8760, freq="1h", tz="UTC"), step_h=1.0
        )
        series = new_pv_kwh(store, roofs, data)
        assert len(series) == 8760
        assert series.sum() == pytest.approx(park_new, rel=1e-12)
        only_r2 = new_pv_kwh(store, roofs[roofs["roof_id"] == "R2"], data).sum()
        r2 = result.roofs.set_index("roof_id").loc["R2"]
        assert only_r2 == pytest.approx(r2["new_annual_energy_kwh"], rel=1e-12)
