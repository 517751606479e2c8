"""One delegation visit: its fields, the visits it overlaps, and its members,
itinerary and gifts.

`e` edits the visit; `m`, `t` and `g` add a member, an itinerary item or a
gift; tab moves between the three sections, where `enter` edits and
`delete` removes (after asking) the highlighted row. Everything shown is
user or seed text, so it reaches the screen as data, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Label, Static

from twindesk import taxonomy
from twindesk.screens.live import LiveScreen
from twindesk.services.validation import Invalid
from twindesk.services.visit_parts import GIFT_DIRECTIONS, suggest_role
from twindesk.widgets.confirm import confirm_delete
from twindesk.widgets.fields import field_lines
from twindesk.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    from twindesk.services.visits import VisitDetail


@dataclass(frozen=True)
class Part:
    """One kind of child row: its service on the desk, its form and its table."""

    key: str  # the section's id
    add_key: str
    service: str
    noun: str
    title: str
    columns: tuple[str, ...]
    fields: tuple[FormField, ...]


PARTS = (
    Part("members", "m", "members", "member", "Members",
         ("Name", "Role", "Title", "Organisation", "Dietary", "Contact"), (
        FormField("name", "Name", placeholder="e.g. Kim Min-jun"),
        FormField("title", "Title", placeholder="e.g. Deputy Mayor"),
        FormField("organisation", "Organisation", placeholder="e.g. Busan Metropolitan City"),
        FormField("role", "Role", placeholder="e.g. head of delegation, interpreter (→ completes)",
                  suggest=suggest_role),
        FormField("dietary", "Dietary needs", placeholder="e.g. vegetarian, no pork"),
        FormField("contact", "Contact", placeholder="e-mail or phone"),
    )),
    Part("itinerary", "t", "itinerary", "itinerary item", "Itinerary",
         ("Day", "Time", "Place", "What", "Host"), (
        FormField("day", "Day", placeholder="YYYY-MM-DD, within the visit"),
        FormField("time", "Time", placeholder="HH:MM, 24-hour (optional)"),
        FormField("place", "Place", placeholder="e.g. City Hall, 7th floor"),
        FormField("what", "What", placeholder="e.g. Courtesy call on the mayor"),
        FormField("host", "Host", placeholder="who receives or hosts"),
    )),
    Part("gifts", "g", "gifts", "gift", "Gifts",
         ("Item", "Given or received", "To or from", "Occasion", "Date"), (
        FormField("item", "Item", placeholder="e.g. Celadon vase"),
        FormField("direction", "Given or received", kind="choice",
                  choices=tuple((d.capitalize(), d) for d in GIFT_DIRECTIONS)),
        FormField("counterpart", "To or from whom", placeholder="e.g. Mayor of Busan"),
        FormField("occasion", "Occasion", placeholder="e.g. Courtesy call"),
        FormField("given_on", "Date", placeholder="YYYY-MM-DD (optional)"),
    )),
)
PART_BY_KEY = {p.key: p for p in PARTS}
MAX_COLUMN_WIDTH = 48


def visit_lines(v: VisitDetail, area_names: dict[str, str]) -> Content:
    days = (v.end_date - v.start_date).days + 1
    rows = [
        ("Direction", v.direction),
        ("City", f"{v.city}  {v.hangul}".strip()),
        ("Dates", f"{v.dates}  ({days} day{'s' if days > 1 else ''})"),
        ("Status", v.status),
        ("Purpose", v.purpose),
        ("Cooperation areas", ", ".join(area_names.get(a, a) for a in v.areas)),
        ("Budget", v.budget),
    ]
    return field_lines(rows, 19)


def overlap_lines(rows: list[Any], city: str) -> Content:
    head = Content.styled(f"⚠ Overlaps other visits to {city}:", "bold $text-warning")
    lines = [Content("   ".join(c for c in (row.cells[0], row.cells[1], row.cells[4]) if c)) for row in rows]
    return Content("\n").join([head, *lines])


def part_cells(part: Part, row: Any) -> tuple[Text, ...]:
    if part.key == "members":
        values = (row.name, row.role, row.title, row.organisation, row.dietary, row.contact)
    elif part.key == "itinerary":
        day = row.day.isoformat()
        return (Text(f"⚠ {day}", style="bold yellow") if row.outside else Text(day),
                *(Text(v) for v in (row.time, row.place, row.what, row.host)))
    else:
        values = (row.item, row.direction, row.counterpart, row.occasion,
                  row.given_on.isoformat() if row.given_on else "")
    return tuple(Text(v) for v in values)


def edit_part(app: App[Any], part: Part, visit_id: str, record_id: str | None,
              initial: dict[str, Any] | None = None) -> None:
    """The form of one member, itinerary item or gift of the visit."""
    service = getattr(app.desk, part.service)  # type: ignore[attr-defined]
    values = {**service.form_values(record_id), **(initial or {})}

    def full(v: dict[str, Any]) -> dict[str, Any]:
        return {**v, "visit_id": visit_id}

    def submit(v: dict[str, Any]) -> object:
        return service.update(record_id, full(v)) if record_id else service.create(full(v))

    def check(v: dict[str, Any]) -> object:
        try:
            return service.validate(full(v))
        except LookupError:
            raise Invalid({}) from None  # the visit is gone: saving says so

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify(f"{part.noun.capitalize()} saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    title = f"{'Edit' if record_id else 'New'} {part.noun}"
    app.push_screen(FormScreen(title, part.fields, values, submit=submit, check=check), saved)


class VisitDetailScreen(LiveScreen):
    AUTO_FOCUS = ""  # keys act on the visit until tab moves into a section
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="visit.back"),
        Binding("e", "edit", "Edit", id="visit.edit", tooltip="Edit this visit"),
        Binding("m", "add('members')", "Member", id="visit.add_member", tooltip="Add a member of the delegation"),
        Binding("t", "add('itinerary')", "Itinerary", id="visit.add_itinerary", tooltip="Add an itinerary item"),
        Binding("g", "add('gifts')", "Gift", id="visit.add_gift", tooltip="Add a gift given or received"),
        Binding("delete", "delete_part", "Delete row", id="visit.delete_part",
                tooltip="Delete the highlighted member, itinerary item or gift (asks first)"),
        Binding("h", "history", "History", id="visit.history",
                tooltip="Every change to this visit (or to the highlighted member, item or gift)"),
        Binding("l", "log_outcome", "Log outcome", id="visit.log_outcome",
                tooltip="Log an outcome that came from this visit"),
    ]

    DEFAULT_CSS = """
    VisitDetailScreen #body { padding: 1 2; }
    VisitDetailScreen #name { text-style: bold; color: $text-accent; margin-bottom: 1; }
    VisitDetailScreen #overlaps { margin-top: 1; display: none; }
    VisitDetailScreen #overlaps.-shown { display: block; }
    VisitDetailScreen .section { margin-top: 1; text-style: bold; border-bottom: solid $panel; width: 100%; }
    VisitDetailScreen DataTable { height: auto; max-height: 10; }
    VisitDetailScreen .empty { color: $text-muted; }
    """

    def __init__(self, visit_id: str) -> None:
        super().__init__()
        self.visit_id = visit_id

    @property
    def desk(self) -> Any:
        return self.app.desk  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body", can_focus=False):
            yield Label("", id="name", markup=False)
            yield Static(id="fields")
            yield Static(id="overlaps")
            yield Label("Notes", classes="section")
            yield Static(id="notes")
            for part in PARTS:
                key = part.add_key
                yield Label(f"{part.title}   {key} adds · tab, then enter edits · delete removes",
                            classes="section", markup=False)
                yield DataTable(id=part.key, cursor_type="row", zebra_stripes=True)
                yield Label(f"None yet: {key} adds one.", id=f"{part.key}-empty", classes="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_records()

    def reload(self) -> None:
        found = self.desk.visits.get(self.visit_id)
        if found is None:  # deleted, or its creation undone, while open
            self.app.pop_screen()
            self.app.notify("That visit no longer exists.", severity="warning")
            return
        self.visit = found
        self.title = f"{found.city} {found.dates}"
        self.sub_title = f"{found.direction.capitalize()} visit"
        toward = "from" if found.direction == "inbound" else "to"
        self.query_one("#name", Label).update(f"{found.direction.capitalize()} visit {toward} "
                                              f"{found.city}  {found.hangul}".strip())
        areas = {a.key: a.name for a in taxonomy.load().areas}
        self.query_one("#fields", Static).update(visit_lines(found, areas))
        overlaps = self.desk.visits.overlaps(self.visit_id)
        box = self.query_one("#overlaps", Static)
        box.update(overlap_lines(overlaps, found.city) if overlaps else "")
        box.set_class(bool(overlaps), "-shown")
        self.query_one("#notes", Static).update(Content(found.notes or "—"))
        for part, rows in zip(PARTS, (found.members, found.itinerary, found.gifts), strict=True):
            self._fill(part, rows)

    def _fill(self, part: Part, rows: tuple[Any, ...]) -> None:
        table = self.query_one(f"#{part.key}", DataTable)
        keep = self._current(table)
        cells = [part_cells(part, row) for row in rows]
        # Widths are set here, not left to the table: it measures them when
        # idle, and a frame drawn before that keeps the old widths cached.
        table.clear(columns=True)
        for i, title in enumerate(part.columns):
            width = max([len(title), *(c[i].cell_len for c in cells)])
            table.add_column(title, width=min(width, MAX_COLUMN_WIDTH))
        for row, row_cells in zip(rows, cells, strict=True):
            table.add_row(*row_cells, key=row.id)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        table.display = bool(rows)
        self.query_one(f"#{part.key}-empty", Label).display = not rows

    @staticmethod
    def _current(table: DataTable[Any]) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _focused_part(self) -> tuple[Part, str] | None:
        """The section with focus and its highlighted row's id, if any."""
        table = self.focused
        if isinstance(table, DataTable) and table.id in PART_BY_KEY:
            record_id = self._current(table)
            if record_id is not None:
                return PART_BY_KEY[table.id], record_id
        return None

    # Actions ----------------------------------------------------------------
    def open_record(self, record_id: str) -> None:
        """The palette asks for a visit while this one is shown."""
        self.app.switch_screen(VisitDetailScreen(record_id))

    def action_log_outcome(self) -> None:
        from twindesk.screens.outcomes import edit_outcome

        visit = self.desk.visits.get(self.visit_id)
        if visit is not None:
            edit_outcome(self.app, None, {"visit_id": visit.id, "city": visit.city,
                                          "area": visit.areas[0] if visit.areas else "",
                                          "happened_on": visit.end_date.isoformat(), "title": visit.purpose})

    def action_edit(self) -> None:
        from twindesk.screens.visits import edit_visit

        edit_visit(self.app, self.visit_id)

    def action_add(self, key: str) -> None:
        initial = {"day": self.visit.start_date.isoformat()} if key == "itinerary" else None
        edit_part(self.app, PART_BY_KEY[key], self.visit_id, None, initial)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        part = PART_BY_KEY.get(event.data_table.id or "")
        if part is not None and event.row_key.value:
            edit_part(self.app, part, self.visit_id, event.row_key.value)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        focused = self._focused_part()
        if focused is None:
            self.app.push_screen(HistoryScreen(self.visit_id, f"visit {self.title}"))
            return
        part, record_id = focused
        self.app.push_screen(HistoryScreen(record_id, f"{part.noun} {self._describe(part, record_id)}"))

    def _describe(self, part: Part, record_id: str) -> str:
        service = getattr(self.desk, part.service)
        return str(service.describe(service.form_values(record_id)))

    def action_delete_part(self) -> None:
        focused = self._focused_part()
        if focused is None:
            self.notify("Tab to a member, itinerary item or gift first; a visit is deleted from the list.",
                        timeout=4)
            return
        part, record_id = focused
        service = getattr(self.desk, part.service)
        confirm_delete(self.app, service, record_id, part.noun, self._describe(part, record_id))
