"""The PostgreSQL hub against a real server (tests/pg.py): no mocks, no SQLite standing in."""

from __future__ import annotations

import os
import secrets
import threading
import time
import tracemalloc
import uuid
import zlib
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from twindesk.sync import pg_hub_schema as hs
from twindesk.sync.hub import HubError, HubOffline, ReplicaClash
from twindesk.sync.pg_hub import PgHub, init_hub, redact, status
from twindesk.sync.wire import BadSet, WireSet

from .pg import connect

HANGUL = "부산광역시 해운대구 · 한글"


def make_set(replica: str, counter: int, *, summary: str = "", notes: str = "") -> WireSet:
    """A change set as a coordinator's action makes one: a visit created, then edited."""
    rid = str(uuid.UUID(int=counter * 7919 + int(replica[:8], 16)))
    snapshot = {"id": rid, "city_id": "busan", "purpose": f"{HANGUL} 항만 견학 [/] #{counter}",
                "start_date": "2025-06-01", "members": 12, "budget": 1234.5, "confirmed": True,
                "tags": ["port", "youth [/]"], "notes": notes or None}
    # The same (replica, counter) makes the same set: a retried push is the same push.
    return WireSet(
        id=str(uuid.uuid5(uuid.NAMESPACE_OID, f"{replica}:{counter}")), replica=replica, counter=counter,
        lamport=counter + 3, clock={"0" * 31 + "1": 4}, at="2025-06-01T09:30:00+00:00",
        installation="5f0c6a52-7d1e-4c35-9a43-0d7b2e1f8a61",
        summary=summary or f"New visit: {HANGUL} [/] #{counter}", undo_of=None, schema=4,
        changes=(("visit", rid, "@created", None, snapshot),
                 ("visit", rid, "purpose", snapshot["purpose"], f"Port study [/] 부산 #{counter}")),
    )


def sets(replica: str, first: int, last: int) -> list[WireSet]:
    return [make_set(replica, n) for n in range(first, last + 1)]


def one_line(message: str) -> bool:
    return "\n" not in message and "\r" not in message and 0 < len(message) < 700


def held(url: str, replica: str | None = None) -> list[tuple[str, int]]:
    with connect(url) as conn:
        rows = conn.execute("SELECT replica, counter FROM twindesk.change_set ORDER BY replica, counter").fetchall()
    return [(r, c) for r, c in rows if replica is None or r == replica]


@pytest.fixture
def hub_url(pg_url):
    init_hub(pg_url)
    return pg_url


@pytest.fixture
def hub(hub_url):
    opened = PgHub.connect(hub_url)
    yield opened
    opened.close()


R1, R2 = uuid.uuid4().hex, uuid.uuid4().hex


# ---------------------------------------------------------------- setting up

def test_init_sets_up_the_hub_once_and_prints_the_sql_for_it(pg_url):
    text = init_hub(pg_url)
    database = urlsplit(pg_url).path.lstrip("/")
    assert f"set up (hub schema {hs.HUB_VERSION})" in text
    assert hs.role_sql(database) in text
    assert "GRANT INSERT (replica, counter, set_id, lamport, checksum, data) ON twindesk.change_set" in text
    assert "UPDATE" not in hs.role_sql(database) and "DELETE" not in hs.role_sql(database)
    with PgHub.connect(pg_url) as first:
        hub_id = first.hub_id
    again = init_hub(pg_url)
    assert f"already up to date (hub schema {hs.HUB_VERSION})" in again
    with PgHub.connect(pg_url) as second:
        assert second.hub_id == hub_id and len(hub_id) == 32 and second.version == hs.HUB_VERSION


def test_two_inits_at_once_take_turns(pg_url):
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(init_hub(pg_url))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum("set up" in r for r in results) == 1 and sum("already up to date" in r for r in results) == 2


