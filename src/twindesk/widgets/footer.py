"""KeysFooter: Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds its keys whenever the screen's bindings are
re-checked (every focus move, most keystrokes) and binds each new key to its
`compact` reactive. The old keys' watchers stay in that reactive's watcher
list until `compact` changes, which in twindesk it never does: in Textual
8.2.8 every rebuild kept ~19 dead key widgets alive, a long session held
thousands, and each full garbage collection walked them all (100-300 ms
pauses in the middle of typing, see benchmarks/screens.py).

This footer skips a rebuild that would show the same keys (also the second
of two asked for before the first ran, as a new screen does: ~6 ms each on
the first frame), and drops the watchers of keys that are gone when it
does rebuild.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

WATCHERS = "__watchers"  # where textual.reactive._watch keeps a node's watchers of other nodes


def shown_keys(screen: Screen[Any]) -> tuple[tuple[Any, ...], ...]:
    """What the footer would show for `screen`: each shown key, its label and whether it is enabled."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    _shown: tuple[tuple[Any, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._bindings_ready and self._shown is not None and shown_keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = shown_keys(self.screen)
        if shown == self._shown:  # asked twice before the first ran (a new screen's focus, its bindings)
            return
        self._shown = shown
        await super().recompose()
        self._drop_closed_watchers()

    def _drop_closed_watchers(self) -> None:
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, WATCHERS, {})
        for bound in watchers.values():
            bound[:] = [(node, callback) for node, callback in bound if not node._closing]
