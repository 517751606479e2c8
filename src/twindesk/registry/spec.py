"""The shapes of the registry: a record kind, its fields, its sections.

Plain frozen dataclasses and strings, no Textual and no SQLModel: the app
reads them for its keys before anything heavy is imported, and the sync
engine, the CSV export and the search index read them without a terminal.
Screens and models are named by import path ("module:Name") and loaded
when first needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Literal

FieldType = Literal[
    "text",  # one line
    "notes",  # several lines
    "date",  # YYYY-MM-DD
    "time",  # HH:MM
    "choice",  # one of `choices`
    "multi",  # several of `choices`, kept in the choices' order
    "items",  # a list typed as "a, b, c"
    "city",  # a Korean city typed by name; stored as its id
    "amount",  # an exact decimal, stored as text
    "currency",  # an ISO 4217 code
    "hidden",  # set by where the form was opened from, never typed
]

Choices = tuple[tuple[str, str], ...]  # (label, value)


@dataclass(frozen=True)
class FieldSpec:
    """One field as the form shows it and the service checks it.

    `column` is where the value is stored when that is not `name` ("city"
    is typed, "city_id" is stored); "" for a field that is no column of its
    own (an outcome's figures, the date of a stage change).
    """

    name: str
    label: str
    type: FieldType = "text"
    column: str | None = None
    required: bool = False
    max_len: int = 200
    max_items: int = 30
    choices: Choices | Callable[[], Choices] = ()
    placeholder: str = ""
    hint: str = ""
    suggest: str = ""  # "city", "currency" or "role": type-ahead completion
    protected: bool = False  # a clash in sync marks the record "in conflict"

    @property
    def stored_as(self) -> str:
        return self.name if self.column is None else self.column

    def options(self) -> Choices:
        return self.choices() if callable(self.choices) else self.choices


@dataclass(frozen=True)
class Section:
    """A part of a record's detail screen: its child rows or linked records.

    Lists the records of `kind` whose column `link` holds this record's
    column `via` (its id, by default; an outcome lists the visit it came
    from with link="id", via="visit_id"). `add_key` adds one.
    """

    kind: str
    link: str
    title: str
    add_key: str | None = None
    columns: tuple[str, ...] = ()  # columns of the listed kind (kinds with a list show its columns)
    via: str = "id"


@dataclass(frozen=True)
class QuickFilter:
    key: str
    label: str
    name: str


@dataclass(frozen=True)
class RecordKind:
    """Everything about one kind of record, declared once.

    `key` is the table name (and the entity name in the change log and in
    sync). A kind with a `mode` has a screen of its own, one key away.
    """

    key: str
    noun: str
    plural: str
    model: str  # "twindesk.models:Visit"
    service: str  # the Desk's attribute
    fields: tuple[FieldSpec, ...] | Callable[[], tuple[FieldSpec, ...]] = ()
    parent: tuple[str, str] | None = None  # (column, kind) of the record this one belongs to
    links: tuple[tuple[str, str], ...] = ()  # (column, kind) of records this one points to
    # Screens -----------------------------------------------------------------
    mode: str = ""  # "" for a kind reached only through its parent
    key_binding: str = ""
    title: str = ""
    help: str = ""
    list_screen: str = ""  # "twindesk.screens.visits:VisitListScreen"
    filter_hint: str = "Filter"
    empty_text: str = "Nothing here yet: press n to add one."
    quick: tuple[QuickFilter, ...] = ()
    sections: tuple[Section, ...] = ()
    can_add: bool = True  # from its own list (a gift is added from its visit)
    can_delete: bool = True
    editable: bool = True  # a stage change or a figure is written only through its parent's form
    # Other readers ------------------------------------------------------------
    palette: str = ""  # the palette's category ("Visit"); "" keeps it out
    city_column: str = ""  # the column naming the Korean city (the city detail lists the kind)
    csv: str = ""  # the CSV file name; "" for none
    search: str = ""  # "module:function" building the stored search line
    duplicate: str = ""  # "module:function" telling concurrent creates of one thing apart
    extra: dict[str, Any] = field(default_factory=dict)

    def field_specs(self) -> tuple[FieldSpec, ...]:
        return self.fields() if callable(self.fields) else self.fields

    def spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.field_specs() if f.name == name), None)

    @property
    def protected_columns(self) -> frozenset[str]:
        return frozenset(f.stored_as for f in self.field_specs() if f.protected and f.stored_as)

    def label_of(self, column: str) -> str:
        """The label people know a stored column by (history, conflicts)."""
        for spec in self.field_specs():
            if spec.stored_as == column or spec.name == column:
                return spec.label
        return COMMON_LABELS.get(column, column.replace("_", " ").capitalize())


COMMON_LABELS = {
    "deleted_at": "Deleted",
    "created_at": "Created",
    "updated_at": "Updated",
    "@created": "Created",
}


def load(path: str) -> Any:
    """The object a "module:Name" path names."""
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)
