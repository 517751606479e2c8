"""What belongs to one delegation visit: its members, itinerary and gifts,
and the visit as read whole (VisitDetail) with them.

Each child row carries its visit's id in `visit_id`; a child can only be
added to, or edited on, a live visit. A visit has at most a few hundred
children, so they are read whole, in one query per kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from twindesk.services.money import money
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.text import date_span

ROLES = ("head of delegation", "interpreter", "official", "expert", "performer", "press", "staff")
GIFT_DIRECTIONS = ("given", "received")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


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
    """Shared by the three kinds: the parent visit, reading, form values."""

    order_sql = "created_at"
    text_fields: tuple[str, ...] = ()

    def parent(self, values: dict[str, Any]) -> Any:
        """The live visit the row belongs to (its start and end), or LookupError."""
        visit_id = values.get("visit_id") or ""
        row = self.desk.reader().execute(
            "SELECT id, start_date, end_date FROM visit WHERE id = ? AND deleted_at IS NULL", (visit_id,)
        ).fetchone()
        if row is None:
            raise LookupError("This visit no longer exists (deleted elsewhere?).")
        return row

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

    def form_values(self, record_id: str | None) -> dict[str, Any]:
        found = self.get(record_id) if record_id else None
        if found is None:
            return self.blank()
        out: dict[str, Any] = {}
        for name in self.text_fields:
            value = getattr(found, name)
            out[name] = value.isoformat() if isinstance(value, dt.date) else (value or "")
        return out

    def blank(self) -> dict[str, Any]:
        return {}


class MemberService(VisitPartService):
    table = "member"
    label = "member"
    parents = (("visit_id", "visit"),)
    order_sql = "created_at"
    text_fields = ("name", "title", "organisation", "role", "dietary", "contact")

    def detail(self, r: Any) -> MemberDetail:
        return MemberDetail(r["id"], r["visit_id"], r["name"], r["title"], r["organisation"], r["role"],
                            r["dietary"], r["contact"])

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        visit = self.parent(values)
        check = Checker()
        out = {
            "visit_id": visit["id"],
            "name": check.text("name", values.get("name", ""), label="Name", required=True, max_len=120),
            "title": check.text("title", values.get("title", ""), label="Title", max_len=120),
            "organisation": check.text("organisation", values.get("organisation", ""), label="Organisation",
                                       max_len=160),
            "role": check.text("role", values.get("role", ""), label="Role", max_len=80),
            "dietary": check.text("dietary", values.get("dietary", ""), label="Dietary needs", max_len=200),
            "contact": check.text("contact", values.get("contact", ""), label="Contact", max_len=200),
        }
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("name", ""))


def check_time(check: Checker, field: str, value: str) -> str:
    """An optional 24-hour time, stored as HH:MM ("9:30" becomes "09:30")."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _TIME.fullmatch(value)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        check.fail(field, f"Time: {value[:10]} is not a time of day; write HH:MM (24-hour), e.g. 09:30 or 18:00.")
        return value
    return f"{int(match[1]):02d}:{match[2]}"


class ItineraryService(VisitPartService):
    table = "itinerary_item"
    label = "itinerary item"
    parents = (("visit_id", "visit"),)
    order_sql = "day, time"
    text_fields = ("day", "time", "place", "what", "host")

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
        return tuple(
            replace(i, outside=not start <= i.day.isoformat() <= end) for i in items
        )

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        visit = self.parent(values)
        check = Checker()
        out = {
            "visit_id": visit["id"],
            "day": check.date("day", values.get("day", ""), label="Day", required=True),
            "time": check_time(check, "time", values.get("time", "")),
            "place": check.text("place", values.get("place", ""), label="Place", max_len=160),
            "what": check.text("what", values.get("what", ""), label="What", required=True, max_len=200),
            "host": check.text("host", values.get("host", ""), label="Host", max_len=160),
        }
        day = out["day"]
        start, end = visit["start_date"], visit["end_date"]
        if day is not None and not start <= day.isoformat() <= end:
            check.fail("day", f"The visit runs {start} – {end}: pick a day within it.")
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        day = clean.get("day")
        day_text = day.isoformat() if isinstance(day, dt.date) else str(day or "")
        return f"{day_text} {clean.get('what', '')}".strip()


class GiftService(VisitPartService):
    table = "gift"
    label = "gift"
    parents = (("visit_id", "visit"),)
    order_sql = "given_on IS NULL, given_on, created_at"
    text_fields = ("item", "direction", "counterpart", "occasion", "given_on")

    def detail(self, r: Any) -> GiftDetail:
        given_on = dt.date.fromisoformat(r["given_on"]) if r["given_on"] else None
        return GiftDetail(r["id"], r["visit_id"], r["item"], r["direction"], r["counterpart"], r["occasion"],
                          given_on)

    def blank(self) -> dict[str, Any]:
        return {"direction": "given"}

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        visit = self.parent(values)
        check = Checker()
        out = {
            "visit_id": visit["id"],
            "item": check.text("item", values.get("item", ""), label="Item", required=True, max_len=160),
            "direction": check.choice("direction", values.get("direction", ""), GIFT_DIRECTIONS,
                                      label="Given or received"),
            "counterpart": check.text("counterpart", values.get("counterpart", ""), label="To or from whom",
                                      max_len=160),
            "occasion": check.text("occasion", values.get("occasion", ""), label="Occasion", max_len=160),
            "given_on": check.date("given_on", values.get("given_on", ""), label="Date"),
        }
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("item", ""))
