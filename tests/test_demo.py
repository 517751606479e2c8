"""`twindesk demo`: a sample database that is complete, consistent and safe to make."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from twindesk import demo
from twindesk.cli import main as cli_main
from twindesk.services import Desk
from twindesk.services.search import invitation_search, visit_search

SIZE = 300
RECORD_TABLES = ("partnership", "stage_change", "contact", "visit", "member", "itinerary_item", "gift",
                 "invitation", "outcome", "figure")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One demo database for the read-only tests (building it takes about a second)."""
    folder = tmp_path_factory.mktemp("demo")
    db, config = folder / "demo.db", folder / "config.toml"
    assert demo.main(db, config, size=SIZE, force=False) == 0
    return db, config


@pytest.fixture
def conn(built: tuple[Path, Path]):
    connection = sqlite3.connect(built[0])
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def count(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return conn.execute(sql, params).fetchone()[0]


def test_counts_are_as_promised(conn):
    assert count(conn, "SELECT count(*) FROM visit") == SIZE
    assert count(conn, "SELECT count(*) FROM invitation") == 30  # N/10, at least 20
    assert count(conn, "SELECT count(*) FROM partnership") == 11  # one per three of the 33 cities
    assert count(conn, "SELECT count(*) FROM city") == 33
    per_visit = conn.execute(
        """SELECT (SELECT count(*) FROM member m WHERE m.visit_id = v.id) AS members,
                  (SELECT count(*) FROM itinerary_item i WHERE i.visit_id = v.id) AS items
           FROM visit v"""
    ).fetchall()
    assert all(2 <= r["members"] <= 6 and 2 <= r["items"] <= 5 for r in per_visit)
    assert count(conn, "SELECT count(*) FROM gift") > 0
    per_partnership = [r[0] for r in conn.execute(
        "SELECT count(c.id) FROM partnership p LEFT JOIN contact c ON c.partnership_id = p.id GROUP BY p.id")]
    assert all(1 <= n <= 3 for n in per_partnership)
    assert count(conn, "SELECT count(*) FROM visit WHERE deleted_at IS NOT NULL") == 0


def test_the_minimum_of_twenty_invitations(tmp_path):
    assert demo.main(tmp_path / "small.db", tmp_path / "config.toml", size=50, force=False) == 0
    small = sqlite3.connect(tmp_path / "small.db")
    assert small.execute("SELECT count(*) FROM invitation").fetchone()[0] == 20
    assert small.execute("SELECT count(*) FROM visit").fetchone()[0] == 50
    small.close()


def test_every_reference_points_at_a_real_row(conn):
    assert count(conn, "SELECT count(*) FROM visit WHERE city_id NOT IN (SELECT id FROM city)") == 0
    assert count(conn, "SELECT count(*) FROM partnership WHERE city_id NOT IN (SELECT id FROM city)") == 0
    assert count(conn, "SELECT count(*) FROM invitation WHERE host_city_id IS NOT NULL "
                       "AND host_city_id NOT IN (SELECT id FROM city)") == 0
    for child in ("member", "itinerary_item", "gift"):
        assert count(conn, f"SELECT count(*) FROM {child} WHERE visit_id NOT IN (SELECT id FROM visit)") == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # Sent invitations are for our own events; received ones have a Korean host.
    assert count(conn, "SELECT count(*) FROM invitation WHERE (host_city_id IS NULL) <> (direction = 'sent')") == 0


def test_every_stored_date_is_a_real_date(conn):
    columns = {
        "visit": ("start_date", "end_date"), "invitation": ("start_date", "end_date", "rsvp_by"),
        "itinerary_item": ("day",), "gift": ("given_on",), "partnership": ("signed_on",),
        "stage_change": ("changed_on",),
    }
    for table, names in columns.items():
        for name in names:
            for (value,) in conn.execute(f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL"):
                assert dt.date.fromisoformat(value).isoformat() == value, (table, name, value)
    assert count(conn, "SELECT count(*) FROM visit WHERE end_date < start_date "
                       "OR start_date < '2024-01-01' OR end_date > '2027-12-31'") == 0
    assert count(conn, "SELECT count(*) FROM invitation WHERE end_date < start_date OR rsvp_by > end_date") == 0


def test_itinerary_items_fall_within_their_visit(conn):
    outside = count(conn, """SELECT count(*) FROM itinerary_item i JOIN visit v ON v.id = i.visit_id
                             WHERE i.day < v.start_date OR i.day > v.end_date""")
    assert outside == 0


def test_statuses_agree_with_today(conn):
    today = dt.date.today().isoformat()
    assert count(conn, "SELECT count(*) FROM visit WHERE end_date < ? AND status NOT IN ('done', 'cancelled')",
                 today) == 0
    assert count(conn, "SELECT count(*) FROM visit WHERE start_date > ? AND status NOT IN ('planned', 'confirmed')",
                 today) == 0
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT status FROM visit")}
    assert statuses <= {"planned", "confirmed", "done", "cancelled"}
    assert {r[0] for r in conn.execute("SELECT DISTINCT direction FROM visit")} == {"inbound", "outbound"}
    assert count(conn, "SELECT count(*) FROM invitation WHERE end_date < ? AND status IN ('draft', 'sent', 'received')",
                 today) == 0


def test_some_answers_are_due_soon_and_some_overdue(built):
    desk = Desk.open(*built)
    try:
        query = desk.invitations.query()
        rows = query.fetch(0, 1000)
        tones = [r.tone for r in rows]
        assert tones.count("warning") >= 3  # an answer due within 14 days
        assert tones.count("error") >= 3  # overdue
    finally:
        desk.close()


def test_search_lines_are_filled_as_the_app_would(conn):
    assert count(conn, "SELECT count(*) FROM visit WHERE search = ''") == 0
    assert count(conn, "SELECT count(*) FROM invitation WHERE search = ''") == 0
    for r in conn.execute("SELECT * FROM visit LIMIT 50"):
        assert r["search"] == visit_search(SimpleNamespace(**dict(r)))
    for r in conn.execute("SELECT * FROM invitation"):
        assert r["search"] == invitation_search(SimpleNamespace(**dict(r)))


def test_the_change_log_has_one_created_row_per_record(conn):
    sets = conn.execute("SELECT id, installation, summary, counter FROM change_set WHERE installation = 'demo' "
                        "ORDER BY counter").fetchall()
    records = sum(count(conn, f"SELECT count(*) FROM {t}") for t in RECORD_TABLES)
    # Sets of at most SET_SIZE records, numbered one after another, so sync can ship them in pieces.
    assert len(sets) >= records // demo.SET_SIZE
    assert [s["counter"] for s in sets] == list(range(sets[0]["counter"], sets[0]["counter"] + len(sets)))
    per_set = [count(conn, "SELECT count(*) FROM change WHERE change_set_id = ?", s["id"]) for s in sets]
    assert sum(per_set) == records and max(per_set) <= demo.SET_SIZE and min(per_set) > 0
    for table in RECORD_TABLES:
        missing = count(conn, f"""SELECT count(*) FROM {table} r WHERE (SELECT count(*) FROM change c
                                  WHERE c.record_id = r.id AND c.entity = '{table}' AND c.field = '@created'
                                    AND c.installation = 'demo' AND c.old IS NULL) <> 1""")
        assert missing == 0, table
    row = conn.execute("""SELECT v.*, c.new FROM visit v JOIN change c ON c.record_id = v.id LIMIT 1""").fetchone()
    logged = json.loads(row["new"])
    assert logged["purpose"] == row["purpose"] and logged["start_date"] == row["start_date"]
    assert logged["areas"] == json.loads(row["areas"]) and logged["deleted_at"] is None
    assert "search" not in logged and "id" not in logged


def test_ctrl_z_does_not_undo_the_demo(built):
    desk = Desk.open(*built)
    try:
        assert desk.undo.last_undoable() is None
    finally:
        desk.close()


def test_the_apps_services_read_it_and_accept_its_records(built):
    desk = Desk.open(*built)
    try:
        assert desk.visits.query().count() == SIZE
        assert desk.invitations.query().count() == 30
        query = desk.visits.query()
        query.text = "done"
        assert 0 < query.count() < SIZE
        first = desk.visits.query().fetch(0, 5)
        for row in first:
            detail = desk.visits.get(row.id)
            assert detail is not None and detail.members and detail.itinerary
            assert not any(item.outside for item in detail.itinerary)
            # Saving a demo visit unchanged must pass the form's own checks and change nothing.
            clean = desk.visits.validate(desk.visits.form_values(row.id), row.id)
            stored = desk.reader().execute("SELECT budget_amount FROM visit WHERE id = ?", (row.id,)).fetchone()
            assert clean["budget_amount"] == stored[0]
            for member in detail.members:
                desk.members.validate({**desk.members.form_values(member.id), "visit_id": row.id})
            for item in detail.itinerary:
                desk.itinerary.validate({**desk.itinerary.form_values(item.id), "visit_id": row.id})
        for row in desk.invitations.query().fetch(0, 30):
            desk.invitations.validate(desk.invitations.form_values(row.id), row.id)
    finally:
        desk.close()


def test_partnerships_have_an_ascending_stage_history(conn):
    for p in conn.execute("SELECT id, stage, signed_on, signed_place, signatories_home FROM partnership"):
        steps = conn.execute("SELECT stage, changed_on FROM stage_change WHERE partnership_id = ? "
                             "ORDER BY changed_on", (p["id"],)).fetchall()
        assert steps and steps[-1]["stage"] == p["stage"]
        dates = [s["changed_on"] for s in steps]
        assert dates == sorted(set(dates)) and dates[-1] <= dt.date.today().isoformat()
        if p["stage"] in ("signed", "active"):
            assert p["signed_on"] and p["signed_place"] and p["signatories_home"]


def test_it_never_writes_to_an_existing_database_without_force(tmp_path, capsys):
    db, config = tmp_path / "mine.db", tmp_path / "config.toml"
    assert cli_main(["--config", str(config), "demo", "--db", str(db), "--size", "40"]) == 0
    assert "40 visits" in capsys.readouterr().out
    before = db.read_bytes()

    assert cli_main(["--config", str(config), "demo", "--db", str(db), "--size", "60"]) == 2
    err = capsys.readouterr().err
    assert "exists; use --force to replace it" in err
    assert db.read_bytes() == before

    assert demo.main(db, config, size=60, force=True) == 0
    replaced = sqlite3.connect(db)
    assert replaced.execute("SELECT count(*) FROM visit").fetchone()[0] == 60
    records = replaced.execute("SELECT count(*) FROM change WHERE installation = 'demo'").fetchone()[0]
    assert replaced.execute("SELECT count(*) FROM change WHERE installation <> 'demo' AND entity <> 'city'"
                            ).fetchone()[0] == 0
    assert records > 60
    replaced.close()


def test_it_refuses_to_write_over_any_other_file_too(tmp_path, capsys):
    db = tmp_path / "notes.txt"
    db.write_text("my notes")
    assert demo.main(db, tmp_path / "config.toml", size=10, force=False) == 2
    assert db.read_text() == "my notes"
    assert "use --force" in capsys.readouterr().err
    assert demo.main(tmp_path / "none.db", tmp_path / "config.toml", size=0, force=False) == 2
    assert not (tmp_path / "none.db").exists()


def test_outcomes_have_figures_and_their_totals_are_kept(conn):
    assert count(conn, "SELECT count(*) FROM outcome") == max(30, SIZE // 2)
    assert count(conn, "SELECT count(*) FROM outcome o WHERE NOT EXISTS "
                       "(SELECT 1 FROM figure f WHERE f.outcome_id = o.id)") == 0
    summed = conn.execute("SELECT measure, currency, sum(value) FROM figure GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    rolled = conn.execute("SELECT measure, currency, sum(total) FROM figure_rollup GROUP BY 1, 2 ORDER BY 1, 2"
                          ).fetchall()
    assert [tuple(r)[:2] for r in summed] == [tuple(r)[:2] for r in rolled]
    for a, b in zip(summed, rolled, strict=True):
        assert abs(a[2] - b[2]) < 0.01


def test_gifts_have_estimates_and_what_became_of_them(conn):
    """So the gift register shows its point in the demo: values, and gifts worth declaring."""
    total = count(conn, "SELECT count(*) FROM gift")
    valued = count(conn, "SELECT count(*) FROM gift WHERE value_amount <> '' AND value_currency = 'EUR'")
    assert valued >= total // 2
    assert count(conn, "SELECT count(*) FROM gift WHERE CAST(value_amount AS REAL) > 150") > 0
    assert {d for (d,) in conn.execute("SELECT DISTINCT disposition FROM gift")} <= {"", "kept", "collection",
                                                                                      "declined"}
    assert count(conn, "SELECT count(*) FROM gift WHERE disposition <> ''") > 0
