"""The change log: every create, edit, delete and undo, field by field.

A `ChangeSet` is one user action; its `Change` rows say which field of
which record went from what to what. Rows are written in the same
transaction as the change itself, so the log is complete by construction.

Each set gets its global id (replica, counter) and its clock (the newest
counter of every other replica applied here) when its first row is
written, inside the write transaction: BEGIN IMMEDIATE makes two windows
take turns, so counters never repeat. A local write has seen everything
applied here, so it settles any clash sync left on the fields it writes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from twindesk import registry

CREATED = "@created"  # the field name of a create row; `new` holds the whole record
IGNORED = {"id", "created_at", "updated_at", "search"}
SEED = "seed"  # the replica of the seed's own sets: the same on every copy


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot log a {type(value).__name__}")


def encode(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def decode(model: type, field: str, raw: str | None) -> Any:
    value = None if raw is None else json.loads(raw)
    if value is None:
        return None
    from twindesk.models import column_kind

    kind = column_kind(model.__table__.c[field])  # type: ignore[attr-defined]
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value


def same_value(a: Any, b: Any) -> bool:
    """Whether a stored value equals a logged one (SQLite hands back
    datetimes without their zone: they are UTC)."""
    return encode(a) == encode(b)


def snapshot(record: Any) -> dict[str, Any]:
    return {
        name: getattr(record, name)
        for name in record.__table__.c.keys()
        if name not in IGNORED
    }


def refresh_search(entity: str, record: Any) -> None:
    """The stored search line of a record, rebuilt from its fields."""
    path = registry.kind(entity).search if entity in registry.KEYS else ""
    if path:
        record.search = registry.load(path)(record)


@dataclass(frozen=True)
class Author:
    """Who writes: this database's replica, the config's installation, and
    the window (`session`) whose ctrl+z may undo it."""

    replica: str
    installation: str
    session: str


class ChangeWriter:
    """Applies and logs the changes of one user action inside a session."""

    def __init__(self, session: Any, author: Author, summary: str, undo_of: str | None = None) -> None:
        from twindesk.models import ChangeSet

        self.session = session
        self.author = author
        self.now = dt.datetime.now(dt.UTC)
        # Added with its first change: an action that changed nothing leaves no trace.
        self.change_set = ChangeSet(installation=author.installation, summary=summary, at=self.now,
                                    undo_of=undo_of, replica=author.replica, author=author.session)
        self.count = 0

    def _stamp(self) -> None:
        """Give the set its global id and clock, and add it (first row only)."""
        run = self.session.connection().exec_driver_sql
        rows = run("SELECT replica, counter, lamport FROM replica_clock").all()
        clock = {r: c for r, c, _lamport in rows}
        lamport = max((lam for _r, _c, lam in rows), default=0)
        mine = self.author.replica
        counter = clock.get(mine, 0) + 1
        cs = self.change_set
        cs.counter, cs.lamport = counter, lamport + 1
        cs.clock = json.dumps({r: c for r, c in sorted(clock.items()) if r not in (mine, SEED)})
        self.session.add(cs)
        run("INSERT INTO replica_clock (replica, counter, lamport) VALUES (?, ?, ?) "
            "ON CONFLICT (replica) DO UPDATE SET counter = excluded.counter, lamport = excluded.lamport",
            (mine, counter, cs.lamport))
        # No ORM relationship ties Change to ChangeSet, so the set must
        # be in the database before its first row references it.
        self.session.flush()

    def _log(self, record: Any, field: str, old: Any, new: Any) -> None:
        from twindesk.models import Change

        if self.count == 0:
            self._stamp()
        self.session.add(
            Change(
                change_set_id=self.change_set.id,
                at=self.now,
                installation=self.author.installation,
                entity=record.__tablename__,
                record_id=record.id,
                field=field,
                old=encode(old),
                new=encode(new),
            )
        )
        self.count += 1
        if field != CREATED:
            self._settle(record.id, field)

    def _settle(self, record_id: str, field: str) -> None:
        """This write saw every value sync kept for the field: it is the choice."""
        run = self.session.connection().exec_driver_sql
        run("DELETE FROM conflict WHERE record_id = ? AND kind = 'field' AND field = ?", (record_id, field))
        if field == "deleted_at":
            run("DELETE FROM conflict WHERE record_id = ? AND kind = 'deleted'", (record_id,))
            # A record deleted here answers "are these the same thing?" for good.
            run("DELETE FROM conflict WHERE kind = 'duplicate' AND (record_id = ? OR field = ?)",
                (record_id, record_id))

    def create(self, record: Any) -> Any:
        record.created_at = record.updated_at = self.now
        refresh_search(record.__tablename__, record)
        self.session.add(record)
        self._log(record, CREATED, None, snapshot(record))
        return record

    def update(self, record: Any, values: dict[str, Any], *, force: bool = False) -> list[str]:
        """Set the fields that differ (all of them with `force`: a choice
        in the conflict queue is written even when it keeps the value);
        returns the names written."""
        changed = []
        for name, new in values.items():
            old = getattr(record, name)
            if force or not same_value(old, new):
                setattr(record, name, new)
                self._log(record, name, old, new)
                changed.append(name)
        if changed:
            record.updated_at = self.now
            refresh_search(record.__tablename__, record)
            self.session.add(record)
        return changed

    def delete(self, record: Any) -> None:
        if record.deleted_at is None:
            self.update(record, {"deleted_at": self.now})
