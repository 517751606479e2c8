"""Schema version and migrations: ordered SQL files, tracked in PRAGMA user_version.

The version is read first on a read-only connection, so that a file from a
newer twindesk is left byte-identical (not even switched to WAL). Migrating
takes the write lock (BEGIN IMMEDIATE) and reads the version again inside
it: two windows started at once on an old file take turns, and the second
finds nothing left to do. All pending migrations run in that one
transaction, with foreign keys off (a table rebuild with them on would
cascade-delete child rows) and `PRAGMA foreign_key_check` before COMMIT; an
existing database is backed up first.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from importlib import resources
from pathlib import Path

from twindesk.store import files
from twindesk.store.errors import SchemaError

__all__ = ["SchemaError", "backup", "current_version", "latest_version", "migrate", "peek_version"]


@cache  # read once a process: every open asks for the latest version, and they never change
def _migrations() -> tuple[tuple[int, str], ...]:
    folder = resources.files("twindesk.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    found.sort()
    if [n for n, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, ... without gaps")
    return tuple(found)


def latest_version() -> int:
    return len(_migrations())


def current_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def statements(sql: str) -> list[str]:
    """A script cut into statements. (`executescript` would COMMIT the
    transaction the migration must run in; triggers hold semicolons, so
    SQLite itself says where a statement is complete.)"""
    out, pending = [], ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                out.append(pending)
            pending = ""
    if any(ln.strip() and not ln.strip().startswith("--") for ln in pending.splitlines()):
        raise RuntimeError("a migration ends in an incomplete statement")
    return out


def peek_version(path: Path) -> int:
    """The schema version, read without writing a byte to the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = current_version(conn)
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise SchemaError(f"{path} is an SQLite database, but not one of twindesk's. It was left untouched.")
        return version
    finally:
        conn.close()


def check_not_newer(version: int, path: Path) -> int:
    latest = latest_version()
    if version > latest:
        raise SchemaError(
            f"{path} was written by a newer twindesk (schema {version}; this one knows "
            f"up to {latest}). It was left untouched: upgrade twindesk to open it."
        )
    return version


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy (WAL included) through SQLite's backup API, mode 0600."""
    target.unlink(missing_ok=True)
    files.private_file(target)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the schema up to date; returns the version found before."""
    if check_not_newer(current_version(conn), path) == latest_version():
        return latest_version()
    conn.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, or it does nothing
    try:
        conn.execute("BEGIN IMMEDIATE")
        start = check_not_newer(current_version(conn), path)  # again, under the lock
        pending = [(n, sql) for n, sql in _migrations() if n > start]
        if not pending:
            conn.execute("ROLLBACK")
            return start
        if start > 0:
            # Through a connection of its own: SQLite's backup from the
            # connection that holds the write lock waits forever.
            source = sqlite3.connect(path)
            try:
                backup(source, path.with_name(f"{path.name}.before-v{pending[0][0]}"))
            finally:
                source.close()
        for number, sql in pending:
            for statement in statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise SchemaError(f"the migration would break {len(broken)} references; nothing was changed")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return start
