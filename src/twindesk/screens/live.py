"""LiveScreen: a screen of records that stays current without waste.

When it comes back into view (a form closed, another screen left) it reads
its records again only if the database changed meanwhile: SQLite's
`PRAGMA data_version` moves whenever another connection commits, and every
save goes through a connection other than the reader's.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


class LiveScreen(Screen[None]):
    _seen_version: int | None = None

    def reload(self) -> None:
        raise NotImplementedError

    def show_records(self) -> None:
        """Read and show the records now, and remember the data's version."""
        self.reload()
        self._seen_version = self._data_version()

    def _data_version(self) -> int:
        desk: Any = self.app.desk  # type: ignore[attr-defined]
        return desk.data_version()

    def on_screen_resume(self) -> None:
        if self._seen_version is not None and self._seen_version != self._data_version():
            self.show_records()
