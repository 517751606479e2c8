"""`twindesk export csv`: one CSV file per record type, for spreadsheets.

UTF-8 with a byte-order mark, so spreadsheet programs show Hangul instead
of guessing a legacy code page. The record's UUID is the first column (it
is what stays stable across exports and machines); names sit beside ids,
and lists are joined with "; ". Only live rows are written (no tombstones),
and children only when their parent is live too.

Rows are streamed from the cursor into the file a block at a time: an
export of 100,000 visits never holds them all in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twindesk import registry, taxonomy
from twindesk.bundle import snapshot
from twindesk.bundle.files import write_atomic_many
from twindesk.registry.fields import DISPOSITION_LABELS
from twindesk.store.files import private_dir

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

ENCODING = "utf-8-sig"
BLOCK = 500  # rows per chunk handed to the file
LIST_SEPARATOR = "; "
# A cell starting with one of these is run as a formula by spreadsheet
# programs (CSV injection); a leading apostrophe makes it text again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class Sheet:
    """One CSV file: its columns (header, SQL expression) and the query's tail."""

    filename: str
    columns: tuple[tuple[str, str], ...]
    source: str  # FROM ... WHERE ... ORDER BY ...
    convert: dict[str, Convert] = field(default_factory=dict)  # header -> cell converter

    @property
    def headers(self) -> list[str]:
        return [header for header, _ in self.columns]

    def sql(self) -> str:
        return f"SELECT {', '.join(expr for _, expr in self.columns)} {self.source}"


@dataclass(frozen=True)
class CsvExport:
    paths: tuple[Path, ...]
    rows: dict[str, int]  # filename -> rows written


def export_csv(desk: Desk, out_dir: Path) -> list[Path]:
    """Write every CSV into `out_dir` (created 0700 if missing); returns the paths."""
    return list(export_csv_counted(desk, out_dir).paths)


def export_csv_counted(desk: Desk, out_dir: Path) -> CsvExport:
    out_dir = Path(out_dir)
    if not out_dir.exists():
        private_dir(out_dir)
    counts: dict[str, int] = {}
    with snapshot(desk) as conn:
        sheets = build_sheets(desk.config.home.name)
        paths = write_atomic_many(
            ((out_dir / sheet.filename, _lines(conn, sheet, counts)) for sheet in sheets), encoding=ENCODING
        )
    return CsvExport(tuple(paths), counts)


def _lines(conn: Any, sheet: Sheet, counts: dict[str, int]) -> Iterator[str]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(sheet.headers)
    converters = [sheet.convert.get(header, _plain) for header in sheet.headers]
    n = 0
    cursor = conn.execute(sheet.sql())
    try:
        for row in cursor:
            writer.writerow([_safe(convert(value)) for convert, value in zip(converters, row, strict=True)])
            n += 1
            if n % BLOCK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    finally:
        cursor.close()
    yield buffer.getvalue()
    counts[sheet.filename] = n


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return value


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _joined(names: dict[str, str] | None = None) -> Convert:
    """A JSON list column as "a; b", keys shown by their names."""

    def convert(raw: Any) -> str:
        try:
            items = json.loads(raw) if raw else []
        except ValueError:
            return str(raw)
        if not isinstance(items, list):
            return str(raw)
        return LIST_SEPARATOR.join(names.get(str(i), str(i)) if names else str(i) for i in items)

    return convert


def _named(names: dict[str, str]) -> Convert:
    return lambda key: names.get(key, key) if key is not None else ""


def build_sheets(home_name: str) -> list[Sheet]:
    """The sheets of every kind the registry exports, in the registry's order."""
    sheets = {sheet.filename: sheet for sheet in _sheets(home_name)}
    return [sheets[kind.csv] for kind in registry.KINDS if kind.csv]


