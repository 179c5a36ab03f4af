"""``greenpark init``: create or upgrade the database and store the park's configuration."""

from __future__ import annotations

import datetime as dt

from greenpark.core.config import ParkConfig, load_park_config
from greenpark.core.errors import GreenparkError
from greenpark.store import open_store


def init_park(db_path: str, config_path: str) -> tuple[ParkConfig, list[int]]:
    """Create (or migrate) the database at ``db_path`` and store ``config_path`` in it.

    Re-running with the same park is safe; a different park id is refused (one database
    per park), and a changed timezone is refused once readings exist.

    Returns
    -------
    (ParkConfig, list of int)
        The park and the schema versions applied now.
    """
    park = load_park_config(config_path)
    with open_store(db_path, create=True) as store:
        applied = store.migrate()
        con = store.con
        old = con.execute("SELECT park_id, timezone FROM park").fetchone()
        if old and old[0] != park.id:
            raise GreenparkError(
                f"{db_path} holds park {old[0]!r}, not {park.id!r}: use one database per park"
            )
        has_data = con.execute("SELECT count(*) FROM load_log WHERE kind = 'readings'").fetchone()[
            0
        ]
        if old and old[1] != park.timezone and has_data:
            raise GreenparkError(
                f"{config_path}: park.timezone cannot change from {old[1]} to "
                f"{park.timezone} once readings are loaded"
            )
        with store.transaction():
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
