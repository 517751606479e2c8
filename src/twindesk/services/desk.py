"""The Desk: one open database plus its config, and every service on it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import AbstractContextManager
from importlib import import_module
from pathlib import Path
from typing import Any

from twindesk import config as config_mod
from twindesk import seed
from twindesk.services.changes import ChangeWriter, UndoService
from twindesk.services.cities import CityService
from twindesk.store import Store


class _Service:
    """A service built on first use: its module (and its dataclasses) are
    imported then, which keeps start-up to what the first screen needs."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, desk: Any, owner: type | None = None) -> Any:
        if desk is None:
            return self
        service = getattr(import_module(f"twindesk.services.{self.module}"), self.name)(desk)
        desk.__dict__[self.attribute] = service  # later reads skip the descriptor
        return service


class Desk:
    dashboard = _Service("dashboard", "DashboardService")
    home = _Service("home", "HomeService")
    matches = _Service("matching", "MatchService")
    benefits = _Service("benefits", "BenefitService")
    # One service per record type.
    partnerships = _Service("partnerships", "PartnershipService")
    contacts = _Service("contacts", "ContactService")
    visits = _Service("visits", "VisitService")
    members = _Service("visit_parts", "MemberService")
    itinerary = _Service("visit_parts", "ItineraryService")
    gifts = _Service("visit_parts", "GiftService")
    invitations = _Service("invitations", "InvitationService")
    outcomes = _Service("outcomes", "OutcomeService")

    def __init__(self, store: Store, config: config_mod.Config) -> None:
        self.store = store
        self.config = config
        self.installation = config.installation_id
        self.cities = CityService(self)
        self.undo = UndoService(self)

    @classmethod
    def open(cls, db_path: Path, config_path: Path) -> Desk:
        """Open (creating, migrating and seeding as needed) the database."""
        store = Store.open(db_path)
        try:
            desk = cls(store, config_mod.load(config_path))
            seed.ensure(desk)
        except BaseException:
            store.close()
            raise
        return desk

    def today(self) -> dt.date:
        """Today, as every service sees it (tests set it)."""
        return dt.date.today()

    def data_version(self) -> int:
        """Changes whenever another connection (any save, another window) commits."""
        return self.reader().execute("PRAGMA data_version").fetchone()[0]

    def reader(self) -> sqlite3.Connection:
        return self.store.reader()

    def write(self) -> AbstractContextManager[Any]:
        return self.store.write()

    def changes(self, session: Any, summary: str) -> ChangeWriter:
        return ChangeWriter(session, self.installation, summary)

    def warm(self) -> None:
        """Import SQLModel and build the engine now, so the first save is instant."""
        self.store.engine  # noqa: B018

    def close(self) -> None:
        self.store.close()
