"""Startup benchmark: twindesk's first frame and first city rows, against a bare Textual app.

Run:
    python benchmarks/startup.py [--runs N]        (default 7 runs of each)
    python benchmarks/startup.py --trace           (one run of each, every frame logged to stderr)

Method (docs BENCHMARKS.md): every measurement is a fresh Python process (this
script re-invoked with `--child bare|twindesk|twindesk-new`), run headless at
120x40 through `App.run(headless=True)`, the same path as a real launch minus
the terminal writes. The child takes `time.perf_counter()` as its first
statement; Python's own start-up before that is the same for every kind, is
not counted, and is shown in a note on stderr. A frame is a call of
`App._display` with something to draw and no batch update holding repaints
(App._display drops those; they never reach a terminal); the first frame is
the first such call. "First rows" is the first frame drawn while the active screen is the
DirectoryScreen, its `#cities` PagedTable is mounted with `row_count > 0`, and
the frame itself contains the text of the table's top row (so the rows really
are on screen, not merely loaded). The child prints its figures as JSON.

Runs are interleaved (bare, twindesk, twindesk-new, bare, ...) after one
discarded warm-up round. Each figure is the median of the per-round ratios to
the bare app's first frame in the same round, with (min-max) of those ratios.

- twindesk: a database built once (created, migrated, seeded) in a temporary
  folder before the runs, so the runs measure a normal start.
- twindesk-new: a brand-new database and config in a fresh folder per run
  (first launch: create, migrate, seed). Informational, no target.

HOME and the XDG folders of every child point into the temporary folder; the
real home folder is never touched. The exit code is 0 even when a target is
missed: this is a report.
"""

import time

T0 = time.perf_counter()  # first statement: process start as seen by this script

import sys

from _bench import frame_text, run_child

MARK = "STARTUP_JSON "
SIZE = (120, 40)


