"""The change log: every create, edit, delete and undo, field by field.

A `ChangeSet` is one user action; its `Change` rows say which field of
which record went from what to what. Rows are written in the same
transaction as the change itself, so the log is complete by construction.
Undo replays a set backwards and is itself logged as a new set.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from twindesk.services import search

CREATED = "@created"  # the field name of a create row; `new` holds the whole record
IGNORED = {"id", "created_at", "updated_at", "search"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot log a {type(value).__name__}")


def encode(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def decode(model: type, field: str, raw: str | None) -> Any:
    if raw is None:
        return None
    value = json.loads(raw)
    column = model.__table__.c[field]  # type: ignore[attr-defined]
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    return value


def snapshot(record: Any) -> dict[str, Any]:
    return {
        name: getattr(record, name)
        for name in record.__table__.c.keys()  # noqa: SIM118
        if name not in IGNORED
    }


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    summary: str
    field: str
    old: str
    new: str


class ChangeWriter:
    """Applies and logs the changes of one user action inside a session."""

    def __init__(self, session: Any, installation: str, summary: str, undo_of: str | None = None) -> None:
        from twindesk.models import ChangeSet

        self.session = session
        self.installation = installation
        self.now = dt.datetime.now(dt.UTC)
        # Added with its first change: an action that changed nothing leaves no trace to undo.
        self.change_set = ChangeSet(installation=installation, summary=summary, at=self.now, undo_of=undo_of)
        self.count = 0

    def _log(self, record: Any, field: str, old: Any, new: Any) -> None:
        from twindesk.models import Change

        if self.count == 0:
            self.session.add(self.change_set)
            # No ORM relationship ties Change to ChangeSet, so the set must
            # be in the database before its first row references it.
            self.session.flush()
        self.session.add(
            Change(
                change_set_id=self.change_set.id,
                at=self.now,
                installation=self.installation,
                entity=record.__tablename__,
                record_id=record.id,
                field=field,
                old=encode(old),
                new=encode(new),
            )
        )
        self.count += 1

    def create(self, record: Any) -> Any:
        record.created_at = record.updated_at = self.now
        search.refresh(record.__tablename__, record)
        self.session.add(record)
        self._log(record, CREATED, None, snapshot(record))
        return record

    def update(self, record: Any, values: dict[str, Any]) -> list[str]:
        """Set the fields that differ; returns the names that changed."""
        changed = []
        for name, new in values.items():
            old = getattr(record, name)
            if old != new:
                setattr(record, name, new)
                self._log(record, name, old, new)
                changed.append(name)
        if changed:
            record.updated_at = self.now
            search.refresh(record.__tablename__, record)
            self.session.add(record)
        return changed

    def delete(self, record: Any) -> None:
        if record.deleted_at is None:
            self.update(record, {"deleted_at": self.now})


class UndoService:
    def __init__(self, desk: Any) -> None:
        self.desk = desk

    LAST_SQL = """SELECT id, summary FROM change_set
                   WHERE installation = ? AND undo_of IS NULL
                     AND id NOT IN (SELECT undo_of FROM change_set WHERE undo_of IS NOT NULL)
                   ORDER BY at DESC, rowid DESC LIMIT 1"""

    def last_undoable(self) -> tuple[str, str] | None:
        row = self.desk.reader().execute(self.LAST_SQL, (self.desk.installation,)).fetchone()
        return (row["id"], row["summary"]) if row else None

    def undo_last(self) -> str | None:
        """Undo this installation's most recent action; returns its summary."""
        from twindesk.models import RECORD_TYPES

        with self.desk.write() as session:
            # Chosen and read inside the write transaction: a second window
            # cannot undo the same action, or edit in between, meanwhile.
            run = session.connection().exec_driver_sql
            target = run(self.LAST_SQL, (self.desk.installation,)).first()
            if target is None:
                return None
            set_id, summary = target
            rows = run(
                "SELECT entity, record_id, field, old FROM change WHERE change_set_id = ? ORDER BY seq DESC",
                (set_id,),
            ).all()
            writer = ChangeWriter(session, self.desk.installation, f"Undo: {summary}", undo_of=set_id)
            for entity, record_id, field, old in rows:
                model = RECORD_TYPES[entity]
                record = session.get(model, record_id)
                if record is None:
                    continue
                if field == CREATED:
                    writer.delete(record)
                else:
                    writer.update(record, {field: decode(model, field, old)})
        return summary

    def history(self, record_id: str) -> list[HistoryEntry]:
        rows = (
            self.desk.reader()
            .execute(
                """SELECT c.at, s.summary, c.field, c.old, c.new FROM change c
                   JOIN change_set s ON s.id = c.change_set_id
                   WHERE c.record_id = ? ORDER BY c.seq DESC LIMIT 500""",
                (record_id,),
            )
            .fetchall()
        )
        return [
            HistoryEntry(
                at=dt.datetime.fromisoformat(r["at"]),
                summary=r["summary"],
                field="created" if r["field"] == CREATED else r["field"],
                old="" if r["old"] is None else _show(r["old"]),
                new="" if r["field"] == CREATED or r["new"] is None else _show(r["new"]),
            )
            for r in rows
        ]


def _show(raw: str) -> str:
    value = json.loads(raw)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
