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
