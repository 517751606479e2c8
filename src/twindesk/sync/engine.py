"""`twindesk sync`: pull what this copy has not applied, merge it, push what the hub lacks.

- Pull streams each other replica's change sets from its cursor (its
  highest counter applied here), so a sync that has nothing to do reads no
  change set at all, however large the hub.
- Sets are applied in causal order, a batch per transaction: a kill -9 in
  the middle leaves a consistent database, and the next sync goes on from
  where this one stopped. Nothing is applied twice (a set's id is its key).
- Before the first set is applied, the database is backed up (the backup
  API, 0600); the last few backups are kept.
- A dry run merges everything in one transaction and rolls it back: the
  summary is the real one, and nothing changes, here or on the hub.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twindesk.store import schema
from twindesk.sync.hub import Hub, HubError, ReplicaClash
from twindesk.sync.merge import Merger
from twindesk.sync.wire import BadSet, WireSet
from twindesk.text import plural

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

BATCH = 500  # sets per transaction while pulling
PUSH_BATCH = 1_000  # sets per push
PUSH_CHANGES = 10_000  # changes per push, and per read of this copy's own sets: memory stays flat
KEEP_BACKUPS = 5
Progress = Callable[[str], None]


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    merged: int = 0
    conflicts: int = 0  # new questions for a person (field values, deleted-or-edited)
    duplicates: int = 0
    waiting: int = 0  # sets that wait for others not on the hub yet
    missing: list[str] = field(default_factory=list)  # copies whose sets those wait for, not on this hub
    problems: list[str] = field(default_factory=list)  # streams stopped by a bad file
    open_conflicts: int = 0  # all that wait in the queue after this sync
    dry_run: bool = False
    backup: Path | None = None

    def lines(self, review: str = "open twindesk and press y") -> list[str]:
        """What a person reads after a sync; `review` says where conflicts are chosen."""
        send, receive = ("would send", "would receive") if self.dry_run else ("Sent", "received")
        if self.sent or self.received:
            moved = f"{send} {plural(self.sent, 'change set')}, {receive} {plural(self.received, 'change set')}"
        else:
            moved = "nothing would move" if self.dry_run else "Nothing to send or receive"
        parts = [moved]
        if self.merged:
            parts.append(f"{self.merged:,} merged with changes made here")
        parts += [plural(n, what) for n, what in ((self.conflicts, "new conflict"),
                                                   (self.duplicates, "possible duplicate")) if n]
        out = [("Dry run: " if self.dry_run else "") + "; ".join(parts) + "."]
        if self.waiting:
            wait = "waits" if self.waiting == 1 else "wait"
            if self.missing:
                copies = ", ".join(r[:8] for r in self.missing)
                out.append(f"{plural(self.waiting, 'change set')} {wait} for changes of "
                           f"cop{'y' if len(self.missing) == 1 else 'ies'} {copies} that are not on this hub: "
                           "sync that copy with this hub, then sync here again.")
            else:
                out.append(f"{plural(self.waiting, 'change set')} {wait} for others not on the hub yet; "
                           "the next sync takes them.")
        out += self.problems
        if self.open_conflicts:
            waits = "waits" if self.open_conflicts == 1 else "wait"
            out.append(f"{plural(self.open_conflicts, 'conflict')} {waits} for your choice: {review}.")
        return out


class _Rollback(Exception):
    """Ends a dry run's transaction without committing it."""


def sync(desk: Desk, hub: Hub, *, dry_run: bool = False, progress: Progress | None = None,
         backup: bool = True) -> SyncReport:
    report = SyncReport(dry_run=dry_run)
    say = progress or (lambda _text: None)
    me = desk.replica
    if desk.read_only:
        raise HubError(f"{desk.store.path.name} is open read-only: it cannot take changes from a sync.")
    remote = hub.replicas()
    local = _clock(desk)
    _same_replica_check(desk, hub, remote.get(me, 0), local.get(me, 0))
    waiting_before = set() if dry_run else _open_questions(desk)
    incoming = {r: top for r, top in remote.items() if r != me and top > local.get(r, 0)}
    if incoming:
        say(f"Receiving from {len(incoming)} other cop{'y' if len(incoming) == 1 else 'ies'}…")
        if backup and not dry_run:
            report.backup = backup_before_sync(desk)
        _pull(desk, hub, incoming, report, dry_run, remote)
    if local.get(me, 0) > remote.get(me, 0):
        say("Sending…")
    report.sent = _push(desk, hub, remote.get(me, 0), dry_run)
    if not dry_run:
        _remember(desk, hub)
    report.open_conflicts = desk.conflicts.count()
    if not dry_run:
        # Counted again from the questions written: one raised by a set and
        # settled by a later one in the same pull (a new laptop receiving a
        # history of choices) is no news. A dry run writes none, so it keeps
        # what the merger counted.
        fresh = _open_questions(desk) - waiting_before
        report.conflicts = sum(1 for _r, kind, _f in fresh if kind != "duplicate")
        report.duplicates = sum(1 for _r, kind, _f in fresh if kind == "duplicate")
    return report


