"""FilterInput: the filter box of a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input


class FilterInput(Input):
    """Applies the filter within the keystroke itself (from the value's
    watcher, not a posted Changed message), so the typed character and the
    rows it selects are drawn in one frame instead of two."""

    def __init__(self, apply: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._apply = apply

    def watch_value(self, value: str) -> None:
        if self.is_mounted:
            self._apply(value)
