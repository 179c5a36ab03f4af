#!/usr/bin/env python
"""Deterministic generator of the demo park's accounting inputs (synthetic).

Writes, next to this file:

* ``production.csv``: monthly industrial value added (10k CNY) per enterprise, 2024-2025,
  from each enterprise's metered electricity (``readings_*.parquet``) times an
  illustrative value-added intensity per industry (10k CNY per MWh: new-energy vehicle
  parts 1.5, biomedicine 4.0, high-end equipment 2.0, others 0.8) with seeded noise.
  One row is deliberately missing: E27, 2024-03 (a late statistics return).
* ``green_power.csv``: a park-level green-power trade per year (12,000 MWh in 2024,
  20,000 MWh in 2025), GECs for E13 (2,500 MWh, vintage 2025-04), and a GEC batch of
  vintage 2024-12 that someone tried to use for Q1 2025 (not counted: wrong vintage).
* ``product_energy.csv``: declared product energy intensities of five enterprises with
  grade 1-3 limit values. Products and limits are SYNTHETIC (standard
  ``DEMO-SYNTHETIC``), not the values of any national limit standard: they only exercise
  the indicator. One product (E22) sits at grade 3.
* ``meters_carbon.csv`` and ``steam_daily.csv``: purchased steam, metered in GJ, daily:
  the boundary meter STEAM-IMP and two biomedicine submeters (E13, E15); the boundary
  reads 3 % more than the submeters (distribution losses).

Run from the repository root: ``python datasets/demo-park/generate_carbon.py``.
Needs the electricity parquet files of ``generate.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20251128
HERE = Path(__file__).resolve().parent
VA_PER_MWH = {"new_energy_vehicle_parts": 1.5, "biomedicine": 4.0, "high_end_equipment": 2.0}
OTHER_VA_PER_MWH = 0.8
MISSING = ("E27", "2024-03")
STEAM_GJ_PER_DAY = {"E13": 260.0, "E15": 180.0}
STEAM_LOSS = 0.03


def monthly_electricity_mwh(data: Path) -> pd.DataFrame:
    """Enterprise electricity per month from the wide parquet files. [MWh]"""
    frames = [pd.read_parquet(p) for p in sorted(data.glob("readings_*.parquet"))]
    wide = pd.concat(frames).set_index("timestamp")
    meters = pd.read_csv(data / "meters.csv")
    subs = meters[meters["role"] == "submeter"]
    out = {}
    for row in subs.itertuples():
        series = wide[row.meter_id] * (1000.0 if row.unit == "MWh" else 1.0)
        out[row.enterprise_id] = series.resample("MS").sum() / 1000.0
    return pd.DataFrame(out)


def production(data: Path, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly value added per enterprise. [10k CNY]"""
    mwh = monthly_electricity_mwh(data)
    industries = pd.read_csv(data / "enterprises.csv").set_index("enterprise_id")["industry"]
    rows = []
    for ent in sorted(mwh.columns):
        rate = VA_PER_MWH.get(industries[ent], OTHER_VA_PER_MWH)
        noise = rng.normal(1.0, 0.05, len(mwh))
        for (month, value), k in zip(mwh[ent].items(), noise, strict=True):
            label = month.strftime("%Y-%m")
            if (ent, label) == MISSING:
                continue
            rows.append([ent, label, round(value * rate * k, 1)])
    return pd.DataFrame(rows, columns=["enterprise_id", "month", "value_added_10k_cny"])