def test_a_database_that_is_no_hub_yet_says_to_run_hub_init(pg_url):
    with pytest.raises(HubError) as caught:
        PgHub.connect(pg_url)
    message = str(caught.value)
    assert "run `twindesk hub init postgresql://" in message and one_line(message)
    assert not isinstance(caught.value, HubOffline)


def test_a_hub_from_a_newer_twindesk_is_refused_and_left_alone(hub_url):
    with connect(hub_url) as conn:
        conn.execute("UPDATE twindesk.hub_meta SET value = '99' WHERE key = 'version'")
    for attempt in (lambda: PgHub.connect(hub_url), lambda: init_hub(hub_url), lambda: status(hub_url)):
        with pytest.raises(HubError) as caught:
            attempt()
        assert "newer twindesk (hub schema 99; this one knows up to 1)" in str(caught.value)
        assert one_line(str(caught.value))
    with connect(hub_url) as conn:
        assert conn.execute("SELECT value FROM twindesk.hub_meta WHERE key = 'version'").fetchone() == ("99",)


def test_init_by_a_role_that_may_not_create_tables_says_who_may(pg_url, pg_role):
    stranger = pg_role()
    with pytest.raises(HubError) as caught:
        init_hub(stranger.url)
    assert f"role {stranger.name} may not create" in str(caught.value) and "database's owner" in str(caught.value)
    assert one_line(str(caught.value))
    with connect(pg_url) as conn:
        assert conn.execute("SELECT to_regnamespace('twindesk')").fetchone() == (None,)


def test_a_schema_named_twindesk_that_is_no_hub_is_left_alone(pg_url):
    with connect(pg_url) as conn:
        conn.execute("CREATE SCHEMA twindesk")
        conn.execute("CREATE TABLE twindesk.theirs (x int)")
    with pytest.raises(HubError, match="already has a schema named twindesk"):
        init_hub(pg_url)
    with connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('twindesk.theirs') IS NOT NULL").fetchone() == (True,)


# ---------------------------------------------------------------- pushing and reading

def test_change_sets_round_trip_with_hangul_and_markup_like_text(hub):
    mine, theirs = sets(R1, 1, 30), sets(R2, 1, 5)
    hub.push(mine)
    hub.push(theirs)
    assert hub.replicas() == {R1: 30, R2: 5}
    assert list(hub.read(R1, 0)) == mine
    assert list(hub.read(R2, 0)) == theirs
    assert next(iter(hub.read(R1, 0))).changes[0][4]["purpose"].startswith(HANGUL)


def test_a_read_from_a_cursor_returns_only_the_later_sets(hub):
    hub.push(sets(R1, 1, 500))
    assert [s.counter for s in hub.read(R1, 497)] == [498, 499, 500]
    assert list(hub.read(R1, 500)) == []
    assert list(hub.read(uuid.uuid4().hex, 0)) == []


def test_the_read_path_is_an_index_range_scan(hub, hub_url):
    hub.push(sets(R1, 1, 2000))
    with connect(hub_url) as conn:
        conn.execute("ANALYZE twindesk.change_set")
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT counter, checksum, data FROM twindesk.change_set "
            "WHERE replica = %s AND counter > %s ORDER BY counter", (R1, 1990)))
    assert "Index Scan using change_set_pkey" in plan and "Sort" not in plan


def test_a_retried_push_adds_nothing_twice(hub, hub_url):
    first = sets(R1, 1, 10)
    hub.push(first)
    hub.push(first)  # the connection dropped after COMMIT, and the engine pushed again
    hub.push(sets(R1, 1, 20))  # and a later push that overlaps
    assert held(hub_url) == [(R1, n) for n in range(1, 21)]
    assert hub.replicas() == {R1: 20}
    assert "20 change sets" in status(hub_url)


