"""`twindesk export ics`: visits, festival events, RSVP deadlines and
itinerary items as iCalendar.

Every item's UID comes from its record's UUID (an RSVP deadline adds
"-rsvp"), so importing a second export into a calendar updates the entries
instead of adding copies. SEQUENCE counts the changes logged for the record
since it was created (for an itinerary item, its visit's too: cancelling the
visit cancels the item), so it grows whenever what the item shows changes.

A record that is deleted stays in every later export, as STATUS:CANCELLED
with that higher SEQUENCE: a calendar that imported it then drops it, which
it would never do for an item that simply went missing from the file.

Visits and festivals are all-day (DATE values; DTEND is the day after the
last day, as RFC 5545 wants). Items are built by the icalendar library
(ics_items) and written as soon as each is built: a database of 100,000
visits is never one calendar in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Timezone, TimezoneStandard, vText

from twindesk.bundle import snapshot
from twindesk.bundle.files import write_atomic
from twindesk.bundle.ics_items import Context, deadlines, invitations, itinerary, visits
from twindesk.services.changelog import CREATED

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

PRODID = "-//twindesk//EN"
SEOUL = "Asia/Seoul"
_END = b"END:VCALENDAR\r\n"


def export_ics(desk: Desk, out_file: Path) -> int:
    """Write every visit, invitation, RSVP deadline and itinerary item (the
    deleted ones as cancelled) to `out_file`; returns the number of items."""
    counted = [0]
    with snapshot(desk) as conn:
        write_atomic(Path(out_file), _chunks(desk, conn, counted))
    return counted[0]


def calendar_name(home: str) -> str:
    return f"twindesk: {home}" if home else "twindesk"


def seoul_timezone() -> Timezone:
    """VTIMEZONE for Asia/Seoul, written out rather than read from the
    system's zone database (Windows has none): Korea has kept +09:00 all
    year since 1988, and itineraries are never older than that."""
    zone = Timezone()
    zone.add("tzid", SEOUL)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=9))
    standard.add("tzoffsetto", dt.timedelta(hours=9))
    standard.add("tzname", "KST")
    zone.add_component(standard)
    return zone


def _chunks(desk: Desk, conn: Any, counted: list[int]) -> Iterator[bytes]:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # As TEXT: icalendar writes unknown X- properties raw, and readers split
    # a raw "Springfield, IL" at the comma.
    calendar.add("x-wr-calname", vText(calendar_name(desk.config.home.name)))
    calendar.add_component(seoul_timezone())
    head = calendar.to_ical()
    # The calendar's own lines, then each item, then its END line: the same
    # bytes Calendar.to_ical() gives with the items inside.
    yield head[: -len(_END)] if head.endswith(_END) else head
    context = Context(
        home=desk.config.home.name,
        sequences=_sequences(conn),
        now=dt.datetime.now(dt.UTC).replace(microsecond=0),
        timezone=SEOUL,
    )
    for source in (visits, invitations, deadlines, itinerary):
        for item in source(conn, context):
            counted[0] += 1
            yield item.to_ical()
    yield _END


def _sequences(conn: Any) -> dict[str, int]:
    """Changes logged per exported record after its creation, in one grouped query."""
    rows = conn.execute(
        "SELECT record_id, count(*) FROM change WHERE entity IN ('visit', 'invitation', 'itinerary_item') "
        "AND field != ? GROUP BY record_id",
        (CREATED,),
    )
    return {record_id: n for record_id, n in rows}
