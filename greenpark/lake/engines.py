"""The two engines a roll-up runs on: DuckDB (default, in process) and Apache Spark.

Both expose the same three operations: register a lake table as one scan of its
directory (hive partitions ``park_id``, ``year``, ``month`` read as text on both engines,
narrowed by a predicate on them so that only the partitions asked are read), register a
small pandas frame, and run a SQL text into a pandas DataFrame. The roll-up's SQL
(:mod:`greenpark.lake.rollup`) is one text that both run unchanged.

One scan per table, not one read per file: a list of thousands of park-month files costs
each engine a listing and a footer read per file and, on Spark, a parallel file-listing
job per table; a directory scan with a partition predicate is listed once and pruned.
The lake check (:func:`greenpark.lake.check.check_lake`) has made sure before that the
files under each table directory are exactly those of the manifest.
"""

from __future__ import annotations

import os

from greenpark.lake.layout import LakeError

ENGINES = ("duckdb", "spark")
# Spark settings of a roll-up: UTC, partition values kept as text (a park id "001" must
# not become the number 1), no UI.
SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


_SPARK_TYPES = {"VARCHAR": "STRING"}  # the lake's DuckDB type names that Spark spells otherwise


class DuckDBEngine:
    """DuckDB in process, reading the lake's Parquet files in place."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None):
        import duckdb

        self.con = duckdb.connect()
        limit = memory_limit or os.environ.get("GREENPARK_MEMORY_LIMIT", "1GB")
        self.con.execute("SET memory_limit = ?", [limit])
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")

    def register_table(self, name: str, base: str, monthly: bool, where: str = "TRUE") -> None:
        """Expose the lake table under ``base`` as the view ``name``: one hive-partitioned
        scan of its files, narrowed by ``where`` (a predicate on the partition columns)."""
        glob = "park_id=*/year=*/month=*/*.parquet" if monthly else "park_id=*/*.parquet"
        sql = (
            "SELECT * FROM read_parquet(?, hive_partitioning = true, "  # noqa: S608 - code only
            f"hive_types_autocast = false) WHERE {where}"
        )
        self.con.sql(sql, params=[f"{base}/{glob}"]).create_view(name, replace=True)

    def register_frame(self, name: str, frame) -> None:
        self.con.register(name, frame)

    def sql(self, text: str):
        return self.con.execute(text).df()

    def close(self) -> None:
        self.con.close()


class SparkEngine:
    """Apache Spark through pyspark: local mode, or the cluster of ``master`` (or of
    ``spark-submit`` / the ``SPARK_*`` settings when ``master`` is None)."""

    name = "spark"

    def __init__(self, master: str | None = None, session=None, conf: dict | None = None):
        self.own = session is None
        self.spark = session if session is not None else spark_session(master, conf)

    def register_table(
        self, name: str, base: str, monthly: bool, where: str = "TRUE", columns=None
    ) -> None:
        """Expose the lake table under ``base`` as the view ``name``: one read of the
        directory (``basePath``; the schema given, so no file is opened to infer it),
        ``where`` pruning its partitions."""
        reader = self.spark.read.option("basePath", base)
        if columns is not None:
            parts = ["park_id", "year", "month"] if monthly else ["park_id"]
            cols = [f"{c} {_SPARK_TYPES.get(t, t)}" for c, t in columns.items()]
            reader = reader.schema(", ".join([*cols, *(f"{p} STRING" for p in parts)]))
        reader.parquet(base).where(where).createOrReplaceTempView(name)

    def register_frame(self, name: str, frame) -> None:
        cells = frame.astype(object).where(frame.notna(), None)  # NaN, NA -> null
        rows = [tuple(r) for r in cells.itertuples(index=False)]
        self.spark.createDataFrame(rows, schema=_spark_schema(frame)).createOrReplaceTempView(name)

    def sql(self, text: str):
        import pandas as pd

        result = self.spark.sql(text)
        columns = result.columns
        return pd.DataFrame([tuple(r) for r in result.collect()], columns=columns)

    def close(self) -> None:
        if self.own:
            self.spark.stop()


def _spark_schema(frame) -> str:
    """A DDL schema for the small frames a roll-up registers: dates (``month``),
    numbers (DOUBLE) and text."""

    def kind(col: str) -> str:
        if col == "month":
            return "DATE"
        return "DOUBLE" if frame[col].dtype.kind == "f" else "STRING"

    return ", ".join(f"{c} {kind(c)}" for c in frame.columns)


def spark_session(master: str | None = None, conf: dict | None = None):
    """A SparkSession for roll-ups (:data:`SPARK_CONF` plus ``conf``).

    Raises
    ------
    LakeError
        When pyspark is not installed or Java cannot be started.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise LakeError(
            "--engine spark needs pyspark: pip install 'greenpark[spark]' (and a Java "
            "runtime, e.g. Debian's default-jre-headless)"
        ) from None
    builder = SparkSession.builder.appName("greenpark-rollup")
    if master:
        builder = builder.master(master)
    for key, value in {**SPARK_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - pyspark raises bare errors when Java is absent
        raise LakeError(f"cannot start Spark ({type(exc).__name__}: {exc})") from None


def open_engine(engine: str = "duckdb", master: str | None = None, session=None):
    """The engine named ``engine`` (``duckdb`` or ``spark``)."""
    if engine == "duckdb":
        return DuckDBEngine()
    if engine == "spark":
        return SparkEngine(master=master, session=session)
    raise LakeError(f"engine {engine!r}: use one of {', '.join(ENGINES)}")
