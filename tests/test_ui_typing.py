"""No keystroke is lost or lands in the wrong widget, however fast it comes:
across a Tab, while a screen is being built, or while the app starts.

Keys are posted to the app the way a terminal delivers them from a fast
typist or a text expander: all at once, with no pause in between."""

from __future__ import annotations

import asyncio

from textual import events
from textual.css.query import NoMatches

from twindesk.widgets.form import FormScreen

from .ui import SIZE, make_app, ready


def burst(app, *keys: str) -> None:
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(key, key))
        else:
            app.post_message(events.Key(key, None))


async def until(pilot, check, seconds: float = 5.0) -> None:
    """Wait (without sleeping past it) until `check()` holds; fail if it never does."""
    for _ in range(int(seconds / 0.02)):
        try:
            if check():
                return
        except NoMatches:
            pass  # the screen is still being built
        await pilot.pause(0.02)
    assert check()


def value(app, name: str) -> str:
    return app.screen.query_one(f"#field-{name}").value


async def test_keys_typed_across_a_tab_land_in_the_next_field(paths):
    app = make_app(paths, start="dashboard", home=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, FormScreen)
        burst(app, *"Ljubljana", "tab", *"Slovenia", "tab", *"Tourism")
        await until(pilot, lambda: value(app, "industries") == "Tourism")
        assert (value(app, "name"), value(app, "country")) == ("Ljubljana", "Slovenia")


async def test_keys_typed_while_a_form_opens_go_into_it(paths):
    app = make_app(paths, start="partnerships")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        burst(app, "n", *"Busan")
        await until(pilot, lambda: isinstance(app.screen, FormScreen) and value(app, "city") == "Busan")


async def test_keys_typed_while_the_app_starts_are_kept(paths):
    app = make_app(paths, start="partnerships")
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "n", *"Jeju")  # before the database is even open
        await ready(pilot)
        await until(pilot, lambda: isinstance(app.screen, FormScreen) and value(app, "city") == "Jeju")


async def test_a_whole_sequence_pressed_with_pilot_fills_the_fields_in_order(paths):
    app = make_app(paths, start="dashboard", home=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"Seoul", "tab", *"Korea", "tab", *"IT", "shift+tab", "end", *"!")
        await until(pilot, lambda: value(app, "country") == "Korea!")
        assert (value(app, "name"), value(app, "industries")) == ("Seoul", "IT")


async def test_a_key_bound_to_a_vanishing_screen_does_not_stop_the_keys_after_it(paths):
    app = make_app(paths, start="partnerships")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        burst(app, "n", "escape", "n", *"Ulsan")  # opens, leaves (nothing typed), opens again
        await until(pilot, lambda: isinstance(app.screen, FormScreen) and value(app, "city") == "Ulsan")
        await asyncio.sleep(0)


async def test_ctrl_s_typed_right_after_the_text_saves_all_of_it(paths):
    app = make_app(paths, start="dashboard", home=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        burst(app, *"Ljubljana", "tab", *"Slovenia", "tab", *"Tourism, IT", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert app.desk.home.profile.industries == ["Tourism", "IT"]
