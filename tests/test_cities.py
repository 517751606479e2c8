"""City directory services: filtering, facets, edits, the change log and undo."""

from __future__ import annotations

import unicodedata

import pytest

from twindesk.services import Invalid

from .conftest import city_id


def names(desk, text: str = "", industry: str | None = None) -> list[str]:
    query = desk.cities.query()
    query.text = text
    query.industry = industry
    rows = query.fetch(0, 100)
    assert query.count() == len(rows)
    return [r.cells[0] for r in rows]


def test_filter_by_english_name_hangul_and_province(desk):
    assert names(desk, "busan") == ["Busan"]
    assert names(desk, "부산") == ["Busan"]
    assert names(desk, "부") == ["Bucheon", "Busan"]
    assert names(desk, "gangwon") == ["Chuncheon", "Gangneung", "Pyeongchang", "Sokcho"]


def test_filter_by_industry_words(desk):
    assert names(desk, "port logistics") == ["Busan", "Incheon", "Mokpo"]
    assert names(desk, "semiconductor") == ["Cheonan", "Cheongju"]


def test_hangul_initials_find_jinju_jeonju_and_jeju(desk):
    assert names(desk, "ㅈㅈ") == ["Jeju", "Jeonju", "Jinju"]


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("Pusan", "Busan"),
        ("Kwangju", "Gwangju"),
        ("Taejon", "Daejeon"),
        ("Cheju", "Jeju"),
        ("Inchon", "Incheon"),
        ("Kyongju", "Gyeongju"),
        ("Chonju", "Jeonju"),
        ("Chongju", "Cheongju"),
        ("Ch'ŏngju", "Cheongju"),
    ],
)
def test_older_romanisations_find_the_city(desk, typed, city):
    assert city in names(desk, typed)


def test_filter_matches_like_wildcards_literally(desk):
    assert names(desk, "%") == []
    assert names(desk, "_") == []


def test_industry_facets_count_cities_and_filter(desk):
    facets = {f.name: f.count for f in desk.cities.facets()}
    assert facets["Tourism"] == 5
    assert facets["Port logistics"] == 3
    assert names(desk, industry="Port logistics") == ["Busan", "Incheon", "Mokpo"]
    assert names(desk, "inch", industry="Port logistics") == ["Incheon"]


def test_sorting_by_province_then_reversed(desk):
    query = desk.cities.query()
    query.sort = 2
    first = query.fetch(0, 1)[0]
    query.descending = True
    last = query.fetch(0, 1)[0]
    assert first.cells[2] <= last.cells[2]
    assert first.cells[2] == "Busan Metropolitan City"


def edit_values(desk, city: str, **changes: str) -> dict[str, object]:
    detail = desk.cities.get(city)
    values = {
        "name": detail.name,
        "hangul": detail.hangul,
        "province": detail.province,
        "kind": detail.kind,
        "industries": ", ".join(detail.industries),
        "romanisations": ", ".join(detail.romanisations),
        "notes": detail.notes,
    }
    values.update(changes)
    return values


def test_edit_saves_cleaned_values_and_logs_each_field(desk):
    busan = city_id(desk, "Busan")
    nfd = unicodedata.normalize("NFD", "부산광역시")
    changed = desk.cities.update(
        busan, edit_values(desk, busan, province=nfd, industries="Film industry, , Film industry, Port logistics",
                           notes="[bold]VIP[/] \x1b]2;x\x07 note\nline two")
    ).changed
    assert set(changed) == {"province", "industries", "notes"}
    city = desk.cities.get(busan)
    assert city.province == "부산광역시"
    assert city.industries == ("Film industry", "Port logistics")
    assert city.notes == "[bold]VIP[/] ]2;x note\nline two"
    logged = desk.reader().execute(
        "SELECT field, old, new FROM change WHERE record_id = ? ORDER BY seq", (busan,)
    ).fetchall()
    fields = [r["field"] for r in logged]
    assert fields[0] == "@created"
    assert fields[1:] == ["province", "industries", "notes"]
    assert logged[1]["old"] == '"Busan Metropolitan City"'


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "English name is required"),
        ("name", "x" * 61, "too long"),
        ("hangul", "Busan", "Hangul letters only"),
        ("kind", "megacity", "Kind must be one of"),
        ("industries", "y" * 81, "too long"),
        ("industries", ", ".join(f"i{n}" for n in range(31)), "at most 30 items"),
    ],
)
def test_bad_values_are_refused_per_field_and_nothing_is_written(desk, field, value, message):
    busan = city_id(desk, "Busan")
    before = desk.cities.get(busan)
    sets_before = desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0]
    with pytest.raises(Invalid) as caught:
        desk.cities.update(busan, edit_values(desk, busan, notes="changed too", **{field: value}))
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    assert desk.cities.get(busan) == before
    assert desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0] == sets_before


def test_undo_restores_the_last_edit_and_is_logged(desk):
    busan = city_id(desk, "Busan")
    desk.cities.update(busan, edit_values(desk, busan, notes="first"))
    desk.cities.update(busan, edit_values(desk, busan, notes="second", hangul=""))
    assert desk.undo.undo_last() == "Edit city Busan"
    assert desk.cities.get(busan).notes == "first"
    assert desk.cities.get(busan).hangul == "부산"
    assert desk.undo.undo_last() == "Edit city Busan"
    assert desk.cities.get(busan).notes == ""
    history = desk.undo.history(busan)
    assert history[0].summary == "Undo: Edit city Busan"


def test_an_edit_that_changes_nothing_leaves_nothing_to_undo(desk):
    busan = city_id(desk, "Busan")
    assert desk.cities.update(busan, edit_values(desk, busan)).changed == ()
    assert desk.undo.last_undoable() is None


def test_undo_never_removes_the_seeded_cities(desk):
    assert desk.undo.undo_last() is None
    assert desk.cities.query().count() == 33


def test_type_ahead_completes_english_hangul_and_old_spellings(desk):
    assert desk.cities.suggest("bus") == "busan"
    assert desk.cities.suggest("Pus") == "Pusan"  # resolve() accepts it as Busan
    assert desk.cities.resolve(desk.cities.suggest("Pus")).name == "Busan"
    assert desk.cities.suggest("진") == "진주"
    assert desk.cities.suggest("zz") is None
