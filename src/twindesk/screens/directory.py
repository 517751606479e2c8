"""The Korean city directory: filter as you type, an industry facet, open a city."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from twindesk.screens.live import LiveScreen
from twindesk.widgets.filter_input import FilterInput
from twindesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from twindesk.app import TwindeskApp

ALL_INDUSTRIES = "\x00all"


class DirectoryScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="directory.filter", tooltip="Type to filter the cities"),
        Binding("f", "facets", "Industries", id="directory.facets", tooltip="Filter by one industry"),
        Binding("x", "clear", "Clear filters", id="directory.clear"),
        Binding("e", "edit", "Edit", id="directory.edit", tooltip="Edit the highlighted city"),
        Binding("m", "finder", "Partner finder", id="directory.finder",
                tooltip="Rank the cities as partners for your home city"),
    ]

    DEFAULT_CSS = """
    DirectoryScreen #filter { margin: 0 1; }
    DirectoryScreen #status { padding: 0 2; color: $text-muted; height: 1; }
    DirectoryScreen #side { width: 34; border-left: solid $panel; }
    DirectoryScreen #side Label { padding: 0 1; text-style: bold; color: $text-accent; }
    DirectoryScreen #facets { height: 1fr; border: none; }
    """

    def compose(self) -> ComposeResult:
        app: TwindeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None
        self.cities = app.desk.cities
        yield Header()
        with Horizontal():
            with Vertical(id="main"):
                yield FilterInput(
                    self.apply_filter,
                    self.table_focus,
                    placeholder="Filter: name, 한글, initials like ㅈㅈ, Pusan, province, industry   ( / )",
                    id="filter",
                )
                yield PagedTable(self.cities.query(), empty_text="No city matches this filter.", id="cities")
                yield Label("", id="status", markup=False)
            with Vertical(id="side"):
                yield Label("Industries (f)")
                yield OptionList(id="facets", markup=False)
        yield Footer()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#cities", PagedTable)

    def on_mount(self) -> None:
        self.title = "City directory"
        self.sub_title = "Korean cities of the proposal"
        self.load_facets()
        self.update_status()
        self._seen_version = self._data_version()
        self.table.focus()

    def reload(self) -> None:
        self.table.reload()
        self.load_facets()
        self.update_status()

    def load_facets(self) -> None:
        facets = self.query_one("#facets", OptionList)
        highlighted = facets.highlighted
        total = self.cities.query().count()
        facets.clear_options()
        facets.add_option(Option(f"{total:>2}  All industries", id=ALL_INDUSTRIES))
        for facet in self.cities.facets():
            facets.add_option(Option(f"{facet.count:>2}  {facet.name}", id=facet.name))
        if highlighted is not None and highlighted < facets.option_count:
            facets.highlighted = highlighted

    def update_status(self) -> None:
        query = self.table.query
        total = self.table.row_count
        parts = [f"{total} {'city' if total == 1 else 'cities'}"]
        if query.industry:
            parts.append(f"industry: {query.industry}")
        if query.text.strip():
            parts.append(f"filter: {query.text.strip()}")
        self.query_one("#status", Label).update("  ·  ".join(parts))

    # Events ---------------------------------------------------------------
    def table_focus(self) -> None:
        self.table.focus()

    def apply_filter(self, text: str) -> None:
        self.table.query.text = text
        self.table.reload(keep_cursor=False)
        self.update_status()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.table.query.industry = None if option_id in (None, ALL_INDUSTRIES) else option_id
        self.table.reload(keep_cursor=False)
        self.update_status()
        self.table.focus()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from twindesk.screens.city_detail import CityDetailScreen

        self.app.push_screen(CityDetailScreen(event.row.id))

    # Actions --------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_facets(self) -> None:
        facets = self.query_one("#facets", OptionList)
        if facets.highlighted is None:
            facets.highlighted = 0
        facets.focus()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.table.query.text = ""
        self.table.query.industry = None
        self.table.reload(keep_cursor=False)
        self.update_status()
        self.table.focus()

    def action_finder(self) -> None:
        from twindesk.screens.partner_finder import PartnerFinderScreen

        self.app.push_screen(PartnerFinderScreen())

    def action_edit(self) -> None:
        from twindesk.screens.city_form import edit_city

        row = self.table.current
        if row is not None:
            edit_city(self.app, row.id)
