"""Partnership and contact services: stages and their dated history, the list,
validation per field, duplicates, undo."""

from __future__ import annotations

import datetime as dt

import pytest

from twindesk.services import Invalid

from .conftest import city_id

TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def pdesk(desk):
    desk.today = lambda: TODAY
    return desk


def values(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"city": "Busan", "kind": "sister", "stage": "research", "areas": [], "sectors": []}
    base.update(changes)
    return base


def rows(desk, text: str = "", quick: str | None = None) -> list[tuple[str, ...]]:
    query = desk.partnerships.query()
    query.text = text
    query.quick = quick
    found = query.fetch(0, 100)
    assert query.count() == len(found)
    return [r.cells for r in found]


def count(desk, table: str) -> int:
    return desk.reader().execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]


# Create, edit, delete, undo ------------------------------------------------
def test_create_shows_city_kind_stage_since_and_areas(pdesk):
    pdesk.partnerships.create(values(city="부산", areas=["business", "tourism"], sectors=["smart_cities"]))
    assert rows(pdesk) == [("Busan 부산", "Sister city", "Research", "2026-05-01", "Tourism, Business")]


def test_get_gives_names_history_and_contacts(pdesk):
    pid = pdesk.partnerships.create(values(areas=["tourism"], sectors=["e_government", "smart_cities"])).id
    pdesk.contacts.create({"partnership_id": pid, "name": "Kim Min-jun", "email": "kim@busan.go.kr"})
    found = pdesk.partnerships.get(pid)
    assert (found.city, found.hangul, found.kind_name, found.stage_name) == ("Busan", "부산", "Sister city", "Research")
    assert found.area_names == ("Tourism cooperation",)
    assert found.sectors == ("smart_cities", "e_government")  # kept in the seed's order
    assert found.sector_names == ("Smart cities", "E-government")
    assert found.history == (("Research", TODAY),)
    assert [c.name for c in found.contacts] == ["Kim Min-jun"]


def test_each_stage_change_is_kept_with_its_date(pdesk):
    service = pdesk.partnerships
    pid = service.create(values(stage="inquiry", stage_changed_on="2025-01-10")).id
    service.update(pid, values(stage="letter_of_intent", stage_changed_on="2025-09-01"))
    service.update(pid, values(stage="signed", signed_on="2026-04-20", signed_place="Busan City Hall"))
    service.update(pid, values(stage="signed", signed_on="2026-04-20", notes="no stage change"))
    assert service.get(pid).history == (
        ("Signed", TODAY),
        ("Friendship or letter of intent", dt.date(2025, 9, 1)),
        ("Inquiry", dt.date(2025, 1, 10)),
    )
    assert rows(pdesk)[0][2:4] == ("Signed", "2026-05-01")


def test_undo_of_a_stage_change_removes_its_history_row(pdesk):
    service = pdesk.partnerships
    pid = service.create(values(stage_changed_on="2026-01-05")).id
    service.update(pid, values(stage="council_approval", stage_changed_on="2026-03-02"))
    assert rows(pdesk)[0][2:4] == ("Council approval", "2026-03-02")
    pdesk.undo.undo_last()
    found = service.get(pid)
    assert found.stage == "research"
    assert found.history == (("Research", dt.date(2026, 1, 5)),)
    assert rows(pdesk)[0][2:4] == ("Research", "2026-01-05")
    assert count(pdesk, "stage_change") == 1


def test_a_date_typed_with_the_stage_unchanged_corrects_that_stage_date(pdesk):
    service = pdesk.partnerships
    pid = service.create(values()).id
    assert service.update(pid, values(stage_changed_on="2024-06-30")).changed == ("stage_changed_on",)
    assert service.get(pid).history == (("Research", dt.date(2024, 6, 30)),)
    assert rows(pdesk)[0][3] == "2024-06-30"


def test_stage_change_dated_before_the_last_one_or_in_the_future_is_refused(pdesk):
    service = pdesk.partnerships
    pid = service.create(values(stage_changed_on="2026-03-01")).id
    with pytest.raises(Invalid) as bad:
        service.update(pid, values(stage="council_approval", stage_changed_on="2026-02-01"))
    assert "2026-03-01" in bad.value.errors["stage_changed_on"]
    with pytest.raises(Invalid) as bad:
        service.update(pid, values(stage="council_approval", stage_changed_on="2026-05-02"))
    assert "future" in bad.value.errors["stage_changed_on"]
    assert service.get(pid).stage == "research"


