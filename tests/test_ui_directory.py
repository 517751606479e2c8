"""The directory, city detail and city form, driven by keys as a user would."""

from __future__ import annotations

from textual.widgets import Input

from twindesk.screens.directory import DirectoryScreen
from twindesk.screens.record_detail import detail_screen
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready, save, screen_text, settle, type_text

CityDetailScreen = detail_screen("city")


def table(app) -> PagedTable:
    return app.screen.query_one("#records", PagedTable)


async def test_starts_on_the_directory_with_33_cities(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, DirectoryScreen)
        assert table(app).row_count == 33
        text = screen_text(app)
        assert "Andong" in text and "안동" in text and "33 cities" in text


async def test_slash_filters_as_you_type_then_enter_opens_the_city(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "pusan")
        assert table(app).row_count == 1
        assert "1 city" in screen_text(app)
        await pilot.press("enter")  # leaves the filter for the list
        await pilot.press("enter")  # opens the highlighted city
        assert isinstance(app.screen, CityDetailScreen)
        text = screen_text(app)
        assert "Busan" in text and "부산" in text and "Port logistics" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DirectoryScreen)


async def test_hangul_initials_typed_in_the_filter(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "ㅈㅈ")
        rows = [table(app).row_at(i).cells[0] for i in range(table(app).row_count)]
        assert rows == ["Jeju", "Jeonju", "Jinju"]
        await pilot.press("escape")  # to the list, keeping the filter
        assert table(app).row_count == 3 and app.focused is table(app)
        await pilot.press("x")  # clears it
        assert table(app).row_count == 33


async def test_industry_facet_filters_the_list(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f", "down", "down", "down", "enter")  # All, Tourism, Marine tourism, Port logistics
        assert table(app).row_count == 3
        assert "industry: Port logistics" in screen_text(app)
        await pilot.press("x")
        assert table(app).row_count == 33


async def test_down_and_sort_move_through_the_list(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("down", "down")
        assert table(app).current.cells[0] == "Busan"
        await pilot.press("end")
        assert table(app).current.cells[0] == "Yeosu"
        await pilot.press("S")
        assert table(app).row_at(0).cells[0] == "Yeosu"


async def edit_busan(pilot) -> None:
    await pilot.press("slash")
    await type_text(pilot, "busan")
    await pilot.press("enter", "enter", "e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)


async def test_edit_and_save_by_keyboard_shows_the_change(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await edit_busan(pilot)
        notes = app.screen.query_one("#field-notes")
        notes.focus()
        await type_text(pilot, "[bold]VIP[/] [TBC] delegation ")
        await save(pilot)
        assert isinstance(app.screen, CityDetailScreen)
        assert "[bold]VIP[/] [TBC] delegation" in screen_text(app)
    # A restart finds the note again.
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await edit_busan(pilot)
        assert "[bold]VIP[/] [TBC]" in app.screen.query_one("#field-notes").text


async def test_bad_input_gets_a_message_next_to_its_field_and_nothing_is_saved(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await edit_busan(pilot)
        await pilot.press("tab")  # to the Hangul field: its text is selected, typing replaces it
        await type_text(pilot, "abc")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        error = app.screen.query_one("#error-hangul")
        assert "Hangul letters only" in str(error.render())
        assert "-shown" in error.classes
        # Fixing the field clears its message as you type.
        await pilot.press("backspace", "backspace", "backspace")
        assert "-shown" not in error.classes
        await pilot.press("escape", "y")  # the Hangul name was emptied: asks, then leaves
        assert isinstance(app.screen, CityDetailScreen)
        assert app.desk.cities.get(app.screen.record_id).hangul == "부산"


async def test_escape_with_changes_asks_first(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await edit_busan(pilot)
        await pilot.press("end")  # the name is selected on focus: keep it, add to it
        await type_text(pilot, " City")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-name").value == "Busan City"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, CityDetailScreen)
        assert app.desk.cities.get(app.screen.record_id).name == "Busan"


async def test_ctrl_z_undoes_the_last_edit(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await edit_busan(pilot)
        await pilot.press("end")
        await type_text(pilot, " [/]")
        await save(pilot)
        city = app.screen.record_id
        assert app.desk.cities.get(city).name == "Busan [/]"
        assert "Busan [/]" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.desk.cities.get(city).name == "Busan"
        assert str(app.screen.query_one("#name").render()) == "Busan  부산"


async def test_command_palette_jumps_to_a_city_by_old_spelling(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Kwangju")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CityDetailScreen)
        assert app.desk.cities.get(app.screen.record_id).name == "Gwangju"


async def test_a_palette_search_that_finds_nothing_says_so_at_once_in_the_users_own_words(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "z")
        await pilot.pause(0.05)  # Textual's own "No matches" comes after 0.5 s
        assert "No city has “z”; visits, partnerships and the rest are searched from 2 letters" in screen_text(app)
        await type_text(pilot, "[b]q")
        await pilot.pause(0.05)
        assert "No record has “z[b]q”" in screen_text(app)  # markup-like text stays as typed
        await pilot.press(*["backspace"] * 5, "b", "u", "s")
        await pilot.pause(0.3)
        assert "City: Busan" in screen_text(app) and "No record has" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DirectoryScreen)


async def test_question_mark_lists_the_keys(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Type to filter the list" in text and "Sort by the next column" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DirectoryScreen)


async def test_a_database_from_a_newer_version_shows_a_clear_message(paths):
    import sqlite3

    from twindesk.services import Desk

    Desk.open(*paths).close()
    conn = sqlite3.connect(paths[0])
    conn.execute("PRAGMA user_version = 42")
    conn.close()
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "newer twindesk" in screen_text(app)
        assert app.desk is None
        assert app.collector.running  # no warm-up follows, yet garbage is collected


async def test_a_broken_database_in_a_folder_named_like_markup_is_a_clear_message(tmp_path):
    folder = tmp_path / "a[" / "]b [old]"  # the path reads .../a[/]b [old]/...
    folder.mkdir(parents=True)
    db = folder / "twindesk.db"
    db.write_bytes(b"not a database at all" * 50)
    app = make_app((db, tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "a[/]b [old]" in text and "is not a twindesk database" in text


async def test_a_citys_long_section_shows_its_newest_visits_and_says_how_many_there_are(paths, monkeypatch):
    from twindesk import demo
    from twindesk.services import Desk, records

    make_app(paths)  # the config, with a home city
    desk = Desk.open(*paths)
    demo.build(desk, 200, 40)
    busan = desk.reader().execute("SELECT id FROM city WHERE name = 'Busan'").fetchone()[0]
    newest = [r[0] for r in desk.reader().execute(
        "SELECT id FROM visit WHERE city_id = ? AND deleted_at IS NULL ORDER BY start_date DESC, rowid DESC", (busan,))]
    desk.close()
    assert len(newest) > 3
    monkeypatch.setattr(records, "SECTION_ROWS", 3)
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "pusan")
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, CityDetailScreen)
        visits = app.screen.query_one("#section-visit")
        assert [str(key.value) for key in visits.rows] == newest[:3]
        assert f"Showing the first 3 of {len(newest)} visits." in screen_text(app)


async def test_a_long_filter_keeps_the_count_and_cuts_itself_with_an_ellipsis(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "festival" * 16)  # wider than the screen
        [status] = [line for line in screen_text(app).splitlines() if "  ·  filter:" in line]
        assert "0 cities  ·  filter: festivalfestival" in status and "fest…" in status
