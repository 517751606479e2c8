"""The idle collector: full garbage collections wait for a pause in typing,
never for ever, and everything is put back when the app ends."""

from __future__ import annotations

import gc

import pytest

from twindesk import collector
from twindesk.collector import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def running(clock):
    idle = IdleCollector(clock)
    before = gc.get_threshold()
    idle.start()
    yield idle
    idle.stop()
    assert gc.get_threshold() == before


def pile_up(young_collections: int) -> None:
    """Make CPython run this many young-generation collections, as drawing does."""
    target = gc.get_count()[2] + young_collections
    while gc.get_count()[2] < target:
        junk: list[object] = []
        for _ in range(2000):
            node: list[object] = []
            node.append(node)  # a cycle: only the collector frees it
            junk.append(node)
        del junk


def test_start_freezes_what_is_alive_and_turns_off_cpythons_own_full_collections(running):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == collector.NEVER


def test_stop_gives_everything_back(clock):
    idle = IdleCollector(clock)
    before = gc.get_threshold()
    idle.start()
    idle.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    idle.stop()  # twice is harmless


def test_nothing_runs_while_keys_keep_coming(running, clock):
    pile_up(collector.PENDING)
    running.key()
    clock.now += collector.QUIET / 2
    assert not running.tick()
    assert running.full_runs == 0


def test_a_pause_in_typing_runs_the_collection_that_is_due(running, clock):
    pile_up(collector.PENDING)
    running.key()
    clock.now += collector.QUIET + 0.01
    assert running.tick()
    assert running.full_runs == 1
    assert gc.get_count()[2] == 0
    assert not running.tick()  # nothing has piled up since


def test_a_pause_with_little_garbage_runs_nothing(running, clock):
    gc.collect()
    clock.now += 60
    assert not running.tick()


def test_typing_without_a_pause_cannot_hold_it_off_for_ever(running, clock):
    pile_up(collector.FORCE)
    running.key()
    assert running.tick()


def test_a_collector_not_started_does_nothing(clock):
    idle = IdleCollector(clock)
    pile_up(collector.PENDING)
    clock.now += 60
    assert not idle.tick()


def test_start_up_holds_every_collection_until_the_collector_starts(clock):
    with collector.held():
        assert not gc.isenabled()
        idle = IdleCollector(clock)
        idle.start()
        assert gc.isenabled()
        pile_up(1)  # collections run again
        idle.stop()
        assert not gc.isenabled()  # as the collector found it
    assert gc.isenabled()  # and as it was before


def test_a_command_that_ends_before_the_app_starts_leaves_collection_on(tmp_path, capsys):
    from twindesk.cli import main

    config = tmp_path / "config.toml"
    config.write_text("[home\n")  # not TOML: the command stops before the app
    assert main(["--config", str(config), "--db", str(tmp_path / "x.db")]) == 2
    assert gc.isenabled()
