"""The PostgreSQL test infrastructure itself (tests/pg.py, .ci/postgres.sh)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .pg import PgServer, connect, fresh_database, require_psycopg

HANGUL = "부산광역시 해운대구 · 한글 ㄱㄴㄷ · 제주"
seen_databases: set[str] = set()


def test_the_server_is_a_real_postgresql_over_loopback(pg_url):
    with connect(pg_url) as conn:
        version, addr = conn.execute("SELECT version(), host(inet_server_addr())").fetchone()
        assert version.startswith("PostgreSQL ")
        assert addr == "127.0.0.1"  # TCP with a password, not a Unix socket
        assert conn.execute("SHOW password_encryption").fetchone()[0] == "scram-sha-256"
    assert urlsplit(pg_url).password is None  # the password comes from PGPASSFILE


def test_the_database_is_utf8_and_hangul_round_trips(pg_url):
    with connect(pg_url) as conn:
        encoding, ctype = conn.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        assert encoding == "UTF8"
        assert ctype != "C" and "utf" in ctype.lower()
        conn.execute("CREATE TABLE t (s text)")
        conn.execute("INSERT INTO t VALUES (%s)", (HANGUL,))
        assert conn.execute("SELECT s, length(s) FROM t").fetchone() == (HANGUL, len(HANGUL))


def test_pg_trgm_indexes_hangul(pg_url):
    # Under LC_CTYPE=C, pg_trgm sees no word characters in Hangul: show_trgm gives {}.
    with connect(pg_url) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")  # trusted: the database owner may
        trigrams, similarity = conn.execute("SELECT show_trgm('해운대'), similarity('해운대구', '해운대')").fetchone()
        assert trigrams  # multibyte trigrams show as hashes ('0x04ed99')
        assert similarity > 0.3


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_gets_a_fresh_empty_database(pg_url, round_):
    with connect(pg_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()[0]
        assert tables == 0
        conn.execute("CREATE TABLE left_behind (x int)")  # the other round must not see it
    assert name not in seen_databases
    seen_databases.add(name)


def test_a_fresh_database_is_dropped_afterwards_even_with_a_session_left_open():
    psycopg = require_psycopg()
    with fresh_database("dropped") as url:
        name = urlsplit(url).path.lstrip("/")
        left_open = connect(url)  # a session the test forgot: DROP ... WITH (FORCE) ends it
    with connect(os.environ["TWINDESK_TEST_PG"]) as conn:
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()[0] == 0
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")
    left_open.close()


def test_the_role_is_not_a_superuser(pg_url):
    psycopg = require_psycopg()
    with connect(pg_url) as conn:
        user, super_, createdb = conn.execute(
            "SELECT rolname, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert (user, super_, createdb) == ("twindesk_test", False, True)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER SYSTEM SET work_mem = '8MB'")


def test_a_wrong_password_is_refused(pg_wrong_password_url):
    psycopg = require_psycopg()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(pg_wrong_password_url)


def test_a_closed_port_refuses(pg_refused_url):
    psycopg = require_psycopg()
    with pytest.raises(psycopg.OperationalError, match="refused"):
        connect(pg_refused_url)


def test_the_server_restarts_under_a_session(pg_url, pg_server: PgServer):
    psycopg = require_psycopg()
    with connect(pg_url) as conn:
        conn.execute("CREATE TABLE kept (x int)")
        conn.execute("INSERT INTO kept VALUES (1)")
        started = conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
        pg_server.restart()
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    with connect(pg_url) as conn:
        assert conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0] > started
        assert conn.execute("SELECT x FROM kept").fetchall() == [(1,)]


def test_terminate_drops_sessions_of_one_database(pg_url, pg_server: PgServer):
    psycopg = require_psycopg()
    conn = connect(pg_url)
    assert pg_server.terminate(pg_url) == 1
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    conn.close()


def test_a_stopped_server_is_started_again_for_the_next_test(pg_url, pg_server: PgServer):
    psycopg = require_psycopg()
    pg_server.stop()
    with pytest.raises(psycopg.OperationalError):
        connect(pg_url)
    # teardown starts it again; the following tests prove it


def test_a_throwaway_role_connects_without_owning_anything(pg_url, pg_role):
    psycopg = require_psycopg()
    with connect(pg_url) as owner:
        owner.execute("CREATE TABLE shared (x int)")
    role = pg_role()
    assert urlsplit(role.url).password is None
    with connect(role.url) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == role.name
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM shared")
    with connect(pg_url) as owner:
        owner.execute(f'GRANT SELECT ON shared TO "{role.name}"')  # dropped with the role
    with connect(role.url) as conn:
        assert conn.execute("SELECT count(*) FROM shared").fetchone()[0] == 0


def run_without_server(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINDESK_TEST_PG") and k != "CI"}
    if ci is not None:
        env["CI"] = ci
    test = f"{Path(__file__).name}::test_the_server_is_a_real_postgresql_over_loopback"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rsE", test],
        check=False,
        cwd=Path(__file__).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_server_a_developer_machine_skips_with_a_reason():
    done = run_without_server(None)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert "TWINDESK_TEST_PG is not set" in done.stdout and ".ci/postgres.sh" in done.stdout


def test_without_a_server_ci_fails_instead_of_skipping():
    done = run_without_server("true")
    assert done.returncode != 0, done.stdout
    assert "skipped" not in done.stdout
    assert "CI=true" in done.stdout and "TWINDESK_TEST_PG is not set" in done.stdout
