"""What every benchmark script here shares (imported by the parent process only)."""

from __future__ import annotations

import os
from pathlib import Path


def isolated_env(root: Path) -> dict[str, str]:
    """The environment for child processes: HOME and the XDG folders inside
    `root` (the real home is never touched), no Textual or twindesk settings."""
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
    import sys

    subprocess.run([sys.executable, "-c", HOME_CITY, str(config)], env=env, check=True)
