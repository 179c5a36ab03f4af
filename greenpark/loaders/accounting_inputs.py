"""Inputs of energy and carbon accounting: enterprises, production, green power, factor
overrides. All go through :func:`greenpark.loaders.tables.load_table`."""

from __future__ import annotations

from greenpark.core.errors import Problem
from greenpark.loaders.tables import Column, TableSpec, load_table

INSTRUMENT_TYPES = ("green_power_trade", "gec")


def _known_enterprises(con, rows: list[dict], column: str = "enterprise_id") -> list[Problem]:
    known = {r[0] for r in con.execute("SELECT enterprise_id FROM enterprises").fetchall()}
    if not known:
        return []  # no registry loaded: ids are taken as given
    return [
        Problem(
            r["_line"],
            column,
            r[column],
            "unknown enterprise (load it with 'greenpark load enterprises' first)",
            "input.unknown_enterprise",
        )
        for r in rows
        if r.get(column) is not None and r[column] not in known
    ]


ENTERPRISES = TableSpec(
    kind="enterprises",
    table="enterprises",
    columns=(
        Column("enterprise_id", required=True),
        Column("name"),
        Column("name_zh"),
        Column("industry"),
        Column("leading_industry", "bool", default=False),
    ),
    key=("enterprise_id",),
)

PRODUCTION = TableSpec(
    kind="production",
    table="production",
    columns=(
        Column("enterprise_id", required=True),
        Column("month", "month", required=True),
        Column("value_added_10k_cny", "number", required=True, minimum=0.0),
        Column("output_quantity", "number", minimum=0.0),
        Column("output_unit"),
    ),
    key=("enterprise_id", "month"),
    db_check=_known_enterprises,
)


def _instrument_row(row: dict, line: int) -> list[Problem]:
    out = []
    if row["period_end"] < row["period_start"]:
        out.append(
            Problem(
                line,
                "period_end",
                str(row["period_end"]),
                "period_end is before period_start",
                "green_power.period",
            )
        )
    return out


def _instrument_db(con, rows: list[dict]) -> list[Problem]:
    out = _known_enterprises(con, rows)
    stored = dict(
        con.execute(
            "SELECT reference, instrument_id FROM green_power WHERE reference IS NOT NULL"
        ).fetchall()
    )
    seen: dict[str, int] = {}
    for row in rows:
        ref = row.get("reference")
        if ref is None:
            continue
        if ref in seen:
            out.append(
                Problem(
                    row["_line"],
                    "reference",
                    ref,
                    f"certificate/trade reference "
                    f"already used on line {seen[ref]}: an instrument cannot be "
                    "claimed twice",
                    "green_power.double_claim",
                )
            )
        elif stored.get(ref, row["instrument_id"]) != row["instrument_id"]:
            out.append(
                Problem(
                    row["_line"],
                    "reference",
                    ref,
                    f"certificate/trade reference already claimed by instrument {stored[ref]}",
                    "green_power.double_claim",
                )
            )
        seen.setdefault(ref, row["_line"])
    return out


GREEN_POWER = TableSpec(
    kind="green_power",
    table="green_power",
    columns=(
        Column("instrument_id", required=True),
        Column("type", "choice", required=True, choices=INSTRUMENT_TYPES),
        Column("mwh", "number", required=True, minimum=0.0),
        Column("period_start", "date", required=True),
        Column("period_end", "date", required=True),
        Column("enterprise_id"),
        Column("vintage", "month", required=True),
        Column("reference"),
    ),
    key=("instrument_id",),
    row_check=_instrument_row,
    db_check=_instrument_db,
)


def _override_row(row: dict, line: int) -> list[Problem]:
    from greenpark.core.factors import FACTOR_SLOTS
    from greenpark.core.units import UnitError, factor_to

    key = row["factor_key"]
    if key not in FACTOR_SLOTS:
        return [
            Problem(
                line,
                "factor_key",
                key,
                "unknown factor key; see 'greenpark factors list'",
                "factor_overrides.key",
            )
        ]
    try:
        factor_to(row["unit"], FACTOR_SLOTS[key])
    except UnitError as exc:
        return [
            Problem(
                line,
                "unit",
                row["unit"],
                f"{exc}: {key} is in {FACTOR_SLOTS[key]}",
                "factor_overrides.unit",
            )
        ]
    if row["valid_to"] < row["valid_from"]:
        return [
            Problem(
                line,
                "valid_to",
                str(row["valid_to"]),
                "valid_to is before valid_from",
                "factor_overrides.validity",
            )
        ]
    return []


FACTOR_OVERRIDES = TableSpec(
    kind="factor_overrides",
    table="factor_overrides",
    columns=(
        Column("factor_key", required=True),
        Column("value", "number", required=True, minimum=0.0),
        Column("unit", required=True),
        Column("source", required=True),
        Column("valid_from", "date", required=True),
        Column("valid_to", "date", required=True),
        Column("note"),
    ),
    key=("factor_key", "valid_from"),
    row_check=_override_row,
)

SPECS = {spec.kind: spec for spec in (ENTERPRISES, PRODUCTION, GREEN_POWER, FACTOR_OVERRIDES)}


def load_accounting_input(store, kind: str, path, **options):
    """Load an accounting input file of ``kind`` (enterprises, production, green_power,
    factor_overrides); see :func:`greenpark.loaders.tables.load_table`."""
    return load_table(store, SPECS[kind], path, **options)


def _grades_row(row: dict, line: int) -> list[Problem]:
    if not row["grade1_limit"] <= row["grade2_limit"] <= row["grade3_limit"]:
        return [
            Problem(
                line,
                "grade2_limit",
                str(row["grade2_limit"]),
                "limits must satisfy grade1 <= grade2 <= grade3 (grade 1 is the most advanced)",
                "product_energy.grades",
            )
        ]
    return []


PRODUCT_ENERGY = TableSpec(
    kind="product_energy",
    table="product_energy",
    columns=(
        Column("enterprise_id", required=True),
        Column("year", "int", required=True, minimum=2000, maximum=2100),
        Column("product", required=True),
        Column("unit", required=True),
        Column("intensity", "number", required=True, minimum=0.0),
        Column("grade1_limit", "number", required=True, minimum=0.0),
        Column("grade2_limit", "number", required=True, minimum=0.0),
        Column("grade3_limit", "number", required=True, minimum=0.0),
        Column("standard", required=True),
    ),
    key=("enterprise_id", "year", "product"),
    row_check=_grades_row,
    db_check=_known_enterprises,
)
SPECS[PRODUCT_ENERGY.kind] = PRODUCT_ENERGY

from greenpark.loaders.process_emissions import PROCESS_EMISSIONS  # noqa: E402

SPECS[PROCESS_EMISSIONS.kind] = PROCESS_EMISSIONS
