"""Delegation visits and their members, itinerary and gifts: the services."""

from __future__ import annotations

import datetime as dt

import pytest

from twindesk.services import Invalid

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def vdesk(desk):
    desk.today = lambda: TODAY
    return desk


def visit_values(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "direction": "outbound",
        "city": "Busan",
        "start_date": "2026-12-01",
        "end_date": "2026-12-04",
        "purpose": "Port logistics study visit",
        "areas": ["business"],
        "status": "planned",
        "budget_amount": "12500",
        "budget_currency": "EUR",
        "notes": "",
    }
    values.update(changes)
    return values


def add(desk, **changes: object) -> str:
    return desk.visits.create(visit_values(**changes)).id


def listed(desk, text: str = "", quick: str | None = None) -> list[tuple[str, ...]]:
    query = desk.visits.query()
    query.text = text
    query.quick = quick
    rows = query.fetch(0, 100)
    assert query.count() == len(rows)
    return [r.cells for r in rows]


def purposes(desk, text: str = "", quick: str | None = None) -> list[str]:
    return [cells[4] for cells in listed(desk, text, quick)]


# Visits ---------------------------------------------------------------------
def test_create_then_get_shows_clean_values(vdesk):
    visit_id = add(vdesk, purpose="  [bold]x[/] \x1b]2;t\x07 ", budget_amount="12,500.5", budget_currency="eur",
                   areas=["business", "tourism"])
    found = vdesk.visits.get(visit_id)
    assert found.city == "Busan" and found.hangul == "부산"
    assert (found.start_date, found.end_date) == (dt.date(2026, 12, 1), dt.date(2026, 12, 4))
    assert found.purpose == "[bold]x[/] ]2;t"
    assert found.areas == ("tourism", "business")  # in the seed's order, as ticked in any order
    assert (found.budget_amount, found.budget_currency, found.budget) == ("12500.50", "EUR", "12,500.50 EUR")
    assert found.members == () and found.itinerary == () and found.gifts == ()
    assert listed(vdesk) == [("2026-12-01 – 2026-12-04", "outbound", "Busan 부산", "planned", "[bold]x[/] ]2;t")]


def test_update_logs_each_field_and_undo_restores(vdesk):
    visit_id = add(vdesk)
    changed = vdesk.visits.update(visit_id, visit_values(status="confirmed", end_date="2026-12-05")).changed
    assert set(changed) == {"status", "end_date"}
    assert vdesk.visits.get(visit_id).status == "confirmed"
    assert vdesk.undo.undo_last() == "Edit visit Busan 2026-12-01"
    found = vdesk.visits.get(visit_id)
    assert (found.status, found.end_date) == ("planned", dt.date(2026, 12, 4))
    fields = [h.field for h in vdesk.undo.history(visit_id)]
    assert "Created" in fields and "Status" in fields


def test_delete_hides_the_visit_and_undo_brings_it_back_with_its_children(vdesk):
    visit_id = add(vdesk)
    vdesk.members.create({"visit_id": visit_id, "name": "Kim Min-jun"})
    assert vdesk.visits.delete(visit_id) == "Busan 2026-12-01"
    assert vdesk.visits.get(visit_id) is None
    assert listed(vdesk) == []
    assert vdesk.undo.undo_last() == "Delete visit Busan 2026-12-01"
    assert [m.name for m in vdesk.visits.get(visit_id).members] == ["Kim Min-jun"]


