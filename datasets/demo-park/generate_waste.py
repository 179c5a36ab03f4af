#!/usr/bin/env python
"""Deterministic generator of the demo park's waste, water and waste-heat data.

Writes into ``datasets/demo-park/`` (or ``--out DIR``):

* ``meters_water.csv``: 5 water meters (park intake + 4 recycled-water meters) and 2
  waste-heat meters, loadable with ``greenpark load meters``;
* ``readings_water_heat.csv``: their daily readings 2024-01-01..2025-12-31 (long layout,
  local time, interval start, m3 per day and GJ per day);
* ``waste_ledger.csv``: the monthly waste ledger of E01..E30 with Chinese headers (固废
  台账), quantities in t (kg for three small enterprises);
* ``waste_heat.csv``: monthly waste-heat declarations (recoverable energy per source,
  recovered from a meter or declared, one source not applicable with a reason).

Everything is synthetic and seeded (numpy ``default_rng``); no network, no wall clock:
two runs write byte-identical files. See README.md ("Waste, water and waste heat") for
the model and the deliberate irregularities.

Usage::

    python datasets/demo-park/generate_waste.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240105
DAYS = pd.date_range("2024-01-01", "2025-12-31", freq="D")
MONTHS = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
SPRING_FESTIVALS = (("2024-02-10", "2024-02-17"), ("2025-01-28", "2025-02-04"))

# meter_id, name, carrier, role, unit, enterprise_id, daily mean, summer swing, weekend factor
METERS = [
    (
        "W-INTAKE",
        "Park fresh water intake (municipal supply)",
        "water",
        "water_intake",
        "m3",
        "",
        4500.0,
        0.18,
        0.80,
    ),
    (
        "W-REC-E03",
        "E03 die-casting cooling water recirculation",
        "water",
        "water_recycled",
        "m3",
        "E03",
        11800.0,
        0.25,
        0.70,
    ),
    (
        "W-REC-E08",
        "E08 process water recycling",
        "water",
        "water_recycled",
        "m3",
        "E08",
        3100.0,
        0.05,
        0.75,
    ),
    (
        "W-REC-E16",
        "E16 cooling tower recirculation",
        "water",
        "water_recycled",
        "m3",
        "E16",
        6200.0,
        0.30,
        0.95,
    ),
    (
        "W-REC-PARK",
        "Park reclaimed water (中水回用) for cooling and landscape",
        "water",
        "water_recycled",
        "m3",
        "",
        800.0,
        0.40,
        1.00,
    ),
    (
        "WH-E03",
        "E03 melting furnace flue-gas heat recovery",
        "heat",
        "waste_heat_recovered",
        "GJ",
        "E03",
        60.0,
        -0.10,
        0.70,
    ),
    (
        "WH-GAS",
        "Energy centre boiler condensing economiser",
        "heat",
        "waste_heat_recovered",
        "GJ",
        "",
        8.5,
        -0.30,
        0.85,
    ),
]
# Deliberate irregularities in the readings (local days, inclusive).
WATER_GAP = ("W-REC-E08", "2025-04-10", "2025-04-16")  # meter offline: no readings
WATER_FLAT = ("W-INTAKE", "2024-10-21", "2024-10-25")  # AMR repeats the last value
HEAT_GAP = ("WH-E03", "2025-09-10", "2025-09-14")  # data logger fault: no readings

# Waste streams: (stream suffix, category, subtype, hw_code, t per GWh per month, route,
# share utilized (rest disposed), contractor)
NEV = [
    ("SCRAP", "general_industrial_solid", "废金属边角料", None, 0.55, "recycling", 1.0, None),
    ("PACK", "recyclable", "废纸箱/塑料包装", None, 0.12, "recycling", 1.0, None),
    ("OIL", "hazardous", "废矿物油", "HW08", 0.020, "recycling", 1.0, "C1"),
    ("RAGS", "hazardous", "含油抹布及包装物", "HW49", 0.015, "incineration", 0.0, "C2"),
]
BIO = [
    (
        "SLUDGE",
        "general_industrial_solid",
        "污水处理污泥",
        None,
        0.45,
        "energy_recovery",
        0.0,
        None,
    ),
    ("PACK", "recyclable", "废纸箱/塑料包装", None, 0.10, "recycling", 1.0, None),
    ("PHARMA", "hazardous", "医药废物", "HW02", 0.06, "incineration", 0.0, "C2"),
    ("SOLV", "hazardous", "废有机溶剂", "HW06", 0.05, "recycling", 1.0, "C3"),
]
HEE = [
    ("SCRAP", "general_industrial_solid", "废金属切屑", None, 0.70, "recycling", 1.0, None),
    ("PACK", "recyclable", "废木托盘/纸箱", None, 0.15, "reuse", 1.0, None),
    ("OIL", "hazardous", "废矿物油", "HW08", 0.025, "recycling", 1.0, "C1"),
    ("EMUL", "hazardous", "废乳化液", "HW09", 0.030, "incineration", 0.0, "C2"),
]
EXTRA = {  # enterprise -> additional streams
    "E03": [
        ("DROSS", "hazardous", "铝灰渣", "HW48", 0.20, "recycling", 1.0, "C4"),
        ("SAND", "general_industrial_solid", "废型砂", None, 0.60, "recycling", 0.8, None),
    ],
    "E06": [("PLATE", "hazardous", "表面处理废物", "HW17", 0.04, "incineration", 0.0, "C2")],
    "E08": [("NI", "hazardous", "含镍废物", "HW46", 0.10, "recycling", 1.0, "C4")],
    "E25": [("SLUDGE", "general_industrial_solid", "磨削污泥", None, 0.30, "landfill", 0.0, None)],
}
CONTRACTORS = {
    "C1": ("苏州清源再生资源有限公司", "JS0508OOD101-2"),
    "C2": ("苏州绿岛危废处置有限公司", "JS0506OOI205-4"),
    "C3": ("江苏恒新溶剂回收有限公司", "JS0583OOD318-1"),
    "C4": ("苏州金环资源综合利用有限公司", "JS0505OOD422-3"),
}
KG_ENTERPRISES = {"E13": "kg", "E15": "kg", "E17": "千克"}
GWH_2024 = {
    "E01": 14.5,
    "E02": 9.0,
    "E03": 12.0,
    "E04": 5.5,
    "E05": 2.0,
    "E06": 7.5,
    "E07": 3.0,
    "E08": 15.0,
    "E09": 4.0,
    "E10": 3.5,
    "E11": 2.5,
    "E12": 8.0,
    "E13": 2.5,
    "E14": 6.0,
    "E15": 1.5,
    "E16": 10.0,
    "E17": 1.2,
    "E18": 7.0,
    "E19": 3.0,
    "E20": 4.5,
    "E21": 3.0,
    "E22": 5.0,
    "E23": 2.5,
    "E24": 2.0,
    "E25": 6.5,
    "E26": 1.8,
    "E27": 3.5,
}
DOMESTIC_T_PER_MONTH = {"E28": 6.0, "E29": 2.5, "E30": 3.0}
# From a month on, a stream goes another way (E25 grinding sludge: briquetted and sold to
# a steel mill instead of landfilled).
ROUTE_CHANGES = {
    "E25-SLUDGE": (
        "2025-07",
        ("SLUDGE", "general_industrial_solid", "磨削污泥", None, 0.30, "recycling", 1.0, None),
    ),
}
# Deliberate ledger irregularities: (month, stream id) -> what goes wrong.
LEDGER_ERRORS = {
    ("2025-03", "E05-SCRAP"): "unbalanced",  # 0.6 t generated but never booked
    ("2024-11", "E22-OIL"): "over_utilized",  # utilized > generated, no storage declared
    ("2025-08", "E14-PHARMA"): "no_route",  # disposed, route left blank
}
HEADERS_ZH = [
    "月份",
    "企业编号",
    "废物流编号",
    "类别",
    "废物名称",
    "危废代码",
    "计量单位",
    "产生量",
    "综合利用量",
    "其中利用往年贮存量",
    "处置量",
    "其中处置往年贮存量",
    "贮存量",
    "倾倒丢弃量",
    "利用处置方式",
    "利用处置单位",
    "许可证编号",
]


def activity(weekend: float) -> np.ndarray:
    """Activity per day: 1 on weekdays, ``weekend`` at weekends, low in Spring Festival."""
    act = np.where(DAYS.day_of_week >= 5, weekend, 1.0)
    for start, end in SPRING_FESTIVALS:
        act[(DAYS >= start) & (DAYS <= end)] = 0.4 if weekend < 1.0 else 1.0
    return act


def readings(rng: np.random.Generator) -> pd.DataFrame:
    """Daily readings of the water and waste-heat meters, with the irregularities."""
    season = np.cos(2 * np.pi * (DAYS.day_of_year.to_numpy() - 200) / 365.25)  # +1 in July
    frames = []
    for meter_id, _n, _c, _r, _u, _e, mean, swing, weekend in METERS:
        value = mean * (1 + swing * season) * activity(weekend)
        value = value * rng.lognormal(0.0, 0.04, len(DAYS))
        step = 0.1 if meter_id.startswith("W-") else 0.01  # meter resolution
        frame = pd.DataFrame(
            {"meter_id": meter_id, "timestamp": DAYS, "value": _no_repeats(value, step)}
        )
        frames.append(_irregular(frame, meter_id))
    out = pd.concat(frames, ignore_index=True)
    out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    return out


def _no_repeats(value: np.ndarray, step: float) -> np.ndarray:
    """Round to the meter's resolution; a value equal to the day before is raised by one
    step, so that the only flat line is the deliberate one."""
    out = np.round(value / step) * step
    for i in range(1, len(out)):
        if abs(out[i] - out[i - 1]) < step / 2:
            out[i] += step
    return np.round(out, 2)


def _irregular(frame: pd.DataFrame, meter_id: str) -> pd.DataFrame:
    for gap_meter, start, end in (WATER_GAP, HEAT_GAP):
        if meter_id == gap_meter:
            frame = frame[(frame["timestamp"] < start) | (frame["timestamp"] > end)]
    if meter_id == WATER_FLAT[0]:
        stuck = (frame["timestamp"] >= WATER_FLAT[1]) & (frame["timestamp"] <= WATER_FLAT[2])
        first = frame.loc[stuck, "value"].iloc[0]
        frame = frame.assign(value=frame["value"].where(~stuck, first))
    return frame


def streams() -> list[tuple[str, str, tuple, float]]:
    """(enterprise, stream id, stream spec, mean t per month) for every waste stream."""
    out = []
    for ent, gwh in GWH_2024.items():
        n = int(ent[1:])
        base = NEV if n <= 11 else BIO if n <= 19 else HEE
        for spec in base + EXTRA.get(ent, []):
            out.append((ent, f"{ent}-{spec[0]}", spec, spec[4] * gwh))
        out.append(
            (
                ent,
                f"{ent}-MSW",
                ("MSW", "domestic", "生活垃圾", None, 0, "energy_recovery", 0.0, None),
                0.08 * gwh + 0.5,
            )
        )
    for ent, t in DOMESTIC_T_PER_MONTH.items():
        out.append(
            (
                ent,
                f"{ent}-MSW",
                ("MSW", "domestic", "生活垃圾", None, 0, "energy_recovery", 0.0, None),
                t,
            )
        )
        route = "composting" if ent == "E28" else "recycling"
        out.append(
            (
                ent,
                f"{ent}-PACK",
                ("PACK", "recyclable", "废纸箱/塑料膜", None, 0, route, 1.0, None),
                0.8 * t,
            )
        )
    return out


def ledger(rng: np.random.Generator) -> pd.DataFrame:
    """The monthly waste ledger: every row balanced except the deliberate errors."""
    rows = []
    for ent, stream_id, spec, mean_t in streams():
        carry_t = 0.0  # year-end storage of hazardous waste, taken out next January
        for month in MONTHS:
            label = month.strftime("%Y-%m")
            gen = round(mean_t * (0.7 if month.month == 2 else 1.0) * rng.lognormal(0.0, 0.12), 3)
            if stream_id in ROUTE_CHANGES and label >= ROUTE_CHANGES[stream_id][0]:
                spec = ROUTE_CHANGES[stream_id][1]
            row, carry_t = _balanced(spec, gen, month, carry_t)
            row = _error(row, LEDGER_ERRORS.get((label, stream_id)))
            rows.append(_row(label, ent, stream_id, spec, row))
    return pd.DataFrame(rows, columns=HEADERS_ZH)


def _balanced(spec: tuple, gen: float, month, carry_t: float) -> tuple[dict, float]:
    """Quantities [t] of one month that satisfy the balance identity exactly."""
    _s, category, _sub, _hw, _r, _route, share_utilized, _c = spec
    stored = round(0.35 * gen, 3) if category == "hazardous" and month.month == 12 else 0.0
    from_storage = carry_t if month.month == 1 else 0.0
    treated = round(gen - stored, 3)
    util = round(treated * share_utilized, 3)
    disp = round(treated - util, 3)
    q = {
        "generated": gen,
        "utilized": util,
        "utilized_from_storage": 0.0,
        "disposed": disp,
        "disposed_from_storage": 0.0,
        "stored": stored,
        "dumped": 0.0,
        "route": _route,
    }
    side = "utilized" if share_utilized > 0 else "disposed"
    q[side] = round(q[side] + from_storage, 3)
    q[f"{side}_from_storage"] = round(from_storage, 3)
    return q, stored if month.month == 12 else carry_t


def _error(q: dict, kind: str | None) -> dict:
    if kind == "unbalanced":
        q["utilized"] = round(q["utilized"] - 0.6, 3)
    elif kind == "over_utilized":
        q["utilized"] = round(q["utilized"] + 0.6, 3)
    elif kind == "no_route":
        q["route"] = None
    return q


def _row(label: str, ent: str, stream_id: str, spec: tuple, q: dict) -> list:
    unit = KG_ENTERPRISES.get(ent, "t")
    scale = 1000.0 if unit != "t" else 1.0
    names = (
        "generated",
        "utilized",
        "utilized_from_storage",
        "disposed",
        "disposed_from_storage",
        "stored",
        "dumped",
    )
    values = [_number(q[n] * scale, 0 if scale > 1 else 3) for n in names]
    contractor, licence = CONTRACTORS.get(spec[7], (None, None))
    return [
        label,
        ent,
        stream_id,
        spec[1],
        spec[2],
        spec[3],
        unit,
        *values,
        q["route"],
        contractor,
        licence,
    ]


def _number(value: float, decimals: int) -> str:
    text = f"{round(value, decimals):.{decimals}f}"
    return "0" if float(text) == 0 else text


def waste_heat() -> pd.DataFrame:
    """Monthly waste-heat declarations (recoverable energy, recovered or meter)."""
    rows = []
    for month in MONTHS:
        label, winter = month.strftime("%Y-%m"), month.month in (1, 2, 12)
        feb = 0.75 if month.month == 2 else 1.0
        rows.append([label, "S-E03-FURNACE", "E03", "WH-E03", round(2900 * feb), "", "GJ", "", ""])
        rows.append(
            [
                label,
                "S-EC-BOILER",
                "",
                "WH-GAS",
                round((520 if winter else 430) * feb),
                "",
                "GJ",
                "",
                "",
            ]
        )
        recovered = 40.0 * feb if label != "2025-07" else 185.0  # 2025-07: declaration error
        rows.append(
            [
                label,
                "S-E25-HEATTREAT",
                "E25",
                "",
                round(120 * feb, 1),
                round(recovered, 1),
                "MWh",
                "",
                "",
            ]
        )
        rows.append(
            [
                label,
                "S-E12-CLEANROOM",
                "E12",
                "",
                "",
                "",
                "GJ",
                "false",
                "cleanroom exhaust below 35 degC: no economic recovery (energy audit 2023)",
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "month",
            "source_id",
            "enterprise_id",
            "meter_id",
            "recoverable",
            "recovered",
            "unit",
            "applicable",
            "reason",
        ],
    )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, LF line ends, blanks for missing values; the same bytes on every run."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    meters = pd.DataFrame(
        [(m, n, c, r, u, "interval", 1, e) for m, n, c, r, u, e, *_ in METERS],
        columns=[
            "meter_id",
            "name",
            "carrier",
            "role",
            "unit",
            "reading_type",
            "multiplier",
            "enterprise_id",
        ],
    )
    write_csv(meters, out / "meters_water.csv")
    write_csv(readings(np.random.default_rng(rng.integers(2**32))), out / "readings_water_heat.csv")
    write_csv(ledger(np.random.default_rng(rng.integers(2**32))), out / "waste_ledger.csv")
    write_csv(waste_heat(), out / "waste_heat.csv")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    main(parser.parse_args().out)
