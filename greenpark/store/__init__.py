"""The park database: one DuckDB file per park.

``Store`` owns the connection, applies migrations and runs each load in one transaction.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from greenpark.core.errors import DatabaseInUseError, GreenparkError
from greenpark.store.migrations import LATEST_VERSION, MIGRATIONS

DEFAULT_DB = "greenpark.duckdb"
# DuckDB's memory limit of a store connection (GREENPARK_MEMORY_LIMIT overrides).
DEFAULT_MEMORY_LIMIT = "700MB"


class NotInitializedError(GreenparkError):
    """The database has no park yet (``greenpark init`` was not run)."""


@dataclass
class Store:
    """An open park database.

    Use :func:`open_store` to get one; close it (or use it as a context manager) so that
    other processes can open the file.
    """

    path: str
    con: object  # duckdb.DuckDBPyConnection
    read_only: bool = False
    # Derived state (park config, factor book, ledgers) built once and reused until the
    # next committed write: see :meth:`cached`.
    _cache: dict = field(default_factory=dict, repr=False)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # --- schema ---------------------------------------------------------------
    def applied_versions(self) -> set[int]:
        """Migration versions recorded in the database (none in a new one).

        The table is read directly: a lookup in ``information_schema`` first cost about
        10 ms in every process (DuckDB builds the whole catalogue view). A new database
        has no such table, and there the read fails; no transaction is open then (the
        callers are :meth:`migrate`, ``init`` and :meth:`require_current`, whose error
        ends the work anyway).
        """
        import duckdb

        try:
            rows = self.con.execute("SELECT version FROM schema_version").fetchall()
        except duckdb.CatalogException:
            return set()
        return {r[0] for r in rows}

    def schema_version(self) -> int:
        return max(self.applied_versions(), default=0)

    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, each in its own transaction.

        Returns
        -------
        list of int
            Versions applied now.
        """
        applied = []
        done = self.applied_versions()
        if max(done, default=0) > LATEST_VERSION:
            raise GreenparkError(
                f"{self.path}: schema version {max(done)} is newer than this greenpark "
                f"understands ({LATEST_VERSION}); upgrade greenpark"
            )
        for version, description, statements in MIGRATIONS:
            if version in done:
                continue
            with self.transaction():
                self.con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
                )
                for sql in statements:
                    self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)",
                    [version, description],
                )
            applied.append(version)
        return applied

    def require_current(self) -> None:
        """Raise unless every migration is applied (checked once per store: migrations
        only ever add, so a database found current stays current)."""
        if self.__dict__.get("_schema_current"):
            return
        done = self.applied_versions()
        if not done:
            raise NotInitializedError(
                f"{self.path} is not a greenpark database yet: run "
                "'greenpark --db PATH init --config park.toml' first"
            )
        missing = sorted({v for v, _, _ in MIGRATIONS} - done)
        if missing:
            raise GreenparkError(
                f"{self.path} lacks schema migration(s) {', '.join(map(str, missing))}: run "
                "'greenpark init' to upgrade it"
            )
        self._schema_current = True

    # --- transactions -----------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        """Run the block in one transaction: all of it is committed, or none of it.

        A ``KeyboardInterrupt`` (Ctrl-C) rolls back like any other exception.
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self.con.execute("ROLLBACK")
            raise_if_interrupted(exc)
            raise
        self.con.execute("COMMIT")
        self._cache.clear()

    # --- derived state ------------------------------------------------------------
    def cached(self, key, build):
        """``build()`` once per key until the next committed transaction.

        The park config, the factor book and ledgers are derived from the database; a
        report asks for them many times and gets the same object every time.
        """
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def peek(self, key):
        """What :meth:`cached` holds for ``key``, or None when it has not been built."""
        return self._cache.get(key)

    def forget(self) -> None:
        """Drop derived state (after writes made outside :meth:`transaction`)."""
        self._cache.clear()

    # --- park -------------------------------------------------------------------
    def park(self):
        """Return the stored :class:`~greenpark.core.config.ParkConfig` (parsed once)."""
        return self.cached("park", self._read_park)

    def factor_book(self):
        """The park's :class:`~greenpark.core.factors.FactorBook` (shipped factors, the
        ``[accounting]`` choices and the park's overrides), built once."""
        return self.cached("factor_book", self._build_factor_book)

    def _build_factor_book(self):
        from greenpark.core.factors import FactorBook

        overrides = self.con.execute("SELECT * FROM factor_overrides").df()
        park = self.park()
        return FactorBook(park, park.accounting, overrides)

    def _read_park(self):
        from greenpark.core.config import parse_park_config

        self.require_current()
        row = self.con.execute("SELECT config_toml FROM park").fetchone()
        if row is None:
            raise NotInitializedError(f"{self.path} has no park: run 'greenpark init'")
        # Parsed once per stored text: a load's commit clears derived state, but the park
        # table only changes through ``init``, and then its text changes too.
        parsed = self.__dict__.setdefault("_parsed_parks", {})
        if row[0] not in parsed:
            parsed[row[0]] = parse_park_config(row[0], source=f"{self.path} (stored park.toml)")
        return parsed[row[0]]