def test_an_unchanged_save_leaves_nothing_to_undo(vdesk):
    visit_id = add(vdesk)
    undoable = vdesk.undo.last_undoable()
    assert vdesk.visits.update(visit_id, vdesk.visits.form_values(visit_id)).changed == ()
    assert vdesk.undo.last_undoable() == undoable


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", "2026-02-30", "not a real date"),
        ("start_date", "1/12/2026", "YYYY-MM-DD"),
        ("end_date", "", "End is required"),
        ("end_date", "2026-11-30", "is before the start"),
        ("city", "Atlantis", "No city called"),
        ("city", "", "Korean city is required"),
        ("direction", "sideways", "Direction must be one of"),
        ("status", "maybe", "Status must be one of"),
        ("areas", ["tourism", "space"], "Unknown cooperation area"),
        ("budget_amount", "-5", "cannot be negative"),
        ("budget_amount", "12.345", "at most 2 decimals"),
        ("budget_amount", "twelve", "not a number"),
        ("budget_currency", "XYZ", "not one twindesk knows"),
        ("budget_currency", "", "currency"),
        ("purpose", "p" * 201, "too long"),
    ],
)
def test_bad_values_are_refused_per_field_and_nothing_is_written(vdesk, field, value, message):
    visit_id = add(vdesk)
    before = vdesk.visits.get(visit_id)
    sets = vdesk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0]
    with pytest.raises(Invalid) as caught:
        vdesk.visits.update(visit_id, visit_values(notes="changed too", **{field: value}))
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    assert vdesk.visits.get(visit_id) == before
    assert vdesk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0] == sets


def test_a_budget_is_optional_but_an_amount_needs_its_currency(vdesk):
    visit_id = add(vdesk, budget_amount="", budget_currency="")
    assert vdesk.visits.get(visit_id).budget == ""
    with pytest.raises(Invalid) as caught:
        add(vdesk, budget_amount="300", budget_currency="")
    assert list(caught.value.errors) == ["budget_currency"]
    assert "currency" in caught.value.errors["budget_currency"]


def test_a_one_day_visit_shows_one_date(vdesk):
    add(vdesk, end_date="2026-12-01")
    assert listed(vdesk)[0][0] == "2026-12-01"


# Listing --------------------------------------------------------------------
@pytest.fixture
def four(vdesk):
    add(vdesk, start_date="2026-10-01", end_date="2026-10-03", purpose="Autumn trade mission", status="done")
    add(vdesk, direction="inbound", city="Jeonju", start_date="2026-11-20", end_date="2026-11-24",
        purpose="Hanok village study", status="confirmed")
    add(vdesk, direction="inbound", city="Gwangju", start_date="2027-03-01", end_date="2027-03-02",
        purpose="Biennale delegation", status="cancelled")
    add(vdesk, city="Seoul", start_date="2027-01-10", end_date="2027-01-12", purpose="Smart city forum")
    return vdesk


def test_sorted_by_start_date(four):
    assert purposes(four) == ["Autumn trade mission", "Hanok village study", "Smart city forum",
                              "Biennale delegation"]
    query = four.visits.query()
    query.descending = True
    assert query.fetch(0, 1)[0].cells[4] == "Biennale delegation"


def test_other_sorts_keep_date_order_within_a_value(four):
    add(four, start_date="2026-09-01", end_date="2026-09-02", purpose="Early Busan visit")
    query = four.visits.query()
    query.cycle_sort()  # direction
    query.cycle_sort()  # city
    assert [r.cells[4] for r in query.fetch(0, 10)] == [
        "Early Busan visit", "Autumn trade mission", "Biennale delegation", "Hanok village study", "Smart city forum"]


@pytest.mark.parametrize(
    ("quick", "expected"),
    [
        ("upcoming", ["Hanok village study", "Smart city forum", "Biennale delegation"]),  # ends today: upcoming
        ("past", ["Autumn trade mission"]),
        ("inbound", ["Hanok village study", "Biennale delegation"]),
        ("outbound", ["Autumn trade mission", "Smart city forum"]),
        ("planned", ["Smart city forum"]),
        ("confirmed", ["Hanok village study"]),
        ("done", ["Autumn trade mission"]),
        ("cancelled", ["Biennale delegation"]),
    ],
)
def test_quick_filters(four, quick, expected):
    assert purposes(four, quick=quick) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busan", ["Autumn trade mission"]),
        ("부산", ["Autumn trade mission"]),
        ("Pusan", ["Autumn trade mission"]),
        ("ㅈㅈ", ["Hanok village study"]),  # Jeonju's Hangul initials
        ("hanok", ["Hanok village study"]),
        ("inbound hanok", ["Hanok village study"]),
        ("mission autumn", ["Autumn trade mission"]),
        ("cancelled", ["Biennale delegation"]),
        ("%", []),
        ("_", []),
    ],
)
def test_filter_by_city_spellings_purpose_and_status(four, text, expected):
    assert purposes(four, text) == expected


