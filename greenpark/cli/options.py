"""Option families shared by the commands: one decorator each.

``@period_option(...)`` declares ``--month``/``--year``/``--period`` and hands the command
one :class:`~greenpark.core.periods.Period` (parsed here, at the edge) as ``period``;
``@format_option``, ``@output_option``, ``@lang_option`` and ``@load_options`` do the same
for their families. Commands never declare these options themselves.
"""

from __future__ import annotations

import functools

import click

FORMATS = ("table", "csv", "json")
_PERIOD_HELP = {
    "month": ("--month", "YYYY-MM", "A calendar month, in park local time."),
    "year": ("--year", "YYYY", "A calendar year, in park local time."),
    "period": (
        "--period",
        "PERIOD",
        "A month (2025-06), a year (2025) or a month range (2025-01..2025-06).",
    ),
}


def period_option(kinds=("month", "year", "period"), required: bool = True, help=None):
    """Add ``--month``, ``--year`` and/or ``--period``; the command gets ``period``.

    Parameters
    ----------
    kinds : tuple of str
        Which of ``month``, ``year``, ``period`` the command accepts.
    required : bool
        Whether one of them must be given (otherwise ``period`` is None when none is).
    help : dict, optional
        Help text per kind, replacing the default.
    """
    help = help or {}

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            values = {k: kwargs.pop(f"{k}_text") for k in kinds}
            kwargs["period"] = _parse_period(values, required)
            return func(*args, **kwargs)

        for kind in reversed(kinds):
            flag, metavar, text = _PERIOD_HELP[kind]
            wrapper = click.option(
                flag, f"{kind}_text", default=None, metavar=metavar, help=help.get(kind, text)
            )(wrapper)
        return wrapper

    return decorator


def _parse_period(values: dict, required: bool):
    """One Period from the given options: a missing one is a usage error (exit 2); several,
    or text that is not a period, an error naming the option (exit 1)."""
    from greenpark.core.errors import GreenparkError
    from greenpark.core.periods import Period

    given = {k: v for k, v in values.items() if v is not None}
    flags = " or ".join(_PERIOD_HELP[k][0] + " " + _PERIOD_HELP[k][1] for k in values)
    if len(given) > 1:
        raise click.ClickException(f"give either {flags}, not several")
    if not given:
        if required:
            raise click.UsageError(f"give {flags}")
        return None
    ((kind, text),) = given.items()
    try:
        if kind == "month":
            return Period.month(text)
        if kind == "year":
            return Period.year(text)
        return Period.parse(text)
    except GreenparkError as exc:
        raise click.ClickException(str(exc)) from None


def format_option(func=None, *, choices=FORMATS, default="table"):
    """``--format table|csv|json`` as ``fmt`` (``@format_option``), or another set of
    formats (``@format_option(choices=("csv", "xlsx"), default="csv")``)."""

    def decorator(f):
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return decorator(func) if func is not None else decorator


def output_option(default=None, help: str = "Write to this file instead of stdout.", **kw):
    """``--output PATH`` as ``output``."""

    def decorator(func):
        return click.option(
            "--output", "output", default=default, show_default=default is not None, help=help, **kw
        )(func)

    return decorator


def lang_option(func=None, *, default: str | None = "zh"):
    """``--lang zh|en`` as ``lang``; env ``GREENPARK_LANG`` sets it for every command.

    ``@lang_option`` (Chinese by default) for what is written for people (reports,
    templates, plans); ``@lang_option(default=None)`` for the table commands, whose
    ``--format table`` shows column ids and stored values unless a language is given
    (``--format csv|json`` keep the ids in every language). The value is checked by the
    library (``greenpark.report.labels.check_lang``), so an unknown language is the same
    error from the CLI and the API (exit 1).
    """

    def check(ctx, param, value):
        if value is None:
            return None
        from greenpark.core.errors import GreenparkError
        from greenpark.report.labels import check_lang

        try:
            return check_lang(value)
        except GreenparkError as exc:
            raise click.ClickException(str(exc)) from None

    if default is None:
        text = (
            "Language of the table's headers, values and notes (zh or en; env "
            "GREENPARK_LANG); without it the table shows column ids. csv/json keep ids."
        )
    else:
        text = "Language of what people read (zh or en; env GREENPARK_LANG)."

    def decorator(f):
        return click.option(
            "--lang",
            default=default,
            show_default=default is not None,
            envvar="GREENPARK_LANG",
            metavar="zh|en",
            callback=check,
            help=text,
        )(f)

    return decorator(func) if func is not None else decorator
