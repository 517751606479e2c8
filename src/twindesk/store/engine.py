"""The SQLAlchemy engine, with SQLite transactions done right.

Python's sqlite3 driver delays BEGIN until the first INSERT/UPDATE, so a
SELECT before it runs outside the transaction and two writers can silently
lose an update. SQLAlchemy's SQLite dialect docs give the fix: turn the
driver's own transaction handling off and emit BEGIN ourselves, IMMEDIATE
for writes so the write lock (and busy_timeout) applies from the first read.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from twindesk.store import pragmas


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        pragmas.apply(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        write = conn.get_execution_options().get("twindesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
