"""The CLI's JSON writer (``greenpark pv estimate --format json`` of 10,000 roofs): the
column-by-column writer gives the text ``json.dumps(records, indent=1)`` gives."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from greenpark.report.output import json_text, records, render


def test_json_text_by_hand():
    frame = pd.DataFrame(
        {
            "roof_id": ["R1", 'a "b"\n中'],
            "annual_energy_kwh": [4671461.499999999, np.nan],
            "roofs": [3, 4],
            "screening": [True, False],
        }
    )
    expected = (
        "[\n"
        " {\n"
        '  "roof_id": "R1",\n'
        '  "annual_energy_kwh": 4671461.5,\n'
        '  "roofs": 3,\n'
        '  "screening": true\n'
        " },\n"
        " {\n"
        '  "roof_id": "a \\"b\\"\\n中",\n'
        '  "annual_energy_kwh": null,\n'
        '  "roofs": 4,\n'
        '  "screening": false\n'
        " }\n"
        "]\n"
    )
    assert render(frame, "json") == expected


def test_json_text_equals_json_dumps_for_every_kind_of_cell():
    frame = pd.DataFrame(
        {
            "f": [-0.0, 0.0, np.inf, -np.inf, 1e20, 1.5e-7, 100.0, 0.1 + 0.2],
            "i": np.arange(8),
            "n": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
            "t": pd.date_range("2025-01-01", periods=8, freq="h", tz="UTC"),
            "o": [np.float64(1.25), np.int64(3), None, np.nan, pd.NaT, pd.NA, np.bool_(1), "s"],
        }
    )
    frame.loc[2, "t"] = pd.NaT
    assert json_text(frame) == json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n"
    # by hand: -0.0 keeps its sign, 0.1 + 0.2 loses its binary noise, 1e20 stays a float
    rows = json.loads(json_text(frame))
    assert [r["f"] for r in rows[:2]] == [-0.0, 0.0] and str(rows[0]["f"]) == "-0.0"
    assert rows[2]["f"] is None and rows[3]["f"] is None
    assert rows[4]["f"] == 1e20 and rows[7]["f"] == 0.3
    assert rows[1]["n"] is None and rows[2]["t"] is None
    assert rows[0]["t"] == "2025-01-01T00:00:00+00:00"


def test_json_text_of_nested_or_empty_frames_is_json_dumps():
    nested = pd.DataFrame({"x": [[1, 2], [3]], "y": [{"a": 1}, {}]})
    assert json_text(nested) == json.dumps(records(nested), indent=1) + "\n"
    assert json_text(nested.iloc[:0]) == "[]\n"
    assert json_text(pd.DataFrame(index=[0, 1])) == "[\n {},\n {}\n]\n"
