"""Delegation visits, inbound and outbound: the list, the record and its checks.

Two live visits to the same city whose dates overlap are allowed (a
delegation can split up) but flagged in the list and on the detail screen.
Members, itinerary items and gifts are in visit_parts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twindesk.registry.fields import VISIT_DIRECTIONS as DIRECTIONS
from twindesk.registry.fields import VISIT_STATUSES as STATUSES
from twindesk.services.listing import NOTHING, SAMPLE, WALK_SHARE, Column, PagedQuery, Row
from twindesk.services.money import check_currency
from twindesk.services.money import money as money_text
from twindesk.services.records import RecordService
from twindesk.services.spans import longest_days
from twindesk.services.validation import Checker
from twindesk.services.visit_parts import VisitDetail
from twindesk.text import date_span, plural

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

__all__ = ["DIRECTIONS", "STATUSES", "VisitQuery", "VisitService"]
OVERLAP_MARK = "⚠ overlaps"
PAGE = 100  # the first page, kept from the counting read when there is one


def overlap_sql(reach_days: int) -> str:
    """True for a row `v` when another live, non-cancelled visit to its city
    meets its dates. Any such visit starts at most `reach_days` (the longest
    live visit) before this one: a short range of ix_visit_city_start."""
    find = (f"o.city_id = v.city_id AND o.start_date >= date(v.start_date, '-{int(reach_days)} days') "
            "AND o.start_date <= v.end_date AND o.deleted_at IS NULL")
    return (f"(v.status <> 'cancelled' AND EXISTS (SELECT 1 FROM visit o INDEXED BY ix_visit_city_start "
            f"WHERE {find} AND o.end_date >= v.start_date AND o.status <> 'cancelled' AND o.id <> v.id))")


class VisitQuery(PagedQuery):
    """Visits by start date, a page at a time, fast at 100,000 visits.

    Filter terms go through the trigram index visit_fts (schema 3), which
    also knows each visit's city; two-character terms through its vocabulary
    (schema 6); one-character ones cost one straight read of the table. A page is found either by walking
    ix_visit_live_start in date order (when most visits match) or by taking
    the matches and sorting them (when few do). The overlap flag is computed
    for the rows of a page, never for all.
    """

    columns = (
        Column("dates", "Dates", 23, "v.start_date"),
        Column("direction", "Dir", 8, "v.direction"),
        Column("city", "City", 16, "c.name COLLATE NOCASE"),
        Column("status", "Status", 20, "v.status"),
        Column("purpose", "Purpose", 24, "v.purpose COLLATE NOCASE"),
    )
    base_sql = "FROM visit v WHERE v.deleted_at IS NULL"
    # rowid, not id, breaks ties: (deleted_at, start_date) plus the implicit
    # rowid is then exactly the index, and date order needs no sort.
    id_sql = "v.rowid"
    alias = "v."
    table = "visit"
    fts = "visit_fts"
    city_column = "v.city_id"
    dated = True

    def __init__(self, reader: Any, today: dt.date, stats: Callable[[], tuple[int, int]]) -> None:
        super().__init__(reader)
        self.today = today
        self.stats = stats  # (days of the longest live visit, live visits)
        self.quick: str | None = None
        self.overlapping_id: str | None = None  # list the visits overlapping this one
        self._counted: tuple[tuple[Any, ...], int] | None = None
        self._first: tuple[tuple[Any, ...], list[Any]] | None = None
        self._many: tuple[Any, ...] | None = None  # the filter roughly counted: it matches many

    # Filters --------------------------------------------------------------
    def _upcoming_range(self) -> tuple[str, list[Any]]:
        # Implied by end_date >= today, but it lets SQLite seek in the
        # start-date index instead of reading every visit.
        return " AND v.start_date >= date(?, ?)", [self.today.isoformat(), f"-{self.stats()[0]} days"]

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        today = self.today.isoformat()
        clauses: list[str] = []
        params: list[Any] = []
        if self.quick == "upcoming":
            sql, more = self._upcoming_range()
            clauses, params = ["v.end_date >= ?", sql.removeprefix(" AND ")], [today, *more]
        elif self.quick == "past":
            clauses, params = ["v.end_date < ?"], [today]
        elif self.quick in DIRECTIONS or self.quick in STATUSES:
            clauses, params = [f"v.{'direction' if self.quick in DIRECTIONS else 'status'} = ?"], [self.quick]
        if self.overlapping_id is not None:
            clauses.append(
                """v.id <> ? AND v.status <> 'cancelled'
                   AND v.city_id = (SELECT city_id FROM visit WHERE id = ? AND status <> 'cancelled')
                   AND v.start_date <= (SELECT end_date FROM visit WHERE id = ?)
                   AND v.start_date >= date((SELECT start_date FROM visit WHERE id = ?), ?)
                   AND v.end_date >= (SELECT start_date FROM visit WHERE id = ?)"""
            )
            me = self.overlapping_id
            params.extend([me, me, me, me, f"-{self.stats()[0]} days", me])
        return clauses, params

    # Plans ----------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (self.text, self.quick, self.link, self.overlapping_id, self.sort, self.descending)

    def _narrowed(self) -> bool:
        """One city's (or visit's) visits, or a visit's neighbours: an index finds the few rows."""
        return self.link is not None or self.overlapping_id is not None

    def _order(self, flip: bool = False) -> str:
        d = "DESC" if self.descending != flip else "ASC"
        by_date = "" if self.sort == 0 else f"v.start_date {d}, "
        return f" ORDER BY {self.columns[self.sort].sort_sql} {d}, {by_date}v.rowid {d}"

    def count(self) -> int:
        where, params = self._where()
        match, short = self._match()
        conn = self._conn()
        self._first = None
        if match == NOTHING:
            n = 0
        elif match is not None and not short and not self.quick and not self._narrowed():
            # The index holds live visits only: it counts them by itself.
            n = conn.execute("SELECT count(*) FROM visit_fts WHERE visit_fts MATCH ?", (match,)).fetchone()[0]
        elif match is not None:
            # The trigram index's matches, by rowid (NOT INDEXED: never a walk of the date index).
            n = conn.execute(f"SELECT count(*) FROM visit v NOT INDEXED WHERE v.deleted_at IS NULL{where}",
                             params).fetchone()[0]
        elif not where or self._narrowed():
            # No filter, or one an index narrows (a city, a visit's dates).
            n = conn.execute(f"SELECT count(*) FROM visit v WHERE v.deleted_at IS NULL{where}", params).fetchone()[0]
        elif self.sort != 0 or self._common(where, params):
            # Many matches: the page will come from a short walk in date
            # order, so only the count needs a straight read (NOT INDEXED:
            # ~15 ms at 100,000, against ~90 ms through the date index).
            n = conn.execute(f"SELECT count(*) FROM visit v NOT INDEXED WHERE v.deleted_at IS NULL{where}",
                             params).fetchone()[0]
        else:
            # Few matches: one straight read counts them and keeps the first page.
            d = "DESC" if self.descending else "ASC"
            rows = conn.execute(
                f"""WITH m AS MATERIALIZED (SELECT v.rowid AS rid, v.start_date AS sd, v.end_date AS ed
                        FROM visit v NOT INDEXED WHERE v.deleted_at IS NULL{where})
                    SELECT (SELECT count(*) FROM m) AS n, rid, sd, ed FROM m ORDER BY sd {d}, rid {d} LIMIT {PAGE}""",
                params,
            ).fetchall()
            n = rows[0]["n"] if rows else 0
            self._first = (self._key(), rows)
        self._counted = (self._key(), n)
        return n

    def rough_count(self) -> tuple[int, bool]:
        n, exact = super().rough_count()
        if not exact:
            self._first = None
            self._many = self._key()
        return n, exact

    def _common(self, where: str, params: list[Any]) -> bool:
        """Whether the filter matches many visits, judged on a sample: the
        first SAMPLE visits in date order (a fraction of a millisecond)."""
        sample = min(SAMPLE, self.stats()[1])
        hits = self._conn().execute(
            f"SELECT count(*) FROM (SELECT v.rowid FROM visit v INDEXED BY ix_visit_live_start "
            f"WHERE v.deleted_at IS NULL ORDER BY v.start_date LIMIT {SAMPLE}) AS sample "
            f"JOIN visit v ON v.rowid = sample.rowid WHERE 1{where}", params
        ).fetchone()[0]
        return hits >= sample * WALK_SHARE if sample else True

    def rows_before(self, day: dt.date) -> int:
        """Where the first visit starting on or after `day` sits in the
        unfiltered list (start-date order): one range of the date index."""
        return self._conn().execute(
            "SELECT count(*) FROM visit v WHERE v.deleted_at IS NULL AND v.start_date < ?", (day.isoformat(),)
        ).fetchone()[0]

    def _walks(self) -> bool:
        """Whether a page is found by reading visits in start-date order
        (cheap when many match: the page comes after a few hundred rows)
        rather than by taking every match and sorting (cheap when few do)."""
        if self.sort != 0:
            return False
        if self._narrowed() or self.quick == "upcoming" or (not self.text.strip() and not self.quick):
            return True
        if self._many == self._key():
            return True
        if self._counted and self._counted[0] == self._key():
            return self._counted[1] >= self.stats()[1] * WALK_SHARE
        # Not counted (the palette asks for a few rows only): judge on a sample.
        where, params = self._where(row_wise=True)
        return self._common(where, params)

    # Reading --------------------------------------------------------------
    def _fetch(self, offset: int, limit: int, flip: bool) -> list[Row]:
        if self._match()[0] == NOTHING:
            return []
        if offset == 0 and not flip and self._first is not None and self._first[0] == self._key():
            first = self._first[1]
            if limit <= len(first) or len(first) < PAGE:
                return self._rows(first[:limit])
        walks = self._walks()
        where, params = self._where(row_wise=walks)
        if walks and self._narrowed():
            # One city's (or visit's) visits, or a visit's neighbours: SQLite picks the
            # index that narrows them (ix_visit_city_start gives one city's in date order).
            source = "visit v"
        elif walks:
            source = "visit v INDEXED BY ix_visit_live_start"
        else:
            # Few matches: pick them (from the trigram index, or one read) and sort.
            source = "visit v NOT INDEXED"
        join = " LEFT JOIN city c ON c.id = v.city_id" if "c." in (self.columns[self.sort].sort_sql or "") else ""
        sql = (f"SELECT v.rowid AS rid, v.start_date AS sd, v.end_date AS ed FROM {source}{join} "
               f"WHERE v.deleted_at IS NULL{where}{self._order(flip)} LIMIT ? OFFSET ?")
        return self._rows(self._conn().execute(sql, [*params, limit, offset]).fetchall())

    def _rows(self, page: list[Any]) -> list[Row]:
        """The page's visits whole, in the page's order, with the overlap flag."""
        if not page:
            return []
        ids = [r["rid"] for r in page]
        marks = ",".join("?" * len(ids))
        sql = (f"SELECT v.rowid AS rid, v.id, v.start_date, v.end_date, v.direction, v.status, v.purpose, "
               f"c.name AS city, c.hangul AS hangul, {overlap_sql(self.stats()[0])} AS overlaps "
               f"FROM visit v LEFT JOIN city c ON c.id = v.city_id WHERE v.rowid IN ({marks})")
        by_rid = {r["rid"]: r for r in self._conn().execute(sql, ids)}
        return [self.to_row(by_rid[rid]) for rid in ids if rid in by_rid]

    def to_row(self, r: Any) -> Row:
        dates = date_span(r["start_date"], r["end_date"])
        city = f"{r['city'] or '?'} {r['hangul'] or ''}".strip()
        status = f"{r['status']}  {OVERLAP_MARK}" if r["overlaps"] else r["status"]
        label = f"{r['city'] or '?'} {dates}"
        if r["purpose"]:
            label += f" ({r['purpose'][:40]})"
        return Row(r["id"], (dates, r["direction"], city, status, r["purpose"]),
                   tone="warning" if r["overlaps"] else "", label=label)


