"""LiveScreen: a screen of records that stays current without waste.

When it comes back into view (a form closed, another screen left) it reads
its records again only if the database changed meanwhile (or a change came
while it was hidden): SQLite's
`PRAGMA data_version` moves whenever another connection commits, and every
save goes through a connection other than the reader's.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


class LiveScreen(Screen[None]):
    _seen_version: int | None = None
    _stale = False

    def reload(self) -> None:
        raise NotImplementedError

    def show_records(self) -> None:
        """Read and show the records now, and remember the data's version.

        A screen under another one waits until it is on top again: a
        DataTable refilled while hidden keeps its old column widths, and a
        screen that leaves because its record is gone must pop itself, not
        the screen above it."""
        if not self.is_current:
            self._stale = True
            return
        self._stale = False
        self.reload()
        self._seen_version = self._data_version()

    def _data_version(self) -> int:
        desk: Any = self.app.desk  # type: ignore[attr-defined]
        return desk.data_version()

    def on_screen_resume(self) -> None:
        if self._stale or (self._seen_version is not None and self._seen_version != self._data_version()):
            self.show_records()
