"""FormScreen: a keyboard form that every record editor is built from.

Tab moves between fields, `ctrl+s` saves, `escape` cancels (asking first if
anything changed). The service validates the whole form before it writes;
each message appears under its own field, and nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import (
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    TextArea,
)

from twindesk.services.validation import Invalid
from twindesk.widgets.confirm import ConfirmScreen


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: Literal["text", "notes", "choice", "multi"] = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (label, value); labels are ours or the seed's, never typed text
    placeholder: str = ""
    hint: str = ""
    suggest: Callable[[str], str | None] | None = None  # type-ahead completion for text fields


class _Suggest(Suggester):
    def __init__(self, suggest: Callable[[str], str | None]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._suggest = suggest

    async def get_suggestion(self, value: str) -> str | None:
        return self._suggest(value) if value else None


class FormScreen(Screen[bool]):
    edits_text = True  # ctrl+z here is the text's, not the records'
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save", tooltip="Check and save the form"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Leave without saving"),
    ]

    DEFAULT_CSS = """
    FormScreen #form { padding: 0 2; }
    FormScreen #form-title { text-style: bold; color: $text-accent; margin: 1 0; }
    FormScreen .field-row { height: auto; margin-bottom: 1; }
    FormScreen .field-label { width: 22; padding: 0 1 0 0; color: $text-muted; text-style: bold; }
    FormScreen Input { border: none; height: 1; padding: 0 1; background: $boost; }
    FormScreen Input:focus { border: none; background: $primary 25%; }
    FormScreen Select > SelectCurrent { border: none; height: 1; padding: 0 1; background: $boost; }
    FormScreen Select:focus > SelectCurrent { border: none; background: $primary 25%; }
    FormScreen TextArea { border: none; padding: 0 1; background: $boost; }
    FormScreen TextArea:focus { background: $primary 15%; }
    FormScreen SelectionList { border: none; padding: 0; background: $boost; }
    FormScreen .field-body { height: auto; width: 1fr; }
    FormScreen .field-hint { color: $text-muted; padding: 0 1; }
    FormScreen .field-error { color: $text-error; text-style: bold; display: none; padding: 0 1; }
    FormScreen .field-error.-shown { display: block; }
    FormScreen TextArea { height: 4; }
    FormScreen SelectionList { height: auto; max-height: 10; }
    FormScreen Input.-invalid, FormScreen Input.-invalid:focus, FormScreen TextArea.-invalid,
    FormScreen Select.-invalid > SelectCurrent {
        border: none; background: $error 30%;
    }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        values: Mapping[str, Any],
        *,
        submit: Callable[[dict[str, Any]], object],
        check: Callable[[dict[str, Any]], object] | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.initial = {f.name: values.get(f.name, [] if f.kind == "multi" else "") for f in self.fields}
        self.submit = submit
        self.check = check
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Label(self.form_title, id="form-title", markup=False)
            for field in self.fields:
                with Horizontal(classes="field-row"):
                    yield Label(field.label, classes="field-label")
                    with Vertical(classes="field-body"):
                        yield self._editor(field)
                        if field.hint:
                            yield Label(field.hint, classes="field-hint", markup=False)
                        yield Label("", id=f"error-{field.name}", classes="field-error", markup=False)
        yield Footer()

    def _editor(self, field: FormField) -> Widget:
        value = self.initial[field.name]
        ident = f"field-{field.name}"
        if field.kind == "notes":
            return TextArea(value, id=ident, soft_wrap=True, tab_behavior="focus")
        if field.kind == "choice":
            return Select(list(field.choices), value=value or Select.NULL, id=ident, allow_blank=not value)
        if field.kind == "multi":
            chosen = set(value)
            return SelectionList[str](*[(label, key, key in chosen) for label, key in field.choices], id=ident)
        suggester = _Suggest(field.suggest) if field.suggest else None
        return Input(value, placeholder=field.placeholder, id=ident, select_on_focus=False, suggester=suggester)

    def on_mount(self) -> None:
        self.title = self.form_title
        self.editor(self.fields[0].name).focus()

    # Values ---------------------------------------------------------------
    def editor(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.fields:
            widget = self.editor(field.name)
            if isinstance(widget, SelectionList):
                out[field.name] = list(widget.selected)
            elif isinstance(widget, TextArea):
                out[field.name] = widget.text
            elif isinstance(widget, Select):
                out[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                out[field.name] = widget.value  # type: ignore[attr-defined]
        return out

    @property
    def dirty(self) -> bool:
        return self.values() != self.initial

    # Messages -------------------------------------------------------------
    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        for field in self.fields:
            message = errors.get(field.name, "")
            label = self.query_one(f"#error-{field.name}", Label)
            label.update(message)
            label.set_class(bool(message), "-shown")
            self.editor(field.name).set_class(bool(message), "-invalid")

    def _recheck(self) -> None:
        if not self.errors or self.check is None:
            return
        try:
            self.check(self.values())
        except Invalid as exc:
            self.show_errors(exc.errors)
        else:
            self.show_errors({})

    def on_input_changed(self) -> None:
        self._recheck()

    def on_text_area_changed(self) -> None:
        self._recheck()

    def on_select_changed(self) -> None:
        self._recheck()

    def on_selection_list_selected_changed(self) -> None:
        self._recheck()

    # Actions --------------------------------------------------------------
    def action_save(self) -> None:
        try:
            self.submit(self.values())
        except Invalid as exc:
            self.show_errors(exc.errors)
            first = next(f.name for f in self.fields if f.name in exc.errors)
            self.editor(first).focus()
            count = len(exc.errors)
            self.notify(f"Not saved: {count} field{'s' if count > 1 else ''} to fix.", severity="error")
            return
        except LookupError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        except OSError as exc:
            self.notify(f"Not saved: {exc.strerror or exc}. Nothing was changed.", severity="error", markup=False)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen("Discard your changes?", yes="Discard", no="Keep editing"), answered)
