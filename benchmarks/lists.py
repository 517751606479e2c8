"""List benchmark: the visit list at 100 and at 100,000 visits.

Run:
    python benchmarks/lists.py [--runs N]        (default 5 runs of each size)
    python benchmarks/lists.py --trace           (one run of each size, every frame logged to stderr)

Method (docs BENCHMARKS.md): two demo databases, of 100 and 100,000 visits,
are built once with `twindesk demo` (twindesk.demo) in a temporary folder.
Every run is a fresh Python process (this script re-invoked with `--child`),
headless at 120x40 through `App.run_test()`. The child waits until the app
has loaded (the desk is open, the start screen is up, the SQLAlchemy warm-up
worker has finished; the config names a home city, so the start is a normal
one, not the first-start form), then measures, in this order:

- open: from posting the key `v` to the app to the first frame drawn while
  the VisitListScreen is active, its `#records` PagedTable has rows and the
  frame contains the text of the table's top row. A frame is a call of
  `App._display` with something to draw and no batch update holding
  repaints (App._display drops those; they never reach a terminal).
- RSS: `resource.getrusage(RUSAGE_SELF).ru_maxrss` (peak) 400 ms after the
  rows are drawn, and again after posting `end` to the table (cursor on the
  last row) and a quiet 400 ms. Linux carries a parent's peak RSS into a
  child across fork and exec, so this parent stays small: the databases
  are built in subprocesses. VmHWM (the child's own peak) is printed on
  stderr as a cross-check.
- filter latency: `/` is posted, then each character of each term is posted
  to the app as `events.Key` (the path a terminal's keys take), with a quiet
  window of 400 ms after each key; the key's latency is the time of the last
  frame inside its window minus the time it was posted. After each term
  `escape` leaves the box and `x` clears the filter; that keystroke counts
  too (the whole list comes back). Terms: "bus" and "done" match much, "zzqx" nothing, "부산" is Hangul
  (typed as key events with the character; if the box did not take them the
  child sets the value directly and says so on stderr), "camp" matches some.
  The Input's cursor blink is switched off in the child, so a blink is
  never taken for the key's last frame.

Runs are interleaved (100, 100,000, 100, ...) after one discarded warm-up
round. The open time and RSS at 100,000 are compared with the 100-visit
figure of the same round: each figure is the median of the per-round ratios
(or differences), with their (min-max). Filter latencies are absolute: per
run, the median and the worst key at 100,000 visits; reported as the median
over runs, with (min-max).

HOME and the XDG folders of every child point into the temporary folder; the
real home folder is never touched. The exit code is 0 even when a target is
missed: this is a report.
"""

import time

T0 = time.perf_counter()  # first statement: process start as seen by this script

import sys

from _bench import build_demos, frame_text, maxrss_mib, run_child

MARK = "LISTS_JSON "
SIZE = (120, 40)
SIZES = (100, 100_000)
QUIET = 0.4  # seconds of quiet after each key
TERMS = ("bus", "done", "zzqx", "부산", "camp")


