"""Invitations on services: validation, deadlines, quick filters, undo."""

from __future__ import annotations

import datetime as dt

import pytest

from twindesk.services import Invalid

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def fixed(desk):
    desk.today = lambda: TODAY
    return desk


def invitation(**changes: str) -> dict[str, str]:
    values = {
        "direction": "received",
        "event_name": "Jinju Namgang Yudeung Festival",
        "host": "Jinju",
        "start_date": "2027-10-01",
        "end_date": "2027-10-12",
        "rsvp_by": "",
        "status": "received",
        "party": "",
        "notes": "",
    }
    values.update(changes)
    return values


def test_create_list_and_read_back(fixed):
    ident = fixed.invitations.create(invitation(host="진주", notes="[bold]VIP[/]")).id
    found = fixed.invitations.get(ident)
    assert found.host == "Jinju" and found.notes == "[bold]VIP[/]"
    row = fixed.invitations.query().fetch(0, 10)[0]
    assert row.cells[:3] == ("2027-10-01 – 2027-10-12", "Jinju Namgang Yudeung Festival", "Jinju")


def test_home_hosted_event_has_no_korean_city(fixed):
    ident = fixed.invitations.create(invitation(direction="sent", host="home", event_name="Our jazz festival")).id
    assert fixed.invitations.get(ident).host_city_id is None
    assert fixed.invitations.query().fetch(0, 1)[0].cells[2] == "Home city"  # no home profile in this config


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("event_name", "", "Event name is required"),
        ("host", "Atlantis", "No city called “Atlantis”"),
        ("host", "", "Host city is required"),
        ("start_date", "2026-02-30", "not a real date"),
        ("start_date", "01/10/2027", "YYYY-MM-DD"),
        ("end_date", "2027-09-30", "before the start"),
        ("rsvp_by", "2027-10-20", "after the event has ended"),
        ("status", "maybe", "Status must be one of"),
    ],
)
def test_bad_values_are_refused_at_their_field(fixed, field, value, message):
    with pytest.raises(Invalid) as caught:
        fixed.invitations.create(invitation(**{field: value}))
    assert message in caught.value.errors[field]
    assert fixed.invitations.query().count() == 0


def test_deadlines_within_14_days_warn_and_overdue_ones_are_errors(fixed):
    fixed.invitations.create(invitation(event_name="Soon", rsvp_by="2026-12-01"))
    fixed.invitations.create(invitation(event_name="Late", rsvp_by="2026-11-20"))
    fixed.invitations.create(invitation(event_name="Later", rsvp_by="2027-01-30"))
    fixed.invitations.create(invitation(event_name="Answered", rsvp_by="2026-11-20", status="accepted"))
    tones = {r.label: r.tone for r in fixed.invitations.query().fetch(0, 10)}
    assert tones == {"Soon": "warning", "Late": "error", "Later": "", "Answered": ""}
    query = fixed.invitations.query()
    query.quick = "due"
    assert sorted(r.label for r in query.fetch(0, 10)) == ["Late", "Soon"]


def test_delete_and_undo(fixed):
    ident = fixed.invitations.create(invitation()).id
    fixed.invitations.delete(ident)
    assert fixed.invitations.get(ident) is None
    assert fixed.undo.undo_last() == "Delete invitation Jinju Namgang Yudeung Festival"
    assert fixed.invitations.get(ident) is not None


def test_for_city_lists_only_that_city(fixed):
    fixed.invitations.create(invitation())
    fixed.invitations.create(invitation(host="Busan", event_name="Busan International Film Festival"))
    jinju = fixed.cities.resolve("Jinju").id
    assert [r.label for r in fixed.invitations.for_city(jinju)] == ["Jinju Namgang Yudeung Festival"]
