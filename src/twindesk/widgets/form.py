"""FormScreen: the keyboard form every record editor is built from.

Tab moves between fields, `ctrl+s` saves, `escape` leaves (asking first if
anything was typed). The form remembers the values it opened with (its
base) and hands both to `save`: the service writes only what the user
changed, and tells of fields someone else changed meanwhile.

Saving runs in a worker thread, so a database held by another program
never freezes the screen: the form says it is waiting, and whatever
happens (invalid input, a clash, a locked or full disk, a bug) the form
stays open with everything that was typed. Each message appears under its
own field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.strip import Strip
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, SelectionList, TextArea
from textual.worker import Worker, WorkerState

from twindesk.failures import explain
from twindesk.registry.spec import FieldSpec
from twindesk.services.fields import same, shown
from twindesk.services.validation import Conflict, Invalid
from twindesk.widgets.confirm import ConfirmScreen
from twindesk.widgets.footer import KeysFooter

WAIT_NOTICE = 0.6  # seconds a save may take before the form says it is waiting


class _Suggest(Suggester):
    def __init__(self, suggest: Callable[[str], str | None]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._suggest = suggest

    async def get_suggestion(self, value: str) -> str | None:
        return self._suggest(value) if value else None


class NotesArea(TextArea):
    """Notes grow more often than they are rewritten: tabbing in puts the
    cursor after the last word, so typing adds to them (it used to go in
    front of the first word)."""

    @on(events.Focus)
    def _to_the_end(self) -> None:
        self.move_cursor(self.document.end)


class TickList(SelectionList[str]):
    """A tick list whose boxes say ✓ or nothing: the state does not rest on colour alone."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4:
            return strip
        index = self.scroll_offset.y + y
        option = self.get_option_at_index(index) if index < self.option_count else None
        if option is None:
            return strip
        mark = "✓" if option.value in self.selected else " "
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)


