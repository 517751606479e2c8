"""RecordListScreen: the list every record kind with a screen shares.

A filter box, a PagedTable, a status line and quick filters; `n` adds,
`enter` opens, `e` edits, `delete` deletes after asking, `h` shows history.
A subclass names its registry kind; everything else (title, noun, quick
filter keys, which form and detail) comes from the registry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, Label

from twindesk import registry
from twindesk.registry.spec import RecordKind
from twindesk.screens.base import LiveScreen
from twindesk.screens.record_actions import delete_record, edit_record, show_history
from twindesk.services.listing import PagedQuery
from twindesk.widgets.filter_input import FilterInput
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.paged_table import PagedTable


class RecordListScreen(LiveScreen):
    kind_key: ClassVar[str] = ""
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
    RecordListScreen #status {
        padding: 0 2; color: $text-muted; height: 1; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if cls.kind_key:
            # The kind's quick filters, one key each (ids like "visits.quick.upcoming"),
            # before Textual merges the class's bindings.
            kind = registry.kind(cls.kind_key)
            own = cls.__dict__.get("BINDINGS", [])
            cls.BINDINGS = [
                *(Binding(q.key, f"quick('{q.name}')", q.label, id=f"{kind.mode}.quick.{q.name}")
                  for q in registry.quick_filters(kind)),
                *own,
            ]
        super().__init_subclass__(**kwargs)

    @property
    def kind(self) -> RecordKind:
        return registry.kind(self.kind_key)

    # Layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.list_parts()
        yield KeysFooter()

    def list_parts(self) -> ComposeResult:
        yield FilterInput(self.apply_filter, self.leave_filter, placeholder=f"{self.kind.filter_hint}   ( / )",
                          id="filter")
        yield PagedTable(self.make_query(), empty_text=self.kind.empty_text, id="records")
        yield Label("", id="status", markup=False)

    def make_query(self) -> PagedQuery:
        return self.desk.service(self.kind_key).query()

    def on_mount(self) -> None:
        self.title = self.kind.title
        self.update_status()
        self._seen_version = self.desk.data_version()
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#records", PagedTable)

    def reload(self) -> None:
        self.table.reload()
        self.update_status()

    def status_parts(self) -> list[str]:
        query = self.table.source
        total = self.table.row_count
        more = "" if self.table.count_exact else "+"  # counted as far as a first few thousand
        parts = [f"{total:,}{more} {self.kind.noun if total == 1 and not more else self.kind.plural}"]
        quick = getattr(query, "quick", None)
        if quick:
            parts.append(next((q.label for q in registry.quick_filters(self.kind) if q.name == quick), quick))
        if query.text.strip():
            parts.append(f"filter: {query.text.strip()}")
        return parts

    _status_text: str | None = None

    def update_status(self) -> None:
        text = "  ·  ".join(self.status_parts())
        if text != self._status_text:
            self._status_text = text
            # Its size is fixed (CSS): no layout pass, and no frame of its own after the rows'.
            self.query_one("#status", Label).update(text, layout=False)
        # "No gifts yet" under a filter would say the records are gone.
        query = self.table.source
        filtered = bool(getattr(query, "quick", None) or query.text.strip())
        self.table.empty_text = (f"No {self.kind.plural} match the filter: x clears it." if filtered
                                 else self.kind.empty_text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys a kind does not have are not offered (33 seed cities are neither added nor deleted).
        return not ((action == "new" and not self.kind.can_add) or (action == "delete" and not self.kind.can_delete))

    # Filtering --------------------------------------------------------------
    def leave_filter(self, submitted: bool) -> None:
        self.table.focus()
        if submitted and self.table.row_count == 1 and self.table.current is not None:
            self.open_record(self.table.current.id)

    def apply_filter(self, text: str) -> None:
        self.table.source.text = text
        self.table.reload(keep_cursor=False)
        self.update_status()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_quick(self, name: str) -> None:
        query: Any = self.table.source
        query.quick = None if getattr(query, "quick", None) == name else name
        self.table.reload(keep_cursor=False)
        self.update_status()

    def clear_filters(self) -> None:
        query: Any = self.table.source
        if hasattr(query, "quick"):
            query.quick = None

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        self.clear_filters()
        if box.value:
            box.value = ""  # its watcher shows every row (one reload, not two)
        else:
            self.table.source.text = ""
            self.table.reload(keep_cursor=False)
            self.update_status()
        self.table.focus()

    # Records ----------------------------------------------------------------
    def on_paged_table_counted(self, event: PagedTable.Counted) -> None:
        # A big list counts off the UI thread: the status follows when it is done.
        self.update_status()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.open_record(event.row.id)

    def open_record(self, record_id: str) -> None:
        from twindesk.screens.record_detail import detail_screen

        self.app.push_screen(detail_screen(self.kind_key)(record_id))

    def action_new(self) -> None:
        if not self.kind.can_add:
            self.notify(f"New {self.kind.plural} are not added here.", timeout=3)
            return
        edit_record(self.app, self.kind_key, None)

    def action_edit(self) -> None:
        row = self.table.current
        if row is not None:
            edit_record(self.app, self.kind_key, row.id)

    def action_history(self) -> None:
        row = self.table.current
        if row is not None:
            show_history(self.app, row.id, f"{self.kind.noun} {row.label}")

    def action_delete(self) -> None:
        row = self.table.current
        if row is not None:
            delete_record(self.app, self.kind_key, row.id, row.label)
