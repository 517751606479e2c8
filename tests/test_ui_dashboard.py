"""The dashboard (the start screen) and the first start."""

from __future__ import annotations

from twindesk.screens.dashboard import DashboardScreen
from twindesk.screens.directory import DirectoryScreen
from twindesk.widgets.form import FormScreen

from .ui import SIZE, make_app, ready, save, screen_text, type_text


async def test_first_start_asks_for_the_home_city_then_shows_how_to_begin(paths):
    app = make_app(paths, start="dashboard", home=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Tallinn")
        await pilot.press("tab")
        await type_text(pilot, "Estonia")
        await save(pilot)
        assert "Name at least one industry" in str(app.screen.query_one("#error-industries").render())
        # The first field to fix has the focus.
        await type_text(pilot, "Tourism, Port logistics")
        await save(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "browse the 33 Korean cities" in screen_text(app)
        assert app.desk.home.profile.industries == ["Tourism", "Port logistics"]
        await pilot.press("c")
        assert isinstance(app.screen, DirectoryScreen)


async def test_skipping_the_home_city_is_allowed(paths):
    app = make_app(paths, start="dashboard", home=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "browse the 33 Korean cities" in screen_text(app)


async def test_dashboard_shows_due_deadlines_and_upcoming_events(paths):
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        desk = app.desk
        today = desk.today()
        soon = today.fromordinal(today.toordinal() + 10).isoformat()
        overdue = today.fromordinal(today.toordinal() - 3).isoformat()
        later = today.fromordinal(today.toordinal() + 20).isoformat()
        base = {"direction": "received", "host": "Andong", "status": "received", "party": "", "notes": ""}
        desk.invitations.create({**base, "event_name": "Mask [Dance] Festival", "start_date": later,
                                 "end_date": later, "rsvp_by": soon})
        desk.invitations.create({**base, "event_name": "Overdue fair", "start_date": later, "end_date": later,
                                 "rsvp_by": overdue})
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "Mask [Dance] Festival" in text
        assert "OVERDUE 3d" in text and "in 10d" in text
        assert "Nothing recorded yet" not in text