def test_filter_and_quick_filter_combine(four):
    assert purposes(four, "inbound", quick="upcoming") == ["Hanok village study", "Biennale delegation"]
    assert purposes(four, "gwangju", quick="past") == []


def test_markup_like_text_is_stored_and_found_literally(vdesk):
    add(vdesk, purpose="[/] closing [bold]x[/]")
    add(vdesk, purpose="plain", start_date="2026-12-10", end_date="2026-12-11")
    assert purposes(vdesk, "[/]") == ["[/] closing [bold]x[/]"]
    assert purposes(vdesk, "[bold]") == ["[/] closing [bold]x[/]"]


def test_for_city_lists_that_citys_visits(four):
    from .conftest import city_id

    rows = four.visits.for_city(city_id(four, "Jeonju"))
    assert [r.cells[4] for r in rows] == ["Hanok village study"]
    assert rows[0].label.startswith("Jeonju 2026-11-20")


# Overlaps -------------------------------------------------------------------
def test_overlapping_visits_to_one_city_are_flagged_not_refused(vdesk):
    first = add(vdesk, purpose="First", start_date="2026-12-01", end_date="2026-12-04")
    second = add(vdesk, purpose="Second", start_date="2026-12-04", end_date="2026-12-06")
    add(vdesk, purpose="Cancelled", start_date="2026-12-02", end_date="2026-12-03", status="cancelled")
    add(vdesk, purpose="Elsewhere", city="Seoul", start_date="2026-12-01", end_date="2026-12-04")
    add(vdesk, purpose="Later", start_date="2026-12-07", end_date="2026-12-08")
    rows = {r.cells[4]: r for r in vdesk.visits.query().fetch(0, 10)}
    assert {name for name, r in rows.items() if r.tone == "warning"} == {"First", "Second"}
    assert rows["First"].cells[3] == "planned  ⚠ overlaps"
    assert rows["Cancelled"].cells[3] == "cancelled"
    assert [r.id for r in vdesk.visits.overlaps(first)] == [second]
    assert [r.cells[4] for r in vdesk.visits.overlaps(second)] == ["First"]
    # Cancelling one clears the flag of the other.
    vdesk.visits.update(second, {**vdesk.visits.form_values(second), "status": "cancelled"})
    assert vdesk.visits.overlaps(first) == []
    assert all(r.tone == "" for r in vdesk.visits.query().fetch(0, 10))


def test_a_long_visit_still_finds_its_overlaps(vdesk):
    # The overlap search is bounded by the longest visit: a new long one
    # must widen the bound at once.
    short = add(vdesk, purpose="Short", start_date="2027-06-01", end_date="2027-06-02")
    add(vdesk, purpose="Long", start_date="2027-01-01", end_date="2027-12-31")
    assert [r.cells[4] for r in vdesk.visits.overlaps(short)] == ["Long"]
    assert {r.cells[4] for r in vdesk.visits.query().fetch(0, 10) if r.tone} == {"Short", "Long"}


# Members, itinerary, gifts --------------------------------------------------
def test_members_are_added_edited_deleted_and_undone(vdesk):
    visit_id = add(vdesk)
    member = vdesk.members.create({"visit_id": visit_id, "name": " Kim Min-jun ", "title": "Deputy Mayor",
                                   "organisation": "Busan City", "role": "head of delegation",
                                   "dietary": "no pork", "contact": "kim@example.kr"}).id
    vdesk.members.update(member, {**vdesk.members.form_values(member), "visit_id": visit_id, "role": "official"})
    found = vdesk.visits.get(visit_id).members
    assert [(m.name, m.role, m.dietary) for m in found] == [("Kim Min-jun", "official", "no pork")]
    assert vdesk.members.delete(member) == "Kim Min-jun"
    assert vdesk.visits.get(visit_id).members == ()
    assert vdesk.undo.undo_last() == "Delete member Kim Min-jun"
    assert vdesk.undo.undo_last() == "Edit member Kim Min-jun"
    assert vdesk.visits.get(visit_id).members[0].role == "head of delegation"
    with pytest.raises(Invalid) as caught:
        vdesk.members.create({"visit_id": visit_id, "name": "  "})
    assert list(caught.value.errors) == ["name"]


