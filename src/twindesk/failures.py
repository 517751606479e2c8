"""What the user is told when an action fails, and the crash report.

Expected failures (invalid input, a record deleted meanwhile, a database
that is busy, full or read-only) get a sentence of their own. Anything
else is a bug: the user gets a short message, and a crash report is
written to the user's log folder (0600) holding the exception's type and
the stack (files, lines, functions, our code's lines), never an exception
message or a local variable: those carry names, phone numbers and notes.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import traceback
from pathlib import Path

from twindesk.store.errors import DamagedDatabase, StoreError, code, describe, is_sqlite_error

EXPECTED_MESSAGES = ("LookupError", "UndoRefused", "ConfigError", "HubError", "SyncError")


def log_dir() -> Path:
    override = os.environ.get("TWINDESK_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("twindesk", appauthor=False)


def explain(error: BaseException | None, action: str, db: Path | None = None) -> str:
    """One sentence for the user; writes a crash report for a bug. With the
    database's path, a damaged file is named with the backups kept beside it."""
    if error is None:
        return f"Something went wrong while {action}. Nothing was lost."
    # Our own exceptions carry messages written for the user; a KeyError's
    # (a LookupError too) could carry a value, so the exact type counts.
    if isinstance(error, StoreError) or type(error).__name__ in EXPECTED_MESSAGES:
        return str(error)
    if db is not None and code(error).startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return str(DamagedDatabase(db))
    if is_sqlite_error(error) or isinstance(error, OSError):
        return describe(error, db)
    path = write_report(error, action)
    where = f" A report without your data is in {path}." if path else ""
    return f"Something went wrong while {action} ({type(error).__name__}). Nothing was lost.{where}"


def report_text(error: BaseException, action: str) -> str:
    lines = [
        f"twindesk crash report, {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"while: {action}",
        f"twindesk {_version()}, Python {platform.python_version()}, {sys.platform}",
        "",
    ]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            # Only the file's name within its package: a home folder's path names its owner.
            lines.append(f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}")
            if frame.line and "twindesk" in Path(frame.filename).parts:
                lines.append(f"      {frame.line.strip()}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by / during:")
    return "\n".join(lines) + "\n"


def write_report(error: BaseException, action: str) -> Path | None:
    from twindesk.bundle.files import write_atomic

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = log_dir() / f"crash-{stamp}.txt"
    try:
        return write_atomic(path, [report_text(error, action)])
    except OSError:
        return None  # a full disk must not turn one failure into two


def _short_path(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("twindesk", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):])
    return Path(filename).name


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("twindesk")
    except PackageNotFoundError:
        return "unknown"
