"""Home city profile and the partner ranking."""

from __future__ import annotations

import pytest

from twindesk import config as config_mod
from twindesk.services import Invalid
from twindesk.services.matching import keywords, rank


def test_keywords_ignore_filler_but_keep_acronyms():
    assert keywords("IT services") == {"it"}
    assert keywords("Port logistics") == {"port", "logistic"}
    assert keywords("Artificial intelligence (AI) industry") == {"artificial", "intelligence", "ai"}


def test_shared_industries_outrank_complementary_ones():
    cities = [
        ("1", "Alpha", "", ["Steel industry", "Shipbuilding industry", "Petrochemicals", "Fisheries industry"]),
        ("2", "Beta", "", ["Port logistics", "Film industry"]),
        ("3", "Gamma", "", ["Tourism"]),
    ]
    ranked = rank(["Port logistics", "Tourism"], cities)
    assert [m.name for m in ranked] == ["Beta", "Gamma", "Alpha"]
    beta = ranked[0]
    assert beta.shared == ("Port logistics",)
    assert beta.brings == ("Film industry",)
    assert beta.reason == "shares Port logistics; brings Film industry"
    # Complementary industries count, but only up to a cap.
    assert ranked[2].score == 3


def test_ranking_the_directory_against_the_home_city(desk):
    desk.home.save({"name": "Tallinn", "country": "Estonia", "industries": "Port logistics, Film"})
    ranked = desk.matches.ranked()
    assert len(ranked) == 33
    assert ranked[0].name == "Busan"  # port logistics and film
    assert "Port logistics" in ranked[0].shared


def test_home_profile_is_saved_in_the_config_file(desk, paths):
    desk.home.save({"name": "Ljubljana [/]", "country": "Slovenia", "industries": "Pharmaceuticals, Tourism"})
    reloaded = config_mod.load(paths[1])
    assert reloaded.home.name == "Ljubljana [/]"
    assert reloaded.home.industries == ["Pharmaceuticals", "Tourism"]
    assert reloaded.installation_id == desk.installation
    assert paths[1].stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "", "country": "Slovenia", "industries": "Tourism"}, "name"),
        ({"name": "Ljubljana", "country": "", "industries": "Tourism"}, "country"),
        ({"name": "Ljubljana", "country": "Slovenia", "industries": " , "}, "industries"),
    ],
)
def test_home_profile_refuses_missing_fields(desk, paths, values, field):
    with pytest.raises(Invalid) as caught:
        desk.home.save(values)
    assert field in caught.value.errors
    assert config_mod.load(paths[1]).home.name == ""


def test_a_broken_config_file_is_a_clear_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[home\nname = ")
    with pytest.raises(config_mod.ConfigError, match="not a valid TOML"):
        config_mod.load(path)
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(config_mod.ConfigError):
        config_mod.load(path)
    path.write_text("a = " + "[" * 2000 + "]" * 2000)
    with pytest.raises(config_mod.ConfigError):
        config_mod.load(path)
