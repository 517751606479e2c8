"""Calendars that remind: RSVP deadlines, timed itinerary items, cancelled
records, and a file that a second, independent parser (vobject) reads too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from twindesk.bundle.ics_export import export_ics

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def trip(desk):
    desk.today = lambda: TODAY
    desk.config.home.name = "Springfield, IL"
    ids = {
        "out": desk.visits.create({"direction": "outbound", "city": "Busan", "start_date": "2026-05-04",
                                   "end_date": "2026-05-07", "purpose": "Port forum", "status": "confirmed"}).id,
        "in": desk.visits.create({"direction": "inbound", "city": "Jeonju", "start_date": "2026-06-01",
                                  "end_date": "2026-06-02", "purpose": "Hanok study", "status": "planned"}).id,
        "festival": desk.invitations.create({
            "direction": "received", "event_name": "진주 남강유등축제", "host": "Jinju", "start_date": "2026-10-01",
            "end_date": "2026-10-12", "rsvp_by": "2026-09-01", "status": "received"}).id,
        "answered": desk.invitations.create({
            "direction": "received", "event_name": "Busan Fireworks", "host": "Busan", "start_date": "2026-11-07",
            "end_date": "2026-11-07", "rsvp_by": "2026-10-01", "status": "accepted"}).id,
    }  # fmt: skip
    ids["seoul_time"] = desk.itinerary.create({"visit_id": ids["out"], "day": "2026-05-05", "time": "9:30",
                                               "what": "Courtesy call, Mayor", "place": "부산시청"}).id
    ids["all_day"] = desk.itinerary.create({"visit_id": ids["out"], "day": "2026-05-06", "what": "Port tour"}).id
    ids["home_time"] = desk.itinerary.create({"visit_id": ids["in"], "day": "2026-06-01", "time": "14:00",
                                              "what": "Welcome at city hall"}).id
    return desk, ids


def export(desk, path: Path) -> dict[str, object]:
    export_ics(desk, path)
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def second_parser(path: Path) -> dict[str, object]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return {e.uid.value: e for e in calendar.vevent_list}


def test_each_rsvp_deadline_is_its_own_all_day_item_with_two_reminders(trip, tmp_path):
    desk, ids = trip
    found = export(desk, tmp_path / "c.ics")
    due = found[f"{ids['festival']}-rsvp"]
    assert due["dtstart"].dt == dt.date(2026, 9, 1) and due["dtend"].dt == dt.date(2026, 9, 2)
    assert str(due["summary"]) == "RSVP due: 진주 남강유등축제 (Jinju)" and str(due["status"]) == "CONFIRMED"
    triggers = sorted(a["trigger"].dt for a in due.walk("VALARM"))
    midnight = dt.datetime(2026, 9, 1)
    fires = [midnight + t for t in triggers]
    assert [f.date() for f in fires] == [dt.date(2026, 8, 25), dt.date(2026, 8, 31)]  # a week and a day before
    assert all(str(a["action"]) == "DISPLAY" for a in due.walk("VALARM"))
    # Already answered: the reminder is withdrawn, not left ringing.
    answered = found[f"{ids['answered']}-rsvp"]
    assert str(answered["status"]) == "CANCELLED" and answered.walk("VALARM") == []


def test_itinerary_items_are_timed_in_the_zone_where_they_happen(trip, tmp_path):
    desk, ids = trip
    out = tmp_path / "c.ics"
    found = export(desk, out)
    seoul = found[ids["seoul_time"]]
    assert seoul["dtstart"].params["TZID"] == "Asia/Seoul"
    start = seoul["dtstart"].dt
    assert (start.hour, start.minute) == (9, 30) and start.utcoffset() == dt.timedelta(hours=9)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 5, 5, 0, 30, tzinfo=dt.UTC)
    assert str(seoul["location"]) == "부산시청" and "Korea time" in str(seoul["description"])
    raw = out.read_bytes().decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\n" in raw and "TZOFFSETTO:+0900" in raw
    home = found[ids["home_time"]]
    assert home["dtstart"].dt == dt.datetime(2026, 6, 1, 14, 0) and home["dtstart"].dt.tzinfo is None  # floating
    assert found[ids["all_day"]]["dtstart"].dt == dt.date(2026, 5, 6)
    # vobject reads the same instant.
    again = second_parser(out)[ids["seoul_time"]].dtstart.value
    assert again.astimezone(dt.UTC) == dt.datetime(2026, 5, 5, 0, 30, tzinfo=dt.UTC)


def test_deleted_records_stay_cancelled_with_a_higher_sequence(trip, tmp_path):
    desk, ids = trip
    before = export(desk, tmp_path / "a.ics")
    desk.visits.delete(ids["out"])
    desk.invitations.delete(ids["festival"])
    desk.itinerary.delete(ids["home_time"])
    after = export(desk, tmp_path / "b.ics")
    assert set(before) == set(after)  # nothing silently goes missing
    for uid in (ids["out"], ids["seoul_time"], ids["all_day"], ids["festival"], f"{ids['festival']}-rsvp",
                ids["home_time"]):
        assert str(after[uid]["status"]) == "CANCELLED", uid
        assert int(after[uid]["sequence"]) > int(before[uid]["sequence"]), uid
    assert str(after[ids["in"]]["status"]) == str(before[ids["in"]]["status"]) == "TENTATIVE"
    assert int(after[ids["in"]]["sequence"]) == int(before[ids["in"]]["sequence"])
    # Undo brings the visit back, and the sequence still only grows.
    desk.undo.undo_last()  # the itinerary item
    desk.undo.undo_last()  # the invitation
    desk.undo.undo_last()  # the visit
    restored = export(desk, tmp_path / "c.ics")
    assert str(restored[ids["out"]]["status"]) == "CONFIRMED"
    assert int(restored[ids["out"]]["sequence"]) > int(after[ids["out"]]["sequence"])


def test_a_cleared_deadline_is_cancelled_on_its_last_date(trip, tmp_path):
    desk, ids = trip
    values = desk.invitations.form_values(ids["festival"])
    desk.invitations.update(ids["festival"], {**values, "rsvp_by": ""})
    due = export(desk, tmp_path / "c.ics")[f"{ids['festival']}-rsvp"]
    assert due["dtstart"].dt == dt.date(2026, 9, 1) and str(due["status"]) == "CANCELLED"


def test_calendar_name_is_text_and_reads_back_whole(trip, tmp_path):
    desk, _ = trip
    out = tmp_path / "c.ics"
    export_ics(desk, out)
    assert "X-WR-CALNAME:twindesk: Springfield\\, IL\r\n" in out.read_bytes().decode()
    assert vobject.readOne(out.read_text(encoding="utf-8")).x_wr_calname.value == "twindesk: Springfield, IL"


def test_no_made_up_home_location_when_no_home_city_is_set(trip, tmp_path):
    desk, ids = trip
    desk.config.home.name = ""
    desk.invitations.create({"direction": "sent", "event_name": "Jazz Days", "host": "home",
                             "start_date": "2026-07-01", "end_date": "2026-07-03", "status": "sent"})
    found = export(desk, tmp_path / "c.ics")
    assert "location" not in found[ids["in"]]
    assert "location" not in found[ids["home_time"]]
    jazz = next(e for e in found.values() if "Jazz Days" in str(e["summary"]))
    assert "location" not in jazz and "Home city" not in jazz.to_ical().decode()
    assert str(found[ids["out"]]["location"]) == "Busan"


def test_a_second_parser_reads_every_item(trip, tmp_path):
    desk, _ids = trip
    desk.outcomes  # noqa: B018
    desk.visits.create({"direction": "outbound", "city": "Busan", "start_date": "2026-12-30",
                        "end_date": "2027-01-02", "purpose": "[bold]New year[/] <b> \x1b]2;X\x1b\\ 😀, ;",
                        "status": "planned", "notes": "line one\nline two, with; marks"})
    out = tmp_path / "c.ics"
    count = export_ics(desk, out)
    first, second = export(desk, out), second_parser(out)
    assert len(second) == len(first) == count == 10
    for uid, event in first.items():
        other = second[uid]
        assert other.summary.value == str(event["summary"])
        assert other.status.value == str(event["status"])
        assert other.dtstart.value == event["dtstart"].dt or (
            other.dtstart.value.astimezone(dt.UTC) == event["dtstart"].dt.astimezone(dt.UTC))
    new_year = next(e for e in second.values() if "New year" in e.summary.value)
    assert "[bold]New year[/] <b>" in new_year.summary.value and "😀, ;" in new_year.summary.value
    assert "line one\nline two, with; marks" in new_year.description.value
