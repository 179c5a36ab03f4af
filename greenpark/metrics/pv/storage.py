"""Storage of the park's current PV estimate: profiles committed chunk by chunk, the run
row and the other result tables in one last transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

from greenpark.metrics.pv.weather import Weather

MONTH_COLUMNS = tuple(f"energy_m{m:02d}_kwh" for m in range(1, 13))

# Profile values (classes x daylight hours) inserted per committed transaction: bounds
# DuckDB's transaction-local memory (8 bytes a value) while keeping commits few (a run
# below it is one commit with its results; 10,000 roofs at a 384 MB limit: 8 commits,
# 0.88 GB peak, where 4M gave 11 and 0.875 GB, 8M 6 and 0.92 GB; 3M at 256 MB 0.70 GB).
PROFILE_VALUES_PER_COMMIT = 6_000_000
# DuckDB's memory limit while profiles are written: the blocks it writes need not stay
# cached (the park's own limit, default 1 GB, would let them fill it). 10,000 roofs,
# 6M values a commit: 384 MB -> 0.88 GB peak, 256 MB -> 0.78 GB, 192 MB 0.79 GB,
# 128 MB fails (out of memory in the insert).
PROFILE_MEMORY_LIMIT = "256MB"
RESULT_TABLES = (
    "pv_roof_results",
    "pv_roof_monthly",
    "pv_profile_values",
    "pv_profile_hours",
    "pv_park_hourly",
)


def delete_runs(con, where: str, params=()) -> None:
    """Delete result rows of some runs (``where`` is a fixed SQL fragment from code)."""
    for table in RESULT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE {where}", list(params))  # noqa: S608


class Saver:
    """Stores one run so that the database always holds one complete estimate.

    Profiles are committed chunk by chunk under a new run id (bounded memory however many
    classes there are); the last transaction writes the ``pv_runs`` row and the other
    result tables and deletes the previous run. Until then readers see the previous run
    (the newest ``pv_runs`` row); rows of a run that never finished are deleted by
    :meth:`discard` or by the next estimate.
    """

    def __init__(self, store, wx: Weather, classes):
        self.store, self.con, self.wx, self.classes = store, store.con, wx, classes
        self.pending, self.hours = [], None
        with store.transaction() as con:
            delete_runs(con, "run_id NOT IN (SELECT run_id FROM pv_runs)")
            self.run_id = con.execute(
                "SELECT coalesce(max(run_id), 0) + 1 FROM pv_runs"
            ).fetchone()[0]

    def discard(self) -> None:
        import contextlib

        with contextlib.suppress(Exception), self.store.transaction() as con:
            delete_runs(con, "run_id NOT IN (SELECT run_id FROM pv_runs)")

    def profiles(self, start: int, ac, index, daylight) -> None:
        """Queue a chunk of class profiles (``ac``: daylight hours x classes; the other
        hours are 0), one array per class in the order of the run's daylight hours."""
        import numpy as np
        import pyarrow as pa

        if self.hours is None:
            self.hours = index[daylight].tz_localize(None)
        part = np.ascontiguousarray(ac.T)  # the model's class-major rows: no copy
        n, n_hours = part.shape
        self.pending.append(
            pa.table(
                {
                    "profile_id": self.classes.index.to_numpy()[start : start + n],
                    "ac_kwh_per_kwp": pa.FixedSizeListArray.from_arrays(
                        pa.array(part.ravel()), n_hours
                    ),
                }
            )
        )
        if sum(t.num_rows for t in self.pending) * n_hours >= PROFILE_VALUES_PER_COMMIT:
            self.flush()

    def flush(self) -> None:
        """Insert the queued profiles in one committed transaction."""
        if self.pending:
            with self._profile_settings(), self.store.transaction() as con:
                self._insert_pending(con)

    @contextlib.contextmanager
    def _profile_settings(self):
        """DuckDB settings while profiles are written (see :data:`PROFILE_MEMORY_LIMIT`)."""
        # Model output does not compress (about 8 bytes a value whatever the scheme):
        # trying costs CPU at commit for nothing, so these segments are stored as they are.
        # One DuckDB thread: appending the Arrow profiles in parallel costs more CPU than
        # it saves (1,000 x 4,351 values: 0.10 s CPU with 2 threads, 0.04 s with 1).
        limit, threads = self.con.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
        self.con.execute("SET force_compression = 'uncompressed'")
        self.con.execute(f"SET memory_limit = '{PROFILE_MEMORY_LIMIT}'")
        self.con.execute("SET threads = 1")
        try:
            yield
        finally:
            self.con.execute("RESET force_compression")
            self.con.execute("SET memory_limit = ?", [limit])
            self.con.execute("SET threads = ?", [threads])

    def _insert_pending(self, con) -> None:
        import pyarrow as pa

        if not self.pending:
            return
        table, self.pending = pa.concat_tables(self.pending), []
        con.execute("SELECT NULL").fetchall()
        con.register("gp_pv_profiles", table)
        try:
            con.execute(
                "INSERT INTO pv_profile_values "
                "SELECT ?, profile_id, ac_kwh_per_kwp FROM gp_pv_profiles",
                [self.run_id],
            )
        finally:
            con.unregister("gp_pv_profiles")

    def finish(self, result) -> int:
        """Write the run (an :class:`~greenpark.metrics.pv.potential.Estimate`); return its
        id. Profiles still queued go in the same last transaction (one commit instead of
        two for a run that fits :data:`PROFILE_VALUES_PER_COMMIT`)."""
        settings = self._profile_settings() if self.pending else contextlib.nullcontext()
        with settings, self.store.transaction() as con:
            self._insert_pending(con)
            self._write(con, result)
            delete_runs(con, "run_id <> ?", [self.run_id])
        return self.run_id

    def _write(self, con, result) -> None:
        import pandas as pd

        from greenpark.store import register_frame

        run = self.run_id
        params = {
            "settings": {a["setting"]: a["value"] for a in result.assumptions},
            "findings": [f.to_dict() for f in result.findings],
        }
        con.execute(
            "INSERT INTO pv_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                run,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                self.wx.weather_id,
                self.wx.label,
                self.wx.screening,
                len(result.roofs),
                json.dumps(params, default=str),
            ],
        )
        if self.hours is not None:
            register_frame(con, "gp_pv_hours", pd.DataFrame({"ts": self.hours}))
            try:
                con.execute(
                    "INSERT INTO pv_profile_hours SELECT ?, list(ts ORDER BY ts) FROM gp_pv_hours",
                    [run],
                )
            finally:
                con.unregister("gp_pv_hours")
        roofs = result.roofs
        frames = {
            "pv_roof_results": roofs[
                ["roof_id", "profile_id", "capacity_kwp", "new_capacity_kwp", "annual_energy_kwh"]
            ],
            "pv_roof_monthly": roofs.melt(
                "roof_id", list(MONTH_COLUMNS), "month", "energy_kwh"
            ).assign(month=lambda f: f["month"].str[8:10].astype(int)),
            "pv_park_hourly": pd.DataFrame(
                {
                    "ts": result.hourly.index.tz_localize(None),
                    "ac_kwh": result.hourly["ac_kwh"].to_numpy(),
                    "new_ac_kwh": result.hourly["new_ac_kwh"].to_numpy(),
                }
            ),
        }
        for table, frame in frames.items():
            register_frame(con, "gp_pv_rows", frame)
            try:
                cols = ", ".join(frame.columns)
                con.execute(
                    f"INSERT INTO {table} SELECT ?, {cols} FROM gp_pv_rows",  # noqa: S608
                    [run],
                )
            finally:
                con.unregister("gp_pv_rows")
