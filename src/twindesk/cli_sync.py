"""`twindesk sync` and `twindesk hub`: the command line of sync.

Exit codes: 0 in sync, 1 with conflicts to review, 2 on an error. Every
failure is one line on stderr, never a traceback (it would print data).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    sync = commands.add_parser(
        "sync",
        help="exchange changes with the hub: a shared folder, a USB stick or an office PostgreSQL server",
        description="Pull the changes other copies shared, merge them field by field, and push this copy's. "
        "Values two copies changed differently wait in the conflict queue (press y in the app). "
        "Exit status: 0 in sync, 1 with conflicts to review, 2 on an error.",
    )
    sync.add_argument("--hub", metavar="FOLDER|URL",
                      help="a folder (shared drive, synced folder, USB stick) or a postgresql:// URL; "
                      "remembered in the config (default: $TWINDESK_HUB, else the remembered one)")
    sync.add_argument("--dry-run", action="store_true", help="show what a sync would do, and change nothing")
    sync.add_argument("--encrypt", action="store_true",
                      help="make a new folder hub encrypted with a passphrase (asked for, or "
                      "$TWINDESK_HUB_PASSPHRASE); never stored")
    sync.add_argument("--new-replica", action="store_true",
                      help="give this database an id of its own (it was copied from another computer's)")
    hub = commands.add_parser("hub", help="set up an office hub on PostgreSQL, or see who syncs with a hub")
    verbs = hub.add_subparsers(dest="hub_verb", metavar="VERB", required=True)
    init = verbs.add_parser("init", help="create or upgrade the hub's tables on a PostgreSQL server, "
                            "and print the SQL for its roles")
    init.add_argument("url", metavar="URL", help="postgresql://user@host/database (the password from ~/.pgpass)")
    status = verbs.add_parser("status", help="each copy that shares through the hub, its last push and sets")
    status.add_argument("hub", metavar="FOLDER|URL")
    return [sync]


def run(args: argparse.Namespace, db: Path, config: Path) -> int:
    from twindesk.sync.hub import HubError

    name = f"twindesk {args.command}"
    try:
        if args.command == "hub":
            print(_hub(args))
            return 0
        return _sync(args, db, config)
    except HubError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2


def _passphrase() -> str:
    if not sys.stdin.isatty():
        from twindesk.sync.hub import HubError

        raise HubError("The hub is encrypted: set TWINDESK_HUB_PASSPHRASE, or run this in a terminal to be asked.")
    return getpass.getpass("Hub passphrase: ")


def _hub(args: argparse.Namespace) -> str:
    from twindesk.sync import locate

    if args.hub_verb == "init":
        if not locate.is_url(args.url):
            return "A folder hub needs no setting up: `twindesk sync --hub FOLDER` makes it on first use."
        from twindesk.sync.pg_hub import init_hub

        return init_hub(args.url)
    if locate.is_url(args.hub):
        from twindesk.sync.pg_hub import status

        return status(args.hub)
    from twindesk.sync.folder_hub import FolderHub

    hub = locate.open_hub(args.hub, passphrase=_passphrase)
    assert isinstance(hub, FolderHub)
    return hub.status()


def _sync(args: argparse.Namespace, db: Path, config: Path) -> int:
    from twindesk import config as config_mod
    from twindesk.cli import open_for_command
    from twindesk.sync import locate
    from twindesk.sync.engine import new_replica, sync

    desk = open_for_command("twindesk sync", db, config, create=True)
    if isinstance(desk, int):
        return 2
    try:
        location = locate.choose(args.hub, desk.config.hub)
        hub = locate.open_hub(location, passphrase=_passphrase, encrypt=args.encrypt,
                              create=bool(args.hub) and not args.dry_run)
        try:
            if args.new_replica:
                fresh, moved = new_replica(desk, hub)
                print(f"This database now has an id of its own ({fresh[:8]}…); {moved:,} change sets made "
                      "since it was copied will be shared under it.")
            report = sync(desk, hub, dry_run=args.dry_run, progress=lambda text: print(text, file=sys.stderr))
        finally:
            hub.close()
        for line in report.lines():
            print(line)
        if not args.dry_run and args.hub and locate.remembered_form(args.hub) != desk.config.hub:
            config_mod.update(desk.config.path, {("sync", "hub"): locate.remembered_form(args.hub)})
        return 1 if report.open_conflicts else 0
    finally:
        desk.close()
