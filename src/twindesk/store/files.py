"""Private files: the data folder is 0700 and every file twindesk writes 0600.

The modes are set when the file is created, before SQLite or an export
writes a byte into it, so there is no moment when others could read it.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if it does not exist yet."""
    private_dir(path.parent) if not path.parent.exists() else None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return path
    os.close(fd)
    return path
