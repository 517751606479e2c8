"""LinesView: a scrolling page of one-row lines that draws only the lines on screen.

A Static holding a long page lays out and draws every line of it, on screen
or not: at 100,000 outcomes the area view's 172 lines cost its first frame
~6 ms more than the 47 it had at 100 (`python benchmarks/screens.py`). Here
each line is one row (never wrapped, cut at the right edge, scrolled
sideways if wider), so the page's height is its number of lines and a frame
draws the ~35 that show.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual


class LinesView(ScrollView, can_focus=True):
    # Arrows, page keys, home and end come from ScrollableContainer; these as in the lists.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Up", show=False),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]
    DEFAULT_CSS = """
    LinesView { height: 1fr; text-wrap: nowrap; text-overflow: clip; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Content] = []

    @property
    def lines(self) -> list[Content]:
        return self._lines

    def set_lines(self, lines: list[Content], *, top: bool = False) -> None:
        """Show `lines` (user text in them must be plain Content, never markup).
        With `top`, from the first line; else the scroll position stays."""
        self._lines = lines
        self.virtual_size = Size(max((line.cell_length for line in lines), default=0), len(lines))
        if top:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[index]
        strip = Visual.to_strips(self, line, max(line.cell_length, 1), 1, self.visual_style)[0]
        left = round(self.scroll_x)
        return strip.crop_extend(left, left + width, self.rich_style)
