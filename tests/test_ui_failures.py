"""Write failures never crash and never lose the form: a database another
program holds, a full disk, a read-only file, a bug; no personal data in
what is left behind."""

from __future__ import annotations

import sqlite3
import stat
import time

import pytest
from textual.widgets import Input

from twindesk.store import pragmas
from twindesk.widgets.form import FormScreen

from .syncing import VISIT
from .ui import SIZE, make_app, notices, ready, save, screen_text, settle, type_text


async def open_visit_form(app, pilot) -> str:
    ident = app.desk.visits.create(VISIT).id
    app.refresh_data()
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    app.screen.query_one("#field-purpose", Input).focus()
    await pilot.press("end")
    await type_text(pilot, " — Kim Min-jun +82 10 1234 5678")
    return ident


async def test_a_database_held_by_another_program_keeps_the_form_and_the_ui_answers(paths, monkeypatch):
    monkeypatch.setattr(pragmas, "BUSY_TIMEOUT_MS", 1500)
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.desk.warm()
        await open_visit_form(app, pilot)
        other = sqlite3.connect(paths[0], isolation_level=None)  # a backup tool holding the write lock
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            started = time.perf_counter()
            await pilot.pause(0.8)
            # The screen kept drawing while the save waited, and said so.
            assert time.perf_counter() - started < 1.4
            assert "Waiting for the database" in screen_text(app)
            await settle(pilot)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-purpose", Input).value.endswith("+82 10 1234 5678")
        assert any("The database is busy" in n and "try ctrl+s again" in n for n in notices(app))
        await save(pilot)  # the lock is gone: the same form saves
        assert not isinstance(app.screen, FormScreen)


async def test_a_full_disk_is_a_message_and_nothing_half_written(paths, monkeypatch):
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        ident = await open_visit_form(app, pilot)
        pages = app.desk.reader().execute("PRAGMA page_count").fetchone()[0]
        monkeypatch.setattr(pragmas, "EXTRA", (f"PRAGMA max_page_count = {pages}",))
        app.desk.store.close()  # new connections take the cap
        app.screen.query_one("#field-notes").text = "x" * 4900  # needs new pages: there are none
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert any("disk is full" in n for n in notices(app)), notices(app)
        monkeypatch.setattr(pragmas, "EXTRA", ())
        app.desk.store.close()
        assert app.desk.visits.get(ident).purpose == "Port logistics study visit"  # all or nothing


async def test_a_read_only_database_says_so_and_editing_keys_say_why(paths, tmp_path):
    from twindesk.services import Desk

    Desk.open(*paths).close()
    app = make_app(paths, start="visits")
    app.read_only = True
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert any("Read-only" in n for n in notices(app))
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert any("open read-only" in n for n in notices(app))


async def test_a_bug_while_saving_keeps_the_form_and_reports_without_personal_data(paths, tmp_path, monkeypatch):
    monkeypatch.setenv("TWINDESK_LOG_DIR", str(tmp_path / "logs"))
    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await open_visit_form(app, pilot)

        def broken(*_args, **_kwargs):
            secret = {"dietary": "no pork", "phone": "+82 10 1234 5678"}
            raise KeyError(f"Kim Min-jun {secret}")

        monkeypatch.setattr(app.desk.visits, "update", broken)
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert any("Something went wrong while saving (KeyError)" in n for n in notices(app))
    [report] = list((tmp_path / "logs").iterdir())
    text = report.read_text()
    assert "KeyError" in text and "broken" in text
    for secret in ("Kim", "pork", "1234", "+82"):
        assert secret not in text
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


async def test_an_outcome_logged_from_a_deleted_visit_says_so_and_can_be_unlinked(paths):
    app = make_app(paths, start="outcomes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        desk = app.desk
        visit_id = desk.visits.create(VISIT).id
        outcome = desk.outcomes.create({"area": "tourism", "programme": "youth_camps", "visit_id": visit_id,
                                        "city": "Busan", "happened_on": "2026-12-04", "title": "Camp"}).id
        desk.visits.delete(visit_id)
        app.refresh_data()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-title", Input).focus()
        await pilot.press("end")
        await type_text(pilot, " 2026")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        text = screen_text(app)
        assert "The visit this outcome came from no longer exists" in text and "ctrl+u" in text
        await pilot.press("ctrl+u")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        found = desk.outcomes.get(outcome)
        assert found.visit_id is None and found.title == "Camp 2026"


async def test_quitting_with_a_typed_form_asks_first_even_when_it_is_behind_another_screen(paths):
    from twindesk.widgets.confirm import ConfirmScreen

    app = make_app(paths, start="visits")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Busan")
        app.switch_mode("dashboard")  # the palette's "Go to" leaves the form in its own mode
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.is_running


@pytest.mark.parametrize(("toml", "message"), [
    ('[instalation]\nid = "x"\n', "unknown table [instalation]"),
    ('[home]\nindustries = "tourism, logistics"\n', "home.industries must be a list"),
    ('home = [1, 2]\n', "home must be a table"),
    ('[keys]\n"app.visits" = 3\n', 'keys."app.visits" must be keys in quotes'),
    ("[home\n", "not a valid TOML file"),
])
def test_a_wrong_config_is_named_with_the_key_and_the_cli_exits_2(tmp_path, capsys, toml, message):
    from twindesk.cli import main

    config = tmp_path / "config.toml"
    config.write_text(toml)
    before = config.read_bytes()
    assert main(["--config", str(config), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and message in err
    assert config.read_bytes() == before  # never rewritten when it could not be read whole


def test_a_config_without_an_id_gets_one_and_keeps_the_users_keys_and_comments(tmp_path):
    from twindesk import config as config_mod

    path = tmp_path / "config.toml"
    path.write_text('# my settings\n[home]\nname = "Tallinn"  # where I work\ncountry = "Estonia"\n'
                    'industries = ["Tourism"]\n')
    loaded = config_mod.load(path)
    assert loaded.installation_id
    text = path.read_text()
    assert "# my settings" in text and "# where I work" in text and loaded.installation_id in text


def test_control_characters_in_the_config_never_reach_the_terminal(tmp_path):
    from twindesk import config as config_mod

    path = tmp_path / "config.toml"
    path.write_text('[installation]\nid = "abc"\n[home]\nname = "Tal\\u001b[2Jlinn\\u001b]2;PWNED\\u0007"\n'
                    'country = "Est\\u202eonia"\nindustries = ["Tou\\u0000rism"]\n')
    loaded = config_mod.load(path)
    assert loaded.home.name == "Tal[2Jlinn]2;PWNED"
    assert loaded.home.country == "Estonia" and loaded.home.industries == ["Tourism"]


async def test_a_crash_prints_no_local_variables_and_leaves_a_report_without_data(paths, tmp_path, monkeypatch):
    from twindesk.screens.visits import VisitListScreen

    monkeypatch.setenv("TWINDESK_LOG_DIR", str(tmp_path / "logs"))

    def broken(self, event):
        phone = "+82 10 9876 5432"
        raise RuntimeError(f"a bug near {phone}")

    monkeypatch.setattr(VisitListScreen, "on_paged_table_selected", broken)
    app = make_app(paths, start="visits")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.desk.visits.create(VISIT)
            app.refresh_data()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
    assert app.return_code == 1
    printed = app.stopped_with  # all that reaches the terminal: no traceback, no local variables
    assert "RuntimeError" in printed and "9876" not in printed and "phone" not in printed
    [report] = list((tmp_path / "logs").iterdir())
    assert "RuntimeError" in report.read_text() and "9876" not in report.read_text()