def test_delete_then_undo_brings_it_back(pdesk):
    pid = pdesk.partnerships.create(values()).id
    assert pdesk.partnerships.delete(pid) == "Busan (sister city)"
    assert rows(pdesk) == []
    assert pdesk.partnerships.get(pid) is None
    pdesk.undo.undo_last()
    assert pdesk.partnerships.get(pid).stage == "research"


def test_undo_of_a_create_removes_the_record_and_its_history(pdesk):
    pdesk.partnerships.create(values())
    pdesk.undo.undo_last()
    assert rows(pdesk) == []
    assert count(pdesk, "stage_change") == 0


def test_user_text_is_stored_literally(pdesk):
    text = "[bold]VIP[/] [TBC] 시장 [@click=app.quit]x[/]"
    pid = pdesk.partnerships.create(values(notes=text, signatories_partner="[/]", signed_place="[b]")).id
    found = pdesk.partnerships.get(pid)
    assert (found.notes, found.signatories_partner, found.signed_place) == (text, "[/]", "[b]")


# One live tie per city and kind ---------------------------------------------
def test_a_second_live_partnership_of_the_same_kind_is_refused_on_the_city(pdesk):
    pdesk.partnerships.create(values())
    with pytest.raises(Invalid) as bad:
        pdesk.partnerships.create(values(city="Pusan", stage="inquiry"))
    assert "already a sister city partnership with Busan" in bad.value.errors["city"]
    assert count(pdesk, "partnership") == 1


def test_another_kind_an_ended_tie_or_a_deleted_one_leaves_room(pdesk):
    service = pdesk.partnerships
    first = service.create(values()).id
    service.create(values(kind="friendly"))
    service.update(first, values(stage="ended"))
    second = service.create(values()).id
    service.delete(second)
    service.create(values(stage="inquiry"))
    assert count(pdesk, "partnership") == 3


def test_editing_a_partnership_does_not_clash_with_itself(pdesk):
    pid = pdesk.partnerships.create(values()).id
    assert pdesk.partnerships.update(pid, values(notes="more")).changed == ("notes",)


# Bad values, each with its message on its field -------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"city": ""}, "city", "required"),
        ({"city": "Atlantis"}, "city", "No city called"),
        ({"kind": "twin"}, "kind", "Sister city, Friendly city"),
        ({"stage": "mou"}, "stage", "Inquiry"),
        ({"signed_on": "2026-02-30"}, "signed_on", "not a real date"),
        ({"signed_on": "1/2/2026"}, "signed_on", "YYYY-MM-DD"),
        ({"stage_changed_on": "2026-02-30"}, "stage_changed_on", "not a real date"),
        ({"stage": "signed"}, "signed_on", "needs its signing date"),
        ({"stage": "active", "signed_on": "2026-06-01"}, "signed_on", "future"),
        ({"areas": ["tourism", "space"]}, "areas", "Unknown cooperation area: space"),
        ({"sectors": ["nope"]}, "sectors", "Unknown sector: nope"),
        ({"signed_place": "x" * 121}, "signed_place", "too long"),
    ],
)
def test_bad_values_are_refused_at_their_field_and_nothing_is_written(pdesk, changes, field, words):
    with pytest.raises(Invalid) as bad:
        pdesk.partnerships.create(values(**changes))
    assert words in bad.value.errors[field]
    assert count(pdesk, "partnership") == 0
    assert count(pdesk, "stage_change") == 0


def test_a_bad_edit_leaves_the_record_as_it_was(pdesk):
    pid = pdesk.partnerships.create(values(notes="kept")).id
    with pytest.raises(Invalid):
        pdesk.partnerships.update(pid, values(stage="signed", notes="lost"))
    found = pdesk.partnerships.get(pid)
    assert (found.stage, found.notes, len(found.history)) == ("research", "kept", 1)


# The list ------------------------------------------------------------------
def make_several(desk) -> None:
    service = desk.partnerships
    service.create(values(city="Jeonju", stage="active", signed_on="2019-05-01", stage_changed_on="2020-01-01"))
    service.create(values(city="Busan", stage="dormant", signed_on="2010-01-01", stage_changed_on="2024-01-01"))
    service.create(values(city="Busan", kind="friendly", stage="inquiry", stage_changed_on="2026-02-01"))
    service.create(values(city="Andong", stage="council_approval"))
    service.create(values(city="Jeju", kind="friendly", stage="ended", stage_changed_on="2021-07-07"))


