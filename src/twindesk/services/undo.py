"""Undo and history, read from the change log.

ctrl+z undoes the window's own last action (its `author`), newest first by
counter, never by wall clock: a laptop whose clock moved back still undoes
in the order things were done. A window that has done nothing yet undoes
this copy's last action from before it opened. Undo is itself an action,
so it syncs like any other.

An action is undone only if every field it wrote still holds the value it
wrote: if another window or a sync changed one since, nothing is undone,
and the message says which record and field.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twindesk import registry
from twindesk.services.changelog import CREATED, IGNORED, ChangeWriter, decode, same_value

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

_UNDONE = "NOT EXISTS (SELECT 1 FROM change_set u WHERE u.undo_of = s.id)"
OWN_SQL = f"""SELECT s.id, s.summary FROM change_set s
    WHERE s.replica = ? AND s.author = ? AND s.undo_of IS NULL AND {_UNDONE}
    ORDER BY s.counter DESC LIMIT 1"""
EARLIER_SQL = f"""SELECT s.id, s.summary FROM change_set s
    WHERE s.replica = ? AND s.installation = ? AND s.counter <= ? AND s.undo_of IS NULL AND {_UNDONE}
    ORDER BY s.counter DESC LIMIT 1"""


class UndoRefused(Exception):
    """The action's values were changed since; the message says where."""


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime  # UTC
    summary: str
    field: str  # the field's label
    old: str
    new: str


class UndoService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        # What this copy had done when the window opened: ctrl+z in a new
        # window reaches back to those, never to another window's newer work.
        row = desk.reader().execute(
            "SELECT counter FROM replica_clock WHERE replica = ?", (desk.replica,)
        ).fetchone()
        self.opened_at = row[0] if row else 0

    def _target(self, execute: Any) -> tuple[str, str] | None:
        desk = self.desk
        row = execute(OWN_SQL, (desk.replica, desk.author.session)).fetchone()
        if row is None:
            row = execute(EARLIER_SQL, (desk.replica, desk.installation, self.opened_at)).fetchone()
        return (row[0], row[1]) if row else None

    def last_undoable(self) -> tuple[str, str] | None:
        return self._target(self.desk.reader().execute)

    def undo_last(self) -> str | None:
        """Undo this window's most recent action; returns its summary, None
        when there is nothing to undo. Raises UndoRefused."""
        with self.desk.write() as session:
            # Chosen and checked inside the write transaction: no other
            # window can undo the same action, or edit, meanwhile.
            conn = session.connection()
            target = self._target(lambda sql, params: conn.exec_driver_sql(sql, params))
            if target is None:
                return None
            set_id, summary = target
            rows = conn.exec_driver_sql(
                "SELECT entity, record_id, field, old, new FROM change WHERE change_set_id = ? ORDER BY seq",
                (set_id,),
            ).all()
            records = self._check(session, list(rows))
            writer = ChangeWriter(session, self.desk.author, f"Undo: {summary}", undo_of=set_id)
            for entity, record_id, field, old, _new in reversed(rows):
                record = records.get((entity, record_id))
                if record is None:
                    continue
                if field == CREATED:
                    writer.delete(record)
                else:
                    writer.update(record, {field: decode(registry.model_of(entity), field, old)})
        return summary

    def _check(self, session: Any, rows: list[Any]) -> dict[tuple[str, str], Any]:
        """The records the action touched, after checking each still holds
        what the action wrote."""
        expected: dict[tuple[str, str], dict[str, Any]] = {}
        for entity, record_id, field, _old, new in rows:
            model = registry.model_of(entity)
            values = expected.setdefault((entity, record_id), {})
            if field == CREATED:
                snapshot = json.loads(new)
                values.update({k: decode(model, k, json.dumps(v)) for k, v in snapshot.items() if k not in IGNORED})
            else:
                values[field] = decode(model, field, new)
        records: dict[tuple[str, str], Any] = {}
        for (entity, record_id), values in expected.items():
            record = session.get(registry.model_of(entity), record_id)
            if record is None:
                continue
            for field, value in values.items():
                if not same_value(getattr(record, field), value):
                    raise UndoRefused(self._changed_since(entity, record, field))
            records[(entity, record_id)] = record
        return records

    def _changed_since(self, entity: str, record: Any, field: str) -> str:
        kind = registry.kind(entity)
        service = getattr(self.desk, kind.service)
        name = service.describe({k: getattr(record, k) for k in record.__table__.c.keys()})
        label = kind.label_of(field)
        return (f"Nothing was undone: {kind.noun} “{name}” was changed since (its {label.lower()}), "
                "in another window or by a sync. Edit it instead.")

    def history(self, record_id: str) -> list[HistoryEntry]:
        rows = (
            self.desk.reader()
            .execute(
                """SELECT c.at, s.summary, c.entity, c.field, c.old, c.new FROM change c
                   JOIN change_set s ON s.id = c.change_set_id
                   WHERE c.record_id = ? ORDER BY s.lamport DESC, c.seq DESC LIMIT 500""",
                (record_id,),
            )
            .fetchall()
        )
        return [
            HistoryEntry(
                at=_utc(r["at"]),
                summary=r["summary"],
                field=_label(r["entity"], r["field"]),
                old="" if r["old"] is None else _show(r["old"]),
                new="" if r["field"] == CREATED or r["new"] is None else _show(r["new"]),
            )
            for r in rows
        ]


def _utc(text: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _label(entity: str, field: str) -> str:
    if field == CREATED:
        return "Created"
    return registry.kind(entity).label_of(field) if entity in registry.KEYS else field


def _show(raw: str) -> str:
    value = json.loads(raw)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
