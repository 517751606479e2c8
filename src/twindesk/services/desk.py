"""The Desk: one open database plus its config, and every service on it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from contextlib import AbstractContextManager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from twindesk import config as config_mod
from twindesk import seed
from twindesk.services.changelog import Author, ChangeWriter
from twindesk.services.cities import CityService
from twindesk.store import Store

if TYPE_CHECKING:
    from sqlmodel import Session

    from twindesk.services.benefits import BenefitService
    from twindesk.services.contacts import ContactService
    from twindesk.services.dashboard import DashboardService
    from twindesk.services.home import HomeService
    from twindesk.services.invitations import InvitationService
    from twindesk.services.matching import MatchService
    from twindesk.services.outcomes import FigureService, OutcomeService
    from twindesk.services.partnerships import PartnershipService, StageChangeService
    from twindesk.services.records import RecordService
    from twindesk.services.undo import UndoService
    from twindesk.services.visit_parts import GiftService, ItineraryService, MemberService
    from twindesk.services.visits import VisitService
    from twindesk.sync.conflicts import ConflictService

T = TypeVar("T")


class _Service(Generic[T]):
    """A service built on first use: its module (and its dataclasses) are
    imported then, which keeps start-up to what the first screen needs."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, desk: None, owner: type | None = None) -> _Service[T]: ...
    @overload
    def __get__(self, desk: Desk, owner: type | None = None) -> T: ...

    def __get__(self, desk: Desk | None, owner: type | None = None) -> T | _Service[T]:
        if desk is None:
            return self
        service: T = getattr(import_module(f"twindesk.{self.module}"), self.name)(desk)
        desk.__dict__[self.attribute] = service  # later reads skip the descriptor
        return service


class Desk:
    dashboard: _Service[DashboardService] = _Service("services.dashboard", "DashboardService")
    home: _Service[HomeService] = _Service("services.home", "HomeService")
    matches: _Service[MatchService] = _Service("services.matching", "MatchService")
    benefits: _Service[BenefitService] = _Service("services.benefits", "BenefitService")
    undo: _Service[UndoService] = _Service("services.undo", "UndoService")
    conflicts: _Service[ConflictService] = _Service("sync.conflicts", "ConflictService")
    # One service per record kind (the registry names each by its attribute).
    partnerships: _Service[PartnershipService] = _Service("services.partnerships", "PartnershipService")
    stage_changes: _Service[StageChangeService] = _Service("services.partnerships", "StageChangeService")
    contacts: _Service[ContactService] = _Service("services.contacts", "ContactService")
    visits: _Service[VisitService] = _Service("services.visits", "VisitService")
    members: _Service[MemberService] = _Service("services.visit_parts", "MemberService")
    itinerary: _Service[ItineraryService] = _Service("services.visit_parts", "ItineraryService")
    gifts: _Service[GiftService] = _Service("services.visit_parts", "GiftService")
    invitations: _Service[InvitationService] = _Service("services.invitations", "InvitationService")
    outcomes: _Service[OutcomeService] = _Service("services.outcomes", "OutcomeService")
    figures: _Service[FigureService] = _Service("services.outcomes", "FigureService")
    decisions: _Service[RecordService] = _Service("sync.conflicts", "DecisionService")

    def __init__(self, store: Store, config: config_mod.Config) -> None:
        self.store = store
        self.config = config
        self.installation = config.installation_id
        self.cities = CityService(self)
        # This window: ctrl+z undoes what it did, not what another window did.
        self.author = Author(self.replica_id(), self.installation, uuid.uuid4().hex)

    @classmethod
    def open(cls, db_path: Path, config_path: Path, *, read_only: bool = False, new: bool = False) -> Desk:
        """Open (creating, migrating and seeding as needed) the database."""
        store = Store.open(db_path, read_only=read_only, new=new)
        try:
            desk = cls(store, config_mod.load(config_path))
            if not store.read_only:
                seed.ensure(desk)
        except BaseException:
            store.close()
            raise
        return desk

    @property
    def replica(self) -> str:
        return self.author.replica

    def reset_replica(self) -> None:
        """Read the replica id again (it was renewed: a copied database got its own)."""
        self.author = Author(self.replica_id(), self.installation, self.author.session)

    def replica_id(self) -> str:
        row = self.reader().execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
        return str(row[0]) if row else ""

    def service(self, kind: str) -> RecordService:
        """The service of a registry kind."""
        from twindesk import registry

        service: RecordService = getattr(self, registry.kind(kind).service)
        return service

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def today(self) -> dt.date:
        """Today, as every service sees it (tests set it)."""
        return dt.date.today()

    def data_version(self) -> int:
        """Changes whenever another connection (any save, another window) commits."""
        version: int = self.reader().execute("PRAGMA data_version").fetchone()[0]
        return version

    def reader(self) -> sqlite3.Connection:
        return self.store.reader()

    def write(self) -> AbstractContextManager[Session]:
        return self.store.write()

    def changes(self, session: Any, summary: str) -> ChangeWriter:
        return ChangeWriter(session, self.author, summary)

    def warm(self) -> None:
        """Import SQLModel and build the engine now, so the first save is instant."""
        self.store.engine  # noqa: B018

    def close(self) -> None:
        self.store.close()
