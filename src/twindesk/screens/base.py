"""The base of every twindesk screen: the typed app and desk, and records
that stay current without waste.

`DeskApp` is what screens need of the app, as a Protocol, so screens do
not import the app module (the app imports them).

A LiveScreen, when it comes back into view (a form closed, another screen
left), reads its records again only if the database changed meanwhile (or
a change came while it was hidden): SQLite's `PRAGMA data_version` moves
whenever another connection commits, and every save goes through a
connection other than the reader's. While it is on top it also looks
once a second, so a change made in a second window or by a sync shows
without the user leaving the screen (the check is one PRAGMA; a reload
happens only when the version moved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual import events, on
from textual.screen import Screen

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

T = TypeVar("T")


class DeskApp(Protocol):
    desk: Desk | None

    def go(self, mode: str) -> None: ...
    def open_record(self, kind: str, record_id: str) -> None: ...
    def refresh_data(self) -> None: ...
    def in_background(self, work: Callable[[], Any], done: Callable[[Any], None] | None, action: str) -> None: ...
    def export(self, kind: str) -> None: ...
    def sync_now(self) -> None: ...
    def brief(self, visit_id: str) -> None: ...


def desk_app(screen: Screen[Any]) -> DeskApp:
    return cast(DeskApp, screen.app)


class DeskScreen(Screen[None]):
    """A screen over the open desk."""

    @property
    def twindesk(self) -> DeskApp:
        return desk_app(self)

    @property
    def desk(self) -> Desk:
        desk = self.twindesk.desk
        assert desk is not None, "screens are shown once the database is open"
        return desk


class LiveScreen(DeskScreen):
    _seen_version: int | None = None
    _stale = False
    FOLLOW_SECONDS = 1.0

    @on(events.Mount)
    def _follow_other_writers(self) -> None:
        self.set_interval(self.FOLLOW_SECONDS, self._look_for_changes, name="follow other writers")

    def _look_for_changes(self) -> None:
        if self.twindesk.desk is None:  # the app is closing
            return
        if self.is_current and self._seen_version is not None and self._seen_version != self.desk.data_version():
            self.show_records()

    def reload(self) -> None:
        raise NotImplementedError

    def show_records(self) -> None:
        """Read and show the records now, and remember the data's version.

        A screen under another one waits until it is on top again: a table
        refilled while hidden keeps its old column widths, and a screen that
        leaves because its record is gone must pop itself, not the screen
        above it."""
        if not self.is_current:
            self._stale = True
            return
        self._stale = False
        try:
            self.reload()
            self._seen_version = self.desk.data_version()
        except Exception as exc:
            from twindesk.failures import explain

            self.notify(explain(exc, f"showing {self.title or 'this screen'}", self.desk.store.path),
                        severity="error", markup=False, timeout=15)

    def on_screen_resume(self) -> None:
        if self._stale or (self._seen_version is not None and self._seen_version != self.desk.data_version()):
            self.show_records()
