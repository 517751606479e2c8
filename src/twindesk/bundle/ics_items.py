"""The items of the iCalendar export, one generator per kind.

RSVP deadlines are all-day VEVENTs with two VALARMs (a week and a day
before), not VTODOs: Google Calendar and Outlook drop VTODOs from an
imported file, and khal shows none, while every calendar shows an event on
its day (even those that ignore its alarms). A deadline that has been
answered, or whose invitation is gone, becomes CANCELLED: the reminder
should stop.

Itinerary items are timed: outbound visits happen in Korea, so their times
carry TZID=Asia/Seoul; an inbound visit happens at home, whose zone the
config does not know, so its times are floating (local wherever the
calendar is, which is home). Only a start time is recorded; an item is
shown an hour long. An item with no time is an all-day item on its day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from icalendar import Alarm, Event

VISIT_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}
INVITATION_STATUS = {"declined": "CANCELLED", "accepted": "CONFIRMED", "attended": "CONFIRMED"}
OPEN = ("draft", "sent", "received")  # awaiting an answer: the deadline still matters
CANCELLED = "CANCELLED"
ITEM_LENGTH = dt.timedelta(hours=1)
# Relative to the all-day event's start (its midnight): 09:00 on the day a
# week before, and 09:00 on the day before, rather than at midnight.
REMINDERS = (("a week", -dt.timedelta(days=6, hours=15)), ("a day", -dt.timedelta(hours=15)))


@dataclass(frozen=True)
class Context:
    home: str  # the home city's name, "" when none is set
    sequences: dict[str, int]
    now: dt.datetime
    timezone: str  # the TZID of outbound itinerary times


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _base(uid: str, sequence: int, ctx: Context, summary: str, location: str, description: list[str],
          status: str, updated: str | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", ctx.now)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", "\n".join(line for line in description if line))
    event.add("status", status)
    event.add("sequence", sequence)
    modified = _utc(updated)
    if modified is not None:
        event.add("last-modified", modified)
    return event


def _all_day(event: Event, start: str, end: str) -> Event:
    event.add("dtstart", _date(start))
    event.add("dtend", _date(end) + dt.timedelta(days=1))
    return event


def visits(conn: Any, ctx: Context) -> Iterator[Event]:
    cursor = conn.execute(
        """SELECT v.id, v.direction, v.start_date, v.end_date, v.purpose, v.status, v.notes, v.updated_at,
                  v.deleted_at, c.name AS city
           FROM visit v LEFT JOIN city c ON c.id = v.city_id ORDER BY v.start_date, v.rowid"""
    )
    for r in cursor:
        city = r["city"] or "?"
        summary = f"{r['direction'].capitalize()} visit: {city}"
        if r["purpose"]:
            summary += f" — {r['purpose']}"
        # An inbound delegation visits us: the event happens at home, if we know its name.
        location = ctx.home if r["direction"] == "inbound" else city
        description = [
            f"Status: {r['status']}",
            f"Delegation {'from' if r['direction'] == 'inbound' else 'to'} {city}",
            f"Purpose: {r['purpose']}" if r["purpose"] else "",
            f"Notes:\n{r['notes']}" if r["notes"] else "",
        ]
        status = CANCELLED if r["deleted_at"] else VISIT_STATUS.get(r["status"], "TENTATIVE")
        event = _base(r["id"], ctx.sequences.get(r["id"], 0), ctx, summary, location, description, status,
                      r["updated_at"])
        yield _all_day(event, r["start_date"], r["end_date"])


def _host(r: Any, ctx: Context) -> tuple[str, str]:
    """(the host as named in a summary, the event's location)."""
    if r["city"]:
        return r["city"], r["city"]
    return (ctx.home, ctx.home) if ctx.home else ("hosted by us", "")


def invitations(conn: Any, ctx: Context) -> Iterator[Event]:
    cursor = conn.execute(
        """SELECT i.id, i.direction, i.event_name, i.start_date, i.end_date, i.rsvp_by, i.status, i.party,
                  i.notes, i.updated_at, i.deleted_at, c.name AS city
           FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id ORDER BY i.start_date, i.rowid"""
    )
    for r in cursor:
        named, location = _host(r, ctx)
        description = [
            f"Status: {r['status']} (invitation {r['direction']})",
            f"RSVP by: {r['rsvp_by']}" if r["rsvp_by"] else "",
            f"Who goes or performs: {r['party']}" if r["party"] else "",
            f"Notes:\n{r['notes']}" if r["notes"] else "",
        ]
        status = CANCELLED if r["deleted_at"] else INVITATION_STATUS.get(r["status"], "TENTATIVE")
        event = _base(r["id"], ctx.sequences.get(r["id"], 0), ctx, f"Festival: {r['event_name']} ({named})",
                      location, description, status, r["updated_at"])
        yield _all_day(event, r["start_date"], r["end_date"])


def deadlines(conn: Any, ctx: Context) -> Iterator[Event]:
    """One item per RSVP deadline. A deadline later cleared from its
    invitation keeps its last date from the change log, so the item that
    calendars imported can be cancelled."""
    cleared = {
        record_id: old.strip('"')
        for record_id, old in conn.execute(
            "SELECT record_id, old FROM change WHERE entity = 'invitation' AND field = 'rsvp_by' "
            "AND old IS NOT NULL AND old != 'null' ORDER BY seq"
        )
    }
    cursor = conn.execute(
        """SELECT i.id, i.direction, i.event_name, i.start_date, i.end_date, i.rsvp_by, i.status, i.updated_at,
                  i.deleted_at, c.name AS city
           FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id
           ORDER BY coalesce(i.rsvp_by, i.start_date), i.rowid"""
    )
    for r in cursor:
        due = r["rsvp_by"] or cleared.get(r["id"])
        if not due:
            continue
        named, _ = _host(r, ctx)
        waiting = r["status"] in OPEN and r["rsvp_by"] and not r["deleted_at"]
        who = "Answer the invitation" if r["direction"] == "received" else "Their answer is due"
        description = [
            f"{who} to {r['event_name']} ({named}), {r['start_date']} – {r['end_date']}.",
            f"Status: {r['status']}",
        ]
        event = _base(f"{r['id']}-rsvp", ctx.sequences.get(r["id"], 0), ctx,
                      f"RSVP due: {r['event_name']} ({named})", "", description,
                      "CONFIRMED" if waiting else CANCELLED, r["updated_at"])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        _all_day(event, due, due)
        if waiting:
            for when, trigger in REMINDERS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"RSVP due in {when}: {r['event_name']}")
                alarm.add("trigger", trigger)
                event.add_component(alarm)
        yield event


