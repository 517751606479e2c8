"""`twindesk check` and `twindesk restore`: is the database whole, and
bringing a backup back.

check: SQLite's integrity and foreign-key checks, with a verdict and an
exit status (0 whole, 1 damaged, 2 cannot tell). restore: the backup is
checked first; the current database is backed up beside it, then the backup
is copied in through SQLite's backup API (consistent, WAL included, 0600).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

from twindesk.store import errors, files, schema


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    check = commands.add_parser("check", help="check that the database file is whole (integrity and references)")
    restore = commands.add_parser(
        "restore", help="bring a backup back in place of the database (the current one is kept beside it)",
        description="Replace the database with one of the backups twindesk keeps beside it (before-vN, "
        "sync-…) or any twindesk database file. The current database is backed up first. Close twindesk "
        "in every window before you restore.")
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file to bring back")
    return [check, restore]


def run(args: argparse.Namespace, db: Path, config: Path) -> int:
    if args.command == "check":
        return check(db)
    return restore(db, args.backup.expanduser())


def verdict(path: Path) -> tuple[bool, list[str]]:
    """(whole, what was found) for the database at `path`, read-only."""
    found: list[str] = []
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        if integrity != ["ok"]:
            found += [f"damaged: {line}" for line in integrity]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({r[0] for r in broken})
            found.append(f"{len(broken)} rows point to records that are missing (in {', '.join(tables)})")
        version = schema.current_version(conn)
        if version > schema.latest_version():
            found.append(f"written by a newer twindesk (schema {version})")
    finally:
        conn.close()
    return not found, found


def check(db: Path) -> int:
    if not db.exists():
        print(f"twindesk check: there is no database at {db}.", file=sys.stderr)
        return 2
    try:
        whole, found = verdict(db)
    except sqlite3.DatabaseError as exc:
        # Not errors.describe(): that message sends the user to this very command.
        whole, found = False, [f"SQLite cannot read it ({str(exc).splitlines()[0][:120]}): the file is damaged"]
    if whole:
        print(f"{db} is whole: every page and every reference checks out.")
        return 0
    print(f"{db} is NOT whole:")
    for line in found:
        print(f"  {line}")
    kept = errors.backups(db)
    if kept:
        print("Backups beside it, newest first (twindesk restore BACKUP brings one back):")
        for path in kept[:6]:
            print(f"  {path}")
    else:
        print("There is no backup beside it (twindesk makes one before each upgrade and each sync): "
              "a copy from elsewhere can be brought back with twindesk restore FILE.")
    return 1


def restore(db: Path, backup: Path) -> int:
    name = "twindesk restore"
    if not backup.is_file():
        print(f"{name}: there is no file {backup}.", file=sys.stderr)
        return 2
    try:
        whole, found = verdict(backup)
    except sqlite3.DatabaseError:
        print(f"{name}: {backup} is not a database twindesk can read; nothing was changed.", file=sys.stderr)
        return 2
    if not whole:
        print(f"{name}: {backup} is not whole either ({found[0]}); nothing was changed.", file=sys.stderr)
        return 2
    kept = None
    if db.exists() and db.stat().st_size:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        kept = db.with_name(f"{db.name}.before-restore-{stamp}")
        try:
            _copy(db, kept)
        except sqlite3.DatabaseError:
            # A damaged database cannot be copied page by page: keep its bytes as they are.
            kept.write_bytes(db.read_bytes())
            kept.chmod(0o600)
    else:
        files.private_file(db)
    _copy(backup, db)
    print(f"Restored {db} from {backup}." + (f" The database as it was is kept as {kept}." if kept else ""))
    return 0


def _copy(source: Path, target: Path) -> None:
    files.private_file(target)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