def _open_questions(desk: Desk) -> set[tuple[str, str, str]]:
    return {(r[0], r[1], r[2]) for r in desk.reader().execute(
        "SELECT record_id, kind, field FROM conflict WHERE open = 1")}


CLASH = ("The hub holds other changes under this database's id ({short}…): the database file was probably "
         "copied to a second computer, and both copies now say they are one. Run `twindesk sync --new-replica` "
         "on this copy to give it an id of its own; nothing was merged.")


def _same_replica_check(desk: Desk, hub: Hub, theirs: int, ours: int) -> None:
    """A copied database file shares its replica id with the original: the
    two write different sets under the same ids. Never merge that silently."""
    if theirs > ours:
        raise ReplicaClash(CLASH.format(short=desk.replica[:8]))
    if theirs == 0:
        return
    held_id = getattr(hub, "held_id", None)
    if held_id is not None:
        held = held_id(desk.replica, theirs)  # cheap: no change set is read
    else:
        found = next(iter(hub.read(desk.replica, theirs - 1)), None)
        held = found.id if found is not None else None
    row = desk.reader().execute("SELECT id FROM change_set WHERE replica = ? AND counter = ?",
                                (desk.replica, theirs)).fetchone()
    if held is not None and (row is None or row[0] != held):
        raise ReplicaClash(CLASH.format(short=desk.replica[:8]))


def _clock(desk: Desk) -> dict[str, int]:
    return {r[0]: r[1] for r in desk.reader().execute("SELECT replica, counter FROM replica_clock")}


# Pulling --------------------------------------------------------------------------
class _Stream:
    """One replica's sets, read lazily from the hub from this copy's cursor."""

    def __init__(self, hub: Hub, replica: str, after: int) -> None:
        self.replica = replica
        self._sets: Iterator[WireSet] = hub.read(replica, after)
        self.head: WireSet | None = None
        self.done = False

    def peek(self) -> WireSet | None:
        if self.head is None and not self.done:
            try:
                self.head = next(self._sets)
            except StopIteration:
                self.done = True
        return self.head

    def take(self) -> None:
        self.head = None


def _pull(desk: Desk, hub: Hub, incoming: dict[str, int], report: SyncReport, dry_run: bool,
          remote: dict[str, int]) -> None:
    streams = [_Stream(hub, r, _clock(desk).get(r, 0)) for r in sorted(incoming)]
    if dry_run:
        try:
            with desk.store.transaction() as conn:
                _apply(conn, desk.replica, streams, report, limit=None)
                raise _Rollback
        except _Rollback:
            pass
    else:
        while True:
            with desk.store.transaction() as conn:
                applied = _apply(conn, desk.replica, streams, report, limit=BATCH)
            if not applied:
                break
    waiting = [s.head for s in streams if not s.done and s.head is not None]
    report.waiting = len(waiting)
    clock = _clock(desk)
    # Whose sets they wait for: a copy that never synced with this hub (each
    # copy pushes only its own sets) must do so once before these can apply.
    report.missing = sorted({r for ws in waiting for r, c in ws.clock.items()
                             if r != ws.replica and clock.get(r, 0) < c and remote.get(r, 0) < c})


def _apply(conn: Any, me: str, streams: list[_Stream], report: SyncReport, limit: int | None) -> int:
    """Apply ready sets from the streams, in causal order, up to `limit`; returns how many."""
    merger = Merger(conn, me)
    clock = merger.clock()
    applied = 0
    progressed = True
    while progressed and (limit is None or applied < limit):
        progressed = False
        for stream in streams:
            while limit is None or applied < limit:
                try:
                    ws = stream.peek()
                except BadSet as exc:
                    report.problems.append(f"Stopped reading replica {stream.replica[:8]}: {exc}")
                    stream.done, stream.head = True, None
                    break
                if ws is None or not merger.ready(ws, clock):
                    break
                conn.execute("SAVEPOINT one_set")
                try:
                    merger.apply(ws)
                except BadSet as exc:
                    conn.execute("ROLLBACK TO one_set")
                    conn.execute("RELEASE one_set")
                    report.problems.append(f"Stopped reading replica {stream.replica[:8]}: {exc}")
                    stream.done, stream.head = True, None
                    break
                conn.execute("RELEASE one_set")
                stream.take()
                clock[ws.replica] = ws.counter
                applied += 1
                progressed = True
    result = merger.result
    report.received += result.sets
    report.merged += result.merged
    report.conflicts += len(result.conflicts)
    report.duplicates += len(result.duplicates)
    return applied


