"""Eight laptops syncing at once through one PostgreSQL hub (issue 9's
concurrency case): each a process of its own (tests/pg_replica.py), each
making 1,000 change sets over several rounds and syncing after each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from twindesk.services import Desk
from twindesk.sync.engine import sync
from twindesk.sync.pg_hub import PgHub, init_hub

from .pg import connect
from .syncing import queue, records

LAPTOPS, SETS, ROUNDS = 8, 1000, 3
ROOT = Path(__file__).resolve().parent.parent


def test_eight_laptops_syncing_at_once_converge_and_the_hub_holds_each_set_once(pg_url, tmp_path):
    init_hub(pg_url)
    start = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.pg_replica", str(tmp_path / f"laptop-{n}.db"), pg_url,
                               str(SETS), str(ROUNDS), str(start)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in range(LAPTOPS)]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err[-3000:]
        results += [json.loads(line[len("RESULT "):]) for line in out.splitlines() if line.startswith("RESULT ")]
    assert len(results) == LAPTOPS
    assert [r["errors"] for r in results] == [[]] * LAPTOPS  # the hub retried whatever went wrong
    assert all(r["made"] == SETS for r in results)

    desks = [Desk.open(tmp_path / f"laptop-{n}.db", tmp_path / f"laptop-{n}.toml") for n in range(LAPTOPS)]
    try:
        for _ in range(2):  # a last round, one after another, so every laptop has seen every other's sets
            for desk in desks:
                with PgHub.connect(pg_url) as hub:
                    sync(desk, hub, backup=False)
        first = records(desks[0])
        assert all(records(desk) == first for desk in desks[1:])
        assert all(queue(desk) == queue(desks[0]) for desk in desks[1:])
        assert len(first["visit"]) == LAPTOPS
        shared = sum(desk.reader().execute("SELECT count(*) FROM change_set WHERE replica = ?",
                                           (desk.replica,)).fetchone()[0] for desk in desks)
    finally:
        for desk in desks:
            desk.close()
    with connect(pg_url) as conn:
        held, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT (replica, counter)) FROM twindesk.change_set").fetchone()
    assert held == distinct == shared
    assert shared >= LAPTOPS * SETS
