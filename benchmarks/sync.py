"""Sync benchmark: push, pull, no-op sync, a new laptop's bootstrap, peak RSS;
through a folder hub and, when a server is there, a PostgreSQL hub, in one run.

Run:
    python benchmarks/sync.py [--runs N] [--only folder|postgres] [--pg URL]

The PostgreSQL figures need a server: give --pg URL, or set TWINDESK_TEST_PG
(`bash .ci/postgres.sh python benchmarks/sync.py` starts a throwaway one).

Method (BENCHMARKS.md): the databases are built once per run, in child
processes, in a temporary folder:
- "edits": a database whose history is N change sets of one edit each, the
  shape a coordinator's week of work has (N = 100 and 10,000);
- "demo": `twindesk demo --size 100000` (the whole 100,000-visit history,
  254 sets of up to 1,000 records).
Every figure is taken in a fresh process (this script re-invoked with
--child), `--runs` times (default 5), and reported as median (min–max):
- push / pull of N sets: the `sync()` call alone, from a copy holding
  them (push) or into an empty copy (pull);
- no-op: `sync()` on a copy that has applied the whole demo history, against
  a hub holding it: it reads no change set at all;
- bootstrap: a new, empty laptop receiving the whole demo history;
- peak RSS of the bootstrap and of the demo's first push
  (`resource.getrusage(RUSAGE_SELF).ru_maxrss`);
- PostgreSQL only: 8 replicas pushing 1,000 sets each and pulling, at once.

Prints `name  value  unit  target  ok|MISS` lines and `targets met: N/M`.
"""

import time

T0 = time.perf_counter()

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "SYNC_JSON "
SIZES = (100, 10_000)
TARGETS = {"push_10000_s": 10.0, "pull_10000_s": 10.0, "noop_s": 0.5, "bootstrap_s": 120.0, "rss_mib": 150.0}
PG_TARGETS = {"noop_s": 0.3, "bootstrap_s": 120.0}


# Children ------------------------------------------------------------------------
def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _hub(location: str):
    from twindesk.sync.locate import open_hub

    return open_hub(location)


def child_build_edits(db: str, count: int) -> dict:
    """A copy whose history is `count` one-field edits (plus the visits they edit)."""
    from twindesk.services import Desk

    desk = Desk.open(Path(db), Path(db + ".toml"))
    visits = [desk.visits.create({"direction": "outbound", "city": "Busan", "start_date": "2026-12-01",
                                  "end_date": "2026-12-04", "purpose": f"Visit {i}", "status": "planned"}).id
              for i in range(min(50, count))]
    for i in range(count - len(visits)):
        desk.visits.update(visits[i % len(visits)], {"notes": f"Note {i}"})
    return {"sets": desk.reader().execute("SELECT count(*) FROM change_set WHERE replica = ?",
                                          (desk.replica,)).fetchone()[0]}


def child_sync(db: str, hub: str) -> dict:
    """One `sync()`, timed alone, in a fresh process."""
    from twindesk.services import Desk
    from twindesk.sync.engine import sync

    desk = Desk.open(Path(db), Path(db + ".toml"))
    hub_ = _hub(hub)
    started = time.perf_counter()
    report = sync(desk, hub_, backup=False)
    took = time.perf_counter() - started
    hub_.close()
    return {"s": took, "sent": report.sent, "received": report.received, "rss_mib": _rss_mib()}


def child_concurrent(db: str, hub: str, count: int) -> dict:
    """A replica that makes `count` sets and syncs, while others do the same."""
    from twindesk.services import Desk
    from twindesk.sync.engine import sync

    desk = Desk.open(Path(db), Path(db + ".toml"))
    ident = desk.visits.create({"direction": "inbound", "city": "Jeju", "start_date": "2026-10-01",
                                "end_date": "2026-10-02", "purpose": "start", "status": "planned"}).id
    for i in range(count - 1):
        desk.visits.update(ident, {"notes": f"{desk.replica[:6]} {i}"})
    started = time.perf_counter()
    retries = 0
    for _round in range(3):
        for attempt in range(5):
            try:
                sync(desk, _hub(hub), backup=False)
                break
            except Exception:  # counted: the target is "no error that was not retried"
                retries += 1
                time.sleep(0.2 * (attempt + 1))
    return {"s": time.perf_counter() - started, "retries": retries}


def run_child(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "build":
        result = child_build_edits(rest[0], int(rest[1]))
    elif kind == "sync":
        result = child_sync(rest[0], rest[1])
    else:
        result = child_concurrent(rest[0], rest[1], int(rest[2]))
    print(MARK + json.dumps(result), flush=True)


# Parent --------------------------------------------------------------------------
def child(env: dict, *args: str, timeout: float = 1800) -> dict:
    out = subprocess.run([sys.executable, str(Path(__file__)), "--child", *args], env=env, capture_output=True,
                         text=True, timeout=timeout, check=False)
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"child {args[0]} failed: {out.stderr[-2000:]}")


def spread(values: list[float], unit: str) -> str:
    return f"{statistics.median(values):.3g} ({min(values):.3g}–{max(values):.3g}) {unit}"


