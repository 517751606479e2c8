"""The conflict queue: what sync could not settle alone, until a person chooses.

Read here; written by the merge (merge.py) and cleared by a choice, which
is an ordinary local change (it syncs, and clears the question on every
copy). Three kinds: two values for one field, a record deleted on one side
and edited on the other, and the same thing created on two copies.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twindesk import registry
from twindesk.services.changelog import decode
from twindesk.services.listing import MARKS_RECORD, marked_records
from twindesk.services.records import RecordService

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


@dataclass(frozen=True)
class Head:
    """One value a copy wrote, and who wrote it when (for people; not for ordering)."""

    value: Any
    replica: str
    installation: str
    at: dt.datetime | None
    lamport: int = 0


@dataclass(frozen=True)
class ConflictItem:
    entity: str
    record_id: str
    kind: str  # "field", "deleted" or "duplicate"
    field: str  # the column; for a duplicate, the other record's id
    label: str  # the field's label, or what the question is
    record: str  # how the record is named
    base: Any
    heads: tuple[Head, ...]
    winner: Any  # the value shown meanwhile (the same on every copy)
    protected: bool
    detected_at: dt.datetime


class ConflictService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def count(self) -> int:
        count: int = self.desk.reader().execute("SELECT count(*) FROM conflict WHERE open = 1").fetchone()[0]
        return count

    def in_conflict(self, record_id: str) -> bool:
        """Whether the record waits for a person's choice on a protected
        field, or on being deleted or kept: it shows "in conflict" everywhere."""
        return bool(self.marked([record_id]))

    def marked(self, record_ids: list[str]) -> set[str]:
        """Which of these records wait for a choice that marks them "in conflict"."""
        return marked_records(self.desk.reader(), record_ids)

    def marked_names(self, limit: int = 3) -> tuple[list[str], int]:
        """How the records marked "in conflict" are named ("partnership
        Changwon (sister city)"), the first `limit` of them, and how many
        there are: the dashboard names them."""
        rows = self.desk.reader().execute(
            f"SELECT entity, record_id FROM conflict WHERE {MARKS_RECORD} "
            "GROUP BY entity, record_id ORDER BY min(detected_at), record_id").fetchall()
        names = []
        for entity, record_id in rows[:limit]:
            service = self.desk.service(entity)
            row = service.row(record_id)
            names.append(f"{registry.kind(entity).noun} {service.describe(dict(row)) if row else record_id[:8]}")
        return names, len(rows)

    def for_record(self, record_id: str) -> list[ConflictItem]:
        return self._items("WHERE record_id = ? AND open = 1", (record_id,))

    def items(self, limit: int = 500) -> list[ConflictItem]:
        return self._items("WHERE open = 1", (), limit)

    def _items(self, where: str, params: tuple[Any, ...], limit: int = 500) -> list[ConflictItem]:
        rows = self.desk.reader().execute(
            f"SELECT * FROM conflict {where} ORDER BY protected DESC, detected_at, record_id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [self._item(r) for r in rows]

    def _item(self, r: Any) -> ConflictItem:
        kind = registry.kind(r["entity"])
        heads = tuple(Head(h.get("value"), h.get("replica", ""), h.get("installation", ""), _utc(h.get("at")),
                           int(h.get("lamport", 0))) for h in json.loads(r["heads"]))
        label = {"deleted": "Deleted on one copy, edited on another",
                 "duplicate": f"Possibly the same {kind.noun} as another"}.get(r["kind"], kind.label_of(r["field"]))
        row = self.desk.service(r["entity"]).row(r["record_id"])
        name = self.desk.service(r["entity"]).describe(dict(row)) if row is not None else r["record_id"][:8]
        winner = row[r["field"]] if row is not None and r["kind"] == "field" and r["field"] in row.keys() else None
        return ConflictItem(
            entity=r["entity"], record_id=r["record_id"], kind=r["kind"], field=r["field"], label=label,
            record=name, base=json.loads(r["base"]) if r["base"] else None, heads=heads, winner=winner,
            protected=bool(r["protected"]), detected_at=dt.datetime.fromisoformat(r["detected_at"]),
        )


    # Choosing: each choice is a local change, so it syncs and settles the question everywhere.
    def choose(self, record_id: str, field: str, value: Any) -> str:
        """Keep `value` (one of the clash's values, as it travelled) for the field."""
        item = self._one(record_id, "field", field)
        model = registry.model_of(item.entity)
        chosen = decode(model, field, json.dumps(value))
        with self.desk.write() as session:
            record = session.get(model, record_id)
            if record is None:
                raise LookupError("That record no longer exists.")
            summary = f"Chose {item.label.lower()} of {item.record}"
            self.desk.changes(session, summary).update(record, {field: chosen}, force=True)
        return summary

    def keep(self, record_id: str) -> str:
        """A record deleted on one copy and edited on another: keep it."""
        item = self._one(record_id, "deleted", "")
        with self.desk.write() as session:
            record = session.get(registry.model_of(item.entity), record_id)
            if record is None:
                raise LookupError("That record no longer exists.")
            self.desk.changes(session, f"Kept {item.record}").update(record, {"deleted_at": None}, force=True)
        return f"Kept {item.record}"

    def delete(self, record_id: str) -> str:
        item = self._one(record_id, "deleted", "")
        with self.desk.write() as session:
            record = session.get(registry.model_of(item.entity), record_id)
            if record is None:
                raise LookupError("That record no longer exists.")
            writer = self.desk.changes(session, f"Deleted {item.record} after all")
            writer.update(record, {"deleted_at": writer.now}, force=True)
        return f"Deleted {item.record}"

    def keep_apart(self, first: str, second: str) -> str:
        """Two records that looked like one thing made twice are two things."""
        from twindesk.models import Decision
        from twindesk.sync.merge import settle_decision

        item = self._one(first, "duplicate", second)
        with self.desk.write() as session:
            writer = self.desk.changes(session, f"Kept apart: {item.record} and its look-alike")
            decision = writer.create(Decision(kind="distinct", entity=item.entity, first_id=first, second_id=second))
            session.flush()
            conn: Any = session.connection().connection.driver_connection
            settle_decision(conn, decision.id)
        return "Kept apart."

    def merge(self, keep_id: str, other_id: str) -> str:
        """Two records of one thing: the other's rows move to the one kept, the other is deleted."""
        first, second = sorted((keep_id, other_id))
        item = self._one(first, "duplicate", second)
        entity = item.entity
        with self.desk.write() as session:
            writer = self.desk.changes(session, f"Merged a duplicate {registry.kind(entity).noun} into {item.record}")
            run = session.connection().exec_driver_sql
            for kind in registry.KINDS:
                pointers = ((kind.parent,) if kind.parent else ()) + kind.links
                for column, target in pointers:
                    if target != entity:
                        continue
                    model = registry.model_of(kind.key)
                    for (child_id,) in run(f"SELECT id FROM {kind.key} WHERE {column} = ?", (other_id,)).all():
                        writer.update(session.get(model, child_id), {column: keep_id})
            other = session.get(registry.model_of(entity), other_id)
            if other is not None:
                writer.delete(other)
        return f"Merged into {item.record}."

    def _one(self, record_id: str, kind: str, field: str) -> ConflictItem:
        found = self._items("WHERE record_id = ? AND kind = ? AND field = ? AND open = 1", (record_id, kind, field))
        if not found:
            raise LookupError("That conflict was settled meanwhile (here or on another copy).")
        return found[0]


def _utc(text: str | None) -> dt.datetime | None:
    """A head's time: sent with its zone, or stored here without one (then UTC)."""
    if not text:
        return None
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


class DecisionService(RecordService):
    """A person's word that sync remembers everywhere ("these are two things")."""

    kind_key = "decision"

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("kind", ""))
