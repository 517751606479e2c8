"""Outcomes benchmark: the benefits dashboard and the HTML report at 100 and at 100,000 outcomes.

Run:
    python benchmarks/outcomes.py [--runs N]        (default 5 runs of each size)
    python benchmarks/outcomes.py --trace           (one run of each, every frame logged to stderr)

Method (docs BENCHMARKS.md): two demo databases, both of 100 visits, one with
100 outcomes and one with 100,000 (`twindesk demo --size 100 --outcomes N`,
twindesk.demo), are built once in a temporary folder, each by a subprocess.
Every measurement is a fresh Python process (this script re-invoked with
`--child benefits|report`). Two kinds of measurement:

- benefits: the app runs headless at 120x40 through `App.run(headless=True)`.
  The child waits until the app has loaded (the desk is open, the start
  screen, the dashboard, is up, the SQLAlchemy warm-up worker has finished;
  the config names a home city, so the start is a normal one, not the
  first-start form) and a quiet 400 ms, then posts the key `b` to the app
  and measures until the first frame drawn while the BenefitsScreen is the
  active screen and the frame contains, for each of the four benefit panels,
  the start of the first line of its figures (the headline measure's name
  and this year's total, e.g. "Participants ... 721"), read from the panel's
  Static. A frame is a call of `App._display` with something to draw and no
  batch update holding repaints (App._display drops those; they never reach
  a terminal).
- report: the child opens the desk (`Desk.open`, not timed), then times
  `twindesk.bundle.report.write_report(desk, year, "html", out_file)` for the
  current year: the gathering of the figures, the rendering and the write.
  `report_data` and `render` are wrapped with timers so stderr can show how
  the time splits.

Runs are interleaved (benefits 100, benefits 100,000, report 100,
report 100,000, benefits 100, ...) after one discarded warm-up round. The
benefits open time at 100,000 outcomes is compared with the 100-outcome
figure of the same round: the figure is the median of the per-round ratios,
with their (min-max). The report target is absolute (seconds at 100,000
outcomes). Raw times are printed as lines without a target.

HOME and the XDG folders of every child point into the temporary folder; the
real home folder is never touched. The exit code is 0 even when a target is
missed: this is a report.
"""

import time

T0 = time.perf_counter()  # first statement: process start as seen by this script

import sys

from _bench import build_demos, frame_text, maxrss_mib, run_child

MARK = "OUTCOMES_JSON "
SIZE = (120, 40)
VISITS = 100  # visits in both demo databases
SIZES = (100, 100_000)  # outcomes
QUIET = 0.4  # seconds of quiet before the key and after the figures are drawn
KINDS = ("benefits", "report")


# --------------------------------------------------------------------------
# Child side
# --------------------------------------------------------------------------
def _child_benefits(db: str, config: str, trace: bool) -> None:
    import asyncio
    from pathlib import Path

    from textual import events

    from twindesk.app import TwindeskApp

    frames: list[float] = []
    marks: dict[str, float] = {}
    notes: list[str] = []
    shown: dict[str, list[str]] = {}

    def log(message: str) -> None:
        if trace:
            print(f"[benefits {1000 * (time.perf_counter() - T0):8.1f} ms] {message}", file=sys.stderr)

    class Timed(TwindeskApp):
        batched = 0  # frames composed while a batch update held repaints (not drawn)
        loaded_not_drawn = 0  # frames on the BenefitsScreen that did not (yet) show its figures
        error: str | None = None
        _bench_task: "asyncio.Task[None] | None" = None  # not _driver: the App uses that name

        def _figures_on_screen(self, screen, renderable) -> bool:
            benefits = sys.modules.get("twindesk.screens.benefits")  # never import it ourselves
            if benefits is None or screen is not self.screen or not isinstance(screen, benefits.BenefitsScreen):
                return False
            try:
                panels = list(screen.query(".figures"))
            except Exception:
                return False
            wanted = []
            for panel in panels:
                content = panel.content
                plain = getattr(content, "plain", None)
                plain = str(content) if plain is None else plain
                # The name (20 wide) and the total (14 wide): always on the panel's first row.
                head = plain.split("\n")[0][:34].rstrip()
                if not head:
                    return False  # not filled in yet
                wanted.append(head)
            if not wanted:
                return False
            text = frame_text(renderable)
            if all(head in text for head in wanted):
                shown["heads"] = wanted
                return True
            self.loaded_not_drawn += 1
            return False

        def on_mount(self) -> None:
            super().on_mount()
            self._bench_task = asyncio.get_running_loop().create_task(self._drive())

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
            if "pressed" in marks and "open" not in marks and self._figures_on_screen(screen, renderable):
                marks["open"] = now
            log(f"frame {len(frames)} {type(renderable).__name__} on {type(screen).__name__}"
                f"{' FIGURES' if marks.get('open') == now else ''}")

        async def _until(self, condition, timeout: float, what: str) -> None:
            deadline = time.perf_counter() + timeout
            while not condition():
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
                await asyncio.sleep(0.005)

        def _workers_idle(self) -> bool:
            return not any(w.state.name in ("PENDING", "RUNNING") for w in self.workers)

        async def _drive(self) -> None:
            try:
                from twindesk.app import screen_class

                start_screen = screen_class(self.start).__name__  # the dashboard
                await self._until(lambda: self.desk is not None and type(self.screen).__name__ == start_screen,
                                  30, f"the start screen ({start_screen})")
                # The app imports SQLAlchemy in a worker 1 s after the start
                # screen; a user's first key comes later than that.
                try:
                    await self._until(lambda: "warmed" in marks and self._workers_idle(), 10, "the warm-up")
                except TimeoutError:
                    notes.append("no warm-up worker finished within 10 s of the start screen; measured anyway")
                await asyncio.sleep(QUIET)
                marks["rss_before_mib"] = maxrss_mib()

                log("press b")
                marks["pressed"] = time.perf_counter()
                self.post_message(events.Key("b", "b"))
                await self._until(lambda: "open" in marks, 60, "the benefit figures")
                await asyncio.sleep(QUIET)
                marks["rss_after_mib"] = maxrss_mib()
            except Exception as error:
                self.error = f"{type(error).__name__}: {error}"
            finally:
                self.exit()

    app = Timed(Path(db), Path(config), start="dashboard")
    app.run(headless=True, size=SIZE)

    import json

    result: dict = {"kind": "benefits", "notes": notes, "batched": app.batched,
                    "loaded_not_drawn": app.loaded_not_drawn, "heads": shown.get("heads")}
    if app.error or "open" not in marks:
        result["error"] = app.error or f"the app ended before the figures were drawn (return code {app.return_code})"
    else:
        result["open_ms"] = 1000 * (marks["open"] - marks["pressed"])
        result["frames_after_open"] = sum(1 for f in frames if marks["open"] < f <= marks["open"] + QUIET)
        result["rss_before_mib"] = marks["rss_before_mib"]
        result["rss_after_mib"] = marks["rss_after_mib"]
    print(MARK + json.dumps(result, ensure_ascii=False), flush=True)


