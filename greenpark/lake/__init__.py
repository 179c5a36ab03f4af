"""Parquet park lake: export parks, roll them up on DuckDB or Spark (docs/lake.md)."""
