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

MIGRATIONS.append(
    (
        2,
        "enterprises, production, green power instruments, factor overrides",
        [
            """CREATE TABLE enterprises (
                enterprise_id VARCHAR NOT NULL,
                name VARCHAR,
                name_zh VARCHAR,
                industry VARCHAR,
                leading_industry BOOLEAN,
                load_id INTEGER NOT NULL
            )""",
            """CREATE TABLE production (
                enterprise_id VARCHAR NOT NULL,
                month DATE NOT NULL,
                value_added_10k_cny DOUBLE NOT NULL,
                output_quantity DOUBLE,
                output_unit VARCHAR,
                load_id INTEGER NOT NULL
            )""",
            """CREATE TABLE green_power (
                instrument_id VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                mwh DOUBLE NOT NULL,
                period_start DATE NOT NULL,
                period_end DATE NOT NULL,
                enterprise_id VARCHAR,
                vintage DATE NOT NULL,
                reference VARCHAR,
                load_id INTEGER NOT NULL
            )""",
            """CREATE TABLE factor_overrides (
                factor_key VARCHAR NOT NULL,
                value DOUBLE NOT NULL,
                unit VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                valid_from DATE NOT NULL,
                valid_to DATE NOT NULL,
                note VARCHAR,
                load_id INTEGER NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        4,
        "rooftop PV: roofs, weather, PV estimates and hourly profiles",
        [
            """CREATE TABLE roofs (
                roof_id VARCHAR NOT NULL,
                building_id VARCHAR NOT NULL,
                enterprise_id VARCHAR NOT NULL,
                area_m2 DOUBLE NOT NULL,
                tilt_deg DOUBLE NOT NULL,
                azimuth_deg DOUBLE NOT NULL,
                roof_type VARCHAR NOT NULL,
                usable_fraction DOUBLE,
                mounting VARCHAR,
                existing_pv_kwp DOUBLE,
                capex_cny_per_kwp DOUBLE,
                load_id INTEGER NOT NULL
            )""",
            # One row per weather data set (a file, a PVGIS download); ts is the UTC start
            # of each hour in weather_hourly.
            """CREATE TABLE weather_sets (
                weather_id INTEGER PRIMARY KEY,
                name VARCHAR NOT NULL,
                source_format VARCHAR NOT NULL,
                typical_year BOOLEAN NOT NULL,
                latitude DOUBLE,
                longitude DOUBLE,
                altitude_m DOUBLE,
                distance_km DOUBLE,
                ts_min TIMESTAMP,
                ts_max TIMESTAMP,
                hours INTEGER NOT NULL,
                decomposition VARCHAR,
                findings VARCHAR,
                load_id INTEGER NOT NULL
            )""",
            """CREATE TABLE weather_hourly (
                weather_id INTEGER NOT NULL,
                ts TIMESTAMP NOT NULL,
                ghi_w_per_m2 DOUBLE,
                dni_w_per_m2 DOUBLE,
                dhi_w_per_m2 DOUBLE,
                temp_air_degc DOUBLE,
                wind_speed_m_per_s DOUBLE
            )""",
            """CREATE TABLE pv_runs (
                run_id INTEGER PRIMARY KEY,
                created_at TIMESTAMP NOT NULL,
                weather_id INTEGER,
                weather_label VARCHAR NOT NULL,
                screening BOOLEAN NOT NULL,
                roofs INTEGER NOT NULL,
                parameters VARCHAR NOT NULL
            )""",
            """CREATE TABLE pv_roof_results (
                run_id INTEGER NOT NULL,
                roof_id VARCHAR NOT NULL,
                profile_id INTEGER NOT NULL,
                capacity_kwp DOUBLE NOT NULL,
                new_capacity_kwp DOUBLE NOT NULL,
                annual_energy_kwh DOUBLE NOT NULL
            )""",
            """CREATE TABLE pv_roof_monthly (
                run_id INTEGER NOT NULL,
                roof_id VARCHAR NOT NULL,
                month INTEGER NOT NULL,
                energy_kwh DOUBLE NOT NULL
            )""",
            # AC energy per kWp of one orientation/mounting class; a roof's hourly profile
            # is capacity_kwp x ac_kwh_per_kwp of its profile_id.
            """CREATE TABLE pv_profiles (
                run_id INTEGER NOT NULL,
                profile_id INTEGER NOT NULL,
                ts TIMESTAMP NOT NULL,
                ac_kwh_per_kwp DOUBLE NOT NULL
            )""",
            """CREATE TABLE pv_park_hourly (
                run_id INTEGER NOT NULL,
                ts TIMESTAMP NOT NULL,
                ac_kwh DOUBLE NOT NULL,
                new_ac_kwh DOUBLE NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        3,
        "waste ledger, monthly water, waste-heat declarations",
        [
            # Quantities as loaded, in ``unit`` (a mass); converted to t when aggregated.
            """CREATE TABLE waste_ledger (
                month DATE NOT NULL,
                enterprise_id VARCHAR NOT NULL,
                stream VARCHAR NOT NULL,
                category VARCHAR NOT NULL,
                subtype VARCHAR,
                hw_code VARCHAR,
                unit VARCHAR NOT NULL,
                generated DOUBLE NOT NULL,
                utilized DOUBLE NOT NULL,
                utilized_from_storage DOUBLE NOT NULL,
                disposed DOUBLE NOT NULL,
                disposed_from_storage DOUBLE NOT NULL,
                stored DOUBLE NOT NULL,
                dumped DOUBLE NOT NULL,
                route VARCHAR,
                contractor VARCHAR,
                licence_no VARCHAR,
                load_id INTEGER NOT NULL
            )""",
            # enterprise_id 'PARK' = the park as a whole; volumes in ``unit``.
            """CREATE TABLE water_monthly (
                month DATE NOT NULL,
                enterprise_id VARCHAR NOT NULL,
                intake DOUBLE,
                recycled DOUBLE,
                unit VARCHAR NOT NULL,
                load_id INTEGER NOT NULL
            )""",
            # Energies in ``unit``; recovered from ``meter_id`` when that is set.
            """CREATE TABLE waste_heat_sources (
                month DATE NOT NULL,
                source_id VARCHAR NOT NULL,
                enterprise_id VARCHAR,
                meter_id VARCHAR,
                recoverable DOUBLE,
                recovered DOUBLE,
                unit VARCHAR NOT NULL,
                applicable BOOLEAN NOT NULL,
                reason VARCHAR,
                load_id INTEGER NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        5,
        "declared product energy intensities and national limit values",
        [
            """CREATE TABLE product_energy (
                enterprise_id VARCHAR NOT NULL,
                year BIGINT NOT NULL,
                product VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                intensity DOUBLE NOT NULL,
                grade1_limit DOUBLE NOT NULL,
                grade2_limit DOUBLE NOT NULL,
                grade3_limit DOUBLE NOT NULL,
                standard VARCHAR NOT NULL,
                load_id INTEGER NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        6,
        "load_log.file_bytes: a cheap pre-check before hashing a file",
        ["ALTER TABLE load_log ADD COLUMN file_bytes BIGINT"],
    )
)
MIGRATIONS.append(
    (
        14,
        "distributed wind: the wind site registry",
        [
            """CREATE TABLE wind_sites (
                site_id VARCHAR NOT NULL,
                name VARCHAR,
                latitude DOUBLE,
                longitude DOUBLE,
                x_m DOUBLE,
                y_m DOUBLE,
                turbine_type VARCHAR NOT NULL,
                power_curve_file VARCHAR,
                rotor_diameter_m DOUBLE,
                hub_height_m DOUBLE NOT NULL,
                turbine_count BIGINT,
                roughness_length_m DOUBLE,
                terrain_class VARCHAR,
                availability_pct DOUBLE,
                other_losses_pct DOUBLE,
                wake_loss_pct DOUBLE,
                capex_cny_per_kw DOUBLE,
                om_cny_per_kw_year DOUBLE,
                load_id INTEGER NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        15,
        "weather for wind: hourly air pressure, the wind speed measurement height",
        [
            "ALTER TABLE weather_hourly ADD COLUMN pressure_pa DOUBLE",
            "ALTER TABLE weather_sets ADD COLUMN wind_height_m DOUBLE",
        ],
    )
)
MIGRATIONS.append(
    (
        10,
        "industrial process emissions declared per enterprise, month and process",
        [
            """CREATE TABLE process_emissions (
                enterprise_id VARCHAR NOT NULL,
                month DATE NOT NULL,
                process VARCHAR NOT NULL,
                tco2 DOUBLE NOT NULL,
                activity DOUBLE,
                activity_unit VARCHAR,
                factor_tco2_per_unit DOUBLE,
                method VARCHAR NOT NULL,
                source VARCHAR,
                load_id INTEGER NOT NULL
            )""",
        ],
    )
)
MIGRATIONS.append(
    (
        11,
        "meters.volume_reference: normal, standard or working-condition gas volumes",
        ["ALTER TABLE meters ADD COLUMN volume_reference VARCHAR"],
    )
)
MIGRATIONS.append(
    (
        7,
        "meters.commissioned_on / decommissioned_on: the span a meter is expected to report",
        [
            "ALTER TABLE meters ADD COLUMN commissioned_on DATE",
            "ALTER TABLE meters ADD COLUMN decommissioned_on DATE",
        ],
    )
)
MIGRATIONS.append(
    (
        8,
        "load_log.identity: the options that change a file's meaning, beside its sha256",
        # NULL for loads logged before: those are identified by their bytes alone.
        ["ALTER TABLE load_log ADD COLUMN identity VARCHAR"],
    )
)
MIGRATIONS.append(
    (
        34,
        "pv_profiles as one array per class: pv_profile_values, pv_profile_hours and a view",
        # One row per class (its daylight-hour values, in the order of the run's
        # pv_profile_hours.ts) instead of one row per class and hour; pv_profiles stays
        # readable as a view with the same columns. Profiles of older runs are converted.
        [
            """CREATE TABLE pv_profile_hours (
                run_id INTEGER NOT NULL,
                ts TIMESTAMP[] NOT NULL
            )""",
            """CREATE TABLE pv_profile_values (
                run_id INTEGER NOT NULL,
                profile_id INTEGER NOT NULL,
                ac_kwh_per_kwp DOUBLE[] NOT NULL
            )""",
            """INSERT INTO pv_profile_hours
                SELECT run_id, list(DISTINCT ts ORDER BY ts) FROM pv_profiles GROUP BY run_id""",
            """INSERT INTO pv_profile_values
                SELECT p.run_id, p.profile_id,
                    list(coalesce(v.ac_kwh_per_kwp, 0.0) ORDER BY h.ts)
                FROM (SELECT DISTINCT run_id, profile_id FROM pv_profiles) p
                JOIN (SELECT run_id, unnest(ts) AS ts FROM pv_profile_hours) h USING (run_id)
                LEFT JOIN pv_profiles v USING (run_id, profile_id, ts)
                GROUP BY p.run_id, p.profile_id""",
            "DROP TABLE pv_profiles",
            """CREATE VIEW pv_profiles AS
                SELECT v.run_id, v.profile_id, unnest(h.ts) AS ts,
                    unnest(v.ac_kwh_per_kwp) AS ac_kwh_per_kwp
                FROM pv_profile_values v JOIN pv_profile_hours h USING (run_id)""",
        ],
    )
)
MIGRATIONS.append(
    (
        32,
        "load_log.file_mtime_ns / sample_sha256: a repeated file recognised without a full hash",
        # NULL for loads logged before: those are recognised by their full sha256.
        [
            "ALTER TABLE load_log ADD COLUMN file_mtime_ns BIGINT",
            "ALTER TABLE load_log ADD COLUMN sample_sha256 VARCHAR",
        ],
    )
)
MIGRATIONS.sort(key=lambda m: m[0])

LATEST_VERSION = MIGRATIONS[-1][0]
