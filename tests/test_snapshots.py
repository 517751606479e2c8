"""Snapshots of the main screens (update with `pytest --snapshot-update` after a
deliberate change, and look at the report before committing)."""

from __future__ import annotations

from textual.widgets import Input

from .ui import SIZE, make_app, ready


async def _still(pilot) -> None:
    await ready(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_directory(snap_compare, paths):
    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=_still)


def test_directory_filtered_by_initials(snap_compare, paths):
    async def filtered(pilot) -> None:
        await _still(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#filter", Input).value = "ㅈㅈ"
        await pilot.pause()

    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=filtered)


def test_city_form(snap_compare, paths):
    async def form(pilot) -> None:
        await _still(pilot)
        await pilot.press("e")
        await pilot.pause()
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=form)


def _fixed_today(pilot) -> None:
    import datetime as dt

    pilot.app.desk.today = lambda: dt.date(2026, 11, 24)


def test_dashboard_first_look(snap_compare, paths):
    async def dashboard(pilot) -> None:
        await _still(pilot)
        _fixed_today(pilot)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=dashboard)


def test_visit_list_with_an_overlap(snap_compare, paths):
    async def visits(pilot) -> None:
        await _still(pilot)
        _fixed_today(pilot)
        base = {"direction": "outbound", "areas": ["tourism"], "status": "planned", "budget_amount": "",
                "budget_currency": "", "notes": ""}
        desk = pilot.app.desk
        desk.visits.create({**base, "city": "Busan", "start_date": "2027-03-01", "end_date": "2027-03-04",
                            "purpose": "Youth camp [TBC]"})
        desk.visits.create({**base, "city": "부산", "start_date": "2027-03-03", "end_date": "2027-03-05",
                            "purpose": "SME exhibition", "direction": "inbound"})
        desk.visits.create({**base, "city": "Jeonju", "start_date": "2027-05-10", "end_date": "2027-05-12",
                            "purpose": "Hanok stay exchange", "status": "confirmed"})
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make_app(paths), terminal_size=SIZE, run_before=visits)
