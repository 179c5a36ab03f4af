"""Resources, waste rates and the resource indicators are worked out once per store:
repeated calls reuse them, callers cannot spoil them, a committed write forgets them, and
a monthly report sums the waste ledger in one query. Every expected number is computed by
hand below."""

from __future__ import annotations

import pytest
from conftest import write

from greenpark.core.errors import GreenparkError
from greenpark.core.periods import Period
from greenpark.loaders.meters import load_meters
from greenpark.loaders.readings import load_readings
from greenpark.loaders.waste import load_waste, load_waste_heat, load_water_monthly
from greenpark.metrics.resources import resource_indicators, resources_table
from greenpark.metrics.waste import prime_rates, waste_rates

METERS = """\
meter_id,carrier,role,unit
WI,water,water_intake,m3
WR,water,water_recycled,m3
WH,heat,waste_heat_recovered,GJ
"""
# January 2025 (park time): intake 100 m3, recycled 300 m3, 40 GJ recovered of 80 GJ.
READINGS = """\
meter_id,timestamp,value
WI,2025-01-10 00:00,100
WR,2025-01-10 00:00,300
WH,2025-01-10 00:00,40
"""
HEAT = """\
month,source_id,meter_id,recoverable,recovered,unit,applicable,reason
2025-01,F1,WH,80,,GJ,,
"""
# February from the monthly water file: intake 50 m3, recycled 50 m3.
WATER = """\
month,enterprise_id,intake,recycled,unit
2025-02,E01,50,50,m3
"""
HEADER = (
    "month,enterprise_id,stream,category,hw_code,unit,generated,utilized,disposed,stored,route\n"
)
LEDGER = HEADER + (  # every row balances
    "2025-01,E01,slag,general_industrial_solid,,t,100,60,0,40,recycling\n"
    "2025-02,E01,slag,general_industrial_solid,,t,50,50,0,0,reuse\n"
    "2025-03,E01,oil,hazardous,HW08,t,10,0,10,0,incineration\n"
)


@pytest.fixture
def park(store, tmp_path):
    load_meters(store, write(tmp_path / "m.csv", METERS))
    load_readings(store, write(tmp_path / "r.csv", READINGS))
    load_waste_heat(store, write(tmp_path / "h.csv", HEAT))
    load_waste(store, write(tmp_path / "l.csv", LEDGER))
    return store


