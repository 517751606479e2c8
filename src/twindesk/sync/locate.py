"""Which hub to sync with, and opening it: a folder, or a PostgreSQL URL."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from twindesk.sync.hub import Hub, HubError

URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: str) -> bool:
    return location.startswith(URL_SCHEMES) or ("host=" in location and "=" in location.split()[0])


def choose(given: str | None, remembered: str) -> str:
    """The hub given on the command line, else $TWINDESK_HUB, else the config's."""
    location = given or os.environ.get("TWINDESK_HUB", "") or remembered
    if not location:
        raise HubError("No hub yet: give one with --hub (a folder, or a postgresql:// URL); "
                       "it is remembered for the next time.")
    return location


def open_hub(location: str, *, passphrase: Callable[[], str] | None = None, encrypt: bool = False,
             create: bool = False) -> Hub:
    """The hub at `location`. `create`: a folder named by the user now may be
    made (see FolderHub.open)."""
    if is_url(location):
        from twindesk.sync.pg_hub import PgHub

        return PgHub.connect(location)
    from twindesk.sync.folder_hub import FolderHub

    secret = os.environ.get("TWINDESK_HUB_PASSPHRASE")
    root = Path(location).expanduser()
    needs = encrypt or _encrypted(root)
    if needs and secret is None and passphrase is not None:
        secret = passphrase()
    return FolderHub.open(root, passphrase=secret, encrypt=encrypt, create=create)


def _encrypted(root: Path) -> bool:
    import json

    try:
        meta = json.loads((root / "twindesk-hub.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and bool(meta.get("encryption"))


def remembered_form(location: str) -> str:
    """What the config keeps: a URL without its password, a folder as given."""
    if is_url(location):
        from twindesk.sync.pg_hub import redact

        return redact(location)
    return str(Path(location).expanduser().resolve())
