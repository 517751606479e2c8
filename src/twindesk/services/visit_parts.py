"""What belongs to one delegation visit: its members, itinerary and gifts,
and the visit as read whole (VisitDetail) with them.

Each child row carries its visit's id in `visit_id`; a child can only be
added to, or edited on, a live visit. A visit has at most a few hundred
children, so they are read whole, in one query per kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from twindesk.registry.fields import GIFT_DIRECTIONS
from twindesk.services.listing import Row
from twindesk.services.money import check_currency, money
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.text import date_span

__all__ = ["GIFT_DIRECTIONS", "ROLES", "GiftService", "ItineraryService", "MemberService", "VisitDetail"]

ROLES = ("head of delegation", "interpreter", "official", "expert", "performer", "press", "staff")


@dataclass(frozen=True)
class MemberDetail:
    id: str
    visit_id: str
    name: str
    title: str
    organisation: str
    role: str
    dietary: str
    contact: str


@dataclass(frozen=True)
class ItineraryDetail:
    id: str
    visit_id: str
    day: dt.date
    time: str  # "HH:MM" or ""
    place: str
    what: str
    host: str
    outside: bool = False  # the visit's dates moved and this day is no longer within them


@dataclass(frozen=True)
class GiftDetail:
    id: str
    visit_id: str
    item: str
    direction: str
    counterpart: str
    occasion: str
    given_on: dt.date | None


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


def suggest_role(prefix: str) -> str | None:
    """Type-ahead for the free-text role: the first usual role starting with `prefix`."""
    if not prefix.strip():
        return None
    low = prefix.casefold()
    found = next((r for r in ROLES if r.startswith(low)), None)
    # The Input completes what was typed, so keep the user's own capitals.
    return prefix + found[len(prefix):] if found else None


class VisitPartService(RecordService):
    """Shared by the three kinds: rows of one visit, read whole (a visit
    has at most a few hundred), and the visit they belong to."""

    def _rows(self, where: str, params: tuple[Any, ...]) -> list[Any]:
        return self.desk.reader().execute(
            f"SELECT * FROM {self.table} WHERE {where} AND deleted_at IS NULL ORDER BY {self.order_sql}, rowid",
            params,
        ).fetchall()

    def for_visit(self, visit_id: str) -> tuple[Any, ...]:
        return tuple(self.detail(r) for r in self._rows("visit_id = ?", (visit_id,)))

    def get(self, record_id: str) -> Any:
        rows = self._rows("id = ?", (record_id,))
        return self.detail(rows[0]) if rows else None

    def detail(self, r: Any) -> Any:
        raise NotImplementedError

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        self.parent_row(values)  # LookupError when the visit is gone: saving says so


class MemberService(VisitPartService):
    kind_key = "member"

    def detail(self, r: Any) -> MemberDetail:
        return MemberDetail(r["id"], r["visit_id"], r["name"], r["title"], r["organisation"], r["role"],
                            r["dietary"], r["contact"])

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("name", ""))


class ItineraryService(VisitPartService):
    kind_key = "itinerary_item"
    order_sql = "day, time"

    def detail(self, r: Any) -> ItineraryDetail:
        return ItineraryDetail(r["id"], r["visit_id"], dt.date.fromisoformat(r["day"]), r["time"], r["place"],
                               r["what"], r["host"])

    def for_visit(self, visit_id: str) -> tuple[ItineraryDetail, ...]:
        visit = self.desk.reader().execute(
            "SELECT start_date, end_date FROM visit WHERE id = ?", (visit_id,)
        ).fetchone()
        items = super().for_visit(visit_id)
        if visit is None:
            return items
        start, end = visit["start_date"], visit["end_date"]
        return tuple(replace(i, outside=not start <= i.day.isoformat() <= end) for i in items)

    def child_row(self, r: Any, columns: tuple[str, ...]) -> Row:
        row = super().child_row(r, columns)
        visit = self.desk.reader().execute("SELECT start_date, end_date FROM visit WHERE id = ?",
                                           (r["visit_id"],)).fetchone()
        if visit is None or visit["start_date"] <= r["day"] <= visit["end_date"]:
            return row
        # The visit's dates moved and this day is no longer within them.
        return replace(row, cells=(f"⚠ {row.cells[0]}", *row.cells[1:]), tone="warning")

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        visit = self.parent_row(values)
        day = out["day"]
        start, end = visit["start_date"], visit["end_date"]
        if day is not None and not start <= day.isoformat() <= end:
            check.fail("day", f"The visit runs {start} – {end}: pick a day within it.")

    def describe(self, clean: dict[str, Any]) -> str:
        day = clean.get("day")
        day_text = day.isoformat() if isinstance(day, dt.date) else str(day or "")
        return f"{day_text} {clean.get('what', '')}".strip()


class GiftService(VisitPartService):
    kind_key = "gift"
    order_sql = "given_on IS NULL, given_on, created_at"
    defaults = {"direction": "given"}

    def detail(self, r: Any) -> GiftDetail:
        given_on = dt.date.fromisoformat(r["given_on"]) if r["given_on"] else None
        return GiftDetail(r["id"], r["visit_id"], r["item"], r["direction"], r["counterpart"], r["occasion"],
                          given_on)

    def query(self) -> Any:
        from twindesk.services.gift_register import GiftQuery

        config = self.desk.config
        return GiftQuery(self.desk.reader, self.today(), config.gift_threshold, config.gift_currency)

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        super().rules(check, out, values, record_id)
        if out["value_amount"] and not out["value_currency"] and "value_currency" not in check.errors:
            check_currency(check, "value_currency", "", needed=True, what="the value")

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("item", ""))
