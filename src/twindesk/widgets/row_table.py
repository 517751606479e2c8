"""RowTable: a small table of rows a service gives (a detail screen's section).

Cells are Rich Text, so user text is never read as markup. Column widths
are measured here, in terminal cells (Hangul is two), and set when the
table is filled: Textual's DataTable measures them itself when idle, and a
frame drawn before that (a refill on returning from a form) keeps the old
widths. This is the one place that fix lives.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from twindesk.services.listing import Row
from twindesk.text import clean

MAX_COLUMN_WIDTH = 48
TONES = {"warning": "bold yellow", "error": "bold red"}


class RowTable(DataTable[Any]):
    DEFAULT_CSS = "RowTable { height: auto; max-height: 12; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def fill(self, headers: tuple[str, ...], rows: list[Row]) -> None:
        keep = self.current_key
        cells = [tuple(Text(clean(c).replace("\t", " "), style=TONES.get(r.tone, "")) for c in r.cells) for r in rows]
        self.clear(columns=True)
        for i, title in enumerate(headers):
            width = max([len(title), *(c[i].cell_len for c in cells if i < len(c))])
            self.add_column(title, width=min(width, MAX_COLUMN_WIDTH))
        for row, row_cells in zip(rows, cells, strict=True):
            self.add_row(*row_cells[: len(headers)], key=row.id)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))

    @property
    def current_key(self) -> str | None:
        if self.row_count == 0:
            return None
        value = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return str(value) if value is not None else None
