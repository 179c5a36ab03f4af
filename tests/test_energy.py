"""Energy per meter and carrier, checked against numbers worked out by hand."""

import pandas as pd
import pytest

from greenpark.core.errors import GreenparkError
from greenpark.loaders.readings import load_readings
from greenpark.metrics.energy import energy

INTERVALS_JAN = 31 * 96  # 15-minute intervals in January


def readings_file(tmp_path):
    ts15 = pd.date_range("2025-01-01 00:00", "2025-01-31 23:45", freq="15min")
    ts60 = pd.date_range("2025-01-01 00:00", "2025-01-31 23:00", freq="h")
    parts = [
        # 4 missing intervals on Jan 10
        pd.DataFrame({"meter_id": "IMP", "timestamp": ts15.delete(range(900, 904)), "value": 10.0}),
        pd.DataFrame({"meter_id": "EXP", "timestamp": ts15, "value": 0.5}),
        pd.DataFrame({"meter_id": "PV", "timestamp": ts60, "value": 2.0}),
        pd.DataFrame({"meter_id": "S1", "timestamp": ts15, "value": 0.001}),  # MWh
        pd.DataFrame({"meter_id": "S2", "timestamp": ts15, "value": 0.1}),  # x80 CT ratio
        # just outside the month, in local time
        pd.DataFrame(
            {
                "meter_id": "IMP",
                "timestamp": pd.to_datetime(["2024-12-31 23:45", "2025-02-01 00:00"]),
                "value": 1000.0,
            }
        ),
        pd.DataFrame(
            {
                "meter_id": "GAS",
                "timestamp": pd.to_datetime(
                    ["2025-01-01 08:00", "2025-01-02 08:00", "2025-01-03 08:00"]
                ),
                "value": [100.0, 150.0, 250.0],
            }
        ),
    ]
    path = tmp_path / "jan.csv"
    frame = pd.concat(parts)
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    frame.to_csv(path, index=False)
    return path


def test_energy_by_meter(store, tmp_path):
    load_readings(store, readings_file(tmp_path))
    got = energy(store, "2025-01", by="meter").set_index("meter_id")
    assert got.loc["IMP", "quantity"] == pytest.approx((INTERVALS_JAN - 4) * 10.0)
    assert got.loc["IMP", "coverage_pct"] == pytest.approx(100 * 2972 / 2976)
    assert got.loc["IMP", "interval_min"] == 15
    assert got.loc["PV", "quantity"] == pytest.approx(744 * 2.0)
    assert got.loc["PV", "coverage_pct"] == pytest.approx(100.0)
    assert got.loc["S1", "quantity"] == pytest.approx(INTERVALS_JAN * 1.0)
    assert got.loc["S2", "quantity"] == pytest.approx(INTERVALS_JAN * 8.0)
    assert got.loc["GAS", "quantity"] == pytest.approx(150.0)
    assert got.loc["GAS", "unit"] == "Nm3"


def test_energy_by_carrier(store, tmp_path):
    load_readings(store, readings_file(tmp_path))
    got = energy(store, "2025-01", by="carrier").set_index(["carrier", "flow"])["quantity"]
    imp, exp, pv = 2972 * 10.0, 2976 * 0.5, 744 * 2.0
    assert got["electricity", "grid_import"] == pytest.approx(imp)
    assert got["electricity", "grid_export"] == pytest.approx(exp)
    assert got["electricity", "consumption"] == pytest.approx(imp + pv - exp)
    assert got["electricity", "submetered"] == pytest.approx(2976 * 1.0 + 2976 * 8.0)
    assert got["natural_gas", "consumption"] == pytest.approx(150.0)


def test_month_without_data_is_an_error(store, tmp_path):
    load_readings(store, readings_file(tmp_path))
    with pytest.raises(GreenparkError, match="no readings in 2023-05"):
        energy(store, "2023-05")
    with pytest.raises(GreenparkError, match="expected YYYY-MM"):
        energy(store, "2025-13")


def test_by_carrier_counts_each_submeter_once(tmp_path, park_toml):
    # IMP > S1 > S1A (S1A is inside S1), IMP > S2: submetered = S1 + S2, not + S1A.
    from conftest import write

    from greenpark.loaders.meters import load_meters
    from greenpark.store import open_store
    from greenpark.store.park import init_park

    path = tmp_path / "nested.duckdb"
    init_park(str(path), park_toml())
    with open_store(path) as store:
        load_meters(
            store,
            write(
                tmp_path / "m.csv",
                "meter_id,carrier,role,unit,parent_id\n"
                "IMP,electricity,grid_import,kWh,\n"
                "S1,electricity,submeter,kWh,IMP\n"
                "S1A,electricity,submeter,kWh,S1\n"
                "S2,electricity,submeter,kWh,IMP\n",
            ),
        )
        hours = pd.date_range("2025-01-01 00:00", "2025-01-31 23:00", freq="h")
        values = {"IMP": 20.0, "S1": 10.0, "S1A": 4.0, "S2": 3.0}  # kWh an hour
        frame = pd.concat(
            pd.DataFrame({"meter_id": m, "timestamp": hours.strftime("%Y-%m-%d %H:%M"), "value": v})
            for m, v in values.items()
        )
        frame.to_csv(tmp_path / "r.csv", index=False)
        load_readings(store, tmp_path / "r.csv")
        got = energy(store, "2025-01", by="carrier").set_index(["carrier", "flow"])
        sub = got.loc[("electricity", "submetered")]
        assert sub["quantity"] == pytest.approx(744 * (10.0 + 3.0))  # 9,672 kWh, not 12,648
        assert sub["meters"] == 2
        assert sub["energy_tce"] == pytest.approx(744 * 13.0 * 0.1229 / 1000)
        assert got.loc[("electricity", "consumption"), "quantity"] == pytest.approx(744 * 20.0)
