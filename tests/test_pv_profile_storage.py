"""PV profiles stored as one array per class: migration 18 keeps an older database's rows."""

import datetime as dt

import duckdb

from greenpark.store.migrations import MIGRATIONS


def test_migration_18_turns_profile_rows_into_arrays():
    con = duckdb.connect()
    for version, _, statements in MIGRATIONS:
        if version == 18:
            break
        for sql in statements:
            con.execute(sql)
    t0, t1 = dt.datetime(2025, 6, 1, 4), dt.datetime(2025, 6, 1, 5)
    # Class 1 has both hours, class 2 only the second: its first hour becomes 0.
    con.execute(
        "INSERT INTO pv_profiles VALUES (3, 1, ?, 0.25), (3, 1, ?, 0.5), (3, 2, ?, 0.75)",
        [t0, t1, t1],
    )
    for sql in dict((v, s) for v, _, s in MIGRATIONS)[18]:
        con.execute(sql)
    assert con.execute("SELECT * FROM pv_profile_hours").fetchall() == [(3, [t0, t1])]
    assert con.execute("SELECT * FROM pv_profile_values ORDER BY profile_id").fetchall() == [
        (3, 1, [0.25, 0.5]),
        (3, 2, [0.0, 0.75]),
    ]
    assert con.execute("SELECT * FROM pv_profiles ORDER BY ALL").fetchall() == [
        (3, 1, t0, 0.25),
        (3, 1, t1, 0.5),
        (3, 2, t0, 0.0),
        (3, 2, t1, 0.75),
    ]
