"""The ``greenpark`` command line: one module per command group, options in :mod:`.options`."""

from greenpark.cli.app import cli, main

__all__ = ["cli", "main"]
