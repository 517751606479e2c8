"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "app.pop_screen", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 110; max-width: 100%; height: 80%; border: thick $accent; background: $surface; padding: 0 1; }
    HelpScreen Label { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys of this screen — escape closes. ctrl+p finds any record or screen. "
                        "Remap one in the config's [keys] table by its id, e.g. \"app.visits\" = \"w\".",
                        markup=False)
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Column labels are read as markup: "[keys]" would vanish.
        table.add_columns(Text("Key"), Text("Does"), Text("Id (for [keys])"))
        # Several keys of one binding arrive as separate entries: group them.
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for active in self.under.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            what = binding.tooltip or binding.description
            grouped.setdefault((binding.description, what, binding.id or ""), []).append(
                self.app.get_key_display(binding))
        for (_description, what, ident), keys in grouped.items():
            table.add_row(Text(", ".join(dict.fromkeys(keys))), Text(what), Text(ident))
        table.focus()
