"""The option family of the ``load`` commands, declared once.

``@load_options("map", "encoding", "sheet", "header-row", "replace", "quarantine")`` adds
the named options in that order; the command receives them as ``mapping`` (the raw
``CANONICAL=SOURCE`` pairs: parse them with
:func:`greenpark.loaders.columns.parse_mapping` inside the command, so that a bad pair
is reported like every other input error), ``encoding``, ``sheet``, ``header_row`` (``header-row``),
``replace`` and ``quarantine``. ``help`` replaces the default text of an option for one command.
"""

from __future__ import annotations

import click

_OPTIONS = {
    "map": (
        ("--map", "mapping"),
        {
            "multiple": True,
            "metavar": "CANONICAL=SOURCE",
            "help": "Use the file's SOURCE column as CANONICAL. Repeatable.",
        },
    ),
    "encoding": (
        ("--encoding",),
        {
            "default": None,
            "help": "Text encoding of CSV files (utf-8, gbk, gb18030). Detected when omitted.",
        },
    ),
    "sheet": (("--sheet",), {"default": None, "help": "Excel sheet (default: the first)."}),
    "header-row": (
        ("--header-row", "header_row"),
        {
            "type": click.IntRange(min=1),
            "default": None,
            "metavar": "N",
            "help": "1-based line (CSV) or row (Excel) of the header. Detected when omitted: "
            "title rows above it are skipped and reported.",
        },
    ),
    "replace": (
        ("--replace",),
        {"is_flag": True, "help": "Overwrite stored rows that differ."},
    ),
    "quarantine": (
        ("--quarantine",),
        {
            "type": click.Path(dir_okay=False),
            "default": None,
            "help": "Write rejected rows with reasons to this CSV and load the rest.",
        },
    ),
}
LOAD_OPTIONS = tuple(_OPTIONS)


def load_options(*names: str, help: dict | None = None):
    """Add the load options ``names`` (from :data:`LOAD_OPTIONS`) to a command.

    Parameters
    ----------
    *names : str
        ``map``, ``encoding``, ``sheet``, ``header-row``, ``replace``, ``quarantine``; shown
        in this order.
    help : dict, optional
        Help text per name, replacing the default.
    """
    unknown = [n for n in names if n not in _OPTIONS]
    if unknown:
        raise ValueError(f"unknown load options {unknown}: choose from {LOAD_OPTIONS}")
    texts = help or {}

    def decorator(func):
        func = _number_options(func)
        for name in reversed(names):
            decls, attrs = _OPTIONS[name]
            func = click.option(*decls, **{**attrs, "help": texts.get(name, attrs["help"])})(func)
        return func

    return decorator


def _number_options(func):
    """``--decimal`` and ``--thousands`` on every load command: how the file writes its
    numbers (greenpark.io.numbers); the command runs inside that declaration."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, decimal, thousands, **kwargs):
        from greenpark.io.numbers import number_format

        separator = {"none": None, "space": " "}.get(thousands, thousands)
        if separator == decimal:
            raise click.UsageError("--thousands cannot be the --decimal mark")
        with number_format(decimal, separator):
            return func(*args, **kwargs)

    wrapper = click.option(
        "--thousands",
        type=click.Choice(("none", ",", ".", "space", "'")),
        default="none",
        show_default=True,
        help="Thousands separator the file uses (only then is one accepted).",
    )(wrapper)
    return click.option(
        "--decimal",
        type=click.Choice((".", ",")),
        default=".",
        show_default=True,
        help="Decimal mark of the file's numbers ('1,5' is refused unless --decimal ,).",
    )(wrapper)
