"""What went wrong with the database file, in words for the user.

SQLite's errors carry a code (Python 3.11 exposes `sqlite_errorname`):
busy, full, read-only, can't open, not a database, corrupt. Each has its
own message and its own advice; none of them includes a value the user
typed, so they are safe to show, log and put in a crash report.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The database cannot be used as it is; the message says why, for the user."""


class SchemaError(StoreError):
    """A schema this twindesk cannot open (newer, or not twindesk's)."""


class EmptyDatabase(StoreError):
    """A zero-byte file: usually a copy that failed, so it is not silently reused."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is empty (0 bytes). That is usually a copy that failed; twindesk did not touch it. "
            "Restore a backup (twindesk restore BACKUP), or start a new database in it with "
            "twindesk --db PATH --new."
        )
        self.path = path


class DamagedDatabase(StoreError):
    def __init__(self, path: Path) -> None:
        found = backups(path)
        if found:
            listing = "; ".join(p.name for p in found[:6])
            advice = f"twindesk keeps these backups beside it: {listing}. Restore one with: twindesk restore BACKUP"
        else:
            advice = "There is no backup beside it; `twindesk check` tells what is readable."
        super().__init__(f"{path} is damaged (SQLite found a broken page). {advice}")
        self.path = path


BUSY = ("The database is busy (another program is writing). Your changes are still here: "
        "try ctrl+s again.")


def code(exc: BaseException) -> str:
    """SQLite's error name (SQLITE_BUSY, ...), through SQLAlchemy's wrapper too."""
    inner = getattr(exc, "orig", None) or exc
    name = getattr(inner, "sqlite_errorname", "") or ""
    if not name and isinstance(inner, sqlite3.OperationalError):
        text = str(inner)
        if "locked" in text or "busy" in text:
            return "SQLITE_BUSY"
        if "readonly" in text:
            return "SQLITE_READONLY"
        if "full" in text:
            return "SQLITE_FULL"
    return name


def is_sqlite_error(exc: BaseException) -> bool:
    return isinstance(getattr(exc, "orig", None) or exc, sqlite3.Error)


def describe(exc: BaseException, path: Path | None = None) -> str:
    """One clear sentence for a failed read or write."""
    name = code(exc).split("_")  # SQLITE_IOERR_WRITE -> the family is IOERR
    family = name[1] if len(name) > 1 else ""
    where = f" ({path})" if path else ""
    if family in ("BUSY", "LOCKED"):
        return BUSY
    if family == "FULL" or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return f"The disk is full{where}: nothing was written. Free some space, then save again."
    if family in ("READONLY", "PERM") or (isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES)):
        return f"The database cannot be written{where}: the file or its folder is read-only. Nothing was changed."
    if family == "CANTOPEN":
        return f"The database file cannot be opened{where}: check that its folder exists and is yours."
    if family in ("CORRUPT", "NOTADB"):
        return (f"The database is damaged{where}. `twindesk check` tells more; "
                "`twindesk restore BACKUP` brings a backup back.")
    if family == "IOERR":
        return f"The disk reported an error while writing{where}: nothing was written. Is the drive still there?"
    if isinstance(exc, OSError):
        return f"Could not use the file{where}: {exc.strerror or type(exc).__name__}."
    return f"The database reported an error ({'_'.join(name) or type(exc).__name__}); nothing was written."


def backups(path: Path) -> list[Path]:
    """The backups twindesk keeps beside a database, newest first."""
    folder = path.parent
    if not folder.is_dir():
        return []
    found = [
        p for p in folder.glob(f"{path.name}.*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm", "-journal"))
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
