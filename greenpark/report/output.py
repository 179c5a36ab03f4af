"""Render result DataFrames as a text table, CSV or JSON records (formatting only)."""

from __future__ import annotations

import json
import math


def render(frame, fmt: str, title: str | None = None, notes=(), lang: str | None = None) -> str:
    """Render ``frame`` in ``fmt`` (``table``, ``csv`` or ``json``).

    JSON is a list of records with JSON-safe values (NaN -> null, timestamps ISO 8601).
    CSV comes from the one CSV writer (:mod:`greenpark.io.csv_writer`): fields quoted,
    cells a spreadsheet would read as formulas prefixed with ``'``. CSV and JSON keep
    the stable column ids and stored values in every language.

    ``lang`` (``zh`` or ``en``) makes the table one for people: headers from the label
    catalogue with units in that language's convention, categorical values and
    booleans translated, numbers by their column's kind, finding messages (a ``code``
    and ``message`` column) from the message catalogue, ``注：`` for notes in Chinese.
    Without it the table shows the column ids and stored values.
    """
    if fmt == "json":
        return json_text(frame)
    if fmt == "csv":
        from greenpark.io.csv_writer import frame_csv_text

        return frame_csv_text(clean_frame(frame))
    lines = [title] if title else []
    left_out = []
    if lang is not None:
        frame, left_out = people_frame(frame, lang)
    if frame.empty:
        lines.append(NO_ROWS.get(lang, NO_ROWS[None]))
    else:
        lines.append(_table(frame) if lang is None else _people_table(frame, lang))
    notes = [*notes, *(PROSE_LEFT_OUT.format(column=c) for c in left_out)]
    lines += [f"{NOTE.get(lang, NOTE[None])}{n}" for n in notes]
    return "\n".join(lines) + "\n"


NOTE = {None: "Note: ", "en": "Note: ", "zh": "注："}
PROSE_LEFT_OUT = "“说明”列（{column}）含英文原文，未显示：见 --lang en 或 --format csv|json"
NO_ROWS = {None: "(no rows)", "en": "(no rows)", "zh": "（无数据）"}


def finding_text(finding, lang: str | None) -> str:
    """A finding as a note line: ``code: message`` without a language or in English,
    the message catalogue's Chinese text in Chinese
    (:func:`greenpark.core.messages.message`)."""
    if lang == "zh":
        from greenpark.core.messages import message

        return message(finding, "zh")
    return str(finding)


def _people_table(frame, lang: str) -> str:
    """The table in ``lang`` (see :func:`render`); cells as the HTML report shows them
    (:func:`greenpark.report.html.fmt`), blanks empty."""
    from greenpark.core.formats import row_kind
    from greenpark.core.labels import header
    from greenpark.report.html import fmt
    from greenpark.report.labels import check_lang

    check_lang(lang)
    frame = _messages_in(frame, lang)
    cols = [str(c) for c in frame.columns]
    units = list(frame["unit"]) if "unit" in frame.columns else [None] * len(frame)
    cells = [
        [_blank(fmt(v, c, lang, row_kind(c, u))) for v, c in zip(row, cols, strict=True)]
        for row, u in zip(frame.itertuples(index=False, name=None), units, strict=True)
    ]
    numeric = [frame[c].dtype.kind in "fiu" for c in frame.columns]
    return _table_rows([header(c, lang) for c in cols], cells, numeric)


# column -> its twin in the other language: a table in one language shows one of them
TWINS = {"indicator_en": "indicator_zh", "name": "name_zh", "message": "message_zh"}
PROSE = ("note",)  # free text written by the metrics in English


def people_frame(frame, lang: str):
    """The columns a table in ``lang`` shows: of a column and its other-language twin
    (:data:`TWINS`) the one in ``lang``; in Chinese, a :data:`PROSE` column whose text is
    not all Chinese is left out. Returns the frame and the columns left out for prose."""
    drop = [
        (en if lang == "zh" else zh)
        for en, zh in TWINS.items()
        if en in frame.columns and zh in frame.columns
    ]
    prose = []
    if lang == "zh":
        for col in PROSE:
            if col in frame.columns:
                texts = [t for t in frame[col] if isinstance(t, str) and t.strip()]
                if texts and not all(_cjk(t) for t in texts):
                    prose.append(col)
    frame = frame.drop(columns=drop + prose)
    if "label" in frame.columns:  # "English / 中文" labels, or a catalogued term
        frame = frame.assign(label=[_label(v, lang) for v in frame["label"]])
    return frame, prose


def _label(value, lang: str):
    """One language of an ``English / 中文`` label; a catalogued term in ``lang``."""
    from greenpark.core.labels import term

    if not isinstance(value, str):
        return value
    en, sep, zh = value.partition(" / ")
    if sep:
        return zh if lang == "zh" else en
    return term(value, lang)


def _cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" for ch in text)


def _blank(text: str) -> str:
    return "" if text == "–" else text


def _messages_in(frame, lang: str):
    """A findings table (``code`` and ``message`` columns) with each message from the
    message catalogue in ``lang``; the row's other columns are its parameters."""
    if lang != "zh" or not {"code", "message"} <= set(frame.columns):
        return frame
    from greenpark.core.findings import Finding
    from greenpark.core.messages import message

    out = frame.copy()
    texts = []
    for rec in frame.to_dict("records"):
        data = {k: v for k, v in rec.items() if k not in ("code", "message")}
        texts.append(message(Finding(str(rec["code"]), str(rec["message"]), data=data), "zh"))
    return out.drop(columns=["message"]).assign(message_zh=texts)


