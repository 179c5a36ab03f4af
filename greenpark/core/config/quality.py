"""``[quality]`` of park.toml: how complete a meter's readings must be."""

from __future__ import annotations

from dataclasses import dataclass

from greenpark.core.config.validate import Table


@dataclass(frozen=True)
class QualitySettings:
    """``[quality]`` of park.toml.

    Attributes
    ----------
    coverage_min_pct : float
        Share of its expected intervals a meter must report in a period; below it a
        boundary meter is an error and a submeter a warning, and figures resting on a
        boundary meter below it are marked incomplete (default 99, as the usual
        monitoring-platform completeness target). [%]
    """

    coverage_min_pct: float = 99.0


QUALITY_KEYS = tuple(QualitySettings.__dataclass_fields__)


def read_quality(table: Table) -> QualitySettings:
    """``[quality]`` from its table; problems are recorded on ``table``'s checker."""
    d = QualitySettings()
    table.keys(QUALITY_KEYS)
    return QualitySettings(
        coverage_min_pct=table.number("coverage_min_pct", d.coverage_min_pct, 0, 100, lo_open=True)
    )