def open_store(
    path: str | os.PathLike = DEFAULT_DB, read_only: bool = False, create: bool = False
) -> Store:
    """Open a park database.

    Parameters
    ----------
    path : str or path-like
        The DuckDB file.
    read_only : bool
        Open without a write lock (other readers may share it).
    create : bool
        Create the file if it does not exist (``init`` does this).

    Raises
    ------
    DatabaseInUseError
        If another process holds the file open for writing.
    """
    import duckdb

    path = str(path)
    if not create and not Path(path).exists():
        raise NotInitializedError(
            f"{path} does not exist: run 'greenpark --db {path} init --config park.toml' first"
        )
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise DatabaseInUseError(
                f"database in use: {path} is open in another process; wait for it to "
                f"finish and try again ({text.splitlines()[0]})"
            ) from None
        raise GreenparkError(f"cannot open {path}: {text}") from None
    except duckdb.Error as exc:
        raise GreenparkError(f"cannot open {path}: {exc}") from None
    if not read_only:
        _remove_stale_spill(path)
    # Bounded memory: DuckDB spills to disk beyond this. GREENPARK_MEMORY_LIMIT overrides.
    # 700 MB, not 1 GB: Python, pandas and DuckDB's allocations outside its buffer pool
    # add ~0.15 GB, and the whole process stays under 1 GB (docs/reliability.md).
    limit = os.environ.get("GREENPARK_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    con.execute("SET memory_limit = ?", [limit])
    con.execute("SET TimeZone = 'UTC'")
    return Store(path=path, con=con, read_only=read_only)


def _remove_stale_spill(path: str) -> None:
    """Spill files a killed process left in ``<db>.tmp``: we hold the write lock now, so
    no other process can be using them."""
    import shutil

    spill = Path(f"{path}.tmp")
    if spill.is_dir() and not spill.is_symlink():
        for entry in spill.iterdir():
            with contextlib.suppress(OSError):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def raise_if_interrupted(exc: BaseException) -> None:
    """DuckDB turns Ctrl-C during a query into ``RuntimeError('Query interrupted')``;
    make it a KeyboardInterrupt again so that nothing mistakes it for bad data."""
    if isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower():
        raise KeyboardInterrupt from exc


def register_frame(con, name: str, frame) -> None:
    """Expose a pandas DataFrame (or a dict of NumPy arrays) to SQL as ``name`` (an
    internal, fixed name).

    DuckDB refuses ``register`` while an earlier result (e.g. after ``fetchone()``) is
    still open; a finished no-op query closes it first.
    """
    con.execute("SELECT NULL").fetchall()
    con.register(name, frame)
