"""A re-export (same rows, new bytes) and a partly changed one, compared with the stored
rows in several batches of meters (the fast path's overlap check)."""

import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders import readings_fast
from greenpark.loaders.readings import ReadingsOptions, load_readings

# Three meters x four quarter hours; IMP and EXP in kWh, S2 kWh with multiplier 80.
ROWS = [
    (meter, f"2025-01-01 0{h // 4}:{15 * (h % 4):02d}", f"{1 + h + 10 * m}")
    for m, meter in enumerate(["IMP", "EXP", "S2"])
    for h in range(4)
]


def csv_text(rows, newline="\n") -> str:
    lines = ["meter_id,timestamp,value", *(",".join(r) for r in rows)]
    return newline.join(lines) + newline


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    # 4 new rows a batch: each meter is compared on its own (three batches).
    monkeypatch.setattr(readings_fast, "COMPARE_ROWS_PER_BATCH", 4)


def test_reexport_with_crlf_is_unchanged(store, tmp_path):
    load_readings(store, write(tmp_path / "a.csv", csv_text(ROWS)))
    before = store.con.execute("SELECT * FROM readings ORDER BY ALL").fetchall()
    result = load_readings(store, write(tmp_path / "b.csv", csv_text(ROWS, "\r\n")))[0]
    assert (result.status, result.rows_in_file, result.rows_inserted) == ("unchanged", 12, 0)
    assert result.rows_unchanged == 12
    assert result.load_id is None
    assert store.con.execute("SELECT * FROM readings ORDER BY ALL").fetchall() == before
    logged = "SELECT count(*) FROM load_log WHERE kind = 'readings'"
    assert store.con.execute(logged).fetchone()[0] == 1


def test_changed_value_in_a_later_batch(store, tmp_path):
    load_readings(store, write(tmp_path / "a.csv", csv_text(ROWS)))
    changed = [*ROWS[:-1], ("S2", ROWS[-1][1], "99")]  # S2's last value 24 -> 99
    path = write(tmp_path / "b.csv", csv_text(changed, "\r\n"))
    with pytest.raises(InputError):
        load_readings(store, path)
    result = load_readings(store, path, ReadingsOptions(replace=True))[0]
    assert (result.rows_unchanged, result.rows_replaced, result.rows_inserted) == (11, 1, 1)
    # S2 has multiplier 80: 99 x 80 = 7920 kWh stored.
    value = store.con.execute(
        "SELECT value FROM readings JOIN meters USING (meter_key) "
        "WHERE meter_id = 'S2' AND ts = TIMESTAMP '2025-01-01 00:45' - INTERVAL 8 HOUR"
    ).fetchone()[0]
    assert value == pytest.approx(7920.0)
