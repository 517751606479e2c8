"""kill -9 at random moments, writing and syncing: nothing breaks, nothing is
half-written, and the change log still replays to exactly the rows. The
fault script (benchmarks/faults.py) does the same 50 times; here a few."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "faults.py"
spec = importlib.util.spec_from_file_location("faults", SCRIPT)
assert spec is not None and spec.loader is not None
faults = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults)


def test_a_writer_killed_at_random_moments_leaves_a_whole_database(tmp_path):
    good, problems = faults.kill_writes(tmp_path, 6, random.Random(7))
    assert problems == [] and good == 6


def test_a_sync_killed_at_random_moments_leaves_both_copies_whole_and_the_next_sync_completes(tmp_path):
    good, problems = faults.kill_syncs(tmp_path, 4, random.Random(11))
    assert problems == [] and good == 4


def test_the_replay_check_finds_a_row_changed_behind_the_logs_back(tmp_path, desk):
    import sqlite3

    from .syncing import VISIT

    desk.visits.create(VISIT)
    assert faults.healthy(desk.store.path) == (True, "")
    conn = sqlite3.connect(desk.store.path)
    conn.execute("UPDATE visit SET purpose = 'not logged'")
    conn.commit()
    conn.close()
    assert faults.healthy(desk.store.path) == (False, "visit.purpose differs from its log")


def test_loading_the_fault_script_keeps_the_source_tree_off_the_path_when_twindesk_is_installed():
    # The script used to put src/ first on sys.path when loaded; every process
    # spawned later in the run then imported the source tree, which has no
    # seed data, instead of the installed wheel (CI failed that way).
    import sys

    import twindesk

    src = SCRIPT.parent.parent / "src"
    if not Path(twindesk.__file__).resolve().is_relative_to(src.resolve()):
        assert str(src) not in sys.path
