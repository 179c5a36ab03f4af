"""``greenpark init``: create or upgrade the database and store the park's configuration."""

from __future__ import annotations

import datetime as dt

from greenpark.core.config import ParkConfig, load_park_config
from greenpark.core.errors import GreenparkError
from greenpark.store import open_store


def init_park(db_path: str, config_path: str) -> tuple[ParkConfig, list[int]]:
    """Create (or migrate) the database at ``db_path`` and store ``config_path`` in it.

    The whole of park.toml is validated first: a bad file is refused before the database
    is created or changed. Re-running with the same park is safe; a different park id is
    refused (one database per park), and a changed timezone is refused once readings
    exist, both before any migration.

    Returns
    -------
    (ParkConfig, list of int)
        The park and the schema versions applied now.

    Raises
    ------
    ConfigError
        park.toml has a problem (every one is listed, each naming its key).
    GreenparkError
        The database holds another park, or readings in another timezone.
    """
    park = load_park_config(config_path)
    with open_store(db_path, create=True) as store:
        if store.applied_versions():
            _check_same_park(store, park, db_path, config_path)
        applied = store.migrate()
        with store.transaction() as con:
            con.execute("DELETE FROM park")
            con.execute(
                "INSERT INTO park VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    park.id,
                    park.name,
                    park.name_zh,
                    park.timezone,
                    park.latitude,
                    park.longitude,
                    park.altitude_m,
                    park.province,
                    park.raw_toml,
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                ],
            )
    return park, applied


def _check_same_park(store, park: ParkConfig, db_path: str, config_path: str) -> None:
    """Refuse another park's id, or a new timezone once readings are loaded."""
    con = store.con
    old = con.execute("SELECT park_id, timezone FROM park").fetchone()
    if not old:
        return
    if old[0] != park.id:
        raise GreenparkError(
            f"{db_path} holds park {old[0]!r}, not {park.id!r}: use one database per park"
        )
    readings = "SELECT count(*) FROM load_log WHERE kind = 'readings'"
    if old[1] != park.timezone and con.execute(readings).fetchone()[0]:
        raise GreenparkError(
            f"{config_path}: park.timezone cannot change from {old[1]} to "
            f"{park.timezone} once readings are loaded"
        )
