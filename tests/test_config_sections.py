"""park.toml validated whole (issue 10, item 5): every section's keys, types and ranges,
every problem named by its dotted key, refused by ``init`` before the database changes."""

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from greenpark.cli import cli
from greenpark.core.config import KEYS, InvalidConfig, load_park_config, parse_park_config
from greenpark.core.errors import ConfigError
from greenpark.core.findings import Finding
from greenpark.store import open_store
from greenpark.store.park import init_park

DOCS = Path(__file__).resolve().parents[1] / "docs" / "config.md"
PARK = """\
[park]
id = "p1"
name = "P"
latitude = 31.3
longitude = 120.7
province = "Jiangsu"
"""

FULL = """\
[park]
id = "demo-park"
name = "Suzhou Demo Green Industrial Park"
name_zh = "苏州示范绿色产业园"
timezone = "Asia/Shanghai"
latitude = 31.30
longitude = 120.70
altitude_m = 5
province = "江苏"
leading_industries = ["new_energy_vehicle_parts", "biomedicine", "high_end_equipment"]

[accounting]
grid_factor_level = "region"
fuel_parameter_set = "cn_guideline_newer"
electricity_tce_method = "primary"
coal_rate_gce_per_kwh = {2024 = 302.4, 2025 = 300}

[zero_carbon]
emissions_basis = "location"
target_year = 2035
plan = {2027 = 1.5, 2030 = 0.2}
clean_carriers = ["natural_gas", "heat"]
grid_clean_share_pct = 12.5
count_green_power = false

[pv]
dc_ac_ratio = 1.25
inverter_efficiency = 0.97
system_losses_pct = 12
gamma_pdc_per_k = -0.0035
albedo = 0.25
transposition = "haydavies"
temperature_model_racked = "open_rack_glass_glass"
temperature_model_flush = "insulated_back_glass_polymer"
power_density_racked_kw_per_m2 = 0.1
power_density_flush_kw_per_m2 = 0.21
usable_fraction = 0.4
usable_fraction_racked = 0.9
pvwatts_version = "v8"
max_weather_distance_km = 80
screening_clearness_index = [0.4, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4]
screening_temp_air_degc = 17
screening_wind_speed_m_per_s = 2.5

[pv.economics]
capex_cny_per_kwp = 3200
om_cny_per_kwp_year = 45
discount_rate = 0.05
lifetime_years = 20
degradation_pct_per_year = 0.4

[tariff]
peak_hours = [[9, 12], [18, 21]]
flat_hours = [[7, 9], [12, 18], [21, 23]]
valley_hours = [[0, 7], [23, 24]]
peak_cny_per_kwh = 1.05
flat_cny_per_kwh = 0.64
valley_cny_per_kwh = 0.28
export_cny_per_kwh = 0.35
"""


def with_section(section: str, body: str) -> str:
    """PARK plus ``body`` in ``section`` (``park`` appends to [park])."""
    return PARK + body if section == "park" else PARK + f"[{section}]\n{body}"


# --- a valid file: every section, the values written ---------------------------------


