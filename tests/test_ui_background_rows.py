"""A big list reads its rows off the UI thread: a burst of keys runs one
query, not one per key, and the rows shown always match what is typed.

Test databases are small, and small tables are read in place; these tests
lower the threshold so the visit list (400 rows) goes through the loader
thread. The city directory (no size hint) stays in place."""

from __future__ import annotations

import asyncio
import threading

import pytest

from twindesk import demo
from twindesk.screens.visits import VisitListScreen
from twindesk.services import Desk, listing
from twindesk.services.visits import VisitQuery
from twindesk.widgets import paged_table
from twindesk.widgets.paged_table import PagedTable

from .ui import SIZE, make_app, ready


@pytest.fixture
def big_paths(paths):
    db, config = paths
    make_app(paths)  # writes the config with a home city
    desk = Desk.open(db, config)
    demo.build(desk, 400, 60)
    desk.close()
    return paths


@pytest.fixture(autouse=True)
def every_list_in_the_background(monkeypatch):
    monkeypatch.setattr(paged_table, "INLINE_ROWS", 50)


@pytest.fixture
def hold():
    """hold() keeps the loader thread busy until the returned Event is set
    (always set at the end, or the thread would never finish)."""
    gates: list[threading.Event] = []

    def block() -> threading.Event:
        gate = threading.Event()
        gates.append(gate)
        paged_table.rows_loader().submit(gate.wait)
        return gate

    yield block
    for gate in gates:
        gate.set()


async def drained(pilot) -> None:
    """Wait until the loader thread has nothing left to do and its results are applied."""
    for _ in range(3):
        await asyncio.wrap_future(paged_table.rows_loader().submit(lambda: None))
        await pilot.pause()


async def until(pilot, condition) -> None:
    """Pause until `condition()` holds (the key gate lets keys go in turn,
    polling on a 5 ms timer while a screen mounts)."""
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


def shown(table: PagedTable) -> list[tuple[str, ...]]:
    return [row.cells for i in range(table.row_count) if (row := table.row_at(i)) is not None]


async def open_visits(pilot) -> PagedTable:
    await ready(pilot)
    await pilot.press("v")
    await until(pilot, lambda: isinstance(pilot.app.screen, VisitListScreen))
    await drained(pilot)
    return pilot.app.screen.query_one("#records", PagedTable)


async def test_a_burst_of_keys_runs_the_newest_filter_only_and_shows_its_rows(big_paths, monkeypatch, hold):
    counted: list[str] = []
    original = VisitQuery.count

    def count(self: VisitQuery) -> int:
        counted.append(self.text)
        assert threading.current_thread().name.startswith("twindesk-rows")
        return original(self)

    monkeypatch.setattr(VisitQuery, "count", count)
    app = make_app(big_paths)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_visits(pilot)
        assert table.row_count == 400
        await pilot.press("slash")
        await until(pilot, lambda: app.focused is app.screen.query_one("#filter"))
        gate = hold()  # the loader is busy while the keys come
        counted.clear()
        await pilot.press(*"tourism")
        gate.set()
        await drained(pilot)
        assert counted == ["tourism"]  # the six older filters were dropped, not queued
        expected = app.desk.visits.query()
        expected.text = "tourism"
        assert table.row_count == original(expected) > 0
        assert shown(table)[:5] == [row.cells for row in expected.fetch(0, 5)]
        assert f"{table.row_count:,} visits" in str(app.screen.query_one("#status").render())


async def test_rows_are_drawn_from_the_cache_only_and_the_end_is_read_backwards(big_paths, monkeypatch, hold):
    app = make_app(big_paths)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_visits(pilot)
        fetched: list[tuple[int, str]] = []
        original = VisitQuery.fetch

        def fetch(self: VisitQuery, offset: int, limit: int, total: int | None = None):
            fetched.append((offset, threading.current_thread().name))
            return original(self, offset, limit, total)

        monkeypatch.setattr(VisitQuery, "fetch", fetch)
        gate = hold()
        await pilot.press("end")
        await until(pilot, lambda: table.cursor == 399)
        assert table.current is None  # not read yet: the frame shows a blank line, the UI does not wait
        gate.set()
        await drained(pilot)
        assert fetched and all(name.startswith("twindesk-rows") for _, name in fetched)
        assert table.current is not None
        last = app.desk.visits.query().fetch(399, 1)[0]
        assert table.current.id == last.id
        await pilot.press("home")
        await drained(pilot)
        assert table.current is not None and table.current.id == app.desk.visits.query().fetch(0, 1)[0].id


async def test_a_result_that_no_longer_matches_the_filter_is_dropped(big_paths):
    app = make_app(big_paths)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_visits(pilot)
        stale = table.generation
        await pilot.press("slash")
        await until(pilot, lambda: app.focused is app.screen.query_one("#filter"))
        await pilot.press("z", "z", "q")
        table.post_message(PagedTable.RowsLoaded(stale, 400, True, [], False))  # an old answer arriving late
        await drained(pilot)
        assert table.row_count == 0


async def test_a_list_that_cannot_be_read_says_so_and_the_app_goes_on(big_paths, monkeypatch, tmp_path):
    import sqlite3

    from .ui import notices

    monkeypatch.setenv("TWINDESK_LOG_DIR", str(tmp_path / "logs"))
    app = make_app(big_paths)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = await open_visits(pilot)

        def broken(self: VisitQuery) -> int:
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(VisitQuery, "count", broken)
        table.reload()
        await drained(pilot)
        assert any("database reported an error" in n for n in notices(app))
        await pilot.press("d")  # the app still answers keys
        await until(pilot, lambda: not isinstance(app.screen, VisitListScreen))


def status_text(app) -> str:
    return str(app.screen.query_one("#status").render())


def visits_matching(app, text: str):
    query = app.desk.visits.query()
    query.text = text
    return query


async def test_a_letter_found_nearly_everywhere_shows_its_rows_at_once_and_its_count_after_a_pause(
        big_paths, monkeypatch):
    monkeypatch.setattr(listing, "ROUGH", 30)
    monkeypatch.setattr(paged_table, "EXACT_COUNT_DELAY", 1.0)  # well after the rows, on a busy machine too
    app = make_app(big_paths)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_visits(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: app.focused is app.screen.query_one("#filter"))
        await pilot.press("e")
        await drained(pilot)
        assert (table.row_count, table.count_exact) == (30, False)
        assert "30+ visits" in status_text(app)
        expected = visits_matching(app, "e")
        assert shown(table)[:5] == [row.cells for row in expected.fetch(0, 5)]
        await until(pilot, lambda: table.count_exact)  # typing paused: counted whole
        await drained(pilot)
        assert table.row_count == expected.count() > 30
        assert f"{table.row_count:,} visits" in status_text(app)


async def test_end_on_a_roughly_counted_list_goes_to_its_real_last_row(big_paths, monkeypatch):
    monkeypatch.setattr(listing, "ROUGH", 30)
    monkeypatch.setattr(paged_table, "EXACT_COUNT_DELAY", 3600)  # only `end` asks for the count
    app = make_app(big_paths)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_visits(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: app.focused is app.screen.query_one("#filter"))
        await pilot.press("e", "escape")
        await drained(pilot)
        assert not table.count_exact
        await pilot.press("end")
        await until(pilot, lambda: table.count_exact and table.current is not None)
        expected = visits_matching(app, "e")
        total = expected.count()
        assert table.cursor == total - 1
        assert table.current is not None and table.current.id == expected.fetch(total - 1, 1, total)[0].id
