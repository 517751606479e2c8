"""Sync from a window ("Sync: now" in the palette): the remembered hub,
off the UI thread, with its progress and its result as notifications."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp


def sync_from_window(app: TwindeskApp) -> None:
    desk = app.desk
    if desk is None:
        return
    from twindesk import config as config_mod
    from twindesk.sync import locate
    from twindesk.sync.engine import sync
    from twindesk.sync.hub import HubError

    try:
        # `twindesk sync --hub` in another terminal may have remembered a hub since this window opened.
        desk.config.hub = config_mod.load(desk.config.path).hub
    except config_mod.ConfigError:
        pass  # the file is being edited and reads wrong now: keep what this window knows
    if not (desk.config.hub or os.environ.get("TWINDESK_HUB")):
        app.notify("No hub yet: run `twindesk sync --hub FOLDER` once (or a postgresql:// URL); "
                   "it is remembered.", severity="warning", timeout=10)
        return

    def progress(text: str) -> None:
        app.call_from_thread(app.notify, text, timeout=2)

    def work() -> list[str]:
        def no_prompt() -> str:
            raise HubError("The hub is encrypted: set TWINDESK_HUB_PASSPHRASE, or sync from the command line.")

        hub = locate.open_hub(locate.choose(None, desk.config.hub), passphrase=no_prompt)
        try:
            return sync(desk, hub, progress=progress).lines(review="press y to see the queue")
        finally:
            hub.close()

    def done(lines: list[str]) -> None:
        app.notify("\n".join(lines), markup=False, timeout=10)
        app.refresh_data()

    app.notify("Syncing…", timeout=2)
    app.in_background(work, done, "syncing")