def test_full_file_parses_with_the_values_written():
    park = parse_park_config(FULL)
    assert (park.id, park.name_zh, park.province, park.altitude_m) == (
        "demo-park",
        "苏州示范绿色产业园",
        "Jiangsu",
        5.0,
    )
    assert park.leading_industries == (
        "new_energy_vehicle_parts",
        "biomedicine",
        "high_end_equipment",
    )
    a = park.accounting
    assert (a.grid_factor_level, a.fuel_parameter_set, a.electricity_tce_method) == (
        "region",
        "cn_guideline_newer",
        "primary",
    )
    assert a.coal_rate_gce_per_kwh == {2024: 302.4, 2025: 300.0}
    z = park.zero_carbon
    assert (z.emissions_basis, z.target_year, z.grid_clean_share_pct) == ("location", 2035, 12.5)
    assert z.plan == {2027: 1.5, 2030: 0.2}
    assert z.clean_carriers == ("natural_gas", "heat") and z.count_green_power is False
    pv = park.pv
    assert (pv.dc_ac_ratio, pv.inverter_efficiency, pv.system_losses_pct) == (1.25, 0.97, 12.0)
    assert (pv.gamma_pdc_per_k, pv.albedo, pv.transposition) == (-0.0035, 0.25, "haydavies")
    assert pv.temperature_model_racked == "open_rack_glass_glass"
    assert pv.temperature_model_flush == "insulated_back_glass_polymer"
    assert (pv.power_density_racked_kw_per_m2, pv.power_density_flush_kw_per_m2) == (0.1, 0.21)
    assert (pv.usable_fraction, pv.max_weather_distance_km) == (0.4, 80.0)
    # gamma_pdc_per_k given: it wins over pvwatts_version's default
    assert (pv.usable_fraction_racked, pv.pvwatts_version) == (0.9, "v8")
    assert pv.screening_clearness_index == (0.4, 0.4) + (0.5,) * 8 + (0.4, 0.4)
    assert (pv.screening_temp_air_degc, pv.screening_wind_speed_m_per_s) == (17.0, 2.5)
    assert pv.from_config == frozenset(KEYS["pv"])
    e = park.economics
    assert (e.capex_cny_per_kwp, e.om_cny_per_kwp_year, e.discount_rate) == (3200.0, 45.0, 0.05)
    assert (e.lifetime_years, e.degradation_pct_per_year) == (20, 0.4)
    t = park.tariff
    assert t.peak_hours == ((9, 12), (18, 21))
    assert t.flat_hours == ((7, 9), (12, 18), (21, 23))
    assert t.valley_hours == ((0, 7), (23, 24))
    prices = t.hourly_prices()
    hours = (0, 8, 10, 19, 23)
    assert [prices[h] for h in hours] == [0.28, 0.64, 1.05, 1.05, 0.28]
    assert t.export_cny_per_kwh == 0.35


def test_every_toml_block_of_the_docs_parses():
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        park = parse_park_config(block, source="docs/config.md")
        assert park.id and park.tariff is not None


def test_the_docs_list_every_key():
    text = DOCS.read_text(encoding="utf-8")
    for section, keys in KEYS.items():
        assert f"## `[{section}]`" in text
        for key in keys:
            assert f"| `{key}` |" in text, f"{section}.{key} is not documented"


def test_leading_industries_finding_is_a_finding():
    park = parse_park_config(PARK + 'leading_industries = ["a", "b", "c", "d"]\n')
    (finding,) = park.findings
    assert isinstance(finding, Finding)
    assert (finding.code, finding.severity) == ("config.leading_industries", "warning")
    assert finding.data["count"] == 4 and finding.data["max"] == 3
    assert "at most 3" in finding


# --- each section: unknown key (did you mean), wrong type, out of range ----------------

