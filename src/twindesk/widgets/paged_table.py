"""PagedTable: a table that shows any number of rows by fetching pages.

A Line-API widget: its virtual height is the row count, and it renders only
the visible lines, from a small cache of pages fetched from a `PagedQuery`.
A list of 100,000 visits costs the same memory and time as a list of 100.
Cells are drawn as plain segments, so user text is never read as markup.

As in toolong's log view, `render_line` only reads the cache. On a big
table, counting and fetching pages run on one background thread
(`rows_loader`), from a copy of the query taken when it was asked for; a
newer request replaces one not yet started, and a result that no longer
matches the current generation (the filter changed meanwhile) is dropped.
A small table (`INLINE_ROWS`) is read in place: its queries cost far less
than a frame, and its rows are on screen in the keystroke's own frame.

A filter that matches most of a big table (one letter) is counted roughly
(`PagedQuery.rough_count`): its first page shows at once with "5,000+",
and the exact count follows once typing pauses (`EXACT_COUNT_DELAY`), or at
once when `end` needs it.
"""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from twindesk.services.listing import PagedQuery, Row
from twindesk.text import clean

PAGE_SIZE = 100
CACHED_PAGES = 12
GAP = 2
INLINE_ROWS = 2_000  # tables up to this many rows are read on the UI thread (~1 ms a query)
EXACT_COUNT_DELAY = 0.5  # seconds without a new filter before a rough count is made exact

_loader: ThreadPoolExecutor | None = None
_loader_lock = threading.Lock()


