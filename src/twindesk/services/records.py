"""What every record service shares: the one form API.

- `form_values(id, initial)`: what a form opens with (its base).
- `validate(values, id)`: clean column values, or Invalid with one message
  per field; it never writes.
- `create(values)` / `update(id, values, base)`: one action in the change
  log each, returning a `Saved` with the warnings to show.

An update is applied against its base: only the fields the user changed
are written, and a field that someone else changed since the form opened
(another window, a sync) stops the save with a `Conflict` that names it,
instead of being overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twindesk import registry
from twindesk.registry.spec import FieldSpec, RecordKind
from twindesk.services.fields import check_field, same, shown, to_form
from twindesk.services.validation import Checker, Conflict

if TYPE_CHECKING:
    import sqlite3

    from twindesk.services.changelog import ChangeWriter
    from twindesk.services.desk import Desk
    from twindesk.services.listing import PagedQuery, Row


@dataclass(frozen=True)
class Saved:
    id: str
    changed: tuple[str, ...] = ()  # the form fields written
    warnings: tuple[str, ...] = ()  # to show once saved (overlaps, items outside new dates)


SECTION_ROWS = 50  # a detail screen shows this many of a section's rows (its table shows ~10 at a time)


@dataclass(frozen=True)
class SectionRows:
    headers: tuple[str, ...]
    rows: list[Row]
    total: int  # live rows in all; more than len(rows) when the section is cut


class RecordService:
    """A subclass names its registry kind and adds its own rules."""

    kind_key = ""
    defaults: dict[str, Any] = {}  # a new record's form values
    order_sql = "created_at"  # how rows_for lists children

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # The kind ---------------------------------------------------------------
    @property
    def kind(self) -> RecordKind:
        return registry.kind(self.kind_key)

    @property
    def table(self) -> str:
        return self.kind.key

    @property
    def label(self) -> str:
        return self.kind.noun

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self.kind.field_specs()

    def model(self) -> Any:
        return registry.load(self.kind.model)

    def today(self) -> dt.date:
        return self.desk.today()

    # Reading ----------------------------------------------------------------
    def row(self, record_id: str | None) -> sqlite3.Row | None:
        if not record_id:
            return None
        return self.desk.reader().execute(
            f"SELECT * FROM {self.table} WHERE id = ? AND deleted_at IS NULL", (record_id,)
        ).fetchone()

    def exists(self, record_id: str | None) -> bool:
        return self.row(record_id) is not None

    def form_values(self, record_id: str | None, initial: dict[str, Any] | None = None) -> dict[str, Any]:
        """The values a form opens with: the record as stored (or a new
        record's defaults), then `initial` over them."""
        row = self.row(record_id)
        values = dict(self.defaults) if row is None else self.stored_values(row)
        values.update(initial or {})
        return values

    def stored_values(self, row: Any) -> dict[str, Any]:
        keys = row.keys()
        out: dict[str, Any] = {}
        for spec in self.fields:
            column = spec.stored_as
            if column and column in keys:
                value = row[column]
                if spec.type in ("multi", "items") and isinstance(value, str):
                    value = json.loads(value)
                out[spec.name] = to_form(spec, value, self.desk.cities.name_of)
        return out

    def rows_for(self, column: str, value: str, limit: int = 200, columns: tuple[str, ...] = (),
                 newest_first: bool = False) -> list[Row]:
        """This kind's live rows whose `column` is `value` (a section of a
        detail screen): through its list query when the kind has one (in its
        list's order, or reversed), else the `columns` named, in `order_sql`."""
        if self._listed():
            query = self.query()
            query.link = (column, value)
            query.descending = newest_first
            return query.fetch(0, limit)
        if not column.isidentifier():
            raise ValueError(f"not a column: {column!r}")
        rows = self.desk.reader().execute(
            f"SELECT * FROM {self.table} WHERE {column} = ? AND deleted_at IS NULL "
            f"ORDER BY {self.order_sql}, rowid LIMIT ?",
            (value, limit),
        ).fetchall()
        return [self.child_row(r, columns) for r in rows]

    def _listed(self) -> bool:
        """Whether this kind has a list query of its own."""
        return type(self).query is not RecordService.query

    def section(self, column: str, value: str | None, columns: tuple[str, ...] = ()) -> SectionRows:
        """A detail screen's section of this kind: its column titles, its
        first SECTION_ROWS rows (newest first when its list is by date: those
        can hold thousands) and how many there are in all."""
        if self._listed():
            query = self.query()
            headers, newest_first = tuple(c.title for c in query.columns), query.dated
        else:
            headers = tuple(self.kind.label_of(c) for c in columns)
            newest_first = False
        if not value:
            return SectionRows(headers, [], 0)
        rows = self.rows_for(column, value, SECTION_ROWS, columns, newest_first=newest_first)
        total = len(rows)
        if total == SECTION_ROWS:
            # The table alone, not the list's joins: a partial index of live rows
            # (ix_outcome_partnership_happened, ix_visit_city_end...) counts them by itself.
            total = self.desk.reader().execute(
                f"SELECT count(*) FROM {self.table} WHERE {column} = ? AND deleted_at IS NULL", (value,)
            ).fetchone()[0]
        return SectionRows(headers, rows, total)

    def child_row(self, r: Any, columns: tuple[str, ...]) -> Row:
        from twindesk.services.listing import Row

        specs = {s.stored_as: s for s in self.fields}
        cells = tuple(shown(specs.get(c), r[c], self.desk.cities.name_of) for c in columns)
        return Row(r["id"], cells, label=self.describe(dict(r)))

    def query(self) -> PagedQuery:
        raise NotImplementedError(f"{self.kind_key} has no list of its own")

    def form_follow(self) -> dict[str, tuple[str, Callable[[str], tuple[tuple[str, str], ...]]]]:
        """Choices that follow another field: {field: (dependent field, its choices for a value)}."""
        return {}

    def warnings(self, record_id: str) -> tuple[str, ...]:
        """What to tell the user once the record is saved."""
        return ()

    # Showing one record (its detail screen) ---------------------------------------
    def heading(self, row: Any) -> str:
        return self.describe(dict(row))

    def detail_lines(self, row: Any) -> list[tuple[str, str]]:
        """(label, value) lines of the detail screen, as a person reads them."""
        lines = []
        for spec in self.fields:
            column = spec.stored_as
            if column and spec.type not in ("hidden", "notes") and column in row.keys():
                lines.append((spec.label, shown(spec, row[column], self.desk.cities.name_of)))
        return lines

    def detail_notes(self, row: Any) -> list[tuple[str, str]]:
        return [(s.label, row[s.stored_as] or "") for s in self.fields if s.type == "notes" and s.stored_as]

    def detail_warnings(self, row: Any) -> list[str]:
        return []

    def child_initial(self, row: Any, child: str, link: str) -> dict[str, Any]:
        """What a new record added from this one's detail starts with."""
        if child == "outcome":
            return self.outcome_initial(row)
        return {link: row["id"]}

    def outcome_initial(self, row: Any) -> dict[str, Any]:
        """An outcome logged from this record: what it already knows."""
        column = self.kind.city_column
        return {"city": self.desk.cities.name_of(row[column])} if column and row[column] else {}

    # Validating -------------------------------------------------------------
    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        check = Checker()
        out: dict[str, Any] = {}
        for spec in self.fields:
            out[spec.stored_as or spec.name] = check_field(check, spec, values.get(spec.name), self._city)
        self.rules(check, out, values, record_id)
        check.done()
        return out

    def rules(self, check: Checker, out: dict[str, Any], values: dict[str, Any], record_id: str | None) -> None:
        """Rules across fields (an end before its start); record messages on `check`."""

    def _city(self, check: Checker, spec: FieldSpec, typed: str) -> str | None:
        return self.city(check, spec.name, typed, label=spec.label, required=spec.required)

    def city(self, check: Checker, field: str, typed: str, *, label: str = "Korean city",
             required: bool = True) -> str | None:
        """The id of the city typed (English, Hangul or an older spelling)."""
        typed = (typed or "").strip()
        if not typed:
            if required:
                check.fail(field, f"{label} is required: type a city of the directory, e.g. Busan.")
            return None
        found = self.desk.cities.resolve(typed)
        if found is None:
            check.fail(field, f"No city called “{typed[:40]}” in the directory.")
            return None
        return found.id

    @staticmethod
    def date_range(check: Checker, start: dt.date | None, end: dt.date | None, field: str = "end_date") -> None:
        if start and end and end < start:
            check.fail(field, f"The end ({end.isoformat()}) is before the start ({start.isoformat()}).")

    def describe(self, clean: dict[str, Any]) -> str:
        """How the change log names the record."""
        return self.label

    # Writing ----------------------------------------------------------------
    def create(self, values: dict[str, Any]) -> Saved:
        clean, extra = self._split(self.validate(values))
        with self.desk.write() as session:
            self.before_write(session, clean, None)
            record = self.model()(**clean)
            writer = self.desk.changes(session, f"Add {self.label} {self.describe(clean)}".rstrip())
            writer.create(record)
            self.after_save(session, record, {}, writer, extra)
            record_id: str = record.id
        return Saved(record_id, tuple(s.name for s in self.fields), self.warnings(record_id))

    def update(self, record_id: str, values: dict[str, Any], base: dict[str, Any] | None = None) -> Saved:
        """Write the fields of `values` that differ from `base` (the values
        the form was opened with; by default, what is stored now).

        Raises Conflict when a field the user changed was changed elsewhere
        since `base` to something else; Invalid when the result would break
        a rule; LookupError when the record is gone."""
        now = self._current(record_id)
        base = now if base is None else base
        specs = {s.name: s for s in self.fields}
        changed = [n for n in values if n in specs and not same(specs[n], values[n], base.get(n))]
        if not changed:
            return Saved(record_id)
        # Checked first without the write lock, so a bad value costs no wait.
        self.validate({**now, **{n: values[n] for n in changed}}, record_id)
        with self.desk.write() as session:
            now = self._current(record_id)  # under the lock: nobody writes meanwhile
            clashes = {
                n: (now.get(n), values[n]) for n in changed
                if not same(specs[n], now.get(n), base.get(n)) and not same(specs[n], now.get(n), values[n])
            }
            if clashes:
                raise Conflict(clashes, now)
            clean, extra = self._split(self.validate({**now, **{n: values[n] for n in changed}}, record_id))
            self.before_write(session, clean, record_id)
            record = self._live(session, record_id)
            columns = {specs[n].stored_as for n in changed if specs[n].stored_as} | self.also_written(changed)
            before = {name: getattr(record, name) for name in clean}
            writer = self.desk.changes(session, f"Edit {self.label} {self.describe(clean)}".rstrip())
            # In the order of the model's columns: the log reads the same every time.
            written = writer.update(record, {c: v for c, v in clean.items() if c in columns})
            dependents = self.after_save(session, record, before, writer, extra)
        # What really changed: "12500" typed over "12500.00" changed nothing.
        shown = tuple(n for n in changed if specs[n].stored_as in written or (not specs[n].stored_as and dependents))
        return Saved(record_id, shown, self.warnings(record_id))

    def also_written(self, changed: list[str]) -> set[str]:
        """Columns that follow from changed fields (an outcome's city follows its partnership)."""
        return set()

    def _current(self, record_id: str) -> dict[str, Any]:
        row = self.row(record_id)
        if row is None:
            raise LookupError(f"This {self.label} no longer exists (deleted elsewhere?).")
        return self.form_values(record_id)

    def delete(self, record_id: str) -> str:
        with self.desk.write() as session:
            record = self._live(session, record_id)
            name = self.describe({k: getattr(record, k) for k in record.__table__.c.keys()})
            self.desk.changes(session, f"Delete {self.label} {name}".rstrip()).delete(record)
            return name

    def _split(self, clean: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Column values, and the rest (an outcome's figures, a stage date)."""
        columns = set(self.model().__table__.c.keys())
        extra = {k: clean.pop(k) for k in list(clean) if k not in columns}
        return clean, extra

    def before_write(self, session: Any, clean: dict[str, Any], record_id: str | None) -> None:
        """Checks that must hold inside the write transaction: the records
        this one points to are still live (another window may have deleted
        one since the form was checked)."""
        run = session.connection().exec_driver_sql
        kind = self.kind
        links = ((kind.parent,) if kind.parent else ()) + kind.links
        for column, table in links:
            ident = clean.get(column)
            if ident and run(f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL", (ident,)).first() is None:
                noun = registry.kind(table).noun
                raise LookupError(f"The {noun} this {self.label} belongs to was just deleted (in another window?).")

    def after_save(
        self, session: Any, record: Any, before: dict[str, Any], writer: ChangeWriter, extra: dict[str, Any]
    ) -> list[str]:
        """Write dependent rows in the same action (an outcome's figures);
        returns the names of what changed."""
        return []

    def for_city(self, city_id: str, limit: int = 50) -> list[Row]:
        return self.rows_for(self.kind.city_column, city_id, limit)

    def _live(self, session: Any, record_id: str) -> Any:
        record = session.get(self.model(), record_id)
        if record is None or record.deleted_at is not None:
            raise LookupError(f"This {self.label} no longer exists (deleted elsewhere?).")
        return record

    def parent_row(self, values: dict[str, Any]) -> Any:
        """The live record this child belongs to, or LookupError."""
        assert self.kind.parent is not None
        column, table = self.kind.parent
        row = self.desk.reader().execute(
            f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NULL", (values.get(column) or "",)
        ).fetchone()
        if row is None:
            raise LookupError(f"This {registry.kind(table).noun} no longer exists (deleted elsewhere?).")
        return row
