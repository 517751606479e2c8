"""Every logged change to one record, newest first.

Fields go by their labels ("Deleted", not deleted_at), times are local,
and `enter` shows a change's whole value (the table cuts long ones).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Static

from twindesk.screens.base import DeskScreen
from twindesk.services.undo import HistoryEntry
from twindesk.widgets.footer import KeysFooter

CUT = 60


class ValueScreen(ModalScreen[None]):
    """One change whole: what it was and what it became."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "app.pop_screen", "Close")]
    DEFAULT_CSS = """
    ValueScreen { align: center middle; }
    ValueScreen > VerticalScroll { width: 90; height: auto; max-height: 80%; border: thick $accent;
                                    background: $surface; padding: 1 2; }
    """

    def __init__(self, entry: HistoryEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        with VerticalScroll():
            yield Static(Content.assemble(
                Content.styled(f"{e.summary}\n{e.field}, {e.at.astimezone():%Y-%m-%d %H:%M}\n\n", "bold"),
                Content.styled("Was\n", "bold $text-muted"), Content(e.old or "—"), "\n\n",
                Content.styled("Became\n", "bold $text-muted"), Content(e.new or "—"),
            ))


class HistoryScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
        Binding("enter", "whole", "Whole value", id="history.whole", tooltip="Show the change's whole value"),
    ]

    def __init__(self, record_id: str, name: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.record_name = name
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="history", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = f"History: {self.record_name}"
        table = self.query_one(DataTable)
        table.add_columns("When", "Action", "Field", "Was", "Became")
        # At most 500 entries (the service caps it): a DataTable is fine here.
        self.entries = self.desk.undo.history(self.record_id)
        for entry in self.entries:
            table.add_row(
                entry.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                Text(entry.summary),
                Text(entry.field),
                Text(_cut(entry.old)),
                Text(_cut(entry.new)),
            )
        table.focus()

    def action_whole(self) -> None:
        table = self.query_one(DataTable)
        if self.entries and 0 <= table.cursor_row < len(self.entries):
            self.app.push_screen(ValueScreen(self.entries[table.cursor_row]))

    def on_data_table_row_selected(self) -> None:
        self.action_whole()


def _cut(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= CUT else text[: CUT - 1] + "…"
