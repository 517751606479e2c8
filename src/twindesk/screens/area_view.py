"""The area view: for each programme of a cooperation area, totals by year
and by partner city (from the figure totals; fast at any size)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header

from twindesk import taxonomy
from twindesk.screens.base import DeskScreen
from twindesk.services.money import figure
from twindesk.text import aligned
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.lines_view import LinesView


class AreaViewScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        *[Binding(str(a.number), f"show('{a.key}')", a.name.split()[0]) for a in taxonomy.load().areas],
    ]
    DEFAULT_CSS = """
    AreaViewScreen #body { padding: 0 2; }
    """

    area = "tourism"

    def compose(self) -> ComposeResult:
        yield Header()
        yield LinesView(id="body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#body").focus()

    def action_show(self, area: str) -> None:
        self.area = area
        self.reload(top=True)

    def reload(self, *, top: bool = False) -> None:
        area = taxonomy.load().area(self.area)
        assert area is not None
        self.title = f"Area view: {area.name}"
        totals = self.desk.benefits.programme_totals(self.area)
        lines: list[Content] = []
        for programme in totals:
            lines += [Content(""), Content.styled(programme.name, "bold $text-accent")]
            if not programme.by_year:
                lines.append(Content.styled("  nothing logged yet", "$text-muted"))
                continue
            lines.append(Content.styled("  by year", "bold"))
            lines += [Content(f"    {year}  {measure:<22} {aligned(figure(total, unit))}")
                      for year, measure, total, unit in programme.by_year]
            lines.append(Content.styled("  by partner city", "bold"))
            lines += [Content(f"    {city:<14} {measure:<22} {aligned(figure(total, unit))}")
                      for city, measure, total, unit in programme.by_city[:30]]
        self.query_one("#body", LinesView).set_lines(lines, top=top)
