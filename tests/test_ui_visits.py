"""Delegation visits: list, form and detail with members, itinerary and gifts, by keyboard."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input

from twindesk.screens.history import HistoryScreen
from twindesk.screens.record_detail import detail_screen
from twindesk.screens.visits import VisitListScreen
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready, save, screen_text, settle, type_text

VisitDetailScreen = detail_screen("visit")

TODAY = dt.date(2026, 11, 24)


def table(app) -> PagedTable:
    return app.screen.query_one("#records", PagedTable)


def cells(app) -> list[tuple[str, ...]]:
    t = table(app)
    return [t.row_at(i).cells for i in range(t.row_count)]


def field_error(app, name: str) -> str:
    label = app.screen.query_one(f"#error-{name}")
    return str(label.render()) if "-shown" in label.classes else ""


def section(app, key: str) -> DataTable:
    return app.screen.query_one(f"#section-{key}", DataTable)


async def to_visits(pilot) -> None:
    await ready(pilot)
    pilot.app.desk.today = lambda: TODAY
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(pilot.app.screen, VisitListScreen)


def add(app, **changes: object) -> str:
    values = {"direction": "outbound", "city": "Busan", "start_date": "2026-12-01", "end_date": "2026-12-04",
              "purpose": "Port logistics study visit", "status": "planned"}
    visit_id = app.desk.visits.create({**values, **changes}).id
    app.refresh_data()
    return visit_id


async def test_add_a_visit_with_members_itinerary_and_gifts_by_keyboard_then_restart(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        assert "No visits here" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter", "up", "enter")  # direction: outbound -> inbound
        await pilot.press("tab")
        await type_text(pilot, "Bus")
        await pilot.press("right")  # takes the suggestion: Busan
        await pilot.press("tab")
        await type_text(pilot, "2026-12-01")
        await pilot.press("tab")
        await type_text(pilot, "2026-12-04")
        await pilot.press("tab")
        await type_text(pilot, "[bold]x[/] port")
        await pilot.press("tab", "space", "down", "down", "space")  # areas: Tourism and Business
        await pilot.press("tab", "enter", "down", "enter")  # status: planned -> confirmed
        await pilot.press("tab")
        await type_text(pilot, "12500")
        await pilot.press("tab")
        await type_text(pilot, "eur")
        await save(pilot)
        assert isinstance(app.screen, VisitListScreen)
        assert cells(app) == [("2026-12-01 – 2026-12-04", "inbound", "Busan 부산", "confirmed", "[bold]x[/] port")]
        text = screen_text(app)
        assert "[bold]x[/] port" in text and "Visit saved." in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitDetailScreen)
        text = screen_text(app)
        assert "Inbound visit from Busan  부산" in text
        assert "12,500.00 EUR" in text and "Tourism cooperation, Business and industry" in text
        assert "[bold]x[/] port" in text and "None yet: m adds one." in text

        await pilot.press("m")
        await pilot.pause()
        await type_text(pilot, "Kim")
        await pilot.press("tab")
        await type_text(pilot, "Mayor")
        await pilot.press("tab", "tab")
        await type_text(pilot, "head")
        await pilot.press("right")  # the suggestion: head of delegation
        await pilot.press("tab")
        await type_text(pilot, "vegan")
        await save(pilot)
        assert isinstance(app.screen, VisitDetailScreen)
        assert section(app, "member").row_count == 1

        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one("#field-day", Input).value == "2026-12-01"  # the visit's first day
        await pilot.press("tab")
        await type_text(pilot, "9:30")
        await pilot.press("tab")
        await type_text(pilot, "Hall")
        await pilot.press("tab")
        await type_text(pilot, "Call")
        await save(pilot)
        assert section(app, "itinerary_item").row_count == 1

        await pilot.press("g")
        await pilot.pause()
        await type_text(pilot, "Vase")
        await pilot.press("tab", "enter", "down", "enter")  # given -> received
        await pilot.press("tab")
        await type_text(pilot, "Jo")
        await save(pilot)
        assert section(app, "gift").row_count == 1
        text = screen_text(app)
        assert "Kim" in text and "head of delegation" in text and "vegan" in text
        assert "09:30" in text and "Hall" in text and "Call" in text
        assert "Vase" in text and "received" in text and "Jo" in text

    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await to_visits(pilot)
        assert cells(app)[0][2:] == ("Busan 부산", "confirmed", "[bold]x[/] port")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Kim" in text and "Call" in text and "Vase" in text
        assert "12,500.00 EUR" in text


async def test_edit_then_delete_asks_and_ctrl_z_brings_the_visit_back(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        add(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#field-city", Input).value == "Busan"
        app.screen.query_one("#field-purpose", Input).focus()
        await pilot.press("end")  # pre-filled text is selected on focus: keep it, add to it
        await type_text(pilot, " (second round)")
        await save(pilot)
        assert cells(app)[0][4] == "Port logistics study visit (second round)"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert "Edit visit Busan 2026-12-01" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keeps it
        assert len(cells(app)) == 1
        await pilot.press("delete", "y")
        await pilot.pause()
        assert cells(app) == []
        assert "Deleted visit Busan 2026-12-01" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert cells(app)[0][4] == "Port logistics study visit (second round)"


async def test_bad_input_shows_the_message_next_to_its_field(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Pusan")
        await pilot.press("tab")
        await type_text(pilot, "2026-02-30")
        await pilot.press("tab")
        await type_text(pilot, "2026-01-01")
        await pilot.press("tab", "tab", "tab", "tab")  # purpose, areas, status, budget
        await type_text(pilot, "12.345")
        await pilot.press("tab")
        await type_text(pilot, "XYZ")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "2026-02-30 is not a real date" in field_error(app, "start_date")
        assert "at most 2 decimals" in field_error(app, "budget_amount")
        assert "XYZ is not one twindesk knows" in field_error(app, "budget_currency")
        assert field_error(app, "city") == ""  # an old spelling is a city
        assert app.focused.id == "field-start_date"
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "10")
        assert field_error(app, "start_date") == ""
        assert "is before the start" in field_error(app, "end_date")
        assert app.desk.visits.query().count() == 0


async def test_quick_filter_keys_and_typed_filter_change_the_rows(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.desk.today = lambda: TODAY
        add(app, purpose="Autumn mission", start_date="2026-10-01", end_date="2026-10-03", status="done")
        add(app, purpose="Hanok study", city="Jeonju", direction="inbound", start_date="2026-12-10",
            end_date="2026-12-12")
        await pilot.press("v")
        await pilot.pause()
        assert len(cells(app)) == 2
        await pilot.press("2")  # past
        assert [c[4] for c in cells(app)] == ["Autumn mission"]
        assert "Past" in screen_text(app)
        await pilot.press("3")  # inbound replaces past
        assert [c[4] for c in cells(app)] == ["Hanok study"]
        await pilot.press("3")  # again: off
        assert len(cells(app)) == 2
        await pilot.press("slash")
        await type_text(pilot, "pusan")
        assert [c[4] for c in cells(app)] == ["Autumn mission"]
        await pilot.press("escape")  # to the list, the filter kept
        assert [c[4] for c in cells(app)] == ["Autumn mission"]
        await pilot.press("x", "slash")  # cleared, and back in the box
        await type_text(pilot, "전주")
        assert [c[4] for c in cells(app)] == ["Hanok study"]
        await pilot.press("escape", "x")
        assert len(cells(app)) == 2


async def test_overlaps_are_flagged_after_saving_in_the_list_and_on_the_detail(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        add(app, purpose="First delegation")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Busan")
        await pilot.press("tab")
        await type_text(pilot, "2026-12-03")
        await pilot.press("tab")
        await type_text(pilot, "2026-12-05")
        await pilot.press("tab")
        await type_text(pilot, "Second delegation")
        await save(pilot)
        assert isinstance(app.screen, VisitListScreen)
        text = screen_text(app)
        assert "This visit overlaps 1 other visit to the same city" in text and "(2026-12-01 – 2026-12-04)" in text
        assert [c[3] for c in cells(app)] == ["planned  ⚠ overlaps", "planned  ⚠ overlaps"]
        assert {table(app).row_at(i).tone for i in range(2)} == {"warning"}
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "⚠ Overlaps other visits to Busan:" in text and "Second delegation" in text


async def test_section_rows_are_edited_with_enter_and_deleted_after_asking(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        visit_id = add(app)
        app.desk.members.create({"visit_id": visit_id, "name": "Kim [/]", "role": "interpreter"})
        app.desk.gifts.create({"visit_id": visit_id, "item": "Honey", "direction": "given"})
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert "Kim [/]" in screen_text(app)
        await pilot.press("delete")  # no section has focus: nothing happens
        assert app.screen is detail
        await pilot.press("tab")
        assert app.focused is section(app, "member")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == "Kim [/]"
        await pilot.press("end")
        await type_text(pilot, " Ji-woo")
        await save(pilot)
        assert app.screen is detail
        assert "Kim [/] Ji-woo" in screen_text(app)
        await pilot.press("h")  # the highlighted member's history
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert "Edit member Kim [/] Ji-woo" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab")  # the empty itinerary is skipped: on to the gifts
        assert app.focused is section(app, "gift")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert section(app, "gift").row_count == 0
        assert "None yet: g adds one." in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert section(app, "gift").row_count == 1
        await pilot.press("escape")
        assert isinstance(app.screen, VisitListScreen)


async def test_undoing_the_visit_while_its_detail_is_open_goes_back_to_the_list(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        add(app)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitDetailScreen)
        await pilot.press("ctrl+z")  # undoes the visit's creation
        await settle(pilot)
        assert isinstance(app.screen, VisitListScreen)
        assert cells(app) == []


async def test_a_change_made_in_a_second_window_shows_on_the_open_list_and_detail(paths, monkeypatch):
    from twindesk.screens.base import LiveScreen
    from twindesk.services import Desk

    monkeypatch.setattr(LiveScreen, "FOLLOW_SECONDS", 0.05)
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        visit_id = add(app)
        await pilot.pause()
        other = Desk.open(*paths)  # the second window: its own connections to the same file
        try:
            base = other.visits.form_values(visit_id)
            other.visits.update(visit_id, {**base, "purpose": "Changed in the other window"}, base)
            await pilot.pause(0.3)
            assert "Changed in the other window" in " ".join(cells(app)[0])
            await pilot.press("enter")
            await pilot.pause()
            base = other.visits.form_values(visit_id)
            other.visits.update(visit_id, {**base, "purpose": "Changed again"}, base)
            await pilot.pause(0.3)
            assert "Changed again" in screen_text(app)
        finally:
            other.close()


async def test_a_field_saved_in_another_window_meanwhile_is_shown_with_both_values_and_nothing_is_lost(paths):
    from twindesk.services import Desk

    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        visit_id = add(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        other = Desk.open(*paths)  # window B saves first
        try:
            base = other.visits.form_values(visit_id)
            other.visits.update(visit_id, {**base, "purpose": "Purpose from the other window"}, base)
        finally:
            other.close()
        app.screen.query_one("#field-purpose", Input).focus()
        await type_text(pilot, "Mine")  # replaces the selected pre-filled text
        app.screen.query_one("#field-notes").focus()
        await type_text(pilot, "My notes")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)  # the form stays, with what was typed
        assert app.screen.query_one("#field-purpose", Input).value == "Mine"
        message = field_error(app, "purpose")
        assert "Purpose from the other window" in message and "Mine" in message
        # The whole message is on screen, wrapped, not cut at the field's edge.
        assert "ctrl+o takes theirs." in " ".join(screen_text(app).split())
        assert app.desk.visits.get(visit_id).notes == ""  # nothing of this save was written
        await pilot.press("ctrl+o")  # take theirs for the purpose; the notes stay mine
        await pilot.pause()
        await save(pilot)
        saved = app.desk.visits.get(visit_id)
        assert (saved.purpose, saved.notes) == ("Purpose from the other window", "My notes")


async def test_tabbing_into_notes_adds_after_what_is_there(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_visits(pilot)
        visit_id = add(app, notes="Hotel booked.\nVisa letters sent.")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-budget_currency", Input).focus()
        await pilot.press("tab")  # into the notes, as a user goes there
        await type_text(pilot, " Gifts packed.")
        await save(pilot)
        assert app.desk.visits.get(visit_id).notes == "Hotel booked.\nVisa letters sent. Gifts packed."
