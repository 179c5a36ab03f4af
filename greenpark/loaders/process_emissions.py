"""Industrial process emissions (工业过程排放): one row per enterprise, month and process,
either the CO2 itself or an activity and its emission factor, with the method and source.

The zero-carbon park accounting counts them beside energy-related emissions (shared
reference: "fossil fuel combustion + energy conversion + indirect emissions of net
imported electricity and heat (+ industrial process emissions)"). greenpark ships no
process emission factor: the park declares each figure and where it comes from.
"""

from __future__ import annotations

from greenpark.core.errors import Problem
from greenpark.loaders.tables import Column, TableSpec

# Declared tCO2 and activity x factor may differ by this much (rounding in the file). [-]
CONSISTENCY_RTOL = 1e-6


def _process_row(row: dict, line: int) -> list[Problem]:
    """Either ``tco2``, or ``activity`` and ``factor_tco2_per_unit`` (and ``activity_unit``);
    both when they agree. Sets ``tco2`` from the activity when it is blank."""
    tco2, activity, factor = row["tco2"], row["activity"], row["factor_tco2_per_unit"]
    if (activity is None) != (factor is None):
        missing = "factor_tco2_per_unit" if factor is None else "activity"
        return [_problem(line, missing, None, "activity and factor_tco2_per_unit go together")]
    if activity is None:
        if tco2 is None:
            return [_problem(line, "tco2", None, "give tco2, or activity and factor_tco2_per_unit")]
        return []
    if row["activity_unit"] is None:
        return [_problem(line, "activity_unit", None, "an activity needs its activity_unit")]
    computed = activity * factor
    if tco2 is not None and abs(tco2 - computed) > CONSISTENCY_RTOL * max(abs(computed), 1e-12):
        message = f"tco2 differs from activity x factor ({computed:g} tCO2)"
        return [_problem(line, "tco2", str(tco2), message)]
    row["tco2"] = computed
    return []


def _problem(line: int, column: str, value, rule: str) -> Problem:
    return Problem(line, column, value, rule, "process_emissions.row")


def _known(con, rows: list[dict]) -> list[Problem]:
    from greenpark.loaders.accounting_inputs import _known_enterprises

    return _known_enterprises(con, rows)


PROCESS_EMISSIONS = TableSpec(
    kind="process_emissions",
    table="process_emissions",
    columns=(
        Column("enterprise_id", required=True),
        Column("month", "month", required=True),
        Column("process", required=True),
        Column("tco2", "number", minimum=0.0),
        Column("activity", "number", minimum=0.0),
        Column("activity_unit"),
        Column("factor_tco2_per_unit", "number", minimum=0.0),
        Column("method", required=True),
        Column("source"),
    ),
    key=("enterprise_id", "month", "process"),
    row_check=_process_row,
    db_check=_known,
)
