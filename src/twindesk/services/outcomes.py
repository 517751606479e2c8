"""Outcomes: what a cooperation area achieved, with its measured figures.

An outcome belongs to one programme of one cooperation area (the seed's
taxonomy), to a Korean city or a partnership, and optionally to the visit
or invitation it came from. Its figures are rows of their own (measure,
value, unit, currency); saving an outcome writes the outcome and all its
figures in one action, so undo takes them back together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from twindesk import registry, taxonomy
from twindesk.registry.fields import MEASURE_FIELD, TRADE_CURRENCY
from twindesk.registry.spec import FieldSpec
from twindesk.services import money
from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.money import check_amount, check_currency
from twindesk.services.records import RecordService
from twindesk.services.validation import Checker
from twindesk.text import clean, number

__all__ = ["MEASURE_FIELD", "FigureDetail", "OutcomeDetail", "OutcomeQuery", "OutcomeService", "measure_name"]

TRADE = "trade_value"
LINKS = ("partnership_id", "visit_id", "invitation_id")  # set by where the outcome was logged from
CUSTOM_LINE = re.compile(r"\s*(?P<name>[^:=]+?)\s*[:=]\s*(?P<value>-?[\d.,]+)\s*(?P<unit>.*)$")
MAX_CUSTOM = 20
MAX_CUSTOM_NAME = 60
MAX_CUSTOM_UNIT = 30


@dataclass(frozen=True)
class FigureDetail:
    measure: str  # a seed measure key, or a custom measure's name
    name: str
    value: float
    unit: str
    currency: str

    @property
    def shown(self) -> str:
        return money.figure(self.value, self.currency or self.unit)


@dataclass(frozen=True)
class OutcomeDetail:
    id: str
    area: str
    area_name: str
    programme: str
    programme_name: str
    city_id: str | None
    city: str
    partnership_id: str | None
    visit_id: str | None
    invitation_id: str | None
    happened_on: dt.date
    title: str
    description: str
    figures: tuple[FigureDetail, ...]


def measure_name(key: str) -> str:
    """A seed measure's name; a custom measure is named by its key."""
    return taxonomy.load().measure_names.get(key, key)


class OutcomeQuery(PagedQuery):
    columns = (
        Column("date", "Date", 10, "o.happened_on"),
        Column("area", "Area", 10, "o.area"),
        Column("programme", "Programme", 22, "o.programme"),
        Column("city", "City", 10, "c.name COLLATE NOCASE"),
        Column("title", "Title", 28, "o.title COLLATE NOCASE"),
        Column("figures", "Figures", 20),
    )
    base_sql = "FROM outcome o LEFT JOIN city c ON c.id = o.city_id WHERE o.deleted_at IS NULL"
    search_columns = ("o.search", "c.search")
    select_sql = """o.id, o.happened_on, o.area, o.programme, o.title, c.name AS city,
        (SELECT group_concat(f.measure || ' ' || f.value, ', ') FROM figure f
         WHERE f.outcome_id = o.id AND f.deleted_at IS NULL) AS figures"""
    # rowid breaks ties: (happened_on, rowid) is then exactly the live-date
    # index, and a page in date order needs no sort.
    id_sql = "o.rowid"
    alias = "o."
    table = "outcome"
    fts = "outcome_fts"
    dated = True
    city_column = "o.city_id"
    walk_index = "ix_outcome_live_happened"

    def __init__(self, reader: Any) -> None:
        super().__init__(reader)
        self.sort = 0
        self.descending = True  # newest first
        self.quick: str | None = None  # an area key
        tax = taxonomy.load()
        self._areas = {a.key: a.name.split()[0] for a in tax.areas}
        self._programmes = {p.key: p.name for a in tax.areas for p in a.programmes}

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        return (["o.area = ?"], [self.quick]) if self.quick else ([], [])

    def to_row(self, r: Any) -> Row:
        figures = ", ".join(
            f"{measure_name(part.rsplit(' ', 1)[0])} {number(float(part.rsplit(' ', 1)[1]))}"
            for part in (r["figures"] or "").split(", ")
            if part
        )
        return Row(
            r["id"],
            (r["happened_on"], self._areas.get(r["area"], r["area"]),
             self._programmes.get(r["programme"], r["programme"]), r["city"] or "", r["title"], figures),
            label=r["title"],
        )


