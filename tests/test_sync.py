"""Sync through a folder hub: field-by-field merges, the conflict queue, and the hard cases."""

from __future__ import annotations

import shutil

import pytest

from twindesk.sync.engine import SyncReport
from twindesk.sync.hub import HubOffline, ReplicaClash

from .syncing import Copies, queue, records, visit


@pytest.fixture
def copies(tmp_path):
    made = Copies(tmp_path)
    yield made
    made.close()


def test_edits_of_different_fields_of_one_visit_are_both_kept_everywhere(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    office.visits.update(ident, {"purpose": "Port study, second round"})
    laptop.visits.update(ident, {"notes": "Interpreter booked"})
    copies.sync_all()
    for desk in (office, laptop):
        found = desk.visits.get(ident)
        assert (found.purpose, found.notes) == ("Port study, second round", "Interpreter booked")
        assert queue(desk) == set()
    assert records(office) == records(laptop)


def test_the_same_field_set_to_different_values_is_a_conflict_with_one_winner_everywhere(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    office.visits.update(ident, {"purpose": "From the office"})
    laptop.visits.update(ident, {"purpose": "From the trip"})
    report = copies.sync("office")
    copies.sync_all()
    assert report.sent == 1
    assert queue(office) == queue(laptop) == {("field", ident, "purpose")}
    assert office.visits.get(ident).purpose == laptop.visits.get(ident).purpose  # the same provisional winner
    item = office.conflicts.for_record(ident)[0]
    assert {h.value for h in item.heads} == {"From the office", "From the trip"}
    assert item.base == "Port logistics study visit"
    assert not office.conflicts.in_conflict(ident)  # a purpose is not protected

    # The choice is a change of its own: it settles the question on every copy.
    office.conflicts.choose(ident, "purpose", "From the trip")
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.visits.get(ident).purpose == "From the trip"
        assert queue(desk) == set()
    assert records(office) == records(laptop)

    # A new laptop receives the clash and its settlement in one pull: no news for it.
    newcomer = copies.open("newcomer")
    report = copies.sync("newcomer")
    assert (report.conflicts, report.open_conflicts) == (0, 0)
    assert "conflict" not in " ".join(report.lines())
    assert records(newcomer) == records(office)


def test_the_same_value_set_on_both_sides_is_no_conflict(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    office.visits.update(ident, {"purpose": "Agreed purpose"})
    laptop.visits.update(ident, {"purpose": "Agreed purpose"})
    copies.sync_all()
    assert queue(office) == queue(laptop) == set()
    assert laptop.visits.get(ident).purpose == "Agreed purpose"


def test_a_protected_field_marks_the_record_in_conflict_until_someone_chooses(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    tie = office.partnerships.create({"city": "Busan", "kind": "sister", "stage": "research"}).id
    copies.sync_all()
    office.partnerships.update(tie, {"stage": "letter_of_intent"})
    laptop.partnerships.update(tie, {"stage": "council_approval"})
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.conflicts.in_conflict(tie)
        assert ("field", tie, "stage") in queue(desk)
    laptop.conflicts.choose(tie, "stage", "council_approval")
    copies.sync_all()
    for desk in (office, laptop):
        assert not desk.conflicts.in_conflict(tie)
        assert desk.partnerships.get(tie).stage == "council_approval"
    assert records(office) == records(laptop)


def test_deleted_on_one_side_and_edited_on_the_other_is_kept_until_reviewed(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    office.visits.delete(ident)
    laptop.visits.update(ident, {"notes": "Hotel booked"})
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.visits.get(ident) is not None  # kept meanwhile
        assert desk.conflicts.in_conflict(ident)
        assert queue(desk) == {("deleted", ident, "")}
    office.conflicts.delete(ident)
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.visits.get(ident) is None and queue(desk) == set()


def test_keeping_a_record_deleted_elsewhere_brings_it_back_everywhere(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    office.visits.delete(ident)
    laptop.visits.update(ident, {"purpose": "Still on"})
    copies.sync_all()
    laptop.conflicts.keep(ident)
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.visits.get(ident).purpose == "Still on" and queue(desk) == set()
    assert records(office) == records(laptop)


def test_the_same_partnership_made_on_two_copies_is_a_possible_duplicate_and_merges(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    a = office.partnerships.create({"city": "Jeonju", "kind": "friendly", "stage": "research"}).id
    b = laptop.partnerships.create({"city": "Jeonju", "kind": "friendly", "stage": "inquiry"}).id
    contact = laptop.contacts.create({"partnership_id": b, "name": "Kim Min-jun"}).id
    copies.sync_all()
    pair = ("duplicate", *sorted((a, b)))
    assert pair in queue(office) and pair in queue(laptop)
    office.conflicts.merge(a, b)
    copies.sync_all()
    for desk in (office, laptop):
        assert desk.partnerships.get(b) is None and desk.partnerships.get(a) is not None
        assert [c.id for c in desk.contacts.for_partnership(a)] == [contact]
        assert queue(desk) == set()


def test_a_possible_duplicate_kept_apart_is_not_asked_again(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    visit(office, purpose="Trade fair", start_date="2026-12-01", end_date="2026-12-03")
    visit(laptop, purpose="Youth camp", start_date="2026-12-02", end_date="2026-12-05")
    copies.sync_all()
    [(_kind, first, second)] = queue(office)
    laptop.conflicts.keep_apart(first, second)
    copies.sync_all()
    assert queue(office) == queue(laptop) == set()
    assert office.visits.get(first) and office.visits.get(second)


def test_visits_made_knowing_of_each_other_are_no_duplicates(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    visit(office, purpose="First group")
    copies.sync_all()
    visit(laptop, purpose="Second group")  # a delegation split up, on purpose
    copies.sync_all()
    assert queue(office) == queue(laptop) == set()


def test_a_seed_city_edited_on_both_sides_merges_like_any_record(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    busan = office.cities.resolve("Busan").id
    office.cities.update(busan, {"notes": "Office note"})
    laptop.cities.update(busan, {"industries": "Port logistics, Film industry"})
    copies.sync_all()
    for desk in (office, laptop):
        found = desk.cities.get(busan)
        assert found.notes == "Office note" and found.industries == ("Port logistics", "Film industry")
    office.cities.update(busan, {"province": "A"})
    laptop.cities.update(busan, {"province": "B"})
    copies.sync_all()
    assert queue(office) == queue(laptop) == {("field", busan, "province")}


def test_undoing_a_change_that_was_already_shared_undoes_it_everywhere(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    office.visits.update(ident, {"purpose": "Changed"})
    copies.sync_all()
    assert laptop.visits.get(ident).purpose == "Changed"
    assert office.undo.undo_last() == "Edit visit Busan 2026-12-01"
    copies.sync_all()
    assert laptop.visits.get(ident).purpose == "Port logistics study visit"
    assert records(office) == records(laptop)


def test_clocks_that_differ_or_move_back_change_nothing(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    laptop.visits.update(ident, {"purpose": "Later by counters"})
    # The laptop's clock was years behind: its change sets say 2001.
    with laptop.write() as session:
        session.connection().exec_driver_sql("UPDATE change_set SET at = '2001-01-01 00:00:00.000000'")
    copies.sync_all()
    assert office.visits.get(ident).purpose == "Later by counters"
    assert office.undo.last_undoable()[1].startswith("Add visit")  # undo follows counters, not times


def test_a_new_laptop_receives_the_whole_history(copies):
    office = copies.open("office")
    ident = visit(office)
    office.members.create({"visit_id": ident, "name": "Anna Becker", "dietary": "vegetarian"})
    office.partnerships.create({"city": "Busan", "kind": "sister", "stage": "research"})
    copies.sync("office")
    laptop = copies.open("laptop")
    report = copies.sync("laptop")
    assert report.received >= 3
    assert records(office) == records(laptop)


def test_a_dry_run_changes_nothing_here_or_on_the_hub(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    visit(office)
    copies.sync("office")
    visit(laptop, purpose="Unshared")
    before = records(laptop)
    files = sorted(p.relative_to(copies.hub_path) for p in copies.hub_path.rglob("*"))
    report = copies.sync("laptop", dry_run=True)
    assert (report.received, report.sent, report.dry_run) == (1, 1, True)
    assert records(laptop) == before
    assert sorted(p.relative_to(copies.hub_path) for p in copies.hub_path.rglob("*")) == files


def test_syncing_again_or_reading_a_file_again_changes_nothing(copies):
    office, laptop = copies.open("office"), copies.open("laptop")
    visit(office)
    copies.sync_all()
    before = records(laptop)
    again = copies.sync("laptop")
    assert (again.received, again.sent) == (0, 0)
    # The same file read twice: the hub lists it under a second name too.
    replica = office.replica
    folder = copies.hub_path / "replicas" / replica
    original = sorted(folder.iterdir())[0]
    with laptop.write() as session:  # forget the cursor, as if the set had never come
        session.connection().exec_driver_sql("UPDATE replica_clock SET counter = 0 WHERE replica = ?", (replica,))
    report = copies.sync("laptop")
    assert report.received == 0 and report.problems  # the set is known: refused, never applied twice
    assert records(laptop) == before
    assert original.exists()


def test_a_copied_database_is_detected_and_never_merged_silently(copies):
    office = copies.open("office")
    visit(office)
    copies.sync("office")
    office.close()
    shutil.copytree(copies.root / "office", copies.root / "copy")
    office = copies.open("office")
    copy = copies.open("copy")
    assert copy.replica == office.replica
    visit(office, purpose="Made in the office")
    visit(copy, purpose="Made on the copy")
    copies.sync("office")
    with pytest.raises(ReplicaClash, match="--new-replica"):
        copies.sync("copy")


def test_a_missing_hub_folder_is_one_message_and_changes_nothing(copies, tmp_path):
    from twindesk.sync.folder_hub import FolderHub

    with pytest.raises(HubOffline, match="not there"):
        FolderHub.open(tmp_path / "stick-not-plugged-in")


def test_hub_files_are_private_and_named_without_personal_data(copies):
    office = copies.open("office")
    visit(office, purpose="Kim Min-jun's visit")
    copies.sync("office")
    for path in copies.hub_path.rglob("*"):
        assert "Kim" not in path.name
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_a_copied_database_given_its_own_id_then_merges_with_the_original(copies):
    from twindesk.sync.engine import new_replica

    office = copies.open("office")
    visit(office, purpose="Before the copy")
    copies.sync("office")
    office.close()
    shutil.copytree(copies.root / "office", copies.root / "copy")
    office, copy = copies.open("office"), copies.open("copy")
    visit(office, purpose="Made in the office")
    visit(copy, purpose="Made on the copy", city="Jeju")
    copies.sync("office")
    old = copy.replica
    fresh, moved = new_replica(copy, copies.hub())
    assert fresh != old and moved == 1 and copy.replica == fresh
    copies.sync_all()
    assert records(office) == records(copy)
    assert {v.cells[4] for v in office.visits.query().fetch(0, 10)} == {
        "Before the copy", "Made in the office", "Made on the copy"}
    assert queue(office) == set()


def test_a_hub_written_by_a_newer_twindesk_is_refused_with_a_message(copies):
    import json as _json

    office, _laptop = copies.open("office"), copies.open("laptop")
    visit(office)
    copies.sync("office")
    [path] = list((copies.hub_path / "replicas" / office.replica).iterdir())
    head, _, body = path.read_bytes().partition(b"\n")
    header = _json.loads(head)
    header["schema"] = 999
    path.write_bytes(_json.dumps(header).encode() + b"\n" + body)
    report = copies.sync("laptop")
    assert report.received == 0
    assert any("newer twindesk" in p and "upgrade" in p for p in report.problems)


def test_a_damaged_or_truncated_file_is_named_and_stops_only_its_own_stream(copies):
    office, trip, laptop = copies.open("office"), copies.open("trip"), copies.open("laptop")
    visit(office, purpose="Office visit")
    visit(trip, purpose="Trip visit")
    copies.sync("office")
    copies.sync("trip")
    [damaged] = list((copies.hub_path / "replicas" / office.replica).iterdir())
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) - 20])  # a copy that stopped halfway
    report = copies.sync("laptop")
    assert report.received == 1  # the trip's stream came in
    [problem] = report.problems
    assert damaged.name in problem and "damaged or incomplete" in problem
    assert [r.cells[4] for r in laptop.visits.query().fetch(0, 5)] == ["Trip visit"]


def test_an_encrypted_hub_is_useless_without_its_passphrase(copies):
    from twindesk.sync.folder_hub import FolderHub
    from twindesk.sync.hub import HubError

    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office, purpose="Kim Min-jun, vegetarian, +82 10 1234 5678")
    office.members.create({"visit_id": ident, "name": "Kim Min-jun", "dietary": "vegetarian"})
    from twindesk.sync.engine import sync as run_sync

    run_sync(office, FolderHub.open(copies.hub_path, passphrase="correct horse", encrypt=True))
    for path in copies.hub_path.rglob("*.tdsync"):
        raw = path.read_bytes()
        assert b"Kim" not in raw and b"vegetarian" not in raw and "김".encode() not in raw
    with pytest.raises(HubError, match="encrypted"):
        FolderHub.open(copies.hub_path)
    with pytest.raises(HubError, match="not the hub's passphrase"):
        FolderHub.open(copies.hub_path, passphrase="wrong horse")
    run_sync(laptop, FolderHub.open(copies.hub_path, passphrase="correct horse"))
    assert records(office) == records(laptop)


def test_an_existing_database_pushes_its_whole_history_on_its_first_sync(copies, tmp_path):
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "schema-v1.db"
    folder = copies.root / "old"
    folder.mkdir()
    shutil.copy(fixture, folder / "twindesk.db")
    old = copies.open("old")
    assert old.reader().execute("SELECT count(*) FROM change_set WHERE replica = ?", (old.replica,)).fetchone()[0]
    report = copies.sync("old")
    assert report.sent > 0
    fresh = copies.open("fresh")
    copies.sync("fresh")
    assert records(fresh) == records(old)


def test_a_set_made_before_a_column_existed_takes_the_columns_default(copies):
    """A laptop on an older twindesk sends gifts without the register's columns."""
    from twindesk.sync.engine import local_sets

    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    office.gifts.create({"visit_id": ident, "item": "Vase", "direction": "given"})
    hub = copies.hub()
    old = []
    for ws in local_sets(office, 0):
        changes = tuple(
            (e, r, f, o, {k: v for k, v in n.items() if k not in ("value_amount", "value_currency", "disposition")})
            if f == "@created" and e == "gift" else (e, r, f, o, n) for e, r, f, o, n in ws.changes)
        old.append(type(ws)(**{**ws.__dict__, "changes": changes, "schema": 4}))
    hub.push(old)
    report = copies.sync("laptop")
    assert report.problems == [] and report.received == len(old)
    [gift] = laptop.visits.get(ident).gifts
    assert gift.item == "Vase"
    assert laptop.reader().execute("SELECT value_amount, disposition FROM gift").fetchone()[:] == ("", "")


def test_the_summary_counts_in_words_and_says_where_to_review():
    assert SyncReport().lines() == ["Nothing to send or receive."]
    report = SyncReport(sent=1, received=2, merged=1, conflicts=1, open_conflicts=1)
    assert report.lines(review="press y to see them") == [
        "Sent 1 change set, received 2 change sets; 1 merged with changes made here; 1 new conflict.",
        "1 conflict waits for your choice: press y to see them."]
    assert SyncReport(dry_run=True, sent=3).lines() == [
        "Dry run: would send 3 change sets, would receive 0 change sets."]


def test_sets_that_wait_for_a_copy_that_never_used_this_hub_name_that_copy(copies, tmp_path):
    from twindesk.sync.engine import sync
    from twindesk.sync.folder_hub import FolderHub

    office, laptop = copies.open("office"), copies.open("laptop")
    ident = visit(office)
    copies.sync_all()
    laptop.visits.update(ident, {"purpose": "Edited on the trip"})  # made against the office's set
    stick = tmp_path / "stick"
    stick.mkdir()
    sync(laptop, FolderHub.open(stick))  # the laptop brings only its own sets to the stick
    newcomer = copies.open("newcomer")
    report = sync(newcomer, FolderHub.open(stick))
    assert report.waiting == 1 and report.missing == [office.replica]
    assert f"copy {office.replica[:8]} that are not on this hub" in " ".join(report.lines())
    sync(office, FolderHub.open(stick))
    report = sync(newcomer, FolderHub.open(stick))
    assert report.waiting == 0 and newcomer.visits.get(ident).purpose == "Edited on the trip"