def test_itinerary_is_sorted_by_day_and_time_and_stays_within_the_visit(vdesk):
    visit_id = add(vdesk)
    for day, time, what in [("2026-12-02", "14:00", "Port tour"), ("2026-12-01", "", "Arrival"),
                            ("2026-12-02", "9:30", "Courtesy call")]:
        vdesk.itinerary.create({"visit_id": visit_id, "day": day, "time": time, "what": what, "place": "Busan"})
    items = vdesk.visits.get(visit_id).itinerary
    assert [(i.day.isoformat(), i.time, i.what) for i in items] == [
        ("2026-12-01", "", "Arrival"), ("2026-12-02", "09:30", "Courtesy call"), ("2026-12-02", "14:00", "Port tour")]
    item = items[0].id
    assert vdesk.itinerary.delete(item) == "2026-12-01 Arrival"
    vdesk.undo.undo_last()
    assert len(vdesk.visits.get(visit_id).itinerary) == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "2026-12-05", "The visit runs 2026-12-01 – 2026-12-04"),
        ("day", "2026-11-30", "pick a day within it"),
        ("day", "2026-02-30", "not a real date"),
        ("day", "", "Day is required"),
        ("time", "25:00", "not a time of day"),
        ("time", "12:60", "not a time of day"),
        ("time", "noon", "HH:MM"),
        ("what", "", "What is required"),
    ],
)
def test_bad_itinerary_values_are_refused_per_field(vdesk, field, value, message):
    visit_id = add(vdesk)
    values = {"visit_id": visit_id, "day": "2026-12-02", "time": "10:00", "what": "Port tour", field: value}
    with pytest.raises(Invalid) as caught:
        vdesk.itinerary.create(values)
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    assert vdesk.visits.get(visit_id).itinerary == ()


def test_moving_a_visit_keeps_its_itinerary_and_marks_days_now_outside(vdesk):
    visit_id = add(vdesk)
    vdesk.itinerary.create({"visit_id": visit_id, "day": "2026-12-04", "what": "Farewell lunch"})
    vdesk.visits.update(visit_id, visit_values(end_date="2026-12-03"))
    assert vdesk.visits.outside_itinerary(visit_id) == 1
    assert vdesk.visits.get(visit_id).itinerary[0].outside


def test_gifts_given_and_received(vdesk):
    visit_id = add(vdesk)
    gift = vdesk.gifts.create({"visit_id": visit_id, "item": "Celadon vase", "direction": "received",
                               "counterpart": "Mayor of Busan", "occasion": "Courtesy call",
                               "given_on": "2026-12-02"}).id
    vdesk.gifts.create({"visit_id": visit_id, "item": "Honey", "direction": "given"})
    gifts = vdesk.visits.get(visit_id).gifts
    assert [(g.item, g.direction, g.given_on) for g in gifts] == [
        ("Celadon vase", "received", dt.date(2026, 12, 2)), ("Honey", "given", None)]
    vdesk.gifts.update(gift, {**vdesk.gifts.form_values(gift), "visit_id": visit_id, "occasion": "Dinner"})
    assert vdesk.gifts.get(gift).occasion == "Dinner"
    vdesk.gifts.delete(gift)
    assert [g.item for g in vdesk.visits.get(visit_id).gifts] == ["Honey"]
    assert vdesk.undo.undo_last() == "Delete gift Celadon vase"
    with pytest.raises(Invalid) as caught:
        vdesk.gifts.create({"visit_id": visit_id, "item": "", "direction": "lent", "given_on": "2026-13-01"})
    assert set(caught.value.errors) == {"item", "direction", "given_on"}


def test_children_need_a_live_visit(vdesk):
    visit_id = add(vdesk)
    vdesk.visits.delete(visit_id)
    for service, values in [(vdesk.members, {"name": "Kim"}), (vdesk.gifts, {"item": "Tea", "direction": "given"}),
                            (vdesk.itinerary, {"day": "2026-12-01", "what": "Lunch"})]:
        with pytest.raises(LookupError):
            service.create({**values, "visit_id": visit_id})
        with pytest.raises(LookupError):
            service.create({**values, "visit_id": "no-such-visit"})


