"""Schema version and migrations: ordered SQL files, tracked in PRAGMA user_version.

Each migration runs in one BEGIN IMMEDIATE transaction with foreign keys off
(a table rebuild with them on would cascade-delete child rows), checks
`PRAGMA foreign_key_check` before COMMIT, and an existing database is backed
up before its first migration.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from twindesk.store import files


class SchemaError(Exception):
    """The database cannot be used as it is; the message says why, for the user."""


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("twindesk.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    found.sort()
    if [n for n, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, ... without gaps")
    return found


def latest_version() -> int:
    return len(_migrations())


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_not_newer(conn: sqlite3.Connection, path: Path) -> int:
    version = current_version(conn)
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
    start = check_not_newer(conn, path)
    pending = [(n, sql) for n, sql in _migrations() if n > start]
    if not pending:
        return start
    if start > 0:
        backup(conn, path.with_name(f"{path.name}.before-v{pending[0][0]}"))
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for number, sql in pending:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                conn.execute("ROLLBACK")
                raise SchemaError(f"migration {number} would break {len(broken)} references; nothing was changed")
            conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return start
