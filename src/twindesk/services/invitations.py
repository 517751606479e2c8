"""Festival and event invitations, sent and received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.records import RecordService
from twindesk.text import date_span

DIRECTIONS = ("received", "sent")
STATUSES = ("draft", "sent", "received", "accepted", "declined", "attended")
OPEN_STATUSES = ("draft", "sent", "received")  # still waiting for an answer
SOON_DAYS = 14
HOME = "home"  # typed in the host field for an event in our own city


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
    id_sql = "i.id"
    city_column = "i.host_city_id"

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
    table = "invitation"
    label = "invitation"
    parents = (("host_city_id", "city"),)

    def query(self) -> InvitationQuery:
        return InvitationQuery(self.desk.reader, self.today(), self.desk.config.home.name)

    def get(self, invitation_id: str) -> InvitationDetail | None:
        r = self.desk.reader().execute(
            "SELECT * FROM invitation WHERE id = ? AND deleted_at IS NULL", (invitation_id,)
        ).fetchone()
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

    def form_values(self, invitation_id: str | None) -> dict[str, Any]:
        found = self.get(invitation_id) if invitation_id else None
        if found is None:
            return {"direction": "received", "status": "received", "host": ""}
        return {
            "direction": found.direction,
            "event_name": found.event_name,
            "host": found.host,
            "start_date": found.start_date.isoformat(),
            "end_date": found.end_date.isoformat(),
            "rsvp_by": found.rsvp_by.isoformat() if found.rsvp_by else "",
            "status": found.status,
            "party": found.party,
            "notes": found.notes,
        }

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        check = self.checker()
        host_typed = (values.get("host") or "").strip()
        home = self.desk.config.home.name
        is_home = host_typed.casefold() in {HOME, "home city", home.casefold()} if host_typed else False
        out = {
            "direction": check.choice("direction", values.get("direction", ""), DIRECTIONS, label="Direction"),
            "event_name": check.text(
                "event_name", values.get("event_name", ""), label="Event name", required=True, max_len=120
            ),
            "host_city_id": None if is_home else self.city(check, "host", host_typed, label="Host city"),
            "start_date": check.date("start_date", values.get("start_date", ""), label="Start", required=True),
            "end_date": check.date("end_date", values.get("end_date", ""), label="End", required=True),
            "rsvp_by": check.date("rsvp_by", values.get("rsvp_by", ""), label="RSVP deadline"),
            "status": check.choice("status", values.get("status", ""), STATUSES, label="Status"),
            "party": check.text("party", values.get("party", ""), label="Who goes or performs", max_len=1000,
                                multiline=True),
            "notes": check.text("notes", values.get("notes", ""), label="Notes", max_len=5000, multiline=True),
        }
        self.date_range(check, out["start_date"], out["end_date"])
        if out["rsvp_by"] and out["end_date"] and out["rsvp_by"] > out["end_date"]:
            check.fail("rsvp_by", "The RSVP deadline is after the event has ended.")
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("event_name", ""))
