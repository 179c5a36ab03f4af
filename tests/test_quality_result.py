"""data_quality: one Finding per problem (code, severity, message, data), the table built
from them, a Period or text at the edge, and the check command."""

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write

from greenpark.cli import cli
from greenpark.core.findings import Finding
from greenpark.core.periods import Period
from greenpark.loaders.readings import load_readings
from greenpark.metrics.quality import COLUMNS, check, data_quality, quality_frame


def quarter_hours(meter: str, day: str, skip: range) -> str:
    """One day of 15-minute readings of 4 kWh, leaving out the intervals in ``skip``."""
    stamps = pd.date_range(f"{day} 00:00", periods=96, freq="15min")
    return "".join(f"{meter},{t:%Y-%m-%d %H:%M},4\n" for i, t in enumerate(stamps) if i not in skip)


@pytest.fixture
def same_gap(store, tmp_path):
    """IMP and EXP both miss 08:00-08:45 on 2025-03-02 (4 intervals: 1 h)."""
    text = "meter_id,timestamp,value\n"
    for meter in ("IMP", "EXP"):
        text += quarter_hours(meter, "2025-03-01", range(0))
        text += quarter_hours(meter, "2025-03-02", range(32, 36))
    load_readings(store, write(tmp_path / "mar.csv", text))
    return store


def test_findings_with_their_data(same_gap):
    result = data_quality(same_gap, Period.month("2025-03"))
    gaps = [f for f in result.findings if f.code == "readings.gap"]
    # The same message for two meters: two findings, told apart by their data.
    assert [f.data["meter_id"] for f in gaps] == ["EXP", "IMP"]
    assert {f.message for f in gaps} == {"1.00 h of readings missing"}
    gap = gaps[1]
    assert gap.severity == "warning"
    assert gap.data["first"] == dt.datetime(2025, 3, 2, 8, 0)  # park local time
    assert gap.data["last"] == dt.datetime(2025, 3, 2, 9, 0)
    assert gap.data["figures"] == {"value": 1.0, "unit": "h"}  # hours missing
    assert gap.data["period"] == "2025-03"
    assert result.inputs["period"] == "2025-03"


def test_frame_is_built_from_the_findings(same_gap):
    result = data_quality(same_gap, "2025-03")
    assert list(result.frame.columns) == COLUMNS
    assert len(result.frame) == len(result.findings)
    assert result.frame.equals(quality_frame(result.findings))
    rows = result.frame[result.frame["code"] == "readings.gap"]
    assert list(rows["meter_id"]) == ["EXP", "IMP"]
    assert list(rows["value"]) == [1.0, 1.0] and list(rows["unit"]) == ["h", "h"]
    assert check(same_gap, month="2025-03").equals(result.frame)


def test_quality_frame_of_hand_made_findings():
    found = [
        Finding(
            "readings.spike",
            "too high",
            data={
                "meter_id": "M1",
                "first": dt.datetime(2025, 1, 2, 3, 0),
                "last": dt.datetime(2025, 1, 2, 3, 0),
                "figures": {"value": 9.5},
            },
        ),
        Finding("waste.balance", "gap", data={"month": dt.date(2025, 1, 1)}),
    ]
    frame = quality_frame(found)
    assert frame.to_dict("records")[0] == {
        "severity": "warning",
        "code": "readings.spike",
        "meter_id": "M1",
        "start": pd.Timestamp("2025-01-02 03:00"),
        "end": dt.datetime(2025, 1, 2, 3, 0),
        "value": 9.5,
        "unit": None,  # the finding gave none
        "message": "too high",
    }
    second = frame.iloc[1]
    assert second["start"] == pd.Timestamp("2025-01-01")  # the month's first day
    assert second["meter_id"] is None and second["end"] is None and second["value"] is None


def test_empty_park_has_no_findings(store):
    result = data_quality(store)
    assert result.findings == [] and list(result.frame.columns) == COLUMNS
    assert result.inputs["period"] == "all"


def test_check_command(db, tmp_path):
    with_gap = "meter_id,timestamp,value\n" + quarter_hours("IMP", "2025-03-02", range(32, 36))
    runner = CliRunner()
    loaded = runner.invoke(
        cli, ["--db", str(db), "load", "readings", str(write(tmp_path / "g.csv", with_gap))]
    )
    assert loaded.exit_code == 0, loaded.output
    out = runner.invoke(cli, ["--db", str(db), "check", "--month", "2025-03", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [(r["code"], r["meter_id"]) for r in rows if r["code"] == "readings.gap"] == [
        ("readings.gap", "IMP")
    ]
    assert out.stderr == ""  # the rows are the findings: nothing repeated as notes
    table = runner.invoke(cli, ["--db", str(db), "check", "--month", "2025-03"])
    assert table.output.startswith("Data quality 2025-03: ")
    bad = runner.invoke(cli, ["--db", str(db), "check", "--month", "2025-13"])
    assert bad.exit_code == 1 and "--month '2025-13': expected YYYY-MM" in bad.output
