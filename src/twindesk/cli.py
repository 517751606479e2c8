"""`twindesk`: launch the app, or run a subcommand.

Kept light: nothing heavy is imported before the arguments are read, so
`twindesk --help` is instant and the app's first frame comes quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

APP_NAME = "twindesk"


def default_db() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "twindesk.db"


def default_config() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twindesk",
        description="A keyboard-driven desk for a city's sister-city and friendly-city partnerships "
        "with Korean cities. Everything is kept in one local SQLite file; it works offline.",
        epilog="In the app: c cities, / filter, enter open, e edit, ctrl+z undo, ctrl+p find anything, "
        "? keys, ctrl+q quit.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the database file (default: $TWINDESK_DB, else twindesk.db in your user data folder; "
        "created and seeded with the 33 cities if missing)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="the config file with your home city (default: $TWINDESK_CONFIG, else config.toml in "
        "your user config folder)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="create a database full of realistic sample records to explore (or benchmark) twindesk",
        description="Create a database with sample partnerships, delegation visits (with members and "
        "itineraries) and festival invitations across the 33 cities.",
    )
    demo.add_argument("--db", type=Path, metavar="PATH", required=True, help="the database file to create")
    demo.add_argument("--size", type=int, default=200, metavar="N", help="how many visits in all (default 200)")
    demo.add_argument("--force", action="store_true", help="replace the file if it already exists")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_NAME)
    except PackageNotFoundError:
        return "unknown"


def resolve_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    db = args.db or (Path(os.environ["TWINDESK_DB"]) if os.environ.get("TWINDESK_DB") else default_db())
    config = args.config or (
        Path(os.environ["TWINDESK_CONFIG"]) if os.environ.get("TWINDESK_CONFIG") else default_config()
    )
    return db.expanduser(), config.expanduser()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db, config = resolve_paths(args)
    if args.command == "demo":
        from twindesk import demo

        return demo.main(db, config, size=args.size, force=args.force)
    from twindesk.app import TwindeskApp

    TwindeskApp(db, config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
