"""Property tests: whatever the input, a clean error or a correct load, never an exception.

Bounded for the normal run (a few seconds); ``GREENPARK_FUZZ=long`` selects a longer
profile (hundreds of examples per property) for a soak run.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import duckdb
import pytest
from db_helpers import make_park
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenpark.core.errors import GreenparkError
from greenpark.core.units import UnitError, factor_to
from greenpark.io.numbers import NumberFormat, number_sql, parse_number
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.loaders.waste import load_water_monthly
from greenpark.store import open_store

settings.register_profile(
    "normal", max_examples=15, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=400, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile("long" if os.environ.get("GREENPARK_FUZZ") == "long" else "normal")

NUMBERISH = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**20), 10**20).map(str),
    st.text(alphabet="0123456789.,-+eE_ 　１２inf", max_size=12),
    st.sampled_from(["1,5", "1,2,3", "1e308", "1e999", "nan", "", "１２", "1_000", "\x00"]),
)
TIMESTAMPISH = st.one_of(
    st.datetimes().map(lambda t: t.strftime("%Y-%m-%d %H:%M")),
    st.datetimes().map(lambda t: t.isoformat() + "Z"),
    st.datetimes().map(lambda t: t.strftime("%Y/%m/%d %H:%M:%S+05:30")),
    st.text(alphabet="0123456789-:/ TZ+年月日x", max_size=25),
)
CELL = st.text(max_size=12)


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@pytest.fixture(scope="module")
def park(tmp_path_factory) -> Path:
    return make_park(tmp_path_factory.mktemp("fuzz") / "park")


# ------------------------------------------------------------------------ grammars
@given(st.text(alphabet="kWhMGJm3*/()^ 0123456789.e-+度万", max_size=30))
def test_unit_parser_gives_a_finite_factor_or_a_unit_error(text):
    try:
        factor = factor_to(text, "kWh")
    except UnitError:
        return
    assert math.isfinite(factor) and factor > 0


_CON = duckdb.connect()


@given(NUMBERISH, st.sampled_from([NumberFormat(), NumberFormat(","), NumberFormat(".", ",")]))
def test_python_and_sql_number_grammars_agree(text, fmt):
    try:
        expected = parse_number(text, fmt)
    except ValueError:
        expected = None
    sql = f"SELECT {number_sql('x', fmt)} FROM (SELECT ?::VARCHAR AS x)"  # noqa: S608
    assert _CON.execute(sql, [text]).fetchone()[0] == expected


# ------------------------------------------------------------------------- loaders
@given(
    st.lists(
        st.tuples(st.sampled_from(["M1", "M2", "G1", "X", ""]), TIMESTAMPISH, NUMBERISH),
        min_size=1,
        max_size=6,
    )
)
def test_readings_load_cleanly_or_fail_cleanly(park, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("r") / "readings.csv"
    path.write_bytes(csv_bytes(["meter_id", "timestamp", "value"], [list(r) for r in rows]))
    with open_store(park) as store:
        try:
            (result,) = load_readings(store, path)
        except GreenparkError:
            return
        assert result.rows_inserted <= len(rows)
        bad = store.con.execute(
            "SELECT count(*) FROM readings WHERE NOT isfinite(value) OR value IS NULL"
        ).fetchone()[0]
        assert bad == 0


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ABC123-_", min_size=0, max_size=4),
            st.sampled_from(["electricity", "natural_gas", "water", "coal", "x"]),
            st.sampled_from(["grid_import", "submeter", "fuel", "bad"]),
            st.one_of(st.sampled_from(["kWh", "MWh", "m3", "度", "9**9**9 kWh", "("]), CELL),
            st.one_of(NUMBERISH, st.just("")),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_meters_load_cleanly_or_fail_cleanly(park, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("m") / "meters.csv"
    header = ["meter_id", "carrier", "role", "unit", "multiplier"]
    path.write_bytes(csv_bytes(header, [list(r) for r in rows]))
    with open_store(park) as store:
        try:
            load_meters(store, path)
        except GreenparkError:
            return
        factors = store.con.execute("SELECT to_canonical, multiplier FROM meters").fetchall()
        assert all(math.isfinite(f) and f > 0 and math.isfinite(m) and m > 0 for f, m in factors)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["2025-01", "2025-13", "2025-06xyz", "2025/2"]), CELL),
            NUMBERISH,
            NUMBERISH,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_table_loader_loads_cleanly_or_fails_cleanly(park, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("w") / "water.csv"
    header = ["month", "fresh_water_m3", "reused_water_m3"]
    path.write_bytes(csv_bytes(header, [list(r) for r in rows]))
    with open_store(park) as store:
        try:
            load_water_monthly(store, path)
        except GreenparkError:
            return
        values = store.con.execute(
            "SELECT fresh_water_m3, reused_water_m3 FROM water_monthly"
        ).fetchall()
        assert all(v is None or math.isfinite(v) for row in values for v in row)
