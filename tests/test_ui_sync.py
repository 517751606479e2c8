"""Sync in the app: the conflict screen, records marked "in conflict" in
lists, details and the dashboard, and "Sync: now" from the palette."""

from __future__ import annotations

import pytest
import tomli_w

from twindesk.app import TwindeskApp
from twindesk.screens.conflicts import ConflictScreen
from twindesk.screens.record_detail import RecordDetailScreen

from .syncing import Copies, queue, visit
from .ui import HOME, SIZE, notices, ready, screen_text, settle, type_text


@pytest.fixture
def clash(tmp_path):
    """Two copies that changed one partnership's stage differently, both synced."""
    copies = Copies(tmp_path)
    office, laptop = copies.open("office"), copies.open("laptop")
    tie = office.partnerships.create({"city": "Busan", "kind": "sister", "stage": "research"}).id
    copies.sync_all()
    office.partnerships.update(tie, {"stage": "letter_of_intent"})
    laptop.partnerships.update(tie, {"stage": "council_approval", "notes": "[bold]Council[/] met"})
    copies.sync_all()
    yield copies, tie
    copies.close()


def app_for(copies: Copies, name: str, start: str = "dashboard", **config) -> TwindeskApp:
    folder = copies.root / name
    (folder / "config.toml").write_text(tomli_w.dumps(
        {"installation": {"id": f"{name}-installation"}, "home": HOME, **config}))
    copies.desks[name].close()
    return TwindeskApp(folder / "twindesk.db", folder / "config.toml", start=start)


async def test_the_conflict_screen_shows_both_values_and_a_choice_reaches_the_other_copy(clash):
    copies, tie = clash
    app = app_for(copies, "office")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert "1 conflict waits (y)" in screen_text(app)
        # The dashboard names the record that waits.
        assert "⚠ in conflict until someone chooses: partnership Busan (sister city)" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        text = screen_text(app)
        assert "Stage" in text and "Friendship or letter of intent" in text and "Council approval" in text
        assert "this copy" in text and "Before:" in text
        footer = screen_text(app).splitlines()[-1]
        assert "Keep 1" in footer and "Keep 2" in footer
        assert "Keep record" not in footer and "Merge" not in footer  # questions of other kinds
        await pilot.press("k", "a")  # keys of those questions change nothing here
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen) and len(queue(app.desk)) == 1
        choices = app.screen._choices(app.screen.current)
        await pilot.press(str(choices.index("council_approval") + 1))
        await settle(pilot)
        assert "Nothing waits for you" in screen_text(app)
    copies.open("office")
    copies.sync_all()
    for desk in copies.desks.values():
        assert desk.partnerships.get(tie).stage == "council_approval" and queue(desk) == set()


async def test_a_record_in_conflict_says_so_in_its_list_and_on_its_detail(clash):
    copies, _tie = clash
    app = app_for(copies, "laptop", start="partnerships")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#records")
        row = table.row_at(0)
        assert row.tone == "error" and row.cells[-1].startswith("⚠ in conflict")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordDetailScreen)
        text = screen_text(app)
        assert "⚠ In conflict: Stage" in text
        assert "[bold]Council[/] met" in text  # user text as typed, not markup


async def test_sync_now_from_the_palette_pulls_what_another_copy_shared(tmp_path):
    copies = Copies(tmp_path)
    office, _laptop = copies.open("office"), copies.open("laptop")
    visit(office, purpose="Shared from the office")
    copies.sync("office")
    copies.sync("laptop")  # the laptop knows the hub
    visit(office, purpose="Shared later")
    copies.sync("office")
    app = app_for(copies, "laptop", start="visits", sync={"hub": str(copies.hub_path)})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "sync now")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert any("received 1 change set." in n for n in notices(app))
        purposes = {app.screen.query_one("#records").row_at(i).cells[4] for i in range(2)}
        assert purposes == {"Shared from the office", "Shared later"}
    copies.close()


async def test_sync_now_without_a_hub_says_how_to_set_one(tmp_path):
    copies = Copies(tmp_path)
    copies.open("solo")
    app = app_for(copies, "solo")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert "Not synced with a hub yet" in screen_text(app)
        app.sync_now()
        await settle(pilot)
        assert any("twindesk sync --hub" in n for n in notices(app))


async def test_a_hub_remembered_from_the_command_line_while_the_app_is_open_is_used_by_sync_now(tmp_path):
    from twindesk import config as config_mod

    copies = Copies(tmp_path)
    office, _laptop = copies.open("office"), copies.open("laptop")
    visit(office, purpose="Shared from the office")
    copies.sync("office")
    app = app_for(copies, "laptop", start="visits")  # no hub in its config yet
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        # `twindesk sync --hub FOLDER` run in another terminal remembers the hub.
        config_mod.update(copies.root / "laptop" / "config.toml", {("sync", "hub"): str(copies.hub_path)})
        app.sync_now()
        await settle(pilot)
        assert any("received 1 change set." in n for n in notices(app))
    copies.close()
