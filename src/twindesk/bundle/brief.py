"""`twindesk brief VISIT`: the document a delegation carries.

Everything about one visit, gathered by SQL inside one read snapshot into
frozen dataclasses, then rendered to print-ready HTML (brief_html) or
Markdown (brief_md): purpose and dates, the partner city (English and
Hangul, province, industries), the partnership's stage and history, the
members, the itinerary day by day, gifts, the partner's contacts, and open
invitations with that city.

The brief holds personal data (names, diets, phone numbers): it is written
0600 through files.write_atomic, loads nothing from outside, and its
suggested file name carries only a date and part of the visit's id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twindesk import taxonomy
from twindesk.bundle import snapshot
from twindesk.bundle.files import write_atomic
from twindesk.registry.fields import DISPOSITION_LABELS
from twindesk.services.money import money

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

FORMATS = ("html", "md")
SEOUL = "Asia/Seoul"
MAX_ROWS = 500  # members, items, gifts, contacts: far more than any delegation has
MAX_INVITATIONS = 50
FINISHED_INVITATIONS = ("declined", "attended")
_PREFIX = re.compile(r"[0-9a-fA-F-]{1,36}")


@dataclass(frozen=True)
class Member:
    name: str
    title: str
    organisation: str
    role: str
    dietary: str
    contact: str


@dataclass(frozen=True)
class Item:
    time: str  # "HH:MM", or "" for no set time
    what: str
    place: str
    host: str
    outside: bool  # the visit's dates moved and this day is no longer within them


@dataclass(frozen=True)
class Day:
    day: dt.date
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Gift:
    item: str
    counterpart: str
    occasion: str
    given_on: str
    value: str = ""  # "250.00 USD", or "" when no estimate is recorded
    disposition: str = ""  # what became of it, in words; "" when not decided


@dataclass(frozen=True)
class Contact:
    name: str
    title: str
    organisation: str
    email: str
    phone: str
    language: str


@dataclass(frozen=True)
class StageStep:
    stage: str
    changed_on: str
    note: str


@dataclass(frozen=True)
class Partnership:
    kind: str
    stage: str
    signed_on: str
    signed_place: str
    signatories_home: str
    signatories_partner: str
    sectors: tuple[str, ...]
    history: tuple[StageStep, ...]  # oldest first


@dataclass(frozen=True)
class Invitation:
    event: str
    start: str
    end: str
    rsvp_by: str
    direction: str
    status: str
    party: str


@dataclass(frozen=True)
class Brief:
    visit_id: str
    direction: str
    status: str
    start: dt.date
    end: dt.date
    purpose: str
    areas: tuple[str, ...]
    budget: str
    notes: str
    city: str
    hangul: str
    province: str
    city_kind: str
    industries: tuple[str, ...]
    home: str
    generated: dt.date
    partnerships: tuple[Partnership, ...]
    members: tuple[Member, ...]
    days: tuple[Day, ...]
    gifts_to_give: tuple[Gift, ...]
    gifts_received: tuple[Gift, ...]
    contacts: tuple[Contact, ...]
    invitations: tuple[Invitation, ...]

    @property
    def outbound(self) -> bool:
        return self.direction == "outbound"

    @property
    def times_note(self) -> str:
        if self.outbound:
            return f"All times are Korea Standard Time ({SEOUL}, UTC+9), where the visit takes place."
        where = f" in {self.home}" if self.home else ""
        return f"All times are local time{where}, where the visit takes place."

    @property
    def title(self) -> str:
        return f"Delegation brief: {self.city}"


def write_brief(desk: Desk, visit_id: str, fmt: str, out: Path) -> Path:
    """Write the brief of one visit (its id, or an unambiguous start of it)
    as "html" or "md" to `out`, created 0600. Raises LookupError when no
    live visit (or more than one) matches, ValueError for a bad format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown brief format {fmt!r}; use one of {', '.join(FORMATS)}.")
    data = brief_data(desk, visit_id)
    return write_atomic(Path(out), render(data, fmt))


def default_name(data: Brief, fmt: str) -> str:
    """A file name with no personal data in it: the start date and part of the id."""
    return f"delegation-brief-{data.start.isoformat()}-{data.visit_id[:8]}.{fmt}"


def render(data: Brief, fmt: str) -> list[str]:
    if fmt == "md":
        from twindesk.bundle.brief_md import render_markdown

        return render_markdown(data)
    from twindesk.bundle.brief_html import render_html

    return render_html(data)


def resolve_visit(conn: Any, ref: str) -> str:
    """The id of the one live visit whose id is `ref` or starts with it."""
    ref = ref.strip().lower()
    if not _PREFIX.fullmatch(ref):
        raise LookupError("Give a visit's id (or its first characters): hexadecimal digits and dashes.")
    rows = conn.execute(
        """SELECT v.id, v.start_date, c.name FROM visit v LEFT JOIN city c ON c.id = v.city_id
           WHERE v.deleted_at IS NULL AND v.id >= ? AND v.id < ? ORDER BY v.id LIMIT 6""",
        (ref, ref + "\uffff"),
    ).fetchall()
    if not rows:
        raise LookupError(f"No visit has an id starting with {ref}.")
    exact = [row for row in rows if row[0] == ref]
    if len(rows) > 1 and not exact:
        some = "; ".join(f"{row[0][:13]}… {row[2] or '?'} {row[1]}" for row in rows[:5])
        raise LookupError(f"{ref} is the start of {'more than 5' if len(rows) > 5 else len(rows)} visits' ids "
                          f"({some}); give more of it.")
    return (exact or rows)[0][0]