def test_another_set_under_an_id_the_hub_holds_is_a_replica_clash_and_nothing_lands(hub, hub_url):
    hub.push(sets(R1, 1, 3))
    copy = make_set(R1, 3, summary="Made on the copied laptop")
    with pytest.raises(ReplicaClash) as caught:
        hub.push([copy, make_set(R1, 4)])
    message = str(caught.value)
    assert "also used by another copy" in message and "twindesk sync --new-replica" in message
    assert one_line(message)
    assert held(hub_url) == [(R1, 1), (R1, 2), (R1, 3)]
    hub.push([make_set(R1, 4)])  # the hub still works
    assert hub.replicas() == {R1: 4}


def test_a_set_below_a_replicas_newest_is_refused_by_the_server(hub, hub_url):
    hub.push(sets(R1, 1, 10))
    hub.push([make_set(R1, 15)])
    with pytest.raises(HubError) as caught:
        hub.push([make_set(R1, 12)])
    assert "would land behind 15" in str(caught.value) and one_line(str(caught.value))
    assert (R1, 12) not in held(hub_url)


def test_open_streams_share_one_snapshot_and_may_be_interleaved(hub, hub_url):
    hub.push(sets(R1, 1, 300))
    hub.push(sets(R2, 1, 300))
    a, b = hub.read(R1, 0), hub.read(R2, 0)
    got_a, got_b = [next(a).counter], [next(b).counter]
    with PgHub.connect(hub_url) as other:
        other.push(sets(R1, 301, 310))  # after the snapshot was taken: not in these streams
    for x, y in zip(a, b, strict=False):
        got_a.append(x.counter)
        got_b.append(y.counter)
    got_a += [s.counter for s in a]
    assert list(b) == []  # the last open stream ended: so did the snapshot
    assert got_a == list(range(1, 301)) and got_b == list(range(1, 301))
    assert [s.counter for s in hub.read(R1, 300)] == list(range(301, 311))


def test_a_push_between_reads_ends_the_snapshot_and_the_streams_go_on(hub):
    hub.push(sets(R1, 1, 100))
    stream = hub.read(R1, 0)
    first = [next(stream).counter for _ in range(40)]
    hub.push(sets(R2, 1, 5))
    assert first + [s.counter for s in stream] == list(range(1, 101))


def test_a_stream_left_half_read_leaves_the_hub_usable(hub):
    hub.push(sets(R1, 1, 100))
    assert next(iter(hub.read(R1, 50))).counter == 51
    hub.push(sets(R1, 101, 102))
    assert hub.replicas() == {R1: 102}


def test_a_read_streams_in_bounded_memory(hub):
    # Holding these 15,000 sets' rows would take about 10 MiB; the stream holds one fetch.
    for start in range(1, 15_001, 5_000):
        hub.push(sets(R1, start, start + 4_999))
    tracemalloc.start()
    try:
        count = 0
        for ws in hub.read(R1, 0):
            count += 1
            assert ws.counter == count
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 15_000
    assert peak < 3 * 2**20, f"peak {peak / 2**20:.1f} MiB while reading"


def test_a_damaged_or_forged_set_ends_that_replicas_stream(hub, hub_url):
    hub.push(sets(R1, 1, 2))
    forged = make_set(R2, 9)
    raw = forged.dumps().encode()
    with connect(hub_url) as conn:  # the owner can insert anything; readers must not trust it
        conn.execute("INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data) "
                     "VALUES (%s, 3, %s, 3, %s, %s)", (R1, forged.id, forged.checksum, zlib.compress(raw)))
        conn.execute("INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data) "
                     "VALUES (%s, 1, 'x', 1, %s, %s)", (R2, "0" * 64, zlib.compress(raw)))
        conn.execute("INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data) "
                     "VALUES (%s, 2, 'x', 2, %s, %s)", (R2, "0" * 64, zlib.compress(b"x" * (hs.MAX_INFLATED + 1))))
    stream = hub.read(R1, 0)
    assert [next(stream).counter, next(stream).counter] == [1, 2]
    with pytest.raises(BadSet, match="says it is"):
        next(stream)
    with pytest.raises(BadSet, match="does not match its checksum"):
        list(hub.read(R2, 0))
    with pytest.raises(BadSet, match="larger than a hub takes"):
        list(hub.read(R2, 1))
    assert hub.replicas()[R1] == 3  # and the hub goes on working