class OutcomeService(RecordService):
    kind_key = "outcome"

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        """As for every record, but the programme by its name ("Exchange programs for
        professionals and sharing of technology"), not its key ("professional_exchange")."""
        lines = super().detail_lines(row)
        programme = taxonomy.load().programme(row["area"], row["programme"])
        label = next((spec.label for spec in self.fields if spec.name == "programme"), "Programme")
        return [(name, programme.name if name == label and programme else value) for name, value in lines]

    def query(self) -> OutcomeQuery:
        return OutcomeQuery(self.desk.reader)

    def get(self, outcome_id: str) -> OutcomeDetail | None:
        r = self.desk.reader().execute(
            "SELECT o.*, c.name AS city FROM outcome o LEFT JOIN city c ON c.id = o.city_id "
            "WHERE o.id = ? AND o.deleted_at IS NULL",
            (outcome_id,),
        ).fetchone()
        if r is None:
            return None
        tax = taxonomy.load()
        area = tax.area(r["area"])
        programme = tax.programme(r["area"], r["programme"])
        return OutcomeDetail(
            id=r["id"],
            area=r["area"],
            area_name=area.name if area else r["area"],
            programme=r["programme"],
            programme_name=programme.name if programme else r["programme"],
            city_id=r["city_id"],
            city=r["city"] or "",
            partnership_id=r["partnership_id"],
            visit_id=r["visit_id"],
            invitation_id=r["invitation_id"],
            happened_on=dt.date.fromisoformat(r["happened_on"]),
            title=r["title"],
            description=r["description"],
            figures=self.figures(outcome_id),
        )

    def figures(self, outcome_id: str) -> tuple[FigureDetail, ...]:
        rows = self.desk.reader().execute(
            "SELECT measure, value, unit, currency FROM figure WHERE outcome_id = ? AND deleted_at IS NULL "
            "ORDER BY rowid",
            (outcome_id,),
        ).fetchall()
        return tuple(FigureDetail(f["measure"], measure_name(f["measure"]), f["value"], f["unit"], f["currency"])
                     for f in rows)

    def form_values(self, record_id: str | None, initial: dict[str, Any] | None = None) -> dict[str, Any]:
        if record_id is None:
            return {"happened_on": self.today().isoformat(), **(initial or {})}
        return super().form_values(record_id, initial)

    def stored_values(self, row: Any) -> dict[str, Any]:
        values = super().stored_values(row)
        if row["partnership_id"]:
            values["city"] = self.desk.cities.name_of(row["city_id"])
        seed_keys = {m.key for m in taxonomy.load().measures}
        custom = []
        for figure in self.figures(row["id"]):
            amount = f"{figure.value:.2f}".rstrip("0").rstrip(".")
            if figure.measure in seed_keys:
                values[MEASURE_FIELD + figure.measure] = amount
                if figure.measure == TRADE:
                    values[TRADE_CURRENCY] = figure.currency
            else:
                custom.append(f"{figure.measure}: {amount} {figure.unit}".rstrip())
        values["custom"] = "\n".join(custom)
        return values

    def form_follow(self) -> dict[str, tuple[str, Any]]:
        return {"area": ("programme", self.programme_choices)}

    def programme_choices(self, area_key: str) -> tuple[tuple[str, str], ...]:
        area = taxonomy.load().area(area_key)
        return tuple((p.name, p.key) for p in area.programmes) if area else ()

    # Validation -------------------------------------------------------------
    def _city(self, check: Checker, spec: FieldSpec, typed: str) -> str | None:
        return None  # decided in rules: a partnership names the city itself

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        tax = taxonomy.load()
        area_key, programme_key = out["area"], out["programme"]
        area = tax.area(area_key)
        if area is None:
            check.fail("area", "Choose the cooperation area this outcome belongs to.")
        if not programme_key:
            check.fail("programme", "Choose one of the area's programmes.")
        elif area is not None and tax.programme(area_key, programme_key) is None:
            owner = next((a for a in tax.areas if tax.programme(a.key, programme_key)), None)
            where = f" It belongs to {owner.name}." if owner else ""
            check.fail("programme", f"That programme is not one of {area.name}'s.{where}")
        out["city_id"], out["partnership_id"] = self._city_or_partnership(check, values)
        for column in ("visit_id", "invitation_id"):
            out[column] = self._link(check, column, out[column])
        out["figures"] = self._check_figures(check, values)

    def _city_or_partnership(self, check: Checker, values: dict[str, Any]) -> tuple[str | None, str | None]:
        partnership_id = values.get("partnership_id") or None
        if partnership_id:
            row = self.desk.reader().execute(
                "SELECT city_id FROM partnership WHERE id = ? AND deleted_at IS NULL", (partnership_id,)
            ).fetchone()
            if row is None:
                check.fail("partnership_id", "The partnership this outcome was logged for no longer exists.")
                return None, None
            return row["city_id"], partnership_id
        typed = (values.get("city") or "").strip()
        if not typed:
            check.fail("city", "Name the Korean city (or choose a partnership) this outcome is about.")
            return None, None
        return self.city(check, "city", typed), None

    def _link(self, check: Checker, column: str, record_id: str | None) -> str | None:
        if not record_id:
            return None
        table = column.removesuffix("_id")
        row = self.desk.reader().execute(
            f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL", (record_id,)
        ).fetchone()
        if row is None:
            check.fail(column, f"The {registry.kind(table).noun} this outcome came from no longer exists.")
            return None
        return record_id

    def also_written(self, changed: list[str]) -> set[str]:
        # The city follows the partnership, and a partnership follows the city typed.
        return {"city_id", "partnership_id"} if {"city", "partnership_id"} & set(changed) else set()

    def _check_figures(self, check: Checker, values: dict[str, Any]) -> list[dict[str, Any]]:
        figures = []
        for measure in taxonomy.load().measures:
            field = MEASURE_FIELD + measure.key
            amount = check_amount(check, field, values.get(field, ""), label=measure.name)
            if not amount:
                continue
            currency = ""
            if measure.currency:
                currency = check_currency(check, TRADE_CURRENCY, values.get(TRADE_CURRENCY, ""), needed=True,
                                          what="the trade value")
            figures.append({"measure": measure.key, "value": float(amount), "unit": measure.unit,
                            "currency": currency})
        if not values.get(MEASURE_FIELD + TRADE) and (values.get(TRADE_CURRENCY) or "").strip():
            check.fail(MEASURE_FIELD + TRADE, "A currency was given but no trade value.")
        figures.extend(self._custom(check, values.get("custom", "")))
        return figures

    def _custom(self, check: Checker, text: str) -> list[dict[str, Any]]:
        measures = taxonomy.load().measures
        seed_keys = {m.key for m in measures} | {m.name.casefold() for m in measures}
        out: list[dict[str, Any]] = []
        lines = [line for line in clean(text or "", multiline=True).splitlines() if line.strip()]
        if len(lines) > MAX_CUSTOM:
            check.fail("custom", f"At most {MAX_CUSTOM} custom measures.")
            return out
        for line in lines:
            match = CUSTOM_LINE.fullmatch(line)
            if match is None:
                check.fail("custom", f"“{line[:30]}”: write each custom measure as  name: number unit.")
                continue
            name, unit = match["name"].strip(), match["unit"].strip()
            # Refused rather than cut: a measure saved under a shortened name or unit would not be the one typed.
            if len(name) > MAX_CUSTOM_NAME:
                check.fail("custom", f"“{name[:30]}…”: a measure's name is at most {MAX_CUSTOM_NAME} characters.")
                continue
            if len(unit) > MAX_CUSTOM_UNIT:
                check.fail("custom", f"“{unit[:30]}…”: a unit is at most {MAX_CUSTOM_UNIT} characters.")
                continue
            amount = check_amount(check, "custom", match["value"], label=name)
            if name.casefold() in seed_keys:
                check.fail("custom", f"“{name}” has its own field above.")
            elif amount:
                out.append({"measure": name, "value": float(amount), "unit": unit, "currency": ""})
        return out

    def describe(self, clean: dict[str, Any]) -> str:
        return str(clean.get("title", ""))

    # Writing: the outcome and its figures, one action -------------------------
    def after_save(
        self, session: Any, record: Any, before: dict[str, Any], writer: Any, extra: dict[str, Any]
    ) -> list[str]:
        from sqlmodel import select

        from twindesk.models import Figure

        wanted = {f["measure"]: f for f in extra["figures"]}
        changed: list[str] = []
        existing = session.exec(
            select(Figure).where(Figure.outcome_id == record.id, Figure.deleted_at.is_(None))  # type: ignore[union-attr]
        ).all()
        for figure in existing:
            new = wanted.pop(figure.measure, None)
            if new is None:
                writer.delete(figure)
                changed.append(figure.measure)
            elif writer.update(figure, {k: new[k] for k in ("value", "unit", "currency")}):
                changed.append(figure.measure)
        for new in wanted.values():
            writer.create(Figure(outcome_id=record.id, **new))
            changed.append(new["measure"])
        return changed


class FigureService(RecordService):
    """An outcome's measured figures; written only through the outcome's saves."""

    kind_key = "figure"
    order_sql = "rowid"

    def child_row(self, r: Any, columns: tuple[str, ...]) -> Row:
        shown = FigureDetail(r["measure"], measure_name(r["measure"]), r["value"], r["unit"], r["currency"])
        return Row(r["id"], (shown.name, shown.shown), label=shown.name)

    def describe(self, clean: dict[str, Any]) -> str:
        return measure_name(str(clean.get("measure", "")))
