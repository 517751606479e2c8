"""Applying an incoming change set, field by field.

Every write to a field knows what it was made against: its set's clock says
which sets of every replica its author had applied. A write W supersedes an
earlier write H of the same field when H happened before W (W's author had
H). The field's *heads* are the writes nothing has superseded: usually one,
the field's value. Two writes made concurrently (on two laptops, offline)
are both heads:

- if they agree, there is nothing to decide;
- if they differ, every copy shows the same provisional winner (the higher
  Lamport stamp, then the replica id) and the field goes to the conflict
  queue until a person chooses. A protected field (a stage, a visit's dates,
  an RSVP) marks its record "in conflict" meanwhile.

A choice is an ordinary local write: it has seen every head, so it
supersedes them all, here and on every copy it reaches. Because the heads
depend only on which writes a copy holds, never on the order they came in,
all copies converge. Sets are applied in causal order (a set only after
everything its clock names), so a write's predecessors are always here first.

Two more questions go to the queue: a record deleted on one copy while it
was edited on another (kept until a person decides), and the same thing
created on two copies (a partnership with one city and kind; a visit to
one city on overlapping dates), which may be one thing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from twindesk import registry
from twindesk.services.changelog import CREATED, IGNORED, SEED
from twindesk.sync import values
from twindesk.sync.wire import BadSet, WireSet

DELETED = "deleted_at"


@dataclass(frozen=True)
class Write:
    """One head of a field: the value a set wrote, and what the set had seen."""

    set_id: str
    replica: str
    counter: int
    lamport: int
    clock: dict[str, int]
    value: Any
    at: str = ""
    installation: str = ""

    def before(self, other: Write) -> bool:
        """Whether this write happened before `other` (other's author had it)."""
        if self.replica == SEED or self.set_id == "":
            return True  # the seed, and a record's creation, come before any edit of it
        if self.replica == other.replica:
            return self.counter < other.counter
        return other.clock.get(self.replica, 0) >= self.counter

    @property
    def stamp(self) -> tuple[int, str]:
        return self.lamport, self.replica

    def to_json(self) -> dict[str, Any]:
        return {"set": self.set_id, "replica": self.replica, "counter": self.counter, "lamport": self.lamport,
                "clock": self.clock, "value": self.value, "at": self.at, "installation": self.installation}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Write:
        return cls(data["set"], data["replica"], data["counter"], data["lamport"], data.get("clock", {}),
                   data.get("value"), data.get("at", ""), data.get("installation", ""))


CREATION = Write("", SEED, 0, 0, {}, None)  # stands for "the record as created"


@dataclass
class Applied:
    """What applying sets did, for the sync summary."""

    sets: int = 0
    merged: int = 0  # sets made while this copy had changes of its own not yet shared
    conflicts: set[tuple[str, str]] = field(default_factory=set)  # (record, field) newly in the queue
    duplicates: set[tuple[str, str]] = field(default_factory=set)


class Merger:
    """Applies WireSets inside one write transaction on `conn` (sqlite3, BEGIN IMMEDIATE held)."""

    def __init__(self, conn: sqlite3.Connection, me: str) -> None:
        self.conn = conn
        self.me = me
        self.result = Applied()
        self.hints: dict[str, dict[str, Any]] = {}  # what duplicate rules keep between records (a longest visit)
        self.now = dt.datetime.now(dt.UTC).isoformat()

    # Clocks -------------------------------------------------------------------
    def clock(self) -> dict[str, int]:
        return {r: c for r, c, *_ in self.conn.execute("SELECT replica, counter, lamport FROM replica_clock")}

    def ready(self, ws: WireSet, clock: dict[str, int]) -> bool:
        """Whether everything `ws` was made against is here (causal order)."""
        if clock.get(ws.replica, 0) != ws.counter - 1:
            return False
        return all(clock.get(r, 0) >= c for r, c in ws.clock.items())

    # Applying -----------------------------------------------------------------
    def apply(self, ws: WireSet) -> None:
        if ws.replica == self.me or ws.replica == SEED:
            raise BadSet("a change set of this copy's own (or of the seed) came back from the hub")
        if self.conn.execute("SELECT 1 FROM change_set WHERE id = ?", (ws.id,)).fetchone():
            raise BadSet("a change-set id that is already used here")
        mine = self.conn.execute("SELECT counter FROM replica_clock WHERE replica = ?", (self.me,)).fetchone()
        if ws.clock.get(self.me, 0) < (mine[0] if mine else 0):
            self.result.merged += 1
        self.conn.execute(
            "INSERT INTO change_set (id, at, installation, summary, undo_of, replica, counter, lamport, clock, author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
            (ws.id, values.stamp(ws.at), ws.installation, ws.summary, ws.undo_of, ws.replica, ws.counter,
             ws.lamport, json.dumps(ws.clock, sort_keys=True)),
        )
        self.conn.execute(
            "INSERT INTO replica_clock (replica, counter, lamport) VALUES (?, ?, ?) ON CONFLICT (replica) DO UPDATE "
            "SET counter = excluded.counter, lamport = max(replica_clock.lamport, excluded.lamport)",
            (ws.replica, ws.counter, ws.lamport),
        )
        touched: dict[str, str] = {}  # records with field writes: their derived columns need a refresh
        created: list[tuple[str, str]] = []
        pending: list[tuple[str, dict[str, Any]]] = []  # creates of one kind in a row, inserted together
        for entity, record_id, name, _old, new in ws.changes:
            if name == CREATED:
                row = self._row(ws, entity, record_id, new)
                if pending and (pending[-1][0] != entity or pending[-1][1].keys() != row.keys()):
                    self._insert(pending)
                pending.append((entity, row))
                created.append((entity, record_id))
                if isinstance(new, dict) and new.get(DELETED) is not None:
                    touched[record_id] = entity
            else:
                if pending:
                    self._insert(pending)
                self._write(ws, entity, record_id, name, new)
                touched[record_id] = entity
        if pending:
            self._insert(pending)
        self.conn.executemany(
            "INSERT INTO change (change_set_id, at, installation, entity, record_id, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(ws.id, values.stamp(ws.at), ws.installation, e, r, f, _dump(o), _dump(n))
             for e, r, f, o, n in ws.changes],
        )
        for record_id, entity in touched.items():
            self._refresh(entity, record_id, values.stamp(ws.at))
            self._deleted_or_edited(entity, record_id)
        for entity, record_id in created:
            if entity == "decision":
                self._decided(record_id)
            else:
                self._possible_duplicates(ws, entity, record_id)
        self.result.sets += 1

    def _row(self, ws: WireSet, entity: str, record_id: str, snapshot: Any) -> dict[str, Any]:
        """The row a created record is stored as, search line included."""
        if not isinstance(snapshot, dict):
            raise BadSet("a created record without its fields")
        known = values.columns(entity)
        at = values.stamp(ws.at)
        # Only what the snapshot holds: a column added since it was made takes its default.
        row: dict[str, Any] = {"id": record_id, "created_at": at, "updated_at": at}
        for name, value in snapshot.items():
            if name not in IGNORED:
                row[name] = values.to_sql(entity, name, value)
        if "search" in known:
            row["search"] = _search(entity, {k: v for k, v in snapshot.items() if k not in IGNORED})
        return row

    def _insert(self, pending: list[tuple[str, dict[str, Any]]]) -> None:
        entity = pending[0][0]
        columns = list(pending[0][1])
        try:
            self.conn.executemany(
                f"INSERT INTO {entity} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[row[c] for c in columns] for _entity, row in pending],
            )
        except sqlite3.IntegrityError as exc:
            raise BadSet("a record created twice, without all of its fields, or pointing to a record this "
                         "copy does not have") from exc
        pending.clear()

    def _write(self, ws: WireSet, entity: str, record_id: str, name: str, new: Any) -> None:
        stored = values.to_sql(entity, name, new)
        if not self.conn.execute(f"SELECT 1 FROM {entity} WHERE id = ?", (record_id,)).fetchone():
            raise BadSet("a change to a record this copy does not have")
        incoming = Write(ws.id, ws.replica, ws.counter, ws.lamport, ws.clock, new, ws.at, ws.installation)
        heads = [h for h in self.heads(record_id, name) if not h.before(incoming)]
        heads.append(incoming)
        winner = max(heads, key=lambda h: h.stamp)
        value = stored if winner is incoming else values.to_sql(entity, name, winner.value)
        try:
            self.conn.execute(f"UPDATE {entity} SET {name} = ? WHERE id = ?", (value, record_id))
        except sqlite3.IntegrityError as exc:
            raise BadSet("a change that points to a record this copy does not have") from exc
        self._keep_heads(entity, record_id, name, heads)

    def heads(self, record_id: str, name: str) -> list[Write]:
        """The writes of a field nothing has superseded yet."""
        row = self.conn.execute(
            "SELECT heads FROM conflict WHERE record_id = ? AND kind = 'field' AND field = ?", (record_id, name)
        ).fetchone()
        if row is not None:
            return [Write.from_json(h) for h in json.loads(row[0])]
        last = self.conn.execute(
            """SELECT s.id, s.replica, s.counter, s.lamport, s.clock, c.new, s.at, s.installation
               FROM change c JOIN change_set s ON s.id = c.change_set_id
               WHERE c.record_id = ? AND c.field = ? ORDER BY c.seq DESC LIMIT 1""",
            (record_id, name),
        ).fetchone()
        if last is None:
            return [CREATION]
        return [Write(last[0], last[1], last[2], last[3], json.loads(last[4]),
                      json.loads(last[5]) if last[5] is not None else None, str(last[6]), last[7])]

    def _keep_heads(self, entity: str, record_id: str, name: str, heads: list[Write]) -> None:
        if len(heads) == 1:
            self.conn.execute("DELETE FROM conflict WHERE record_id = ? AND kind = 'field' AND field = ?",
                              (record_id, name))
            return
        differ = len({json.dumps(h.value, sort_keys=True) for h in heads}) > 1
        protected = name in registry.kind(entity).protected_columns
        was_open = self.conn.execute(
            "SELECT open FROM conflict WHERE record_id = ? AND kind = 'field' AND field = ?", (record_id, name)
        ).fetchone()
        ordered = sorted(heads, key=lambda h: h.stamp)
        base = ordered[0].value if not differ else None
        self.conn.execute(
            """INSERT INTO conflict (record_id, kind, field, entity, heads, base, open, protected, detected_at)
               VALUES (?, 'field', ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (record_id, kind, field) DO UPDATE SET heads = excluded.heads, open = excluded.open""",
            (record_id, name, entity, json.dumps([h.to_json() for h in ordered], ensure_ascii=False),
             _dump(base) if base is not None else self._base(record_id, name, heads),
             int(differ), int(protected), self.now),
        )
        if differ and not (was_open and was_open[0]):
            self.result.conflicts.add((record_id, name))

    def _base(self, record_id: str, name: str, heads: list[Write]) -> str | None:
        """The value before the clash: what the concurrent writes were made over."""
        marks = ",".join("?" * len(heads))
        row = self.conn.execute(
            f"SELECT old FROM change WHERE record_id = ? AND field = ? AND change_set_id IN ({marks}) LIMIT 1",
            (record_id, name, *[h.set_id for h in heads]),
        ).fetchone()
        return row[0] if row else None

    def _refresh(self, entity: str, record_id: str, at: str) -> None:
        """The record's derived columns: its time and its search line."""
        self.conn.execute(f"UPDATE {entity} SET updated_at = ? WHERE id = ?", (at, record_id))
        if registry.kind(entity).search:
            cursor = self.conn.execute(f"SELECT * FROM {entity} WHERE id = ?", (record_id,))
            data = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
            for column in values.columns(entity).values():
                if column.kind == "json" and isinstance(data.get(column.name), str):
                    data[column.name] = json.loads(data[column.name])
            self.conn.execute(f"UPDATE {entity} SET search = ? WHERE id = ?", (_search(entity, data), record_id))

    # Deleted on one side, edited on the other ----------------------------------------
    def _deleted_or_edited(self, entity: str, record_id: str) -> None:
        heads = self.heads(record_id, DELETED)
        winner = max(heads, key=lambda h: h.stamp)
        question = ("DELETE FROM conflict WHERE record_id = ? AND kind = 'deleted'", (record_id,))
        if winner.value is None:
            self.conn.execute(*question)
            return
        self.conn.execute("DELETE FROM conflict WHERE kind = 'duplicate' AND (record_id = ? OR field = ?)",
                          (record_id, record_id))
        edits = self.conn.execute(
            """SELECT s.id, s.replica, s.counter, s.lamport, s.clock, c.field FROM change c
               JOIN change_set s ON s.id = c.change_set_id
               WHERE c.record_id = ? AND c.field NOT IN (?, ?)""",
            (record_id, DELETED, CREATED),
        ).fetchall()
        concurrent = [
            e for e in edits
            if not (w := Write(e[0], e[1], e[2], e[3], json.loads(e[4]), None)).before(winner)
            and not winner.before(w)
        ]
        if not concurrent:
            self.conn.execute(*question)
            return
        # Kept, on every copy alike, until a person decides.
        self.conn.execute(f"UPDATE {entity} SET deleted_at = NULL WHERE id = ?", (record_id,))
        known = self.conn.execute("SELECT 1 FROM conflict WHERE record_id = ? AND kind = 'deleted'",
                                  (record_id,)).fetchone()
        self.conn.execute(
            """INSERT INTO conflict (record_id, kind, field, entity, heads, base, open, protected, detected_at)
               VALUES (?, 'deleted', '', ?, ?, NULL, 1, 0, ?) ON CONFLICT (record_id, kind, field)
               DO UPDATE SET heads = excluded.heads""",
            (record_id, entity, json.dumps([winner.to_json()], ensure_ascii=False), self.now),
        )
        if known is None:
            self.result.conflicts.add((record_id, DELETED))

    # The same thing created on two copies ---------------------------------------------
    def _decided(self, decision_id: str) -> None:
        settle_decision(self.conn, decision_id)

    def _possible_duplicates(self, ws: WireSet, entity: str, record_id: str) -> None:
        rule = registry.kind(entity).duplicate
        if not rule:
            return
        others = registry.load(rule)(self.conn, record_id, self.hints.setdefault(entity, {}))
        if not others:
            return
        marks = ",".join("?" * len(others))
        # Only another replica's creates can be concurrent with this one: one
        # replica's sets follow each other (and a set's records, each other).
        creations = self.conn.execute(
            f"""SELECT c.record_id, s.id, s.replica, s.counter, s.lamport, s.clock FROM change c
                JOIN change_set s ON s.id = c.change_set_id
                WHERE c.record_id IN ({marks}) AND c.field = ? AND s.replica <> ?""",
            (*others, CREATED, ws.replica),
        ).fetchall()
        ours = Write(ws.id, ws.replica, ws.counter, ws.lamport, ws.clock, None)
        for other, *created in creations:
            theirs = Write(created[0], created[1], created[2], created[3], json.loads(created[4]), None)
            if theirs.before(ours) or ours.before(theirs):
                continue  # one was made knowing the other: on purpose
            first, second = sorted((record_id, other))
            decided = self.conn.execute(
                "SELECT 1 FROM decision WHERE first_id = ? AND second_id = ? AND deleted_at IS NULL",
                (first, second),
            ).fetchone()
            if decided:
                continue
            self.conn.execute(
                """INSERT OR IGNORE INTO conflict (record_id, kind, field, entity, heads, base, open, protected,
                   detected_at) VALUES (?, 'duplicate', ?, ?, '[]', NULL, 1, 0, ?)""",
                (first, second, entity, self.now),
            )
            self.result.duplicates.add((first, second))


def _search(entity: str, data: dict[str, Any]) -> str:
    from types import SimpleNamespace

    path = registry.kind(entity).search
    return str(registry.load(path)(SimpleNamespace(**data))) if path else ""


def settle_decision(conn: sqlite3.Connection, decision_id: str) -> None:
    """A "kept apart" decision answers its duplicate question, here and wherever it syncs."""
    row = conn.execute("SELECT first_id, second_id FROM decision WHERE id = ?", (decision_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM conflict WHERE kind = 'duplicate' AND record_id = ? AND field = ?", tuple(row))


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
