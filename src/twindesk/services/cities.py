"""The Korean city directory: listing, facets, detail and edits."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker, is_hangul
from twindesk.text import clean, fold


@dataclass(frozen=True)
class CityDetail:
    id: str
    name: str
    hangul: str
    province: str
    kind: str
    industries: tuple[str, ...]
    romanisations: tuple[str, ...]
    notes: str
    seeded: bool
    updated_at: dt.datetime


@dataclass(frozen=True)
class Facet:
    name: str
    count: int


@dataclass(frozen=True)
class CityChoice:
    id: str
    name: str
    hangul: str


class CityQuery(PagedQuery):
    columns = (
        Column("name", "City", 12, "name COLLATE NOCASE"),
        Column("hangul", "한글", 6, "hangul"),
        Column("province", "Province", 26, "province COLLATE NOCASE"),
        Column("industries", "Industries", 40),
    )
    base_sql = "FROM city WHERE deleted_at IS NULL"
    search_columns = ("search",)
    select_sql = "id, name, hangul, province, industries"

    def __init__(self, reader: Any) -> None:
        super().__init__(reader)
        self.industry: str | None = None

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        if self.industry is None:
            return [], []
        return ["EXISTS (SELECT 1 FROM json_each(city.industries) WHERE value = ?)"], [self.industry]

    def to_row(self, r: Any) -> Row:
        return Row(r["id"], (r["name"], r["hangul"], r["province"], ", ".join(json.loads(r["industries"]))),
                   label=r["name"])


def _detail(r: Any) -> CityDetail:
    return CityDetail(
        id=r["id"],
        name=r["name"],
        hangul=r["hangul"],
        province=r["province"],
        kind=r["kind"],
        industries=tuple(json.loads(r["industries"])),
        romanisations=tuple(json.loads(r["romanisations"])),
        notes=r["notes"],
        seeded=r["seed_key"] is not None,
        updated_at=dt.datetime.fromisoformat(r["updated_at"]),
    )


class CityService(RecordService):
    kind_key = "city"

    def query(self) -> CityQuery:
        return CityQuery(self.desk.reader)

    def facets(self) -> list[Facet]:
        rows = self.desk.reader().execute(
            """SELECT j.value AS name, count(*) AS n FROM city, json_each(city.industries) j
               WHERE city.deleted_at IS NULL GROUP BY j.value ORDER BY n DESC, j.value COLLATE NOCASE"""
        )
        return [Facet(r["name"], r["n"]) for r in rows]

    def get(self, city_id: str) -> CityDetail | None:
        row = self.row(city_id)
        return _detail(row) if row else None

    def choices(self, text: str = "", limit: int = 50) -> list[CityChoice]:
        query = self.query()
        query.text = text
        return [CityChoice(r.id, r.cells[0], r.cells[1]) for r in query.fetch(0, limit)]

    def resolve(self, typed: str) -> CityChoice | None:
        """The one city whose English name, Hangul or older spelling is `typed`."""
        key = fold(clean(typed)).strip()
        if not key:
            return None
        for row in self.desk.reader().execute(
            "SELECT id, name, hangul, romanisations FROM city WHERE deleted_at IS NULL"
        ):
            spellings = [row["name"], row["hangul"], *json.loads(row["romanisations"])]
            if key in (fold(s) for s in spellings):
                return CityChoice(row["id"], row["name"], row["hangul"])
        return None

    def suggest(self, prefix: str) -> str | None:
        """Type-ahead: the first city whose English name, Hangul name or older
        spelling starts with `prefix` ("Pus" completes to "Pusan", which
        `resolve` accepts as Busan)."""
        prefix = clean(prefix)
        if not prefix.strip():
            return None
        rows = self.desk.reader().execute(
            "SELECT name, hangul, romanisations FROM city WHERE deleted_at IS NULL ORDER BY name"
        ).fetchall()
        key = prefix.casefold()
        for spellings in (lambda r: [r["name"]], lambda r: [r["hangul"], *json.loads(r["romanisations"])]):
            for row in rows:
                for spelling in spellings(row):
                    if spelling.casefold().startswith(key):
                        return prefix + spelling[len(prefix):]
        return None

    def name_of(self, city_id: str | None) -> str:
        if city_id is None:
            return ""
        row = self.desk.reader().execute("SELECT name FROM city WHERE id = ?", (city_id,)).fetchone()
        return row["name"] if row else ""

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        if out["hangul"] and not is_hangul(out["hangul"]):
            check.fail("hangul", "Write the Hangul name in Hangul letters only, e.g. 부산.")

    def heading(self, row: Any) -> str:
        return f"{row['name']}  {row['hangul']}".strip()

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        lines = [line for line in super().detail_lines(row) if line[0] != "English name"]
        updated = dt.datetime.fromisoformat(row["updated_at"])
        return [*lines, ("Updated", updated.strftime("%Y-%m-%d %H:%M UTC"))]

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("name", ""))
