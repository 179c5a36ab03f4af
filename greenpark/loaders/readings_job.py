"""One readings file's load: what both paths share.

A :class:`Job` knows the file, its column plan and the options; it builds the SQL that
reads the file (typed for the fast path, as text with line numbers for the careful
path), moves register readings to ``register_readings`` and rebuilds their deltas, and
finishes the load (row counts, status, the load log). The paths themselves live in
:mod:`greenpark.loaders.readings_fast` and :mod:`greenpark.loaders.readings_careful`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from greenpark.core.periods import to_local
from greenpark.io.dates import fast_timestamp_format
from greenpark.io.tabular import TabularFile, data_lines_contain, first_record_cell
from greenpark.io.timezones import fixed_offset_seconds
from greenpark.loaders.columns import ColumnPlan
from greenpark.loaders.common import LoadResult, write_log
from greenpark.loaders.registers import derive_deltas
from greenpark.store import register_frame

if TYPE_CHECKING:
    from greenpark.loaders.readings import ReadingsOptions

KIND = "readings"
RELATIVE_TOLERANCE = 1e-9
MAX_PROBLEMS_SHOWN = 20
# Severity of the load finding that counts register events of each kind.
REGISTER_EVENTS = {"rollover": "info", "reset": "warning"}
# Meter columns of a wide file unpivoted per query (memory grows with columns x rows).
WIDE_BATCH_COLUMNS = 500


class NotClean(Exception):
    """The fast path found something; the careful path will say what."""


class Job:
    """One file's load: the file, its column plan, the options and the park's timezone."""

    def __init__(
        self,
        con,
        tab: TabularFile,
        plan: ColumnPlan,
        options: ReadingsOptions,
        timezone: str,
        sha,
        started_at,
        progress,
    ):
        self.con, self.tab, self.plan, self.options = con, tab, plan, options
        self.timezone, self.sha, self.started_at = timezone, sha, started_at
        self.progress = progress
        self.offset_s = fixed_offset_seconds(timezone)
        # (load_id, first, second, last timestamp) of a fast load's stored rows, known
        # from its checks: the convention check then needs no pass of its own.
        self.first_stamps: tuple | None = None
        # (LF bytes, ends with one) of the file read, once a pass has counted them.
        self.newlines: tuple[int, bool] | None = None

    @contextlib.contextmanager
    def unordered(self):
        """Let DuckDB drop insertion order while reading the file (wide files only).

        Unpivoting thousands of meter columns in order buffers chunks past DuckDB's
        memory limit (4,000 columns x 1,000 rows: out of memory at 0.95 GB); unordered it
        peaks at ~0.4 GB. Order is not needed there: every row carries ``row_no``.
        """
        if self.plan.layout != "wide":
            yield
            return
        self.con.execute("SET preserve_insertion_order = false")
        yield  # on an error the transaction is aborted: the next unordered() resets it
        self.con.execute("RESET preserve_insertion_order")

    def fast_timestamp_format(self) -> str | None:
        """The strict format of the first row's timestamp (CSV), if a common one."""
        if "_fast_format" not in self.__dict__:
            index = self.plan.names.index(self.plan.timestamp)
            self._fast_format = fast_timestamp_format(first_record_cell(self.tab, index))
        return self._fast_format

    def timestamps_are_naive(self) -> bool:
        """Parquet: the timestamp column is a plain TIMESTAMP (text and tz-aware columns
        take the careful path, which honours their offsets)."""
        rows = self.con.execute(
            "SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [str(self.tab.read_path)],
        ).fetchall()
        index = self.plan.names.index(self.plan.timestamp)
        return (
            index < len(rows)
            and rows[index][0].startswith("TIMESTAMP")
            and ("TIME ZONE" not in rows[index][0])
        )

    def fast_value_sql(self, name: str) -> str:
        """A value column as DOUBLE; CSV text with '_' is NULL (the careful path then
        names it: the strict grammar of greenpark.io.numbers refuses digit separators)."""
        if self.tab.fmt != "csv":
            return f"CAST({name} AS DOUBLE)"
        return f"TRY_CAST(CASE WHEN contains({name}, '_') THEN NULL ELSE {name} END AS DOUBLE)"

    # ------------------------------------------------------------------ sources
    def csv_source(self, typed: bool, doubles=()) -> tuple[str, list]:
        """``read_csv(...)`` of the file: typed columns, or all text (careful path).

        ``doubles``: columns DuckDB's reader reads as DOUBLE (typed only; the others
        are text). Exact only where no cell holds a ``_`` (see :meth:`values_as_doubles`).
        """
        plan = self.plan
        args = [
            "header = true",
            "delim = ?",
            "names = ?",
            "skip = ?",  # title lines above the header
            "store_rejects = true",
            "rejects_table = 'gp_rejects'",
            "rejects_scan = 'gp_rejects_scan'",
            "quote = '\"'",
            "escape = '\"'",
        ]
        path = self.tab.data_path if typed else self.tab.read_path  # data_path: no copy
        params = [str(path), self.tab.delimiter, plan.names, self.tab.header_row - 1]
        if typed:
            # Values as text, cast by fast_value_sql (DuckDB's DOUBLE reader takes 1_000).
            types = {plan.timestamp: "TIMESTAMP", **dict.fromkeys(doubles, "DOUBLE")}
            args.append("types = ?")
            params.append([types.get(n, "VARCHAR") for n in plan.names])
            # Always a strict strptime format: DuckDB's ISO cast drops UTC offsets and
            # ignores trailing text, so such rows must fail here (the careful path reads them).
            args.append("timestampformat = ?")
            params.append(self.options.timestamp_format or self.fast_timestamp_format())
        else:
            # No null_padding: short and long rows are rejects, named by physical line
            # (readings_careful); null_padding cannot read quoted newlines in parallel.
            args += ["all_varchar = true"]
        return f"read_csv(?, {', '.join(args)})", params

    def varchar_source(self) -> tuple[str, list]:
        """All columns as text plus ``row_no``, the line/row number in the file."""
        names = ", ".join(self.plan.names)
        if self.tab.fmt == "csv":
            src, params = self.csv_source(typed=False)
            sql = f"SELECT row_number() OVER () + {self.tab.header_lines} AS row_no, * FROM {src}"
            return sql, params
        if self.tab.fmt == "parquet":
            casts = ", ".join(f"CAST({n} AS VARCHAR) AS {n}" for n in self.plan.names)
            sql = (
                f"SELECT file_row_number + 1 AS row_no, {casts} "
                f"FROM read_parquet(?, file_row_number = true) AS s({names}, file_row_number)"
            )
            return sql, [str(self.tab.read_path)]
        import numpy as np  # numpy arrays, not a DataFrame: pandas is not imported

        table = self.tab.frame
        first = 1 + self.tab.header_lines
        arrays = {"row_no": np.arange(first, first + len(table), dtype=np.int64)}
        for name, col in zip(self.plan.names, table.columns, strict=True):
            arrays[name] = np.array(col, dtype=object)
        register_frame(self.con, "gp_xlsx", arrays)
        return "SELECT * FROM gp_xlsx", []

    def typed_sources(self) -> Iterator[tuple[str, list]]:
        """Selects of (meter_key, ts, value) as stored: ts in UTC, the value in the meter's
        canonical unit (a register's as read), typed, no row numbers (fast path). An
        unknown meter's rows have a NULL ``meter_key`` and value.

        One select for the long layout; the wide layout unpivots
        :data:`WIDE_BATCH_COLUMNS` meter columns per select (see :meth:`wide_batches`).
        CSV values are read as DOUBLE where that is exact (:meth:`values_as_doubles`),
        else they stay text until after the unpivot, so that :meth:`fast_value_sql` is
        one expression, not one per column (4,000 of them took DuckDB's planner 35 s).
        """
        plan = self.plan
        names = [c for c, _, _ in plan.meter_columns]
        doubles = self.values_as_doubles()
        shift = f" - INTERVAL ({int(self.offset_s)}) SECOND"  # the park's fixed offset
        if self.tab.fmt == "csv":
            src, params = self.csv_source(typed=True, doubles=names if doubles else ())
            base = f"SELECT * FROM {src}"
        else:
            base = f"SELECT * FROM read_parquet(?) AS s({', '.join(plan.names)})"
            params = [str(self.tab.read_path)]
        if plan.layout == "long":
            sql = (
                f"SELECT CAST({plan.meter_id} AS VARCHAR) AS meter_id, "
                f"CAST({plan.timestamp} AS TIMESTAMP){shift} AS ts, "
                f"{self.fast_value_sql(plan.value)} AS value FROM ({base})"
            )
            yield (
                (
                    "SELECT m.meter_key, s.ts, CASE WHEN m.reading_type = 'register' THEN s.value "
                    "ELSE s.value * m.to_canonical * m.multiplier END AS value "
                    f"FROM ({sql}) s LEFT JOIN meters m ON m.meter_id = s.meter_id"
                ),
                params,
            )
            return
        if self.tab.fmt == "csv":
            cols = ", ".join(names)
            value = "raw" if doubles else self.fast_value_sql("raw")
        else:
            cols, value = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" for c in names), "raw"
        factors = dict(zip(names, self.wide_factors(), strict=True))
        # Shifted to UTC before the unpivot: once per file row, not once per reading.
        first = f"CAST({plan.timestamp} AS TIMESTAMP){shift} AS ts, {cols} FROM ({base})"
        for batch, source, batch_params in self.wide_batches(first, params):
            # Each row's cells as lists, beside their columns' meter keys and factors
            # (no join on names: 0.2 s less CPU than UNPIVOT + two joins, 5M readings).
            # A blank cell is no reading, as UNPIVOT leaves it out.
            lists = [list(t) for t in zip(*(factors[c] for c in batch), strict=True)]
            sql = (
                f"SELECT meter_key, ts, {value} * to_canonical * multiplier AS value FROM ("
                "SELECT ts, unnest(?::INTEGER[]) AS meter_key, unnest(?::DOUBLE[]) AS "
                "to_canonical, unnest(?::DOUBLE[]) AS multiplier, "
                f"unnest([{', '.join(batch)}]) AS raw FROM {source}) WHERE raw IS NOT NULL"
            )
            yield sql, [*lists, *batch_params]

    def wide_factors(self) -> list[tuple]:
        """(meter_key, to_canonical, multiplier) of each meter column of a wide file, in
        order: (None, None, None) for an unknown meter, (key, 1.0, 1.0) for a register
        (stored as read: ``x * 1.0 * 1.0`` is ``x`` exactly)."""
        ids = [m for _, m, _ in self.plan.meter_columns]
        rows = self.con.execute(
            "SELECT meter_id, meter_key, reading_type = 'register', to_canonical, multiplier "
            "FROM meters WHERE list_contains(?, meter_id)",
            [ids],
        ).fetchall()
        known = {m: (k, 1.0, 1.0) if reg else (k, tc, mul) for m, k, reg, tc, mul in rows}
        return [known.get(m, (None, None, None)) for m in ids]

    def values_as_doubles(self) -> bool:
        """Whether DuckDB's CSV reader may read a wide file's values as DOUBLE itself.

        It reads exactly what :meth:`fast_value_sql` reads from the text (the same
        numbers; what it cannot read is a reject, and the careful path takes over), except
        digit separators (``1_000``): so only when no data line holds a ``_``. Unpivoting
        doubles instead of text took ~0.3 s less CPU on 5M readings (100 meters).
        """
        return (
            self.plan.layout == "wide"
            and self.tab.fmt == "csv"
            and not data_lines_contain(self.tab, b"_")
        )

    def wide_batches(self, select: str, params: list) -> Iterator[tuple[list[str], str, list]]:
        """The meter columns of a wide file, :data:`WIDE_BATCH_COLUMNS` at a time:
        ``(names, FROM source, its parameters)``.

        Up to :data:`WIDE_BATCH_COLUMNS` meter columns: one batch read straight from
        the file (``(SELECT <select>)``). More: the file is read once into the temp
        table ``gp_wide`` (dropped after the last batch) and each batch unpivots from
        it. Unpivoting all 4,000 columns of a 4,000 x 1,000 file in one query peaked at
        1.2 GB; 500 at a time from ``gp_wide`` peaks at ~0.3 GB (DuckDB 2.0). Reading
        the file once keeps row numbers and DuckDB's rejects the same for every batch;
        the caller runs the batches in its transaction, so the load stays atomic.
        """
        names = [c for c, _, _ in self.plan.meter_columns]
        if len(names) <= WIDE_BATCH_COLUMNS:
            yield names, f"(SELECT {select})", params
            return
        # One thread: each reader thread buffers every column (4,000 x 2 threads did not
        # fit in 700 MB); its memory then does not grow with the machine's cores.
        self.con.execute("SET threads = 1")
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE gp_wide AS SELECT {select}", params)
        finally:
            self.con.execute("RESET threads")
        for start in range(0, len(names), WIDE_BATCH_COLUMNS):
            yield names[start : start + WIDE_BATCH_COLUMNS], "gp_wide", []
        self.con.execute("DROP TABLE gp_wide")

    def register_colmap(self) -> None:
        """``gp_colmap``: the wide layout's columns -> meter ids and headers."""
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE gp_colmap (col VARCHAR, meter_id VARCHAR, header VARCHAR)"
        )
        if self.plan.meter_columns:
            self.con.executemany(
                "INSERT INTO gp_colmap VALUES (?, ?, ?)", [list(t) for t in self.plan.meter_columns]
            )

    # ---------------------------------------------------------------- registers
    def move_registers(self, load_id, result: LoadResult, fast: bool) -> bool:
        """Move this load's register rows to register_readings and rebuild their deltas.

        Returns whether the load had register rows.
        """
        con = self.con
        if fast:
            con.execute(
                """
                CREATE OR REPLACE TEMP TABLE gp_reg_keys AS
                SELECT DISTINCT r.meter_key FROM readings r JOIN meters m USING (meter_key)
                WHERE r.load_id = ? AND m.reading_type = 'register'""",
                [load_id],
            )
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE gp_reg_keys AS SELECT * FROM gp_new_keys")
        if not con.execute("SELECT count(*) FROM gp_reg_keys").fetchone()[0]:
            return False
        if fast:
            self._move_fast_registers(load_id)
        counts = derive_deltas(con, "gp_reg_keys")
        if counts.get("backwards"):
            raise NotClean("register going backwards")
        for kind, severity in REGISTER_EVENTS.items():
            if counts.get(kind):
                result.note(
                    f"readings.register_{kind}",
                    f"{counts[kind]} register {kind}(s); see 'greenpark check'",
                    severity,
                    count=counts[kind],
                )
        return True

    def _move_fast_registers(self, load_id) -> None:
        """The fast path inserted register readings into ``readings``: move them."""
        con = self.con
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE gp_reg_check AS
            SELECT meter_key, ts, value AS reading, load_id FROM readings
            WHERE load_id = ? AND meter_key IN (SELECT meter_key FROM gp_reg_keys)""",
            [load_id],
        )
        stored_equal_or_new = con.execute("""
            SELECT count(*) FROM gp_reg_check n JOIN register_readings o USING (meter_key, ts)
        """).fetchone()[0]
        if stored_equal_or_new:
            raise NotClean("register readings overlap stored ones")
        con.execute("INSERT INTO register_readings SELECT * FROM gp_reg_check")
        con.execute(
            "DELETE FROM readings WHERE load_id = ? AND meter_key IN "
            "(SELECT meter_key FROM gp_reg_keys)",
            [load_id],
        )

    # ------------------------------------------------------------------- finish
    def finish(self, result: LoadResult, ts_min, ts_max) -> LoadResult:
        """Count what was stored, set the status and write the load log."""
        con = self.con
        result.rows_inserted = con.execute(
            "SELECT (SELECT count(*) FROM readings JOIN meters USING (meter_key) "
            "WHERE load_id = ? AND reading_type <> 'register') + "
            "(SELECT count(*) FROM register_readings WHERE load_id = ?)",
            [result.load_id, result.load_id],
        ).fetchone()[0]
        if result.rows_quarantined:
            result.status = "loaded_with_quarantine"
        if not result.rows_inserted and not result.rows_replaced:
            result.status = "unchanged"
            result.note("load.already_stored", "every row was already stored with the same value")
        if ts_min is not None:
            result.ts_min, result.ts_max = self.local_text(ts_min), self.local_text(ts_max)
        if result.status == "unchanged":  # nothing stored: no log row (and no full hash)
            result.load_id = None
            return result
        write_log(
            con,
            result,
            KIND,
            self.sha,
            str(self.tab.path),
            self.options.to_dict(),
            self.started_at,
            ts_min,
            ts_max,
        )
        return result

    def local_text(self, ts_utc) -> str:
        """Naive UTC -> park local time, ISO text."""
        return to_local(ts_utc, self.timezone).isoformat(sep=" ")


def equal_sql(a: str, b: str) -> str:
    """SQL: two floats equal within a relative tolerance (expressions are internal)."""
    return f"(abs(({a}) - ({b})) <= {RELATIVE_TOLERANCE} * greatest(abs({a}), abs({b}), 1e-12))"


def first_line(exc: Exception) -> str:
    """The first line of an exception's text (DuckDB errors run to many lines)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
