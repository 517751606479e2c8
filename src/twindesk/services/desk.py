"""The Desk: one open database plus its config, and every service on it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from twindesk import config as config_mod
from twindesk import seed
from twindesk.services.changes import ChangeWriter, UndoService
from twindesk.services.cities import CityService
from twindesk.services.dashboard import DashboardService
from twindesk.services.home import HomeService
from twindesk.services.matching import MatchService
from twindesk.services.invitations import InvitationService
from twindesk.services.partnerships import ContactService, PartnershipService
from twindesk.store import Store


class Desk:
    def __init__(self, store: Store, config: config_mod.Config) -> None:
        self.store = store
        self.config = config
        self.installation = config.installation_id
        self.cities = CityService(self)
        self.undo = UndoService(self)
        self.dashboard = DashboardService(self)
        self.home = HomeService(self)
        self.matches = MatchService(self)
        # One service per record type.
        self.partnerships = PartnershipService(self)
        self.contacts = ContactService(self)
        self.invitations = InvitationService(self)

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
