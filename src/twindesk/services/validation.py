"""Turning typed text into clean values, or into messages for the form.

Every service validates its whole input before it writes anything, and
raises `Invalid` with one message per bad field: the form shows each next to
its field, and nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from twindesk.text import clean

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class Invalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Conflict(Exception):
    """Fields someone else changed since the form opened: {name: (theirs, yours)}.

    `current` holds every field as stored now: the form's new base once the
    user has seen the clash, so that saving again keeps what they chose."""

    def __init__(self, fields: dict[str, tuple[object, object]], current: dict[str, object]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields
        self.current = current


class Checker:
    """Collects the messages of one form: each field checked, then `done()`."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(
        self, field: str, value: str, *, label: str, required: bool = False, max_len: int = 200, multiline: bool = False
    ) -> str:
        value = clean(value or "", multiline=multiline).strip()
        if required and not value:
            self.fail(field, f"{label} is required.")
        elif len(value) > max_len:
            self.fail(field, f"{label} is too long: {len(value)} characters, at most {max_len}.")
        return value

    def choice(self, field: str, value: str, allowed: Iterable[str], *, label: str,
               names: Iterable[str] | None = None) -> str:
        allowed = list(allowed)
        if value not in allowed:
            self.fail(field, f"{label} must be one of: {', '.join(names or allowed)}.")
        return value

    def time(self, field: str, value: str) -> str:
        """An optional 24-hour time, stored as HH:MM ("9:30" becomes "09:30")."""
        value = clean(value or "").strip()
        if not value:
            return ""
        match = _TIME.fullmatch(value)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.fail(field, f"Time: {value[:10]} is not a time of day; write HH:MM (24-hour), e.g. 09:30 or 18:00.")
            return value
        return f"{int(match[1]):02d}:{match[2]}"

    def items(
        self, field: str, value: str | Iterable[str], *, label: str, max_items: int = 30, max_len: int = 80
    ) -> list[str]:
        """A list typed as comma- or line-separated items; blanks and repeats dropped."""
        raw = re.split(r"[,\n]", value) if isinstance(value, str) else list(value)
        out: list[str] = []
        for item in raw:
            item = clean(item).strip()
            if not item:
                continue
            if len(item) > max_len:
                self.fail(field, f"“{item[:20]}…” is too long: at most {max_len} characters per item.")
            if item.casefold() not in (o.casefold() for o in out):
                out.append(item)
        if len(out) > max_items:
            self.fail(field, f"{label}: at most {max_items} items, not {len(out)}.")
        return out

    def date(self, field: str, value: str, *, label: str, required: bool = False) -> dt.date | None:
        value = clean(value or "").strip()
        if not value:
            if required:
                self.fail(field, f"{label} is required (YYYY-MM-DD).")
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.fail(field, f"{label}: write the date as YYYY-MM-DD, e.g. 2026-12-03.")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"{label}: {value} is not a real date.")
            return None

    def done(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


HANGUL_NAME = re.compile(r"[\uAC00-\uD7A3\u3131-\u318E ]*")


def is_hangul(value: str) -> bool:
    return bool(HANGUL_NAME.fullmatch(value))
