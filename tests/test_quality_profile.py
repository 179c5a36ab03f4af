"""Data quality from one aggregate scan: regular meters (readings on one even grid) are
checked without ordering their readings, the others by the window rules; the per-meter
sums are scanned once per report. Expected values are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from greenpark.core.periods import Period
from greenpark.loaders.readings import load_readings
from greenpark.metrics.quality import data_quality, reading_profile

MARCH_15MIN = 31 * 96  # 15-minute readings in March 2025
MARCH_HOURS = 31 * 24


def _load(store, tmp_path, series: dict[str, pd.Series]) -> None:
    frames = [
        pd.DataFrame({"meter_id": m, "timestamp": s.index, "value": s.values})
        for m, s in series.items()
    ]
    path = tmp_path / "readings.csv"
    frame = pd.concat(frames)
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    frame.to_csv(path, index=False)
    load_readings(store, path)


def _varying(freq: str, month: str = "2025-03") -> pd.Series:
    """A month (park time), values 1, 2, 3, 1, 2, 3 ...: no two neighbours equal."""
    start = pd.Timestamp(f"{month}-01")
    ts = pd.date_range(start, start + pd.DateOffset(months=1), freq=freq, inclusive="left")
    return pd.Series([1.0 + i % 3 for i in range(len(ts))], index=ts)


def _by(result) -> dict:
    return {(f.code, f.data["meter_id"]): f for f in result.findings}


def test_flat_lines_on_regular_meters_at_the_thresholds(store, tmp_path):
    imp, exp, pv = _varying("15min"), _varying("15min"), _varying("h")
    # 49 readings = 12 h at 15 min, starting at slot 877 (not on a multiple of anything)
    imp["2025-03-10 03:15":"2025-03-10 15:15"] = 7.5
    exp["2025-03-10 03:15":"2025-03-10 15:00"] = 7.5  # 48 readings = 11.75 h: no flat line
    pv["2025-03-20 06:00":"2025-03-20 18:00"] = 4.0  # 13 hourly readings = 12 h
    pv["2025-03-05 00:00":"2025-03-05 23:00"] = 0.0  # zeros are not a stuck meter
    _load(store, tmp_path, {"IMP": imp, "EXP": exp, "PV": pv})

    profile = reading_profile(store, Period.month("2025-03").localized("Asia/Shanghai"))
    ids = dict(store.con.execute("SELECT meter_key, meter_id FROM meters").fetchall())
    profile = profile.assign(meter_id=profile["meter_key"].map(ids)).set_index("meter_id")
    assert profile["regular"].all()
    assert profile.loc["IMP", "step_s"] == 900.0 and profile.loc["PV", "step_s"] == 3600.0
    assert profile.loc["IMP", "n_rows"] == MARCH_15MIN and profile.loc["PV", "n_rows"] == 744

    got = _by(data_quality(store, "2025-03"))
    flat = got["readings.flat_line", "IMP"]
    assert (flat.data["first"], flat.data["last"]) == (
        dt.datetime(2025, 3, 10, 3, 15),
        dt.datetime(2025, 3, 10, 15, 15),
    )
    assert flat.data["figures"]["value"] == 7.5
    assert flat.message == "the same value 7.500 for 12.0 h (stuck meter?)"
    pv_flat = got["readings.flat_line", "PV"]
    assert (pv_flat.data["first"], pv_flat.data["last"]) == (
        dt.datetime(2025, 3, 20, 6),
        dt.datetime(2025, 3, 20, 18),
    )
    assert {code for code, meter in got} == {"readings.flat_line", "readings.missing_meter"}
    # the registered meters that sent nothing in March are errors (issue 11), not absent
    silent = {meter for code, meter in got if code == "readings.missing_meter"}
    assert silent == {"S1", "S2", "GAS"}
    assert ("readings.flat_line", "EXP") not in got


def test_an_off_grid_reading_makes_a_meter_irregular(store, tmp_path):
    imp, exp = _varying("15min"), _varying("15min")
    imp.index = imp.index.where(imp.index != pd.Timestamp("2025-03-12 10:15"), "2025-03-12 10:22")
    exp = exp.drop(pd.date_range("2025-03-02 00:00", "2025-03-02 23:45", freq="15min"))  # a day
    _load(store, tmp_path, {"IMP": imp, "EXP": exp})
    march = Period.month("2025-03").localized("Asia/Shanghai")
    ids = dict(store.con.execute("SELECT meter_key, meter_id FROM meters").fetchall())
    profile = reading_profile(store, march)
    regular = dict(zip(profile["meter_key"].map(ids), profile["regular"], strict=True))
    assert regular == {"IMP": False, "EXP": False}

    got = _by(data_quality(store, march))
    gap = got["readings.gap", "IMP"]  # 10:00 -> 10:22 with a usual interval of 15 min
    assert (gap.data["first"], gap.data["last"]) == (
        dt.datetime(2025, 3, 12, 10, 15),
        dt.datetime(2025, 3, 12, 10, 22),
    )
    assert gap.data["figures"]["value"] == pytest.approx(7 / 60)
    assert ("readings.coverage", "IMP") not in got  # every reading still there
    exp_gap = got["readings.gap", "EXP"]
    assert exp_gap.data["figures"]["value"] == pytest.approx(24.0)
    cov = got["readings.coverage", "EXP"]
    assert cov.data["figures"]["value"] == pytest.approx(100 * (MARCH_15MIN - 96) / MARCH_15MIN)


def test_spikes_and_coverage_of_regular_meters(store, tmp_path):
    imp = _varying("15min").clip(upper=2.0)  # 1, 2, 2, 1, 2, 2 ...
    imp["2025-03-25 10:30"] = 50.0  # one spike; the 99th percentile stays 2
    exp = _varying("15min")["2025-03-11":]  # from the 11th: 21 of 31 days, regular
    _load(store, tmp_path, {"IMP": imp, "EXP": exp})

    result = data_quality(store, "2025-03")
    got = _by(result)
    spike = got["readings.spike", "IMP"]
    assert spike.data["first"] == dt.datetime(2025, 3, 25, 10, 30)
    assert spike.message == "value 50.000 is 25x the meter's 99th percentile 2.000"
    cov = got["readings.coverage", "EXP"]
    assert cov.data["figures"]["value"] == pytest.approx(100 * 21 / 31)
    assert cov.data["first"] == dt.datetime(2025, 3, 11)
    assert cov.data["last"] == dt.datetime(2025, 3, 31, 23, 45)
    assert cov.message == "readings cover 67.7 % of the period"
    silent = [("readings.missing_meter", m) for m in ("GAS", "PV", "S1", "S2")]  # sent nothing
    assert sorted(got) == [("readings.coverage", "EXP"), *silent, ("readings.spike", "IMP")]
    assert got["readings.coverage", "EXP"].severity == "error"  # a boundary meter (export)


@pytest.fixture
def scans(monkeypatch):
    """Count the scans that sum readings per meter: the ledger's monthly sums and the
    quality checks' own."""
    import greenpark.metrics.carbon.ledger as ledger
    import greenpark.metrics.quality as quality

    calls = {"ledger": 0, "quality": 0}

    def counted(module, name, key):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(ledger, "_sum_meter_months", "ledger")
    counted(quality, "_scan_totals", "quality")
    return calls


