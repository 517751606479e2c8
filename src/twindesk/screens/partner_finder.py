"""The partner finder: Korean cities ranked against the home city, with reasons;
and the home city profile form it depends on."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Label

from twindesk.screens.base import LiveScreen, desk_app
from twindesk.screens.record_actions import edit_record
from twindesk.services.home import HOME_FIELDS
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.form import FormScreen


def edit_home(app: App[Any], *, first_start: bool = False) -> None:
    twindesk = desk_app(app.screen)
    desk = twindesk.desk
    assert desk is not None
    title = "Welcome! Which city do you work for?" if first_start else "Your home city"

    def saved(result: object) -> None:
        if result is not None:
            app.notify("Home city saved.", timeout=3)
            twindesk.refresh_data()
        elif first_start:
            app.notify("You can set your home city later from the partner finder (m in the directory).", timeout=6)

    def save(values: dict[str, Any], _base: dict[str, Any]) -> bool:
        desk.home.save(values)
        return True

    app.push_screen(FormScreen(title, HOME_FIELDS, desk.home.form_values(), save=save, check=desk.home.validate),
                    saved)


class PartnerFinderScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "start", "Start partnership", id="finder.start",
                tooltip="Open a new partnership with the highlighted city, at stage research"),
        Binding("e", "home", "Home city", id="finder.home", tooltip="Edit your home city's profile"),
    ]

    DEFAULT_CSS = """
    PartnerFinderScreen #profile { padding: 0 2; color: $text-muted; height: auto; }
    PartnerFinderScreen DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="profile", markup=False)
        yield DataTable(id="matches", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Partner finder"
        table = self.query_one(DataTable)
        table.add_columns("#", "City", "한글", "Score", "Why")
        self.show_records()
        table.focus()

    def reload(self) -> None:
        desk = self.desk
        home = desk.home.profile
        label = self.query_one("#profile", Label)
        if desk.home.is_set:
            label.update(f"{home.name}, {home.country}: {', '.join(home.industries)}   (e edits)")
        else:
            label.update("No home city yet: press e to describe it, then the ranking uses its industries.")
        table = self.query_one(DataTable)
        table.clear()
        for rank, match in enumerate(desk.matches.ranked(), start=1):
            table.add_row(Text(str(rank)), Text(match.name), Text(match.hangul), Text(str(match.score)),
                          Text(match.reason), key=match.name)

    def action_start(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            edit_record(self.app, "partnership", None, initial={"city": name, "stage": "research"})

    def on_data_table_row_selected(self) -> None:
        self.action_start()

    def action_home(self) -> None:
        edit_home(self.app)
