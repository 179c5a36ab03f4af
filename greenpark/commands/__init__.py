"""Feature commands of the CLI, one module per feature (see greenpark/cli.py)."""
