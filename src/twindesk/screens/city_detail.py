"""One city: its fields, and what the partnership records say about it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp
    from twindesk.services.cities import CityDetail

SECTIONS = ("Partnerships", "Visits", "Invitations", "Outcomes")


def field_lines(city: CityDetail) -> Content:
    """Label: value lines; values are user text, kept out of markup."""
    rows = [
        ("Hangul", city.hangul),
        ("Province", city.province),
        ("Kind", city.kind),
        ("Industries", ", ".join(city.industries)),
        ("Older spellings", ", ".join(city.romanisations)),
        ("Updated", city.updated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    parts = []
    for label, value in rows:
        parts.append(Content.styled(f"{label:<16}", "bold $text-muted"))
        parts.append(Content(value or "—"))
        parts.append(Content("\n"))
    return Content("").join(parts)


class CityDetailScreen(Screen[None]):
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
            for section in SECTIONS:
                yield Label(section, classes="section")
                yield Label(f"No {section.lower()} recorded yet.", classes="muted", id=f"section-{section.lower()}")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

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
        self.query_one("#fields", Static).update(field_lines(city))
        self.query_one("#notes", Static).update(Content(city.notes or "—"))

    def action_edit(self) -> None:
        from twindesk.screens.city_form import edit_city

        edit_city(self.app, self.city_id)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.city_id, self.title or "City"))
