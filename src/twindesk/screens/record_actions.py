"""What every record kind's screens do the same way: edit, delete, history.

One form controller for every kind: the fields come from the registry,
the values and the save from the kind's service. Writes run off the UI
thread; their failures become messages, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.app import App

from twindesk import registry
from twindesk.services.money import suggest_currency
from twindesk.services.records import Saved
from twindesk.services.visit_parts import suggest_role
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.form import FormScreen

if TYPE_CHECKING:
    from twindesk.screens.base import DeskApp
    from twindesk.services.desk import Desk


def _desk(app: App[Any]) -> Desk:
    desk: Desk | None = getattr(app, "desk", None)
    assert desk is not None
    return desk


def _twindesk(app: App[Any]) -> DeskApp:
    return cast("DeskApp", app)


def edit_record(
    app: App[Any],
    kind_key: str,
    record_id: str | None = None,
    *,
    initial: dict[str, Any] | None = None,
    title: str = "",
    on_saved: Callable[[Saved], None] | None = None,
) -> None:
    """Open the form of a record of `kind_key`: a new one (`initial`
    pre-fills it) or an edit of `record_id`."""
    desk = _desk(app)
    if desk.read_only:
        app.notify(f"{desk.store.path.name} is open read-only: nothing can be changed.", severity="warning")
        return
    kind = registry.kind(kind_key)
    service = desk.service(kind_key)
    if record_id is not None and not service.exists(record_id):
        app.notify(f"That {kind.noun} no longer exists.", severity="warning")
        return
    values = service.form_values(record_id, initial)

    def save(typed: dict[str, Any], base: dict[str, Any]) -> Saved:
        return service.update(record_id, typed, base) if record_id else service.create(typed)

    def check(typed: dict[str, Any]) -> object:
        return service.validate(typed, record_id)

    def saved(result: object) -> None:
        if not isinstance(result, Saved):
            return
        app.notify(f"{kind.noun.capitalize()} saved." if result.changed else "Nothing changed.", timeout=3)
        for warning in result.warnings:
            app.notify(warning, severity="warning", markup=False, timeout=8)
        _twindesk(app).refresh_data()
        if on_saved is not None:
            on_saved(result)

    follow = service.form_follow()
    if not title:
        row = service.row(record_id)
        title = f"Edit {kind.noun}: {service.describe(dict(row))}" if row is not None else f"New {kind.noun}"
    screen = FormScreen(
        title,
        [spec for spec in service.fields if spec.name in values or spec.type != "hidden"],
        values,
        save=save,
        check=check,
        suggest={"city": desk.cities.suggest, "currency": suggest_currency, "role": suggest_role},
        choices={target: choose(values.get(source, "")) for source, (target, choose) in follow.items()},
        follow=follow,
        city_name=desk.cities.name_of,
    )
    app.push_screen(screen, saved)


def delete_record(app: App[Any], kind_key: str, record_id: str, name: str) -> None:
    """Ask, then delete (undoable), say so, and refresh."""
    desk = _desk(app)
    kind = registry.kind(kind_key)
    if desk.read_only:
        app.notify(f"{desk.store.path.name} is open read-only: nothing can be deleted.", severity="warning")
        return
    if not kind.can_delete:
        app.notify(f"A {kind.noun} is not deleted on its own.", severity="warning")
        return
    service = desk.service(kind_key)

    def deleted(shown: str) -> None:
        app.notify(f"Deleted {kind.noun} {shown}. ctrl+z brings it back.", markup=False)
        _twindesk(app).refresh_data()

    def answered(yes: bool | None) -> None:
        if yes:
            _twindesk(app).in_background(lambda: service.delete(record_id), deleted, f"deleting the {kind.noun}")

    question = f"Delete this {kind.noun}: {name}?  ctrl+z undoes it."
    app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)


def show_history(app: App[Any], record_id: str, name: str) -> None:
    from twindesk.screens.history import HistoryScreen

    app.push_screen(HistoryScreen(record_id, name))
