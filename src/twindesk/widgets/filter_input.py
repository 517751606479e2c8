"""FilterInput: the filter box above a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class FilterInput(Input):
    """Applies the filter within the keystroke itself (from the value's
    watcher, not a posted Changed message), so the typed character and the
    rows it selects are drawn in one frame instead of two. `down` and
    `enter` go to the list; `escape` clears the box, then goes to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "leave", "To the list", show=False),
        Binding("escape", "clear_or_leave", "Clear", show=False),
    ]

    def __init__(self, apply: Callable[[str], None], leave: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._apply = apply
        self._leave = leave

    def watch_value(self, value: str) -> None:
        if self.is_mounted:
            self._apply(value)

    async def action_submit(self) -> None:
        self._leave()

    def action_leave(self) -> None:
        self._leave()

    def action_clear_or_leave(self) -> None:
        if self.value:
            self.value = ""
        else:
            self._leave()
