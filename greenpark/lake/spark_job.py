"""The roll-up as a Spark application, for ``spark-submit`` on a cluster.

::

    spark-submit --master yarn --py-files greenpark-src.zip greenpark/lake/spark_job.py \\
        --lake hdfs:///lake --year 2025 --group-by province --output rollup.csv

(or ``python -m greenpark.lake.spark_job ...`` with pyspark installed, for local mode).
The session is the one spark-submit configures (master, executors, ``SPARK_*``); the
same SQL as ``greenpark rollup --engine spark`` runs on it. The lake path is read on
the driver for its manifest, so it must be a path the driver can list (a shared or
mounted file system); the group table is written as CSV (or printed) by the driver.
"""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="greenpark-spark-rollup", description=__doc__)
    parser.add_argument("--lake", required=True, help="The lake directory.")
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", help="YYYY")
    when.add_argument("--month", help="YYYY-MM")
    when.add_argument("--period", help="2025, 2025-06 or 2025-01..2025-06")
    parser.add_argument("--parks", default=None, help="ID,ID,... (default: all)")
    parser.add_argument(
        "--group-by", default="park", choices=["park", "province", "operator", "industry"]
    )
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    parser.add_argument("--output", default=None, help="CSV file (default: stdout)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from greenpark.core.errors import GreenparkError
    from greenpark.core.periods import Period
    from greenpark.lake.rollup import rollup
    from greenpark.report.output import render

    args = parse_args(argv)
    try:
        period = Period.parse(args.year or args.month or args.period)
        parks = [p for p in args.parks.split(",") if p] if args.parks else None
        result = rollup(args.lake, period, parks, args.group_by, engine="spark", master=args.master)
    except GreenparkError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    text = render(result.frame, "csv")
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    for finding in result.findings:
        print(f"Note: {finding}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
