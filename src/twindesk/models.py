"""SQLModel tables: every record twindesk keeps.

Each record has a UUID primary key (text, stable across machines), created
and updated times, and `deleted_at`, a tombstone: rows are never removed, so
undo and merging two laptops work. Lists of keys (industries, areas,
sectors) are JSON arrays. Dates are validated before they are stored (see
services.validation): an impossible stored date would break every SELECT.

The schema itself is created by the ordered migrations in store/migrations;
tests check that the migrated schema and these classes agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Record(SQLModel):
    id: str = Field(default_factory=new_id, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    deleted_at: dt.datetime | None = None


class City(Record, table=True):
    name: str
    hangul: str = ""
    province: str = ""
    kind: str = "city"
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    romanisations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str = ""
    seed_key: str | None = Field(default=None, index=True)
    search: str = ""


class Partnership(Record, table=True):
    city_id: str = Field(foreign_key="city.id", index=True)
    kind: str = "sister"
    stage: str = "inquiry"
    signed_on: dt.date | None = None
    signed_place: str = ""
    signatories_home: str = ""
    signatories_partner: str = ""
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str = ""


class StageChange(Record, table=True):
    __tablename__ = "stage_change"
    partnership_id: str = Field(foreign_key="partnership.id", index=True)
    stage: str
    changed_on: dt.date
    note: str = ""


class Contact(Record, table=True):
    partnership_id: str = Field(foreign_key="partnership.id", index=True)
    name: str
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""


class Visit(Record, table=True):
    __table_args__ = (
        Index("ix_visit_live_start", "deleted_at", "start_date"),
        # Overlap checks: one city's visits near some dates (schema 3).
        Index("ix_visit_city_start", "city_id", "start_date"),
    )
    direction: str = "outbound"
    city_id: str = Field(foreign_key="city.id", index=True)
    start_date: dt.date
    end_date: dt.date
    purpose: str = ""
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "planned"
    budget_amount: str = ""  # exact decimal text; money is never a float
    budget_currency: str = ""
    notes: str = ""
    search: str = ""


class Member(Record, table=True):
    visit_id: str = Field(foreign_key="visit.id", index=True)
    name: str
    title: str = ""
    organisation: str = ""
    role: str = ""
    dietary: str = ""
    contact: str = ""


class ItineraryItem(Record, table=True):
    __tablename__ = "itinerary_item"
    visit_id: str = Field(foreign_key="visit.id", index=True)
    day: dt.date
    time: str = ""
    place: str = ""
    what: str = ""
    host: str = ""


class Gift(Record, table=True):
    visit_id: str = Field(foreign_key="visit.id", index=True)
    item: str
    direction: str = "given"
    counterpart: str = ""
    occasion: str = ""
    given_on: dt.date | None = None
    value_amount: str = ""  # exact decimal text, as a budget
    value_currency: str = ""
    disposition: str = ""  # "", kept, collection, declined


class Invitation(Record, table=True):
    direction: str = "received"
    event_name: str
    host_city_id: str | None = Field(default=None, foreign_key="city.id", index=True)
    start_date: dt.date
    end_date: dt.date
    rsvp_by: dt.date | None = None
    status: str = "draft"
    party: str = ""
    notes: str = ""
    search: str = ""


class Outcome(Record, table=True):
    area: str
    programme: str
    city_id: str | None = Field(default=None, foreign_key="city.id", index=True)
    partnership_id: str | None = Field(default=None, foreign_key="partnership.id")
    visit_id: str | None = Field(default=None, foreign_key="visit.id")
    invitation_id: str | None = Field(default=None, foreign_key="invitation.id")
    happened_on: dt.date
    title: str
    description: str = ""
    search: str = ""


class Figure(Record, table=True):
    outcome_id: str = Field(foreign_key="outcome.id", index=True)
    measure: str
    value: float
    unit: str = ""
    currency: str = ""


class ChangeSet(SQLModel, table=True):
    """One user action (an edit, a delete, an undo): the unit of undo and of sync.

    (replica, counter) is its global id; `clock` (JSON) the highest counter
    of every other replica applied where it was made; `lamport` orders
    concurrent sets alike on every copy. `at` is for people to read only.
    """

    __tablename__ = "change_set"
    __table_args__ = (Index("ix_change_set_global", "replica", "counter", unique=True),)
    id: str = Field(default_factory=new_id, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    installation: str
    summary: str
    undo_of: str | None = Field(default=None, index=True)
    replica: str = ""
    counter: int = 0
    lamport: int = 0
    clock: str = "{}"
    author: str = ""


class Change(SQLModel, table=True):
    """One field of one record changed: the log behind undo, history and merge."""

    __table_args__ = (Index("ix_change_record_field", "record_id", "field", "seq"),)
    seq: int | None = Field(default=None, primary_key=True)
    change_set_id: str = Field(foreign_key="change_set.id", index=True)
    at: dt.datetime = Field(default_factory=utcnow)
    installation: str
    entity: str
    record_id: str
    field: str
    old: str | None = None  # JSON
    new: str | None = None  # JSON


class ReplicaClock(SQLModel, table=True):
    """The newest change set applied per replica: this copy's version vector."""

    __tablename__ = "replica_clock"
    replica: str = Field(primary_key=True)
    counter: int
    lamport: int


class Decision(Record, table=True):
    """A person's word that sync should remember everywhere ("kept apart")."""

    kind: str
    entity: str
    first_id: str = Field(index=True)
    second_id: str


class Conflict(SQLModel, table=True):
    """What sync could not settle alone (see migration 0004)."""

    record_id: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    entity: str
    heads: str
    base: str | None = None
    open: int
    protected: int
    detected_at: dt.datetime


class HubState(SQLModel, table=True):
    __tablename__ = "hub_state"
    hub_id: str = Field(primary_key=True)
    location: str
    pushed: int
    last_sync: dt.datetime | None = None


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


def column_kind(column: Any) -> str:
    """What a column holds: "datetime", "date", "float", "int", "str" or "json".

    Read from the SQL type's class: SQLAlchemy 2.1 gives `python_type` as
    object for DateTime and SQLModel's AutoString, which would let a text
    through where a time belongs."""
    from sqlalchemy import types

    kind = column.type
    if isinstance(kind, types.TypeDecorator):  # SQLModel's AutoString wraps a String
        kind = kind.impl_instance
    for sql_type, name in ((types.DateTime, "datetime"), (types.Date, "date"), (types.Float, "float"),
                           (types.Integer, "int"), (types.JSON, "json"), (types.String, "str")):
        if isinstance(kind, sql_type):
            return name
    return "json"
