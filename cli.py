"""Shim: ``python cli.py ...`` runs the same CLI as ``greenpark ...``."""

from greenpark.cli import main

if __name__ == "__main__":
    main()