class VisitService(RecordService):
    kind_key = "visit"
    defaults = {"direction": "outbound", "status": "planned", "areas": []}

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self._stats: dict[int, tuple[int, tuple[int, int]]] = {}

    def query(self) -> VisitQuery:
        return VisitQuery(self.desk.reader, self.today(), self.stats)

    def stats(self) -> tuple[int, int]:
        """(days of the longest live visit, number of live visits).

        The longest visit bounds every overlap search; the number tells a
        filter how rare its matches are. Cached per reader connection until
        another connection commits (PRAGMA data_version): the count reads an index.
        """
        conn = self.desk.reader()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        cached = self._stats.get(id(conn))
        if cached is not None and cached[0] == version:
            return cached[1]
        # The length index (schema 6) gives the longest at once; the count is
        # a read of the live-date index (~5 ms at 100,000), not of the table.
        longest = longest_days(conn, "visit")
        count = conn.execute("SELECT count(*) FROM visit INDEXED BY ix_visit_live_start WHERE deleted_at IS NULL"
                             ).fetchone()[0]
        self._stats[id(conn)] = (version, (longest, count))
        return longest, count

    def get(self, visit_id: str) -> VisitDetail | None:
        r = self.desk.reader().execute(
            """SELECT v.*, c.name AS city, c.hangul AS hangul FROM visit v LEFT JOIN city c ON c.id = v.city_id
               WHERE v.id = ? AND v.deleted_at IS NULL""",
            (visit_id,),
        ).fetchone()
        if r is None:
            return None
        return VisitDetail(
            id=r["id"],
            direction=r["direction"],
            city_id=r["city_id"],
            city=r["city"] or "",
            hangul=r["hangul"] or "",
            start_date=dt.date.fromisoformat(r["start_date"]),
            end_date=dt.date.fromisoformat(r["end_date"]),
            purpose=r["purpose"],
            areas=tuple(json.loads(r["areas"])),
            status=r["status"],
            budget_amount=r["budget_amount"],
            budget_currency=r["budget_currency"],
            notes=r["notes"],
            members=self.desk.members.for_visit(visit_id),
            itinerary=self.desk.itinerary.for_visit(visit_id),
            gifts=self.desk.gifts.for_visit(visit_id),
        )

    def overlaps(self, visit_id: str, limit: int = 50) -> list[Row]:
        """The other live, non-cancelled visits to the same city on overlapping dates."""
        query = self.query()
        query.overlapping_id = visit_id
        return query.fetch(0, limit)

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        if out["budget_amount"] and not out["budget_currency"] and "budget_currency" not in check.errors:
            check_currency(check, "budget_currency", "", needed=True, what="the budget")
        self.date_range(check, out["start_date"], out["end_date"])

    def heading(self, row: Any) -> str:
        toward = "from" if row["direction"] == "inbound" else "to"
        city = self.desk.cities.get(row["city_id"])
        name = f"{city.name}  {city.hangul}".strip() if city else "?"
        return f"{row['direction'].capitalize()} visit {toward} {name}"

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        lines = super().detail_lines(row)
        start, end = dt.date.fromisoformat(row["start_date"]), dt.date.fromisoformat(row["end_date"])
        days = (end - start).days + 1
        shown = dict(lines)
        shown["Start"] = f"{date_span(row['start_date'], row['end_date'])}  ({plural(days, 'day')})"
        shown["Budget"] = money_text(row["budget_amount"], row["budget_currency"])
        shown.pop("End", None)
        shown.pop("Currency", None)
        return [("Dates" if label == "Start" else label, value) for label, value in shown.items()]

    def detail_warnings(self, row: Any) -> list[str]:
        overlapping = self.overlaps(row["id"])
        if not overlapping:
            return []
        others = "\n  ".join("   ".join(c for c in (r.cells[0], r.cells[1], r.cells[4]) if c) for r in overlapping)
        return [f"Overlaps other visits to {self.desk.cities.name_of(row['city_id'])}:\n  {others}"]

    def child_initial(self, row: Any, child: str, link: str) -> dict[str, Any]:
        initial = super().child_initial(row, child, link)
        if child == "itinerary_item":
            initial["day"] = row["start_date"]  # the visit's first day
        return initial

    def outcome_initial(self, row: Any) -> dict[str, Any]:
        areas = json.loads(row["areas"])
        return {"visit_id": row["id"], "city": self.desk.cities.name_of(row["city_id"]),
                "area": areas[0] if areas else "", "happened_on": row["end_date"], "title": row["purpose"]}

    def describe(self, clean: dict[str, Any]) -> str:
        start = clean.get("start_date")
        start_text = start.isoformat() if isinstance(start, dt.date) else str(start or "")
        return f"{self.desk.cities.name_of(clean.get('city_id'))} {start_text}".strip()

    def warnings(self, record_id: str) -> tuple[str, ...]:
        out = []
        overlapping = self.overlaps(record_id)
        if overlapping:
            others = "; ".join(row.cells[0] for row in overlapping[:3])
            out.append(f"This visit overlaps {plural(len(overlapping), 'other visit')} to the same city ({others}).")
        outside = self.outside_itinerary(record_id)
        if outside:
            out.append(f"{plural(outside, 'itinerary item')} {'falls' if outside == 1 else 'fall'} outside "
                       "the new dates.")
        return tuple(out)

    def outside_itinerary(self, visit_id: str) -> int:
        """How many live itinerary items fall outside the visit's dates (after they moved)."""
        return self.desk.reader().execute(
            """SELECT count(*) FROM itinerary_item i JOIN visit v ON v.id = i.visit_id
               WHERE i.visit_id = ? AND i.deleted_at IS NULL AND (i.day < v.start_date OR i.day > v.end_date)""",
            (visit_id,),
        ).fetchone()[0]


def same_trip(conn: Any, visit_id: str, hints: dict[str, Any]) -> list[str]:
    """Live visits that could be this one made twice: the same city and direction
    on overlapping dates (sync asks a person when two copies made them unaware).

    An overlapping visit starts at most the longest visit's length before this
    one: a short range of ix_visit_city_start, not all of the city's visits."""
    if "longest" not in hints:
        hints["longest"] = longest_days(conn, "visit")
    this = conn.execute("SELECT city_id, direction, start_date, end_date, julianday(end_date) - julianday(start_date) "
                        "FROM visit WHERE id = ? AND deleted_at IS NULL", (visit_id,)).fetchone()
    if this is None:
        return []
    hints["longest"] = max(hints["longest"], int(this[4]))
    return [r[0] for r in conn.execute(
        """SELECT o.id FROM visit o INDEXED BY ix_visit_city_start
           WHERE o.city_id = ? AND o.start_date >= date(?, ?) AND o.start_date <= ?
             AND o.end_date >= ? AND o.direction = ? AND o.id <> ? AND o.deleted_at IS NULL""",
        (this[0], this[2], f"-{hints['longest']} days", this[3], this[2], this[1], visit_id),
    )]
