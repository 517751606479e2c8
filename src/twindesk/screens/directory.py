"""The Korean city directory: a record list with an industry facet beside it,
and the partner finder one key away."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, OptionList
from textual.widgets.option_list import Option

from twindesk.screens.record_list import RecordListScreen
from twindesk.services.cities import CityQuery
from twindesk.widgets.footer import KeysFooter

ALL_INDUSTRIES = "\x00all"


class DirectoryScreen(RecordListScreen):
    kind_key = "city"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "facets", "Industries", id="directory.facets", tooltip="Filter by one industry"),
        Binding("m", "finder", "Partner finder", id="directory.finder",
                tooltip="Rank the cities as partners for your home city"),
    ]

    DEFAULT_CSS = """
    DirectoryScreen #side { width: 34; border-left: solid $panel; }
    DirectoryScreen #side Label { padding: 0 1; text-style: bold; color: $text-accent; }
    DirectoryScreen #facets { height: 1fr; border: none; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="main"):
                yield from self.list_parts()
            with Vertical(id="side"):
                yield Label("Industries (f)")
                yield OptionList(id="facets", markup=False)
        yield KeysFooter()

    @property
    def cities(self) -> CityQuery:
        query = self.table.source
        assert isinstance(query, CityQuery)
        return query

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Korean cities of the proposal"
        self.load_facets()

    def reload(self) -> None:
        super().reload()
        self.load_facets()

    def load_facets(self) -> None:
        facets = self.query_one("#facets", OptionList)
        highlighted = facets.highlighted
        total = self.desk.cities.query().count()
        facets.clear_options()
        facets.add_option(Option(f"{total:>2}  All industries", id=ALL_INDUSTRIES))
        for facet in self.desk.cities.facets():
            facets.add_option(Option(f"{facet.count:>2}  {facet.name}", id=facet.name))
        if highlighted is not None and highlighted < facets.option_count:
            facets.highlighted = highlighted

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        if self.cities.industry:
            parts.insert(1, f"industry: {self.cities.industry}")
        return parts

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.cities.industry = None if option_id in (None, ALL_INDUSTRIES) else option_id
        self.table.reload(keep_cursor=False)
        self.update_status()
        self.table.focus()

    def clear_filters(self) -> None:
        self.cities.industry = None

    def action_facets(self) -> None:
        facets = self.query_one("#facets", OptionList)
        if facets.highlighted is None:
            facets.highlighted = 0
        facets.focus()

    def action_finder(self) -> None:
        from twindesk.screens.partner_finder import PartnerFinderScreen

        self.app.push_screen(PartnerFinderScreen())