# --------------------------------------------------------------------------
# Child side: keep imports minimal and lazy, everything here is being timed.
# --------------------------------------------------------------------------
def _child(kind: str, db: str | None, config: str | None, trace: bool) -> None:
    marks: dict[str, object] = {}

    def modules_loaded() -> dict[str, bool]:
        return {name: name in sys.modules for name in ("sqlalchemy", "sqlmodel")}

    def log(message: str) -> None:
        if trace:
            print(f"[{kind} {1000 * (time.perf_counter() - T0):8.1f} ms] {message}", file=sys.stderr)

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Label

        class Bare(App[None]):
            frames = 0

            def compose(self) -> ComposeResult:
                yield Label("Hello, world")

            def _display(self, screen, renderable) -> None:
                super()._display(screen, renderable)
                if renderable is None or self._batch_count:  # nothing drawn
                    return
                now = time.perf_counter()
                self.frames += 1
                if trace:
                    log(f"frame {self.frames} {type(renderable).__name__} on {type(screen).__name__}")
                if "first_frame" not in marks:
                    marks["first_frame"] = now
                    self.call_later(self.exit)

        app = Bare()
    else:
        from pathlib import Path

        from twindesk.app import TwindeskApp

        class Timed(TwindeskApp):
            frames = 0
            loaded_not_drawn = 0  # frames where the table had rows but the frame did not show them
            batched = 0  # frames composed while a batch update held repaints (not drawn)

            def _rows_on_screen(self, screen, renderable) -> bool:
                directory = sys.modules.get("twindesk.screens.directory")  # never import it ourselves
                if directory is None or screen is not self.screen:
                    return False
                if not isinstance(screen, directory.DirectoryScreen):
                    return False
                try:
                    table = screen.query_one("#records")
                except Exception:
                    return False
                if not table.is_mounted or table.row_count <= 0:
                    return False
                top = table.row_at(round(table.scroll_y))
                if top is not None and top.cells and top.cells[0] and top.cells[0] in frame_text(renderable):
                    return True
                self.loaded_not_drawn += 1
                return False

            def _display(self, screen, renderable) -> None:
                super()._display(screen, renderable)
                if renderable is None:
                    return
                if self._batch_count:  # composed, but App._display drops it: never reaches the terminal
                    self.batched += 1
                    if trace:
                        log(f"frame dropped by a batch update, {type(renderable).__name__} on {type(screen).__name__}")
                    return
                now = time.perf_counter()
                self.frames += 1
                if "first_frame" not in marks:
                    marks["first_frame"] = now
                    marks["modules_at_first_frame"] = modules_loaded()
                if "first_rows" not in marks and self._rows_on_screen(screen, renderable):
                    marks["first_rows"] = now
                    marks["modules_at_first_rows"] = modules_loaded()
                    self.call_later(self.exit)
                if trace:
                    log(
                        f"frame {self.frames} {type(renderable).__name__} on {type(screen).__name__}"
                        f"{' ROWS' if marks.get('first_rows') == now else ''}"
                        f" sqlalchemy={'sqlalchemy' in sys.modules} sqlmodel={'sqlmodel' in sys.modules}"
                    )

        # The dashboard is the usual start screen; the city rows are measured
        # on the directory, the screen `c` opens (as a user would start with it).
        app = Timed(Path(db), Path(config), start="directory")

    app.run(headless=True, size=SIZE)

    import json
    import os

    launch = os.environ.get("STARTUP_LAUNCH")
    result = {
        "kind": kind,
        "py_start_ms": 1000 * (T0 - float(launch)) if launch else None,
        "frames": getattr(app, "frames", None),
        "loaded_not_drawn": getattr(app, "loaded_not_drawn", None),
        "batched": getattr(app, "batched", None),
    }
    for key, value in marks.items():
        result[key + ("_ms" if isinstance(value, float) else "")] = (
            1000 * (value - T0) if isinstance(value, float) else value
        )
    result["modules_at_exit"] = modules_loaded()
    print(MARK + json.dumps(result), flush=True)


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------
def _run_child(kind: str, env: dict[str, str], db: str | None = None, config: str | None = None,
               trace: bool = False) -> dict:
    args = [kind, *(["--db", db, "--config", str(config)] if db is not None else [])]
    return run_child(__file__, MARK, args, env, trace=trace, timeout=120)