def _sheets(home_name: str) -> list[Sheet]:
    tax = taxonomy.load()
    kinds, stages, sectors = tax.kind_names, tax.stage_names, tax.sector_names
    areas = {a.key: a.name for a in tax.areas}
    programmes = {p.key: p.name for a in tax.areas for p in a.programmes}
    measures = tax.measure_names
    stamps = (("created_at", "x.created_at"), ("updated_at", "x.updated_at"))
    home = home_name or "Home city"
    live_partnership = ("JOIN partnership p ON p.id = x.partnership_id AND p.deleted_at IS NULL "
                        "LEFT JOIN city c ON c.id = p.city_id")
    live_visit = "JOIN visit v ON v.id = x.visit_id AND v.deleted_at IS NULL LEFT JOIN city c ON c.id = v.city_id"
    return [
        Sheet(
            "cities.csv",
            (("id", "x.id"), ("name", "x.name"), ("hangul", "x.hangul"), ("province", "x.province"),
             ("kind", "x.kind"), ("industries", "x.industries"), ("romanisations", "x.romanisations"),
             ("notes", "x.notes"), *stamps),
            "FROM city x WHERE x.deleted_at IS NULL ORDER BY x.name, x.id",
            {"industries": _joined(), "romanisations": _joined()},
        ),
        Sheet(
            "partnerships.csv",
            (("id", "x.id"), ("city_id", "x.city_id"), ("city", "c.name"), ("city_hangul", "c.hangul"),
             ("kind", "x.kind"), ("stage", "x.stage"), ("signed_on", "x.signed_on"),
             ("signed_place", "x.signed_place"), ("signatories_home", "x.signatories_home"),
             ("signatories_partner", "x.signatories_partner"), ("areas", "x.areas"), ("sectors", "x.sectors"),
             ("notes", "x.notes"), *stamps),
            "FROM partnership x LEFT JOIN city c ON c.id = x.city_id WHERE x.deleted_at IS NULL "
            "ORDER BY c.name, x.id",
            {"kind": _named(kinds), "stage": _named(stages), "areas": _joined(areas), "sectors": _joined(sectors)},
        ),
        Sheet(
            "stage_changes.csv",
            (("id", "x.id"), ("partnership_id", "x.partnership_id"), ("city", "c.name"), ("stage", "x.stage"),
             ("changed_on", "x.changed_on"), ("note", "x.note"), *stamps),
            f"FROM stage_change x {live_partnership} WHERE x.deleted_at IS NULL ORDER BY c.name, x.changed_on, x.id",
            {"stage": _named(stages)},
        ),
        Sheet(
            "contacts.csv",
            (("id", "x.id"), ("partnership_id", "x.partnership_id"), ("city", "c.name"), ("name", "x.name"),
             ("title", "x.title"), ("organisation", "x.organisation"), ("email", "x.email"),
             ("phone", "x.phone"), ("language", "x.language"), *stamps),
            f"FROM contact x {live_partnership} WHERE x.deleted_at IS NULL ORDER BY c.name, x.name, x.id",
        ),
        Sheet(
            "visits.csv",
            (("id", "x.id"), ("start_date", "x.start_date"), ("end_date", "x.end_date"),
             ("direction", "x.direction"), ("city_id", "x.city_id"), ("city", "c.name"),
             ("city_hangul", "c.hangul"), ("status", "x.status"), ("purpose", "x.purpose"), ("areas", "x.areas"),
             ("budget_amount", "x.budget_amount"), ("budget_currency", "x.budget_currency"),
             ("notes", "x.notes"), *stamps),
            # The order of ix_visit_live_start: rows come straight off the index, unsorted.
            "FROM visit x LEFT JOIN city c ON c.id = x.city_id WHERE x.deleted_at IS NULL ORDER BY x.start_date",
            {"areas": _joined(areas)},
        ),
        Sheet(
            "members.csv",
            (("id", "x.id"), ("visit_id", "x.visit_id"), ("visit_start", "v.start_date"), ("visit_city", "c.name"),
             ("name", "x.name"), ("title", "x.title"), ("organisation", "x.organisation"), ("role", "x.role"),
             ("dietary", "x.dietary"), ("contact", "x.contact"), *stamps),
            f"FROM member x {live_visit} WHERE x.deleted_at IS NULL ORDER BY v.start_date, x.visit_id, x.rowid",
        ),
        Sheet(
            "itinerary.csv",
            (("id", "x.id"), ("visit_id", "x.visit_id"), ("visit_city", "c.name"), ("day", "x.day"),
             ("time", "x.time"), ("place", "x.place"), ("what", "x.what"), ("host", "x.host"), *stamps),
            f"FROM itinerary_item x {live_visit} WHERE x.deleted_at IS NULL ORDER BY x.day, x.time, x.id",
        ),
        Sheet(
            "gifts.csv",
            # The register of official gifts: what a city administration declares.
            (("id", "x.id"), ("given_on", "x.given_on"), ("direction", "x.direction"), ("item", "x.item"),
             ("counterpart", "x.counterpart"), ("occasion", "x.occasion"), ("value_amount", "x.value_amount"),
             ("value_currency", "x.value_currency"), ("disposition", "x.disposition"), ("visit_id", "x.visit_id"),
             ("visit_city", "c.name"), ("visit_start", "v.start_date"), ("visit_end", "v.end_date"), *stamps),
            f"FROM gift x {live_visit} WHERE x.deleted_at IS NULL ORDER BY x.given_on, v.start_date, x.rowid",
            {"disposition": _named(DISPOSITION_LABELS)},
        ),
        Sheet(
            "invitations.csv",
            (("id", "x.id"), ("start_date", "x.start_date"), ("end_date", "x.end_date"),
             ("direction", "x.direction"), ("event_name", "x.event_name"), ("host_city_id", "x.host_city_id"),
             ("host_city", "c.name"), ("rsvp_by", "x.rsvp_by"), ("status", "x.status"),
             ("party", "x.party"), ("notes", "x.notes"), *stamps),
            "FROM invitation x LEFT JOIN city c ON c.id = x.host_city_id WHERE x.deleted_at IS NULL "
            "ORDER BY x.start_date, x.id",
            {"host_city": lambda name: name if name is not None else home},
        ),
        Sheet(
            "outcomes.csv",
            (("id", "x.id"), ("happened_on", "x.happened_on"), ("area", "x.area"), ("programme", "x.programme"),
             ("city_id", "x.city_id"), ("city", "c.name"), ("title", "x.title"), ("description", "x.description"),
             ("partnership_id", "x.partnership_id"), ("visit_id", "x.visit_id"),
             ("invitation_id", "x.invitation_id"), *stamps),
            "FROM outcome x LEFT JOIN city c ON c.id = x.city_id WHERE x.deleted_at IS NULL "
            "ORDER BY x.happened_on, x.id",
            {"area": _named(areas), "programme": _named(programmes)},
        ),
        Sheet(
            "figures.csv",
            (("id", "x.id"), ("outcome_id", "x.outcome_id"), ("happened_on", "o.happened_on"),
             ("outcome", "o.title"), ("area", "o.area"), ("programme", "o.programme"), ("city", "c.name"),
             ("measure", "x.measure"), ("value", "x.value"), ("unit", "x.unit"), ("currency", "x.currency"),
             *stamps),
            "FROM figure x JOIN outcome o ON o.id = x.outcome_id AND o.deleted_at IS NULL "
            "LEFT JOIN city c ON c.id = o.city_id WHERE x.deleted_at IS NULL "
            "ORDER BY o.happened_on, x.outcome_id, x.id",
            {"area": _named(areas), "programme": _named(programmes), "measure": _named(measures)},
        ),
    ]