def itinerary(conn: Any, ctx: Context) -> Iterator[Event]:
    cursor = conn.execute(
        """SELECT i.id, i.visit_id, i.day, i.time, i.place, i.what, i.host, i.updated_at, i.deleted_at,
                  v.direction, v.status AS visit_status, v.deleted_at AS visit_deleted, c.name AS city
           FROM itinerary_item i JOIN visit v ON v.id = i.visit_id LEFT JOIN city c ON c.id = v.city_id
           ORDER BY i.day, i.time, i.rowid"""
    )
    for r in cursor:
        city = r["city"] or "?"
        outbound = r["direction"] == "outbound"
        gone = r["deleted_at"] or r["visit_deleted"] or r["visit_status"] == "cancelled"
        if not r["time"]:
            when = "All day"
        elif outbound:
            when = f"Starts {r['time']} Korea time ({ctx.timezone})"
        else:
            when = f"Starts {r['time']} local time" + (f" in {ctx.home}" if ctx.home else "")
        description = [
            when,
            f"Host: {r['host']}" if r["host"] else "",
            f"{'Outbound' if outbound else 'Inbound'} visit {'to' if outbound else 'from'} {city}",
        ]
        sequence = ctx.sequences.get(r["id"], 0) + ctx.sequences.get(r["visit_id"], 0)
        event = _base(r["id"], sequence, ctx, f"{r['what']} ({city} visit)", r["place"], description,
                      CANCELLED if gone else "CONFIRMED", r["updated_at"])
        if not r["time"]:
            yield _all_day(event, r["day"], r["day"])
            continue
        start = dt.datetime.combine(_date(r["day"]), dt.time.fromisoformat(r["time"]))
        params = {"TZID": ctx.timezone} if outbound else {}
        event.add("dtstart", start, parameters=params)
        event.add("dtend", start + ITEM_LENGTH, parameters=params)
        yield event


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
