"""The store: one SQLite file, its connections, schema and backups.

Queries read through plain sqlite3 connections (cheap to import, fast to
page); changes are written through SQLModel sessions that always begin with
BEGIN IMMEDIATE, so a read-then-write can never lose another writer's update.
SQLAlchemy is imported only when the first change is made (or warmed in the
background), which keeps it off the path to the first frame.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from twindesk.store import files, pragmas, schema
from twindesk.store.schema import SchemaError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = ["Store", "SchemaError"]


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._conns: list[sqlite3.Connection] = []

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if need be) and migrate the database at `path`."""
        path = Path(path).expanduser()
        if not path.parent.exists():
            files.private_dir(path.parent)
        files.private_file(path)
        store = cls(path)
        try:
            conn = store.reader()
            schema.migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            store.close()
            raise SchemaError(f"{path} is not a twindesk database ({exc}).") from exc
        except SchemaError:
            store.close()
            raise
        return store

    def reader(self) -> sqlite3.Connection:
        """This thread's sqlite3 connection (autocommit; use for queries)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = pragmas.connect(str(self.path))
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                from twindesk.store.engine import make_engine

                self._engine = make_engine(self.path)
            return self._engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction began with BEGIN IMMEDIATE.

        Commits when the block ends, rolls back if it raises: a change is
        written whole or not at all.
        """
        from sqlmodel import Session

        with Session(self.engine.execution_options(twindesk_write=True), expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def backup(self, target: Path) -> Path:
        return schema.backup(self.reader(), Path(target))

    def close(self) -> None:
        for conn in self._conns:
            try:
                conn.close()
            except sqlite3.ProgrammingError:
                pass  # made in a thread that has ended
        self._conns = []
        self._local = threading.local()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