# --------------------------------------------------------------------------
# Child side
# --------------------------------------------------------------------------
def _hwm_mib() -> float:
    """This process's own peak RSS (VmHWM), a cross-check of ru_maxrss."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _child(db: str, config: str, trace: bool) -> None:
    import asyncio
    from pathlib import Path

    from textual import events
    from textual.keys import _character_to_key

    from twindesk.app import TwindeskApp

    frames: list[float] = []
    marks: dict[str, float] = {}
    notes: list[str] = []

    def log(message: str) -> None:
        if trace:
            print(f"[{1000 * (time.perf_counter() - T0):8.1f} ms] {message}", file=sys.stderr)

    class Timed(TwindeskApp):
        batched = 0  # frames composed while a batch update held repaints (not drawn)
        loaded_not_drawn = 0

        def _rows_on_screen(self, screen, renderable) -> bool:
            visits = sys.modules.get("twindesk.screens.visits")  # never import it ourselves
            if visits is None or screen is not self.screen or not isinstance(screen, visits.VisitListScreen):
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

        def on_worker_state_changed(self, event) -> None:
            super().on_worker_state_changed(event)
            if event.worker.group == "warm" and event.worker.is_finished:
                marks["warmed"] = time.perf_counter()

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is None:
                return
            if self._batch_count:  # composed, but App._display drops it: never reaches the terminal
                self.batched += 1
                log(f"frame dropped by a batch update, {type(renderable).__name__} on {type(screen).__name__}")
                return
            now = time.perf_counter()
            frames.append(now)
            if "pressed" in marks and "open" not in marks and self._rows_on_screen(screen, renderable):
                marks["open"] = now
            log(f"frame {len(frames)} {type(renderable).__name__} on {type(screen).__name__}"
                f"{' ROWS' if marks.get('open') == now else ''}")

    async def until(condition, timeout: float, what: str) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
            await asyncio.sleep(0.005)

    def workers_idle(app: TwindeskApp) -> bool:
        return not any(w.state.name in ("PENDING", "RUNNING") for w in app.workers)

    async def measure() -> dict:
        app = Timed(Path(db), Path(config))
        async with app.run_test(size=SIZE):
            from twindesk.app import screen_class

            start_screen = screen_class(app.start).__name__  # the dashboard, unless the app changes it
            await until(lambda: app.desk is not None and type(app.screen).__name__ == start_screen, 30,
                        f"the start screen ({start_screen})")
            # The app imports SQLAlchemy in a worker 1 s after the first rows;
            # a user's first key comes later than that, so wait for it too.
            try:
                await until(lambda: "warmed" in marks and workers_idle(app), 10, "the warm-up")
            except TimeoutError:
                notes.append("no warm-up worker finished within 10 s of the start screen; measured anyway")
            await asyncio.sleep(QUIET)

            log("press v")
            marks["pressed"] = time.perf_counter()
            app.post_message(events.Key("v", "v"))
            await until(lambda: "open" in marks, 60, "the visit rows")
            await asyncio.sleep(QUIET)
            screen = app.screen
            table = screen.query_one("#records")
            rows = table.row_count
            rss_open, hwm_open = maxrss_mib(), _hwm_mib()

            log("press end")
            app.post_message(events.Key("end", None))
            await until(lambda: table.cursor == table.row_count - 1, 30, "the last row")
            await asyncio.sleep(QUIET)
            rss_end, hwm_end = maxrss_mib(), _hwm_mib()

            async def key(name: str, character: str | None) -> float | None:
                posted = time.perf_counter()
                app.post_message(events.Key(name, character))
                await asyncio.sleep(QUIET)
                window = [f for f in frames if posted <= f <= posted + QUIET]
                return window[-1] - posted if window else None

            log("press /")
            await key("slash", "/")
            box = screen.query_one("#filter")
            if screen.focused is not box:
                raise RuntimeError("`/` did not focus the filter box")
            box.cursor_blink = False
            latencies: list[float | None] = []
            matched: dict[str, int] = {}
            for term in TERMS:
                if screen.focused is not box:
                    await key("slash", "/")
                for ch in term:
                    log(f"type {ch!r}")
                    latencies.append(await key(_character_to_key(ch), ch))
                if box.value != term:  # the keys did not type (Hangul): set the value instead
                    notes.append(f"{term!r} did not type as keys (box shows {box.value!r}); value set directly")
                    posted = time.perf_counter()
                    box.value = term
                    await asyncio.sleep(QUIET)
                    window = [f for f in frames if posted <= f <= posted + QUIET]
                    latencies.append(window[-1] - posted if window else None)
                matched[term] = table.row_count
                log(f"clear ({matched[term]} rows matched {term!r})")
                await key("escape", None)  # leaves the box; the filter stays
                latencies.append(await key("x", "x"))  # clears it: all rows again
            if box.value:
                raise RuntimeError("x did not clear the filter box")
            return {
                "rows": rows,
                "open_ms": 1000 * (marks["open"] - marks["pressed"]),
                "rss_open_mib": rss_open,
                "rss_end_mib": rss_end,
                "hwm_open_mib": hwm_open,
                "hwm_end_mib": hwm_end,
                "latencies_ms": [None if v is None else 1000 * v for v in latencies],
                "matched": matched,
                "batched": app.batched,
                "loaded_not_drawn": app.loaded_not_drawn,
                "notes": notes,
            }

    import json

    result = asyncio.run(measure())
    print(MARK + json.dumps(result, ensure_ascii=False), flush=True)


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------
def _run_child(env: dict[str, str], db: str, config: str, trace: bool = False) -> dict:
    return run_child(__file__, MARK, ["--db", db, "--config", config], env, trace=trace)


def _prepare(env: dict[str, str], root, config) -> dict[int, str]:
    return build_demos(env, root, config, SIZES, "visits", lambda size: ["--size", str(size)])


def _parent(runs: int, trace: bool) -> int:
    import shutil
    import statistics
    import tempfile
    from pathlib import Path

    from _bench import isolated_env

    root = Path(tempfile.mkdtemp(prefix="twindesk-lists-"))
    try:
        env = isolated_env(root)
        config = root / "config.toml"
        dbs = _prepare(env, root, config)

        if trace:
            for size in SIZES:
                print(f"--- {size:,} visits ---", file=sys.stderr)
                print(_run_child(env, dbs[size], str(config), trace=True), file=sys.stderr)
            return 0

        for size in SIZES:  # warm-up round: disk cache, .pyc files; discarded
            result = _run_child(env, dbs[size], str(config))
            if "error" in result:
                print(f"{size:,} visits failed: {result['error']}", file=sys.stderr)
                return 0
        rounds: list[dict[int, dict]] = []
        for i in range(runs):
            rounds.append({size: _run_child(env, dbs[size], str(config)) for size in SIZES})
            print(f"round {i + 1}/{runs}: " + ", ".join(
                f"{s:,} visits open {r.get('open_ms', float('nan')):.0f} ms" for s, r in rounds[-1].items()
            ), file=sys.stderr)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    bad = [r for rnd in rounds for r in rnd.values() if "error" in r]
    for r in bad:
        print(f"failed run: {r['error']}", file=sys.stderr)
    good = [rnd for rnd in rounds if not any("error" in r for r in rnd.values())]
    if not good:
        print("no complete round; nothing to report", file=sys.stderr)
        return 0
    small, big = SIZES

    def per_run(size: int, key: str) -> list[float]:
        return [rnd[size][key] for rnd in good]

    def key_stats(size: int, pick) -> list[float]:
        out = []
        for rnd in good:
            values = [v for v in rnd[size]["latencies_ms"] if v is not None]
            out.append(pick(values) if values else float("inf"))
        return out

    def spread(values: list[float], unit: str) -> str:
        return f"{statistics.median(values):.1f} {unit} ({min(values):.1f}-{max(values):.1f})"

    open_small, open_big = per_run(small, "open_ms"), per_run(big, "open_ms")
    rss = {(s, k): per_run(s, k) for s in SIZES for k in ("rss_open_mib", "rss_end_mib")}
    med = {s: key_stats(s, statistics.median) for s in SIZES}
    worst = {s: key_stats(s, max) for s in SIZES}
    n = f"n={len(good)}"
    figures = [
        # name, values, unit, target, note
        ("open_100k_vs_100", [b / a for a, b in zip(open_small, open_big, strict=True)], "x", 1.3,
         f"open at 100,000 {spread(open_big, 'ms')} vs at 100 {spread(open_small, 'ms')}"),
        ("filter_median_100k", med[big], "ms", 60, f"per-run median key; at 100: {spread(med[small], 'ms')}"),
        ("filter_worst_100k", worst[big], "ms", 120, f"per-run worst key; at 100: {spread(worst[small], 'ms')}"),
        ("rss_open_100k_minus_100",
         [b - a for a, b in zip(rss[small, "rss_open_mib"], rss[big, "rss_open_mib"], strict=True)], "MiB", 5,
         f"peak RSS after opening: 100,000 {spread(rss[big, 'rss_open_mib'], 'MiB')}"
         f" vs 100 {spread(rss[small, 'rss_open_mib'], 'MiB')}"),
        ("rss_end_100k_minus_100",
         [b - a for a, b in zip(rss[small, "rss_end_mib"], rss[big, "rss_end_mib"], strict=True)], "MiB", 5,
         f"peak RSS after scrolling to the end: 100,000 {spread(rss[big, 'rss_end_mib'], 'MiB')}"
         f" vs 100 {spread(rss[small, 'rss_end_mib'], 'MiB')}"),
        ("open_100", open_small, "ms", None, "reference: the 100-visit list"),
        ("filter_median_100", med[small], "ms", None, "reference"),
        ("filter_worst_100", worst[small], "ms", None, "reference"),
    ]
    lines = []
    met = total = 0
    for name, values, unit, target, what in figures:
        median = statistics.median(values)
        ok = target is None or median <= target
        if target is not None:
            total += 1
            met += ok
        shown = f"{median:.2f}" if unit == "x" else f"{median:.1f}"
        lines.append((
            name, shown, unit, "-" if target is None else f"<={target}", "ok" if ok else "MISS",
            f"# range {min(values):.2f}-{max(values):.2f}; {what}; {n}",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line[:5], widths, strict=False)) + "  " + line[5])
    print(f"targets met: {met}/{total}")

    # Informational, on stderr so stdout stays in the agreed format.
    for size in SIZES:
        first = good[0][size]
        print(f"note: {size:,} visits: {first['rows']:,} rows listed; rows matched per term: {first['matched']}",
              file=sys.stderr)
        missing = sum(1 for rnd in good for v in rnd[size]["latencies_ms"] if v is None)
        if missing:
            print(f"note: {size:,} visits: {missing} keys drew no frame within {QUIET * 1000:.0f} ms",
                  file=sys.stderr)
        for note in sorted({note for rnd in good for note in rnd[size]["notes"]}):
            print(f"note: {size:,} visits: {note}", file=sys.stderr)
    slowest = max(((v, rnd[big]) for rnd in good for v in rnd[big]["latencies_ms"] if v is not None),
                  key=lambda pair: pair[0], default=None)
    if slowest is not None:
        print(f"note: slowest key at 100,000: {slowest[0]:.1f} ms; per key in that run (ms): "
              + ", ".join("-" if v is None else f"{v:.0f}" for v in slowest[1]["latencies_ms"]), file=sys.stderr)
    print(f"note: this parent's own peak RSS, a floor for every child's ru_maxrss: {maxrss_mib():.1f} MiB; "
          f"the children's VmHWM (their own peak) at open, 100 / 100,000: "
          f"{statistics.median(per_run(small, 'hwm_open_mib')):.1f} / {statistics.median(per_run(big, 'hwm_open_mib')):.1f}"
          f" MiB, at the end: {statistics.median(per_run(small, 'hwm_end_mib')):.1f} / "
          f"{statistics.median(per_run(big, 'hwm_end_mib')):.1f} MiB", file=sys.stderr)
    batched = [rnd[s].get("batched") or 0 for rnd in good for s in SIZES]
    print(f"note: frames composed but dropped inside a batch update (not drawn): {sum(batched)} "
          f"in {len(batched)} runs", file=sys.stderr)
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if "--child" in argv:
        def opt(name: str) -> str:
            return argv[argv.index(name) + 1]

        _child(opt("--db"), opt("--config"), "--trace" in argv)
        return 0
    import argparse

    parser = argparse.ArgumentParser(description="twindesk visit list at 100 and 100,000 visits")
    parser.add_argument("--runs", type=int, default=5, help="runs of each size (default 5)")
    parser.add_argument("--trace", action="store_true", help="one run of each size, every frame logged to stderr")
    args = parser.parse_args(argv)
    return _parent(max(1, args.runs), args.trace)


if __name__ == "__main__":
    sys.exit(main())