class FormScreen(Screen["object | None"]):
    """Dismissed with what `save` returned, or None when left without saving."""

    edits_text = True  # ctrl+z here is the text's, not the records'
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save", tooltip="Check and save the form"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Leave without saving"),
        # Priority, but offered only when they apply (check_action): otherwise the
        # key is the field's own (ctrl+u deletes to the start of the line).
        Binding("ctrl+o", "theirs", "Take theirs", priority=True, id="form.theirs",
                tooltip="Take the other window's value for fields changed elsewhere"),
        Binding("ctrl+u", "unlink", "Unlink", priority=True, id="form.unlink",
                tooltip="Unlink a record that was deleted since this one was logged from it"),
    ]

    DEFAULT_CSS = """
    FormScreen #form { padding: 0 2; }
    FormScreen #form-title { text-style: bold; color: $text-accent; margin: 1 0 0 0; }
    FormScreen #form-status { color: $text-warning; height: 1; }
    FormScreen .field-row { height: auto; margin-bottom: 1; }
    FormScreen .field-row.-hidden { display: none; }
    FormScreen .field-label { width: 22; padding: 0 1 0 0; color: $text-muted; text-style: bold; }
    FormScreen Input { border: none; height: 1; padding: 0 1; background: $boost; }
    FormScreen Input:focus { border: none; background: $primary 25%; }
    FormScreen Select > SelectCurrent { border: none; height: 1; padding: 0 1; background: $boost; }
    FormScreen Select:focus > SelectCurrent { border: none; background: $primary 25%; }
    FormScreen TextArea { border: none; padding: 0 1; background: $boost; height: 4; }
    FormScreen TextArea:focus { background: $primary 15%; }
    FormScreen SelectionList { border: none; padding: 0; background: $boost; height: auto; max-height: 10; }
    FormScreen .field-body { height: auto; width: 1fr; }
    FormScreen .field-hint { color: $text-muted; padding: 0 1; width: 1fr; }
    FormScreen .field-error { color: $text-error; text-style: bold; display: none; padding: 0 1; width: 1fr; }
    FormScreen .field-error.-shown { display: block; }
    FormScreen Input.-invalid, FormScreen Input.-invalid:focus, FormScreen TextArea.-invalid,
    FormScreen Select.-invalid > SelectCurrent {
        border: none; background: $error 30%;
    }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        values: Mapping[str, Any],
        *,
        save: Callable[[dict[str, Any], dict[str, Any]], object],
        check: Callable[[dict[str, Any]], object] | None = None,
        suggest: Mapping[str, Callable[[str], str | None]] | None = None,
        choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        follow: Mapping[str, tuple[str, Callable[[str], Sequence[tuple[str, str]]]]] | None = None,
        city_name: Callable[[str | None], str] = lambda _ident: "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.specs = {f.name: f for f in self.fields}
        # The base: what the form opened with. A save writes what differs from it.
        self.base = {f.name: values.get(f.name, [] if f.type == "multi" else "") for f in self.fields}
        # Links set by where the form was opened from; shown only when one has a message.
        self.hidden = {f.name: self.base[f.name] for f in self.fields if f.type == "hidden"}
        self.save = save
        self.check = check
        self.suggest = dict(suggest or {})
        self.choices = dict(choices or {})
        self.follow = dict(follow or {})
        self.city_name = city_name
        self.errors: dict[str, str] = {}
        self.clashes: dict[str, Any] = {}  # field -> the value someone else saved
        self._saving: Worker[object] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Label(self.form_title, id="form-title", markup=False)
            yield Label("", id="form-status", markup=False)
            for field in self.fields:
                hidden = field.type == "hidden"
                with Horizontal(classes="field-row -hidden" if hidden else "field-row", id=f"row-{field.name}"):
                    yield Label(field.label, classes="field-label", markup=False)
                    with Vertical(classes="field-body"):
                        if hidden:
                            yield Label("", id=f"field-{field.name}", markup=False)
                        else:
                            yield self._editor(field)
                        if field.hint:
                            yield Label(field.hint, classes="field-hint", markup=False)
                        yield Label("", id=f"error-{field.name}", classes="field-error", markup=False)
        yield KeysFooter()

    def _options(self, field: FieldSpec) -> Sequence[tuple[str, str]]:
        return self.choices.get(field.name) or field.options()

    def _editor(self, field: FieldSpec) -> Widget:
        value = self.base[field.name]
        ident = f"field-{field.name}"
        if field.type == "notes":
            return NotesArea(value, id=ident, soft_wrap=True, tab_behavior="focus")
        if field.type == "choice":
            options = list(self._options(field))
            known = value in {v for _l, v in options}
            return Select(options, value=value if known else Select.NULL, id=ident, allow_blank=not known)
        if field.type == "multi":
            chosen = set(value)
            return TickList(*[(label, key, key in chosen) for label, key in self._options(field)], id=ident)
        suggest = self.suggest.get(field.suggest)
        # Pre-filled text is selected when the field is focused, so typing replaces it.
        return Input(value, placeholder=field.placeholder, id=ident, select_on_focus=bool(value),
                     suggester=_Suggest(suggest) if suggest else None)

    def on_mount(self) -> None:
        self.title = self.form_title
        first = next((f for f in self.fields if f.type != "hidden"), None)
        if first is not None:
            self.editor(first.name).focus()

    # Values ---------------------------------------------------------------
    def editor(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.fields:
            if field.type == "hidden":
                out[field.name] = self.hidden[field.name]
                continue
            widget = self.editor(field.name)
            if isinstance(widget, SelectionList):
                out[field.name] = list(widget.selected)
            elif isinstance(widget, TextArea):
                out[field.name] = widget.text
            elif isinstance(widget, Select):
                out[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                out[field.name] = widget.value
        return out

    def set_value(self, name: str, value: Any) -> None:
        field = self.specs[name]
        if field.type == "hidden":
            self.hidden[name] = value
            return
        widget = self.editor(name)
        if isinstance(widget, SelectionList):
            widget.deselect_all()
            for key in value or []:
                widget.select(key)
        elif isinstance(widget, TextArea):
            widget.text = str(value or "")
        elif isinstance(widget, Select):
            known = value in {v for _l, v in self._options(field)}
            widget.value = value if known else Select.NULL
        elif isinstance(widget, Input):
            widget.value = str(value or "")

    @property
    def dirty(self) -> bool:
        values = self.values()
        return any(not same(self.specs[n], values[n], self.base[n]) for n in values)

    # Messages -------------------------------------------------------------
    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        for field in self.fields:
            message = errors.get(field.name, "")
            label = self.query_one(f"#error-{field.name}", Label)
            label.update(message)
            label.set_class(bool(message), "-shown")
            if field.type == "hidden":
                # A hidden link with a message (its record was deleted) shows itself.
                self.query_one(f"#row-{field.name}").set_class(not message, "-hidden")
                self.query_one(f"#field-{field.name}", Label).update("ctrl+u unlinks it" if message else "")
            else:
                self.editor(field.name).set_class(bool(message), "-invalid")

    def status(self, text: str) -> None:
        self.query_one("#form-status", Label).update(text)

    def _recheck(self) -> None:
        if not self.errors or self.check is None:
            return
        try:
            self.check(self.values())
        except Invalid as exc:
            self.show_errors({**{n: m for n, m in self.errors.items() if n in self.clashes}, **exc.errors})
        except LookupError:
            pass  # the record it belongs to is gone: saving says so
        else:
            self.show_errors({n: m for n, m in self.errors.items() if n in self.clashes})

    def on_input_changed(self) -> None:
        self._recheck()

    def on_text_area_changed(self) -> None:
        self._recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        source = (event.select.id or "").removeprefix("field-")
        if source in self.follow and isinstance(event.value, str):
            # The programme list follows the area: keep the programme if it still fits.
            target, choose = self.follow[source]
            self.choices[target] = options = list(choose(event.value))
            dependent = self.query_one(f"#field-{target}", Select)
            current = dependent.value
            dependent.set_options(options)
            if current in {key for _name, key in options}:
                dependent.value = current
        self._recheck()

    def on_selection_list_selected_changed(self) -> None:
        self._recheck()

    # Saving ---------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving is not None:
            return  # one save at a time; keys typed meanwhile stay in the form
        values, base = self.values(), dict(self.base)
        self.status("Saving…")
        self.set_timer(WAIT_NOTICE, self._still_saving)
        self._saving = self.run_worker(lambda: self.save(values, base), thread=True, exit_on_error=False,
                                       group="form-save")

    def _still_saving(self) -> None:
        if self._saving is not None:
            self.status("Waiting for the database (another program is writing)…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._saving or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self._saving = None
        self.status("")
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
            return
        self._failed(event.worker.error)

    def _failed(self, error: BaseException | None) -> None:
        if isinstance(error, Invalid):
            self.show_errors(error.errors)
            self.refresh_bindings()
            first = next((f.name for f in self.fields if f.name in error.errors), None)
            if first is not None and self.specs[first].type != "hidden":
                self.editor(first).focus()
            count = len(error.errors)
            self.notify(f"Not saved: {count} field{'s' if count > 1 else ''} to fix.", severity="error")
        elif isinstance(error, Conflict):
            self._clash(error)
        else:
            message = explain(error, "saving")
            self.status(message)
            self.notify(message, severity="error", markup=False, timeout=10)

    def _clash(self, conflict: Conflict) -> None:
        """Someone else saved this record since the form opened."""
        values = self.values()
        for name, value in conflict.current.items():
            spec = self.specs.get(name)
            if spec is None or name in conflict.fields:
                continue
            if same(spec, values.get(name), self.base.get(name)) and not same(spec, value, self.base.get(name)):
                self.set_value(name, value)  # untouched here, changed there: show theirs
            self.base[name] = value
        messages = {}
        for name, (theirs, yours) in conflict.fields.items():
            spec = self.specs[name]
            self.base[name] = theirs  # saving again now keeps yours
            self.clashes[name] = theirs
            messages[name] = (f"Changed elsewhere to “{self._shown(spec, theirs)}”; "
                              f"yours: “{self._shown(spec, yours)}”. ctrl+s keeps yours, ctrl+o takes theirs.")
        self.show_errors(messages)
        self.refresh_bindings()
        self.editor(next(iter(conflict.fields))).focus()
        self.notify("Not saved: changed in another window meanwhile. Choose at the fields marked.",
                    severity="warning", timeout=8)

    def _shown(self, spec: FieldSpec, value: Any) -> str:
        text = shown(spec, value, self.city_name) if spec.type in ("choice", "multi") else str(value or "")
        text = text.replace("\n", " ")
        return (text[:60] + "…") if len(text) > 61 else (text or "(empty)")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "theirs":
            return bool(self.clashes)
        if action == "unlink":
            return any(f.type == "hidden" and f.name in self.errors for f in self.fields)
        return True

    def action_theirs(self) -> None:
        for name, theirs in self.clashes.items():
            self.set_value(name, theirs)
        self.clashes.clear()
        self.show_errors({})
        self.refresh_bindings()

    def action_unlink(self) -> None:
        gone = [f.name for f in self.fields if f.type == "hidden" and f.name in self.errors]
        for name in gone:
            self.hidden[name] = ""
        if gone:
            self.show_errors({n: m for n, m in self.errors.items() if n not in gone})
            self.refresh_bindings()
            self.notify("Unlinked. ctrl+s saves.", timeout=4)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard your changes?", yes="Discard", no="Keep editing"), answered)
