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