def green_power() -> pd.DataFrame:
    """Green-power trades and GECs (instrument ids and references are fictional)."""
    rows = [
        [
            "GPT-2024-01",
            "green_power_trade",
            12000,
            "2024-01-01",
            "2024-12-31",
            "",
            "2024-06",
            "JS-GPT-2024-0117",
        ],
        [
            "GPT-2025-01",
            "green_power_trade",
            20000,
            "2025-01-01",
            "2025-12-31",
            "",
            "2025-06",
            "JS-GPT-2025-0042",
        ],
        [
            "GEC-2025-E13",
            "gec",
            2500,
            "2025-01-01",
            "2025-12-31",
            "E13",
            "2025-04",
            "GEC-202504-3201-000851",
        ],
        [
            "GEC-2024-LATE",
            "gec",
            1500,
            "2025-01-01",
            "2025-03-31",
            "",
            "2024-12",
            "GEC-202412-3201-009113",
        ],
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "instrument_id",
            "type",
            "mwh",
            "period_start",
            "period_end",
            "enterprise_id",
            "vintage",
            "reference",
        ],
    )


def product_energy() -> pd.DataFrame:
    """Synthetic product energy declarations (not real standard limit values)."""
    std = "DEMO-SYNTHETIC (not a national standard)"
    rows = [
        ["E01", 2025, "battery pack (demo)", "kgce/pack", 5.6, 5.0, 6.0, 7.0, std],
        ["E03", 2025, "die-cast housing (demo)", "kgce/t", 410.0, 380.0, 420.0, 480.0, std],
        ["E13", 2025, "sterile vial (demo)", "kgce/10k vials", 31.0, 33.0, 36.0, 40.0, std],
        ["E20", 2025, "CNC machine (demo)", "kgce/unit", 870.0, 800.0, 900.0, 1000.0, std],
        ["E22", 2025, "gearbox (demo)", "kgce/unit", 96.0, 80.0, 90.0, 100.0, std],
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "enterprise_id",
            "year",
            "product",
            "unit",
            "intensity",
            "grade1_limit",
            "grade2_limit",
            "grade3_limit",
            "standard",
        ],
    )


def steam(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steam meters and their daily readings (interval GJ, stamped 00:00 local)."""
    meters = pd.DataFrame(
        [
            [
                "STEAM-IMP",
                "Purchased steam, park boundary",
                "heat",
                "heat_import",
                "GJ",
                "interval",
                1,
                "",
                "",
                "",
            ],
            [
                "STEAM-E13",
                "E13 steam submeter",
                "heat",
                "submeter",
                "GJ",
                "interval",
                1,
                "",
                "STEAM-IMP",
                "E13",
            ],
            [
                "STEAM-E15",
                "E15 steam submeter",
                "heat",
                "submeter",
                "GJ",
                "interval",
                1,
                "",
                "STEAM-IMP",
                "E15",
            ],
        ],
        columns=[
            "meter_id",
            "name",
            "carrier",
            "role",
            "unit",
            "reading_type",
            "multiplier",
            "register_max",
            "parent_id",
            "enterprise_id",
        ],
    )
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    season = 1.0 + 0.25 * np.cos(2 * np.pi * (days.day_of_year - 15) / 365.25)
    data = {"timestamp": days.strftime("%Y-%m-%d %H:%M")}
    total = np.zeros(len(days))
    for ent, base in STEAM_GJ_PER_DAY.items():
        values = np.round(base * season * rng.normal(1.0, 0.06, len(days)), 1)
        data[f"STEAM-{ent}"] = values
        total += values
    data["STEAM-IMP"] = np.round(total * (1 + STEAM_LOSS), 1)
    wide = pd.DataFrame(data)
    long = wide.melt(id_vars="timestamp", var_name="meter_id", value_name="value")
    return meters, long[["meter_id", "timestamp", "value"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    production(HERE, rng).to_csv(args.out / "production.csv", index=False, lineterminator="\n")
    green_power().to_csv(args.out / "green_power.csv", index=False, lineterminator="\n")
    product_energy().to_csv(args.out / "product_energy.csv", index=False, lineterminator="\n")
    meters, readings = steam(rng)
    meters.to_csv(args.out / "meters_carbon.csv", index=False, lineterminator="\n")
    readings.to_csv(args.out / "steam_daily.csv", index=False, lineterminator="\n")
    print(
        f"wrote production.csv, green_power.csv, meters_carbon.csv, steam_daily.csv to {args.out}"
    )


if __name__ == "__main__":
    main()
