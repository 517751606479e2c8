"""The trigram indexes of schema 6 (outcomes, invitations; visits padded)
stay right whoever writes, and find what a plain substring test finds,
terms of one and two characters included."""

from __future__ import annotations

from pathlib import Path

import pytest

from twindesk import demo
from twindesk.services import Desk, listing

from .conftest import city_id, released

FIXTURES = Path(__file__).parent / "fixtures"
KINDS = {"visit": ("visit_fts", "city_id"), "outcome": ("outcome_fts", "city_id"),
         "invitation": ("invitation_fts", "host_city_id")}
TERMS = ("b", "e", "z", "x", "부", "bu", "부산", "ㅂㅅ", "tour", "camp", "zq", "zzqx", "tour 부산", "e 2", "e bu")


def reference(desk: Desk, kind: str, text: str) -> int:
    """The rows a plain substring test over the record's and its city's search lines finds."""
    _fts, city = KINDS[kind]
    clauses, params = [], []
    for term in text.split():
        clauses.append(f"(instr(r.search, ?) OR r.{city} IN (SELECT id FROM city WHERE instr(search, ?)))")
        params += [term, term]
    return desk.reader().execute(
        f"SELECT count(*) FROM {kind} r WHERE r.deleted_at IS NULL AND {' AND '.join(clauses)}", params
    ).fetchone()[0]


def found(desk: Desk, kind: str, text: str) -> int:
    query = desk.service(kind).query()
    query.text = text
    n = query.count()
    assert len(query.fetch(0, 1000, n)) == min(n, 1000)
    return n


def indexed_rowids(desk: Desk, kind: str) -> tuple[list[int], list[int]]:
    fts, _city = KINDS[kind]
    conn = desk.reader()
    live = [r[0] for r in conn.execute(f"SELECT rowid FROM {kind} WHERE deleted_at IS NULL ORDER BY rowid")]
    held = [r[0] for r in conn.execute(f"SELECT rowid FROM {fts} ORDER BY rowid")]
    return live, held


def test_the_migration_from_schema_5_indexes_every_live_row(tmp_path):
    with released("schema-v5.db", tmp_path) as desk:
        assert desk.reader().execute("PRAGMA user_version").fetchone()[0] >= 6
        for kind in KINDS:
            live, held = indexed_rowids(desk, kind)
            assert live and live == held
            for text in TERMS:
                assert found(desk, kind, text) == reference(desk, kind, text), (kind, text)


@pytest.fixture
def filled(desk):
    demo.build(desk, 120, 80)
    return desk


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_term_finds_what_a_substring_test_finds(filled, kind):
    for text in TERMS:
        assert found(filled, kind, text) == reference(filled, kind, text), (kind, text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_rough_count_is_exact_or_a_true_lower_bound(filled, kind, monkeypatch):
    """A one-character term found nearly everywhere is counted only as far as
    ROUGH matches: then the list has at least that many rows, never fewer."""
    monkeypatch.setattr(listing, "ROUGH", 25)
    rough_seen = False
    for text in TERMS:
        query = filled.service(kind).query()
        query.text = text
        n, exact = query.rough_count()
        expected = reference(filled, kind, text)
        if exact:
            assert n == expected, (kind, text)
        else:
            rough_seen = True
            assert n == 25 <= expected, (kind, text)
            assert len(query.fetch(0, 100)) == min(100, expected)  # the rows do not stop at the rough count
    live = filled.reader().execute(f"SELECT count(*) FROM {kind} WHERE deleted_at IS NULL").fetchone()[0]
    assert rough_seen or live < 100  # a few rows (the demo's invitations): every count is exact


def test_a_term_at_the_very_end_of_a_line_is_found(filled):
    conn = filled.reader()
    for kind in KINDS:
        fts, _city = KINDS[kind]
        tail = conn.execute(f"SELECT substr(text, -4, 2) FROM {fts} LIMIT 1").fetchone()[0]
        assert found(filled, kind, tail) == reference(filled, kind, tail) > 0


def test_direct_sql_writes_deletes_and_city_renames_keep_the_indexes_right(filled):
    """Sync and undo write rows and their search lines with plain SQL: the
    triggers must follow."""
    conn = filled.reader()
    busan = city_id(filled, "Busan")
    for kind in ("outcome", "invitation"):
        _fts, city = KINDS[kind]
        rowid = conn.execute(f"SELECT rowid FROM {kind} WHERE deleted_at IS NULL LIMIT 1").fetchone()[0]
        with filled.write() as session:
            run = session.connection().exec_driver_sql
            run(f"UPDATE {kind} SET search = 'qqxylophone', {city} = ? WHERE rowid = ?", (busan, rowid))
        assert found(filled, kind, "qqxylophone") == 1
        assert found(filled, kind, "xy") == reference(filled, kind, "xy")
        with filled.write() as session:
            session.connection().exec_driver_sql(
                f"UPDATE {kind} SET deleted_at = '2026-01-01 00:00:00' WHERE rowid = ?", (rowid,))
        assert found(filled, kind, "qqxylophone") == 0
        live, held = indexed_rowids(filled, kind)
        assert live == held
    detail = filled.cities.get(busan)
    filled.cities.update(busan, {"name": "Busan Metro", "hangul": detail.hangul, "province": detail.province,
                                 "kind": detail.kind, "industries": list(detail.industries),
                                 "romanisations": ["Fusanqq"], "notes": ""})
    for kind in KINDS:
        assert found(filled, kind, "fusanqq") == reference(filled, kind, "fusanqq")
