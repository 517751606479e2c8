"""Festival invitations by keyboard: add, see, edit, delete, undo, restart."""

from __future__ import annotations

from twindesk.screens.invitations import InvitationListScreen
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready, save, screen_text, settle, type_text


def rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#records", PagedTable)
    return [table.row_at(i).cells for i in range(table.row_count)]


async def fill_new_invitation(pilot, event: str, host: str = "Jinju") -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await pilot.press("tab")  # direction (Received) -> event
    await type_text(pilot, event)
    await pilot.press("tab")
    await type_text(pilot, host)
    await pilot.press("tab")
    await type_text(pilot, "2027-10-01")
    await pilot.press("tab")
    await type_text(pilot, "2027-10-12")
    await pilot.press("tab")
    await type_text(pilot, "2027-09-01")


async def test_add_an_invitation_by_keyboard_and_find_it_after_a_restart(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InvitationListScreen)
        assert "No invitations here" in screen_text(app)
        await fill_new_invitation(pilot, "Lantern [bold]Festival[/]")
        await save(pilot)
        assert isinstance(app.screen, InvitationListScreen)
        assert rows(app) == [("2027-10-01 – 2027-10-12", "Lantern [bold]Festival[/]", "Jinju", "received",
                              "received", "2027-09-01")]
        assert "Lantern [bold]Festival[/]" in screen_text(app)
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert len(rows(app)) == 1


async def test_bad_dates_are_refused_at_the_field(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        await fill_new_invitation(pilot, "Mask Dance Festival", host="Andong")
        form = app.screen
        form.query_one("#field-end_date").value = "2027-02-30"
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "not a real date" in str(form.query_one("#error-end_date").render())
        form.query_one("#field-end_date").value = "2027-09-01"
        await save(pilot)
        assert "before the start" in str(form.query_one("#error-end_date").render())
        await pilot.press("escape")  # something typed: asks
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert rows(app) == []


async def test_edit_delete_and_undo(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        await fill_new_invitation(pilot, "Danoje")
        await save(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "end")
        await type_text(pilot, " Festival")
        await save(pilot)
        assert rows(app)[0][1] == "Danoje Festival"
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert rows(app) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert rows(app)[0][1] == "Danoje Festival"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert rows(app)[0][1] == "Danoje"


async def test_filter_and_quick_filter(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        desk = app.desk
        base = {"direction": "received", "start_date": "2027-10-01", "end_date": "2027-10-02", "rsvp_by": "",
                "status": "received", "party": "", "notes": ""}
        desk.invitations.create({**base, "event_name": "Film festival", "host": "Busan"})
        desk.invitations.create({**base, "event_name": "Our festival", "host": "home", "direction": "sent",
                                 "status": "sent"})
        await pilot.press("i")
        await pilot.pause()
        assert len(rows(app)) == 2
        await pilot.press("slash")
        await type_text(pilot, "부산")
        assert [r[1] for r in rows(app)] == ["Film festival"]
        await pilot.press("escape", "x", "4")  # leave the filter, clear it, quick filter: sent
        assert [r[1] for r in rows(app)] == ["Our festival"]
        assert rows(app)[0][2] == "Tallinn"  # the home city hosts it
