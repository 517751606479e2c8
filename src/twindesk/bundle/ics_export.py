"""`twindesk export ics`: delegation visits and festival events as iCalendar.

Every event's UID is its record's UUID, so importing a second export into
a calendar updates the entries instead of adding copies; SEQUENCE is the
number of changes logged for the record since it was created, so it grows
whenever the record changes. Events are all-day (DATE values) and, as
RFC 5545 wants, DTEND is the day after the last day.

Each event is built by the icalendar library and written as soon as it is
built: a database of 100,000 visits is never one calendar in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from twindesk.bundle import snapshot
from twindesk.bundle.files import write_atomic
from twindesk.services.changelog import CREATED

PRODID = "-//twindesk//EN"
VISIT_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}
INVITATION_STATUS = {"declined": "CANCELLED", "accepted": "CONFIRMED", "attended": "CONFIRMED"}
_END = b"END:VCALENDAR\r\n"


def export_ics(desk: Any, out_file: Path) -> int:
    """Write the live visits and invitations to `out_file`; returns the number of events."""
    counted = [0]
    with snapshot(desk) as conn:
        write_atomic(Path(out_file), _chunks(desk, conn, counted))
    return counted[0]


def _chunks(desk: Any, conn: Any, counted: list[int]) -> Iterator[bytes]:
    home = desk.config.home.name or "Home city"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"twindesk: {home}" if desk.config.home.name else "twindesk")
    head = calendar.to_ical()
    # The calendar's own lines, then each event, then its END line: the same
    # bytes Calendar.to_ical() gives with the events inside.
    yield head[: -len(_END)] if head.endswith(_END) else head
    sequences = _sequences(conn)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for event in _visits(conn, home, sequences, now):
        counted[0] += 1
        yield event.to_ical()
    for event in _invitations(conn, home, sequences, now):
        counted[0] += 1
        yield event.to_ical()
    yield _END


def _sequences(conn: Any) -> dict[str, int]:
    """Changes logged per visit and invitation after creation, in one grouped query."""
    rows = conn.execute(
        "SELECT record_id, count(*) FROM change WHERE entity IN ('visit', 'invitation') AND field != ? "
        "GROUP BY record_id",
        (CREATED,),
    )
    return {record_id: n for record_id, n in rows}


def _event(r: Any, sequences: dict[str, int], now: dt.datetime, summary: str, location: str,
           description: list[str], status: str) -> Event:
    event = Event()
    event.add("uid", r["id"])
    event.add("dtstamp", now)
    event.add("dtstart", dt.date.fromisoformat(r["start_date"]))
    event.add("dtend", dt.date.fromisoformat(r["end_date"]) + dt.timedelta(days=1))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", "\n".join(line for line in description if line))
    event.add("status", status)
    event.add("sequence", sequences.get(r["id"], 0))
    modified = _utc(r["updated_at"])
    if modified is not None:
        event.add("last-modified", modified)
    return event


def _visits(conn: Any, home: str, sequences: dict[str, int], now: dt.datetime) -> Iterator[Event]:
    cursor = conn.execute(
        """SELECT v.id, v.direction, v.start_date, v.end_date, v.purpose, v.status, v.notes, v.updated_at,
                  c.name AS city
           FROM visit v LEFT JOIN city c ON c.id = v.city_id
           WHERE v.deleted_at IS NULL ORDER BY v.start_date"""
    )
    for r in cursor:
        city = r["city"] or "?"
        summary = f"{r['direction'].capitalize()} visit: {city}"
        if r["purpose"]:
            summary += f" — {r['purpose']}"
        # An inbound delegation visits us: the event happens at home.
        location = home if r["direction"] == "inbound" else city
        description = [
            f"Status: {r['status']}",
            f"Delegation {'from' if r['direction'] == 'inbound' else 'to'} {city}",
            f"Purpose: {r['purpose']}" if r["purpose"] else "",
            f"Notes:\n{r['notes']}" if r["notes"] else "",
        ]
        yield _event(r, sequences, now, summary, location, description,
                     VISIT_STATUS.get(r["status"], "TENTATIVE"))


def _invitations(conn: Any, home: str, sequences: dict[str, int], now: dt.datetime) -> Iterator[Event]:
    cursor = conn.execute(
        """SELECT i.id, i.direction, i.event_name, i.start_date, i.end_date, i.rsvp_by, i.status, i.party,
                  i.notes, i.updated_at, c.name AS city
           FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id
           WHERE i.deleted_at IS NULL ORDER BY i.start_date"""
    )
    for r in cursor:
        host = r["city"] or home
        description = [
            f"Status: {r['status']} (invitation {r['direction']})",
            f"RSVP by: {r['rsvp_by']}" if r["rsvp_by"] else "",
            f"Who goes or performs: {r['party']}" if r["party"] else "",
            f"Notes:\n{r['notes']}" if r["notes"] else "",
        ]
        yield _event(r, sequences, now, f"Festival: {r['event_name']} ({host})", host, description,
                     INVITATION_STATUS.get(r["status"], "TENTATIVE"))


def _utc(stamp: str | None) -> dt.datetime | None:
    """A stored timestamp (naive means UTC) as an aware UTC datetime, whole seconds."""
    if not stamp:
        return None
    try:
        value = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value.replace(microsecond=0)
