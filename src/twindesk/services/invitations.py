"""Festival and event invitations, sent and received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from twindesk.registry.fields import HOME
from twindesk.registry.fields import INVITATION_DIRECTIONS as DIRECTIONS
from twindesk.registry.fields import INVITATION_STATUSES as STATUSES
from twindesk.registry.spec import FieldSpec
from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.text import date_span

__all__ = ["DIRECTIONS", "HOME", "OPEN_STATUSES", "STATUSES", "InvitationDetail", "InvitationService"]

OPEN_STATUSES = ("draft", "sent", "received")  # still waiting for an answer
SOON_DAYS = 14


@dataclass(frozen=True)
class InvitationDetail:
    id: str
    direction: str
    event_name: str
    host_city_id: str | None
    host: str  # the city's name, or the home city's
    start_date: dt.date
    end_date: dt.date
    rsvp_by: dt.date | None
    status: str
    party: str
    notes: str


def deadline_tone(rsvp_by: dt.date | None, status: str, today: dt.date) -> str:
    """Overdue answers are errors, answers due within 14 days warnings."""
    if rsvp_by is None or status not in OPEN_STATUSES:
        return ""
    if rsvp_by < today:
        return "error"
    if rsvp_by <= today + dt.timedelta(days=SOON_DAYS):
        return "warning"
    return ""


class InvitationQuery(PagedQuery):
    columns = (
        Column("dates", "Dates", 23, "i.start_date"),
        Column("event", "Event", 30, "i.event_name COLLATE NOCASE"),
        Column("host", "Host", 12, "c.name COLLATE NOCASE"),
        Column("direction", "Dir", 8, "i.direction"),
        Column("status", "Status", 9, "i.status"),
        Column("rsvp", "RSVP by", 10, "i.rsvp_by"),
    )
    base_sql = "FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id WHERE i.deleted_at IS NULL"
    search_columns = ("i.search", "c.search")
    select_sql = "i.id, i.start_date, i.end_date, i.event_name, c.name AS host, i.direction, i.status, i.rsvp_by"
    id_sql = "i.rowid"  # with start_date, exactly the live-date index: no sort for a page
    alias = "i."
    table = "invitation"
    fts = "invitation_fts"
    dated = True
    city_column = "i.host_city_id"
    walk_index = "ix_invitation_live_start"

    def __init__(self, reader: Any, today: dt.date, home_name: str) -> None:
        super().__init__(reader)
        self.today = today
        self.home_name = home_name or "Home city"
        self.quick: str | None = None

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        today = self.today.isoformat()
        soon = (self.today + dt.timedelta(days=SOON_DAYS)).isoformat()
        open_sql = "i.status IN ('draft', 'sent', 'received')"
        filters = {
            "due": ([f"{open_sql} AND i.rsvp_by IS NOT NULL AND i.rsvp_by <= ?"], [soon]),
            "upcoming": (["i.end_date >= ?"], [today]),
            "received": (["i.direction = 'received'"], []),
            "sent": (["i.direction = 'sent'"], []),
        }
        return filters.get(self.quick or "", ([], []))

    def to_row(self, r: Any) -> Row:
        start, end = r["start_date"], r["end_date"]
        dates = date_span(start, end)
        rsvp = dt.date.fromisoformat(r["rsvp_by"]) if r["rsvp_by"] else None
        return Row(
            r["id"],
            (dates, r["event_name"], r["host"] or self.home_name, r["direction"], r["status"], r["rsvp_by"] or ""),
            tone=deadline_tone(rsvp, r["status"], self.today),
            label=r["event_name"],
        )


class InvitationService(RecordService):
    kind_key = "invitation"
    defaults = {"direction": "received", "status": "received", "host": ""}

    def query(self) -> InvitationQuery:
        return InvitationQuery(self.desk.reader, self.today(), self.desk.config.home.name)

    def get(self, invitation_id: str) -> InvitationDetail | None:
        r = self.row(invitation_id)
        if r is None:
            return None
        return InvitationDetail(
            id=r["id"],
            direction=r["direction"],
            event_name=r["event_name"],
            host_city_id=r["host_city_id"],
            host=self.desk.cities.name_of(r["host_city_id"]) if r["host_city_id"] else HOME,
            start_date=dt.date.fromisoformat(r["start_date"]),
            end_date=dt.date.fromisoformat(r["end_date"]),
            rsvp_by=dt.date.fromisoformat(r["rsvp_by"]) if r["rsvp_by"] else None,
            status=r["status"],
            party=r["party"],
            notes=r["notes"],
        )

    def stored_values(self, row: Any) -> dict[str, Any]:
        values = super().stored_values(row)
        if not row["host_city_id"]:
            values["host"] = HOME
        return values

    def _city(self, check: Checker, spec: FieldSpec, typed: str) -> str | None:
        typed = (typed or "").strip()
        home = self.desk.config.home.name
        if typed and typed.casefold() in {HOME, "home city", home.casefold()}:
            return None  # an event in our own city
        return super()._city(check, spec, typed)

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        self.date_range(check, out["start_date"], out["end_date"])
        if out["rsvp_by"] and out["end_date"] and out["rsvp_by"] > out["end_date"]:
            check.fail("rsvp_by", "The RSVP deadline is after the event has ended.")

    def outcome_initial(self, row: Any) -> dict[str, Any]:
        return {"invitation_id": row["id"], "city": self.desk.cities.name_of(row["host_city_id"]),
                "area": "tourism", "programme": "festivals_joint_events", "happened_on": row["end_date"],
                "title": row["event_name"]}

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        lines = super().detail_lines(row)
        if not row["host_city_id"]:
            home = self.desk.config.home.name or "our own city"
            lines = [(label, home if label == "Host city" else value) for label, value in lines]
        return lines

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("event_name", ""))