# Pushing ----------------------------------------------------------------------------
def _push(desk: Desk, hub: Hub, hub_top: int, dry_run: bool) -> int:
    if dry_run:
        row = desk.reader().execute(
            "SELECT count(*) FROM change_set WHERE replica = ? AND counter > ?", (desk.replica, hub_top)
        ).fetchone()
        return int(row[0])
    sent = 0
    batch: list[WireSet] = []
    changes = 0
    for ws in local_sets(desk, hub_top):
        batch.append(ws)
        changes += len(ws.changes)
        if len(batch) >= PUSH_BATCH or changes >= PUSH_CHANGES:
            hub.push(batch)
            sent += len(batch)
            batch, changes = [], 0
    if batch:
        hub.push(batch)
        sent += len(batch)
    return sent


def local_sets(desk: Desk, after: int, replica: str | None = None) -> Iterator[WireSet]:
    """This copy's own change sets after `after`, as they travel, in counter order."""
    replica = replica or desk.replica
    conn = desk.reader()
    version = schema.current_version(conn)
    while True:
        sets = conn.execute(
            """SELECT id, replica, counter, lamport, clock, at, installation, summary, undo_of FROM change_set
               WHERE replica = ? AND counter > ? ORDER BY counter LIMIT 10""",
            (replica, after),
        ).fetchall()
        if not sets:
            return
        marks = ",".join("?" * len(sets))
        changes: dict[str, list[tuple[str, str, str, Any, Any]]] = {s["id"]: [] for s in sets}
        for c in conn.execute(
            f"SELECT change_set_id, entity, record_id, field, old, new FROM change "
            f"WHERE change_set_id IN ({marks}) ORDER BY seq",
            [s["id"] for s in sets],
        ):
            changes[c[0]].append((c[1], c[2], c[3], _load(c[4]), _load(c[5])))
        for s in sets:
            yield WireSet(
                id=s["id"], replica=s["replica"], counter=s["counter"], lamport=s["lamport"],
                clock=json.loads(s["clock"]), at=_iso(s["at"]), installation=s["installation"],
                summary=s["summary"], undo_of=s["undo_of"], schema=version, changes=tuple(changes[s["id"]]),
            )
        after = sets[-1]["counter"]


def _load(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


def _iso(stored: str) -> str:
    at = dt.datetime.fromisoformat(stored)
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).isoformat()


def _remember(desk: Desk, hub: Hub) -> None:
    row = desk.reader().execute("SELECT counter FROM replica_clock WHERE replica = ?", (desk.replica,)).fetchone()
    with desk.store.transaction() as conn:
        conn.execute(
            """INSERT INTO hub_state (hub_id, location, pushed, last_sync) VALUES (?, ?, ?, ?)
               ON CONFLICT (hub_id) DO UPDATE SET location = excluded.location, pushed = excluded.pushed,
               last_sync = excluded.last_sync""",
            (hub.hub_id, hub.location, row[0] if row else 0,
             dt.datetime.now(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")),
        )


# Backups ------------------------------------------------------------------------------
def backup_before_sync(desk: Desk) -> Path:
    path = desk.store.path
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = desk.store.backup(path.with_name(f"{path.name}.sync-{stamp}"))
    kept = sorted(path.parent.glob(f"{path.name}.sync-*"))
    for old in kept[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def new_replica(desk: Desk, hub: Hub) -> tuple[str, int]:
    """Give a copied database its own replica id.

    The sets both copies share (the same ids on the hub and here) stay the
    original's; the ones this copy made after the copy was taken move to a
    new id, counted from 1, with the shared part in their clock. The next
    sync then merges the two copies like any two laptops. Returns the new
    id and how many sets moved.
    """
    old = desk.replica
    shared = 0
    local_ids = {r[0]: r[1] for r in desk.reader().execute(
        "SELECT counter, id FROM change_set WHERE replica = ?", (old,))}
    for held in hub.read(old, 0):
        if local_ids.get(held.counter) != held.id:
            break
        shared = held.counter
    fresh = uuid.uuid4().hex
    with desk.store.transaction() as conn:
        moved = conn.execute("SELECT id, counter, clock FROM change_set WHERE replica = ? AND counter > ? "
                             "ORDER BY counter", (old, shared)).fetchall()
        for number, (set_id, _counter, clock) in enumerate(moved, start=1):
            made_after = {**json.loads(clock), **({old: shared} if shared else {})}
            conn.execute("UPDATE change_set SET replica = ?, counter = ?, clock = ? WHERE id = ?",
                         (fresh, number, json.dumps(made_after, sort_keys=True), set_id))
        conn.execute("UPDATE replica_clock SET counter = ? WHERE replica = ?", (shared, old))
        if moved:
            lamport = conn.execute("SELECT max(lamport) FROM change_set WHERE replica = ?", (fresh,)).fetchone()[0]
            conn.execute("INSERT INTO replica_clock (replica, counter, lamport) VALUES (?, ?, ?)",
                         (fresh, len(moved), lamport))
        if shared == 0:
            conn.execute("DELETE FROM replica_clock WHERE replica = ?", (old,))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'replica_id'", (fresh,))
    desk.reset_replica()
    return fresh, len(moved)
