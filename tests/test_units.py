import pytest

from greenpark.core.units import UnitError, factor_to


@pytest.mark.parametrize(
    ("unit", "canonical", "expected"),
    [
        ("MWh", "kWh", 1000.0),
        ("Wh", "kWh", 0.001),
        ("度", "kWh", 1.0),
        ("万千瓦时", "kWh", 10000.0),
        ("GJ", "GJ", 1.0),
        ("MJ", "GJ", 0.001),
        ("kg", "t", 0.001),
        ("m3", "Nm3", 1.0),
        ("万立方米", "m3", 10000.0),
        ("tce", "GJ", 29.3076),  # GB/T 2589: 1 kgce = 29 307.6 kJ
        ("tCO2", "kgCO2", 1000.0),
    ],
)
def test_factor_to(unit, canonical, expected):
    assert factor_to(unit, canonical) == pytest.approx(expected, rel=1e-12)


def test_kwh_in_kgce_is_the_calorific_equivalent():
    # 3600 kJ / 29307.6 kJ per kgce
    assert factor_to("kWh", "kgce") == pytest.approx(3600 / 29307.6, rel=1e-12)


@pytest.mark.parametrize(
    ("unit", "canonical", "message"),
    [
        ("kWh", "m3", "does not measure the same thing"),
        ("t", "tCO2", "does not measure the same thing"),
        ("furlongs_per_fortnight", "kWh", "unknown unit"),
        ("", "kWh", "empty"),
    ],
)
def test_factor_to_rejects(unit, canonical, message):
    with pytest.raises(UnitError, match=message):
        factor_to(unit, canonical)
