"""What the benchmark scripts here share.

The parent side: an isolated environment, a home city, the demo databases
built in subprocesses, and running one child and reading its JSON line.
The child side: what a frame shows, and the process's peak RSS. Children
import this module inside the code they time, so it imports nothing heavy.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # children import this module inside what they time
    from collections.abc import Callable
    from pathlib import Path


# Parent side ------------------------------------------------------------------
def isolated_env(root: Path) -> dict[str, str]:
    """The environment for child processes: HOME and the XDG folders inside
    `root` (the real home is never touched), no Textual or twindesk settings,
    and twindesk's modules compiled (see compile_twindesk)."""
    compile_twindesk()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "TWINDESK_"))}
    home = root / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
    )
    home.mkdir(parents=True, exist_ok=True)
    return env


def compile_twindesk() -> None:
    """Write the bytecode of twindesk's modules, as pip does when it installs
    a package, so children start twindesk as a user's installation does.
    Where PYTHONDONTWRITEBYTECODE is set (as on the machine these figures
    come from) an editable checkout never gets it, and every child compiled
    ~40 modules from source: ~30 ms of each start, which a bare Textual app,
    installed with its bytecode, never pays."""
    import compileall
    from importlib.util import find_spec

    spec = find_spec("twindesk")
    if spec is not None and spec.submodule_search_locations:
        compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)


HOME_CITY = """
import sys
from pathlib import Path
from twindesk import config as config_mod
config = config_mod.load(Path(sys.argv[1]))
config_mod.save_home(config, config_mod.HomeCity(name="Ghent", country="Belgium",
                                                 industries=["Port", "Textiles", "Tourism"]))
"""


def set_home_city(env: dict[str, str], config: Path) -> None:
    """A home city in the config, so the app starts on its start screen, not
    on the first-start form; written by twindesk itself, in a child."""
    import subprocess

    subprocess.run([sys.executable, "-c", HOME_CITY, str(config)], env=env, check=True)


def build_demos(env: dict[str, str], root: Path, config: Path, sizes: tuple[int, ...], name: str,
                demo_args: Callable[[int], list[str]]) -> dict[int, str]:
    """The config (with a home city) and one demo database per size, each made
    by `twindesk demo` in a subprocess: Linux carries a process's peak RSS
    across fork and exec, so a parent that had built 100,000 records itself
    would lift every child's ru_maxrss. `demo_args(size)` are the demo's
    --size/--outcomes; `name` says what the size counts, in the notes."""
    import subprocess

    set_home_city(env, config)
    dbs = {}
    for size in sizes:
        db = root / f"{name.replace(' ', '-')}-{size}.db"
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "twindesk", "--config", str(config), "demo", "--db", str(db), *demo_args(size)],
            env=env, capture_output=True, text=True, check=False,
        )
        sys.stderr.write(proc.stdout + proc.stderr)  # stdout keeps the agreed format
        if proc.returncode != 0:
            raise SystemExit(f"could not build the demo database {db}")
        print(f"note: demo database of {size:,} {name} built in {time.perf_counter() - started:.1f} s, "
              f"{db.stat().st_size / 2**20:.0f} MiB", file=sys.stderr)
        dbs[size] = str(db)
    return dbs


def run_child(script: str, mark: str, args: list[str], env: dict[str, str], *, trace: bool = False,
              timeout: int = 300) -> dict:
    """Run `script --child *args` and return the JSON it printed after `mark`,
    or {"error": ...} with the end of its stderr."""
    import json
    import subprocess

    cmd = [sys.executable, script, "--child", *args, *(["--trace"] if trace else [])]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if trace:
        sys.stderr.write(proc.stderr[-20000:])
    for line in proc.stdout.splitlines():
        if line.startswith(mark):
            result: dict = json.loads(line[len(mark):])
            return result
    return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-1500:]}"}


# Child side -------------------------------------------------------------------
def frame_text(renderable: object) -> str:
    """The plain text of a compositor update (full or partial)."""
    strips = getattr(renderable, "strips", None)
    if strips is not None:  # LayoutUpdate: list of iterables of Strip
        return "\n".join("".join(strip.text for strip in line) for line in strips)
    chops = getattr(renderable, "chops", None)
    if chops is not None:  # ChopsUpdate: list of {x: Strip | None}
        return "\n".join("".join(strip.text for strip in line.values() if strip is not None) for line in chops)
    return ""


def maxrss_mib() -> float:
    """This process's peak RSS (ru_maxrss is KiB on Linux)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
