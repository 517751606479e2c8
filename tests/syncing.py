"""Helpers for sync tests: several copies (each its own database and config)
and one folder hub, all in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from twindesk import registry
from twindesk.services import Desk
from twindesk.sync.engine import SyncReport, sync
from twindesk.sync.folder_hub import FolderHub

# Columns that are this copy's own business: when it last wrote the row, and
# when it seeded its cities (each copy seeds itself; databases seeded before
# schema 4 carry their own seeding time).
LOCAL_COLUMNS = {"updated_at"}
LOCAL_BY_KIND = {"city": {"created_at"}}


class Copies:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.hub_path = root / "hub"
        self.hub_path.mkdir(exist_ok=True)
        self.desks: dict[str, Desk] = {}

    def open(self, name: str) -> Desk:
        folder = self.root / name
        desk = Desk.open(folder / "twindesk.db", folder / "config.toml")
        self.desks[name] = desk
        return desk

    def hub(self, **kwargs: Any) -> FolderHub:
        return FolderHub.open(self.hub_path, **kwargs)

    def sync(self, name: str, **kwargs: Any) -> SyncReport:
        passphrase = kwargs.pop("passphrase", None)
        return sync(self.desks[name], self.hub(passphrase=passphrase), **kwargs)

    def sync_all(self, rounds: int = 2) -> None:
        for _ in range(rounds):
            for name in self.desks:
                self.sync(name)

    def close(self) -> None:
        for desk in self.desks.values():
            desk.close()


def records(desk: Desk) -> dict[str, list[tuple[Any, ...]]]:
    """Every record of every kind, as stored, without the columns a copy keeps for itself."""
    out = {}
    for kind in registry.KINDS:
        local = LOCAL_COLUMNS | LOCAL_BY_KIND.get(kind.key, set())
        columns = [c for c in registry.model_of(kind.key).__table__.c.keys() if c not in local]
        rows = desk.reader().execute(f"SELECT {', '.join(columns)} FROM {kind.key} ORDER BY id").fetchall()
        out[kind.key] = [tuple(r) for r in rows]
    return out


def queue(desk: Desk) -> set[tuple[str, str, str]]:
    """The open questions: (kind of question, record, field)."""
    return {(r["kind"], r["record_id"], r["field"])
            for r in desk.reader().execute("SELECT kind, record_id, field FROM conflict WHERE open = 1")}


VISIT = {"direction": "outbound", "city": "Busan", "start_date": "2026-12-01", "end_date": "2026-12-04",
         "purpose": "Port logistics study visit", "status": "planned"}


def visit(desk: Desk, **changes: Any) -> str:
    return desk.visits.create({**VISIT, **changes}).id
