"""Opening bad files: each cause its own message, nothing touched that should
not be, backups named, check and restore, two starts at once, private folders."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from pathlib import Path

import pytest

from twindesk.cli import main as cli_main
from twindesk.services import Desk
from twindesk.store import EmptyDatabase, SchemaError, Store, StoreError, schema

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.db"


def test_a_database_from_a_newer_twindesk_is_left_byte_identical_with_no_wal_files(tmp_path):
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(SchemaError, match="newer twindesk"):
        Store.open(db)
    assert db.read_bytes() == before
    assert not (tmp_path / "new.db-wal").exists() and not (tmp_path / "new.db-shm").exists()


def test_a_zero_byte_file_is_not_quietly_turned_into_a_new_database(tmp_path):
    db = tmp_path / "copied.db"
    db.touch()
    with pytest.raises(EmptyDatabase, match="0 bytes"):
        Store.open(db)
    assert db.stat().st_size == 0
    Store.open(db, new=True).close()  # asked and answered: a new one in it
    assert db.stat().st_size > 0


def damage(db: Path, table: str = "city") -> None:
    """Scribble over the first page of a table, as a bad sector would."""
    conn = sqlite3.connect(db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(page - 1) * size:(page - 1) * size + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))


def test_a_damaged_page_names_the_file_and_the_backups_kept(tmp_path):
    from shutil import copy

    from twindesk.failures import explain

    db = tmp_path / "twindesk.db"
    copy(FIXTURE, db)
    Store.open(db).close()  # migrates, and keeps twindesk.db.before-v2
    damage(db)
    desk = Desk.open(db, tmp_path / "c.toml", read_only=True)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            desk.cities.query().fetch(0, 50)
    finally:
        desk.close()
    message = explain(caught.value, "showing the cities", db)
    assert str(db) in message and "twindesk.db.before-v2" in message and "twindesk restore" in message


def test_check_gives_a_verdict_and_restore_brings_a_backup_back(tmp_path, capsys):
    from shutil import copy

    db = tmp_path / "twindesk.db"
    copy(FIXTURE, db)
    Store.open(db).close()
    assert cli_main(["--db", str(db), "check"]) == 0
    assert "is whole" in capsys.readouterr().out
    damage(db)
    assert cli_main(["--db", str(db), "check"]) == 1
    out = capsys.readouterr().out
    assert "NOT whole" in out and "twindesk.db.before-v2" in out
    assert cli_main(["--db", str(db), "restore", str(tmp_path / "twindesk.db.before-v2")]) == 0
    assert "kept as" in capsys.readouterr().out
    assert cli_main(["--db", str(db), "check"]) == 0
    assert any(p.name.startswith("twindesk.db.before-restore-") for p in tmp_path.iterdir())


def test_check_of_a_damaged_file_without_backups_says_what_to_do_not_to_run_check(tmp_path, capsys):
    db = tmp_path / "fresh.db"
    Store.open(db).close()
    damage(db)
    assert cli_main(["--db", str(db), "check"]) == 1
    out = capsys.readouterr().out
    assert "NOT whole" in out and "no backup beside it" in out
    assert "twindesk check" not in out


@pytest.mark.parametrize("case", ["folder", "not sqlite", "locked", "full"])
def test_each_cause_gets_its_own_message(tmp_path, case, monkeypatch):
    db = tmp_path / "twindesk.db"
    if case == "folder":
        db.mkdir()
        with pytest.raises(StoreError, match="is a folder"):
            Store.open(db)
        return
    if case == "not sqlite":
        db.write_bytes(b"this is a letter, not a database" * 100)
        with pytest.raises(SchemaError, match="not an SQLite file"):
            Store.open(db)
        return
    from shutil import copy

    copy(FIXTURE, db)  # an older schema: opening it has to write (a migration)
    if case == "locked":
        from twindesk.store import pragmas

        monkeypatch.setattr(pragmas, "BUSY_TIMEOUT_MS", 100)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="busy"):
                Store.open(db)
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    from twindesk.store import pragmas

    monkeypatch.setattr(pragmas, "EXTRA", ("PRAGMA max_page_count = 1",))
    with pytest.raises(StoreError, match="full"):
        Store.open(db)


def _open_in_a_process(db: str, config: str, results) -> None:
    try:
        Desk.open(Path(db), Path(config)).close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("old", [False, True], ids=["new file", "old file"])
def test_two_starts_at_once_on_one_file_both_succeed_and_back_up_once(tmp_path, old):
    from shutil import copy

    db = tmp_path / "twindesk.db"
    if old:
        copy(FIXTURE, db)
    context = multiprocessing.get_context("spawn")
    for round_ in range(4):
        if round_ and old:
            db.unlink()
            for name in ("twindesk.db-wal", "twindesk.db-shm", "twindesk.db.before-v2"):
                (tmp_path / name).unlink(missing_ok=True)
            copy(FIXTURE, db)
        results = context.Queue()
        procs = [context.Process(target=_open_in_a_process, args=(str(db), str(tmp_path / f"c{i}.toml"), results))
                 for i in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [results.get(timeout=5) for _ in procs] == ["ok", "ok"]
        conn = sqlite3.connect(db)
        assert schema.current_version(conn) == schema.latest_version()
        assert conn.execute("SELECT count(*) FROM city WHERE seed_key IS NOT NULL").fetchone()[0] >= 33
        conn.close()
    if old:
        assert [p.name for p in tmp_path.iterdir() if ".before-v" in p.name] == ["twindesk.db.before-v2"]


def test_every_folder_twindesk_creates_is_private(tmp_path):
    db = tmp_path / "a" / "b" / "c" / "twindesk.db"
    Store.open(db).close()
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_read_only_database_opens_for_reading_and_refuses_writes(tmp_path):
    from shutil import copy

    db = tmp_path / "backup.db"
    copy(FIXTURE, db)
    Store.open(db).close()
    desk = Desk.open(db, tmp_path / "c.toml", read_only=True)
    try:
        assert desk.read_only and desk.cities.query().count() >= 32
        with pytest.raises(StoreError, match="read-only"):
            desk.cities.update(desk.cities.resolve("Busan").id, {"notes": "x"})
    finally:
        desk.close()