# ---------------------------------------------------------------- append-only, roles

def _grant(url: str, role: str, *, write: bool) -> None:
    with connect(url) as conn:  # as the database's owner, the grants init prints
        conn.execute(hs.grants_sql(role, urlsplit(url).path.lstrip("/"), write=write))


def test_the_writer_role_adds_and_reads_but_never_changes_a_set(hub_url, pg_role):
    writer = pg_role()
    _grant(hub_url, writer.name, write=True)
    with PgHub.connect(writer.url) as hub:
        hub.push(sets(R1, 1, 3))
        assert [s.counter for s in hub.read(R1, 0)] == [1, 2, 3]
    assert writer.name in status(hub_url)
    refused = [
        "UPDATE twindesk.change_set SET lamport = 1",
        "DELETE FROM twindesk.change_set",
        "TRUNCATE twindesk.change_set",
        "INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data, pushed_at) "
        f"VALUES ('{R2}', 1, 'x', 1, '{'0' * 64}', '\\x00', now() - interval '1 year')",
        f"UPDATE twindesk.replica SET counter = 0 WHERE replica = '{R1}'",
        "DELETE FROM twindesk.replica",
        "UPDATE twindesk.hub_meta SET value = '2'",
        "CREATE TABLE twindesk.mine (x int)",
    ]
    for statement in refused:
        with connect(writer.url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert held(hub_url) == [(R1, 1), (R1, 2), (R1, 3)]


def test_even_the_owner_cannot_update_delete_or_truncate_a_set(hub, hub_url):
    hub.push(sets(R1, 1, 2))
    for statement in ("UPDATE twindesk.change_set SET lamport = 1", "DELETE FROM twindesk.change_set",
                      "TRUNCATE twindesk.change_set",
                      f"INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data) "
                      f"VALUES ('{R1}', 1, 'x', 1, '{'0' * 64}', '\\x00') ON CONFLICT (replica, counter) "
                      "DO UPDATE SET lamport = 9"):
        with connect(hub_url) as conn, pytest.raises(psycopg.Error) as e:
            conn.execute(statement)
        assert e.value.sqlstate == hs.APPEND_ONLY and "append-only" in str(e.value)
    assert held(hub_url) == [(R1, 1), (R1, 2)]


def test_the_read_only_role_reads_but_cannot_push(hub_url, pg_role):
    with PgHub.connect(hub_url) as owner:
        owner.push(sets(R1, 1, 3))
    reader = pg_role()
    _grant(hub_url, reader.name, write=False)
    with PgHub.connect(reader.url) as hub:
        assert hub.replicas() == {R1: 3}
        assert len(list(hub.read(R1, 0))) == 3
        with pytest.raises(HubError) as caught:
            hub.push([make_set(R1, 4)])
        message = str(caught.value)
        assert f"refused pushing to role {reader.name}" in message and "nothing of this push was added" in message
        assert one_line(message)
        assert hub.replicas() == {R1: 3}  # and it goes on reading
    with connect(reader.url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"INSERT INTO twindesk.change_set (replica, counter, set_id, lamport, checksum, data) "
                     f"VALUES ('{R2}', 1, 'x', 1, '{'0' * 64}', '\\x00')")


def test_a_role_without_the_grants_is_told_what_to_ask_for(hub_url, pg_role):
    stranger = pg_role()
    with pytest.raises(HubError) as caught:
        PgHub.connect(stranger.url)
    assert "grants `twindesk hub init` prints" in str(caught.value) and one_line(str(caught.value))


def test_the_role_sql_as_printed_runs_and_its_members_sync(hub_url, pg_role):
    admin = os.environ["TWINDESK_TEST_PG_ADMIN"]
    database = urlsplit(hub_url).path.lstrip("/")
    tag = secrets.token_hex(3)
    writers, readers = f"t_writers_{tag}", f"t_readers_{tag}"
    mina, jun = pg_role(), pg_role()
    admin_here = urlsplit(admin)._replace(path="/" + database).geturl()
    try:
        with connect(admin_here) as conn:
            conn.execute(hs.role_sql(database, writers, readers))
            conn.execute(f'GRANT "{writers}" TO "{mina.name}"')
            conn.execute(f'GRANT "{readers}" TO "{jun.name}"')
        with PgHub.connect(mina.url) as hub:
            hub.push(sets(R1, 1, 2))
        with PgHub.connect(jun.url) as hub:
            assert [s.counter for s in hub.read(R1, 0)] == [1, 2]
            with pytest.raises(HubError, match="refused pushing"):
                hub.push([make_set(R2, 1)])
    finally:
        with connect(admin_here) as conn:
            for group in (writers, readers):
                conn.execute(f'DROP OWNED BY "{group}"')
                conn.execute(f'DROP ROLE IF EXISTS "{group}"')


# ---------------------------------------------------------------- failures

def test_a_refused_port_is_offline_in_one_line(pg_refused_url):
    with pytest.raises(HubOffline) as caught:
        PgHub.connect(pg_refused_url)
    message = str(caught.value)
    assert message.startswith(f"the hub at {redact(pg_refused_url)} cannot be reached; nothing changed")
    assert "refused" in message.lower() and one_line(message)


def test_an_unreachable_host_is_offline_in_one_line():
    started = time.monotonic()
    with pytest.raises(HubOffline) as caught:
        PgHub.connect("postgresql://nobody@192.0.2.1:5432/hub?connect_timeout=2")  # TEST-NET-1: never routed
    assert "cannot be reached; nothing changed" in str(caught.value) and one_line(str(caught.value))
    assert time.monotonic() - started < 10


def test_a_wrong_password_is_one_line_without_the_password(pg_wrong_password_url, hub_url):
    password = urlsplit(pg_wrong_password_url).password
    assert password
    for attempt in (lambda: PgHub.connect(pg_wrong_password_url), lambda: init_hub(pg_wrong_password_url),
                    lambda: status(pg_wrong_password_url)):
        with pytest.raises(HubError) as caught:
            attempt()
        message = str(caught.value)
        assert not isinstance(caught.value, HubOffline)
        assert "did not accept the login" in message and "~/.pgpass" in message and one_line(message)
        assert password not in message and quote(password, safe="") not in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("where", ["userinfo", "query", "keywords"])
def test_no_message_shows_a_password_given_in_the_url(pg_refused_url, pg_url, where):
    password = "Sekr3t-" + secrets.token_hex(4) + "/@?&='%"
    parts = urlsplit(pg_url)
    host = f"{parts.hostname}:{parts.port}"
    urls = {
        "userinfo": f"postgresql://{parts.username}:{quote(password, safe='')}@{host}{parts.path}",
        "query": f"postgresql://{parts.username}@{host}{parts.path}?password={quote(password, safe='')}",
        "keywords": f"host={parts.hostname} port={parts.port} dbname={parts.path[1:]} user={parts.username} "
                    f"password='{password.replace(chr(39), chr(92) + chr(39))}'",
    }
    url = urls[where]
    with pytest.raises(HubError) as caught:
        PgHub.connect(url)  # a wrong password: the server answers, libpq explains
    refused = url.replace(str(parts.port), str(urlsplit(pg_refused_url).port))
    with pytest.raises(HubOffline) as offline:
        PgHub.connect(refused)
    for message in (str(caught.value), str(offline.value), redact(url), redact(refused)):
        assert password not in message and quote(password, safe="") not in message, message
        assert "Sekr3t" not in message and one_line(message)


def test_the_server_restarting_in_the_middle_of_a_push_is_retried_and_lands_once(hub, hub_url, pg_server):
    many = sets(R1, 1, 15_000)
    before = hub._dial().info.backend_pid
    seen = _restart_when_pushing(hub_url, pg_server, lambda: hub.push(many))
    assert seen, "the restart did not come during the push"
    assert len(held(hub_url)) == 15_000 and hub.replicas() == {R1: 15_000}
    assert hub._dial().info.backend_pid != before  # it did reconnect
    hub.push(many)  # and a retry by the engine adds nothing
    assert len(held(hub_url)) == 15_000


def test_a_dropped_connection_mid_push_is_retried(hub, hub_url, pg_server):
    many = sets(R1, 1, 15_000)
    seen = _restart_when_pushing(hub_url, pg_server, lambda: hub.push(many), terminate=True)
    assert seen and len(held(hub_url)) == 15_000


def test_a_server_that_stays_down_mid_push_leaves_nothing_half_applied(hub_url, pg_server):
    many = sets(R1, 1, 15_000)
    hub = PgHub.connect(hub_url, retry_for=0.5)
    failures: list[BaseException] = []

    def push() -> None:
        try:
            hub.push(many)
        except HubError as exc:
            failures.append(exc)
    try:
        seen = _restart_when_pushing(hub_url, pg_server, push, stop=True)
        assert seen and len(failures) == 1 and isinstance(failures[0], HubOffline)
        assert "nothing of this push was added" in str(failures[0]) and one_line(str(failures[0]))
        pg_server.start()
        assert held(hub_url) == []
        hub.push(many)  # the next call works normally
        assert len(held(hub_url)) == 15_000
    finally:
        hub.close()


def _restart_when_pushing(url, server, push, *, terminate=False, stop=False) -> bool:
    """Run push() in a thread; restart (or stop, or cut off) the server once its
    transaction is under way. Returns whether that happened mid-push."""
    database = urlsplit(url).path.lstrip("/")
    done = threading.Event()
    worker = threading.Thread(target=lambda: (push(), done.set()))
    worker.start()
    seen = False
    with connect(server.admin_url) as watch:
        while not done.is_set() and not seen:
            seen = watch.execute(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = %s AND application_name = 'twindesk' "
                "AND query LIKE '%%INSERT INTO twindesk.change_set%%' "
                "AND state IN ('active', 'idle in transaction')", (database,)).fetchone()[0]
    if seen:
        if terminate:
            server.terminate(url)
        elif stop:
            server.stop("fast")
        else:
            server.restart("fast")
    worker.join(60)
    return seen and not worker.is_alive()


def test_the_server_restarting_in_the_middle_of_a_read_is_resumed(hub, pg_server):
    hub.push(sets(R1, 1, 3_000))
    got = []
    for ws in hub.read(R1, 0):
        got.append(ws.counter)
        if len(got) == 100:
            pg_server.restart("immediate")  # a crash: recovery on start
    assert got == list(range(1, 3_001))


def test_a_server_that_stays_down_mid_read_is_one_line_and_the_next_read_goes_on(hub_url, pg_server):
    with PgHub.connect(hub_url) as owner:
        owner.push(sets(R1, 1, 3_000))
    hub = PgHub.connect(hub_url, retry_for=0.5)
    got = []
    try:
        with pytest.raises(HubOffline) as caught:
            for ws in hub.read(R1, 0):
                got.append(ws.counter)
                if len(got) == 100:
                    pg_server.stop("fast")
        assert "what was received is complete" in str(caught.value) and one_line(str(caught.value))
        pg_server.start()
        got += [ws.counter for ws in hub.read(R1, got[-1])]
        assert got == list(range(1, 3_001))
    finally:
        hub.close()


def test_a_terminated_session_between_calls_is_reconnected(hub, hub_url, pg_server):
    hub.push(sets(R1, 1, 5))
    assert pg_server.terminate(hub_url) >= 1
    assert hub.replicas() == {R1: 5}


def test_a_statement_timeout_is_one_line_and_the_next_call_works(hub_url):
    hub = PgHub.connect(hub_url, statement_timeout=0.3)
    blocker = connect(hub_url)
    try:
        blocker.execute("BEGIN")
        blocker.execute("LOCK TABLE twindesk.change_set, twindesk.replica IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(HubError) as pushing:
            hub.push(sets(R1, 1, 3))
        with pytest.raises(HubError) as reading:
            hub.replicas()
        blocker.execute("ROLLBACK")
        for caught, what in ((pushing, "pushing"), (reading, "reading the replicas")):
            assert f"did not finish {what} within 0.3 s (statement timeout)" in str(caught.value)
            assert one_line(str(caught.value))
        assert "nothing of this push was added" in str(pushing.value)
        assert held(hub_url) == []
        hub.push(sets(R1, 1, 3))
        assert hub.replicas() == {R1: 3}
    finally:
        blocker.close()
        hub.close()


def test_the_session_has_twindesks_timeout_unless_the_url_sets_one(hub_url):
    with PgHub.connect(hub_url) as hub:
        conn = hub._dial()
        assert conn.execute("SHOW statement_timeout").fetchone() == ("30s",)
        assert conn.execute("SHOW application_name").fetchone() == ("twindesk",)
    with PgHub.connect(hub_url + "?options=-c%20statement_timeout%3D7s&application_name=desk") as hub:
        conn = hub._dial()
        assert conn.execute("SHOW statement_timeout").fetchone() == ("7s",)
        assert conn.execute("SHOW application_name").fetchone() == ("desk",)


def test_two_laptops_pushing_the_same_sets_at_once_add_each_once(hub_url):
    shared = sets(R1, 1, 5_000)
    errors: list[BaseException] = []

    def push() -> None:
        try:
            with PgHub.connect(hub_url) as hub:
                hub.push(shared)
        except BaseException as exc:
            errors.append(exc)
    threads = [threading.Thread(target=push) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(held(hub_url)) == 5_000


def test_replicas_pushing_at_once_all_land(hub_url):
    replicas = [uuid.uuid4().hex for _ in range(6)]
    errors: list[BaseException] = []

    def push(replica: str) -> None:
        try:
            with PgHub.connect(hub_url) as hub:
                for start in range(1, 1_001, 100):
                    hub.push(sets(replica, start, start + 99))
        except BaseException as exc:
            errors.append(exc)
    threads = [threading.Thread(target=push, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with PgHub.connect(hub_url) as hub:
        assert hub.replicas() == dict.fromkeys(replicas, 1_000)
    assert len(held(hub_url)) == 6_000


# ---------------------------------------------------------------- status

def test_status_lists_each_replica_with_its_last_push_and_count(hub_url):
    with PgHub.connect(hub_url) as hub:
        hub.push(sets(R1, 1, 12))
        hub.push(sets(R2, 1, 3))
    text = status(hub_url)
    lines = text.splitlines()
    assert f"hub schema {hs.HUB_VERSION}" in lines[0] and "2 replicas, 15 change sets" in lines[0]
    by_replica = {line.split()[0]: line for line in lines[2:]}
    assert set(by_replica) == {R1, R2}
    assert by_replica[R1].split()[3] == "12" and by_replica[R2].split()[3] == "3"
    assert "twindesk_test" in by_replica[R1]


# ---------------------------------------------------------------- redact

@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://mina:s3cret@db.office:5432/hub", "postgresql://mina@db.office:5432/hub"),
    ("postgres://mina:s3%40cr%2Fet@db.office/hub?sslmode=verify-full",
     "postgres://mina@db.office/hub?sslmode=verify-full"),
    ("postgresql://mina@db.office/hub?password=s3cret&sslmode=require", "postgresql://mina@db.office/hub?sslmode=require"),
    ("postgresql://db.office/hub?sslmode=require&PASSWORD=s3cret", "postgresql://db.office/hub?sslmode=require"),
    ("postgresql://mina:pa?ss@db.office/hub", "postgresql://mina@db.office/hub"),
    ("postgresql://mina:pa/ss@db.office/hub", "postgresql://mina@db.office/hub"),
    ("postgresql://mina:p@ss@db.office/hub", "postgresql://mina@db.office/hub"),
    ("postgresql://db.office/hub?user=mina@corp&sslpassword=k3y", "postgresql://db.office/hub?user=mina@corp"),
    ("postgresql://mina:s3cret@h1:5432,h2:5433/hub", "postgresql://mina@h1:5432,h2:5433/hub"),
    ("host=db.office password=s3cret dbname=hub", "host=db.office dbname=hub"),
    ("host=db.office password = 'se cr\\'et' dbname=hub", "host=db.office dbname=hub"),
    ("service=office-hub", "service=office-hub"),
    ("postgresql://mina@db.office/hub", "postgresql://mina@db.office/hub"),
])
def test_redact_removes_every_password(url, shown):
    assert redact(url) == shown


def test_a_url_libpq_would_read_differently_is_refused_without_showing_it():
    for url in ("postgresql://mina:pa/ss@db.office/hub", "postgresql://mina:p@ss@db.office/hub"):
        with pytest.raises(HubError) as caught:
            PgHub.connect(url)
        assert "%2F or %40" in str(caught.value) and "ss" not in str(caught.value).replace("pass", "")
    for url in ("postgresql://mina:p%zzss@db.office/hub", "host=db password", "postgresql://h/db?password=a&ss"):
        with pytest.raises(HubError) as caught:
            PgHub.connect(url)
        assert "not a PostgreSQL URL" in str(caught.value)
        assert "zzss" not in str(caught.value) and '"ss"' not in str(caught.value)


_PASSWORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=4, max_size=30)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=_PASSWORDS, user=st.sampled_from(["mina", "jun.park", "a"]))
def test_redact_never_leaks_a_password_however_it_is_written(password, user):
    encoded = quote(password, safe="")
    rest = "db.office:5432/hub?sslmode=require&application_name=desk"
    escaped = password.replace("\\", "\\\\").replace("'", "\\'")
    for url in (f"postgresql://{user}:{encoded}@{rest}",
                f"postgresql://{user}@{rest}&password={encoded}",
                f"host=db.office user={user} password='{escaped}' dbname=hub",
                f"connection to postgresql://{user}:{encoded}@{rest} failed"):
        out = redact(url)
        assume(password not in url.replace(encoded, "").replace(escaped, ""))
        assert password not in out and encoded not in out, (url, out)


# ---------------------------------------------------------------- with the sync engine

def test_held_id_names_the_set_at_an_id_without_reading_it(hub):
    hub.push(sets(R1, 1, 3))
    assert hub.held_id(R1, 2) == make_set(R1, 2).id
    assert hub.held_id(R1, 4) is None and hub.held_id(R2, 1) is None


def test_two_laptops_and_a_third_sync_through_the_hub_with_the_engine(hub_url, tmp_path):
    from twindesk.services import Desk
    from twindesk.sync.engine import sync

    from .syncing import records, visit

    desks = [Desk.open(tmp_path / n / "twindesk.db", tmp_path / n / "config.toml") for n in ("office", "laptop", "new")]
    office, laptop, new = desks

    def sync_all(*which):
        for desk in which:
            with PgHub.connect(hub_url) as hub:
                sync(desk, hub, backup=False)
    try:
        ident = visit(office)
        sync_all(office, laptop)
        office.visits.update(ident, {"purpose": f"Port study, {HANGUL} [/]"})
        laptop.visits.update(ident, {"notes": "Interpreter booked"})
        sync_all(office, laptop, office, new)  # the new laptop reads two replicas' streams interleaved
        for desk in desks:
            found = desk.visits.get(ident)
            assert (found.purpose, found.notes) == (f"Port study, {HANGUL} [/]", "Interpreter booked")
        assert records(office) == records(laptop) == records(new)
        with PgHub.connect(hub_url) as hub:
            again = sync(new, hub, backup=False)
        assert (again.sent, again.received) == (0, 0)
    finally:
        for desk in desks:
            desk.close()
