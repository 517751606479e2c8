"""The store: one SQLite file, its connections, schema and backups.

Queries read through plain sqlite3 connections (cheap to import, fast to
page); changes are written through SQLModel sessions that always begin with
BEGIN IMMEDIATE, so a read-then-write can never lose another writer's update.
SQLAlchemy is imported only when the first change is made (or warmed in the
background), which keeps it off the path to the first frame.

A file that cannot be written (a read-only mount, a backup's copy) opens
read-only: `read_only` is set, and `write()` refuses with a message.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from twindesk.store import files, pragmas, schema
from twindesk.store.errors import DamagedDatabase, EmptyDatabase, SchemaError, StoreError, code, describe

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = ["DamagedDatabase", "EmptyDatabase", "ReadOnlyStore", "SchemaError", "Store", "StoreError"]


class ReadOnlyStore(StoreError):
    pass


def _writable(path: Path) -> bool:
    # WAL needs the -wal and -shm files beside the database, so the folder too.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


class Store:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._conns: list[sqlite3.Connection] = []

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, new: bool = False) -> Store:
        """Open (creating if need be) and migrate the database at `path`.

        Raises StoreError (or a subclass) with a message for the user; the
        file is left as it was. `new` accepts an empty (0-byte) file as a
        new database.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file: give a file's path with --db.")
        if not path.exists():
            if read_only:
                raise StoreError(f"There is no database at {path}.")
            _create(path)
        elif path.stat().st_size == 0 and not new:
            raise EmptyDatabase(path)
        read_only = read_only or not _writable(path)
        if path.stat().st_size > 0:
            try:
                schema.check_not_newer(schema.peek_version(path), path)
            except sqlite3.DatabaseError as exc:
                raise _open_error(exc, path) from exc
        store = cls(path, read_only=read_only)
        try:
            conn = store.reader()
            if read_only:
                if schema.current_version(conn) < schema.latest_version():
                    raise ReadOnlyStore(
                        f"{path} is read-only and from an older twindesk: open it once where it can be "
                        "written, so it can be upgraded."
                    )
            else:
                schema.migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            store.close()
            raise _open_error(exc, path) from exc
        except BaseException:
            store.close()
            raise
        return store

    def reader(self) -> sqlite3.Connection:
        """This thread's sqlite3 connection (autocommit; use for queries)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = pragmas.connect(str(self.path), read_only=self.read_only)
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
        if self.read_only:
            raise ReadOnlyStore(f"{self.path.name} is open read-only: nothing can be changed in it.")
        from sqlmodel import Session

        with Session(self.engine.execution_options(twindesk_write=True), expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection in a BEGIN IMMEDIATE transaction: for
        bulk work in SQL (sync), with no SQLAlchemy to import. Commits when
        the block ends, rolls back if it raises."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.path.name} is open read-only: nothing can be changed in it.")
        conn = pragmas.connect(str(self.path))
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

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


def _create(path: Path) -> None:
    """A new database appears whole or not at all: built beside its name and
    linked in. (Two windows started at once on a new file: one builds it, the
    other finds it there, whole; neither sees the empty file a half-made one
    would be.)"""
    import secrets

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    try:
        files.private_file(tmp)
        conn = pragmas.connect(str(tmp))
        try:
            schema.migrate(conn, tmp)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another window made it first: use theirs
    except OSError as exc:
        raise StoreError(f"Cannot create the database: {describe(exc, path.parent)}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Cannot create the database: {describe(exc, path.parent)}") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _open_error(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    family = code(exc)
    if family.startswith("SQLITE_NOTADB"):
        return SchemaError(f"{path} is not a twindesk database (not an SQLite file). It was left untouched.")
    if family.startswith("SQLITE_CORRUPT"):
        return DamagedDatabase(path)
    if family.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(f"{path} is busy: another program is writing to it. Try again in a moment.")
    return StoreError(f"Cannot open {path}: {describe(exc)}")