CASES = [
    # park
    ("park", "latitdue = 31.3\n", r"unknown key park\.latitdue; did you mean 'latitude'"),
    ("park", 'altitude_m = "high"\n', r"park\.altitude_m must be a number, got 'high'"),
    ("park", 'leading_industries = "a"\n', r"park\.leading_industries must be a list of"),
    ("park", "altitude_m = 9001\n", r"park\.altitude_m = 9001 is outside \[-500, 9000\]"),
    # accounting
    (
        "accounting",
        'grid_factor_levle = "region"\n',
        r"unknown key accounting\.grid_factor_levle; did you mean 'grid_factor_level'",
    ),
    (
        "accounting",
        'grid_factor_level = "regoin"\n',
        r"accounting\.grid_factor_level = 'regoin': choose one of province, region, "
        r"national; did you mean 'region'",
    ),
    ("accounting", "grid_factor_level = 1\n", r"accounting\.grid_factor_level = 1: choose"),
    (
        "accounting",
        "coal_rate_gce_per_kwh = 302.4\n",
        r"accounting\.coal_rate_gce_per_kwh must be a table of year = number",
    ),
    (
        "accounting",
        "coal_rate_gce_per_kwh = {2024 = 3024}\n",
        r"accounting\.coal_rate_gce_per_kwh\.2024 = 3024 is outside \[100, 1000\]",
    ),
    (
        "accounting",
        "coal_rate_gce_per_kwh = {24 = 302.4}\n",
        r"accounting\.coal_rate_gce_per_kwh\.24: '24' is not a year in \[2000, 2100\]",
    ),
    (
        "accounting",
        'electricity_tce_method = "primary"\n',
        r"'primary' needs accounting\.coal_rate_gce_per_kwh",
    ),
    # zero_carbon
    (
        "zero_carbon",
        "target_yaer = 2030\n",
        r"zero_carbon\.target_yaer; did you mean 'target_year'",
    ),
    (
        "zero_carbon",
        'target_year = "2030"\n',
        r"zero_carbon\.target_year must be a whole number, got '2030'",
    ),
    ("zero_carbon", "target_year = 2030.5\n", r"zero_carbon\.target_year must be a whole"),
    ("zero_carbon", "target_year = 2020\n", r"zero_carbon\.target_year = 2020 is outside"),
    (
        "zero_carbon",
        'count_green_power = "yes"\n',
        r"zero_carbon\.count_green_power must be true or false, got 'yes'",
    ),
    ("zero_carbon", "count_green_power = 1\n", r"zero_carbon\.count_green_power must be true"),
    (
        "zero_carbon",
        'clean_carriers = "natural_gas"\n',
        r"zero_carbon\.clean_carriers must be a list of non-empty strings, got 'natural_gas'",
    ),
    (
        "zero_carbon",
        'clean_carriers = ["natrual_gas"]\n',
        r"zero_carbon\.clean_carriers: 'natrual_gas' is not one of .*did you mean 'natural_gas'",
    ),
    (
        "zero_carbon",
        'grid_clean_share_pct = "5"\n',
        r"zero_carbon\.grid_clean_share_pct must be a number, got '5'",
    ),
    (
        "zero_carbon",
        "grid_clean_share_pct = 120\n",
        r"zero_carbon\.grid_clean_share_pct = 120 is outside \[0, 100\]",
    ),
    ("zero_carbon", 'plan = {2027 = "low"}\n', r"zero_carbon\.plan\.2027 must be a number"),
    ("zero_carbon", "plan = {2027 = -1}\n", r"zero_carbon\.plan\.2027 = -1 is outside \[0, 10\]"),
    ("zero_carbon", 'emissions_basis = "locaton"\n', r"did you mean 'location'"),
    # pv
    ("pv", "dc_ac_ration = 1.2\n", r"unknown key pv\.dc_ac_ration; did you mean 'dc_ac_ratio'"),
    ("pv", "albedo = true\n", r"pv\.albedo must be a number, got True"),
    ("pv", "usable_fraction = 1.5\n", r"pv\.usable_fraction = 1\.5 is outside \[0, 1\]"),
    ("pv", "gamma_pdc_per_k = 0.01\n", r"pv\.gamma_pdc_per_k = 0\.01 is outside \[-0\.02, 0\]"),
    ("pv", 'transposition = "perz"\n', r"pv\.transposition = 'perz': .*did you mean 'perez'"),
    ("pv", "screening_clearness_index = [0.5, 0.5]\n", r"pv\.screening_clearness_index must be"),
    # pv.economics
    (
        "pv.economics",
        "discount_rat = 0.05\n",
        r"unknown key pv\.economics\.discount_rat; did you mean 'discount_rate'",
    ),
    (
        "pv.economics",
        'capex_cny_per_kwp = "3500"\n',
        r"pv\.economics\.capex_cny_per_kwp must be a number, got '3500'",
    ),
    (
        "pv.economics",
        "discount_rate = 1.5\n",
        r"pv\.economics\.discount_rate = 1\.5 is outside \[0, 1\]",
    ),
    (
        "pv.economics",
        "lifetime_years = 0\n",
        r"pv\.economics\.lifetime_years = 0 is outside \[1, 100\]",
    ),
    # tariff
    (
        "tariff",
        "peak_hour = [[8, 11]]\n",
        r"unknown key tariff\.peak_hour; did you mean 'peak_hours'",
    ),
    ("tariff", 'peak_hours = "8-11"\n', r"tariff\.peak_hours must be a list of \[start, end\)"),
    ("tariff", "peak_hours = [[8, 11.5]]\n", r"tariff\.peak_hours must be a list of"),
    (
        "tariff",
        "export_cny_per_kwh = -0.1\n",
        r"tariff\.export_cny_per_kwh = -0\.1 is outside \[0, 100\]",
    ),
    ("tariff", "valley_hours = [[0, 9]]\n", r"local hour 8:00 is in more than one period"),
]


