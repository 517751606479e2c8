"""The office hub on PostgreSQL: every change set ever shared, in one table.

Laptops keep working on their own SQLite file; the server only holds the
shared history (pg_hub_schema.py). A push is one transaction that lands
whole or not at all, and `ON CONFLICT DO NOTHING` makes re-running it after
a dropped connection harmless: that is what lets every transient failure be
retried without asking anybody. Reads run in one REPEATABLE READ, READ
ONLY snapshot shared by the open streams, each a server-side cursor from the
reader's own position ("counter > after"), so a no-op sync costs a few index
lookups at any hub size, and memory holds one fetch, not the history.

The URL goes to libpq untouched (sslmode, service files, every option), and
so do credentials: ~/.pgpass, PGPASSFILE, PGPASSWORD, a service file.
twindesk never stores a password and never prints one: `location` and every
message pass through `redact`, and libpq's own error texts are scrubbed of
any password the URL held. Wrapped psycopg errors are raised `from None`,
so a traceback in a bug report cannot show the unscrubbed original.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import psycopg
from psycopg import errors

from twindesk.store.schema import latest_version
from twindesk.sync import pg_hub_schema as hs
from twindesk.sync.hub import HubError, HubOffline, ReplicaClash
from twindesk.sync.pg_hub_text import defaults, dial_kind, parse, reason, redact, secrets_of
from twindesk.sync.wire import RECORD_ID, REPLICA, BadSet, WireSet, loads
from twindesk.text import clean

__all__ = ["HubError", "HubOffline", "PgHub", "ReplicaClash", "init_hub", "redact", "status"]

STATEMENT_TIMEOUT = 30.0  # seconds per statement; a hub that takes longer is not answering
RETRY_FOR = 8.0  # seconds of backoff spent on transient failures (a fast restart takes 1-2)
_CHUNK_ROWS = 1_000  # change sets per INSERT statement
_CHUNK_BYTES = 4 * 1024 * 1024  # compressed bytes per INSERT statement
_FETCH_BYTES = 8 * 1024 * 1024  # compressed bytes a read holds at once, roughly
_FIRST_FETCH, _MAX_FETCH = 32, 1_000
_INIT_LOCK = 0x7477_646B_6875_6231  # pg_advisory_xact_lock key: two `hub init` at once take turns

T = TypeVar("T")
Conn = psycopg.Connection[Any]


class _DialFailed(Exception):
    """psycopg.connect failed: told apart from a failure on an open connection."""

    def __init__(self, cause: psycopg.Error) -> None:
        super().__init__()
        self.cause = cause


@dataclass(frozen=True)
class _Row:
    replica: str
    counter: int
    set_id: str
    lamport: int
    checksum: str
    data: bytes


def _row(ws: WireSet) -> _Row:
    if not isinstance(ws, WireSet):
        raise TypeError("push takes WireSets")
    if not REPLICA.fullmatch(ws.replica) or not RECORD_ID.fullmatch(ws.id) or ws.counter < 1 or ws.lamport < 1:
        raise ValueError(f"not a change set a hub takes: {ws.replica[:40]!r}:{ws.counter}")
    raw = ws.dumps().encode("utf-8")
    data = zlib.compress(raw, 6)
    if len(raw) > hs.MAX_INFLATED or len(data) > hs.MAX_STORED:
        raise HubError(f"change set {ws.counter} is larger than a hub takes "
                       f"({len(raw) // 2**20} MiB; at most {hs.MAX_INFLATED // 2**20}); nothing was added")
    return _Row(ws.replica, ws.counter, ws.id, ws.lamport, hashlib.sha256(raw).hexdigest(), data)


def _inflate(data: bytes, what: str) -> bytes:
    unpack = zlib.decompressobj()
    try:
        raw = unpack.decompress(data, hs.MAX_INFLATED)
    except zlib.error:
        raise BadSet(f"{what} is not readable") from None
    if unpack.unconsumed_tail:
        raise BadSet(f"{what} is larger than a hub takes")
    if not unpack.eof or unpack.unused_data:
        raise BadSet(f"{what} is truncated or has something after it")
    return raw


def _decode(replica: str, counter: int, set_id: str, checksum: str, data: bytes, latest: int) -> WireSet:
    what = f"change set {counter} of replica {replica}"
    raw = _inflate(data, what)
    if hashlib.sha256(raw).hexdigest() != checksum:
        raise BadSet(f"{what} does not match its checksum")
    ws = loads(raw, latest_schema=latest)
    # The row's id is what the unique index guards; a set claiming another id is a forgery.
    if ws.gid != (replica, counter) or ws.id != set_id:
        raise BadSet(f"{what} says it is {ws.replica}:{ws.counter}")
    return ws


def _chunks(rows: Sequence[_Row]) -> Iterator[Sequence[_Row]]:
    start, size = 0, 0
    for i, row in enumerate(rows):
        if i > start and (i - start >= _CHUNK_ROWS or size + len(row.data) > _CHUNK_BYTES):
            yield rows[start:i]
            start, size = i, 0
        size += len(row.data)
    if start < len(rows):
        yield rows[start:]


_INSERT = """
INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data)
SELECT * FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::bytea[])
ON CONFLICT (replica, counter) DO NOTHING
RETURNING replica, counter
"""

# `= ANY` on the primary key is an index lookup whatever the planner thinks.
# A join with unnest() (ORDER BY, LIMIT 1) was planned as a nested loop:
# a retried 15,000-set push compared 15,000 x 15,000 rows, 27 s.
_HELD = """
SELECT counter, checksum FROM twindesk.change_set
WHERE replica = %s AND counter = ANY(%s::bigint[])
"""

_READ = """
SELECT counter, set_id, checksum, data FROM twindesk.change_set
WHERE replica = %s AND counter > %s
ORDER BY counter
"""


class PgHub:
    """A hub in a PostgreSQL database (see hub.Hub), on one connection, for one
    thread. Open read() streams share one snapshot, a cursor each, and may be
    interleaved (the engine merges them in causal order); any other call ends
    that snapshot first, and a stream then goes on in a new one after the
    last set it handed out."""

    hub_id: str
    location: str
    version: int

    def __init__(self, url: str, *, statement_timeout: float | None = STATEMENT_TIMEOUT,
                 retry_for: float = RETRY_FOR) -> None:
        """Checks the URL only (HubError); `PgHub.connect` is what opens a hub."""
        self._params = parse(url)
        self._url = url
        self._secrets = secrets_of(url)
        self.location = redact(url)
        self.hub_id, self.version = "", 0
        options = str(self._params.get("options", ""))
        # A statement_timeout in the URL's options is the user's choice and wins.
        self._timeout = None if "statement_timeout" in options else statement_timeout
        self._retry_for = retry_for
        self._conn: Conn | None = None
        self._connected_once = False
        self._snapshot = False  # a REPEATABLE READ, READ ONLY transaction is open for the streams
        self._cursors: set[psycopg.ServerCursor[Any]] = set()
        self._streams = 0
        self._names = 0
        self._in_doubt = False

    @classmethod
    def connect(cls, url: str, *, statement_timeout: float | None = STATEMENT_TIMEOUT,
                retry_for: float = RETRY_FOR) -> PgHub:
        """Open the hub at `url`. HubOffline when the server cannot be reached;
        HubError for a wrong password, a database that is no hub (or not yet),
        a hub from a newer twindesk, a role without the grants."""
        hub = cls(url, statement_timeout=statement_timeout, retry_for=retry_for)
        try:
            hub._check_version(hub._run("opening the hub", hub._read_meta, "nothing changed"))
        except BaseException:
            hub.close()
            raise
        return hub

    # -- the Hub protocol

    def replicas(self) -> dict[str, int]:
        def work(conn: Conn) -> dict[str, int]:
            rows = conn.execute("SELECT replica, counter FROM twindesk.replica").fetchall()
            return {str(r): int(c) for r, c in rows}
        return self._run("reading the replicas", work, "nothing changed")

    def read(self, replica: str, after: int) -> Iterator[WireSet]:
        if not REPLICA.fullmatch(replica) or after < 0:
            raise ValueError(f"not a replica cursor: {replica[:40]!r} after {after}")
        return self._read(replica, after)

    def push(self, sets: Sequence[WireSet]) -> None:
        if not sets:
            return
        rows = sorted((_row(s) for s in sets), key=lambda r: (r.replica, r.counter))
        if len({(r.replica, r.counter) for r in rows}) != len(rows):
            raise ValueError("one change set twice in one push")

        def work(conn: Conn) -> None:
            self._push_once(conn, rows)
        self._run("pushing", work, "")

    def held_id(self, replica: str, counter: int) -> str | None:
        """The id of the set the hub holds at (replica, counter), without reading the set:
        the engine's check that a copied database is not pushing as its original."""
        def work(conn: Conn) -> str | None:
            row = conn.execute("SELECT set_id FROM twindesk.change_set WHERE replica = %s AND counter = %s",
                               (replica, counter)).fetchone()
            return None if row is None else str(row[0])
        return self._run("reading a change set's id", work, "nothing changed")

    def close(self) -> None:
        conn, self._conn, self._snapshot = self._conn, None, False
        if conn is not None:
            conn.close()
        cursors, self._cursors = self._cursors, set()
        for cur in cursors:
            cur.close()  # the connection is closed: this only marks it

    def __enter__(self) -> PgHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connections and retries

    def _dial(self) -> Conn:
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        self.close()
        try:
            conn = psycopg.connect(self._url, autocommit=True, **defaults(self._params))
        except psycopg.Error as exc:
            raise _DialFailed(exc) from None
        self._conn, self._connected_once = conn, True
        if self._timeout is not None:
            conn.execute("SELECT set_config('statement_timeout', %s, false)",
                         (f"{max(1, round(self._timeout * 1000))}ms",))
        return conn

    def _run(self, what: str, work: Callable[[Conn], T], state: str) -> T:
        """work(connection), re-run after a transient failure (see _again_or_raise); any
        other failure, or one that stays, is one HubError line. An empty
        `state` means a push's: it depends on how far the push got."""
        self._end_snapshot()
        spent, delay = 0.0, 0.1
        while True:
            try:
                return work(self._dial())
            except (_DialFailed, psycopg.Error) as exc:
                self._again_or_raise(exc, spent, what, state or self._push_state())
            spent, delay = self._pause(spent, delay)

    def _pause(self, spent: float, delay: float) -> tuple[float, float]:
        pause = max(0.0, min(delay, self._retry_for - spent)) * (1 + random.random() / 4)
        time.sleep(pause)
        return spent + pause, delay * 2

    def _again_or_raise(self, exc: Exception, spent: float, what: str, state: str) -> None:
        """Returns when another try may work: serialization failures and
        deadlocks, a lost connection, a server restarting (refusing, or
        "starting up") after this hub had reached it. Called in an except
        block; the HubError replaces psycopg's (unscrubbed) exception."""
        budget = spent < self._retry_for
        if isinstance(exc, _DialFailed):
            kind = dial_kind(exc.cause)
            if budget and (kind == "starting" or (kind == "offline" and self._connected_once)):
                return
            raise self._dial_failure(exc.cause, kind, what, state) from None
        assert isinstance(exc, psycopg.Error)
        if budget and self._transient(exc):
            return
        raise self._failure(exc, what, state) from None

    def _transient(self, exc: psycopg.Error) -> bool:
        if isinstance(exc, errors.QueryCanceled):  # a statement timeout would only time out again
            return False
        if isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected | errors.TooManyConnections):
            return True
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            return True
        code = exc.sqlstate or ""
        return code.startswith("08") or code in {"57P01", "57P02", "57P03"}

    def _push_state(self) -> str:
        if self._in_doubt:
            return "the push may have landed just before; the next sync finds out (a push adds nothing twice)"
        return "nothing of this push was added"

    def _dial_failure(self, exc: psycopg.Error, kind: str, what: str, state: str) -> HubError:
        why = reason(exc, self._secrets)
        if kind in ("offline", "starting"):
            if self._connected_once:
                return HubOffline(f"the hub at {self.location} cannot be reached any more ({why}) "
                                  f"while {what}; {state}")
            return HubOffline(f"the hub at {self.location} cannot be reached; nothing changed ({why})")
        if kind == "auth":
            return HubError(f"the hub at {self.location} did not accept the login ({why}): check the password "
                            "in ~/.pgpass (or PGPASSFILE, PGPASSWORD, the service file); nothing changed")
        return HubError(f"the hub at {self.location} cannot be used ({why}); {state}")

    def _failure(self, exc: psycopg.Error, what: str, state: str) -> HubError:
        why, code, conn = reason(exc, self._secrets), exc.sqlstate or "", self._conn
        if isinstance(exc, errors.QueryCanceled):
            if "statement timeout" in str(exc) and self._timeout is not None:
                return HubError(f"the hub at {self.location} did not finish {what} within {self._timeout:g} s "
                                f"(statement timeout); {state}")
            return HubError(f"the hub at {self.location} cancelled {what} ({why}); {state}")
        if isinstance(exc, errors.InsufficientPrivilege):
            user = conn.info.user if conn is not None and not conn.closed else "this role"
            return HubError(f"the hub at {self.location} refused {what} to role {user} ({why}): ask whoever runs "
                            f"the server for the grants `twindesk hub init` prints; {state}")
        if code == hs.BEHIND:
            return HubError(f"the hub at {self.location} refused the push ({why}); {state}")
        if conn is None or conn.closed or conn.broken:
            return HubOffline(f"the connection to the hub at {self.location} was lost while {what} ({why}); {state}")
        return HubError(f"the hub at {self.location} failed while {what} ({why}); {state}")

    # -- the work

    def _read_meta(self, conn: Conn) -> dict[str, str]:
        found = conn.execute("SELECT to_regclass('twindesk.hub_meta')").fetchone()
        if found is None or found[0] is None:
            raise HubError(f"the database at {self.location} is not a twindesk hub yet: "
                           f"run `twindesk hub init {self.location}` first")
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM twindesk.hub_meta")}

    def _check_version(self, meta: dict[str, str]) -> None:
        try:
            version = int(meta.get("version", ""))
        except ValueError:
            raise HubError(f"the hub at {self.location} has no readable schema version") from None
        if version > hs.HUB_VERSION:
            raise HubError(f"the hub at {self.location} was set up by a newer twindesk (hub schema {version}; "
                           f"this one knows up to {hs.HUB_VERSION}): upgrade twindesk to sync with it")
        if version < hs.HUB_VERSION:
            raise HubError(f"the hub at {self.location} has hub schema {version}, this twindesk needs "
                           f"{hs.HUB_VERSION}: run `twindesk hub init {self.location}` as its owner to upgrade it")
        self.version, self.hub_id = version, meta.get("hub_id", "")

    def _push_once(self, conn: Conn, rows: Sequence[_Row]) -> None:
        self._in_doubt = False
        with conn.transaction():
            added: set[tuple[str, int]] = set()
            for chunk in _chunks(rows):
                cur = conn.execute(_INSERT, ([r.replica for r in chunk], [r.counter for r in chunk],
                                             [r.set_id for r in chunk], [r.lamport for r in chunk],
                                             [r.checksum for r in chunk], [r.data for r in chunk]))
                added.update((str(rep), int(n)) for rep, n in cur.fetchall())
            clash = self._clash(conn, [r for r in rows if (r.replica, r.counter) not in added])
            if clash is not None:
                raise ReplicaClash(
                    f"the hub at {self.location} holds a different change set {clash[1]} of replica {clash[0]}: "
                    "this database's replica id is also used by another copy (a copied database file); "
                    "nothing of this push was added. Give this copy an id of its own with "
                    "`twindesk sync --new-replica`, then sync again")
            # From here a lost connection leaves the outcome unknown: COMMIT may have been applied.
            self._in_doubt = True
        self._in_doubt = False

    @staticmethod
    def _clash(conn: Conn, held: Sequence[_Row]) -> tuple[str, int] | None:
        """The first of these sets the hub holds with another checksum."""
        for replica in sorted({r.replica for r in held}):
            mine = {r.counter: r.checksum for r in held if r.replica == replica}
            theirs = dict(conn.execute(_HELD, (replica, list(mine))).fetchall())
            for counter in sorted(mine):
                if theirs.get(counter, mine[counter]) != mine[counter]:
                    return replica, counter
        return None

    def _read(self, replica: str, after: int) -> Iterator[WireSet]:
        latest = latest_version()
        state = "what was received is complete; sync again for the rest"
        spent, delay = 0.0, 0.1
        cur: psycopg.ServerCursor[Any] | None = None
        size = _FIRST_FETCH
        self._streams += 1
        try:
            while True:
                try:
                    # A cursor closed under the stream (a push ended the snapshot, or
                    # the connection was lost) is declared again after the last set
                    # handed out: the hub only grows, so a new snapshot misses nothing.
                    if cur is None or cur.closed:
                        cur = self._declare(replica, after)
                    rows = cur.fetchmany(size)
                except (_DialFailed, psycopg.Error) as exc:
                    self._end_snapshot()  # aborted or gone: every open stream starts again
                    self._again_or_raise(exc, spent, "reading", state)
                    spent, delay = self._pause(spent, delay)
                    continue
                if not rows:
                    return
                for counter, set_id, checksum, data in rows:
                    ws = _decode(replica, int(counter), str(set_id), str(checksum), bytes(data), latest)
                    yield ws
                    after = ws.counter
                # Sets range from a few hundred bytes to megabytes: fetch by bytes, not by count.
                biggest = max(len(r[3]) for r in rows)
                size = max(1, min(_MAX_FETCH, _FETCH_BYTES // max(biggest, 1024)))
        finally:
            self._streams -= 1
            if cur is not None:
                self._cursors.discard(cur)
                self._close_quietly(cur)
            if self._streams == 0:
                self._end_snapshot()

    def _declare(self, replica: str, after: int) -> psycopg.ServerCursor[Any]:
        conn = self._dial()
        if not self._snapshot:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self._snapshot = True
        self._names += 1
        cur = conn.cursor(name=f"twindesk_read_{self._names}", binary=True)
        self._cursors.add(cur)
        cur.execute(_READ, (replica, after))
        return cur

    def _end_snapshot(self) -> None:
        """Close the streams' cursors (they declare themselves again when read on)
        and end their transaction."""
        cursors, self._cursors = self._cursors, set()
        for cur in cursors:
            self._close_quietly(cur)
        if not self._snapshot:
            return
        self._snapshot = False
        conn = self._conn
        if conn is not None and not conn.closed and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            try:
                conn.execute("ROLLBACK")
            except psycopg.Error:
                self.close()  # a connection that cannot even roll back is of no more use

    @staticmethod
    def _close_quietly(cur: psycopg.ServerCursor[Any]) -> None:
        try:
            cur.close()
        except psycopg.Error:
            pass  # the connection went: the server dropped the cursor with it


# ---------------------------------------------------------------- hub init and status

def _version_of(conn: Conn) -> int:
    found = conn.execute("SELECT to_regclass('twindesk.hub_meta')").fetchone()
    if found is None or found[0] is None:
        return 0
    row = conn.execute("SELECT value FROM twindesk.hub_meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row is not None else 0


def init_hub(url: str, *, statement_timeout: float | None = STATEMENT_TIMEOUT) -> str:
    """Create or upgrade the hub schema at `url` (as the database's owner);
    returns what to print, with the SQL for IT's read-write and read-only
    roles. HubError for a hub from a newer twindesk; nothing changes then."""
    hub = PgHub(url, statement_timeout=statement_timeout)
    try:
        def work(conn: Conn) -> tuple[int, str]:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
                found = _version_of(conn)
                if found > hs.HUB_VERSION:
                    raise HubError(f"the hub at {hub.location} was set up by a newer twindesk (hub schema {found}; "
                                   f"this one knows up to {hs.HUB_VERSION}): upgrade twindesk; nothing changed")
                if found == 0 and conn.execute("SELECT to_regnamespace(%s)", (hs.SCHEMA,)).fetchone() != (None,):
                    raise HubError(f"the database at {hub.location} already has a schema named {hs.SCHEMA} "
                                   "that is not a twindesk hub; nothing changed")
                try:
                    for number in range(found + 1, hs.HUB_VERSION + 1):
                        conn.execute(hs.STEPS[number - 1].encode())
                except errors.InsufficientPrivilege:
                    raise HubError(f"role {conn.info.user} may not create the hub's tables in the database at "
                                   f"{hub.location}: run `twindesk hub init` as the database's owner; "
                                   "nothing changed") from None
                if found == 0:
                    conn.execute("INSERT INTO twindesk.hub_meta (key, value) VALUES ('hub_id', %s), "
                                 "('created_at', now()::text)", (uuid.uuid4().hex,))
                conn.execute("INSERT INTO twindesk.hub_meta (key, value) VALUES ('version', %s) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(hs.HUB_VERSION),))
                hub_id = conn.execute("SELECT value FROM twindesk.hub_meta WHERE key = 'hub_id'").fetchone()
            return found, str(hub_id[0]) if hub_id else ""

        found, hub_id = hub._run("setting up the hub", work, "nothing changed")
        info = hub._dial().info
        host, port, database = info.host, info.port, info.dbname
    finally:
        hub.close()
    if found == hs.HUB_VERSION:
        done = f"already up to date (hub schema {found})"
    elif found == 0:
        done = f"set up (hub schema {hs.HUB_VERSION})"
    else:
        done = f"upgraded from hub schema {found} to {hs.HUB_VERSION}"
    where = f"{host}:{port}" if not host.startswith("/") else f"{quote(host, safe='')}:{port}"
    return "\n".join([
        f"The hub at {hub.location} is {done}; hub id {hub_id}.",
        "",
        f"Laptops sync with a URL like postgresql://NAME@{where}/{quote(database, safe='')} (add "
        "?sslmode=verify-full when the server has a certificate). Each person's password goes in their "
        "~/.pgpass, never in the URL: twindesk does not store passwords.",
        "",
        "For IT, once, in psql as the database's owner or a superuser:",
        "",
        hs.role_sql(database),
        "-- Then one login per person (the hub records who pushed each change set):",
        "--   CREATE ROLE mina LOGIN IN ROLE twindesk_writer;   (or twindesk_reader)",
        "--   \\password mina",
        f"-- Optionally keep everyone else out: REVOKE CONNECT ON DATABASE \"{database}\" FROM PUBLIC;",
    ])


def status(url: str) -> str:
    """The hub's schema version, and per replica its last push and how many
    change sets it has shared (read from the summary the server keeps)."""
    with PgHub.connect(url) as hub:
        def work(conn: Conn) -> list[tuple[Any, ...]]:
            return conn.execute("SELECT replica, sets, last_push, last_pushed_by FROM twindesk.replica "
                                "ORDER BY last_push DESC, replica").fetchall()
        rows = hub._run("reading the status", work, "nothing changed")
    total = sum(int(r[1]) for r in rows)
    lines = [f"Hub at {hub.location}: hub schema {hub.version}, id {hub.hub_id}; "
             f"{len(rows)} {'replica' if len(rows) == 1 else 'replicas'}, {total:,} change sets."]
    if rows:
        lines.append(f"  {'replica':<32}  {'last push':<16}  {'change sets':>11}  pushed by")
    for replica, sets, last_push, who in rows:
        when = last_push.astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(f"  {replica:<32}  {when:<16}  {int(sets):>11,}  {clean(str(who))}")
    return "\n".join(lines)
