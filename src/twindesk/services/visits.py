"""Delegation visits, inbound and outbound: the list, the record and its checks.

Two live visits to the same city whose dates overlap are allowed (a
delegation can split up) but flagged in the list and on the detail screen.
Members, itinerary items and gifts are in visit_parts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twindesk import taxonomy
from twindesk.services import money as money_mod
from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.money import check_currency, money
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.services.visit_parts import GiftDetail, ItineraryDetail, MemberDetail
from twindesk.text import like_pattern, search_terms

DIRECTIONS = ("inbound", "outbound")
STATUSES = ("planned", "confirmed", "done", "cancelled")
OVERLAP_MARK = "⚠ overlaps"
LONG_VISIT_DAYS = 62  # past this, a date window holds more visits than one city has
WALK_SHARE = 0.75  # at least this share of visits match: walk the start-date index


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


@dataclass(frozen=True)
class VisitDetail:
    id: str
    direction: str
    city_id: str
    city: str
    hangul: str
    start_date: dt.date
    end_date: dt.date
    purpose: str
    areas: tuple[str, ...]
    status: str
    budget_amount: str  # exact decimal text, "" when none
    budget_currency: str
    notes: str
    members: tuple[MemberDetail, ...] = ()
    itinerary: tuple[ItineraryDetail, ...] = ()  # by day, then time
    gifts: tuple[GiftDetail, ...] = ()

    @property
    def budget(self) -> str:
        return money(self.budget_amount, self.budget_currency)

    @property
    def dates(self) -> str:
        return date_span(self.start_date.isoformat(), self.end_date.isoformat())


def date_span(start: str, end: str) -> str:
    return start if start == end else f"{start} – {end}"


def check_amount(check: Checker, field: str, value: str) -> str:
    """The budget: a non-negative amount with at most 2 decimals, stored as "12500.00"."""
    return money_mod.check_amount(check, field, value, label="Budget")


class VisitQuery(PagedQuery):
    """Visits by start date. At 100,000 visits each keystroke in the filter
    costs one count and one page: the plan of each is chosen below so that
    neither reads the table row by row through an index when a plain scan
    is cheaper, and the overlap flag is computed for the page's rows only."""

    columns = (
        Column("dates", "Dates", 23, "v.start_date"),
        Column("direction", "Dir", 8, "v.direction"),
        Column("city", "City", 16, "c.name COLLATE NOCASE"),
        Column("status", "Status", 20, "v.status"),
        Column("purpose", "Purpose", 24, "v.purpose COLLATE NOCASE"),
    )
    base_sql = "FROM visit v WHERE v.deleted_at IS NULL"
    id_sql = "v.id"
    city_column = "v.city_id"

    def __init__(self, reader: Any, today: dt.date, stats: Callable[[], tuple[int, int]]) -> None:
        super().__init__(reader)
        self.today = today
        self.stats = stats  # (days of the longest live visit, live visits)
        self.quick: str | None = None
        self.overlapping_id: str | None = None  # list the visits overlapping this one
        self._counted: tuple[tuple[Any, ...], int] | None = None

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        today = self.today.isoformat()
        filters: dict[str, tuple[list[str], list[Any]]] = {
            # The start bound follows from the end bound; it lets SQLite read
            # a range of the start-date index instead of every visit.
            "upcoming": (["v.end_date >= ?", "v.start_date >= date(?, ?)"], [today, today, f"-{self.stats()[0]} days"]),
            "past": (["v.end_date < ?"], [today]),
            "inbound": (["v.direction = 'inbound'"], []),
            "outbound": (["v.direction = 'outbound'"], []),
            **{status: (["v.status = ?"], [status]) for status in STATUSES},
        }
        clauses, params = filters.get(self.quick or "", ([], []))
        clauses, params = list(clauses), list(params)
        if self.overlapping_id is not None:
            clauses.append(
                """v.id <> ? AND v.status <> 'cancelled'
                   AND v.city_id = (SELECT city_id FROM visit WHERE id = ? AND status <> 'cancelled')
                   AND v.start_date <= (SELECT end_date FROM visit WHERE id = ?)
                   AND v.end_date >= (SELECT start_date FROM visit WHERE id = ?)"""
            )
            params.extend([self.overlapping_id] * 4)
        return clauses, params

    def _where(self) -> tuple[str, list[Any]]:
        # The city is searched in its own small table once per term, not
        # joined to every visit.
        clauses, params = self.extra_filters()
        if self.city_id is not None:
            clauses.append(f"{self.city_column} = ?")
            params.append(self.city_id)
        for term in search_terms(self.text):
            clauses.append(
                "(v.search LIKE ? ESCAPE '\\' OR v.city_id IN (SELECT id FROM city WHERE search LIKE ? ESCAPE '\\'))"
            )
            params.extend([like_pattern(term)] * 2)
        where = " AND ".join(clauses)
        return (f" AND {where}" if where else ""), params

    def _scan(self, key: tuple[Any, ...], counting: bool) -> bool:
        """Read the table straight through (NOT INDEXED) rather than row by
        row in start-date order: measured 15 ms against 90 ms at 100,000."""
        if self.city_id is not None or self.overlapping_id is not None or self.quick == "upcoming":
            return False  # an index narrows these to a few rows
        filtered = bool(self.quick) or bool(search_terms(self.text))
        if counting:
            return filtered  # unfiltered, the start-date index alone counts
        if self.sort != 0:
            return True  # sorted anyway: a straight read is cheaper
        if not filtered:
            return False
        counted = self._counted[1] if self._counted and self._counted[0] == key else 0
        # Nearly every visit matches: the first page is found at once in date
        # order. Fewer: the matches may all lie late in that order (planned
        # visits are the future ones), and a walk could visit every row.
        return counted < self.stats()[1] * WALK_SHARE

    def count(self) -> int:
        where, params = self._where()
        key = (where, *params)
        source = "visit v NOT INDEXED" if self._scan(key, counting=True) else "visit v"
        n = self._conn().execute(f"SELECT count(*) FROM {source} WHERE v.deleted_at IS NULL{where}", params).fetchone()[0]
        self._counted = (key, n)
        return n

    def _order(self, tie: str = "v.rowid") -> str:
        direction = "DESC" if self.descending else "ASC"
        return f" ORDER BY {self.columns[self.sort].sort_sql} {direction}, {tie} {direction}"

    def fetch(self, offset: int, limit: int) -> list[Row]:
        where, params = self._where()
        source = "visit v NOT INDEXED" if self._scan((where, *params), counting=False) else "visit v"
        sort_sql = self.columns[self.sort].sort_sql or ""
        join = " LEFT JOIN city c ON c.id = v.city_id" if "c." in sort_sql else ""
        # The page is chosen first, as rowids only (a small sort); then only
        # its rows are read whole and get the overlap check and the city's
        # name. rowid breaks ties: the start-date order is then exactly
        # ix_visit_live_start's.
        page = f"SELECT v.rowid AS rid FROM {source}{join} WHERE v.deleted_at IS NULL{where}{self._order()} LIMIT ? OFFSET ?"
        sql = (
            "SELECT v.id, v.start_date, v.end_date, v.direction, v.status, v.purpose, c.name AS city, "
            f"c.hangul AS hangul, {overlap_sql(self.stats()[0])} AS overlaps "
            f"FROM ({page}) AS p JOIN visit v ON v.rowid = p.rid LEFT JOIN city c ON c.id = v.city_id"
            f"{self._order('p.rid')}"
        )
        return [self.to_row(r) for r in self._conn().execute(sql, [*params, limit, offset])]

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

    def for_city(self, city_id: str, limit: int = 50) -> list[Row]:
        query = self.query()
        query.city_id = city_id
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
