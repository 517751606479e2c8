"""CSV and iCalendar exports, atomic private files, and `twindesk export`."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from icalendar import Calendar

from twindesk.bundle import csv_export, files
from twindesk.bundle.csv_export import export_csv
from twindesk.bundle.files import write_atomic
from twindesk.bundle.ics_export import export_ics
from twindesk.cli import main
from twindesk.services import Desk

TODAY = dt.date(2026, 11, 24)
CSV_FILES = {
    "cities.csv", "partnerships.csv", "stage_changes.csv", "contacts.csv", "visits.csv", "members.csv",
    "itinerary.csv", "gifts.csv", "invitations.csv", "outcomes.csv", "figures.csv",
}  # fmt: skip


def visit(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "direction": "outbound", "city": "Busan", "start_date": "2026-05-04", "end_date": "2026-05-07",
        "purpose": "부산 관광 박람회 | tourism fair", "areas": ["tourism", "business"], "status": "confirmed",
        "budget_amount": "12,500.00", "budget_currency": "EUR", "notes": "line one\nline two",
    }  # fmt: skip
    values.update(changes)
    return values


def invitation(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "direction": "received", "event_name": "진주 남강유등축제", "host": "Jinju", "start_date": "2026-10-01",
        "end_date": "2026-10-12", "rsvp_by": "", "status": "accepted", "party": "Brass band", "notes": "",
    }  # fmt: skip
    values.update(changes)
    return values


@pytest.fixture
def filled(desk):
    desk.today = lambda: TODAY
    desk.config.home.name = "Springfield"
    ids: dict[str, str] = {}
    ids["partnership"] = desk.partnerships.create({
        "city": "Busan", "kind": "sister", "stage": "active", "signed_on": "2020-05-01",
        "signed_place": "부산시청", "areas": ["tourism", "education"], "sectors": ["smart_cities"],
        "notes": "", "stage_changed_on": "2021-01-01",
    }).id  # fmt: skip
    ids["contact"] = desk.contacts.create({
        "partnership_id": ids["partnership"], "name": "김민준", "title": "국제교류 주무관",
        "email": "minjun@busan.go.kr", "phone": "+82 51 888 1234",
    }).id  # fmt: skip
    ids["visit"] = desk.visits.create(visit()).id
    ids["member"] = desk.members.create({"visit_id": ids["visit"], "name": "Anna Becker", "role": "head"}).id
    ids["item"] = desk.itinerary.create({"visit_id": ids["visit"], "day": "2026-05-05", "time": "9:30",
                                         "what": "해운대 tour", "place": "Haeundae"}).id
    ids["gift"] = desk.gifts.create({"visit_id": ids["visit"], "item": "Pottery", "direction": "given"}).id
    ids["cancelled"] = desk.visits.create(visit(status="cancelled", direction="inbound", purpose="Trade mission")).id
    ids["gone"] = desk.visits.create(visit(purpose="Deleted visit")).id
    desk.members.create({"visit_id": ids["gone"], "name": "Orphan Member"})
    desk.visits.delete(ids["gone"])
    ids["festival"] = desk.invitations.create(invitation()).id
    ids["home_event"] = desk.invitations.create(
        invitation(direction="sent", host="home", event_name="Springfield Jazz Days", status="declined")
    ).id
    ids["outcome"] = desk.outcomes.create({
        "area": "tourism", "programme": "joint_promotion", "city": "Busan", "happened_on": "2026-05-06",
        "title": "=HYPERLINK(\"x\")", "description": "한글 설명", "m_visitors": "1,200", "m_trade_value": "5000",
        "trade_currency": "KRW",
    }).id  # fmt: skip
    return desk, ids


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# CSV ------------------------------------------------------------------------------
def test_csv_one_file_per_record_type_with_bom_and_ids_first(filled, tmp_path):
    desk, _ids = filled
    paths = export_csv(desk, tmp_path / "out")
    assert {p.name for p in paths} == CSV_FILES
    for path in paths:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfid,") and raw.count(b"\xef\xbb\xbf") == 1
        assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700


def test_csv_reads_back_with_hangul_names_and_lists(filled, tmp_path):
    desk, ids = filled
    out = tmp_path / "out"
    export_csv(desk, out)
    cities = read_csv(out / "cities.csv")
    assert len(cities) == 33 and {"Busan", "부산"} <= {c["name"] for c in cities} | {c["hangul"] for c in cities}
    (partnership,) = read_csv(out / "partnerships.csv")
    assert partnership["id"] == ids["partnership"]
    assert partnership["city"] == "Busan" and partnership["city_hangul"] == "부산"
    assert partnership["signed_place"] == "부산시청"
    assert partnership["areas"] == "Tourism cooperation; Education exchange"
    assert partnership["stage"] == "Active" and partnership["kind"] == "Sister city"
    (contact,) = read_csv(out / "contacts.csv")
    assert contact["name"] == "김민준" and contact["city"] == "Busan"
    visits = {v["id"]: v for v in read_csv(out / "visits.csv")}
    assert set(visits) == {ids["visit"], ids["cancelled"]}  # the deleted one is not exported
    row = visits[ids["visit"]]
    assert row["purpose"] == "부산 관광 박람회 | tourism fair" and row["notes"] == "line one\nline two"
    assert row["city"] == "Busan" and row["city_id"] and row["budget_amount"] == "12500.00"
    assert row["areas"] == "Tourism cooperation; Business and industry"
    members = read_csv(out / "members.csv")
    assert [m["name"] for m in members] == ["Anna Becker"]  # not the deleted visit's member
    assert members[0]["visit_id"] == ids["visit"] and members[0]["visit_city"] == "Busan"
    (item,) = read_csv(out / "itinerary.csv")
    assert (item["what"], item["time"]) == ("해운대 tour", "09:30")
    assert read_csv(out / "gifts.csv")[0]["item"] == "Pottery"
    invitations = {i["id"]: i for i in read_csv(out / "invitations.csv")}
    assert invitations[ids["festival"]]["event_name"] == "진주 남강유등축제"
    assert invitations[ids["festival"]]["host_city"] == "Jinju"
    assert invitations[ids["home_event"]]["host_city"] == "Springfield"
    assert invitations[ids["home_event"]]["host_city_id"] == ""
    (outcome,) = read_csv(out / "outcomes.csv")
    assert outcome["description"] == "한글 설명" and outcome["area"] == "Tourism cooperation"
    figures = {f["measure"]: f for f in read_csv(out / "figures.csv")}
    assert figures["Visitors"]["value"] == "1200" and figures["Visitors"]["outcome_id"] == ids["outcome"]
    assert (figures["Trade value"]["value"], figures["Trade value"]["currency"]) == ("5000", "KRW")


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_text(filled, tmp_path):
    desk, _ = filled
    export_csv(desk, tmp_path / "out")
    assert read_csv(tmp_path / "out" / "outcomes.csv")[0]["title"] == "'=HYPERLINK(\"x\")"
    assert read_csv(tmp_path / "out" / "contacts.csv")[0]["phone"] == "'+82 51 888 1234"


def test_csv_streams_in_blocks(filled, tmp_path, monkeypatch):
    desk, _ = filled
    monkeypatch.setattr(csv_export, "BLOCK", 2)
    done = csv_export.export_csv_counted(desk, tmp_path / "out")
    assert done.rows["cities.csv"] == 33 and done.rows["visits.csv"] == 2
    assert len(read_csv(tmp_path / "out" / "cities.csv")) == 33


def test_csv_export_that_fails_midway_leaves_every_earlier_file(filled, tmp_path, monkeypatch):
    desk, _ = filled
    out = tmp_path / "out"
    export_csv(desk, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    desk.visits.create(visit(purpose="Added later"))
    real = csv_export.build_sheets
    broken = csv_export.Sheet("zz.csv", (("id", "x.id"),), "FROM no_such_table x")
    monkeypatch.setattr(csv_export, "build_sheets", lambda home: [*real(home), broken])
    with pytest.raises(sqlite3.OperationalError):
        export_csv(desk, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file, nothing changed
    assert not desk.reader().in_transaction  # the read snapshot was ended
    # A failure in the middle of a file, with its cursor still open.
    monkeypatch.setattr(csv_export, "build_sheets", real)
    safe = csv_export._safe

    def explode(value: object) -> object:
        if value == "Added later":
            raise RuntimeError("disk gone")
        return safe(value)

    monkeypatch.setattr(csv_export, "_safe", explode)
    with pytest.raises(RuntimeError):
        export_csv(desk, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not desk.reader().in_transaction
    assert desk.reader().execute("SELECT count(*) FROM visit").fetchone()[0] == 4  # the connection still works


# iCalendar ---------------------------------------------------------------------------
def events(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_ics_reads_back_with_uids_dates_and_statuses(filled, tmp_path):
    desk, ids = filled
    out = tmp_path / "twindesk.ics"
    assert export_ics(desk, out) == 6
    assert out.stat().st_mode & 0o777 == 0o600
    calendar = Calendar.from_ical(out.read_bytes())
    assert str(calendar["prodid"]) == "-//twindesk//EN" and str(calendar["version"]) == "2.0"
    found = events(out)
    # The deleted visit stays, cancelled, so calendars that imported it drop it.
    assert set(found) == {ids[k] for k in ("visit", "cancelled", "gone", "festival", "home_event", "item")}
    assert str(found[ids["gone"]]["status"]) == "CANCELLED"
    trip = found[ids["visit"]]
    assert trip["dtstart"].dt == dt.date(2026, 5, 4)
    assert trip["dtend"].dt == dt.date(2026, 5, 8)  # exclusive: the day after the last day
    assert str(trip["summary"]) == "Outbound visit: Busan — 부산 관광 박람회 | tourism fair"
    assert str(trip["location"]) == "Busan" and str(trip["status"]) == "CONFIRMED"
    assert "line one\nline two" in str(trip["description"])
    assert trip["dtstamp"].dt.tzinfo is not None and trip["last-modified"].dt.tzinfo is not None
    assert str(found[ids['cancelled']]["status"]) == "CANCELLED"
    festival = found[ids['festival']]
    assert str(festival["summary"]) == "Festival: 진주 남강유등축제 (Jinju)"
    assert festival["dtend"].dt == dt.date(2026, 10, 13) and str(festival["status"]) == "CONFIRMED"
    home = found[ids['home_event']]
    assert str(home["location"]) == "Springfield" and str(home["status"]) == "CANCELLED"


def test_a_second_ics_export_keeps_uids_and_raises_the_sequence_of_changed_records(filled, tmp_path):
    desk, ids = filled
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export_ics(desk, first)
    desk.visits.update(ids["visit"], visit(purpose="Changed purpose", status="done"))
    export_ics(desk, second)
    before, after = events(first), events(second)
    assert set(before) == set(after)
    uid = ids["visit"]
    assert int(before[uid]["sequence"]) == 0
    assert int(after[uid]["sequence"]) > int(before[uid]["sequence"])
    assert str(after[uid]["summary"]).endswith("Changed purpose")
    festival = ids['festival']
    assert int(after[festival]["sequence"]) == int(before[festival]["sequence"]) == 0


def test_ics_of_an_empty_database_is_a_valid_calendar(desk, tmp_path):
    out = tmp_path / "empty.ics"
    assert export_ics(desk, out) == 0
    assert Calendar.from_ical(out.read_bytes()).walk("VEVENT") == []


# Atomic, private writing --------------------------------------------------------------
def test_write_atomic_creates_0600_even_under_a_lax_umask(tmp_path):
    old = os.umask(0o000)
    try:
        path = write_atomic(tmp_path / "new" / "file.txt", ["한글 ", b"bytes"])
    finally:
        os.umask(old)
    assert path.read_bytes() == "한글 bytes".encode()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_failed_rename_leaves_the_earlier_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    write_atomic(path, ["earlier"])

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(path, ["later"])
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failure_while_writing_leaves_the_earlier_file_and_no_temp_file(tmp_path):
    path = tmp_path / "out.ics"
    write_atomic(path, [b"earlier"])

    def chunks():
        yield "half of it"
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_atomic(path, chunks())
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ics"]


def test_replacing_a_world_readable_file_makes_it_0600(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("old")
    path.chmod(0o644)
    write_atomic(path, ["new"])
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_text() == "new"


# The command line ------------------------------------------------------------------------
@pytest.fixture
def on_disk(paths):
    desk = Desk.open(*paths)
    desk.visits.create(visit())
    desk.invitations.create(invitation())
    desk.close()
    return paths


def test_cli_export_csv_and_ics(on_disk, tmp_path, capsys):
    db, config = on_disk
    assert main(["--db", str(db), "--config", str(config), "export", "csv", "--out", str(tmp_path / "csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Wrote 11 CSV files to ") and out.count("\n") == 1
    assert len(read_csv(tmp_path / "csv" / "visits.csv")) == 1
    # --db after the subcommand works as well.
    assert main(["export", "ics", "--out", str(tmp_path / "x.ics"), "--db", str(db), "--config", str(config)]) == 0
    assert capsys.readouterr().out.startswith("Wrote 2 calendar items (visits, festivals, RSVP deadlines")
    assert len(events(tmp_path / "x.ics")) == 2


def test_cli_honours_twindesk_db(on_disk, tmp_path, capsys, monkeypatch):
    db, config = on_disk
    monkeypatch.setenv("TWINDESK_DB", str(db))
    monkeypatch.setenv("TWINDESK_CONFIG", str(config))
    assert main(["export", "ics", "--out", str(tmp_path / "x.ics")]) == 0
    assert "Wrote 2 calendar items" in capsys.readouterr().out


def test_cli_refuses_a_missing_database_without_creating_it(tmp_path, capsys):
    db = tmp_path / "nowhere.db"
    assert main(["--db", str(db), "export", "csv", "--out", str(tmp_path / "csv")]) == 1
    err = capsys.readouterr().err
    assert "no database at" in err and err.count("\n") == 1
    assert not db.exists() and not (tmp_path / "csv").exists()


def test_cli_reports_an_unwritable_target_in_one_line(on_disk, tmp_path, capsys):
    db, config = on_disk
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["--db", str(db), "--config", str(config), "export", "ics", "--out", str(blocker / "x.ics")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("twindesk export ics: could not write ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_refuses_a_database_from_a_newer_twindesk(on_disk, tmp_path, capsys):
    db, config = on_disk
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert main(["--db", str(db), "--config", str(config), "export", "csv", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "newer twindesk" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()
