"""Delegation visits, inbound and outbound: the list, the record and its checks.

Two live visits to the same city whose dates overlap are allowed (a
delegation can split up) but flagged in the list and on the detail screen.
Members, itinerary items and gifts are in visit_parts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from twindesk import taxonomy
from twindesk.services import money as money_mod
from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.money import check_currency
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.services.visit_parts import VisitDetail, date_span
from twindesk.text import like_pattern, search_terms

DIRECTIONS = ("inbound", "outbound")
STATUSES = ("planned", "confirmed", "done", "cancelled")
OVERLAP_MARK = "⚠ overlaps"
LONG_VISIT_DAYS = 62  # past this, a date window holds more visits than one city has
WALK_SHARE = 0.75  # at least this share of visits match: walk the start-date index
PAGE = 100  # rows of the first page, found with the count (the list's page size)
SET_FACTOR = 8  # see _rows
WALK_ROWS = 2000  # visits walked in date order looking for a first page before reading them all


def overlap_sql(reach_days: int) -> str:
    """True for a row `v` when another live, non-cancelled visit to its city
    meets its dates. Written to run for the rows of one page only."""
    if reach_days <= LONG_VISIT_DAYS:
        # Any overlapping visit starts at most `reach_days` (the longest visit)
        # before this one: a short range of ix_visit_live_start.
        find = (f"+o.city_id = v.city_id AND o.deleted_at IS NULL AND o.start_date <= v.end_date "
                f"AND o.start_date >= date(v.start_date, '-{int(reach_days)} days')")
    else:
        find = "o.city_id = v.city_id AND +o.deleted_at IS NULL AND +o.start_date <= v.end_date"
    return (f"(v.status <> 'cancelled' AND EXISTS (SELECT 1 FROM visit o WHERE {find} "
            "AND o.end_date >= v.start_date AND o.status <> 'cancelled' AND o.id <> v.id))")


def check_amount(check: Checker, field: str, value: str) -> str:
    """The budget: a non-negative amount with at most 2 decimals, stored as "12500.00"."""
    return money_mod.check_amount(check, field, value, label="Budget")


class VisitQuery(PagedQuery):
    """Visits by start date, a page at a time, fast at 100,000 visits.

    A filter that no index serves costs one read of the whole table (about
    20 ms at 100,000), so each keystroke pays for one such read at most:
    `count()` also finds the first page, either by walking the first rows
    of ix_visit_live_start (when matches are common) or within the same
    read (when they are rare); `fetch(0, n)` then only reads those rows.
    The overlap flag is computed for the rows of a page, never for all.
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
    city_column = "v.city_id"

    def __init__(self, reader: Any, today: dt.date, stats: Callable[[], tuple[int, int]]) -> None:
        super().__init__(reader)
        self.today = today
        self.stats = stats  # (days of the longest live visit, live visits)
        self.quick: str | None = None
        self.overlapping_id: str | None = None  # list the visits overlapping this one
        self._counted: tuple[tuple[Any, ...], int] | None = None
        self._first: tuple[tuple[Any, ...], list[Any]] | None = None  # the first page, found by count()

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

    def _where(self) -> tuple[str, list[Any]]:
        # The city is searched in its own small table, not joined to every
        # visit; and only when the term names a city at all.
        clauses, params = self.extra_filters()
        if self.city_id is not None:
            clauses.append(f"{self.city_column} = ?")
            params.append(self.city_id)
        conn = self._conn()
        for term in search_terms(self.text):
            pattern = like_pattern(term)
            # Both sides are folded, so a plain substring test is exact; for
            # Hangul, instr() reads the table about 30% faster than LIKE.
            own, own_param = ("v.search LIKE ? ESCAPE '\\'", pattern)
            if not term.isascii():
                own, own_param = "instr(v.search, ?)", term
            if conn.execute("SELECT 1 FROM city WHERE search LIKE ? ESCAPE '\\' LIMIT 1", (pattern,)).fetchone():
                clauses.append(f"({own} OR v.city_id IN (SELECT id FROM city WHERE search LIKE ? ESCAPE '\\'))")
                params.extend([own_param, pattern])
            else:
                clauses.append(own)
                params.append(own_param)
        where = " AND ".join(clauses)
        return (f" AND {where}" if where else ""), params

    # Plans ----------------------------------------------------------------
    def _key(self, where: str, params: list[Any]) -> tuple[Any, ...]:
        return (where, *params, self.sort, self.descending)

    def _narrowed(self) -> bool:
        """One city's or one visit's neighbours: an index finds the few rows."""
        return self.city_id is not None or self.overlapping_id is not None

    def _order(self) -> str:
        d = "DESC" if self.descending else "ASC"
        by_date = "" if self.sort == 0 else f"v.start_date {d}, "
        return f" ORDER BY {self.columns[self.sort].sort_sql} {d}, {by_date}v.rowid {d}"

    def count(self) -> int:
        where, params = self._where()
        key = self._key(where, params)
        self._first = None
        conn = self._conn()
        if self._narrowed() or not where:
            # Unfiltered, the start-date index alone counts.
            n = conn.execute(f"SELECT count(*) FROM visit v WHERE v.deleted_at IS NULL{where}", params).fetchone()[0]
        elif self.sort == 0:
            first = self._walk(where, params)
            if first is None:
                n, first = self._scan_first(where, params)
            else:
                n = self._scan_count(where, params)
            self._first = (key, first)
        else:
            n = self._scan_count(where, params)
        self._counted = (key, n)
        return n

    def _scan_count(self, where: str, params: list[Any]) -> int:
        # NOT INDEXED: a straight read of the table (15-25 ms at 100,000)
        # beats reading it row by row through the index (about 90 ms).
        sql = f"SELECT count(*) FROM visit v NOT INDEXED WHERE v.deleted_at IS NULL{where}"
        return self._conn().execute(sql, params).fetchone()[0]

    def _walk(self, where: str, params: list[Any]) -> list[Any] | None:
        """The first page from the first WALK_ROWS visits in date order, or
        None when they hold too few matches to be sure of it."""
        seek, seek_params = self._upcoming_range() if self.quick == "upcoming" else ("", [])
        sql = (f"SELECT v.rowid AS rid, v.start_date AS sd, v.end_date AS ed, (1{where}) AS ok "
               f"FROM visit v WHERE v.deleted_at IS NULL{seek}{self._order()} LIMIT {WALK_ROWS}")
        walked = self._conn().execute(sql, [*params, *seek_params]).fetchall()
        found = [r for r in walked if r["ok"]][:PAGE]
        return found if len(found) == PAGE or len(walked) < WALK_ROWS else None

    def _scan_first(self, where: str, params: list[Any]) -> tuple[int, list[Any]]:
        """Rare matches: count them and take the first page in one read."""
        direction = "DESC" if self.descending else "ASC"
        sql = (f"WITH m AS MATERIALIZED (SELECT v.rowid AS rid, v.start_date AS sd, v.end_date AS ed "
               f"FROM visit v NOT INDEXED WHERE v.deleted_at IS NULL{where}) "
               f"SELECT (SELECT count(*) FROM m) AS n, rid, sd, ed FROM m "
               f"ORDER BY sd {direction}, rid {direction} LIMIT {PAGE}")
        rows = self._conn().execute(sql, params).fetchall()
        return (rows[0]["n"] if rows else 0), rows

    def _walks(self, key: tuple[Any, ...], where: str) -> bool:
        """Whether a page past the first is read in start-date order."""
        if self._narrowed() or self.quick == "upcoming":
            return True
        if self.sort != 0:
            return False  # sorted anyway: a straight read is cheaper
        if not where:
            return True
        counted = self._counted[1] if self._counted and self._counted[0] == key else 0
        # Nearly every visit matches: the page is soon found in date order.
        # Fewer: the matches may all lie late in that order (planned visits
        # are the future ones), and a walk could read every row.
        return counted >= self.stats()[1] * WALK_SHARE

    # Reading --------------------------------------------------------------
    def fetch(self, offset: int, limit: int) -> list[Row]:
        where, params = self._where()
        key = self._key(where, params)
        if offset == 0 and self._first is not None and self._first[0] == key:
            first = self._first[1]
            if limit <= len(first) or len(first) < PAGE:
                return self._rows(first[:limit])
        source = "visit v" if self._walks(key, where) else "visit v NOT INDEXED"
        join = " LEFT JOIN city c ON c.id = v.city_id" if "c." in (self.columns[self.sort].sort_sql or "") else ""
        sql = (f"SELECT v.rowid AS rid, v.start_date AS sd, v.end_date AS ed FROM {source}{join} "
               f"WHERE v.deleted_at IS NULL{where}{self._order()} LIMIT ? OFFSET ?")
        return self._rows(self._conn().execute(sql, [*params, limit, offset]).fetchall())

    def _rows(self, page: list[Any]) -> list[Row]:
        """The page's visits whole, in the page's order, with the overlap flag."""
        if not page:
            return []
        ids = [r["rid"] for r in page]
        longest = self.stats()[0]
        first, last = min(r["sd"] for r in page), max(r["ed"] for r in page)
        span = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
        marks = ",".join("?" * len(ids))
        select = ("v.rowid AS rid, v.id, v.start_date, v.end_date, v.direction, v.status, v.purpose, "
                  "c.name AS city, c.hangul AS hangul")
        rows = f"FROM visit v LEFT JOIN city c ON c.id = v.city_id WHERE v.rowid IN ({marks})"
        # Checked one by one, each visit reads about 2 x longest days of
        # visits through the index. Read once for the whole page, the visits
        # near it cost up to 8 times more per day of dates (measured), so
        # that pays only when the page's visits are close in time.
        if longest <= LONG_VISIT_DAYS and (span + longest) * SET_FACTOR <= len(ids) * (2 * longest + 1):
            sql = (f"WITH near AS MATERIALIZED (SELECT o.id, o.city_id, o.start_date, o.end_date FROM visit o "
                   "WHERE o.deleted_at IS NULL AND o.start_date >= date(?, ?) AND o.start_date <= ? "
                   "AND o.status <> 'cancelled' "
                   f"AND o.city_id IN (SELECT city_id FROM visit WHERE rowid IN ({marks}))) "
                   f"SELECT {select}, (v.status <> 'cancelled' AND EXISTS (SELECT 1 FROM near o "
                   "WHERE o.city_id = v.city_id AND o.id <> v.id AND o.start_date <= v.end_date "
                   f"AND o.end_date >= v.start_date)) AS overlaps {rows}")
            params: list[Any] = [first, f"-{longest} days", last, *ids, *ids]
        else:
            sql = f"SELECT {select}, {overlap_sql(longest)} AS overlaps {rows}"
            params = ids
        by_rid = {r["rid"]: r for r in self._conn().execute(sql, params)}
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
    table = "visit"
    label = "visit"

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self._stats: dict[int, tuple[int, tuple[int, int]]] = {}

    def query(self) -> VisitQuery:
        return VisitQuery(self.desk.reader, self.today(), self.stats)

    def stats(self) -> tuple[int, int]:
        """(days of the longest live visit, number of live visits).

        The longest visit bounds every overlap search; the number tells a
        filter how rare its matches are. Cached per reader connection until
        another connection commits (PRAGMA data_version): it costs a scan.
        """
        conn = self.desk.reader()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        cached = self._stats.get(id(conn))
        if cached is not None and cached[0] == version:
            return cached[1]
        row = conn.execute(
            """SELECT CAST(coalesce(max(julianday(end_date) - julianday(start_date)), 0) AS INTEGER), count(*)
               FROM visit NOT INDEXED WHERE deleted_at IS NULL"""
        ).fetchone()
        self._stats[id(conn)] = (version, (row[0], row[1]))
        return row[0], row[1]

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

    def form_values(self, visit_id: str | None) -> dict[str, Any]:
        found = self.get(visit_id) if visit_id else None
        if found is None:
            return {"direction": "outbound", "status": "planned", "areas": []}
        return {
            "direction": found.direction,
            "city": found.city,
            "start_date": found.start_date.isoformat(),
            "end_date": found.end_date.isoformat(),
            "purpose": found.purpose,
            "areas": list(found.areas),
            "status": found.status,
            "budget_amount": found.budget_amount,
            "budget_currency": found.budget_currency,
            "notes": found.notes,
        }

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        check = self.checker()
        area_keys = [a.key for a in taxonomy.load().areas]
        typed_amount = values.get("budget_amount") or ""
        amount = check_amount(check, "budget_amount", typed_amount)
        out = {
            "direction": check.choice("direction", values.get("direction", ""), DIRECTIONS, label="Direction"),
            "city_id": self.city(check, "city", values.get("city", "")),
            "start_date": check.date("start_date", values.get("start_date", ""), label="Start", required=True),
            "end_date": check.date("end_date", values.get("end_date", ""), label="End", required=True),
            "purpose": check.text("purpose", values.get("purpose", ""), label="Purpose", max_len=200),
            "areas": check.items("areas", values.get("areas") or [], label="Cooperation areas", max_items=10),
            "status": check.choice("status", values.get("status", ""), STATUSES, label="Status"),
            "budget_amount": amount,
            "budget_currency": check_currency(
                check, "budget_currency", values.get("budget_currency", ""),
                needed=bool(typed_amount.strip()), what="the budget",
            ),
            "notes": check.text("notes", values.get("notes", ""), label="Notes", max_len=5000, multiline=True),
        }
        unknown = [a for a in out["areas"] if a not in area_keys]
        if unknown:
            check.fail("areas", f"Unknown cooperation area “{unknown[0][:30]}”; use one of {', '.join(area_keys)}.")
        self.date_range(check, out["start_date"], out["end_date"])
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        start = clean.get("start_date")
        start_text = start.isoformat() if isinstance(start, dt.date) else str(start or "")
        return f"{self.desk.cities.name_of(clean.get('city_id'))} {start_text}".strip()

    def outside_itinerary(self, visit_id: str) -> int:
        """How many live itinerary items fall outside the visit's dates (after they moved)."""
        return self.desk.reader().execute(
            """SELECT count(*) FROM itinerary_item i JOIN visit v ON v.id = i.visit_id
               WHERE i.visit_id = ? AND i.deleted_at IS NULL AND (i.day < v.start_date OR i.day > v.end_date)""",
            (visit_id,),
        ).fetchone()[0]
