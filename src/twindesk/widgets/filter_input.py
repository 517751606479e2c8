"""FilterInput: the filter box above a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class FilterInput(Input):
    """Applies the filter within the keystroke itself (from the value's
    watcher, not a posted Changed message), so the typed character and the
    rows it selects are drawn in one frame instead of two.

    `down` and `escape` go to the list in one press, keeping the filter (`x`
    on the list clears it, as the footer says); `enter` goes to the list too,
    and opens the row when only one matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "leave", "To the list", show=False),
        Binding("escape", "leave", "To the list", show=False),
    ]

    def __init__(self, apply: Callable[[str], None], leave: Callable[[bool], None], **kwargs: Any) -> None:
        super().__init__(select_on_focus=False, **kwargs)
        self._apply = apply
        self._leave = leave

    def watch_value(self, value: str) -> None:
        if self.is_mounted:
            self._apply(value)

    async def action_submit(self) -> None:
        self._leave(True)

    def action_leave(self) -> None:
        self._leave(False)
