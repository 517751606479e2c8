"""Contacts on the other side of a partnership."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from twindesk.services.records import RecordService

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
PHONE = re.compile(r"[0-9 +\-()]*[0-9][0-9 +\-()]*")


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


CONTACT_FIELDS = ("name", "title", "organisation", "email", "phone", "language")


def _contact(r: Any) -> ContactDetail:
    return ContactDetail(r["id"], r["partnership_id"], *(r[k] for k in CONTACT_FIELDS))


class ContactService(RecordService):
    table = "contact"
    label = "contact"
    parents = (("partnership_id", "partnership"),)

    def for_partnership(self, partnership_id: str, limit: int = 500) -> list[ContactDetail]:
        rows = self.desk.reader().execute(
            "SELECT * FROM contact WHERE partnership_id = ? AND deleted_at IS NULL "
            "ORDER BY name COLLATE NOCASE, id LIMIT ?",
            (partnership_id, limit),
        )
        return [_contact(r) for r in rows]

    def get(self, contact_id: str) -> ContactDetail | None:
        r = self.desk.reader().execute(
            "SELECT * FROM contact WHERE id = ? AND deleted_at IS NULL", (contact_id,)
        ).fetchone()
        return _contact(r) if r else None

    def form_values(self, contact_id: str | None) -> dict[str, Any]:
        found = self.get(contact_id) if contact_id else None
        if found is None:
            return {}
        return {k: getattr(found, k) for k in CONTACT_FIELDS}

    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        check = self.checker()
        partnership_id = str(values.get("partnership_id") or "")
        live = self.desk.reader().execute(
            "SELECT 1 FROM partnership WHERE id = ? AND deleted_at IS NULL", (partnership_id,)
        ).fetchone()
        if live is None:
            raise LookupError("This partnership no longer exists (deleted elsewhere?).")
        out = {
            "partnership_id": partnership_id,
            "name": check.text("name", values.get("name", ""), label="Name", required=True, max_len=120),
            "title": check.text("title", values.get("title", ""), label="Title", max_len=120),
            "organisation": check.text("organisation", values.get("organisation", ""), label="Organisation",
                                       max_len=160),
            "email": check.text("email", values.get("email", ""), label="E-mail", max_len=254),
            "phone": check.text("phone", values.get("phone", ""), label="Phone", max_len=40),
            "language": check.text("language", values.get("language", ""), label="Language", max_len=40),
        }
        if out["email"] and not EMAIL.fullmatch(out["email"]):
            check.fail("email", "Write the e-mail as name@example.org.")
        if out["phone"] and not PHONE.fullmatch(out["phone"]):
            check.fail("phone", "Digits, spaces and + - ( ) only, e.g. +82 51 888 1234.")
        check.done()
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("name", ""))
