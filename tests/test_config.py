import pytest

from greenpark.core.config import parse_park_config
from greenpark.core.errors import ConfigError

GOOD = """
[park]
id = "p1"
name = "P"
latitude = 31.3
longitude = 120.7
province = "江苏"
"""


def test_defaults_and_province_alias():
    park = parse_park_config(GOOD)
    assert park.timezone == "Asia/Shanghai"
    assert park.province == "Jiangsu"
    assert park.altitude_m == 0.0
    assert park.findings == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('id = "p1"\n', ""), "missing key park.id"),
        (lambda t: t.replace("latitude = 31.3", "latitude = 131.3"), "park.latitude"),
        (lambda t: t.replace("latitude = 31.3", 'latitude = "north"'), "park.latitude"),
        (lambda t: t + 'timezone = "Mars/Olympus"\n', "park.timezone"),
        (lambda t: t.replace("江苏", "Atlantis"), "park.province 'Atlantis'.*Jiangsu"),
        (lambda t: t + "colour = 1\n", "unknown key park.colour"),
        (lambda t: t.replace('"p1"', '"../evil"'), "park.id"),
        (lambda t: t.replace("[park]", "[parc]"), r"missing \[park\]"),
        (lambda t: t + "[[", "not valid TOML"),
    ],
)
def test_errors_name_the_key(edit, message):
    with pytest.raises(ConfigError, match=message):
        parse_park_config(edit(GOOD), source="park.toml")


def test_more_than_three_leading_industries_is_a_finding():
    park = parse_park_config(GOOD + 'leading_industries = ["a", "b", "c", "d"]\n')
    assert "at most 3" in park.findings[0]
