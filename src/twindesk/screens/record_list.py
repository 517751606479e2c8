"""RecordListScreen: the list every record type shares.

A filter box, a PagedTable, a status line and quick filters; `n` adds,
`enter` opens, `e` edits, `delete` deletes after asking, `h` shows history.
A subclass names its service, its query, its quick filters and its form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Label

from twindesk.screens.live import LiveScreen
from twindesk.widgets.confirm import confirm_delete
from twindesk.widgets.filter_input import FilterInput
from twindesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp
    from twindesk.services.listing import PagedQuery


def quick_bindings(filters: tuple[tuple[str, str, str], ...]) -> list[BindingType]:
    return [Binding(key, f"quick('{name}')", label, id=f"quick.{name}") for key, label, name in filters]


class RecordListScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="list.filter", tooltip="Type to filter the list"),
        Binding("n", "new", "New", id="list.new", tooltip="Add a new record"),
        Binding("e", "edit", "Edit", id="list.edit", tooltip="Edit the highlighted record"),
        Binding("delete", "delete", "Delete", id="list.delete", tooltip="Delete the highlighted record (asks first)"),
        Binding("h", "history", "History", id="list.history", tooltip="Every change to the highlighted record"),
        Binding("x", "clear", "Clear filters", id="list.clear", tooltip="Show every record again"),
    ]

    DEFAULT_CSS = """
    RecordListScreen #filter { margin: 0 1; }
    RecordListScreen #status { padding: 0 2; color: $text-muted; height: 1; }
    """

    noun = "record"
    plural = "records"
    screen_title = ""
    filter_hint = "Filter"
    empty_text = "Nothing here yet: press n to add one."
    # (key, label, quick filter name): subclasses bind each key to
    # action_quick(name) in their BINDINGS (see quick_bindings).
    quick_filters: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    @property
    def desk(self) -> Any:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        return app.desk

    # To override ------------------------------------------------------------
    def make_query(self) -> PagedQuery:
        raise NotImplementedError

    @property
    def service(self) -> Any:
        raise NotImplementedError

    def open_record(self, record_id: str) -> None:
        self.edit_record(record_id)

    def edit_record(self, record_id: str | None) -> None:
        raise NotImplementedError

    # Layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterInput(
            self.apply_filter, self.table_focus, placeholder=f"{self.filter_hint}   ( / )", id="filter"
        )
        yield PagedTable(self.make_query(), empty_text=self.empty_text, id="records")
        yield Label("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.screen_title
        self.update_status()
        self._seen_version = self._data_version()
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#records", PagedTable)

    def reload(self) -> None:
        self.table.reload()
        self.update_status()

    def update_status(self) -> None:
        query = self.table.query
        total = self.table.row_count
        parts = [f"{total} {self.noun if total == 1 else self.plural}"]
        quick = getattr(query, "quick", None)
        if quick:
            parts.append(next((label for _k, label, name in self.quick_filters if name == quick), quick))
        if query.text.strip():
            parts.append(f"filter: {query.text.strip()}")
        self.query_one("#status", Label).update("  ·  ".join(parts))

    # Filtering --------------------------------------------------------------
    def table_focus(self) -> None:
        self.table.focus()

    def apply_filter(self, text: str) -> None:
        self.table.query.text = text
        self.table.reload(keep_cursor=False)
        self.update_status()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_quick(self, name: str) -> None:
        query = self.table.query
        query.quick = None if getattr(query, "quick", None) == name else name  # type: ignore[attr-defined]
        self.table.reload(keep_cursor=False)
        self.update_status()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.table.query.text = ""
        if hasattr(self.table.query, "quick"):
            self.table.query.quick = None  # type: ignore[attr-defined]
        self.table.reload(keep_cursor=False)
        self.update_status()
        self.table.focus()

    # Records ----------------------------------------------------------------
    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.open_record(event.row.id)

    def action_new(self) -> None:
        self.edit_record(None)

    def action_edit(self) -> None:
        row = self.table.current
        if row is not None:
            self.edit_record(row.id)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(HistoryScreen(row.id, f"{self.noun} {row.label}"))

    def action_delete(self) -> None:
        row = self.table.current
        if row is None:
            return

        confirm_delete(self.app, self.service, row.id, self.noun, row.label)
