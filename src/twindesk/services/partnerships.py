"""Partnerships with Korean cities, their dated stage history, and the
contacts on the other side.

Kinds, stages, cooperation areas and sectors are the seed's: records keep
their keys, screens show their names. Every change of stage adds a
StageChange row in the same action, so ctrl+z takes the stage and its
history row back together.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twindesk import taxonomy
from twindesk.registry.fields import STAGE_DATE
from twindesk.services.contacts import ContactDetail
from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker, Invalid

__all__ = ["STAGE_DATE", "PartnershipDetail", "PartnershipQuery", "PartnershipService"]
from twindesk.text import fold

STAGE_DATE_TYPED = "stage_date_typed"  # whether that date was typed (else: today)
SIGNED_STAGES = ("signed", "active")  # stages that say an agreement exists
# Quick-filter groups over the seed's stage keys.
STAGE_GROUPS = {
    "exploring": ("inquiry", "research", "letter_of_intent", "council_approval"),
    "signed": ("signed", "active"),
    "ended": ("dormant", "ended"),
}
FINISHED = "ended"  # an ended tie leaves room for a new one with the same city


@dataclass(frozen=True)
class PartnershipDetail:
    id: str
    city_id: str
    city: str
    hangul: str
    kind: str
    kind_name: str
    stage: str
    stage_name: str
    since: dt.date | None  # the date of the latest stage change
    signed_on: dt.date | None
    signed_place: str
    signatories_home: str
    signatories_partner: str
    areas: tuple[str, ...]
    area_names: tuple[str, ...]
    sectors: tuple[str, ...]
    sector_names: tuple[str, ...]
    notes: str
    history: tuple[tuple[str, dt.date], ...]  # (stage name, date), newest first
    contacts: tuple[ContactDetail, ...]


# Vocabulary: seed key -> name -----------------------------------------------


def short_area(key: str) -> str:
    # Full area names are long for a list cell; the seed's keys read as short names.
    return key.replace("_", " ").capitalize()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, values: dict[str, str]) -> str:
    whens = " ".join(f"WHEN {_quote(k)} THEN {v}" for k, v in values.items())
    return f"(CASE {column} {whens} ELSE {column} END)"


def _rank_sql() -> str:
    """Stages sort in the seed's order, not by name."""
    return _case("p.stage", {t.key: str(i) for i, t in enumerate(taxonomy.load().stages)})


def _name_sql(column: str, names: dict[str, str]) -> str:
    """The folded name of a stage or kind, for the filter box to match."""
    return _case(column, {k: _quote(fold(v)) for k, v in names.items()})


SINCE_SQL = (
    "(SELECT MAX(s.changed_on) FROM stage_change s WHERE s.partnership_id = p.id AND s.deleted_at IS NULL)"
)
CITY_SORT = "c.name COLLATE NOCASE"


class PartnershipQuery(PagedQuery):
    # A sort_sql marks a column sortable; `orders` below gives each its ORDER BY.
    columns = (
        Column("city", "City", 22, CITY_SORT),
        Column("kind", "Kind", 13, "p.kind"),
        Column("stage", "Stage", 30, "stage"),
        Column("since", "Since", 10, "since"),
        Column("areas", "Areas", 30),
    )
    base_sql = "FROM partnership p JOIN city c ON c.id = p.city_id WHERE p.deleted_at IS NULL"
    select_sql = f"p.id, c.name, c.hangul, p.kind, p.stage, p.areas, {SINCE_SQL} AS since"
    id_sql = "p.id"
    alias = "p."

    def __init__(self, reader: Any) -> None:
        super().__init__(reader)
        self.quick: str | None = None
        self.kinds = taxonomy.load().kind_names
        self.stages = taxonomy.load().stage_names
        self.search_columns = ("c.search", _name_sql("p.stage", self.stages), _name_sql("p.kind", self.kinds))
        rank = _rank_sql()
        # Each column sorts first by itself, then as the default order does:
        # city, stage (in the seed's order), since when.
        self.orders = {
            "city": (CITY_SORT, rank, "since"),
            "kind": ("p.kind", CITY_SORT, rank),
            "stage": (rank, CITY_SORT, "since"),
            "since": ("since", CITY_SORT),
        }

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        stages = STAGE_GROUPS.get(self.quick or "")
        if not stages:
            return [], []
        return [f"p.stage IN ({', '.join('?' * len(stages))})"], list(stages)

    def _order(self, flip: bool = False) -> str:
        direction = "DESC" if self.descending != flip else "ASC"
        keys = (*self.orders[self.columns[self.sort].key], self.id_sql)
        return " ORDER BY " + ", ".join(f"{k} {direction}" for k in keys)

    def to_row(self, r: Any) -> Row:
        city = f"{r['name']} {r['hangul']}".strip()
        kind = self.kinds.get(r["kind"], r["kind"])
        areas = ", ".join(short_area(k) for k in json.loads(r["areas"]))
        tone = "warning" if r["stage"] == "dormant" else ""
        return Row(
            r["id"],
            (city, kind, self.stages.get(r["stage"], r["stage"]), r["since"] or "", areas),
            tone=tone,
            label=f"{r['name']} ({kind.lower()})",
        )