@pytest.mark.parametrize(("section", "body", "message"), CASES)
def test_bad_key_is_named(section, body, message):
    with pytest.raises(ConfigError, match=message) as caught:
        parse_park_config(with_section(section, body), source="bad.toml")
    assert str(caught.value).startswith("bad.toml: ")
    assert len(caught.value.problems) == 1


def test_unknown_sections_and_non_tables():
    with pytest.raises(
        ConfigError, match=r"unknown section \[zero_carbn\]; did you mean 'zero_carbon'"
    ):
        parse_park_config(PARK + "[zero_carbn]\ntarget_year = 2030\n")
    with pytest.raises(ConfigError, match=r"accounting must be a table, got 5"):
        parse_park_config("accounting = 5\n" + PARK)
    with pytest.raises(ConfigError, match=r"pv\.economics must be a table, got 3"):
        parse_park_config(PARK + "[pv]\neconomics = 3\n")
    with pytest.raises(ConfigError, match=r"park must be a table"):
        parse_park_config('[[park]]\nid = "p1"\n')


def test_every_problem_is_listed_at_once():
    text = (
        PARK
        + "[accounting]\ngrid_factor_levle = 'region'\n"
        + "[zero_carbon]\ncount_green_power = 'yes'\n"
        + "[pv.economics]\ndiscount_rate = 1.5\n"
    )
    with pytest.raises(InvalidConfig) as caught:
        parse_park_config(text, source="park.toml")
    keys = [p.key for p in caught.value.problems]
    assert keys == [
        "accounting.grid_factor_levle",
        "zero_carbon.count_green_power",
        "pv.economics.discount_rate",
    ]
    assert str(caught.value).startswith("park.toml: 3 problems:\n")
    assert caught.value.problems[2].value == "1.5"


# --- hostile values: nothing but ConfigError, naming the key ----------------------------

HOSTILE = [
    '"text"',
    '""',
    '"  "',
    "true",
    "false",
    "0",
    "-1",
    "-2025",
    "1" + "0" * 30,
    "9" * 4000,
    "1e308",
    "nan",
    "inf",
    "-inf",
    "-0.0",
    "[]",
    '[1, "a"]',
    "[[1, 2], [3]]",
    '[[1, "a"]]',
    "[true, false]",
    "[nan, inf]",
    "{a = 1}",
    "{}",
    '{2024 = "x"}',
    "{-2024 = 300}",
    '{"２０２４" = 300}',
    "{2024 = nan}",
    "{2024 = {a = 1}}",
    "2025-01-01",
    "2025-01-01T00:00:00Z",
    "07:00:00",
    '["x", "x"]',
    "[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, nan]",
    "[[0, 24]]",
    "[[true, 3]]",
    "[[24, 0]]",
    '"Asia"',
    '"../../etc/passwd"',
    '"a\\u0000b"',
    '"' + "A" * 5000 + '"',
]
ALL_KEYS = [(section, key) for section, keys in KEYS.items() for key in keys]


def hostile_file(section: str, key: str, value: str) -> str:
    if section == "park":
        lines = [line for line in PARK.splitlines() if not line.startswith(f"{key} ")]
        return "\n".join(lines) + f"\n{key} = {value}\n"
    return PARK + f"[{section}]\n{key} = {value}\n"


@pytest.mark.parametrize(("section", "key"), ALL_KEYS, ids=[f"{s}.{k}" for s, k in ALL_KEYS])
def test_hostile_values_raise_only_config_errors(section, key):
    for value in HOSTILE:
        try:
            parse_park_config(hostile_file(section, key, value))
        except ConfigError as exc:
            message = str(exc)
            assert f"{section}.{key}" in message or "not valid TOML" in message, message
            assert len(message) < 2000  # long values are cut in messages


