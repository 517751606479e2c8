"""What every record service shares: validated create, update and delete,
each one action in the change log (and so undoable)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from twindesk.services.validation import Checker


class RecordService:
    """Subclasses name their table and label, and validate a form's values.

    `validate(values)` returns clean column values or raises Invalid; it
    never writes. `describe(clean)` names the record in the change log.
    """

    table = ""
    label = ""
    # Validated form values that are not columns of the table (e.g. an
    # outcome's figures): popped before the row is built, handed to after_save.
    extra_fields: tuple[str, ...] = ()
    # (column, table): records this one points to, which must still be live
    # when it is written (checked again inside the write transaction, where
    # no other window can delete them meanwhile).
    parents: tuple[tuple[str, str], ...] = ()

    def __init__(self, desk: Any) -> None:
        self.desk = desk

    # To override ----------------------------------------------------------
    def validate(self, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self, clean: dict[str, Any]) -> str:
        return self.label

    # Shared ---------------------------------------------------------------
    def model(self) -> type:
        from twindesk.models import RECORD_TYPES

        return RECORD_TYPES[self.table]

    def checker(self) -> Checker:
        return Checker()

    def city(self, check: Checker, field: str, typed: str, *, label: str = "Korean city") -> str | None:
        """The id of the city typed (English, Hangul or an older spelling)."""
        typed = (typed or "").strip()
        if not typed:
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

    def today(self) -> dt.date:
        return self.desk.today()

    def _split(self, clean: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        extra = {name: clean.pop(name) for name in self.extra_fields if name in clean}
        return clean, extra

    def create(self, values: dict[str, Any]) -> str:
        clean, extra = self._split(self.validate(values))
        with self.desk.write() as session:
            self.before_write(session, clean, None)
            record = self.model()(**clean)
            writer = self.desk.changes(session, f"Add {self.label} {self.describe(clean)}")
            writer.create(record)
            self.after_save(session, record, {}, writer, extra)
            return record.id

    def update(self, record_id: str, values: dict[str, Any]) -> list[str]:
        clean, extra = self._split(self.validate(values, record_id))
        with self.desk.write() as session:
            self.before_write(session, clean, record_id)
            record = self._live(session, record_id)
            before = {name: getattr(record, name) for name in clean}
            writer = self.desk.changes(session, f"Edit {self.label} {self.describe(clean)}")
            changed = writer.update(record, clean)
            changed += self.after_save(session, record, before, writer, extra)
            return changed

    def delete(self, record_id: str) -> str:
        with self.desk.write() as session:
            record = self._live(session, record_id)
            name = self.describe({k: getattr(record, k) for k in record.__table__.c.keys()})  # noqa: SIM118
            self.desk.changes(session, f"Delete {self.label} {name}").delete(record)
            return name

    def before_write(self, session: Any, clean: dict[str, Any], record_id: str | None) -> None:
        """Checks that must hold inside the write transaction (raise Invalid
        or LookupError); subclasses that add their own call this too."""
        run = session.connection().exec_driver_sql
        for column, table in self.parents:
            ident = clean.get(column)
            if ident and run(f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL", (ident,)).first() is None:
                raise LookupError(f"The {table} this {self.label} belongs to was just deleted (in another window?).")

    def after_save(
        self, session: Any, record: Any, before: dict[str, Any], writer: Any, extra: dict[str, Any]
    ) -> list[str]:
        """Write dependent rows in the same action (e.g. an outcome's figures);
        returns the names of what changed, for the caller's report."""
        return []

    def for_city(self, city_id: str, limit: int = 50) -> list[Any]:
        """This record type's rows for one city (the city detail lists them)."""
        query = self.query()  # type: ignore[attr-defined]
        query.city_id = city_id
        return query.fetch(0, limit)

    def _live(self, session: Any, record_id: str) -> Any:
        record = session.get(self.model(), record_id)
        if record is None or record.deleted_at is not None:
            raise LookupError(f"This {self.label} no longer exists (deleted elsewhere?).")
        return record
