"""Outcomes by keyboard: log, edit, delete, undo; the area view and benefits."""

from __future__ import annotations

from textual.widgets import Select

from twindesk.screens.benefits import BenefitsScreen
from twindesk.screens.outcomes import OutcomeListScreen
from twindesk.screens.record_detail import detail_screen
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen
from twindesk.widgets.lines_view import LinesView
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready, save, screen_text, settle, type_text

OutcomeDetailScreen = detail_screen("outcome")


def rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#records", PagedTable)
    return [table.row_at(i).cells for i in range(table.row_count)]


async def choose(pilot, downs: int) -> None:
    """Open the focused Select and pick the option `downs` below its top."""
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause()


async def log_camp(pilot) -> None:
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OutcomeListScreen)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await choose(pilot, 1)  # area: blank, Tourism cooperation
    await pilot.press("tab")
    await choose(pilot, 2)  # programme: blank, joint promotion, youth camps
    await pilot.press("tab")
    await type_text(pilot, "Busan")
    await pilot.press("tab", "tab")  # the date is filled with today
    await type_text(pilot, "Youth camp [TBC]")
    await pilot.press("tab", "tab")  # past the description
    await type_text(pilot, "40")


async def test_log_an_outcome_by_keyboard_and_see_it_everywhere(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await log_camp(pilot)
        form = app.screen
        assert form.query_one("#field-programme", Select).value == "youth_camps"
        await save(pilot)
        assert isinstance(app.screen, OutcomeListScreen)
        [row] = rows(app)
        assert row[1:5] == ("Tourism", "Organization of international youth cultural exchange camps", "Busan",
                            "Youth camp [TBC]")
        assert "Participants 40" in row[5]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDetailScreen)
        assert "Youth camp [TBC]" in screen_text(app)
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, BenefitsScreen)
        for _ in range(200):  # the figures are read on the loader thread
            if app.screen.loaded:
                break
            await pilot.pause(0.01)
        assert app.screen.loaded
        assert "No outcome figures feed this benefit yet." in screen_text(app)  # tourist arrivals: no visitors
        assert "Participants" in screen_text(app)  # education quality: participants
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert len(rows(app)) == 1


async def test_bad_figures_are_refused_at_their_fields(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await log_camp(pilot)
        form = app.screen
        form.query_one("#field-m_visitors").value = "-5"
        form.query_one("#field-m_trade_value").value = "1000"
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "cannot be negative" in str(form.query_one("#error-m_visitors").render())
        assert "currency" in str(form.query_one("#error-trade_currency").render())
        assert app.desk.outcomes.query().count() == 0


async def test_edit_delete_and_undo_an_outcome(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await log_camp(pilot)
        await save(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-m_participants").value = "45"
        await save(pilot)
        assert "Participants 45" in rows(app)[0][5]
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert rows(app) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Participants 45" in rows(app)[0][5]


async def test_area_view_shows_totals(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.desk.outcomes.create({"area": "education", "programme": "student_exchange", "city": "Jinju",
                                  "happened_on": "2026-03-01", "title": "Exchange", "m_students_exchanged": "12"})
        await pilot.press("o", "a")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "Student exchange" in text and "Jinju" in text and "12 students" in text.replace("  ", " ")


async def test_a_long_area_view_scrolls_to_its_last_line_and_back(paths):
    """The area view draws only the lines on screen (LinesView): the keys
    still reach every line, and a city's name is shown as typed."""
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        cities = ["Busan", "Jeju", "Jinju", "Gangneung", "Suwon", "Jeonju", "Gyeongju", "Andong", "Pohang", "Ulsan"]
        for year in range(2005, 2027):
            for city in cities:
                app.desk.outcomes.create({"area": "tourism", "programme": "youth_camps", "city": city,
                                          "happened_on": f"{year}-05-01", "title": "Camp", "m_participants": "7"})
        cities_as_words = [[city] for city in cities]
        await pilot.press("o", "a")
        await pilot.pause()
        view = app.screen.query_one(LinesView)
        assert len(view.lines) > SIZE[1]  # longer than the screen
        assert "2005  Participants" in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert 0 < view.scroll_y == view.max_scroll_y
        last_city = next(line.plain.strip() for line in reversed(view.lines)
                         if line.plain.split()[:1] in cities_as_words)
        assert last_city in screen_text(app) and "2005  Participants" not in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "2005  Participants" in screen_text(app)


async def test_log_an_outcome_from_a_visit(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        visit = app.desk.visits.create({
            "direction": "outbound", "city": "Jeonju", "start_date": "2026-05-01", "end_date": "2026-05-03",
            "purpose": "Hanok stay exchange", "areas": ["tourism"], "status": "done", "budget_amount": "",
            "budget_currency": "", "notes": ""}).id
        await pilot.press("v")
        await pilot.pause()
        app.screen.open_record(visit)
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-title").value == "Hanok stay exchange"
        assert form.query_one("#field-happened_on").value == "2026-05-03"
        await pilot.press("tab")
        await choose(pilot, 3)  # traditional culture
        form.query_one("#field-m_participants").value = "25"
        await save(pilot)
        [row] = app.desk.outcomes.query().fetch(0, 5)
        outcome = app.desk.outcomes.get(row.id)
        assert outcome.visit_id == visit and outcome.city == "Jeonju"
        assert outcome.programme == "traditional_culture"
