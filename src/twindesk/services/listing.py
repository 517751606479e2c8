"""Paged queries: what every list in the app shows, fetched a page at a time.

A list never loads a table to show part of it: it asks for the row count and
for the rows at an offset, and the widget renders only what is visible.
Rows come out as plain tuples of text, never ORM objects.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from twindesk.text import like_pattern, search_terms


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int  # in terminal cells; the widget gives spare room to the last column
    sort_sql: str | None = None  # None: not sortable


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[str, ...]
    tone: str = ""  # "", "warning" or "error": the widget picks the colour
    label: str = ""  # how a message names the record ("Busan Sea Festival 2027")


class PagedQuery:
    """Base of every list query. Subclasses give `columns`, `base_sql` (a FROM
    ... WHERE fragment, live rows only), `search_columns` and `select_sql`.

    `link = (column, id)` lists only the rows whose column names that record
    (one city's visits, one visit's outcomes): the sections of a detail screen."""

    columns: tuple[Column, ...] = ()
    alias = ""  # the table's alias in base_sql, e.g. "v."
    base_sql = ""
    search_columns: tuple[str, ...] = ()
    select_sql = ""

    def __init__(self, reader: Any) -> None:
        self._reader = reader  # a callable returning this thread's sqlite3 connection
        self.text = ""
        self.sort = next((i for i, c in enumerate(self.columns) if c.sort_sql), 0)
        self.descending = False
        self.link: tuple[str, str] | None = None

    # Filters --------------------------------------------------------------
    def extra_filters(self) -> tuple[list[str], list[Any]]:
        return [], []

    def _where(self) -> tuple[str, list[Any]]:
        clauses, params = self.extra_filters()
        clauses, params = [*clauses, *self.link_filter()[0]], [*params, *self.link_filter()[1]]
        for term in search_terms(self.text):
            ors = " OR ".join(f"{col} LIKE ? ESCAPE '\\'" for col in self.search_columns)
            clauses.append(f"({ors})")
            params.extend([like_pattern(term)] * len(self.search_columns))
        where = " AND ".join(clauses)
        return (f" AND {where}" if where else ""), params

    def link_filter(self) -> tuple[list[str], list[Any]]:
        if self.link is None:
            return [], []
        column, ident = self.link
        if not column.isidentifier():
            raise ValueError(f"not a column: {column!r}")
        return [f"{self.alias}{column} = ?"], [ident]

    # Sorting --------------------------------------------------------------
    def cycle_sort(self) -> Column:
        sortable = [i for i, c in enumerate(self.columns) if c.sort_sql]
        self.sort = sortable[(sortable.index(self.sort) + 1) % len(sortable)] if self.sort in sortable else sortable[0]
        self.descending = False
        return self.columns[self.sort]

    def _order(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f" ORDER BY {self.columns[self.sort].sort_sql} {direction}, {self.id_sql} {direction}"

    id_sql = "id"

    # Reading --------------------------------------------------------------
    def count(self) -> int:
        where, params = self._where()
        return self._conn().execute(f"SELECT count(*) {self.base_sql}{where}", params).fetchone()[0]

    def fetch(self, offset: int, limit: int) -> list[Row]:
        where, params = self._where()
        sql = f"SELECT {self.select_sql} {self.base_sql}{where}{self._order()} LIMIT ? OFFSET ?"
        return [self.to_row(r) for r in self._conn().execute(sql, [*params, limit, offset])]

    def flag_conflicts(self, rows: list[Row]) -> list[Row]:
        """Rows of records that wait for a choice in the conflict queue say so."""
        if not rows:
            return rows
        marks = ",".join("?" * len(rows))
        flagged = {r[0] for r in self._conn().execute(
            f"SELECT DISTINCT record_id FROM conflict WHERE record_id IN ({marks}) AND open = 1 "
            "AND (protected = 1 OR kind <> 'field')", [row.id for row in rows])}
        if not flagged:
            return rows
        # First in the last column: that column is cut at the screen's edge, the mark must not be.
        return [replace(row, cells=(*row.cells[:-1], f"⚠ in conflict  {row.cells[-1]}".strip()), tone="error")
                if row.id in flagged else row for row in rows]

    def to_row(self, r: sqlite3.Row) -> Row:
        raise NotImplementedError

    def _conn(self) -> sqlite3.Connection:
        return self._reader()
