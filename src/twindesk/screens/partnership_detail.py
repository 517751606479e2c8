"""One partnership: its fields, its dated stage history and its contacts.

`e` edits the partnership; in the contacts table `a` adds, `enter` edits and
`delete` removes (after asking). Every value shown is user text or seed
text, so it goes to the screen as data, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Label, Static

from twindesk.screens.live import LiveScreen
from twindesk.widgets.confirm import confirm_delete
from twindesk.widgets.fields import field_lines
from twindesk.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    from twindesk.services.partnerships import PartnershipDetail

CONTACT_FIELDS = (
    FormField("name", "Name", placeholder="e.g. Kim Min-jun"),
    FormField("title", "Title", placeholder="e.g. Director of International Relations"),
    FormField("organisation", "Organisation", placeholder="e.g. Busan Metropolitan City"),
    FormField("email", "E-mail", placeholder="name@example.org"),
    FormField("phone", "Phone", placeholder="e.g. +82 51 888 1234"),
    FormField("language", "Language", placeholder="e.g. Korean, English"),
)
CONTACT_COLUMNS = ("Name", "Title", "Organisation", "E-mail", "Phone", "Language")


def partnership_lines(p: PartnershipDetail) -> Content:
    rows = [
        ("Kind", p.kind_name),
        ("Stage", p.stage_name),
        ("Since", p.since.isoformat() if p.since else ""),
        ("Signed on", p.signed_on.isoformat() if p.signed_on else ""),
        ("Signed at", p.signed_place),
        ("Our signatories", p.signatories_home),
        ("Their signatories", p.signatories_partner),
        ("Areas", ", ".join(p.area_names)),
        ("Sectors", ", ".join(p.sector_names)),
    ]
    return field_lines(rows, 19)


def history_lines(p: PartnershipDetail) -> Content:
    if not p.history:
        return Content("No stage recorded yet.")
    return Content("\n").join(
        Content.assemble((on.isoformat(), "$text-muted"), "  ", Content(name)) for name, on in p.history
    )


def edit_contact(app: App[Any], partnership_id: str, contact_id: str | None) -> None:
    service = app.desk.contacts  # type: ignore[attr-defined]
    values = service.form_values(contact_id)

    def full(v: dict[str, Any]) -> dict[str, Any]:
        return {**v, "partnership_id": partnership_id}

    def submit(v: dict[str, Any]) -> object:
        return service.update(contact_id, full(v)) if contact_id else service.create(full(v))

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify("Contact saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    title = "Edit contact" if contact_id else "New contact"
    screen = FormScreen(title, CONTACT_FIELDS, values, submit=submit, check=lambda v: service.validate(full(v)))
    app.push_screen(screen, saved)


class PartnershipDetailScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="partnership.back"),
        Binding("e", "edit", "Edit", id="partnership.edit", tooltip="Edit this partnership"),
        Binding("a", "add_contact", "Add contact", id="partnership.add_contact",
                tooltip="Add a contact on the partner's side"),
        Binding("delete", "delete_contact", "Delete contact", id="partnership.delete_contact",
                tooltip="Delete the highlighted contact (asks first)"),
        Binding("h", "history", "History", id="partnership.history", tooltip="Every change to this partnership"),
    ]

    DEFAULT_CSS = """
    PartnershipDetailScreen #body { padding: 1 2; }
    PartnershipDetailScreen #name { text-style: bold; color: $text-accent; margin-bottom: 1; }
    PartnershipDetailScreen .section { margin-top: 1; text-style: bold; border-bottom: solid $panel; width: 100%; }
    PartnershipDetailScreen #contacts { height: auto; max-height: 12; }
    """

    def __init__(self, partnership_id: str) -> None:
        super().__init__()
        self.partnership_id = partnership_id

    @property
    def desk(self) -> Any:
        return self.app.desk  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Label("", id="name", markup=False)
            yield Static(id="fields")
            yield Label("Notes", classes="section")
            yield Static(id="notes")
            yield Label("Stage history, newest first", classes="section")
            yield Static(id="history")
            yield Label("Contacts on their side   a adds · enter edits · delete removes", classes="section",
                        markup=False)
            yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def contacts(self) -> DataTable[Any]:
        return self.query_one("#contacts", DataTable)

    def on_mount(self) -> None:
        self.show_records()
        self.contacts.focus()

    def reload(self) -> None:
        found = self.desk.partnerships.get(self.partnership_id)
        if found is None:  # deleted, or its creation undone, while open
            self.app.pop_screen()
            self.app.notify("That partnership no longer exists.", severity="warning")
            return
        self.title = f"{found.city} ({found.kind_name.lower()})"
        self.sub_title = "Partnership"
        self.query_one("#name", Label).update(f"{found.city}  {found.hangul} — {found.kind_name}")
        self.query_one("#fields", Static).update(partnership_lines(found))
        self.query_one("#notes", Static).update(Content(found.notes or "—"))
        self.query_one("#history", Static).update(history_lines(found))
        self._fill_contacts(found)

    def _fill_contacts(self, found: PartnershipDetail) -> None:
        table = self.contacts
        keep = self._current_contact()
        table.clear(columns=True)  # and so widths fit what is left
        table.add_columns(*CONTACT_COLUMNS)
        for c in found.contacts:
            # height=None: Textual 8.2.8's DataTable keeps lines drawn at the
            # old column widths when a refill is drawn before it re-measures
            # (it does on resuming from the form); auto-height rows re-measure
            # and redraw.
            table.add_row(*(Text(v) for v in (c.name, c.title, c.organisation, c.email, c.phone, c.language)),
                          key=c.id, height=None)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def _current_contact(self) -> str | None:
        table = self.contacts
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    # Actions ----------------------------------------------------------------
    def open_record(self, record_id: str) -> None:
        """The palette asks for a partnership while this one is shown."""
        self.app.switch_screen(PartnershipDetailScreen(record_id))

    def action_edit(self) -> None:
        from twindesk.screens.partnerships import edit_partnership

        edit_partnership(self.app, self.partnership_id)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.partnership_id, self.title or "Partnership"))

    def action_add_contact(self) -> None:
        edit_contact(self.app, self.partnership_id, None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            edit_contact(self.app, self.partnership_id, event.row_key.value)

    def action_delete_contact(self) -> None:
        contact_id = self._current_contact()
        contact = self.desk.contacts.get(contact_id) if contact_id else None
        if contact is None:
            self.notify("No contact to delete: a adds one.", timeout=3)
            return
        confirm_delete(self.app, self.desk.contacts, contact.id, "contact", contact.name)
