"""Two windows on one database: a save writes only what the user changed,
against what the form opened with; a field changed elsewhere meanwhile is a
clash, never overwritten; undo checks before it writes, and follows counters."""

from __future__ import annotations

import pytest

from twindesk.services import Desk
from twindesk.services.undo import UndoRefused
from twindesk.services.validation import Conflict

from .syncing import VISIT


@pytest.fixture
def windows(paths):
    a, b = Desk.open(*paths), Desk.open(*paths)
    yield a, b
    a.close()
    b.close()


def test_a_stale_form_saves_only_its_own_fields(windows):
    a, b = windows
    ident = a.visits.create(VISIT).id
    base_a, base_b = a.visits.form_values(ident), b.visits.form_values(ident)
    a.visits.update(ident, {**base_a, "purpose": "A's purpose"}, base_a)
    saved = b.visits.update(ident, {**base_b, "notes": "B's notes"}, base_b)
    assert saved.changed == ("notes",)
    found = a.visits.get(ident)
    assert (found.purpose, found.notes) == ("A's purpose", "B's notes")


def test_a_partnership_edited_in_two_windows_keeps_both_changes(windows):
    a, b = windows
    tie = a.partnerships.create({"city": "Busan", "kind": "sister", "stage": "research"}).id
    base_a, base_b = a.partnerships.form_values(tie), b.partnerships.form_values(tie)
    a.partnerships.update(tie, {**base_a, "notes": "A's notes"}, base_a)
    b.partnerships.update(tie, {**base_b, "signed_place": "Busan City Hall"}, base_b)
    found = a.partnerships.get(tie)
    assert (found.notes, found.signed_place) == ("A's notes", "Busan City Hall")


def test_the_same_field_changed_in_another_window_is_a_clash_with_both_values(windows):
    a, b = windows
    ident = a.visits.create(VISIT).id
    base_a, base_b = a.visits.form_values(ident), b.visits.form_values(ident)
    a.visits.update(ident, {**base_a, "purpose": "A's purpose"}, base_a)
    with pytest.raises(Conflict) as clash:
        b.visits.update(ident, {**base_b, "purpose": "B's purpose", "notes": "B's notes"}, base_b)
    assert clash.value.fields == {"purpose": ("A's purpose", "B's purpose")}
    assert a.visits.get(ident).notes == ""  # nothing of B's save was written
    # Saving again against the new base (the user saw the clash) keeps B's choice.
    b.visits.update(ident, {**base_b, "purpose": "B's purpose", "notes": "B's notes"}, clash.value.current)
    assert (a.visits.get(ident).purpose, a.visits.get(ident).notes) == ("B's purpose", "B's notes")


def test_a_clash_that_breaks_a_rule_across_fields_is_refused(windows):
    from twindesk.services import Invalid

    a, b = windows
    ident = a.visits.create(VISIT).id
    base_a, base_b = a.visits.form_values(ident), b.visits.form_values(ident)
    a.visits.update(ident, {**base_a, "start_date": "2026-12-03"}, base_a)
    with pytest.raises(Invalid, match="before the start"):
        b.visits.update(ident, {**base_b, "end_date": "2026-12-02"}, base_b)  # valid on its own


def test_undo_over_a_newer_edit_in_another_window_undoes_nothing_and_says_where(windows):
    a, b = windows
    ident = a.visits.create(VISIT).id
    a.visits.update(ident, {"purpose": "A's purpose"})
    b.visits.update(ident, {"purpose": "B's purpose"})
    with pytest.raises(UndoRefused, match="purpose"):
        a.undo.undo_last()
    assert a.visits.get(ident).purpose == "B's purpose"


def test_each_window_undoes_its_own_last_action(windows):
    a, b = windows
    ident = a.visits.create(VISIT).id
    a.visits.update(ident, {"purpose": "A's purpose"})
    b.visits.update(ident, {"notes": "B's notes"})
    assert a.undo.undo_last() == "Edit visit Busan 2026-12-01"
    found = a.visits.get(ident)
    assert (found.purpose, found.notes) == ("Port logistics study visit", "B's notes")


def test_undo_follows_the_order_actions_were_made_not_the_wall_clock(desk):
    first = desk.visits.create(VISIT).id
    desk.visits.update(first, {"purpose": "Made second"})
    with desk.write() as session:  # the laptop's clock moved back between the two
        session.connection().exec_driver_sql(
            "UPDATE change_set SET at = '2001-01-01 00:00:00.000000' WHERE summary LIKE 'Edit%'")
    assert desk.undo.undo_last().startswith("Edit visit")


def test_saving_an_unchanged_form_logs_nothing_even_when_ticks_come_in_another_order(desk):
    ident = desk.visits.create({**VISIT, "areas": ["tourism", "business"]}).id
    base = desk.visits.form_values(ident)
    before = desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0]
    saved = desk.visits.update(ident, {**base, "areas": ["business", "tourism"], "purpose": base["purpose"] + " "},
                               base)
    assert saved.changed == ()
    assert desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0] == before
