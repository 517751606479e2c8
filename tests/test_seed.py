"""Seeding: all 33 cities, deterministic ids, and the user's word always stands."""

from __future__ import annotations

from twindesk import seed, taxonomy
from twindesk.models import City
from twindesk.services import Desk

from .conftest import city_id


def test_seed_has_the_33_cities_of_the_proposal_with_korean_facts():
    tax = taxonomy.load()
    assert len(tax.cities) == 33
    assert len({c.hangul for c in tax.cities}) == 33
    by_name = {c.name: c for c in tax.cities}
    assert by_name["Busan"].hangul == "부산"
    assert by_name["Busan"].kind == "metropolitan city"
    assert by_name["Pyeongchang"].kind == "county"
    assert by_name["Seoul"].industries == ("Finance", "Media", "Content industry", "Tourism", "Fashion", "IT services")
    assert "Pusan" in by_name["Busan"].romanisations
    assert "Baekje" in by_name["Nonsan"].notes
    assert all(c.kind in taxonomy.CITY_KINDS for c in tax.cities)


def test_seed_has_areas_programmes_kinds_stages_and_sectors():
    tax = taxonomy.load()
    assert [a.key for a in tax.areas] == ["tourism", "education", "business", "benefits"]
    assert all(len(a.programmes) >= 4 for a in tax.areas)
    assert [k.key for k in tax.kinds] == ["sister", "friendly"]
    assert len(tax.stages) == 8 and tax.stages[0].key == "inquiry"
    assert len(tax.sectors) == 8
    measure_keys = {m.key for m in tax.measures}
    for area in tax.areas:
        for programme in area.programmes:
            assert set(programme.measures) <= measure_keys
            assert set(programme.benefit_measures) <= measure_keys


def test_first_open_seeds_every_city(desk):
    assert desk.cities.query().count() == 33


def test_seed_ids_are_the_same_on_every_machine(desk, tmp_path):
    other = Desk.open(tmp_path / "other.db", tmp_path / "other.toml")
    ours = {r.cells[0]: r.id for r in desk.cities.query().fetch(0, 100)}
    theirs = {r.cells[0]: r.id for r in other.cities.query().fetch(0, 100)}
    other.close()
    assert ours == theirs
    # The id is part of the data's contract: merging laptops relies on it.
    assert ours["Seoul"] == seed.city_id("seoul") == "3b9e0c71-abc1-509c-911c-35dd3bcecde5"


def forget_fingerprint(desk: Desk) -> None:
    """Make the next start believe the seed file changed."""
    desk.reader().execute("DELETE FROM meta WHERE key = ?", (seed.FINGERPRINT_KEY,))


def test_reseeding_adds_nothing_twice(desk):
    forget_fingerprint(desk)
    assert seed.ensure(desk) == 0
    assert desk.cities.query().count() == 33


def test_reseeding_never_overwrites_an_edit_or_revives_a_deletion(desk):
    busan = city_id(desk, "Busan")
    gumi = city_id(desk, "Gumi")
    current = desk.cities.get(busan)
    desk.cities.update(
        busan,
        {**current.__dict__, "industries": "Film industry", "romanisations": "", "notes": "ours", "kind": current.kind},
    )
    with desk.write() as session:
        desk.changes(session, "Delete Gumi").delete(session.get(City, gumi))
    forget_fingerprint(desk)
    seed.ensure(desk)
    assert desk.cities.get(busan).industries == ("Film industry",)
    assert desk.cities.get(busan).notes == "ours"
    assert desk.cities.get(gumi) is None
    assert desk.cities.query().count() == 32


def test_a_new_seed_city_is_added_on_a_later_start(desk):
    jinju = city_id(desk, "Jinju")
    # Simulate a database made before Jinju was in the seed.
    desk.reader().execute("DELETE FROM change WHERE record_id = ?", (jinju,))
    desk.reader().execute("DELETE FROM city WHERE id = ?", (jinju,))
    forget_fingerprint(desk)
    assert seed.ensure(desk) == 1
    assert desk.cities.get(jinju).hangul == "진주"


def test_an_unchanged_seed_costs_no_write(desk):
    before = desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0]
    assert seed.is_current(desk)
    assert seed.ensure(desk) == 0
    assert desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0] == before