def fresh_hub(root: Path, kind: str, pg: str | None, name: str) -> str:
    if kind == "folder":
        folder = root / f"hub-{name}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return str(folder)
    import psycopg

    from twindesk.sync.pg_hub import init_hub

    base = pg.rsplit("/", 1)[0]
    database = f"bench_{name}_{os.getpid()}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    url = f"{base}/{database}"
    init_hub(url)
    return url


def measure(kind: str, root: Path, env: dict, runs: int, pg: str | None, lines: list) -> None:
    targets = PG_TARGETS if kind == "postgres" else {}
    for size in SIZES:
        source = root / f"edits-{size}.db"
        pushes, pulls = [], []
        for run in range(runs):
            hub = fresh_hub(root, kind, pg, f"e{size}r{run}")
            copy = root / f"push-{size}-{run}.db"
            shutil.copy(source, copy)
            pushed = child(env, "sync", str(copy), hub)
            # A fresh, empty copy per hub kind and run: one that already holds the sets pulls nothing.
            pulled = child(env, "sync", str(root / f"pull-{kind}-{size}-{run}.db"), hub)
            if pulled["received"] != pushed["sent"]:
                raise RuntimeError(f"{kind} pull of {size}: received {pulled['received']} of {pushed['sent']} sets")
            pushes.append(pushed["s"])
            pulls.append(pulled["s"])
        for name, values in (("push", pushes), ("pull", pulls)):
            target = TARGETS.get(f"{name}_{size}_s")
            lines.append((f"{kind}_{name}_{size}_sets", values, "s", target))
    # The demo history: first push, then no-op syncs and new laptops.
    hub = fresh_hub(root, kind, pg, "demo")
    demo = root / f"demo-{kind}.db"
    shutil.copy(root / "demo.db", demo)
    first = child(env, "sync", str(demo), hub)
    lines.append((f"{kind}_demo_first_push", [first["s"]], "s", None))
    lines.append((f"{kind}_demo_first_push_peak_rss", [first["rss_mib"]], "MiB", TARGETS["rss_mib"]))
    boots, rss, noops = [], [], []
    for run in range(runs):
        laptop = root / f"laptop-{kind}-{run}.db"
        got = child(env, "sync", str(laptop), hub)
        boots.append(got["s"])
        rss.append(got["rss_mib"])
        noops.append(child(env, "sync", str(laptop), hub)["s"])
    lines.append((f"{kind}_noop_sync_100k_history", noops, "s", targets.get("noop_s", TARGETS["noop_s"])))
    lines.append((f"{kind}_bootstrap_100k_history", boots, "s", targets.get("bootstrap_s", TARGETS["bootstrap_s"])))
    lines.append((f"{kind}_bootstrap_peak_rss", rss, "MiB", TARGETS["rss_mib"]))
    if kind == "postgres":
        concurrent(root, env, pg, lines)


def concurrent(root: Path, env: dict, pg: str | None, lines: list) -> None:
    hub = fresh_hub(root, "postgres", pg, "eight")
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(Path(__file__)), "--child", "concurrent",
                               str(root / f"eight-{i}.db"), hub, "1000"], env=env, stdout=subprocess.PIPE, text=True)
             for i in range(8)]
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=1800)
        results += [json.loads(line[len(MARK):]) for line in out.splitlines() if line.startswith(MARK)]
    total = time.perf_counter() - started
    lines.append(("postgres_8_replicas_1000_sets_each_total", [total], "s", None))
    lines.append(("postgres_8_replicas_retries", [float(sum(r["retries"] for r in results))], "count", None))


def main() -> int:
    if "--child" in sys.argv:
        run_child(sys.argv[sys.argv.index("--child") + 1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("folder", "postgres"))
    parser.add_argument("--pg", default=os.environ.get("TWINDESK_TEST_PG"))
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from _bench import isolated_env

    kinds = [k for k in ("folder", "postgres") if args.only in (None, k)]
    if "postgres" in kinds and not args.pg:
        print("note: no PostgreSQL server (give --pg URL or set TWINDESK_TEST_PG); folder hub only",
              file=sys.stderr)
        kinds.remove("postgres")
    lines: list = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = isolated_env(root)
        env["PYTHONPATH"] = str(HERE.parent / "src")
        for size in SIZES:
            child(env, "build", str(root / f"edits-{size}.db"), str(size))
        subprocess.run([sys.executable, "-m", "twindesk", "demo", "--db", str(root / "demo.db"), "--size", "100000"],
                       env=env, check=True, capture_output=True)
        for kind in kinds:
            print(f"measuring the {kind} hub…", file=sys.stderr)
            measure(kind, root, env, args.runs, args.pg, lines)
    met = 0
    counted = 0
    for name, values, unit, target in lines:
        ok = target is None or statistics.median(values) <= target
        counted += target is not None
        met += target is not None and ok
        shown = f"≤{target:g}" if target is not None else "-"
        print(f"{name}  {spread(values, unit)}  {shown}  {'ok' if ok else 'MISS' if target else '-'}")
    print(f"targets met: {met}/{counted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
