"""Render result DataFrames as a text table, CSV or JSON records (formatting only)."""

from __future__ import annotations

import json
import math


def render(frame, fmt: str, title: str | None = None, notes=()) -> str:
    """Render ``frame`` in ``fmt`` (``table``, ``csv`` or ``json``).

    JSON is a list of records with JSON-safe values (NaN -> null, timestamps ISO 8601).
    CSV cells that a spreadsheet would read as formulas are prefixed with ``'``.
    """
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        safe = frame.copy()
        for col in safe.columns:
            if safe[col].dtype.kind in "OSUT" or str(safe[col].dtype) in ("str", "string"):
                safe[col] = safe[col].astype(object).map(_csv_cell)
        return safe.to_csv(index=False, lineterminator="\n")
    lines = [title] if title else []
    if frame.empty:
        lines.append("(no rows)")
    else:
        lines.append(_table(frame))
    lines += [f"Note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def records(frame) -> list[dict]:
    """DataFrame -> list of JSON-safe dicts."""
    out = []
    for rec in frame.to_dict("records"):
        out.append({k: _json_value(v) for k, v in rec.items()})
    return out


def _json_value(v):
    import numpy as np
    import pandas as pd

    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float | np.floating):
        return None if not math.isfinite(float(v)) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _csv_cell(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _table(frame) -> str:
    def fmt(v):
        if v is None:
            return ""
        if isinstance(v, float):
            if not math.isfinite(v):
                return ""
            if v == 0:
                return "0"
            return f"{v:.6g}" if abs(v) < 1000 else f"{v:,.1f}"
        return str(v)

    cols = [str(c) for c in frame.columns]
    cells = [[fmt(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    numeric = [frame[c].dtype.kind in "fiu" for c in frame.columns]

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