def records(frame) -> list[dict]:
    """DataFrame -> list of JSON-safe dicts."""
    out = []
    for rec in frame.to_dict("records"):
        out.append({k: _json_value(v) for k, v in rec.items()})
    return out


def json_text(frame) -> str:
    """``json.dumps(records(frame), ensure_ascii=False, indent=1) + "\\n"``, the same
    text, written column by column (the JSON of 10,000 PV roofs in a fraction of the
    time ``json.dumps`` takes with ``indent``, which has no C encoder).

    Frames whose cells are not all scalars (None, bool, int, float, str, timestamps)
    or whose columns are not distinct strings go through ``json.dumps`` itself.
    """
    from json.encoder import encode_basestring

    columns = list(frame.columns)
    plain = (
        len(frame) > 0
        and len(columns) > 0
        and all(isinstance(c, str) for c in columns)
        and len(set(columns)) == len(columns)
    )
    cells = []
    if plain:
        for i, name in enumerate(columns):
            texts = _json_texts(frame.iloc[:, i])
            if texts is None:
                break
            prefix = "  " + encode_basestring(name) + ": "
            cells.append([prefix + t for t in texts])
    if len(cells) != len(columns) or not plain:
        return json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n"
    rows = [" {\n" + ",\n".join(row) + "\n }" for row in zip(*cells, strict=True)]
    return "[\n" + ",\n".join(rows) + "\n]\n"


def _json_texts(column) -> list[str] | None:
    """The JSON text of each cell of a column as :func:`json_text` writes it (the values
    of :func:`records`); None when a cell is not a scalar."""
    from json.encoder import encode_basestring

    from greenpark.core.formats import SIGNIFICANT

    values = column.tolist()
    if column.dtype == "float64":  # clean() and JSON's float text, without the calls
        finite, spec = math.isfinite, f".{SIGNIFICANT}g"
        return [
            (repr(float(format(v, spec))) if v != 0 else repr(v)) if finite(v) else "null"
            for v in values
        ]
    out = []
    for v in values:
        v = _json_value(v)
        if v is None:
            out.append("null")
        elif v is True or v is False:
            out.append("true" if v else "false")
        elif isinstance(v, int):
            out.append(int.__repr__(v))
        elif isinstance(v, float):
            out.append(float.__repr__(v))
        elif isinstance(v, str):
            out.append(encode_basestring(v))
        else:
            return None
    return out


def clean_frame(frame):
    """A copy of ``frame`` whose float columns carry no binary noise
    (:func:`greenpark.core.formats.clean`: ``4671461.499999999`` -> ``4671461.5``)."""
    from greenpark.core.formats import clean

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind == "f":
            out[col] = out[col].map(clean)
    return out


def _json_value(v):
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):  # numpy floats are floats too
        from greenpark.core.formats import clean

        return float(clean(v)) if math.isfinite(v) else None
    module = type(v).__module__
    if module.startswith("numpy"):
        return _json_value(v.item())
    if module.startswith("pandas"):
        import pandas as pd

        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            return v.isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def render_records(
    rows: list[dict],
    columns: list[str],
    fmt: str,
    title: str | None = None,
    notes=(),
    lang: str | None = None,
) -> str:
    """Render plain records (no pandas needed: the load commands stay light); ``lang``
    as for :func:`render` (catalogue headers, translated values)."""
    if fmt == "json":
        data = [{c: _json_value(r.get(c)) for c in columns} for r in rows]
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        from greenpark.io.csv_writer import csv_text

        return csv_text(columns, ([r.get(c) for c in columns] for r in rows))
    numeric = [
        all(isinstance(r.get(c), int | float) and not isinstance(r.get(c), bool) for r in rows)
        for c in columns
    ]
    if lang is None:
        cells = [[_fmt(r.get(c)) for c in columns] for r in rows]
        heads = columns
    else:
        from greenpark.core.labels import header
        from greenpark.report.html import fmt as cell

        cells = [[_blank(cell(r.get(c), c, lang)) for c in columns] for r in rows]
        heads = [header(c, lang) for c in columns]
    lines = [title] if title else []
    lines.append(_table_rows(heads, cells, numeric) if rows else "(no rows)")
    lines += [f"Note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _fmt(v, kind: str | None = None) -> str:
    if v is None or type(v).__name__ in ("NAType", "NaTType"):  # pandas blanks
        return ""
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        if kind is not None and kind in FORMAT_KINDS:
            from greenpark.core.formats import format_number

            return format_number(v, kind)
        if v == 0:
            return "0"
        return f"{v:.6g}" if abs(v) < 1000 else f"{v:,.1f}"
    return str(v)


def _kinds():
    from greenpark.core.formats import FORMATS

    return frozenset(FORMATS)


FORMAT_KINDS = _kinds()  # core.formats is plain Python: no import cost


def _table(frame) -> str:
    """A text table; numbers formatted by their column's kind (the label catalogue's
    :func:`greenpark.core.labels.kind`, :data:`greenpark.core.formats.FORMATS`)."""
    from greenpark.core.labels import kind

    cols = [str(c) for c in frame.columns]
    kinds = [kind(c) for c in cols]
    cells = [
        [_fmt(v, k) for v, k in zip(row, kinds, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    numeric = [frame[c].dtype.kind in "fiu" for c in frame.columns]
    return _table_rows(cols, cells, numeric)


def _table_rows(cols: list[str], cells: list[list[str]], numeric: list[bool]) -> str:
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]

    def line(vals):
        parts = []
        for v, w, num in zip(vals, widths, numeric, strict=True):
            pad = " " * (w - _width(v))
            parts.append(pad + v if num else v + pad)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cols), rule, *[line(r) for r in cells]])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