def rows_loader() -> ThreadPoolExecutor:
    """The one thread every PagedTable reads through: one SQLite connection,
    and two lists never compete for the two cores with the UI."""
    global _loader
    with _loader_lock:
        if _loader is None:
            _loader = ThreadPoolExecutor(1, thread_name_prefix="twindesk-rows")
        return _loader


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells (Hangul is two), with … when cut."""
    if width <= 0:
        return ""
    # Stored text is already clean; cleaning again costs little for the
    # visible rows and keeps escape sequences out even of a foreign file.
    text = clean(text).replace("\t", " ")
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class PagedTable(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", id="list.open", tooltip="Open the highlighted row"),
        Binding("s", "sort", "Sort", id="list.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse", "Reverse", show=False, id="list.reverse"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--warning",
        "paged-table--error",
        "paged-table--empty",
    }

    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    PagedTable > .paged-table--header { text-style: bold; color: $text-accent; background: $panel; }
    PagedTable > .paged-table--cursor { background: $surface-lighten-1; }
    PagedTable:focus > .paged-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    PagedTable > .paged-table--warning { color: $text-warning; }
    PagedTable > .paged-table--error { color: $text-error; text-style: bold; }
    PagedTable > .paged-table--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Selected(Message):
        def __init__(self, table: PagedTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Highlighted(Message):
        def __init__(self, table: PagedTable, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Counted(Message):
        """The rows of the current query are counted and its first page shown."""

        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

    class RowsLoaded(Message):
        bubble = False

        def __init__(self, generation: int, count: int, exact: bool, first: list[Row], keep_cursor: bool) -> None:
            super().__init__()
            self.generation, self.count, self.exact, self.first = generation, count, exact, first
            self.keep_cursor = keep_cursor

    class Recounted(Message):
        bubble = False

        def __init__(self, generation: int, count: int) -> None:
            super().__init__()
            self.generation, self.count = generation, count

    class PageLoaded(Message):
        bubble = False

        def __init__(self, generation: int, page_no: int, rows: list[Row]) -> None:
            super().__init__()
            self.generation, self.page_no, self.rows = generation, page_no, rows

    def __init__(
        self, query: PagedQuery, *, empty_text: str = "Nothing here yet.", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.source = query
        self.empty_text = empty_text
        self.row_count = 0
        self.count_exact = True  # False: row_count is a lower bound (a rough count, see reload)
        self._to_end = False  # `end` waits for the exact count
        self._pages: LRUCache[int, list[Row]] = LRUCache(CACHED_PAGES)
        self._loaded = False
        self.generation = 0  # bumped by every reload; older results are dropped
        self._in_place = False  # the current snapshot's table is small: read on the UI thread
        self._snapshot: PagedQuery = query
        self._lock = threading.Lock()
        self._job: tuple[int, PagedQuery, bool] | None = None  # the newest count not yet started
        self._recount: int | None = None  # the generation whose rough count is to be made exact
        self._wanted: dict[int, int] = {}  # page -> generation, pages asked for and not yet read
        self._serving = False

    # Data -------------------------------------------------------------
    def reload(self, *, keep_cursor: bool = True) -> None:
        """Re-count and drop cached pages: call after the query or data changed."""
        self.generation += 1
        snapshot = copy.copy(self.source)
        self._snapshot = snapshot
        self._to_end = False
        self._in_place = self._inline(snapshot)
        if self._in_place:
            count = snapshot.count()
            self._apply(count, True, self._first_page(snapshot, count), keep_cursor)
            return
        with self._lock:
            self._job = (self.generation, snapshot, keep_cursor)
            self._recount = None
            self._wanted.clear()
        self._serve_soon()

    def _inline(self, query: PagedQuery) -> bool:
        return query.size_hint() <= INLINE_ROWS

    @staticmethod
    def _first_page(query: PagedQuery, count: int) -> list[Row]:
        return query.flag_conflicts(query.fetch(0, PAGE_SIZE)) if count else []

    def _set_count(self, count: int, exact: bool) -> None:
        self.row_count, self.count_exact = count, exact
        if not exact:
            self.set_timer(EXACT_COUNT_DELAY, lambda generation=self.generation: self._count_exactly(generation))
        self.virtual_size = Size(self.size.width, count + 1)

    def _apply(self, count: int, exact: bool, first: list[Row], keep_cursor: bool) -> None:
        self._pages.clear()
        self._set_count(count, exact)
        if count:
            self._pages.set(0, first)
        self._loaded = True
        target = self.cursor if keep_cursor else 0
        self.cursor = max(0, min(target, self.row_count - 1))
        self.refresh()
        self.post_message(self.Counted(self))

    def on_paged_table_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        if message.generation == self.generation:
            self._apply(message.count, message.exact, message.first, message.keep_cursor)

    def _count_exactly(self, generation: int) -> None:
        if generation != self.generation or self.count_exact:
            return
        with self._lock:
            self._recount = generation
        self._serve_soon()

    def on_paged_table_recounted(self, message: Recounted) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._set_count(message.count, True)
        if self._to_end:
            self._to_end = False
            self.cursor = max(0, self.row_count - 1)
        self.refresh()
        self.post_message(self.Counted(self))

    def on_paged_table_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._pages.set(message.page_no, message.rows)
        self.refresh()
        if self.cursor // PAGE_SIZE == message.page_no:
            self.post_message(self.Highlighted(self, self.current))

    def _serve_soon(self) -> None:
        with self._lock:
            if self._serving:
                return
            self._serving = True
        rows_loader().submit(self._serve)

    def _serve(self) -> None:
        """On the loader thread: the newest count first, then the pages asked
        for by the current generation, then an exact count; stale requests
        are skipped, not run."""
        while True:
            with self._lock:
                job, self._job = self._job, None
                page: tuple[int, int] | None = None
                recount: int | None = None
                if job is None:
                    page = next(((p, g) for p, g in self._wanted.items() if g == self.generation), None)
                if job is None and page is None:
                    recount, self._recount = self._recount, None
                    if recount != self.generation:
                        self._wanted.clear()
                        self._serving = False
                        return
                snapshot = self._snapshot
            try:
                if job is not None:
                    generation, query, keep_cursor = job
                    if generation != self.generation:
                        continue
                    count, exact = query.rough_count()
                    first = self._first_page(query, count)
                    self.post_message(self.RowsLoaded(generation, count, exact, first, keep_cursor))
                elif page is not None:
                    page_no, generation = page
                    rows = snapshot.flag_conflicts(snapshot.fetch(page_no * PAGE_SIZE, PAGE_SIZE, self._total()))
                    with self._lock:
                        self._wanted.pop(page_no, None)
                    self.post_message(self.PageLoaded(generation, page_no, rows))
                elif recount is not None:
                    self.post_message(self.Recounted(recount, snapshot.count()))
            except Exception as error:  # told on the UI thread (a damaged page, a bug): the app goes on
                with self._lock:
                    self._wanted.clear()
                    self._serving = False
                try:
                    self.app.call_from_thread(self._failed, error)
                except RuntimeError:  # the app has closed meanwhile
                    pass
                return

    def _failed(self, error: Exception) -> None:
        """A list that cannot be read says so; raising here would end the
        app with a traceback that shows the rows' values."""
        from twindesk.failures import explain

        self.notify(explain(error, "reading the list"), severity="error", markup=False, timeout=15)

    def row_at(self, index: int) -> Row | None:
        """The row at `index` if its page is in the cache; otherwise None, and
        the page is asked for (read in place on a small table)."""
        if not 0 <= index < self.row_count:
            return None
        page_no, within = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            if self._in_place:
                query = self._snapshot
                page = query.flag_conflicts(query.fetch(page_no * PAGE_SIZE, PAGE_SIZE, self._total()))
                self._pages.set(page_no, page)
            else:
                self._want(page_no)
                return None
        return page[within] if within < len(page) else None

    def _total(self) -> int | None:
        """The row count when exact: pages past the middle are then read from the end."""
        return self.row_count if self.count_exact else None

    def _want(self, page_no: int) -> None:
        with self._lock:
            if page_no in self._wanted:
                return
            self._wanted[page_no] = self.generation
        self._serve_soon()

    @property
    def current(self) -> Row | None:
        return self.row_at(self.cursor)

    # Lifecycle ----------------------------------------------------------
    def on_mount(self) -> None:
        if not self._loaded:
            # Keeps a cursor the screen set before the first rows arrived.
            self.reload(keep_cursor=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count + 1)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    # Actions ------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if self.row_count:
            self.cursor = max(0, min(self.row_count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 2))

    def action_jump(self, index: int) -> None:
        if index < 0 and not self.count_exact:
            self._to_end = True  # the last row is known once counted
            self._count_exactly(self.generation)
            return
        self._to_end = False
        if self.row_count:
            self.cursor = self.row_count - 1 if index < 0 else index

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row))

    def action_sort(self) -> None:
        column = self.source.cycle_sort()
        self.reload(keep_cursor=False)
        self.notify(f"Sorted by {column.title}", timeout=2)

    def action_reverse(self) -> None:
        self.source.descending = not self.source.descending
        self.reload(keep_cursor=False)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = round(self.scroll_y) + event.y - 1
            if index < self.row_count:
                self.cursor = index
                if event.chain >= 2:
                    self.action_select()

    # Rendering ----------------------------------------------------------
    def _widths(self, width: int) -> list[int]:
        columns = self.source.columns
        widths = [c.width for c in columns]
        fixed = sum(widths[:-1]) + GAP * (len(widths) - 1)
        widths[-1] = max(widths[-1] if fixed + widths[-1] > width else width - fixed, 4)
        return widths

    def _line(self, cells: tuple[str, ...], width: int) -> str:
        parts = [fit(text, w) for text, w in zip(cells, self._widths(width), strict=False)]
        return set_cell_size((" " * GAP).join(parts), width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            titles = []
            for i, column in enumerate(self.source.columns):
                mark = (" ▼" if self.source.descending else " ▲") if i == self.source.sort and column.sort_sql else ""
                titles.append(column.title + mark)
            style = self.get_component_rich_style("paged-table--header")
            return Strip([Segment(self._line(tuple(titles), width), base + style)], width)
        index = round(self.scroll_y) + y - 1
        if self.row_count == 0:
            if y == 1:
                style = self.get_component_rich_style("paged-table--empty")
                return Strip([Segment(fit(" " + self.empty_text, width), base + style)], width)
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:  # its page is on its way
            return Strip.blank(width, base)
        style = base
        if row.tone:
            style += self.get_component_rich_style(f"paged-table--{row.tone}")
        if index == self.cursor:
            style += self.get_component_rich_style("paged-table--cursor")
        return Strip([Segment(self._line(row.cells, width), style)], width)