def counter(monkeypatch, *targets) -> dict:
    """Count calls of ``module.name`` for each (module, name)."""
    counts = {name: 0 for _, name in targets}
    for module, name in targets:
        original = getattr(module, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return counts


def test_the_table_is_worked_out_once_whatever_the_form_of_the_period(park, monkeypatch):
    import greenpark.metrics.resources as resources
    import greenpark.metrics.waste.tables as inputs

    counts = counter(monkeypatch, (resources, "_table"), (inputs, "_read_raw"))
    frames = [resources_table(park, p).frame for p in (2025, "2025", Period.year(2025))]
    indicators = resource_indicators(park, 2025).frame.set_index("indicator_id")
    assert counts == {"_table": 1, "_read_raw": 1}
    for frame in frames:
        january = frame.set_index("period").loc["2025-01"]
        assert january["water_reuse_rate_pct"] == pytest.approx(100 * 300 / 400)
        assert january["waste_heat_utilization_rate_pct"] == pytest.approx(100 * 40 / 80)
    assert indicators.loc["water_reuse", "value_pct"] == pytest.approx(75.0)
    # the rolling 12 months ending in December are the year's months: read once, but
    # their own table (the last row is the period's label)
    rolling = resources_table(park, Period.rolling12("2025-12")).frame
    assert counts == {"_table": 2, "_read_raw": 1}
    assert rolling["period"].iloc[-1] == "2025-01..2025-12"


def test_callers_cannot_spoil_a_cached_result(park):
    first = resources_table(park, 2025)
    first.frame.loc[0, "water_intake_m3"] = -1.0
    first.findings.clear()
    first.inputs["period"] = "spoiled"
    first.to_frame()  # puts the findings into frame.attrs
    again = resources_table(park, 2025)
    assert again.frame.loc[0, "water_intake_m3"] == 100.0
    assert "resources.water_incomplete" in {f.code for f in again.findings}
    assert again.inputs["period"] == "2025"
    assert again.frame.attrs == {}

    rates = waste_rates(park, Period.year(2025))
    rates.frame.loc[0, "generated_t"] = 0.0
    rates.findings.append("spoiled")
    again = waste_rates(park, Period.year(2025))
    assert again.frame.loc[0, "generated_t"] == pytest.approx(160.0)  # 100 + 50 + 10
    assert "spoiled" not in again.findings

    indicators = resource_indicators(park, 2025)
    indicators.frame.loc[:, "value_pct"] = 0.0
    again = resource_indicators(park, 2025).frame.set_index("indicator_id")
    assert again.loc["water_reuse", "value_pct"] == pytest.approx(75.0)


def test_a_committed_load_forgets_the_figures(park, tmp_path):
    before = resources_table(park, 2025).frame.set_index("period")
    assert before.loc["2025", "water_reuse_rate_pct"] == pytest.approx(75.0)  # January only
    load_water_monthly(park, write(tmp_path / "w.csv", WATER))
    after = resources_table(park, 2025).frame.set_index("period")
    assert after.loc["2025-02", "water_reuse_rate_pct"] == pytest.approx(50.0)
    # year: recycled 300 + 50, intake 100 + 50
    assert after.loc["2025", "water_reuse_rate_pct"] == pytest.approx(100 * 350 / 500)
    indicators = resource_indicators(park, 2025).frame.set_index("indicator_id")
    assert indicators.loc["water_reuse", "value_pct"] == pytest.approx(70.0)


def test_priming_sums_several_periods_in_one_query(park, monkeypatch):
    import greenpark.metrics.waste.rates as rates

    counts = counter(monkeypatch, (rates, "_query_sums"))
    month, ytd, year = Period.month("2025-02"), Period.ytd("2025-02"), Period.year(2025)
    outside = Period.month("2024-06")
    prime_rates(park, [month, ytd, year, outside])
    assert counts["_query_sums"] == 1
    got = {p.label: waste_rates(park, p).frame.iloc[0] for p in (month, ytd, year)}
    assert counts["_query_sums"] == 1
    assert got["2025-02"]["general_utilization_rate_pct"] == pytest.approx(100.0)  # 50 / 50
    assert got["2025-01..2025-02"]["general_utilization_rate_pct"] == pytest.approx(100 * 110 / 150)
    # the year adds 10 t of hazardous waste, disposed, none utilized
    assert got["2025"]["industrial_utilization_rate_pct"] == pytest.approx(100 * 110 / 160)
    assert got["2025"]["hazardous_safe_disposal_rate_pct"] == pytest.approx(100.0)
    # a month outside the ledger is not queried, and says where the ledger is
    with pytest.raises(GreenparkError, match=r"ledger runs from 2025-01 to 2025-03"):
        waste_rates(park, outside)
    assert counts["_query_sums"] == 1
    # another grouping is another figure
    by_enterprise = waste_rates(park, year, by="enterprise").frame
    assert counts["_query_sums"] == 2
    assert by_enterprise["generated_t"].tolist() == pytest.approx([160.0])


def test_a_monthly_report_sums_the_waste_ledger_once(tmp_path, monkeypatch):
    from report_park import make_report_park

    import greenpark.metrics.resources as resources
    import greenpark.metrics.waste.ledger as ledger
    import greenpark.metrics.waste.rates as rates
    import greenpark.metrics.waste.tables as inputs
    from greenpark.report.builder import build
    from greenpark.store import open_store

    db = make_report_park(tmp_path)
    ledger_csv = HEADER + (
        "2025-11,E1,slag,general_industrial_solid,,t,100,80,0,20,recycling\n"
        "2025-12,E1,slag,general_industrial_solid,,t,50,50,0,0,recycling\n"
    )
    with open_store(db) as store:
        load_waste(store, write(tmp_path / "ledger.csv", ledger_csv))
    counts = counter(
        monkeypatch,
        (rates, "_query_sums"),
        (ledger, "_whole_ledger"),
        (inputs, "_read_raw"),
        (resources, "_table"),
    )
    with open_store(db, read_only=True) as store:
        data = build(store, "monthly", "2025-12")
    # one sum query for every window, one pass over the ledger's rows, the water and
    # heat inputs once; two tables: the year and the zero-carbon rolling 12 months
    assert counts == {"_query_sums": 1, "_whole_ledger": 1, "_read_raw": 1, "_table": 2}
    waste = data.tables["waste"].set_index("period")
    assert waste.loc["2025-12", "industrial_utilization_rate_pct"] == pytest.approx(100.0)
    assert waste.loc["2025-01..2025-12", "industrial_utilization_rate_pct"] == pytest.approx(
        100 * 130 / 150
    )
    headline = data.tables["headline"].set_index("metric")
    row = headline.loc["solid_waste_utilization_pct"]
    assert (row["current"], row["previous"]) == pytest.approx((100.0, 80.0))
