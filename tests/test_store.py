import duckdb
import pytest

from greenpark.core.errors import GreenparkError
from greenpark.store import open_store
from greenpark.store.migrations import LATEST_VERSION, MIGRATIONS
from greenpark.store.park import init_park


def test_init_creates_schema_and_park(tmp_path, park_toml):
    path = tmp_path / "p.duckdb"
    park, applied = init_park(str(path), park_toml())
    assert applied == [version for version, _, _ in MIGRATIONS]
    con = duckdb.connect(str(path), read_only=True)
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "park",
        "meters",
        "readings",
        "register_readings",
        "load_log",
        "schema_version",
    } <= tables
    assert con.execute("SELECT park_id, timezone, province FROM park").fetchall() == [
        ("test-park", "Asia/Shanghai", "Jiangsu")
    ]
    con.close()


def test_init_again_is_a_no_op(tmp_path, park_toml):
    path = tmp_path / "p.duckdb"
    init_park(str(path), park_toml())
    _, applied = init_park(str(path), park_toml())
    assert applied == []
    with open_store(path) as store:
        assert store.con.execute("SELECT count(*) FROM park").fetchone()[0] == 1
        assert store.schema_version() == LATEST_VERSION


def test_one_database_per_park(tmp_path, park_toml):
    path = tmp_path / "p.duckdb"
    init_park(str(path), park_toml())
    other = tmp_path / "other.toml"
    other.write_text(park_toml().read_text().replace('"test-park"', '"other"'))
    with pytest.raises(GreenparkError, match="holds park 'test-park'"):
        init_park(str(path), other)


def test_open_missing_database_says_run_init(tmp_path):
    with pytest.raises(GreenparkError, match="greenpark.*init"):
        open_store(tmp_path / "nope.duckdb")


def test_transaction_rolls_back_on_error(store):
    before = store.con.execute("SELECT count(*) FROM meters").fetchone()[0]
    with pytest.raises(ZeroDivisionError), store.transaction():
        store.con.execute("DELETE FROM meters")
        1 / 0  # noqa: B018
    assert store.con.execute("SELECT count(*) FROM meters").fetchone()[0] == before
