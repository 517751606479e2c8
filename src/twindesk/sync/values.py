"""Incoming values, checked column by column and turned into what SQLite stores.

A change set from a hub carries JSON values. Each must fit its column's
type (a real date, a finite number, a list of short texts), stay within
the field's limits from the registry, and, being text, was already cleaned
(wire.py). A value that does not fit makes its whole set untrusted.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from twindesk import registry
from twindesk.sync.wire import MAX_TEXT, BadSet

# SQLAlchemy's DateTime on SQLite reads back only this shape (naive, UTC here).
STORED_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "str", "date", "datetime", "float", "int", "json"
    nullable: bool
    max_len: int


@cache
def columns(entity: str) -> dict[str, Column]:
    model: Any = registry.model_of(entity)
    limits = {s.stored_as: s.max_len * (s.max_items if s.type in ("items", "multi") else 1)
              for s in registry.kind(entity).field_specs() if s.stored_as}
    from twindesk.models import column_kind

    out = {}
    for column in model.__table__.columns:
        out[column.name] = Column(column.name, column_kind(column), bool(column.nullable),
                                  limits.get(column.name, MAX_TEXT))
    return out


def to_sql(entity: str, column: str, value: Any) -> Any:
    """The value to store in `entity.column`, or BadSet."""
    spec = columns(entity).get(column)
    if spec is None:
        raise BadSet("a change to a field this kind of record does not have")
    if value is None:
        if not spec.nullable:
            raise BadSet("an empty value for a field that needs one")
        return None
    try:
        return _convert(spec, value)
    except (ValueError, TypeError) as exc:
        raise BadSet("a value that does not fit its field") from exc


def _convert(spec: Column, value: Any) -> Any:
    kind = spec.kind
    if kind == "str":
        if not isinstance(value, str) or len(value) > spec.max_len:
            raise ValueError(spec.name)
        return value
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError(spec.name)
        return dt.date.fromisoformat(value).isoformat()
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError(spec.name)
        at = dt.datetime.fromisoformat(value)
        at = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
        return at.strftime(STORED_DATETIME)
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(spec.name)
        return float(value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(spec.name)
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 200 for v in value):
        raise ValueError(spec.name)
    if len(value) > 100:
        raise ValueError(spec.name)
    return json.dumps(value)  # as SQLAlchemy's JSON type stores it, so both read back alike


def stamp(at: str) -> str:
    """A set's time, as created_at/updated_at are stored."""
    try:
        return str(_convert(Column("at", "datetime", False, 0), at))
    except ValueError:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None).strftime(STORED_DATETIME)
