"""`twindesk`: launch the app, or run a subcommand.

Kept light: nothing heavy is imported before the arguments are read, so
`twindesk --help` is instant and the app's first frame comes quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

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
    parser.add_argument("--read-only", action="store_true",
                        help="open the database to look, search and export, changing nothing (a backup, say)")
    parser.add_argument("--new", action="store_true",
                        help="accept an empty (0-byte) database file as a new database; twindesk asks otherwise")
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
    demo.add_argument("--outcomes", type=int, metavar="N",
                      help="how many outcomes, with their figures (default: one per two visits, at least 30)")
    demo.add_argument("--force", action="store_true", help="replace the file if it already exists")
    _add_bundle_commands(commands)
    from twindesk import cli_store, cli_sync

    for sub in (*cli_sync.add_parsers(commands), *cli_store.add_parsers(commands)):
        sub.add_argument("--db", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                         help="the database file (default as for twindesk itself)")
        sub.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                         help="the config file")
    return parser


def _add_bundle_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the records as CSV files or as an iCalendar file",
        description="Export the records: one CSV file per record type (for spreadsheets), or the "
        "visits and festival events as an iCalendar file (a second export updates the same entries).",
    )
    kinds = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    csv_cmd = kinds.add_parser(
        "csv", help="one CSV file per record type", description="Write one CSV file per record type "
        "(UTF-8 with a byte-order mark, so spreadsheets show Hangul) into a folder.",
    )
    csv_cmd.add_argument("--out", type=Path, metavar="DIR", required=True,
                         help="the folder to write into (created if missing; files in it are replaced)")
    ics_cmd = kinds.add_parser(
        "ics", help="visits and festival events as an iCalendar file",
        description="Write the delegation visits and festival invitations as all-day calendar events.",
    )
    ics_cmd.add_argument("--out", type=Path, metavar="FILE", required=True, help="the .ics file to write")
    report = commands.add_parser(
        "report",
        help="write the year's report for the city council",
        description="Write a report for the city council: partnerships by stage, the year's visits and "
        "invitations, outcomes and figures per cooperation area, and the expected benefits.",
    )
    report.add_argument("--year", type=_year, metavar="YYYY", help="the year to report on (default: this year)")
    report.add_argument("--format", choices=("html", "md"), default="html",
                        help="html (one self-contained file, the default) or md (Markdown)")
    report.add_argument("--out", type=Path, metavar="FILE", required=True, help="the file to write")
    brief = commands.add_parser(
        "brief",
        help="write the brief a delegation carries for one visit",
        description="Write a delegation brief for one visit: purpose and dates, the partner city, the "
        "partnership's stage and history, members, the itinerary day by day, gifts, contacts and open "
        "invitations. The file holds personal data and is created readable by you only.",
    )
    brief.add_argument("visit", metavar="VISIT", help="the visit's id, or enough of its first characters")
    brief.add_argument("--format", choices=("html", "md"), default="html",
                       help="html (print-ready, the default) or md (Markdown)")
    brief.add_argument("--out", type=Path, metavar="FILE", required=True, help="the file to write")
    for sub in (csv_cmd, ics_cmd, report, brief):
        # SUPPRESS: without it the subcommand's default (None) would overwrite
        # a --db given before the subcommand.
        sub.add_argument("--db", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                         help="the database file (default as for twindesk itself)")
        sub.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                         help="the config file with your home city")


def _year(text: str) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it as YYYY, e.g. 2026")
    return int(text)


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

        return demo.main(db, config, size=args.size, force=args.force, outcomes=args.outcomes)
    if args.command in ("export", "report", "brief"):
        return _run_bundle(args, db, config)
    if args.command in ("sync", "hub"):
        from twindesk import cli_sync

        return cli_sync.run(args, db, config)
    if args.command in ("check", "restore"):
        from twindesk import cli_store

        return cli_store.run(args, db, config)
    from twindesk.collector import held

    with held():  # until the first screen is up; the app's IdleCollector takes over
        return _run_app(args, db, config)


def _run_app(args: argparse.Namespace, db: Path, config: Path) -> int:
    from twindesk.config import ConfigError, read_toml

    try:
        if config.exists():  # a broken config is the CLI's one line, not the app's screen
            from twindesk.config import check

            check(config, read_toml(config))
    except ConfigError as exc:
        print(f"twindesk: {exc}", file=sys.stderr)
        return 2
    from twindesk.app import TwindeskApp

    app = TwindeskApp(db, config, read_only=args.read_only, new=args.new)
    app.run()
    return app.return_code or 0


def open_for_command(name: str, db: Path, config: Path, *, read_only: bool = False, failure: int = 2,
                     create: bool = False) -> Desk | int:
    """The desk for a subcommand, or the exit status `failure` after a one-line message.
    With `create`, a missing database is made (a new laptop's first sync)."""
    import sqlite3

    from twindesk.config import ConfigError
    from twindesk.store import StoreError

    if not db.exists() and not create:
        print(f"{name}: no database at {db}; give the right one with --db.", file=sys.stderr)
        return failure
    from twindesk.services import Desk

    try:
        return Desk.open(db, config, read_only=read_only)
    except (StoreError, ConfigError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return failure
    except (OSError, sqlite3.Error) as exc:
        from twindesk.store.errors import describe

        print(f"{name}: cannot open {db}: {describe(exc)}", file=sys.stderr)
        return failure


def _run_bundle(args: argparse.Namespace, db: Path, config: Path) -> int:
    """`export csv|ics`, `report` and `brief`: one line on success; on failure one
    line on stderr and exit 1 (no traceback: it would print personal data)."""
    import sqlite3

    name = f"twindesk {args.command}" + (f" {args.export_kind}" if args.command == "export" else "")
    out = args.out.expanduser()
    desk = open_for_command(name, db, config, failure=1)
    if isinstance(desk, int):
        return desk
    try:
        print(_bundle_action(args, desk, out))
    except LookupError as exc:  # `brief`: no such visit, or an ambiguous id
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        print(f"{name}: could not write {out}: {reason}", file=sys.stderr)
        return 1
    finally:
        desk.close()
    return 0


def _bundle_action(args: argparse.Namespace, desk: Desk, out: Path) -> str:
    if args.command == "report":
        from twindesk.bundle import report

        year = desk.today().year if args.year is None else args.year
        data = report.write(desk, year, args.format, out)
        outcomes = sum(area.outcomes for area in data.areas)
        return (f"Wrote the {year} report ({args.format}) to {out} (visits {data.visits.total:,}, "
                f"invitations {data.invitations.total:,}, outcomes {outcomes:,}).")
    if args.command == "brief":
        from twindesk.bundle.brief import write_brief

        return f"Wrote the delegation brief ({args.format}) to {write_brief(desk, args.visit, args.format, out)}."
    if args.export_kind == "ics":
        from twindesk.bundle.ics_export import export_ics

        return (f"Wrote {export_ics(desk, out):,} calendar items (visits, festivals, RSVP deadlines and "
                f"itinerary items) to {out}.")
    from twindesk.bundle.csv_export import export_csv_counted

    done = export_csv_counted(desk, out)
    return f"Wrote {len(done.paths)} CSV files to {out} ({sum(done.rows.values()):,} rows)."


if __name__ == "__main__":
    sys.exit(main())
