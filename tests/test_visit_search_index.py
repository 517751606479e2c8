"""The trigram index over visits (schema 3) stays right whoever writes."""

from __future__ import annotations

from .conftest import city_id


def visit(desk, **changes: str) -> str:
    values = {"direction": "outbound", "city": "Busan", "start_date": "2027-03-01", "end_date": "2027-03-04",
              "purpose": "Youth camp", "areas": [], "status": "planned", "budget_amount": "",
              "budget_currency": "", "notes": ""}
    values.update(changes)
    return desk.visits.create(values).id


def found(desk, text: str) -> int:
    query = desk.visits.query()
    query.text = text
    assert query.count() == len(query.fetch(0, 100))
    return query.count()


def test_edits_deletes_and_undo_keep_the_index_right(desk):
    ident = visit(desk)
    assert found(desk, "camp") == 1 and found(desk, "busan") == 1
    values = {**desk.visits.form_values(ident), "purpose": "Trade mission", "city": "Jeju"}
    desk.visits.update(ident, values)
    assert found(desk, "camp") == 0 and found(desk, "mission") == 1
    assert found(desk, "busan") == 0 and found(desk, "cheju") == 1
    desk.visits.delete(ident)
    assert found(desk, "mission") == 0
    desk.undo.undo_last()
    assert found(desk, "mission") == 1


def test_a_city_renamed_finds_its_visits_under_the_new_name(desk):
    visit(desk)
    busan = city_id(desk, "Busan")
    detail = desk.cities.get(busan)
    desk.cities.update(busan, {"name": "Busan Metro", "hangul": detail.hangul, "province": detail.province,
                               "kind": detail.kind, "industries": list(detail.industries),
                               "romanisations": ["Fusan"], "notes": ""})
    assert found(desk, "fusan") == 1
    assert found(desk, "pusan") == 0


def test_short_and_long_terms_together(desk):
    visit(desk, purpose="Youth camp 7")
    visit(desk, purpose="Youth camp 8")
    assert found(desk, "camp 7") == 1
    assert found(desk, "부산 camp") == 2
    assert found(desk, '"camp') == 0  # a quote is text to find, not FTS syntax


def test_a_member_is_not_written_under_a_visit_deleted_after_the_form_was_checked(desk, monkeypatch):
    import pytest

    ident = visit(desk)
    values = {"visit_id": ident, "name": "Kim Min-jun", "title": "", "organisation": "", "role": "interpreter",
              "dietary": "", "contact": ""}
    checked = desk.members.validate(values)  # the form is checked while the visit is live...
    desk.visits.delete(ident)  # ...then another window deletes the visit
    monkeypatch.setattr(desk.members, "validate", lambda v, record_id=None: dict(checked))
    with pytest.raises(LookupError, match="just deleted"):
        desk.members.create(values)
    assert desk.reader().execute("SELECT count(*) FROM member").fetchone()[0] == 0
