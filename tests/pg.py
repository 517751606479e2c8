"""Fixtures for tests against a real PostgreSQL server (loaded by conftest.py).

The server comes from `.ci/postgres.sh` (sourced by `.ci/run`; on a developer
machine: `bash .ci/postgres.sh python -m pytest ...`), which exports
TWINDESK_TEST_PG (a CREATEDB role's URL, no password in it), PGPASSFILE,
TWINDESK_TEST_PG_ADMIN (superuser) and TWINDESK_TEST_PG_CTL (pg_ctl for the
cluster). Without TWINDESK_TEST_PG the tests skip, except under CI=true, where
they fail: CI must never pass by skipping them.

Fixtures:
    pg_url                 a fresh empty database per test, dropped afterwards
    pg_server              restart()/stop()/start() the server, terminate() sessions
    pg_wrong_password_url  pg_url with a wrong password written into the URL
    pg_refused_url         pg_url on a loopback port where nothing listens
    pg_role                make() a throwaway LOGIN role (no privileges) for pg_url
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

HOW = "start one with: bash .ci/postgres.sh python -m pytest ..."


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason}, and CI=true: .ci/run must start PostgreSQL (.ci/postgres.sh)", pytrace=False)
    pytest.skip(f"{reason}; {HOW}")


def _env(var: str, what: str) -> str:
    value = os.environ.get(var, "")
    if not value:
        _missing(f"no {what} ({var} is not set)")
    return value


def require_psycopg() -> Any:
    """The psycopg module; a missing one skips like a missing server (fails under CI)."""
    try:
        import psycopg
    except ImportError:
        _missing('psycopg is not installed (pip install -e ".[test]")')
    return psycopg


def connect(url: str, **kwargs: Any) -> Any:
    """An autocommit psycopg connection that fails fast instead of hanging."""
    return require_psycopg().connect(url, autocommit=True, connect_timeout=10, **kwargs)


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(dbname)))


def with_user(url: str, user: str, password: str | None = None) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password is not None else "")
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def _ctl(*args: str) -> subprocess.CompletedProcess[str]:
    ctl = _env("TWINDESK_TEST_PG_CTL", "pg_ctl for the test server")
    return subprocess.run([ctl, *args], check=False, capture_output=True, text=True, timeout=120)


def ensure_running() -> None:
    """Start the test server again if a test left it stopped (no-op without pg_ctl)."""
    if os.environ.get("TWINDESK_TEST_PG_CTL") and _ctl("status").returncode == 3:
        done = _ctl("start", "-w", "-t", "60")
        assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def fresh_database(hint: str = "") -> Iterator[str]:
    """Create an empty database as the twindesk_test role; drop it on the way out."""
    base = _env("TWINDESK_TEST_PG", "PostgreSQL test server")
    require_psycopg()
    from psycopg import sql

    name = f"t_{re.sub(r'[^a-z0-9]+', '_', hint.lower())[:40]}_{secrets.token_hex(4)}"
    with connect(base) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(base, name)
    finally:
        ensure_running()
        with connect(base) as conn:
            # FORCE ends sessions the test left open (twindesk_test holds pg_signal_backend).
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a new empty database, owned by twindesk_test; password from PGPASSFILE."""
    with fresh_database(request.node.name) as url:
        yield url


class PgServer:
    """The test cluster itself: for "the server restarted in the middle of a sync"."""

    def __init__(self) -> None:
        self.url = _env("TWINDESK_TEST_PG", "PostgreSQL test server")
        self.admin_url = _env("TWINDESK_TEST_PG_ADMIN", "superuser URL for the test server")

    def restart(self, mode: str = "fast") -> None:
        """Restart and wait until it accepts connections again. mode: smart|fast|immediate
        (immediate is a crash: no shutdown checkpoint, recovery on start)."""
        self._run("restart", "-m", mode, "-w", "-t", "60")

    def stop(self, mode: str = "fast") -> None:
        self._run("stop", "-m", mode, "-w", "-t", "60")

    def start(self) -> None:
        self._run("start", "-w", "-t", "60")

    def terminate(self, url: str) -> int:
        """End every session on url's database (a dropped connection); returns how many."""
        dbname = urlsplit(url).path.lstrip("/")
        with connect(self.admin_url) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (dbname,),
            ).fetchall()
        return len(rows)

    def _run(self, *args: str) -> None:
        done = _ctl(*args)
        assert done.returncode == 0, f"pg_ctl {' '.join(args)}: {done.stdout}{done.stderr}"


@pytest.fixture
def pg_server() -> Iterator[PgServer]:
    server = PgServer()
    _env("TWINDESK_TEST_PG_CTL", "pg_ctl for the test server")
    yield server
    ensure_running()  # a test that stopped it must not break the next one


@pytest.fixture
def pg_wrong_password_url(pg_url: str) -> str:
    """pg_url with a wrong password in it (it overrides PGPASSFILE). The password is
    distinctive, so a test can assert it never shows: urlsplit(url).password."""
    user = urlsplit(pg_url).username or ""
    return with_user(pg_url, user, "wrong-" + secrets.token_hex(8))


@pytest.fixture
def pg_refused_url(pg_url: str) -> str:
    """pg_url on a loopback port with nothing listening: connection refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    parts = urlsplit(pg_url)
    auth, at, _ = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{auth}{at}127.0.0.1:{port}"))


@dataclass(frozen=True)
class PgRole:
    name: str
    password: str
    url: str  # pg_url's database as this role; the password is in PGPASSFILE


@pytest.fixture
def pg_role(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], PgRole]]:
    """make() -> PgRole: a LOGIN role with no privileges beyond PUBLIC's (grant what the
    test needs through pg_url's owner). Dropped afterwards, with what it owns."""
    admin = _env("TWINDESK_TEST_PG_ADMIN", "superuser URL for the test server")
    from psycopg import sql
    made: list[str] = []
    # A private copy of the password file, so the roles' URLs carry no password.
    pgpass = tmp_path / "pgpass"
    old = os.environ.get("PGPASSFILE")
    pgpass.write_text(Path(old).read_text() if old else "")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    host = urlsplit(pg_url)

    def make() -> PgRole:
        name, password = f"t_role_{secrets.token_hex(4)}", secrets.token_urlsafe(18)
        with connect(admin) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name),
                                                                           sql.Literal(password)))
        made.append(name)
        with pgpass.open("a") as f:
            f.write(f"{host.hostname}:{host.port or 5432}:*:{name}:{password}\n")
        return PgRole(name, password, with_user(pg_url, name))

    yield make
    ensure_running()
    for name in made:
        with connect(with_database(admin, urlsplit(pg_url).path.lstrip("/"))) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        with connect(admin) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
