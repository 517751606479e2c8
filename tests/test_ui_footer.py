"""The footer follows the focus, and keeps no dead key widgets behind: each
one it dropped used to stay alive for the rest of the session (Textual
8.2.8 keeps a watcher per key), and every full garbage collection walked them."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from twindesk.widgets.footer import KeysFooter

from .ui import SIZE, make_app, ready, screen_text


def dead_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def test_moving_between_the_filter_and_the_list_changes_the_footer_and_leaks_no_keys(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert "Open" in screen_text(app).splitlines()[-1]
        before = dead_footer_keys()
        for _ in range(15):
            await pilot.press("slash")
            await pilot.pause()
            assert "Open" not in screen_text(app).splitlines()[-1]  # the list's keys are not the box's
            await pilot.press("escape")
            await pilot.pause()
            assert "Open" in screen_text(app).splitlines()[-1]
        assert dead_footer_keys() - before < 20  # 30 rebuilds used to leave ~30 x 10 keys behind


async def test_the_start_screen_builds_its_footer_keys_once(paths, monkeypatch):
    """The start screen asks for its footer three times before the first
    build runs (mount, focus, bindings); each build costs the first frames
    ~6 ms."""
    built: list[str] = []
    compose = KeysFooter.compose

    def counted(footer: KeysFooter):
        if footer._bindings_ready:
            built.append(type(footer.screen).__name__)
        return compose(footer)

    monkeypatch.setattr(KeysFooter, "compose", counted)
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(4):
            await pilot.pause()
        assert "Refresh" in screen_text(app).splitlines()[-1]
        assert built.count("DashboardScreen") == 1
