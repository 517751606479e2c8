"""The registry of record kinds: every kind is complete, and every reader
(screens, palette, CSV, search, history, sync) finds what it needs there."""

from __future__ import annotations

import pytest

from twindesk import registry
from twindesk.bundle.csv_export import build_sheets
from twindesk.models import SQLModel

SCREEN_KINDS = [k for k in registry.KINDS if k.mode]


def test_every_table_of_the_models_with_records_is_a_kind():
    records = {t.name for t in SQLModel.metadata.sorted_tables if "deleted_at" in t.columns}
    assert records == set(registry.KEYS)


@pytest.mark.parametrize("kind", registry.KINDS, ids=lambda k: k.key)
def test_each_kind_names_a_model_and_a_service_that_exist(kind, desk):
    model = registry.model_of(kind.key)
    assert model.__tablename__ == kind.key
    service = desk.service(kind.key)
    assert service.kind is kind
    columns = set(model.__table__.c.keys())
    for spec in kind.field_specs():
        assert spec.stored_as in columns or spec.stored_as == "", (kind.key, spec.name)
    for column, target in ((kind.parent,) if kind.parent else ()) + kind.links:
        assert column in columns and target in registry.KEYS


@pytest.mark.parametrize("kind", SCREEN_KINDS, ids=lambda k: k.key)
def test_each_kind_with_a_screen_has_a_list_a_detail_a_palette_entry_and_a_csv_sheet(kind):
    from twindesk.screens.record_detail import RecordDetailScreen, detail_screen
    from twindesk.screens.record_list import RecordListScreen

    assert issubclass(registry.load(kind.list_screen), RecordListScreen)
    assert registry.load(kind.list_screen).kind_key == kind.key
    assert issubclass(detail_screen(kind.key), RecordDetailScreen)
    assert kind.palette and kind.key_binding and kind.title
    assert kind.csv in {sheet.filename for sheet in build_sheets("")}


def test_every_csv_sheet_is_a_kinds_and_in_the_registrys_order():
    assert [s.filename for s in build_sheets("")] == [k.csv for k in registry.KINDS if k.csv]


def test_sections_name_real_kinds_and_columns():
    for kind in registry.KINDS:
        for section in kind.sections:
            listed = registry.model_of(section.kind).__table__.c.keys()
            own = registry.model_of(kind.key).__table__.c.keys()
            assert section.link in listed and section.via in own, (kind.key, section)


def test_protected_fields_are_the_ones_sync_must_not_settle_alone():
    protected = {k.key: k.protected_columns for k in registry.KINDS if k.protected_columns}
    assert protected == {
        "partnership": {"stage", "signed_on", "signed_place", "signatories_home", "signatories_partner"},
        "visit": {"start_date", "end_date", "status"},
        "invitation": {"status", "rsvp_by"},
    }


def test_history_names_columns_by_their_labels():
    assert registry.kind("visit").label_of("deleted_at") == "Deleted"
    assert registry.kind("partnership").label_of("signed_place") == "Signed at"
    assert registry.kind("invitation").label_of("host_city_id") == "Host city"


def test_every_screen_is_one_key_away_and_no_two_share_a_key():
    keys = [key for _mode, key, *_rest in registry.screens()]
    assert len(keys) == len(set(keys))
    modes = {mode for mode, *_rest in registry.screens()}
    assert {"dashboard", "directory", "partnerships", "visits", "invitations", "outcomes", "benefits"} <= modes
