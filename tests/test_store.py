"""The store: file modes, pragmas, transactions, schema versions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import twindesk.models  # noqa: F401  (registers the tables)
from twindesk.models import City
from twindesk.services import Desk
from twindesk.store import SchemaError, Store, schema

from .conftest import FIXTURES, released


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_data_dir_is_0700_and_database_0600(paths, monkeypatch):
    os.umask(0o022)
    db, config = paths
    Desk.open(db, config).close()
    assert db.parent.stat().st_mode & 0o777 == 0o700
    assert db.stat().st_mode & 0o777 == 0o600
    assert config.stat().st_mode & 0o777 == 0o600


def test_backup_is_0600_and_complete(desk, tmp_path):
    target = desk.store.backup(tmp_path / "copy.db")
    assert target.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM city").fetchone()[0] == 33


def test_every_connection_gets_the_pragmas(desk):
    reader = desk.reader()
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert reader.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert reader.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert reader.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert reader.execute("PRAGMA cache_size").fetchone()[0] == -1024  # KiB: each reading thread has one
    with desk.write() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -1024


def test_two_writers_on_one_file_lose_no_update(paths):
    """Each writer reads a counter and writes it back plus one. With a plain
    deferred BEGIN the reads would interleave and increments vanish."""
    first = Desk.open(*paths)
    second = Desk.open(*paths)
    seoul = first.cities.query().fetch(0, 100)
    city = next(r.id for r in seoul if r.cells[0] == "Seoul")
    with first.write() as session:
        session.get(City, city).notes = "0"

    rounds = 25
    errors: list[BaseException] = []

    def bump(desk: Desk) -> None:
        try:
            for _ in range(rounds):
                with desk.write() as session:
                    row = session.get(City, city)
                    value = int(row.notes)
                    threading.Event().wait(0.001)  # widen the window between read and write
                    row.notes = str(value + 1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(d,)) for d in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert first.cities.get(city).notes == str(2 * rounds)
    first.close()
    second.close()


def test_newer_schema_is_refused_and_left_untouched(paths):
    db, config = paths
    Desk.open(db, config).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(db)
    with pytest.raises(SchemaError, match="newer twindesk"):
        Desk.open(db, config)
    assert digest(db) == before


def test_a_file_that_is_not_a_database_is_refused(paths):
    db, config = paths
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite, just a file someone named twindesk.db" * 100)
    before = digest(db)
    with pytest.raises(SchemaError, match="not a twindesk database"):
        Desk.open(db, config)
    assert digest(db) == before


def test_migrated_schema_matches_the_models(desk):
    conn = desk.reader()
    for table in SQLModel.metadata.sorted_tables:
        found = {r["name"] for r in conn.execute(f"PRAGMA table_info({table.name})")}
        assert found == set(table.columns.keys()), table.name
    assert schema.current_version(conn) == schema.latest_version()


def test_no_engine_or_folder_is_made_at_import(tmp_path):
    store = Store(tmp_path / "nowhere" / "x.db")
    assert store._engine is None
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("schema-v*.db")))
def test_databases_of_every_released_schema_open_with_data_intact(fixture, tmp_path):
    """tests/fixtures/schema-vN.db was written by the release with schema N
    (see tests/fixtures/README.md); it must open and keep its data."""
    with released(fixture, tmp_path) as desk:
        busan = desk.cities.get(next(r.id for r in desk.cities.query().fetch(0, 100) if r.cells[0] == "Busan"))
        assert busan.notes == "Fixture note: [bold]kept[/] 부산"
        assert "Fixture industry" in busan.industries
        assert desk.cities.query().count() == 32  # Gumi was deleted in the fixture
        assert desk.reader().execute("SELECT count(*) FROM change_set").fetchone()[0] >= 3
