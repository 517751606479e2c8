"""Shared fixtures: throwaway databases in tmp_path; the real home is never touched."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from twindesk.services import Desk

FIXTURES = Path(__file__).parent / "fixtures"

pytest_plugins = ["tests.pg"]  # PostgreSQL fixtures: pg_url, pg_server, pg_role, ...


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("TWINDESK_DB", raising=False)
    monkeypatch.delenv("TWINDESK_CONFIG", raising=False)
    return home


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data" / "twindesk.db", tmp_path / "config" / "config.toml"


@pytest.fixture
def desk(paths: tuple[Path, Path]):
    opened = Desk.open(*paths)
    yield opened
    opened.close()


def city_id(desk: Desk, name: str) -> str:
    query = desk.cities.query()
    query.text = name
    rows = query.fetch(0, 5)
    match = [r for r in rows if r.cells[0] == name]
    assert match, f"no city named {name}"
    return match[0].id


@contextmanager
def released(fixture: str, tmp_path: Path) -> Iterator[Desk]:
    """A copy of tests/fixtures/`fixture` (a released schema's database),
    opened, and so migrated, by the current code."""
    db = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, db)
    opened = Desk.open(db, tmp_path / "config.toml")
    try:
        yield opened
    finally:
        opened.close()