def _child_report(db: str, config: str, out: str, trace: bool) -> None:
    import json
    from pathlib import Path

    from twindesk.bundle import report
    from twindesk.bundle.report import write_report
    from twindesk.services import Desk

    desk = Desk.open(Path(db), Path(config))
    try:
        year = desk.today().year
        outcomes = desk.reader().execute("SELECT count(*) FROM outcome WHERE deleted_at IS NULL").fetchone()[0]
        parts: dict[str, float] = {}

        def timed(name, function):
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    parts[name] = parts.get(name, 0.0) + 1000 * (time.perf_counter() - started)
            return wrapper

        # write() looks these up in the module at call time: the wrappers see every call.
        report.report_data = timed("data_ms", report.report_data)
        report.render = timed("render_ms", report.render)

        started = time.perf_counter()
        write_report(desk, year, "html", Path(out))
        took = time.perf_counter() - started
    finally:
        desk.close()
    result = {"kind": "report", "year": year, "outcomes": outcomes, "write_ms": 1000 * took,
              "bytes": Path(out).stat().st_size, **parts}
    if trace:
        print(f"[report] {result}", file=sys.stderr)
    print(MARK + json.dumps(result), flush=True)


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------
def _run_child(kind: str, env: dict[str, str], db: str, config: str, out: str | None = None,
               trace: bool = False) -> dict:
    args = [kind, "--db", db, "--config", config, *(["--out", out] if out is not None else [])]
    return {"kind": kind, **run_child(__file__, MARK, args, env, trace=trace)}


def _prepare(env: dict[str, str], root, config) -> dict[int, str]:
    return build_demos(env, root, config, SIZES, "outcomes", lambda size: ["--size", str(VISITS), "--outcomes", str(size)])


