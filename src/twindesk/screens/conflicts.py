"""The conflict queue: what sync could not settle alone, one item at a time.

For a field two copies changed differently it shows the value before, each
copy's value with who and when, and which one every copy shows meanwhile;
a number key keeps that value, `e` edits the record instead. A record
deleted on one copy and edited on another is kept (`k`) or deleted (`d`);
a possible duplicate is merged into the highlighted one (`m`) or kept
apart (`a`). Every choice is a change of its own: the next sync takes it
to every copy and clears the question there too.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Label, Static

from twindesk import registry
from twindesk.registry.spec import FieldSpec
from twindesk.screens.base import LiveScreen
from twindesk.screens.record_actions import edit_record
from twindesk.services.fields import shown
from twindesk.services.listing import Row
from twindesk.sync.conflicts import ConflictItem
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.row_table import RowTable

MAX_SHOWN = 200


def _value(value: Any, spec: FieldSpec | None = None, city_name: Any = None) -> str:
    """A value as people know it: a stage by its name, a city by its name."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if (spec is not None and spec.stored_as == spec.name) or (spec is not None and spec.type == "city"):
        return shown(spec, value, city_name or (lambda ident: ident or "")) or "(empty)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class ConflictScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"choose({n})", f"Keep {n}", show=n <= 2, id=f"conflicts.choose_{n}",
                  tooltip=f"Keep value {n} for this field, on every copy") for n in range(1, 10)],
        Binding("e", "edit", "Edit record", id="conflicts.edit", tooltip="Open the record's form to type a new value"),
        Binding("k", "keep", "Keep record", id="conflicts.keep", tooltip="Keep a record deleted on another copy"),
        Binding("d", "delete", "Delete record", id="conflicts.delete",
                tooltip="Delete a record that was deleted on another copy after all"),
        Binding("m", "merge", "Merge", id="conflicts.merge",
                tooltip="A possible duplicate: merge the other into this one (its rows move here)"),
        Binding("a", "apart", "Keep apart", id="conflicts.apart",
                tooltip="A possible duplicate: they are two things, do not ask again"),
        Binding("enter", "open", "Open record", show=False, id="conflicts.open"),
    ]
    DEFAULT_CSS = """
    ConflictScreen #queue { height: 1fr; max-height: 50%; }
    ConflictScreen #about { height: 1fr; padding: 1 2; border-top: solid $panel; }
    ConflictScreen #empty { padding: 1 2; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="empty", markup=False)
        yield RowTable(id="queue")
        with VerticalScroll(id="about"):
            yield Static(id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Sync conflicts"
        self.items: list[ConflictItem] = []
        self.show_records()
        self.query_one("#queue", RowTable).focus()

    def reload(self) -> None:
        self.items = self.desk.conflicts.items(MAX_SHOWN)
        table = self.query_one("#queue", RowTable)
        rows = [Row(self._key(item), (
            registry.kind(item.entity).noun.capitalize(), item.record, item.label,
            "in conflict" if item.protected or item.kind != "field" else "", item.detected_at.strftime("%Y-%m-%d"),
        )) for item in self.items]
        table.fill(("Record", "Name", "Question", "", "Found"), rows)
        table.display = bool(rows)
        empty = self.query_one("#empty", Label)
        empty.update("" if rows else "Nothing waits for you: every copy that synced agrees.")
        empty.display = not rows
        self.sub_title = f"{len(rows)} waiting" if rows else "none waiting"
        self._describe()

    @staticmethod
    def _key(item: ConflictItem) -> str:
        return f"{item.kind}\x1f{item.record_id}\x1f{item.field}"

    @property
    def current(self) -> ConflictItem | None:
        key = self.query_one("#queue", RowTable).current_key
        return next((i for i in self.items if self._key(i) == key), None)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._describe()

    # The footer offers only what the highlighted question takes.
    _FOR_KIND: ClassVar[dict[str, set[str]]] = {
        "field": {"choose", "edit"}, "deleted": {"keep", "delete"}, "duplicate": {"merge", "apart"}}
    _CHOICES: ClassVar[set[str]] = set().union(*_FOR_KIND.values())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self._CHOICES:
            return True
        item = self.current if self.is_mounted else None
        if item is None or action not in self._FOR_KIND[item.kind]:
            return False
        if action == "choose" and parameters:
            return int(str(parameters[0])) <= len(self._choices(item))
        return True

    def _describe(self) -> None:
        self.refresh_bindings()
        item = self.current
        detail = self.query_one("#detail", Static)
        if item is None:
            detail.update("")
            return
        noun = registry.kind(item.entity).noun
        lines: list[Content] = [Content.styled(f"{noun.capitalize()} “{item.record}”: {item.label}", "bold")]
        if item.kind == "field":
            spec = next((s for s in registry.kind(item.entity).field_specs() if s.stored_as == item.field), None)
            names = self.desk.cities.name_of

            def shown_value(value: Any) -> str:
                return _value(value, spec, names)

            lines.append(Content.assemble(Content.styled("Before:  ", "$text-muted"),
                                          Content(shown_value(item.base))))
            winner = max(item.heads, key=lambda h: (h.lamport, h.replica)).value if item.heads else None
            for n, value in enumerate(self._choices(item), start=1):
                same = json.dumps(value, sort_keys=True)
                who = [h for h in item.heads if json.dumps(h.value, sort_keys=True) == same]
                by = "; ".join(
                    f"{'this copy' if h.replica == self.desk.replica else 'copy ' + h.replica[:8]}"
                    f"{f', {h.at.astimezone():%Y-%m-%d %H:%M}' if h.at else ''}" for h in who)
                now = "   ← shown meanwhile, on every copy" if value == winner else ""
                lines.append(Content.assemble(Content.styled(f"{n}  ", "bold $accent"), Content(shown_value(value)),
                                              Content.styled(f"   ({by}){now}", "$text-muted")))
            lines.append(Content.styled("Press a value's number to keep it everywhere, or e to type a new one.",
                                        "$text-muted"))
        elif item.kind == "deleted":
            lines.append(Content("It was deleted on one copy while another changed it. It is kept until you "
                                 "choose: k keeps it, d deletes it."))
        else:
            other = self.desk.service(item.entity).row(item.field)
            other_name = self.desk.service(item.entity).describe(dict(other)) if other else item.field[:8]
            lines.append(Content(f"Made on two copies, each without the other: “{item.record}” and “{other_name}”. "
                                 "m merges the second into the first (its rows move over, it is deleted); "
                                 "a keeps both."))
        self.query_one("#detail", Static).update(Content("\n").join(lines))

    @staticmethod
    def _choices(item: ConflictItem) -> list[Any]:
        seen: dict[str, Any] = {}
        for head in item.heads:
            seen.setdefault(json.dumps(head.value, sort_keys=True), head.value)
        return list(seen.values())

    # Choices ------------------------------------------------------------------
    def _do(self, kind: str, work: Any) -> None:
        item = self.current
        if item is None:
            return
        if item.kind != kind:  # check_action hides these keys; a call from code still meets this
            return

        def done(message: str) -> None:
            end = "" if message.endswith(".") else "."
            self.notify(f"{message}{end} It reaches the other copies at their next sync.", markup=False, timeout=5)
            self.twindesk.refresh_data()

        self.twindesk.in_background(lambda: work(item), done, "settling the conflict")

    def action_choose(self, number: int) -> None:
        item = self.current
        if item is not None and item.kind == "field":
            choices = self._choices(item)
            if not 1 <= number <= len(choices):
                self.notify(f"There are {len(choices)} values to choose from.", timeout=3)
                return
            value = choices[number - 1]
            self._do("field", lambda i: self.desk.conflicts.choose(i.record_id, i.field, value))
        else:
            self._do("field", lambda _i: "")

    def action_keep(self) -> None:
        self._do("deleted", lambda i: self.desk.conflicts.keep(i.record_id))

    def action_delete(self) -> None:
        self._do("deleted", lambda i: self.desk.conflicts.delete(i.record_id))

    def action_merge(self) -> None:
        self._do("duplicate", lambda i: self.desk.conflicts.merge(i.record_id, i.field))

    def action_apart(self) -> None:
        self._do("duplicate", lambda i: self.desk.conflicts.keep_apart(i.record_id, i.field))

    def action_edit(self) -> None:
        item = self.current
        if item is not None and registry.kind(item.entity).field_specs():
            edit_record(self.app, item.entity, item.record_id)

    def action_open(self) -> None:
        item = self.current
        if item is not None and registry.kind(item.entity).mode:
            self.twindesk.open_record(item.entity, item.record_id)

    def on_data_table_row_selected(self) -> None:
        self.action_open()
