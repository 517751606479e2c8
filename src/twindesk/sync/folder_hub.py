"""The folder hub: a shared drive, a synced folder (Dropbox, OneDrive,
Syncthing) or a USB stick.

    HUB/twindesk-hub.json               what the hub is (format, id, encryption)
    HUB/replicas/<replica>/<first>-<last>.tdsync

Files are written, never rewritten: each replica adds immutable files to a
folder of its own, each written to a temporary name and renamed when whole,
so a file-sync tool never sees two writers on one file, and a reader never
sees half a file under a real name. Names hold a random replica id and
counters only: no personal data.

A file is a header line (JSON: replica, counters, schema, checksum) and a
zlib-compressed body of one change set per line, encrypted with AES-GCM
when the hub has a passphrase. Reading is bounded (file and body size) and
checks everything; a damaged or truncated file stops that replica's stream
with a message naming the file, and leaves the other replicas' streams be.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import uuid
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from twindesk.store import schema
from twindesk.store.files import private_dir
from twindesk.sync.crypto import HubKey
from twindesk.sync.hub import HubError, HubOffline, ReplicaClash
from twindesk.sync.wire import REPLICA, BadSet, WireSet, loads

HUB_FILE = "twindesk-hub.json"
FORMAT = 1
MAGIC = "twindesk-sync"
MAX_FILE = 64 * 1024 * 1024  # bytes on disk
MAX_BODY = 512 * 1024 * 1024  # bytes once decompressed
SETS_PER_FILE = 1_000
BYTES_PER_FILE = 8 * 1024 * 1024  # uncompressed: an encrypted file is decrypted whole, in memory
NAME = re.compile(r"(\d{10})-(\d{10})\.tdsync")


class FolderHub:
    def __init__(self, root: Path, meta: dict[str, object], key: HubKey | None) -> None:
        self.root = root
        self.meta = meta
        self.key = key
        self.hub_id = str(meta["hub_id"])
        self.location = str(root)

    # Opening ----------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, *, passphrase: str | None = None, encrypt: bool = False,
             create: bool = False) -> FolderHub:
        """The hub in `root`; a new one if the folder holds none yet. Raises
        HubOffline when the folder is not there (a stick not plugged in).

        With `create` (the user named this folder on the command line) a
        missing last folder is made, if the folder it goes in is there. A
        remembered hub never is: an empty mount point of an unplugged stick
        must not become a hub on the laptop's own disk."""
        root = Path(root).expanduser()
        if create and not root.exists() and root.parent.is_dir():
            private_dir(root)
        if not root.is_dir():
            raise HubOffline(f"The hub folder {root} is not there (is the drive plugged in?). Nothing changed.")
        path = root / HUB_FILE
        if not path.exists():
            return cls._create(root, passphrase if encrypt else None)
        try:
            if path.stat().st_size > 64 * 1024:
                raise ValueError("too large")
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise HubError(f"{path} is not a twindesk hub file (damaged?); nothing was changed.") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or not isinstance(meta.get("hub_id"), str):
            raise HubError(f"{path} is from another twindesk (hub format {meta.get('format')!r}); "
                           "upgrade twindesk to use it.")
        key = None
        if meta.get("encryption"):
            if passphrase is None:
                raise HubError(f"The hub at {root} is encrypted: give its passphrase "
                               "(asked for, or TWINDESK_HUB_PASSPHRASE).")
            key = HubKey.unlock(meta["encryption"], passphrase)  # HubError when wrong
        return cls(root, meta, key)

    @classmethod
    def _create(cls, root: Path, passphrase: str | None) -> FolderHub:
        meta: dict[str, object] = {"format": FORMAT, "hub_id": str(uuid.uuid4()), "encryption": None}
        key = None
        if passphrase is not None:
            key, meta["encryption"] = HubKey.create(passphrase)
        private_dir(root / "replicas")
        _write_new(root / HUB_FILE, json.dumps(meta, indent=2).encode("utf-8"))
        return cls(root, meta, key)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    # Reading ----------------------------------------------------------------
    def _files(self, replica: str) -> list[tuple[int, int, Path]]:
        folder = self.root / "replicas" / replica
        if not folder.is_dir():
            return []
        found = []
        for entry in os.scandir(folder):
            match = NAME.fullmatch(entry.name)
            if match:
                found.append((int(match[1]), int(match[2]), Path(entry.path)))
        return sorted(found)

    def replicas(self) -> dict[str, int]:
        folder = self.root / "replicas"
        if not folder.is_dir():
            raise HubOffline(f"The hub folder {self.root} is not there any more. Nothing changed.")
        out = {}
        for entry in os.scandir(folder):
            if entry.is_dir() and REPLICA.fullmatch(entry.name):
                files = self._files(entry.name)
                if files:
                    out[entry.name] = files[-1][1]
        return out

    def held_id(self, replica: str, counter: int) -> str | None:
        """The id of the set the hub holds at (replica, counter), from a file's header alone."""
        for first, last, path in self._files(replica):
            if first <= counter <= last:
                try:
                    with path.open("rb") as handle:
                        header = json.loads(handle.readline(1 << 20))
                    ids = header.get("ids")
                    if isinstance(ids, list) and len(ids) == last - first + 1:
                        return str(ids[counter - first])
                except (OSError, ValueError):
                    return None
                return None
        return None

    def read(self, replica: str, after: int) -> Iterator[WireSet]:
        expected = after + 1
        for first, last, path in self._files(replica):
            if last < expected:
                continue  # applied already: never opened again
            if first > expected:
                raise BadSet(f"{path.name} of replica {replica[:8]} follows a file that is missing")
            for ws in self._sets(path, replica, first, last):
                if ws.counter >= expected:
                    yield ws
                    expected = ws.counter + 1

    def _sets(self, path: Path, replica: str, first: int, last: int) -> Iterator[WireSet]:
        where = f"{path.parent.name[:8]}/{path.name}"
        try:
            if path.stat().st_size > MAX_FILE:
                raise BadSet(f"{where} is too large to be a twindesk change file")
            raw = path.read_bytes()
        except OSError as exc:
            raise BadSet(f"{where} cannot be read ({exc.strerror})") from exc
        head, _, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
        except ValueError as exc:
            raise BadSet(f"{where} is damaged or incomplete (a copy still in progress?)") from exc
        if not isinstance(header, dict) or header.get("magic") != MAGIC or header.get("format") != FORMAT:
            raise BadSet(f"{where} is not a twindesk change file of a format this twindesk reads")
        if (header.get("replica"), header.get("first"), header.get("last")) != (replica, first, last):
            raise BadSet(f"{where} does not hold what its name says")
        if header.get("schema", 0) > schema.latest_version():
            raise BadSet(f"{where} was written by a newer twindesk (schema {header.get('schema')}): "
                         "upgrade twindesk to sync with it")
        if hashlib.sha256(body).hexdigest() != header.get("sha256"):
            raise BadSet(f"{where} is damaged or incomplete (its checksum does not match)")
        if header.get("encrypted"):
            if self.key is None:
                raise BadSet(f"{where} is encrypted, but this hub has no passphrase")
            body = self.key.open(base64.b64decode(str(header.get("nonce", ""))), body, head_aad(header))
        elif self.key is not None:
            raise BadSet(f"{where} is not encrypted, but this hub is: not written by twindesk")
        count = 0
        for line in _lines(body, where):
            ws = loads(line, latest_schema=schema.latest_version())
            if ws.replica != replica or not first <= ws.counter <= last:
                raise BadSet(f"{where} holds a change set that belongs elsewhere")
            count += 1
            yield ws
        if count != last - first + 1:
            raise BadSet(f"{where} holds {count} change sets, its name says {last - first + 1}")

    # Writing ----------------------------------------------------------------
    def push(self, sets: Sequence[WireSet]) -> None:
        if not sets:
            return
        replica = sets[0].replica
        files = self._files(replica)
        top = files[-1][1] if files else 0  # a replica's files hold counters 1..top, one after another
        fresh = [ws for ws in sets if ws.counter > top]
        if len(fresh) < len(sets):
            self._same_as_held(replica, [ws for ws in sets if ws.counter <= top])
        for chunk in _chunks(fresh):
            self._write(replica, chunk)

    def _same_as_held(self, replica: str, sets: Sequence[WireSet]) -> None:
        """A set the hub holds already must be the very same set (a retried push).
        Set ids are random: one id means one set, whatever schema wrote it."""
        wanted = {ws.counter: ws.id for ws in sets}
        low, high = min(wanted), max(wanted)
        for first, last, path in self._files(replica):
            if last < low or first > high:
                continue
            for held in self._sets(path, replica, first, last):
                if held.counter in wanted and held.id != wanted[held.counter]:
                    raise ReplicaClash(
                        f"The hub holds other changes under this database's id ({replica[:8]}…): the file was "
                        "probably copied to a second computer. Run `twindesk sync --new-replica` on this copy; "
                        "nothing was merged.")

    def _write(self, replica: str, sets: Sequence[WireSet]) -> None:
        first, last = sets[0].counter, sets[-1].counter
        body = zlib.compress("".join(ws.dumps() + "\n" for ws in sets).encode("utf-8"), 6)
        header: dict[str, object] = {"magic": MAGIC, "format": FORMAT, "replica": replica, "first": first,
                                     "last": last, "sets": len(sets), "schema": max(ws.schema for ws in sets),
                                     "encrypted": self.key is not None,
                                     # Random ids, no personal data: who holds which set, without opening the body.
                                     "ids": [ws.id for ws in sets]}
        if self.key is not None:
            nonce = secrets.token_bytes(12)
            header["nonce"] = base64.b64encode(nonce).decode("ascii")
            body = self.key.seal(nonce, body, head_aad(header))
        header["sha256"] = hashlib.sha256(body).hexdigest()
        folder = private_dir(self.root / "replicas" / replica)
        data = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n" + body
        _write_new(folder / f"{first:010d}-{last:010d}.tdsync", data)

    def status(self) -> str:
        """Who shares through this hub: per replica its sets and its last push."""
        import datetime as dt

        lines = [f"Folder hub {self.root} ({'encrypted' if self.encrypted else 'not encrypted'})"]
        for replica, top in sorted(self.replicas().items()):
            last = self._files(replica)[-1][2]
            when = dt.datetime.fromtimestamp(last.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {replica[:8]}…  {top:>8,} change sets  last push {when}")
        if len(lines) == 1:
            lines.append("  nobody has shared anything yet")
        return "\n".join(lines)

    def close(self) -> None:
        pass


def head_aad(header: dict[str, object]) -> bytes:
    """What encryption authenticates beside the body: the header without its checksum."""
    return json.dumps({k: v for k, v in header.items() if k != "sha256"}, sort_keys=True).encode("utf-8")


def _lines(body: bytes, where: str) -> Iterator[bytes]:
    """The body's lines, decompressed a piece at a time, never past MAX_BODY."""
    inflate = zlib.decompressobj()
    pending, total = b"", 0
    view = memoryview(body)
    for start in range(0, len(body), 1 << 16):
        try:
            piece = inflate.decompress(view[start:start + (1 << 16)], MAX_BODY - total + 1)
        except zlib.error as exc:
            raise BadSet(f"{where} is damaged (it does not decompress)") from exc
        total += len(piece)
        if total > MAX_BODY or inflate.unconsumed_tail:
            raise BadSet(f"{where} unpacks to more than a change file can hold")
        pending += piece
        *complete, pending = pending.split(b"\n")
        yield from (line for line in complete if line)
    if not inflate.eof:
        raise BadSet(f"{where} is incomplete (its body ends early)")
    if pending:
        yield pending


def _chunks(sets: Sequence[WireSet]) -> Iterator[list[WireSet]]:
    chunk: list[WireSet] = []
    size = 0
    for ws in sets:
        length = len(ws.dumps())
        if chunk and (len(chunk) >= SETS_PER_FILE or size + length > BYTES_PER_FILE):
            yield chunk
            chunk, size = [], 0
        chunk.append(ws)
        size += length
    if chunk:
        yield chunk


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file whole under its name, or not at all: never over another."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            raise HubError(f"{path.name} exists already in the hub; nothing was overwritten")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
