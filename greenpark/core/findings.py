"""The one shape of everything greenpark wants a user to know: :class:`Finding`, and the
one shape of what a metric returns: :class:`Result`.

Loaders, checks and metrics all report findings the same way (a dotted code, a severity,
a message and the data it is about); the CLI, the HTML report, the workbook and the
exports render them from this type and never parse codes out of text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SEVERITIES = ("info", "warning", "error")
FINDING_COLUMNS = ["code", "severity", "message"]
# Keys of Finding.data that renderers show as their own columns when present.
DATA_COLUMNS = ("meter_id", "enterprise_id", "period", "file", "line")


@dataclass(frozen=True)
class Finding:
    """Something a user should know about a result or an input.

    Attributes
    ----------
    code : str
        Dotted, machine-readable, stable: ``readings.gap``, ``factor.fallback``.
    message : str
        One sentence for people (English; the report's catalogue translates by code).
    severity : str
        ``info``, ``warning`` (default) or ``error``.
    data : mapping
        What it is about: ``meter_id``, ``enterprise_id``, ``period``, ``file``,
        ``line`` where known, and any figures the message quotes.
    """

    code: str
    message: str
    severity: str = "warning"
    data: Mapping = field(default_factory=dict)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding severity {self.severity!r}: one of {SEVERITIES}")
        if not self.code or " " in self.code:
            raise ValueError(f"finding code {self.code!r} must be dotted, without spaces")
        object.__setattr__(self, "data", dict(self.data))

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __contains__(self, text: str) -> bool:
        """``"vintage" in finding``: a text search of code and message."""
        return text in str(self)

    def __getitem__(self, key: str):
        """Mapping-style access to the fields and the data (``finding["code"]``)."""
        return self.to_dict()[key]

    def __hash__(self) -> int:  # consistent with __eq__: equal findings share code and text
        return hash((self.code, self.message, self.severity))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.code, self.message, self.severity, dict(self.data)) == (
            other.code,
            other.message,
            other.severity,
            dict(other.data),
        )

    def to_dict(self) -> dict:
        """JSON-safe: ``code, severity, message`` and the data's keys."""
        out = {"code": self.code, "severity": self.severity, "message": self.message}
        for key, value in self.data.items():
            out.setdefault(key, json_safe(value))
        return out


def json_safe(value):
    """A value JSON can carry: NaN and infinities become None, dates ISO text."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return json_safe(value.item())
    if hasattr(value, "to_dict"):
        return json_safe(value.to_dict())
    return str(value)


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` without repeats, in their first order."""
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.message, f.severity, json.dumps(f.to_dict(), sort_keys=True, default=str))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def findings_frame(findings: Iterable[Finding]):
    """A DataFrame with ``code, severity, message`` and the data columns present."""
    import pandas as pd

    rows = [f.to_dict() for f in findings]
    extra = [c for c in DATA_COLUMNS if any(c in r for r in rows)]
    columns = FINDING_COLUMNS + extra
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


@dataclass
class Result:
    """What a metric returns: a table, what to know about it, and what it rests on.

    Attributes
    ----------
    frame : pandas.DataFrame
        The figures, in columns whose names end with their unit (``energy_tce``,
        ``emissions_market_tco2``, ``coverage_pct``).
    findings : list of Finding
        Fallbacks, exclusions, gaps, assumptions: everything a reader must know.
    inputs : dict
        What the figures rest on: the period, factors, settings and choices used.
    tables : dict of str -> DataFrame
        Companion tables (e.g. ``changes`` of intensities).
    coverage : pandas.DataFrame or None
        The boundary meters the figures rest on, per period: ``period, meter_id, role,
        carrier, expected, received, coverage_pct, complete``
        (:func:`greenpark.metrics.coverage.boundary_coverage`); None for results that
        do not rest on meter readings.
    """

    frame: object
    findings: list[Finding] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    coverage: object = None

    def __post_init__(self):
        self.findings = unique(self.findings)

    @property
    def incomplete(self) -> bool:
        """Whether a boundary meter the figures rest on is below the park's coverage
        threshold in one of the periods."""
        return self.coverage is not None and not bool(self.coverage["complete"].all())

    def incomplete_periods(self) -> set[str]:
        """Labels of the periods whose figures rest on incomplete inputs."""
        if self.coverage is None:
            return set()
        return set(self.coverage.loc[~self.coverage["complete"].astype(bool), "period"])

    def flagged_frame(self):
        """The frame as the CLI shows it: with a last column ``inputs_complete`` when the
        result rests on meter readings (per row where rows are the windows of
        ``inputs["windows"]``, else the whole result's)."""
        if self.coverage is None:
            return self.frame
        low = self.incomplete_periods()
        windows = self.inputs.get("windows")
        out = self.frame.copy()
        if isinstance(windows, Mapping) and "period" in out.columns:
            out["inputs_complete"] = [windows.get(p, p) not in low for p in out["period"]]
        else:
            out["inputs_complete"] = not low
        return out

    def flagged_changes(self):
        """``tables["changes"]`` as the CLI shows it: for a result resting on meter
        readings, a column per change (``mom_complete`` ...) after them, false where either
        window of the change (:data:`greenpark.core.periods.CHANGES`, named in
        ``inputs["windows"]``) rests on incomplete inputs."""
        from greenpark.core.periods import CHANGES

        table = self.tables["changes"]
        windows = self.inputs.get("windows")
        if self.coverage is None or not isinstance(windows, Mapping):
            return table
        low, out = self.incomplete_periods(), table.copy()
        for name, (now, before) in CHANGES.items():
            if name in out.columns:
                used = {windows.get(now), windows.get(before)}
                out[f"{name.removesuffix('_pct')}_complete"] = not used & low
        return out

    def to_frame(self):
        """The frame, with ``attrs`` ``findings``, ``inputs`` and each companion table."""
        frame = self.frame
        frame.attrs["findings"] = list(self.findings)
        frame.attrs["inputs"] = dict(self.inputs)
        if "period" in self.inputs:
            frame.attrs["period"] = self.inputs["period"]
        for name, table in self.tables.items():
            frame.attrs[name] = table
        if self.coverage is not None:
            frame.attrs["coverage"], frame.attrs["incomplete"] = self.coverage, self.incomplete
        return frame

    def to_dict(self) -> dict:
        """JSON-safe: ``rows``, ``findings``, ``inputs`` and ``tables`` (and, for results
        resting on meter readings, ``coverage`` and ``incomplete``)."""
        out = {
            "rows": records(self.frame),
            "findings": [f.to_dict() for f in self.findings],
            "inputs": json_safe(self.inputs),
            "tables": {k: records(v) for k, v in self.tables.items()},
        }
        if self.coverage is not None:
            out["coverage"], out["incomplete"] = records(self.coverage), self.incomplete
        return out

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def records(frame) -> list[dict]:
    """Rows of a DataFrame as JSON-safe dicts."""
    if frame is None:
        return []
    return [{str(k): json_safe(v) for k, v in row.items()} for row in frame.to_dict("records")]