def brief_data(desk: Desk, ref: str) -> Brief:
    tax = taxonomy.load()
    with snapshot(desk) as conn:
        visit_id = resolve_visit(conn, ref)
        v = conn.execute(
            """SELECT v.*, c.name AS city, c.hangul, c.province, c.kind AS city_kind, c.industries
               FROM visit v LEFT JOIN city c ON c.id = v.city_id WHERE v.id = ?""",
            (visit_id,),
        ).fetchone()
        areas = {a.key: a.name for a in tax.areas}
        gifts = _gifts(conn, visit_id)
        return Brief(
            visit_id=visit_id, direction=v["direction"], status=v["status"],
            start=dt.date.fromisoformat(v["start_date"]), end=dt.date.fromisoformat(v["end_date"]),
            purpose=v["purpose"], areas=tuple(areas.get(k, k) for k in json.loads(v["areas"])),
            budget=money(v["budget_amount"], v["budget_currency"]), notes=v["notes"],
            city=v["city"] or "?", hangul=v["hangul"] or "", province=v["province"] or "",
            city_kind=v["city_kind"] or "", industries=tuple(json.loads(v["industries"] or "[]")),
            home=desk.config.home.name, generated=desk.today(),
            partnerships=tuple(_partnerships(conn, v["city_id"])),
            members=tuple(Member(m["name"], m["title"], m["organisation"], m["role"], m["dietary"], m["contact"])
                          for m in _rows(conn, "member", visit_id, "created_at")),
            days=_days(conn, visit_id, v["start_date"], v["end_date"]),
            gifts_to_give=tuple(g for d, g in gifts if d == "given"),
            gifts_received=tuple(g for d, g in gifts if d == "received"),
            contacts=tuple(_contacts(conn, v["city_id"])),
            invitations=tuple(_invitations(conn, v["city_id"], desk.today())),
        )


def _rows(conn: Any, table: str, visit_id: str, order: str) -> list[Any]:
    return conn.execute(
        f"SELECT * FROM {table} WHERE visit_id = ? AND deleted_at IS NULL ORDER BY {order}, rowid LIMIT ?",
        (visit_id, MAX_ROWS),
    ).fetchall()


def _days(conn: Any, visit_id: str, start: str, end: str) -> tuple[Day, ...]:
    """Every day of the visit, in order, with its items by time (items with
    no time first: they are the day's frame, e.g. "free day")."""
    by_day: dict[str, list[Item]] = {}
    for i in _rows(conn, "itinerary_item", visit_id, "day, time != '', time"):
        by_day.setdefault(i["day"], []).append(
            Item(i["time"], i["what"], i["place"], i["host"], not start <= i["day"] <= end))
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    days = {d.isoformat() for d in (first + dt.timedelta(n) for n in range(min((last - first).days, 60) + 1))}
    return tuple(Day(dt.date.fromisoformat(d), tuple(by_day.get(d, ()))) for d in sorted(days | set(by_day)))


def _gifts(conn: Any, visit_id: str) -> list[tuple[str, Gift]]:
    return [(g["direction"], Gift(g["item"], g["counterpart"], g["occasion"], g["given_on"] or "",
                                  money(g["value_amount"], g["value_currency"]),
                                  DISPOSITION_LABELS.get(g["disposition"], "") if g["disposition"] else ""))
            for g in _rows(conn, "gift", visit_id, "given_on IS NULL, given_on, created_at")]


def _partnerships(conn: Any, city_id: str) -> list[Partnership]:
    tax = taxonomy.load()
    out = []
    for p in conn.execute(
        "SELECT * FROM partnership WHERE city_id = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 10",
        (city_id,),
    ):
        history = tuple(
            StageStep(tax.stage_names.get(s["stage"], s["stage"]), s["changed_on"], s["note"])
            for s in conn.execute(
                "SELECT stage, changed_on, note FROM stage_change WHERE partnership_id = ? AND deleted_at IS NULL "
                "ORDER BY changed_on, created_at, rowid LIMIT ?", (p["id"], MAX_ROWS))
        )
        out.append(Partnership(
            tax.kind_names.get(p["kind"], p["kind"]), tax.stage_names.get(p["stage"], p["stage"]),
            p["signed_on"] or "", p["signed_place"], p["signatories_home"], p["signatories_partner"],
            tuple(tax.sector_names.get(k, k) for k in json.loads(p["sectors"])), history))
    return out


def _contacts(conn: Any, city_id: str) -> list[Contact]:
    return [
        Contact(c["name"], c["title"], c["organisation"], c["email"], c["phone"], c["language"])
        for c in conn.execute(
            """SELECT c.* FROM contact c JOIN partnership p ON p.id = c.partnership_id
               WHERE p.city_id = ? AND p.deleted_at IS NULL AND c.deleted_at IS NULL
               ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?""",
            (city_id, MAX_ROWS),
        )
    ]


def _invitations(conn: Any, city_id: str, today: dt.date) -> list[Invitation]:
    """Invitations hosted by the city that are neither over nor closed."""
    marks = ", ".join("?" for _ in FINISHED_INVITATIONS)
    return [
        Invitation(i["event_name"], i["start_date"], i["end_date"], i["rsvp_by"] or "", i["direction"],
                   i["status"], i["party"])
        for i in conn.execute(
            f"""SELECT * FROM invitation WHERE host_city_id = ? AND deleted_at IS NULL AND end_date >= ?
                AND status NOT IN ({marks}) ORDER BY start_date, rowid LIMIT ?""",
            (city_id, today.isoformat(), *FINISHED_INVITATIONS, MAX_INVITATIONS),
        )
    ]
