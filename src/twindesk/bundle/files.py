"""Writing export files atomically and privately.

Each file is written to a temporary file beside it (created 0600 before a
byte goes in), flushed and fsynced, then renamed over the target, and the
folder is fsynced so the rename itself survives a power cut. Until the
rename the earlier file is untouched; if anything fails the temporary file
is removed and the earlier file stays as it was.
"""

from __future__ import annotations

import codecs
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from twindesk.store.files import private_dir

Chunks = Iterable[bytes | str]


def write_atomic(path: Path, chunks: Chunks, *, encoding: str = "utf-8") -> Path:
    """Write `chunks` (bytes as they are, str encoded) to `path` atomically, 0600."""
    path = Path(path)
    tmp = _write_temp(path, chunks, encoding)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)
    return path


def write_atomic_many(files: Iterable[tuple[Path, Chunks]], *, encoding: str = "utf-8") -> list[Path]:
    """Write several files, renaming none until all are written: a failure
    while writing leaves every earlier file as it was. (A failure in the
    renames themselves, rare, can leave some files new and some old; each
    file is still whole.)"""
    pending: list[tuple[Path, Path]] = []
    try:
        for path, chunks in files:
            pending.append((_write_temp(Path(path), chunks, encoding), Path(path)))
        written = []
        while pending:
            tmp, path = pending[0]
            os.replace(tmp, path)
            pending.pop(0)
            written.append(path)
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    for folder in dict.fromkeys(path.parent for path in written):
        _sync_dir(folder)
    return written


def _temp_path(path: Path) -> tuple[Path, int]:
    """A new file beside `path`, created 0600 (never an existing one)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def _write_temp(path: Path, chunks: Chunks, encoding: str) -> Path:
    if not path.parent.exists():
        private_dir(path.parent)
    tmp, fd = _temp_path(path)
    try:
        handle = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    try:
        # Incremental, so a byte-order mark ("utf-8-sig") is written once, not per chunk.
        encoder = codecs.getincrementalencoder(encoding)()
        with handle:
            for chunk in chunks:
                handle.write(encoder.encode(chunk) if isinstance(chunk, str) else chunk)
            handle.write(encoder.encode("", final=True))
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _sync_dir(folder: Path) -> None:
    """Make the rename durable. Not every platform can open a folder (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