def _parent(runs: int, trace: bool) -> int:
    import shutil
    import statistics
    import tempfile
    from pathlib import Path

    from _bench import isolated_env

    root = Path(tempfile.mkdtemp(prefix="twindesk-outcomes-"))
    try:
        env = isolated_env(root)
        (root / "reports").mkdir()
        config = root / "config.toml"
        dbs = _prepare(env, root, config)
        counter = iter(range(1_000_000))

        def run(kind: str, size: int, trace: bool = False) -> dict:
            out = None
            if kind == "report":  # a new file every run: the write is always a first write
                out = str(root / "reports" / f"report-{size}-{next(counter)}.html")
            return _run_child(kind, env, dbs[size], str(config), out, trace=trace)

        order = [(kind, size) for kind in KINDS for size in SIZES]
        if trace:
            for kind, size in order:
                print(f"--- {kind}, {size:,} outcomes ---", file=sys.stderr)
                print(run(kind, size, trace=True), file=sys.stderr)
            return 0

        for kind, size in order:  # warm-up round: disk cache, .pyc files; discarded
            result = run(kind, size)
            if "error" in result:
                print(f"{kind} at {size:,} outcomes failed: {result['error']}", file=sys.stderr)
                return 0
        rounds: list[dict[tuple[str, int], dict]] = []
        for i in range(runs):
            rounds.append({(kind, size): run(kind, size) for kind, size in order})
            print(f"round {i + 1}/{runs}: " + ", ".join(
                f"{kind} {size:,} {r.get('open_ms', r.get('write_ms', float('nan'))):.0f} ms"
                for (kind, size), r in rounds[-1].items()
            ), file=sys.stderr)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    bad = [r for rnd in rounds for r in rnd.values() if "error" in r]
    for r in bad:
        print(f"failed run ({r['kind']}): {r['error']}", file=sys.stderr)
    good = [rnd for rnd in rounds if not any("error" in r for r in rnd.values())]
    if not good:
        print("no complete round; nothing to report", file=sys.stderr)
        return 0
    small, big = SIZES

    def per_run(kind: str, size: int, key: str) -> list[float]:
        return [rnd[kind, size][key] for rnd in good]

    def spread(values: list[float], unit: str, digits: int = 1) -> str:
        return f"{statistics.median(values):.{digits}f} {unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"

    open_small, open_big = per_run("benefits", small, "open_ms"), per_run("benefits", big, "open_ms")
    write_small = [v / 1000 for v in per_run("report", small, "write_ms")]
    write_big = [v / 1000 for v in per_run("report", big, "write_ms")]
    n = f"n={len(good)}"
    figures = [
        # name, values, unit, target, note
        ("benefits_open_100k_vs_100", [b / a for a, b in zip(open_small, open_big, strict=True)], "x", 1.3,
         (f"benefits dashboard open at 100,000 outcomes {spread(open_big, 'ms')}"
          f" vs at 100 {spread(open_small, 'ms')}")),
        ("report_html_100k", write_big, "s", 5, "write_report(..., 'html') at 100,000 outcomes, absolute"),
        ("benefits_open_100", open_small, "ms", None, "reference: 100 outcomes"),
        ("benefits_open_100k", open_big, "ms", None, "100,000 outcomes"),
        ("report_html_100", write_small, "s", None, "reference: 100 outcomes"),
    ]
    lines = []
    met = total = 0
    for name, values, unit, target, what in figures:
        median = statistics.median(values)
        ok = target is None or median <= target
        if target is not None:
            total += 1
            met += ok
        shown = f"{median:.1f}" if unit == "ms" else f"{median:.2f}"
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
        first = good[0]["report", size]
        print(f"note: report at {size:,} outcomes ({first['outcomes']:,} in the database, year {first['year']}):"
              f" gathering {spread(per_run('report', size, 'data_ms'), 'ms')},"
              f" rendering {spread(per_run('report', size, 'render_ms'), 'ms')},"
              f" file {first['bytes'] / 1024:.0f} KiB", file=sys.stderr)
        heads = good[0]["benefits", size].get("heads")
        print(f"note: benefits at {size:,} outcomes: figures waited for: {heads}", file=sys.stderr)
        for note in sorted({note for rnd in good for note in rnd["benefits", size]["notes"]}):
            print(f"note: benefits at {size:,} outcomes: {note}", file=sys.stderr)
        rss_growth = [r - b for r, b in zip(per_run("benefits", size, "rss_after_mib"),
                                            per_run("benefits", size, "rss_before_mib"), strict=True)]
        print(f"note: benefits at {size:,} outcomes: peak RSS {spread(per_run('benefits', size, 'rss_after_mib'), 'MiB')}"
              f", grown by opening the screen {spread(rss_growth, 'MiB')}", file=sys.stderr)
    late = sum(rnd["benefits", s].get("loaded_not_drawn") or 0 for rnd in good for s in SIZES)
    batched = sum(rnd["benefits", s].get("batched") or 0 for rnd in good for s in SIZES)
    after = [rnd["benefits", s].get("frames_after_open") or 0 for rnd in good for s in SIZES]
    print(f"note: frames on the benefits screen before its figures were drawn: {late}; frames dropped inside a "
          f"batch update (not drawn): {batched}; frames in the {QUIET * 1000:.0f} ms after the figures: "
          f"{statistics.median(after):.0f} per run (median)", file=sys.stderr)
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if "--child" in argv:
        def opt(name: str) -> str | None:
            return argv[argv.index(name) + 1] if name in argv else None

        kind = opt("--child")
        if kind == "benefits":
            _child_benefits(opt("--db"), opt("--config"), "--trace" in argv)
        else:
            _child_report(opt("--db"), opt("--config"), opt("--out"), "--trace" in argv)
        return 0
    import argparse

    parser = argparse.ArgumentParser(description="twindesk benefits dashboard and report at 100 and 100,000 outcomes")
    parser.add_argument("--runs", type=int, default=5, help="runs of each size (default 5)")
    parser.add_argument("--trace", action="store_true", help="one run of each, every frame logged to stderr")
    args = parser.parse_args(argv)
    return _parent(max(1, args.runs), args.trace)


if __name__ == "__main__":
    sys.exit(main())
