"""Data-quality findings on a small constructed month."""

import pandas as pd
import pytest

from greenpark.loaders.readings import load_readings
from greenpark.metrics.quality import check


def test_findings(store, tmp_path):
    ts = pd.date_range("2025-03-01", "2025-03-31 23:45", freq="15min")
    values = pd.Series(10.0 + (ts.hour % 5), index=ts)  # varying, never flat for long
    imp = values.drop(pd.date_range("2025-03-05 09:00", "2025-03-05 17:45", freq="15min"))
    s2 = values.copy() / 80
    s2["2025-03-20 00:00":"2025-03-20 13:45"] = 0.2  # stuck: 14 h identical
    s2["2025-03-25 10:30"] = 50.0  # spike
    exp = pd.Series(0.0, index=ts)
    exp["2025-03-10 12:00"] = -1.5
    frame = pd.concat(
        [
            pd.DataFrame({"meter_id": "IMP", "timestamp": imp.index, "value": imp.values}),
            pd.DataFrame({"meter_id": "S2", "timestamp": s2.index, "value": s2.values}),
            pd.DataFrame({"meter_id": "EXP", "timestamp": exp.index, "value": exp.values}),
        ]
    )
    path = tmp_path / "mar.csv"
    frame.to_csv(path, index=False)
    load_readings(store, path)

    got = check(store, month="2025-03")
    by_code = {(r.code, r.meter_id): r for r in got.itertuples()}
    gap = by_code["readings.gap", "IMP"]
    assert (str(gap.start), str(gap.end)) == ("2025-03-05 09:00:00", "2025-03-05 18:00:00")
    assert gap.value == 9.0  # hours missing
    cov = by_code["readings.coverage", "IMP"]
    assert cov.value == pytest.approx(100 * (2976 - 36) / 2976)  # below 99 %
    flat = by_code["readings.flat_line", "S2"]
    assert str(flat.start) == "2025-03-20 00:00:00"
    assert str(flat.end) == "2025-03-20 13:45:00"
    spike = by_code["readings.spike", "S2"]
    assert str(spike.start) == "2025-03-25 10:30:00" and spike.value == 50.0 * 80  # CT ratio 80
    neg = by_code["readings.negative", "EXP"]
    assert neg.value == -1.5
    assert ("readings.spike", "IMP") not in by_code
    assert ("readings.flat_line", "EXP") not in by_code  # zeros are not a stuck meter
