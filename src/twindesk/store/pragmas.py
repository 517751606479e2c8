"""Per-connection settings, shared by the sqlite3 reader and SQLAlchemy engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
# SQLite's own page cache, per connection (its default is 2 MiB). Every thread
# that reads has a connection (the UI, the rows loader, Textual's worker
# threads) and each filled its cache at 100,000 records, while the file's
# pages sit in the OS cache anyway: half the default took ~2 MiB off the
# peak RSS of a session over the big lists, and no filter got slower
# (`python benchmarks/screens.py`).
CACHE_KIB = 1024
# More statements for every connection: fault tests set PRAGMA max_page_count
# here, which makes SQLite report a full disk without filling one.
EXTRA: tuple[str, ...] = ()


def apply(conn: sqlite3.Connection, *, read_only: bool = False) -> None:
    """Call outside any transaction: foreign_keys=ON inside one does nothing."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
    # FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power loss.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    for statement in EXTRA:
        conn.execute(statement)


def connect(path: str, *, read_only: bool = False) -> sqlite3.Connection:
    """A sqlite3 connection in autocommit mode: BEGIN is always ours to emit.

    Read-only opens the file with mode=ro; on a read-only mount, where a WAL
    database cannot get its -shm file, as immutable (nobody can write it).
    """
    if not read_only:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    else:
        uri = Path(path).resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    apply(conn, read_only=read_only)
    return conn
