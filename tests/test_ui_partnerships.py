"""Partnerships list, form and detail, driven by keys as a user would."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from twindesk.screens.history import HistoryScreen
from twindesk.screens.partnerships import PartnershipListScreen
from twindesk.screens.record_detail import detail_screen
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready, save, screen_text, settle, type_text

PartnershipDetailScreen = detail_screen("partnership")


def table(app) -> PagedTable:
    return app.screen.query_one("#records", PagedTable)


def cells(app) -> list[tuple[str, ...]]:
    t = table(app)
    return [t.row_at(i).cells for i in range(t.row_count)]


def field_error(app, name: str) -> str:
    label = app.screen.query_one(f"#error-{name}")
    return str(label.render()) if "-shown" in label.classes else ""


async def to_partnerships(pilot) -> None:
    await ready(pilot)
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PartnershipListScreen)


async def add_busan(pilot) -> None:
    """n, then the whole form by keyboard: type-ahead, Select, SelectionList."""
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await type_text(pilot, "Bus")
    await pilot.press("right")  # takes the suggestion: Busan
    await pilot.press("tab", "enter", "down", "enter")  # kind: Sister -> Friendly city
    await pilot.press("tab", "enter", "down", "enter")  # stage: Inquiry -> Research
    await pilot.press("tab")
    await type_text(pilot, "2025-03-01")  # stage changed on
    await pilot.press("tab", "tab")  # signed on (blank), signed at
    await type_text(pilot, "Busan City Hall")
    await pilot.press("tab", "tab", "tab")  # our and their signatories, to the areas
    await pilot.press("space", "down", "down", "space")  # Tourism and Business
    await pilot.press("tab", "down", "down", "down", "space")  # sectors: Smart cities
    await save(pilot)


async def test_add_a_partnership_by_keyboard_and_find_it_after_a_restart(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        assert "No partnerships here" in screen_text(app)
        await add_busan(pilot)
        assert isinstance(app.screen, PartnershipListScreen)
        assert cells(app) == [("Busan 부산", "Friendly city", "Research", "2025-03-01", "Tourism, Business")]
        assert "Partnership saved." in screen_text(app)
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await to_partnerships(pilot)
        assert cells(app)[0][:3] == ("Busan 부산", "Friendly city", "Research")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Smart cities" in text and "Tourism cooperation, Business and industry" in text
        assert "Busan City Hall" in text


def busan_friendly(app) -> str:
    pid = app.desk.partnerships.create(
        {"city": "Busan", "kind": "friendly", "stage": "research", "stage_changed_on": "2025-03-01"}
    ).id
    app.refresh_data()
    return pid


async def test_edit_the_stage_shows_since_and_history_then_delete_and_undo(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        busan_friendly(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#field-city").value == "Busan"
        await pilot.press("tab", "tab", "enter", "down", "enter")  # stage: Research -> letter of intent
        await save(pilot)
        today = dt.date.today().isoformat()
        assert cells(app)[0][2:4] == ("Friendship or letter of intent", today)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert text.index(f"{today}  Friendship or letter of intent") < text.index("2025-03-01  Research")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert "Edit partnership Busan (friendly city)" in screen_text(app)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, PartnershipListScreen)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert cells(app) == []
        assert "Deleted partnership Busan" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert cells(app)[0][2] == "Friendship or letter of intent"


async def test_bad_input_shows_the_message_next_to_its_field(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab")  # to signed on
        await type_text(pilot, "2026-02-30")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "required" in field_error(app, "city")
        assert "2026-02-30 is not a real date" in field_error(app, "signed_on")
        assert app.focused.id == "field-city"
        await type_text(pilot, "Atlantis")
        assert "No city called “Atlantis”" in field_error(app, "city")
        assert app.desk.partnerships.query().count() == 0


async def test_markup_in_notes_shows_literally_on_the_detail_screen(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        app.desk.partnerships.create(
            {"city": "Jeonju", "kind": "sister", "stage": "inquiry", "notes": "[bold]x[/] [TBC] [@click=app.quit]q[/]",
             "signatories_partner": "Mayor [/]"}
        )
        app.refresh_data()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PartnershipDetailScreen)
        text = screen_text(app)
        assert "[bold]x[/] [TBC] [@click=app.quit]q[/]" in text
        assert "Mayor [/]" in text


async def test_add_edit_and_delete_a_contact_from_the_detail_screen(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        busan_friendly(app)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Kim [/]")
        await pilot.press("tab")
        await type_text(pilot, "Director")
        await pilot.press("tab", "tab")
        await type_text(pilot, "kim@busan")
        await save(pilot)
        assert "name@example.org" in field_error(app, "email")
        await type_text(pilot, ".go.kr")
        await save(pilot)
        assert app.screen is detail
        contacts = detail.query_one("#section-contact", DataTable)
        assert contacts.row_count == 1
        assert "Kim [/]" in screen_text(app) and "kim@busan.go.kr" in screen_text(app)
        for _ in range(4):  # tab moves through the sections to the contacts
            if app.focused is contacts:
                break
            await pilot.press("tab")
        assert app.focused is contacts
        await pilot.press("enter")  # edits the highlighted contact
        await pilot.pause()
        assert app.screen.query_one("#field-name").value == "Kim [/]"
        await pilot.press("tab", "end")
        await type_text(pilot, " General")
        await save(pilot)
        assert "Director General" in screen_text(app)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert contacts.row_count == 0
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert contacts.row_count == 1


async def test_quick_filters_and_typing_in_the_filter(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await to_partnerships(pilot)
        service = app.desk.partnerships
        service.create({"city": "Busan", "kind": "sister", "stage": "active", "signed_on": "2019-01-01"})
        service.create({"city": "Jeju", "kind": "friendly", "stage": "research"})
        service.create({"city": "Andong", "kind": "sister", "stage": "dormant"})
        app.refresh_data()
        await pilot.pause()
        assert [c[0] for c in cells(app)] == ["Andong 안동", "Busan 부산", "Jeju 제주"]
        await pilot.press("2")
        assert [c[0] for c in cells(app)] == ["Busan 부산"]
        assert "Signed or active" in screen_text(app)
        await pilot.press("3")
        assert [c[0] for c in cells(app)] == ["Andong 안동"]
        await pilot.press("x", "slash")
        await type_text(pilot, "제주")
        assert [c[0] for c in cells(app)] == ["Jeju 제주"]


async def test_undoing_the_creation_while_its_detail_is_open_goes_back_to_the_list(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_partnerships(pilot)
        busan_friendly(app)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PartnershipDetailScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, PartnershipListScreen)
        assert cells(app) == []
        assert "no longer exists" in screen_text(app)