@pytest.mark.parametrize("section", ["accounting", "zero_carbon", "pv", "tariff"])
@pytest.mark.parametrize("value", ["5", '"x"', "[1, 2]", "true", "nan"])
def test_hostile_sections_raise_config_errors(section, value):
    with pytest.raises(ConfigError, match=f"{section} must be a table"):
        parse_park_config(f"{section} = {value}\n" + PARK)


def test_unreadable_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="cannot read it"):
        load_park_config(tmp_path)  # a folder
    with pytest.raises(ConfigError, match="file not found"):
        load_park_config(tmp_path / "none.toml")
    (tmp_path / "gbk.toml").write_bytes("[park]\nname = '园区'\n".encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_park_config(tmp_path / "gbk.toml")


# --- init refuses a bad file before touching the database --------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("section", "body", "key"),
    [
        ("park", "altitude_m = 'high'\n", "park.altitude_m"),
        ("accounting", "grid_factor_levle = 'region'\n", "accounting.grid_factor_levle"),
        ("zero_carbon", "target_year = '2030'\n", "zero_carbon.target_year"),
        ("pv", "dc_ac_ratio = 9\n", "pv.dc_ac_ratio"),
        ("pv.economics", "discount_rate = 1.5\n", "pv.economics.discount_rate"),
        ("tariff", "peak_hours = 8\n", "tariff.peak_hours"),
    ],
)
def test_cli_init_refuses_a_bad_file(tmp_path, section, body, key):
    bad = tmp_path / "bad.toml"
    bad.write_text(with_section(section, body), encoding="utf-8")
    new_db = tmp_path / "new.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(new_db), "init", "--config", str(bad)])
    assert result.exit_code == 1
    assert key in result.output and "bad.toml" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not new_db.exists()


def test_init_leaves_an_existing_database_unchanged(tmp_path):
    good, bad = tmp_path / "park.toml", tmp_path / "bad.toml"
    good.write_text(PARK, encoding="utf-8")
    db = tmp_path / "park.duckdb"
    init_park(str(db), str(good))
    before = digest(db)
    bad.write_text(PARK.replace('name = "P"', 'name = "Q"') + "[pv]\nalbedo = 'x'\n", "utf-8")
    with pytest.raises(ConfigError, match="pv.albedo"):
        init_park(str(db), str(bad))
    assert digest(db) == before
    with open_store(db, read_only=True) as store:
        assert store.park().name == "P"


def test_stored_config_is_read_without_the_file(tmp_path):
    path = tmp_path / "park.toml"
    path.write_text(FULL, encoding="utf-8")
    db = tmp_path / "park.duckdb"
    parsed, _ = init_park(str(db), str(path))
    path.unlink()
    with open_store(db, read_only=True) as store:
        stored = store.park()
        assert stored == parsed and stored is store.park()
        assert stored.tariff.peak_hours == ((9, 12), (18, 21))


def test_init_refuses_another_park_or_timezone_before_migrating(db, tmp_path, park_toml):
    from greenpark.core.errors import GreenparkError
    from greenpark.loaders.readings import load_readings

    other = tmp_path / "other.toml"
    other.write_text(park_toml().read_text(encoding="utf-8").replace("test-park", "other"), "utf-8")
    with pytest.raises(GreenparkError, match="holds park 'test-park', not 'other'"):
        init_park(str(db), str(other))
    readings = tmp_path / "r.csv"
    readings.write_text("meter_id,timestamp,value\nIMP,2025-02-01 00:00,4\n", encoding="utf-8")
    with open_store(db) as store:
        load_readings(store, readings)
    with pytest.raises(GreenparkError, match="cannot change from Asia/Shanghai to Asia/Tokyo"):
        init_park(str(db), str(park_toml("Asia/Tokyo")))
    with open_store(db, read_only=True) as store:
        assert (store.park().id, store.park().timezone) == ("test-park", "Asia/Shanghai")