def test_sorted_by_city_then_stage_in_seed_order(pdesk):
    make_several(pdesk)
    assert [(r[0], r[2]) for r in rows(pdesk)] == [
        ("Andong 안동", "Council approval"),
        ("Busan 부산", "Inquiry"),
        ("Busan 부산", "Dormant"),
        ("Jeju 제주", "Ended"),
        ("Jeonju 전주", "Active"),
    ]
    query = pdesk.partnerships.query()
    query.sort = 3  # since
    assert [r.cells[3] for r in query.fetch(0, 10)] == [
        "2020-01-01", "2021-07-07", "2024-01-01", "2026-02-01", "2026-05-01"
    ]
    query.sort = 2  # stage, in the seed's order
    assert [r.cells[2] for r in query.fetch(0, 10)][:2] == ["Inquiry", "Council approval"]


def test_filter_by_hangul_old_spelling_stage_and_kind(pdesk):
    make_several(pdesk)
    assert [r[2] for r in rows(pdesk, "부산")] == ["Inquiry", "Dormant"]
    assert [r[0] for r in rows(pdesk, "pusan dormant")] == ["Busan 부산"]
    assert [r[0] for r in rows(pdesk, "council")] == ["Andong 안동"]
    assert [r[0] for r in rows(pdesk, "friendly")] == ["Busan 부산", "Jeju 제주"]
    assert rows(pdesk, "%") == []


def test_quick_filters_by_stage_group(pdesk):
    make_several(pdesk)
    assert [r[2] for r in rows(pdesk, quick="exploring")] == ["Council approval", "Inquiry"]
    assert [r[2] for r in rows(pdesk, quick="signed")] == ["Active"]
    assert [r[2] for r in rows(pdesk, quick="ended")] == ["Dormant", "Ended"]


def test_for_city_lists_one_citys_partnerships(pdesk):
    make_several(pdesk)
    found = pdesk.partnerships.for_city(city_id(pdesk, "Busan"))
    assert [r.label for r in found] == ["Busan (friendly city)", "Busan (sister city)"]
    assert pdesk.partnerships.for_city(city_id(pdesk, "Mokpo")) == []


def test_form_values_of_a_new_one_take_what_the_caller_knows(pdesk):
    start = pdesk.partnerships.form_values(None, {"city": "Busan", "stage": "research"})
    assert (start["city"], start["kind"], start["stage"]) == ("Busan", "sister", "research")
    pid = pdesk.partnerships.create(values(areas=["education"])).id
    again = pdesk.partnerships.form_values(pid)
    assert (again["city"], again["areas"], again["stage_changed_on"]) == ("Busan", ["education"], "")


# Contacts ------------------------------------------------------------------
def contact(pid: str, **changes: str) -> dict[str, str]:
    base = {"partnership_id": pid, "name": "Lee Seo-yeon", "title": "Director", "organisation": "Busan City",
            "email": "lee@busan.go.kr", "phone": "+82 (51) 888-1234", "language": "Korean"}
    base.update(changes)
    return base


def test_contacts_are_added_edited_deleted_and_undone(pdesk):
    pid = pdesk.partnerships.create(values()).id
    cid = pdesk.contacts.create(contact(pid)).id
    pdesk.contacts.update(cid, contact(pid, title="[/] Deputy"))
    assert pdesk.contacts.get(cid).title == "[/] Deputy"
    pdesk.contacts.delete(cid)
    assert pdesk.partnerships.get(pid).contacts == ()
    pdesk.undo.undo_last()
    assert [c.name for c in pdesk.partnerships.get(pid).contacts] == ["Lee Seo-yeon"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "required"),
        ({"email": "lee@busan"}, "email", "name@example.org"),
        ({"email": "lee busan.go.kr"}, "email", "name@example.org"),
        ({"phone": "051-888-CALL"}, "phone", "Digits"),
        ({"phone": "()"}, "phone", "Digits"),
    ],
)
def test_bad_contact_values_are_refused_at_their_field(pdesk, changes, field, words):
    pid = pdesk.partnerships.create(values()).id
    with pytest.raises(Invalid) as bad:
        pdesk.contacts.create(contact(pid, **changes))
    assert words in bad.value.errors[field]
    assert count(pdesk, "contact") == 0


def test_a_contact_needs_a_live_partnership(pdesk):
    pid = pdesk.partnerships.create(values()).id
    pdesk.partnerships.delete(pid)
    with pytest.raises(LookupError):
        pdesk.contacts.create(contact(pid))
