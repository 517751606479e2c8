"""Paged queries: what every list in the app shows, fetched a page at a time.

A list never loads a table to show part of it: it asks for the row count and
for the rows at an offset, and the widget renders only what is visible.
Rows come out as plain tuples of text, never ORM objects.

A big table's filter goes through its trigram index (`fts`, schema 3 and
6): a term of three characters or more is a phrase of trigrams; a shorter
term is any trigram that starts with it (the indexed texts end in two
spaces, so every occurrence starts a trigram), found in the index's
vocabulary. A one-character term found in few trigrams and rows ("z", "부")
goes the same way; one found nearly everywhere ("e", "b") is tested on the
rows instead (see fts_match): its page comes from a short walk in sort
order, and `rough_count` counts its first ROUGH matches only, since a full
count is one straight read of the table (~25-55 ms at 100,000).

Pages past the middle of a list are read from its end in reverse order,
so `end` costs what `home` does; a page deep in the middle still uses
OFFSET (see benchmarks/screens.py for what that costs).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from twindesk.text import like_pattern, search_terms

TRIGRAM = 3
SAMPLE = 500  # rows read in sort order to judge whether a filter matches many
WALK_SHARE = 0.02  # at least this share of the sample matches: walk the sort index for a page
NOTHING = "0"  # SQL for a filter that cannot match
RARE_GRAMS = 8  # a one-character term in at most this many trigrams ...
RARE_ROWS = 30_000  # ... of at most this many rows in all goes through the index
ROUGH = 5_000  # a count that would read every row stops at this many matches
# A question in the conflict queue that marks its record "in conflict"
# everywhere (list, detail, dashboard): a protected field, a record deleted
# on one copy and edited on another, or a possible duplicate.
MARKS_RECORD = "open = 1 AND (protected = 1 OR kind <> 'field')"


def marked_records(conn: sqlite3.Connection, record_ids: list[str]) -> set[str]:
    """Which of these records are marked "in conflict"."""
    if not record_ids:
        return set()
    marks = ",".join("?" * len(record_ids))
    return {r[0] for r in conn.execute(
        f"SELECT DISTINCT record_id FROM conflict WHERE record_id IN ({marks}) AND {MARKS_RECORD}", record_ids)}


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_match(conn: sqlite3.Connection, fts: str, terms: list[str]) -> tuple[str | None, list[str]]:
    """An FTS5 query for `terms` on the trigram index `fts` (None when no
    term goes through it, NOTHING when a term occurs nowhere), and the
    one-character terms left to test row by row.

    A term under three characters is any trigram that starts with it: a
    short range of the index's vocabulary (~1 ms for two characters). A
    one-character term's range is read only as far as RARE_GRAMS: a rare
    character ("z", "부") is in a few trigrams of few rows and the index
    finds them; a common one is in most rows, and testing the rows read in
    sort order finds a page after a few of them."""
    parts: list[str] = []
    single: list[str] = []
    for term in terms:
        if len(term) >= TRIGRAM:
            parts.append(_phrase(term))
            continue
        upper = term[:-1] + chr(ord(term[-1]) + 1)
        if len(term) == 1:
            found = conn.execute(f"SELECT term, doc FROM {fts}_terms WHERE term >= ? AND term < ? LIMIT ?",
                                 (term, upper, RARE_GRAMS + 1)).fetchall()
            if len(found) > RARE_GRAMS or sum(row[1] for row in found) > RARE_ROWS:
                single.append(term)
                continue
            grams = [row[0] for row in found]
        else:
            grams = [row[0] for row in conn.execute(f"SELECT term FROM {fts}_terms WHERE term >= ? AND term < ?",
                                                    (term, upper))]
        if not grams:
            return NOTHING, []
        parts.append("(" + " OR ".join(_phrase(g) for g in grams) + ")")
    return (" AND ".join(parts) or None), single


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
    table = ""  # the listed table, when it can grow large (size_hint)
    fts = ""  # its trigram index (rowid = the row's rowid; live rows only), if it has one
    walk_index = ""  # the index that gives the first sort column's order, for lists that match much
    city_column = ""  # with fts: the row's city, whose search line the index also holds
    dated = False  # its first column is a date: a detail screen's section lists it newest first

    def __init__(self, reader: Any) -> None:
        self._reader = reader  # a callable returning this thread's sqlite3 connection
        self.text = ""
        self.sort = next((i for i, c in enumerate(self.columns) if c.sort_sql), 0)
        self.descending = False
        self.link: tuple[str, str] | None = None
        self._matched: tuple[tuple[Any, ...], tuple[str | None, list[str]]] | None = None

    # Filters --------------------------------------------------------------
    def _match(self) -> tuple[str | None, list[str]]:
        """fts_match for the current text, looked up once per text and data
        version (a count and each page would otherwise read the vocabulary again)."""
        conn = self._conn()
        key = (self.text, id(conn), conn.execute("PRAGMA data_version").fetchone()[0])
        if self._matched is None or self._matched[0] != key:
            self._matched = (key, fts_match(conn, self.fts, search_terms(self.text)))
        return self._matched[1]

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        return [], []

    def _where(self, row_wise: bool = False) -> tuple[str, list[Any]]:
        """The filter as SQL. With a trigram index, terms are a set of rowids
        from it; `row_wise`, they are tested on each row read instead (cheaper
        when rows are read in sort order and most of them match)."""
        clauses, params = self.extra_filters()
        clauses, params = [*clauses, *self.link_filter()[0]], [*params, *self.link_filter()[1]]
        terms = search_terms(self.text)
        if self.fts:
            match, single = self._match()
            if match == NOTHING:
                clauses.append(NOTHING)
            elif match is not None and not row_wise:
                clauses.append(f"{self.alias}rowid IN (SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH ?)")
                params.append(match)
            for term in terms if row_wise else single:
                # Both sides are folded, so a plain substring test is exact;
                # the 33 cities are tested once, not once per row.
                clauses.append(f"(instr({self.alias}search, ?) OR {self.city_column} IN "
                               "(SELECT id FROM city WHERE instr(search, ?)))")
                params.extend([term, term])
        else:
            for term in terms:
                ors = " OR ".join(f"{col} LIKE ? ESCAPE '\\'" for col in self.search_columns)
                clauses.append(f"({ors})")
                params.extend([like_pattern(term)] * len(self.search_columns))
        where = " AND ".join(clauses)
        return (f" AND {where}" if where else ""), params

    def _source(self, hint: str) -> str:
        """base_sql with an index hint ("INDEXED BY ix", "NOT INDEXED") on the listed table."""
        table, alias = self.base_sql.split()[1], self.alias.rstrip(".")
        return self.base_sql.replace(f"FROM {table} {alias}", f"FROM {table} {alias} {hint}", 1)

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

    def _order(self, flip: bool = False) -> str:
        direction = "DESC" if self.descending != flip else "ASC"
        return f" ORDER BY {self.columns[self.sort].sort_sql} {direction}, {self.id_sql} {direction}"

    id_sql = "id"

    # Reading --------------------------------------------------------------
    def size_hint(self) -> int:
        """About how many rows the table holds (its highest rowid: one index
        seek); 0 for the small tables that name none."""
        if not self.table:
            return 0
        return self._conn().execute(f"SELECT coalesce(max(rowid), 0) FROM {self.table}").fetchone()[0]

    def count(self) -> int:
        where, params = self._where()
        conn = self._conn()
        if self._impossible(where):
            return 0
        if not self.fts:
            return conn.execute(f"SELECT count(*) {self.base_sql}{where}", params).fetchone()[0]
        match, single = self._match()
        if not where and self.walk_index:
            # Every live row: the partial index holds exactly those.
            return conn.execute(f"SELECT count(*) FROM {self.table} INDEXED BY {self.walk_index} "
                                "WHERE deleted_at IS NULL").fetchone()[0]
        if match not in (None, NOTHING) and not single and self._fts_only(where):
            # The index holds live rows only: it counts them by itself.
            return conn.execute(f"SELECT count(*) FROM {self.fts} WHERE {self.fts} MATCH ?", params).fetchone()[0]
        if (match is None and single) or match not in (None, NOTHING):
            # Only one-character terms: one straight read (see fts_match).
            # Or the index's matches, fetched by rowid: NOT INDEXED keeps
            # SQLite from walking a date index row by row instead.
            return conn.execute(f"SELECT count(*) {self._source('NOT INDEXED')}{where}", params).fetchone()[0]
        return conn.execute(f"SELECT count(*) {self.base_sql}{where}", params).fetchone()[0]

    def rough_count(self) -> tuple[int, bool]:
        """The row count, and whether it is exact. When counting would read
        every row (the only terms are one-character ones found nearly
        everywhere), only the first ROUGH matches are counted: a few
        thousand rows read instead of all, and the list shows its first
        page at once; `count` gives the exact figure later."""
        match, single = self._match() if self.fts else (None, [])
        if match is not None or not single:
            return self.count(), True
        where, params = self._where()
        n = self._conn().execute(f"SELECT count(*) FROM (SELECT 1 {self._source('NOT INDEXED')}{where} LIMIT {ROUGH})",
                                 params).fetchone()[0]
        return n, n < ROUGH

    @staticmethod
    def _impossible(where: str) -> bool:
        """A term occurs nowhere: the list is empty without reading a row."""
        return f" AND {NOTHING} AND " in f"{where} AND "

    def _fts_only(self, where: str) -> bool:
        """Whether the filter is only the trigram index's (no quick filter, no link)."""
        return where == f" AND {self.alias}rowid IN (SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH ?)"

    def _walks(self) -> bool:
        """Whether a page is best found by reading rows in sort order and
        testing each (the filter matches many: a page comes after a few
        hundred rows) rather than taking the index's matches and sorting
        them (few match). Judged on the first SAMPLE rows in sort order."""
        terms = search_terms(self.text)
        if not (self.fts and terms and self.walk_index and self.sort == 0):
            return False
        where, params = self._where(row_wise=True)
        if self._impossible(where):
            return False
        direction = "DESC" if self.descending else "ASC"
        table, alias = self.base_sql.split()[1], self.alias.rstrip(".")
        joins = self.base_sql[len(f"FROM {table} {alias}"):self.base_sql.index(" WHERE ")]
        hits = self._conn().execute(
            f"""SELECT count(*) FROM (
                    SELECT {alias}.rowid AS rid FROM {table} {alias} INDEXED BY {self.walk_index}
                    WHERE {alias}.deleted_at IS NULL ORDER BY {self.columns[0].sort_sql} {direction} LIMIT {SAMPLE}
                ) AS sample
                JOIN {table} {alias} ON {alias}.rowid = sample.rid{joins} WHERE 1{where}""",
            params,
        ).fetchone()[0]
        return hits >= SAMPLE * WALK_SHARE

    def fetch(self, offset: int, limit: int, total: int | None = None) -> list[Row]:
        """Rows `offset` to `offset + limit`. Given the `total`, a page in the
        second half is read from the end in reverse order, so no OFFSET
        exceeds half the list (`end` is the first rows read backwards)."""
        if total is not None and offset > 0 and offset > total // 2:
            n = min(limit, total - offset)
            if n <= 0:
                return []
            return self._fetch(max(0, total - offset - n), n, flip=True)[::-1]
        return self._fetch(offset, limit, flip=False)

    def _fetch(self, offset: int, limit: int, flip: bool) -> list[Row]:
        if self._impossible(self._where()[0]):
            return []
        walks = self._walks()
        where, params = self._where(row_wise=walks)
        # Read in sort order through the index, rows tested one by one; or
        # the index's matches, sorted.
        base = self._source(f"INDEXED BY {self.walk_index}") if walks else self.base_sql
        sql = f"SELECT {self.select_sql} {base}{where}{self._order(flip)} LIMIT ? OFFSET ?"
        return [self.to_row(r) for r in self._conn().execute(sql, [*params, limit, offset])]

    def flag_conflicts(self, rows: list[Row]) -> list[Row]:
        """Rows of records that wait for a choice in the conflict queue say so."""
        flagged = marked_records(self._conn(), [row.id for row in rows])
        if not flagged:
            return rows
        # First in the last column: that column is cut at the screen's edge, the mark must not be.
        return [replace(row, cells=(*row.cells[:-1], f"⚠ in conflict  {row.cells[-1]}".strip()), tone="error")
                if row.id in flagged else row for row in rows]

    def to_row(self, r: sqlite3.Row) -> Row:
        raise NotImplementedError

    def _conn(self) -> sqlite3.Connection:
        return self._reader()
