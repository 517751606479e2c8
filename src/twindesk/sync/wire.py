"""A change set as it travels between copies, and how it is checked on arrival.

A WireSet is immutable and has a global id (replica, counter). Its
checksum covers everything in it, so a hub can tell a retried push of the
same set (harmless) from a different set under the same id (a database
copied to a second laptop: the two copies share one replica id).

Whatever arrives is hostile until checked: ids must look like ids, entities
and fields must be the registry's, text is cleaned like typed text, and a
set may not be larger than a person's action can be.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from twindesk import registry
from twindesk.text import clean

FORMAT = 1  # the shape of a WireSet; a hub refuses what it does not know
MAX_CHANGES = 100_000  # one set: the demo's parts hold 1,000 records
MAX_TEXT = 100_000  # characters in one value
MAX_DEPTH = 4  # a value is a scalar, a list of scalars, or a record's snapshot
REPLICA = re.compile(r"[0-9a-f]{32}")
RECORD_ID = re.compile(r"[0-9A-Za-z-]{1,64}")
FIELD = re.compile(r"@created|[a-z][a-z0-9_]{0,63}")


class BadSet(ValueError):
    """A change set that cannot be trusted; the message says why (no user data in it)."""


@dataclass(frozen=True)
class WireSet:
    id: str
    replica: str
    counter: int
    lamport: int
    clock: dict[str, int]  # what the author had applied of other replicas
    at: str  # ISO time, for people only
    installation: str
    summary: str
    undo_of: str | None
    schema: int  # the schema version of the copy that made it
    changes: tuple[tuple[str, str, str, Any, Any], ...]  # entity, record id, field, old, new (decoded JSON)

    @property
    def gid(self) -> tuple[str, int]:
        return self.replica, self.counter

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "id": self.id, "replica": self.replica, "counter": self.counter,
            "lamport": self.lamport, "clock": self.clock, "at": self.at, "installation": self.installation,
            "summary": self.summary, "undo_of": self.undo_of, "schema": self.schema,
            "changes": [list(c) for c in self.changes],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.dumps().encode("utf-8")).hexdigest()


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise BadSet("a value is too long")
        return clean(value, multiline=True)
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean_value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float):
        return value
    raise BadSet("a value of an unknown type")


def from_json(data: Any, *, latest_schema: int) -> WireSet:
    """A WireSet from what a hub gave, checked; BadSet if it cannot be trusted."""
    if not isinstance(data, dict):
        raise BadSet("not a change set")
    if data.get("format") != FORMAT:
        raise BadSet(f"change-set format {data.get('format')!r}, this twindesk reads {FORMAT}")
    schema = data.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise BadSet("no schema version")
    if schema > latest_schema:
        raise BadSet(f"made by a newer twindesk (schema {schema}; this one knows up to {latest_schema}): "
                     "upgrade twindesk to sync with it")
    replica, counter, lamport = data.get("replica"), data.get("counter"), data.get("lamport")
    if not isinstance(replica, str) or not REPLICA.fullmatch(replica):
        raise BadSet("a replica id that is not one")
    if not isinstance(counter, int) or not isinstance(lamport, int) or counter < 1 or lamport < 1:
        raise BadSet("a counter that is not one")
    clock = data.get("clock")
    if not isinstance(clock, dict) or not all(
        isinstance(k, str) and REPLICA.fullmatch(k) and isinstance(v, int) and v >= 0 for k, v in clock.items()
    ):
        raise BadSet("a clock that is not one")
    ident = data.get("id")
    if not isinstance(ident, str) or not RECORD_ID.fullmatch(ident):
        raise BadSet("a change-set id that is not one")
    raw = data.get("changes")
    if not isinstance(raw, list) or len(raw) > MAX_CHANGES:
        raise BadSet("too many changes in one set")
    changes = []
    for change in raw:
        if not isinstance(change, list) or len(change) != 5:
            raise BadSet("a change that is not one")
        entity, record_id, field, old, new = change
        if entity not in registry.KEYS or not isinstance(record_id, str) or not RECORD_ID.fullmatch(record_id):
            raise BadSet("a change to an unknown kind of record")
        if not isinstance(field, str) or not FIELD.fullmatch(field):
            raise BadSet("a change to an unknown field")
        if _depth(old) > MAX_DEPTH or _depth(new) > MAX_DEPTH:
            raise BadSet("a value nested too deep")
        changes.append((entity, record_id, field, _clean_value(old), _clean_value(new)))
    text = {k: data.get(k) for k in ("at", "installation", "summary")}
    if not all(isinstance(v, str) and len(v) <= 500 for v in text.values()):
        raise BadSet("a heading that is not one")
    undo_of = data.get("undo_of")
    if undo_of is not None and not (isinstance(undo_of, str) and RECORD_ID.fullmatch(undo_of)):
        raise BadSet("an undo of something that is not a change set")
    return WireSet(
        id=ident, replica=replica, counter=counter, lamport=lamport, clock=dict(clock),
        at=clean(text["at"] or ""), installation=clean(text["installation"] or ""),
        summary=clean(text["summary"] or ""), undo_of=undo_of, schema=schema, changes=tuple(changes),
    )


def loads(line: str | bytes, *, latest_schema: int) -> WireSet:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise BadSet("not readable as a change set") from exc
    return from_json(data, latest_schema=latest_schema)