def _parent(runs: int, trace: bool) -> int:
    import shutil
    import statistics
    import tempfile
    from pathlib import Path

    from _bench import isolated_env

    root = Path(tempfile.mkdtemp(prefix="twindesk-startup-"))
    try:
        env = isolated_env(root)

        # The seeded database, built once, so the timed runs are a normal start.
        db, config = root / "desk" / "twindesk.db", root / "desk" / "config.toml"
        from twindesk.services import Desk

        desk = Desk.open(db, config)
        # A home city is set, as after the first start: no welcome question.
        desk.home.save({"name": "Tallinn", "country": "Estonia", "industries": "Tourism, Port logistics"})
        desk.close()

        counter = iter(range(1_000_000))

        def run(kind: str) -> dict:
            if kind == "bare":
                return _run_child("bare", env, trace=trace)
            if kind == "twindesk":
                return _run_child("twindesk", env, str(db), str(config), trace=trace)
            fresh = root / f"new-{next(counter)}"  # brand-new database every run, same home city
            fresh.mkdir()
            shutil.copy(config, fresh / "config.toml")
            return _run_child("twindesk-new", env, str(fresh / "twindesk.db"), str(fresh / "config.toml"),
                              trace=trace)

        kinds = ("bare", "twindesk", "twindesk-new")
        if trace:
            for kind in kinds:
                print(run(kind), file=sys.stderr)
            return 0

        for kind in kinds:  # warm-up round: disk cache, .pyc files; discarded
            result = run(kind)
            if "error" in result:
                print(f"{kind} failed: {result['error']}", file=sys.stderr)
                return 0
        rounds: list[dict[str, dict]] = []
        for i in range(runs):
            rounds.append({kind: run(kind) for kind in kinds})
            print(f"round {i + 1}/{runs}: " + ", ".join(
                f"{k} {r.get('first_rows_ms', r.get('first_frame_ms', float('nan'))):.0f} ms" for k, r in rounds[-1].items()
            ), file=sys.stderr)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    errors = [r for rnd in rounds for r in rnd.values() if "error" in r or "first_frame_ms" not in r
              or (r["kind"] != "bare" and "first_rows_ms" not in r)]
    for r in errors:
        print(f"failed run: {r}", file=sys.stderr)
    good = [rnd for rnd in rounds if not any(r in errors for r in rnd.values())]
    if not good:
        print("no complete round; nothing to report", file=sys.stderr)
        return 0

    def ms(kind: str, key: str) -> list[float]:
        return [rnd[kind][key] for rnd in good]

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ms ({min(values):.0f}-{max(values):.0f})"

    bare = ms("bare", "first_frame_ms")
    figures = [
        # name, values, reference, target, what
        ("first_frame_vs_bare", ms("twindesk", "first_frame_ms"), 1.3, "twindesk first frame"),
        ("first_rows_vs_bare_frame", ms("twindesk", "first_rows_ms"), 2.0, "twindesk first rows"),
        ("first_rows_new_db_vs_bare_frame", ms("twindesk-new", "first_rows_ms"), None,
         "first rows, brand-new db"),
    ]
    py_start = [r["py_start_ms"] for rnd in good for r in rnd.values() if r.get("py_start_ms") is not None]
    lines = []
    met = total = 0
    for name, values, target, what in figures:
        ratios = [v / b for v, b in zip(values, bare, strict=True)]
        median = statistics.median(ratios)
        ok = target is None or median <= target
        if target is not None:
            total += 1
            met += ok
        lines.append((
            name, f"{median:.2f}", "x", "-" if target is None else f"<={target}", "ok" if ok else "MISS",
            f"# ratio range {min(ratios):.2f}-{max(ratios):.2f}; {what} {spread(values)}"
            f" vs bare first frame {spread(bare)}; n={len(good)}",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line[:5], widths, strict=False)) + "  " + line[5])
    print(f"targets met: {met}/{total}")

    # Informational, on stderr so stdout stays in the agreed format.
    early = [r["kind"] for rnd in good for r in rnd.values()
             if r["kind"] != "bare" and any(r.get("modules_at_first_frame", {}).values())]
    at_rows = [any(rnd[k].get("modules_at_first_rows", {}).values()) for rnd in good
               for k in ("twindesk", "twindesk-new")]
    print(f"note: python start before the first statement, not counted: {spread(py_start)}", file=sys.stderr)
    print(f"note: sqlalchemy/sqlmodel loaded at first frame in {len(early)} runs; "
          f"at first rows in {sum(at_rows)}/{len(at_rows)} runs", file=sys.stderr)
    drawn_late = sum(rnd[k].get("loaded_not_drawn") or 0 for rnd in good for k in ("twindesk", "twindesk-new"))
    print(f"note: frames where the table had rows but the frame did not show them: {drawn_late}", file=sys.stderr)
    batched = [rnd["twindesk"].get("batched") or 0 for rnd in good]
    print(f"note: twindesk frames composed but dropped inside a batch update (not drawn): "
          f"{sum(batched)} in {len(batched)} runs", file=sys.stderr)
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if "--child" in argv:
        def opt(name: str) -> str | None:
            return argv[argv.index(name) + 1] if name in argv else None

        _child(opt("--child"), opt("--db"), opt("--config"), "--trace" in argv)
        return 0
    import argparse

    parser = argparse.ArgumentParser(description="twindesk startup vs a bare Textual app")
    parser.add_argument("--runs", type=int, default=7, help="runs of each kind (default 7, at least 5 advised)")
    parser.add_argument("--trace", action="store_true", help="one run of each, every frame logged to stderr")
    args = parser.parse_args(argv)
    return _parent(max(1, args.runs), args.trace)


if __name__ == "__main__":
    sys.exit(main())
