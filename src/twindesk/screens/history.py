"""Every logged change to one record, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, record_id: str, name: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.record_name = name

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="history", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None
        self.title = f"History: {self.record_name}"
        table = self.query_one(DataTable)
        table.add_columns("When (UTC)", "Action", "Field", "Was", "Became")
        # At most 500 entries (the service caps it): a DataTable is fine here.
        for entry in app.desk.undo.history(self.record_id):
            table.add_row(
                entry.at.strftime("%Y-%m-%d %H:%M"),
                Text(entry.summary),
                Text(entry.field),
                Text(entry.old[:60]),
                Text(entry.new[:60]),
            )
        table.focus()
