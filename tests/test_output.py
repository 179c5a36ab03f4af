import json

import numpy as np
import pandas as pd

from greenpark.report.output import render


def test_csv_never_lets_user_text_become_a_formula():
    frame = pd.DataFrame(
        {
            "name": ["=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "\tx", "fine"],
            "value_kwh": [1.0, -2.0, 3.0, 4.0, 5.0],
        }
    )
    lines = render(frame, "csv").splitlines()
    assert lines[1].startswith("'=cmd|")
    assert lines[2] == "'+1,-2.0"  # numbers stay numbers
    assert lines[3].startswith("'@SUM")
    assert lines[5] == "fine,5.0"


def test_json_is_safe_and_keeps_unicode():
    frame = pd.DataFrame({"a": [np.nan, np.inf, 1.5], "名称": ["甲", None, "<script>"]})
    records = json.loads(render(frame, "json"))
    assert records == [
        {"a": None, "名称": "甲"},
        {"a": None, "名称": None},
        {"a": 1.5, "名称": "<script>"},
    ]


def test_table_aligns_chinese_text():
    frame = pd.DataFrame({"name": ["苏州", "ab"], "value": [1.0, 22.5]})
    lines = render(frame, "table").splitlines()
    assert lines[0].index("value") == lines[2].index("苏州") + 6
