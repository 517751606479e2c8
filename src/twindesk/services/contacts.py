"""Contacts on the other side of a partnership."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from twindesk.services.records import RecordService
from twindesk.services.validation import Checker

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
PHONE = re.compile(r"[0-9 +\-()]*[0-9][0-9 +\-()]*")
CONTACT_FIELDS = ("name", "title", "organisation", "email", "phone", "language")


@dataclass(frozen=True)
class ContactDetail:
    id: str
    partnership_id: str
    name: str
    title: str
    organisation: str
    email: str
    phone: str
    language: str


def _contact(r: Any) -> ContactDetail:
    return ContactDetail(r["id"], r["partnership_id"], *(r[k] for k in CONTACT_FIELDS))


class ContactService(RecordService):
    kind_key = "contact"
    order_sql = "name COLLATE NOCASE, id"

    def for_partnership(self, partnership_id: str, limit: int = 500) -> list[ContactDetail]:
        rows = self.desk.reader().execute(
            f"SELECT * FROM contact WHERE partnership_id = ? AND deleted_at IS NULL ORDER BY {self.order_sql} LIMIT ?",
            (partnership_id, limit),
        )
        return [_contact(r) for r in rows]

    def get(self, contact_id: str) -> ContactDetail | None:
        r = self.row(contact_id)
        return _contact(r) if r else None

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        self.parent_row(values)  # LookupError when the partnership is gone
        if out["email"] and not EMAIL.fullmatch(out["email"]):
            check.fail("email", "Write the e-mail as name@example.org.")
        if out["phone"] and not PHONE.fullmatch(out["phone"]):
            check.fail("phone", "Digits, spaces and + - ( ) only, e.g. +82 51 888 1234.")

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("name", ""))
