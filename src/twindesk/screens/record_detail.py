"""One record on its own screen: its fields, its notes, what needs
attention, and its sections (child rows and linked records) from the
registry.

`e` edits it, `h` shows its history (or the highlighted row's), each
section's key adds a row to it, tab moves into a section where `enter`
opens or edits the highlighted row and `delete` removes it (after asking);
`home` goes back to the top. Everything shown is user or seed text, so it
reaches the screen as data, never as markup.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Label, Static

from twindesk import registry
from twindesk.registry.spec import RecordKind, Section
from twindesk.screens.base import LiveScreen
from twindesk.screens.record_actions import delete_record, edit_record, show_history
from twindesk.widgets.fields import field_lines
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.row_table import RowTable

LABEL_WIDTH = 19


class RecordDetailScreen(LiveScreen):
    AUTO_FOCUS = ""  # keys act on the record until tab moves into a section
    kind_key: ClassVar[str] = ""

    DEFAULT_CSS = """
    RecordDetailScreen #body { padding: 1 2; }
    RecordDetailScreen #name { text-style: bold; color: $text-accent; margin-bottom: 1; }
    RecordDetailScreen #conflict { color: $text-error; text-style: bold; margin-bottom: 1; display: none; }
    RecordDetailScreen #conflict.-shown { display: block; }
    RecordDetailScreen #warnings { color: $text-warning; margin-top: 1; display: none; }
    RecordDetailScreen #warnings.-shown { display: block; }
    RecordDetailScreen .section { margin-top: 1; text-style: bold; border-bottom: solid $panel; width: 100%; }
    RecordDetailScreen .empty { color: $text-muted; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id

    @property
    def kind(self) -> RecordKind:
        return registry.kind(self.kind_key)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body", can_focus=False):
            yield Label("", id="name", markup=False)
            yield Static(id="conflict")
            yield Static(id="fields")
            yield Static(id="warnings")
            yield Static(id="notes")
            for section in self.kind.sections:
                keys = [f"{section.add_key} adds"] if section.add_key else []
                keys.append("tab, then enter opens")
                yield Label(f"{section.title}   {' · '.join(keys)}", classes="section", markup=False)
                yield RowTable(id=f"section-{section.kind}")
                yield Label("", id=f"section-{section.kind}-empty", classes="empty", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_records()
        # After the first layout: filling the sections moves their cursors, which scrolls.
        self.call_after_refresh(self.query_one("#body", VerticalScroll).scroll_home, animate=False)

    def reload(self) -> None:
        service = self.desk.service(self.kind_key)
        row = service.row(self.record_id)
        if row is None:  # deleted, or its creation undone, while open
            self.app.pop_screen()
            self.app.notify(f"That {self.kind.noun} no longer exists.", severity="warning")
            return
        self.row = row
        heading = service.heading(row)
        self.title = heading
        self.sub_title = self.kind.noun.capitalize()
        self.query_one("#name", Label).update(heading)
        self._conflicts()
        self.query_one("#fields", Static).update(field_lines(service.detail_lines(row), LABEL_WIDTH))
        warnings = service.detail_warnings(row)
        box = self.query_one("#warnings", Static)
        box.update(Content("\n").join(Content(f"⚠ {w}") for w in warnings))
        box.set_class(bool(warnings), "-shown")
        notes = [Content.assemble(Content.styled(label, "bold"), "\n", Content(text or "—"))
                 for label, text in service.detail_notes(row)]
        self.query_one("#notes", Static).update(Content("\n\n").join(notes) if notes else Content(""))
        for section in self.kind.sections:
            self._fill(section)

    def _conflicts(self) -> None:
        items = self.desk.conflicts.for_record(self.record_id)
        box = self.query_one("#conflict", Static)
        if items:
            names = ", ".join(dict.fromkeys(item.label for item in items))
            box.update(Content(f"⚠ In conflict: {names}. Two copies changed it differently; "
                               "y opens the conflict queue to choose."))
        box.set_class(bool(items), "-shown")

    def _fill(self, section: Section) -> None:
        value = self.row[section.via] if section.via in self.row.keys() else None
        found = self.desk.service(section.kind).section(section.link, value, section.columns)
        table = self.query_one(f"#section-{section.kind}", RowTable)
        table.fill(found.headers, found.rows)
        table.display = bool(found.rows)
        note = self.query_one(f"#section-{section.kind}-empty", Label)
        if not found.rows:
            note.update(f"None yet: {section.add_key} adds one." if section.add_key else "None yet.")
        elif found.total > len(found.rows):
            plural = registry.kind(section.kind).plural
            note.update(f"Showing the first {len(found.rows)} of {found.total:,} {plural}.")
        note.display = found.total > len(found.rows) or not found.rows

    def _focused(self) -> tuple[Section, str] | None:
        """The section with focus and its highlighted row's id, if any."""
        table = self.focused
        if isinstance(table, RowTable) and table.id and table.current_key is not None:
            kind = table.id.removeprefix("section-")
            return next(s for s in self.kind.sections if s.kind == kind), table.current_key
        return None

    # Actions ----------------------------------------------------------------
    def open_record(self, record_id: str) -> None:
        """The palette asks for a record of this kind while one is shown."""
        self.app.switch_screen(detail_screen(self.kind_key)(record_id))

    def action_edit(self) -> None:
        edit_record(self.app, self.kind_key, self.record_id)

    def action_top(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self.set_focus(None)

    def action_add(self, index: int) -> None:
        section = self.kind.sections[index]
        initial = self.desk.service(self.kind_key).child_initial(self.row, section.kind, section.link)
        edit_record(self.app, section.kind, None, initial=initial)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        focused = self._focused()
        if focused is None:
            return
        section, record_id = focused
        child = registry.kind(section.kind)
        if child.mode:
            self.twindesk.open_record(section.kind, record_id)
        elif child.parent is not None and child.editable:
            edit_record(self.app, section.kind, record_id)

    def action_history(self) -> None:
        focused = self._focused()
        if focused is None:
            show_history(self.app, self.record_id, f"{self.kind.noun} {self.title}")
            return
        section, record_id = focused
        show_history(self.app, record_id, registry.kind(section.kind).noun)

    def action_delete_row(self) -> None:
        focused = self._focused()
        if focused is None:
            self.notify(f"Tab to a row first; a {self.kind.noun} itself is deleted from its list.", timeout=4)
            return
        section, record_id = focused
        child = registry.kind(section.kind)
        if child.parent is None or child.parent[1] != self.kind_key:
            self.notify(f"Delete the {child.noun} on its own screen.", timeout=4)
            return
        service = self.desk.service(section.kind)
        row = service.row(record_id)
        if row is not None:
            delete_record(self.app, section.kind, record_id, service.describe(dict(row)))

    def action_brief(self) -> None:
        self.twindesk.brief(self.record_id)

    def action_conflicts(self) -> None:
        self.twindesk.go("conflicts")


@cache
def detail_screen(kind_key: str) -> type[RecordDetailScreen]:
    """The detail screen class of one kind, with its sections' keys bound
    (ids like "visit.add_member", remappable in the config)."""
    kind = registry.kind(kind_key)
    bindings: list[BindingType] = [
        Binding("escape", "app.pop_screen", "Back", id=f"{kind_key}.back"),
        Binding("e", "edit", "Edit", id=f"{kind_key}.edit", tooltip=f"Edit this {kind.noun}"),
        Binding("h", "history", "History", id=f"{kind_key}.history",
                tooltip=f"Every change to this {kind.noun} (or to the highlighted row)"),
        Binding("delete", "delete_row", "Delete row", id=f"{kind_key}.delete_row",
                tooltip="Delete the highlighted row of a section (asks first)"),
        # Priority: a section's table would take home for its own first row.
        Binding("home", "top", "Top", show=False, priority=True, id=f"{kind_key}.top", tooltip="Back to the top"),
        Binding("y", "conflicts", "Conflicts", show=False, id=f"{kind_key}.conflicts",
                tooltip="The sync conflict queue"),
    ]
    for i, section in enumerate(kind.sections):
        if section.add_key:
            child = registry.kind(section.kind)
            bindings.append(Binding(section.add_key, f"add({i})", child.noun.capitalize(),
                                    id=f"{kind_key}.add_{section.kind}", tooltip=f"Add a {child.noun}"))
    if kind_key == "visit":
        bindings.append(Binding("b", "brief", "Brief", id="visit.brief",
                                tooltip="Write the delegation brief of this visit (HTML, beside the database)"))
    name = "".join(part.capitalize() for part in kind_key.split("_")) + "DetailScreen"
    screen: type[RecordDetailScreen] = type(name, (RecordDetailScreen,), {"BINDINGS": bindings, "kind_key": kind_key})
    return screen

