"""Versioned schema migrations of the park database.

Each migration is a list of SQL statements, applied in one transaction together with the
row that records its version. Never edit a released migration: append a new one.
Timestamps in tables are UTC (``TIMESTAMP`` without zone); ``ts`` is the interval start.
"""

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "park, meters, readings, register readings, load log, findings",
        [
            """CREATE TABLE park (
                park_id VARCHAR NOT NULL,
                name VARCHAR,
                name_zh VARCHAR,
                timezone VARCHAR NOT NULL,
                latitude DOUBLE,
                longitude DOUBLE,
                altitude_m DOUBLE,
                province VARCHAR,
                config_toml VARCHAR,
                updated_at TIMESTAMP
            )""",
            """CREATE TABLE meters (
                meter_key INTEGER PRIMARY KEY,
                meter_id VARCHAR NOT NULL UNIQUE,
                name VARCHAR,
                carrier VARCHAR NOT NULL,
                role VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                canonical_unit VARCHAR NOT NULL,
                to_canonical DOUBLE NOT NULL,
                reading_type VARCHAR NOT NULL,
                multiplier DOUBLE NOT NULL,
                register_max DOUBLE,
                parent_id VARCHAR,
                enterprise_id VARCHAR,
                building_id VARCHAR
            )""",
            # value: interval quantity in the carrier's canonical unit (multiplier applied).
            # No index: uniqueness of (meter_key, ts) is enforced by the loader.
            """CREATE TABLE readings (
                meter_key INTEGER,
                ts TIMESTAMP,
                value DOUBLE,
                load_id INTEGER NOT NULL
            )""",
            # Raw cumulative readings of register meters, in the meter's own unit, before
            # the multiplier; deltas derived from them live in readings.
            """CREATE TABLE register_readings (
                meter_key INTEGER NOT NULL,
                ts TIMESTAMP NOT NULL,
                reading DOUBLE NOT NULL,
                load_id INTEGER NOT NULL
            )""",
            """CREATE TABLE load_log (
                load_id INTEGER PRIMARY KEY,
                kind VARCHAR NOT NULL,
                file_name VARCHAR NOT NULL,
                file_path VARCHAR,
                sha256 VARCHAR NOT NULL,
                options VARCHAR,
                rows_in_file BIGINT,
                rows_inserted BIGINT,
                rows_unchanged BIGINT,
                rows_replaced BIGINT,
                rows_quarantined BIGINT,
                meters INTEGER,
                ts_min TIMESTAMP,
                ts_max TIMESTAMP,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL,
                outcome VARCHAR NOT NULL,
                message VARCHAR
            )""",
            """CREATE TABLE load_findings (
                load_id INTEGER NOT NULL,
                code VARCHAR NOT NULL,
                meter_key INTEGER,
                ts TIMESTAMP,
                message VARCHAR NOT NULL
            )""",
        ],
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
