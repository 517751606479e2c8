"""One city: its fields, and what the partnership records say about it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from twindesk.screens.live import LiveScreen
from twindesk.widgets.fields import field_lines

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp
    from twindesk.services.cities import CityDetail

# (title, screen mode, desk service): the records listed under a city.
SECTIONS = (
    ("Partnerships", "partnerships", "partnerships"),
    ("Visits", "visits", "visits"),
    ("Invitations", "invitations", "invitations"),
)


def city_lines(city: CityDetail) -> Content:
    rows = [
        ("Hangul", city.hangul),
        ("Province", city.province),
        ("Kind", city.kind),
        ("Industries", ", ".join(city.industries)),
        ("Older spellings", ", ".join(city.romanisations)),
        ("Updated", city.updated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    return field_lines(rows, 16)


class CityDetailScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="city.back"),
        Binding("e", "edit", "Edit", id="city.edit", tooltip="Edit this city"),
        Binding("h", "history", "History", id="city.history", tooltip="Every change to this city"),
    ]

    DEFAULT_CSS = """
    CityDetailScreen #body { padding: 1 2; }
    CityDetailScreen #name { text-style: bold; color: $text-accent; margin-bottom: 1; }
    CityDetailScreen .section { margin-top: 1; text-style: bold; border-bottom: solid $panel; }
    CityDetailScreen #notes { margin-top: 1; }
    CityDetailScreen .records { height: auto; max-height: 12; border: none; }
    """

    def __init__(self, city_id: str) -> None:
        super().__init__()
        self.city_id = city_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Label("", id="name", markup=False)
            yield Static(id="fields")
            yield Label("Notes", classes="section")
            yield Static(id="notes")
            for title, mode, _service in SECTIONS:
                yield Label(title, classes="section")
                yield OptionList(id=f"section-{mode}", markup=False, classes="records")
            yield Label("Outcomes", classes="section")
            yield Label("Outcomes are logged per cooperation area in a later release.", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.show_records()

    def reload(self) -> None:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None
        city = app.desk.cities.get(self.city_id)
        if city is None:
            self.app.pop_screen()
            self.app.notify("That city was deleted.", severity="warning")
            return
        self.title = city.name
        self.sub_title = "City"
        self.query_one("#name", Label).update(f"{city.name}  {city.hangul}".strip())
        self.query_one("#fields", Static).update(city_lines(city))
        self.query_one("#notes", Static).update(Content(city.notes or "—"))
        for title, mode, service in SECTIONS:
            rows = getattr(app.desk, service).for_city(self.city_id)
            widget = self.query_one(f"#section-{mode}", OptionList)
            widget.clear_options()
            if rows:
                widget.add_options(Option("   ".join(c for c in row.cells if c), id=row.id) for row in rows)
            else:
                widget.add_option(Option(f"No {title.lower()} with {city.name} yet.", disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        mode = (event.option_list.id or "").removeprefix("section-")
        if event.option.id:
            app.open_record(mode, event.option.id)

    def action_edit(self) -> None:
        from twindesk.screens.city_form import edit_city

        edit_city(self.app, self.city_id)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.city_id, self.title or "City"))
