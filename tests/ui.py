"""Helpers for driving the app through Pilot, as a user would."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from twindesk.app import TwindeskApp

SIZE = (120, 36)


HOME = {"name": "Tallinn", "country": "Estonia", "industries": ["Tourism", "IT services", "Port logistics"]}


def make_app(paths: tuple[Path, Path], *, start: str = "directory", home: bool = True) -> TwindeskApp:
    """The app on throwaway paths. With `home`, the home city is already set,
    so the first-start question does not stand in front of the screen."""
    db, config = paths
    if home and not config.exists():
        import tomli_w

        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(tomli_w.dumps({"installation": {"id": "test-installation"}, "home": HOME}))
    return TwindeskApp(db, config, start=start)


async def ready(pilot: Pilot) -> None:
    """Wait until the database is open and the start screen is shown."""
    from textual.worker import WorkerFailed

    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerFailed:
        pass  # the app shows the failure itself; the test checks what it shows
    await pilot.pause()
    await pilot.pause()


def notices(app: TwindeskApp) -> list[str]:
    """The messages the app is showing now (a toast wraps them over lines on screen)."""
    return [n.message for n in app._notifications]


async def settle(pilot: Pilot) -> None:
    """Wait until the work a key started (a save, an undo, a delete: they run
    in worker threads) is done and its result is on screen."""
    from textual.worker import WorkerFailed

    await pilot.pause()
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerFailed:
        pass  # the screen shows the failure itself; the test checks what it shows
    await pilot.pause()
    await pilot.pause()


async def save(pilot: Pilot) -> None:
    """ctrl+s, as a user presses it, then wait for the save to land."""
    await pilot.press("ctrl+s")
    await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type like a user; characters Pilot cannot press (Hangul, emoji) are pasted."""
    if text.isascii():
        await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    else:
        from textual import events

        pilot.app.screen.focused.post_message(events.Paste(text))
    await pilot.pause()


def screen_text(app: TwindeskApp) -> str:
    """What the terminal shows now, as plain text (as export_screenshot renders it)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