def test_a_report_sums_each_meter_month_once(store, tmp_path, scans):
    from greenpark.metrics.carbon.ledger import monthly_meter_totals, prime
    from greenpark.metrics.energy import energy_result

    feb = _varying("15min", "2025-02")
    _load(store, tmp_path, {"IMP": pd.concat([feb, _varying("15min")])})
    span = Period.range(dt.date(2024, 4, 1), dt.date(2025, 3, 1), "Asia/Shanghai")
    prime(store, span)
    assert scans == {"ledger": 1, "quality": 0}

    meters = energy_result(store, "2025-03", by="meter").frame.set_index("meter_id")
    data_quality(store, "2025-03")
    totals = monthly_meter_totals(store, Period.month("2025-02").localized("Asia/Shanghai"))
    assert scans == {"ledger": 1, "quality": 0}

    march = sum(1.0 + i % 3 for i in range(MARCH_15MIN))
    assert meters.loc["IMP", "quantity"] == pytest.approx(march)
    assert meters.loc["IMP", "readings"] == MARCH_15MIN
    assert meters.loc["IMP", "interval_min"] == 15.0
    assert meters.loc["IMP", "coverage_pct"] == pytest.approx(100.0)
    assert totals["month"].tolist() == [dt.date(2025, 2, 1)]
    assert totals["quantity"].iloc[0] == pytest.approx(sum(1.0 + i % 3 for i in range(28 * 96)))


def test_without_a_report_quality_and_energy_share_one_scan(store, tmp_path, scans):
    from greenpark.metrics.energy import energy_result

    _load(store, tmp_path, {"IMP": _varying("15min"), "PV": _varying("h")})
    data_quality(store, "2025-03")
    meters = energy_result(store, "2025-03", by="meter").frame.set_index("meter_id")
    assert scans == {"ledger": 0, "quality": 1}
    assert meters.loc["PV", "quantity"] == pytest.approx(sum(1.0 + i % 3 for i in range(744)))
    assert meters.loc["PV", "interval_min"] == 60.0


def test_daylight_saving_park(tmp_path, park_toml):
    """Europe/Berlin: March 2025 has 743 hours (clocks forward on the 30th)."""
    from greenpark.loaders.meters import load_meters
    from greenpark.metrics.carbon.ledger import monthly_meter_totals
    from greenpark.metrics.energy import energy_result
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    db = tmp_path / "berlin.duckdb"
    init_park(str(db), park_toml("Europe/Berlin"))
    meters_csv = tmp_path / "meters.csv"
    meters_csv.write_text(
        "meter_id,name,carrier,role,unit,reading_type,multiplier,register_max,parent_id\n"
        "IMP,Grid import,electricity,grid_import,kWh,interval,1,,\n",
        encoding="utf-8",
    )
    utc = pd.date_range("2025-02-28 23:00", "2025-03-31 21:00", freq="h")  # March, local
    with open_store(db) as store:
        load_meters(store, meters_csv)
        path = tmp_path / "imp.csv"
        ts = utc.tz_localize("UTC").tz_convert("Europe/Berlin").strftime("%Y-%m-%dT%H:%M%z")
        values = [1.0 + i % 3 for i in range(len(ts))]
        frame = pd.DataFrame({"meter_id": "IMP", "timestamp": ts, "value": values})
        frame.to_csv(path, index=False)
        load_readings(store, path)
        meters = energy_result(store, "2025-03", by="meter").frame.set_index("meter_id")
        assert meters.loc["IMP", "readings"] == 743
        assert meters.loc["IMP", "quantity"] == pytest.approx(sum(1.0 + i % 3 for i in range(743)))
        assert meters.loc["IMP", "coverage_pct"] == pytest.approx(100.0)
        assert data_quality(store, "2025-03").findings == []
        march = Period.month("2025-03").localized("Europe/Berlin")
        totals = monthly_meter_totals(store, march)
        assert totals["month"].tolist() == [dt.date(2025, 3, 1)]
        assert totals["quantity"].iloc[0] == pytest.approx(sum(1.0 + i % 3 for i in range(743)))
