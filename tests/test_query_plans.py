"""Every list, filter and dashboard query uses its index and never reads a
whole big table: checked on SQLite's own plan (EXPLAIN QUERY PLAN), not on
timings. Each statement a service runs is captured as executed (values
bound) and its plan read.

One-character filter terms found in few rows go through the index like the
rest; those found nearly everywhere are the documented exception
(listing.fts_match): their rows come from a short walk and their count stops
at listing.ROUGH matches, measured by benchmarks/screens.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from twindesk import demo
from twindesk.services import Desk

BIG = {"visit", "outcome", "invitation", "figure", "change", "change_set", "member", "itinerary_item", "gift",
       "stage_change"}
ALIASES = {"v": "visit", "o": "outcome", "i": "invitation", "f": "figure", "s": "stage_change", "g": "gift"}


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("plans")
    opened = Desk.open(root / "twindesk.db", root / "config.toml")
    demo.build(opened, 300, 200)
    yield opened
    opened.close()


@contextmanager
def statements(desk: Desk) -> Iterator[list[str]]:
    seen: list[str] = []
    conn = desk.reader()
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def plan(desk: Desk, sql: str) -> list[str]:
    return [row[3] for row in desk.reader().execute(f"EXPLAIN QUERY PLAN {sql}")]


def whole_table_reads(desk: Desk, sql: str) -> list[str]:
    """Plan steps that read every row of a big table (a bare SCAN; a SCAN of
    an index is a walk in order that stops at LIMIT, or a partial index)."""
    out = []
    for step in plan(desk, sql):
        m = re.fullmatch(r"SCAN (\w+)", step)
        if m and ALIASES.get(m.group(1), m.group(1)) in BIG:
            out.append(step)
    return out


def run(desk: Desk, call: Callable[[], Any]) -> list[str]:
    with statements(desk) as seen:
        call()
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def check(desk: Desk, call: Callable[[], Any], *indexes: str) -> None:
    sqls = run(desk, call)
    assert sqls
    for sql in sqls:
        assert not whole_table_reads(desk, sql), (sql, plan(desk, sql))
    used = " ".join(step for sql in sqls for step in plan(desk, sql))
    for index in indexes:
        assert index in used, (index, used)


# The dashboard -----------------------------------------------------------------
def test_agenda_reads_a_short_range_of_the_start_date_indexes(desk):
    check(desk, lambda: desk.dashboard.agenda(desk.today()), "ix_visit_live_start", "ix_invitation_live_start",
          "ix_visit_length", "ix_invitation_length")


def test_deadlines_read_open_invitations_by_rsvp_date(desk):
    check(desk, lambda: desk.dashboard.deadlines(desk.today()), "ix_invitation_status_rsvp")


def test_quiet_partnerships_read_the_top_of_each_latest_activity_index(desk):
    check(desk, lambda: desk.dashboard.quiet(desk.today()), "ix_visit_city_end", "ix_invitation_host_start",
          "ix_outcome_partnership_happened", "ix_outcome_city_happened", "ix_stage_change_partnership_on")


def test_the_whole_dashboard_reads_no_big_table_whole(desk):
    check(desk, desk.dashboard.summary)


# The lists ---------------------------------------------------------------------
KINDS = {"visit": "visit_fts", "outcome": "outcome_fts", "invitation": "invitation_fts"}
# Much (a two-character term, a trigram word), little (Hangul, initials) and nothing.
TERMS = ("bu", "to", "tour", "camp", "부산", "ㅂㅅ", "zq", "zzqx", "tour 부산")


def read_list(desk: Desk, kind: str, text: str, **state: Any) -> Callable[[], None]:
    def call() -> None:
        query = desk.service(kind).query()
        query.text = text
        for name, value in state.items():
            setattr(query, name, value)
        total = query.count()
        query.fetch(0, 100, total)  # the first page
        query.fetch(max(0, total - 100), 100, total)  # `end`: the first rows read backwards
        query.fetch(total // 2, 100, total)  # a page in the middle

    return call


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_unfiltered_list_reads_pages_through_its_date_index(desk, kind):
    check(desk, read_list(desk, kind, ""))


@pytest.mark.parametrize("text", TERMS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_filtered_list_takes_its_rows_from_the_trigram_index(desk, kind, text):
    sqls = run(desk, read_list(desk, kind, text))
    for sql in sqls:
        assert not whole_table_reads(desk, sql), (sql, plan(desk, sql))
    used = " ".join(step for sql in sqls for step in plan(desk, sql))
    if text in ("zq",):  # a two-character term found nowhere in the vocabulary: no row is read at all
        assert all(f"{KINDS[kind]}_terms" in sql for sql in sqls), sqls
    else:
        assert f"{KINDS[kind]} VIRTUAL TABLE" in used or f"{KINDS[kind]}_terms VIRTUAL TABLE" in used, used


def test_two_character_terms_are_looked_up_in_the_trigram_vocabulary(desk):
    sqls = run(desk, read_list(desk, "visit", "bu"))
    assert any("visit_fts_terms" in sql for sql in sqls)
    query = desk.visits.query()
    query.text = "bu"
    expected = desk.reader().execute(
        "SELECT count(*) FROM visit v WHERE v.deleted_at IS NULL AND (instr(v.search, 'bu') "
        "OR v.city_id IN (SELECT id FROM city WHERE instr(search, 'bu')))").fetchone()[0]
    assert query.count() == expected > 0


def rare_letter(desk: Desk, kind: str) -> str:
    """A character that occurs in some of the index's rows, in at most a few trigrams."""
    from twindesk.services.listing import RARE_GRAMS

    grams = [r[0] for r in desk.reader().execute(f"SELECT term FROM {KINDS[kind]}_terms")]
    starts: dict[str, int] = {}
    for gram in grams:
        starts[gram[0]] = starts.get(gram[0], 0) + 1
    return next(ch for ch, n in sorted(starts.items(), key=lambda item: item[1]) if ch.strip() and n <= RARE_GRAMS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_rare_one_character_term_is_found_through_the_index(desk, kind):
    letter = rare_letter(desk, kind)
    sqls = run(desk, read_list(desk, kind, letter))
    for sql in sqls:
        assert not whole_table_reads(desk, sql), (letter, sql, plan(desk, sql))
    query = desk.service(kind).query()
    query.text = letter
    assert query.count() > 0


def test_a_one_character_term_found_nowhere_reads_no_row(desk):
    sqls = run(desk, read_list(desk, "visit", "þ"))  # þ: in no demo record
    assert sqls and all("visit_fts_terms" in sql for sql in sqls), sqls


@pytest.mark.parametrize("quick", ["upcoming", "past", "planned"])
def test_quick_filters_on_visits_read_no_whole_table(desk, quick):
    check(desk, read_list(desk, "visit", "tour", quick=quick))


def test_the_palette_reads_no_whole_table(desk):
    from twindesk import registry

    def palette() -> None:
        for kind in registry.KINDS:
            if kind.palette and kind.key in KINDS:
                for text in ("bu", "부산", "tour"):
                    query = desk.service(kind.key).query()
                    query.text = text
                    query.fetch(0, 8)

    check(desk, palette)


# Sync ----------------------------------------------------------------------------
def test_the_duplicate_check_reads_one_citys_visits_near_the_dates(desk):
    from twindesk.services.visits import same_trip

    visit_id = desk.reader().execute("SELECT id FROM visit WHERE deleted_at IS NULL LIMIT 1").fetchone()[0]
    check(desk, lambda: same_trip(desk.reader(), visit_id, {}), "ix_visit_length", "ix_visit_city_start")


@pytest.mark.parametrize(("kind", "column", "parent", "index"), [
    ("visit", "city_id", "city", "ix_visit_city_start"),
    ("outcome", "city_id", "city", "ix_outcome_city_happened"),
    ("outcome", "partnership_id", "partnership", "ix_outcome_partnership_happened"),
    ("invitation", "host_city_id", "city", "ix_invitation_host_start"),
])
def test_a_detail_section_reads_its_parents_rows_through_an_index(desk, kind, column, parent, index, monkeypatch):
    from twindesk.services import records

    monkeypatch.setattr(records, "SECTION_ROWS", 2)  # cut, so the section counts its rows too
    owner = desk.reader().execute(
        f"SELECT {column} FROM {kind} WHERE deleted_at IS NULL AND {column} IS NOT NULL "
        f"GROUP BY {column} ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    check(desk, lambda: desk.service(kind).section(column, owner), index)
    assert desk.service(kind).section(column, owner).total > 2


# The benefits screen -------------------------------------------------------------
def test_benefits_and_this_year_so_far_read_the_running_totals(desk):
    measures = ("visitors", "media_reach", "trade_value")
    check(desk, lambda: desk.benefits.year_to_date_before(desk.today(), measures),
          "SEARCH figure_day USING PRIMARY KEY (measure=? AND day>? AND day<?)")
    check(desk, desk.benefits.benefits, "figure_rollup")
