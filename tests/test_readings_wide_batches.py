"""Wide files over WIDE_BATCH_COLUMNS meter columns: unpivoted in batches, same result."""

import pytest
from conftest import write

from greenpark.core.errors import InputError
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.loaders.readings_job import WIDE_BATCH_COLUMNS

N_METERS = 1200  # three batches of 500, 500 and 200


def wide_file(tmp_path, bad_cell: tuple[int, int] | None = None):
    """timestamp + W0..W1199, 3 rows; the value of meter i on row r is i + r / 4."""
    lines = ["timestamp," + ",".join(f"W{i}" for i in range(N_METERS))]
    for r in range(3):
        cells = [str(i + r / 4) for i in range(N_METERS)]
        if bad_cell and bad_cell[0] == r:
            cells[bad_cell[1]] = "abc"
        lines.append(f"2025-01-01 0{r}:00," + ",".join(cells))
    return write(tmp_path / "wide.csv", "\n".join(lines) + "\n")


@pytest.fixture
def wide_store(store, tmp_path):
    rows = "".join(f"W{i},electricity,submeter,kWh\n" for i in range(N_METERS))
    load_meters(store, write(tmp_path / "wide_meters.csv", "meter_id,carrier,role,unit\n" + rows))
    return store


def test_wide_file_in_batches_loads_every_cell(wide_store, tmp_path):
    assert N_METERS > 2 * WIDE_BATCH_COLUMNS
    result = load_readings(wide_store, wide_file(tmp_path))[0]
    assert (result.status, result.rows_inserted, result.meters) == ("loaded", 3600, 1200)
    count, total = wide_store.con.execute("SELECT count(*), sum(value) FROM readings").fetchone()
    # sum over i < 1200 and r < 3 of (i + r / 4) = 3 * 1199 * 1200 / 2 + 1200 * 0.75
    assert count == 3600
    assert total == pytest.approx(2_158_200 + 900)
    # meter W1100 (third batch), row 2: 1100.5 at 02:00 Asia/Shanghai = 18:00 UTC the day before
    ts, value = wide_store.con.execute(
        "SELECT strftime(r.ts, '%Y-%m-%d %H:%M'), r.value FROM readings r "
        "JOIN meters m USING (meter_key) WHERE m.meter_id = 'W1100' ORDER BY r.ts DESC LIMIT 1"
    ).fetchone()
    assert (ts, value) == ("2024-12-31 18:00", 1100.5)


def test_bad_cell_in_a_later_batch_is_named_by_line_and_column(wide_store, tmp_path):
    with pytest.raises(InputError) as info:
        load_readings(wide_store, wide_file(tmp_path, bad_cell=(1, 1100)))
    text = str(info.value)
    assert "line 3" in text and "W1100" in text and "abc" in text
    assert wide_store.con.execute("SELECT count(*) FROM readings").fetchone()[0] == 0
