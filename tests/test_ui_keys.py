"""Keys a user can remap, a theme that stays, and the keyboard details a
user hits daily: leaving a filter box, opening a lone match, typing over a
pre-filled field, tick marks, history in words, detail screens from the top."""

from __future__ import annotations

import tomllib

import tomli_w
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.widgets import DataTable, Input, Static

from twindesk.screens.dashboard import DashboardScreen
from twindesk.screens.history import HistoryScreen, ValueScreen
from twindesk.screens.record_detail import RecordDetailScreen
from twindesk.screens.visits import VisitListScreen
from twindesk.widgets.form import FormScreen, TickList
from twindesk.widgets.paged_table import PagedTable

from .ui import HOME, SIZE, make_app, notices, ready, screen_text, settle, type_text


def configured(paths, **tables) -> None:
    _db, config = paths
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(tomli_w.dumps({"installation": {"id": "test-installation"}, "home": HOME, **tables}))


def add_visit(app, **changes) -> str:
    values = {"direction": "outbound", "city": "Busan", "start_date": "2026-12-01", "end_date": "2026-12-04",
              "purpose": "Port logistics study visit", "status": "planned", **changes}
    ident = app.desk.visits.create(values).id
    app.refresh_data()
    return ident


# Keymap -----------------------------------------------------------------------
async def test_a_binding_remapped_in_the_config_moves_to_its_new_key(paths):
    configured(paths, keys={"app.visits": "w"})
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("v")
        assert isinstance(app.screen, DashboardScreen)  # v no longer goes to the visits
        await pilot.press("w")
        assert isinstance(app.screen, VisitListScreen)
        assert app.active_bindings["w"].binding.id == "app.visits"


async def test_an_unknown_binding_id_is_reported_with_what_was_meant(paths):
    configured(paths, keys={"app.vists": "w"})
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        text = " ".join(notices(app))
        assert "names no binding “app.vists”" in text and "app.visits" in text
        await pilot.press("v")  # the keymap was not applied: the keys are as they were
        assert isinstance(app.screen, VisitListScreen)


async def test_a_key_given_to_two_bindings_is_a_clash_not_a_silent_shadow(paths):
    configured(paths, keys={"app.visits": "c"})
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert "gives “c” to both" in " ".join(notices(app))


async def test_help_lists_each_keys_binding_id(paths):
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"app.visits", "list.filter", "visits.quick.past"} <= ids
        assert "Id (for [keys])" in screen_text(app)


# Theme --------------------------------------------------------------------------
async def test_the_chosen_theme_is_kept_in_the_config_and_used_next_time(paths):
    configured(paths)
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await settle(pilot)
    saved = tomllib.loads(paths[1].read_text())
    assert saved["ui"]["theme"] == "nord"
    assert saved["home"]["name"] == HOME["name"]  # the rest of the file is as it was
    again = make_app(paths, start="dashboard")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert again.theme == "nord"


async def test_a_screen_shown_for_the_first_time_wears_the_theme_with_no_stylesheet_parsed_again(paths, monkeypatch):
    """Textual re-parses every stylesheet when a mode's screen is new, twice,
    unless told the screen is current (app._mode_screen): 15 ms a parse."""
    configured(paths)
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await settle(pilot)
        parsed: list[object] = []
        reparse = Stylesheet.reparse
        monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: (parsed.append(sheet), reparse(sheet))[1])
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VisitListScreen)
        assert parsed == []
        nord = app.get_theme("nord")
        assert app.screen.styles.background == Color.parse(nord.background)
        status = app.screen.query_one("#status")  # the list screen's own DEFAULT_CSS, in the theme's colours
        assert status.styles.text_overflow == "ellipsis" and status.styles.padding.left == 2
        seen = [(w, w.styles.color, w.styles.background) for w in app.screen.query("*")]
        app.refresh_css()  # what Textual would have done: it changes nothing
        await settle(pilot)
        assert [(w, w.styles.color, w.styles.background) for w in app.screen.query("*")] == seen


# Filter box ---------------------------------------------------------------------
async def test_escape_leaves_the_filter_in_one_press_and_keeps_it(paths):
    app = make_app(paths, start="directory")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#records", PagedTable)
        await pilot.press("slash")
        await type_text(pilot, "bu")
        kept = table.row_count
        await pilot.press("escape")
        assert app.focused is table and table.row_count == kept
        await pilot.press("p")  # the next screen key is a key, not text in the box
        assert app.screen.title == "Partnerships"


async def test_enter_in_the_filter_opens_the_only_match(paths):
    app = make_app(paths, start="directory")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Pusan")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordDetailScreen) and app.screen.title.startswith("Busan")


async def test_enter_with_several_matches_only_goes_to_the_list(paths):
    app = make_app(paths, start="directory")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "ju")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#records", PagedTable)


# Forms ----------------------------------------------------------------------------
async def test_typing_into_a_prefilled_field_replaces_its_text(paths):
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        add_visit(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab")  # direction, city, start, end -> purpose
        await type_text(pilot, "Second round")
        assert app.screen.query_one("#field-purpose", Input).value == "Second round"


async def test_ticked_boxes_show_a_mark_not_only_a_colour(paths):
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        add_visit(app, areas=["tourism"])
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        ticks = app.screen.query_one(TickList)
        lines = [line.text for line in (ticks.render_line(y) for y in range(ticks.option_count))]
        assert lines[0].lstrip().startswith("▐✓▌") or "✓" in lines[0]
        assert "✓" not in lines[1]


# History and details -----------------------------------------------------------------
async def test_history_names_fields_by_label_and_shows_a_whole_value(paths):
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        long_purpose = "A very long purpose " * 8
        ident = add_visit(app)
        app.desk.visits.update(ident, {"purpose": long_purpose})
        app.desk.visits.delete(ident)
        add_visit(app, purpose="Visible one")
        app.refresh_data()
        await pilot.pause()
        from twindesk.screens.record_actions import show_history

        show_history(app, ident, "visit")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "Deleted" in text and "deleted_at" not in text and "Purpose" in text
        await pilot.press("down")  # newest first: the delete, then the purpose
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ValueScreen)
        assert long_purpose.strip() in str(app.screen.query_one(Static).render())


async def test_a_detail_opens_at_its_top_and_home_goes_back_there(paths):
    app = make_app(paths, start="partnerships")
    async with app.run_test(size=(120, 20)) as pilot:
        await ready(pilot)
        ident = app.desk.partnerships.create({"city": "Busan", "kind": "sister", "stage": "inquiry",
                                              "notes": "\n".join(f"line {i}" for i in range(40))}).id
        for i in range(10):
            app.desk.contacts.create({"partnership_id": ident, "name": f"Contact {i}"})
        app.refresh_data()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        body = app.screen.query_one("#body")
        assert body.scroll_y == 0
        for _ in range(3):
            await pilot.press("tab")
        assert body.scroll_y > 0  # a section further down has the focus
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