# Partnerships ----------------------------------------------------------------
DUPLICATE_SQL = """SELECT p.stage FROM partnership p
    WHERE p.city_id = ? AND p.kind = ? AND p.deleted_at IS NULL AND p.stage != ? AND p.id != ? LIMIT 1"""
HISTORY_SQL = """SELECT id, stage, changed_on FROM stage_change
    WHERE partnership_id = ? AND deleted_at IS NULL ORDER BY changed_on DESC, created_at DESC, rowid DESC"""


class PartnershipService(RecordService):
    kind_key = "partnership"
    defaults = {"city": "", "kind": "sister", "stage": "inquiry", "areas": [], "sectors": []}

    def query(self) -> PartnershipQuery:
        return PartnershipQuery(self.desk.reader)

    def get(self, partnership_id: str) -> PartnershipDetail | None:
        conn = self.desk.reader()
        r = conn.execute(
            "SELECT p.*, c.name AS city, c.hangul FROM partnership p JOIN city c ON c.id = p.city_id "
            "WHERE p.id = ? AND p.deleted_at IS NULL",
            (partnership_id,),
        ).fetchone()
        if r is None:
            return None
        tax = taxonomy.load()
        stages, sectors = tax.stage_names, tax.sector_names
        areas = {a.key: a.name for a in tax.areas}
        history = tuple(
            (stages.get(h["stage"], h["stage"]), dt.date.fromisoformat(h["changed_on"]))
            for h in conn.execute(HISTORY_SQL, (partnership_id,))
        )
        area_keys, sector_keys = tuple(json.loads(r["areas"])), tuple(json.loads(r["sectors"]))
        return PartnershipDetail(
            id=r["id"],
            city_id=r["city_id"],
            city=r["city"],
            hangul=r["hangul"],
            kind=r["kind"],
            kind_name=tax.kind_names.get(r["kind"], r["kind"]),
            stage=r["stage"],
            stage_name=stages.get(r["stage"], r["stage"]),
            since=history[0][1] if history else None,
            signed_on=dt.date.fromisoformat(r["signed_on"]) if r["signed_on"] else None,
            signed_place=r["signed_place"],
            signatories_home=r["signatories_home"],
            signatories_partner=r["signatories_partner"],
            areas=area_keys,
            area_names=tuple(areas.get(k, k) for k in area_keys),
            sectors=sector_keys,
            sector_names=tuple(sectors.get(k, k) for k in sector_keys),
            notes=r["notes"],
            history=history,
            contacts=tuple(self.desk.contacts.for_partnership(partnership_id)),
        )

    def stored_values(self, row: Any) -> dict[str, Any]:
        # The stage date starts blank: a new stage is dated today.
        return {**super().stored_values(row), STAGE_DATE: ""}

    # Validation -------------------------------------------------------------
    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        typed_on = out[STAGE_DATE]
        out[STAGE_DATE] = typed_on or self.today()
        out[STAGE_DATE_TYPED] = typed_on is not None
        self._check_stage_date(check, out, typed_on, record_id)
        if out["stage"] in SIGNED_STAGES and out["signed_on"] is None and "signed_on" not in check.errors:
            check.fail("signed_on", "A signed or active partnership needs its signing date (YYYY-MM-DD).")
        if out["stage"] in SIGNED_STAGES and out["signed_on"] and out["signed_on"] > self.today():
            check.fail("signed_on", "The signing date is in the future: the stage cannot be signed or active yet.")
        clash = self._duplicate(self.desk.reader().execute, out, record_id) if out["city_id"] else None
        if clash:
            check.fail("city", clash)

    def _check_stage_date(
        self, check: Checker, out: dict[str, Any], typed: dt.date | None, record_id: str | None
    ) -> None:
        """History reads in order: no change in the future or before the one it follows."""
        on, conn = out[STAGE_DATE], self.desk.reader()
        if on > self.today():
            check.fail(STAGE_DATE, "A stage change cannot be dated in the future.")
            return
        rows = conn.execute(HISTORY_SQL, (record_id,)).fetchall() if record_id else []
        now = conn.execute("SELECT stage FROM partnership WHERE id = ?", (record_id,)).fetchone() if record_id else None
        if now is not None and now["stage"] == out["stage"]:
            if typed is None:
                return
            rows = rows[1:]  # the date typed corrects the current stage's own row
        if rows and on < dt.date.fromisoformat(rows[0]["changed_on"]):
            check.fail(STAGE_DATE, f"The stage before was set on {rows[0]['changed_on']}: date this one later.")

    def _duplicate(self, execute: Callable[..., Any], out: dict[str, Any], record_id: str | None) -> str | None:
        if out["stage"] == FINISHED:
            return None
        row = execute(DUPLICATE_SQL, (out["city_id"], out["kind"], FINISHED, record_id or "")).fetchone()
        if row is None:
            return None
        tax = taxonomy.load()
        kind = tax.kind_names.get(out["kind"], out["kind"]).lower()
        stage = tax.stage_names.get(row[0], row[0])
        city = self.desk.cities.name_of(out["city_id"])
        return f"There is already a {kind} partnership with {city} (stage: {stage}): edit that one instead."

    # Writing ----------------------------------------------------------------
    def before_write(self, session: Any, clean: dict[str, Any], record_id: str | None) -> None:
        super().before_write(session, clean, record_id)
        # Again inside the write transaction (BEGIN IMMEDIATE): a second
        # window may have added the same tie since the form was checked.
        clash = self._duplicate(session.connection().exec_driver_sql, clean, record_id)
        if clash:
            raise Invalid({"city": clash})

    def after_save(
        self, session: Any, record: Any, before: dict[str, Any], writer: Any, extra: dict[str, Any]
    ) -> list[str]:
        if not before or before["stage"] != record.stage:
            self._log_stage(record, extra[STAGE_DATE], writer)
            return []
        if extra[STAGE_DATE_TYPED]:
            return self._redate_stage(session, record, extra[STAGE_DATE], writer)
        return []

    def _log_stage(self, record: Any, on: dt.date, writer: Any) -> None:
        from twindesk.models import StageChange

        # Through the same writer: undo takes the stage and its row back together.
        writer.create(StageChange(partnership_id=record.id, stage=record.stage, changed_on=on, note=""))

    def _redate_stage(self, session: Any, record: Any, on: dt.date, writer: Any) -> list[str]:
        """A date typed with the stage unchanged corrects the current stage's row."""
        from twindesk.models import StageChange

        row = session.connection().exec_driver_sql(HISTORY_SQL, (record.id,)).first()
        if row is None:  # no history yet (a record from elsewhere): start it
            self._log_stage(record, on, writer)
            return [STAGE_DATE]
        return [STAGE_DATE] if writer.update(session.get(StageChange, row[0]), {"changed_on": on}) else []

    def heading(self, row: Any) -> str:
        city = self.desk.cities.get(row["city_id"])
        kind = taxonomy.load().kind_names.get(row["kind"], row["kind"])
        return f"{city.name}  {city.hangul} — {kind}" if city else kind

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        lines = super().detail_lines(row)
        history = self.desk.reader().execute(HISTORY_SQL, (row["id"],)).fetchone()
        since = ("Since", history["changed_on"] if history else "")
        at = next((i for i, (label, _v) in enumerate(lines) if label == "Stage"), len(lines) - 1) + 1
        return [line for line in (*lines[:at], since, *lines[at:]) if line[0] != "Korean city"]

    def outcome_initial(self, row: Any) -> dict[str, Any]:
        return {"partnership_id": row["id"], "city": self.desk.cities.name_of(row["city_id"])}

    def describe(self, clean: dict[str, Any]) -> str:
        kind = taxonomy.load().kind_names.get(str(clean.get("kind", "")), str(clean.get("kind", ""))).lower()
        return f"{self.desk.cities.name_of(clean.get('city_id'))} ({kind})"


class StageChangeService(RecordService):
    """The dated stage history; written only through a partnership's saves."""

    kind_key = "stage_change"
    order_sql = "changed_on DESC, created_at DESC"

    def describe(self, clean: dict[str, Any]) -> str:
        stage = str(clean.get("stage", ""))
        return f"{taxonomy.load().stage_names.get(stage, stage)} {clean.get('changed_on', '')}".strip()


def same_tie(conn: Any, partnership_id: str, hints: dict[str, Any]) -> list[str]:
    """Live partnerships that could be this one made twice: the same city and kind
    (sync asks a person, when two copies created them without knowing of each other)."""
    return [r[0] for r in conn.execute(
        """SELECT o.id FROM partnership p JOIN partnership o ON o.city_id = p.city_id AND o.kind = p.kind
           WHERE p.id = ? AND o.id <> p.id AND o.deleted_at IS NULL AND p.deleted_at IS NULL""",
        (partnership_id,),
    )]
