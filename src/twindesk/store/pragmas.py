"""Per-connection settings, shared by the sqlite3 reader and SQLAlchemy engine."""

from __future__ import annotations

import sqlite3

BUSY_TIMEOUT_MS = 5000


def apply(conn: sqlite3.Connection) -> None:
    """Call outside any transaction: foreign_keys=ON inside one does nothing."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power loss.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: str) -> sqlite3.Connection:
    """A sqlite3 connection in autocommit mode: BEGIN is always ours to emit."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    apply(conn)
    return conn