def test_role_and_currency_type_ahead():
    from twindesk.services.money import suggest_currency
    from twindesk.services.visit_parts import suggest_role

    assert suggest_role("Int") == "Interpreter"
    assert suggest_role("head") == "head of delegation"
    assert suggest_role("zz") is None
    assert suggest_currency("K") == "KRW"


# Query plans ----------------------------------------------------------------
def _expected(desk, rows: list[dict], text_in: str = "", quick: str | None = None) -> list[tuple[str, bool]]:
    """The list worked out in Python: (purpose, flagged) in date order."""
    live = [r for r in rows if not r["deleted"]]

    def overlaps(v: dict) -> bool:
        return v["status"] != "cancelled" and any(
            o is not v and o["status"] != "cancelled" and o["city"] == v["city"]
            and o["start"] <= v["end"] and o["end"] >= v["start"] for o in live)

    chosen = [v for v in live if all(term in v["purpose"] for term in text_in.split())]
    if quick == "upcoming":
        chosen = [v for v in chosen if v["end"] >= TODAY.isoformat()]
    elif quick is not None:
        chosen = [v for v in chosen if quick in (v["status"], v["direction"])]
    chosen.sort(key=lambda v: (v["start"], v["n"]))
    return [(v["purpose"], overlaps(v)) for v in chosen]


@pytest.fixture
def many(vdesk):
    import random

    rng = random.Random(5)
    rows = []
    for n in range(60):
        start = dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(120))
        v = {"n": n, "city": rng.choice(["Busan", "Seoul", "Jeonju"]), "start": start.isoformat(),
             "end": (start + dt.timedelta(days=rng.randrange(6))).isoformat(),
             "status": rng.choice(["planned", "confirmed", "done", "cancelled"]),
             "direction": rng.choice(["inbound", "outbound"]), "purpose": f"{rng.choice(['mission', 'camp'])} {n:02d}",
             "deleted": n % 11 == 0}
        v["id"] = add(vdesk, city=v["city"], start_date=v["start"], end_date=v["end"], status=v["status"],
                      direction=v["direction"], purpose=v["purpose"])
        if v["deleted"]:
            vdesk.visits.delete(v["id"])
        rows.append(v)
    return vdesk, rows


@pytest.mark.parametrize("plan", ["default", "pick", "walk"])
@pytest.mark.parametrize(("text", "quick"), [("", None), ("camp", None), ("mission 1", None), ("", "upcoming"),
                                             ("camp", "cancelled"), ("", "inbound"), ("1", None), ("ca 2", "done")])
def test_every_plan_lists_the_same_rows_and_flags(many, monkeypatch, plan, text, quick):
    """Whatever the plan (the trigram index or a read for terms, walking the
    date index or picking and sorting the matches), the rows are the same."""
    from twindesk.services import visits

    desk, rows = many
    if plan == "pick":
        monkeypatch.setattr(visits, "WALK_SHARE", 2)  # never "many matches"
    elif plan == "walk":
        monkeypatch.setattr(visits, "WALK_SHARE", 0)  # always
    monkeypatch.setattr(visits, "PAGE", 7)
    query = desk.visits.query()
    query.text, query.quick = text, quick
    total = query.count()
    listed = [r for offset in range(0, total + 7, 7) for r in query.fetch(offset, 7)]
    got = [(r.cells[4], r.tone == "warning") for r in listed]
    assert got == _expected(desk, rows, text, quick)
    assert total == len(got)
    query.descending = True
    query.count()
    assert [r.cells[4] for r in query.fetch(0, 7)] == [p for p, _ in reversed(got)][:7]


def test_a_section_counts_every_row_when_it_shows_only_the_first(desk, monkeypatch):
    from twindesk import demo
    from twindesk.services import records

    demo.build(desk, 120, 20)
    monkeypatch.setattr(records, "SECTION_ROWS", 4)
    for city, n in desk.reader().execute(
            "SELECT city_id, count(*) FROM visit WHERE deleted_at IS NULL GROUP BY city_id").fetchall():
        found = desk.visits.section("city_id", city)
        assert found.total == n
        assert len(found.rows) == min(n, 4)
    assert desk.visits.section("city_id", None).total == 0
