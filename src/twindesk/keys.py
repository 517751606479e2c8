"""Keys a user can remap: every binding has an id, and the config's [keys]
table maps ids to keys (`"app.visits" = "w"`), applied with App.set_keymap.

`binding_ids()` finds every id twindesk has, by importing its screens and
widgets, so that a typo in the config is an error that says what was
meant, and a key given to two bindings of one screen is a clash, reported
before it silently shadows one of them.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import time
from collections import deque
from collections.abc import Iterator
from functools import cache
from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, TextArea

PACKAGES = ("twindesk.screens", "twindesk.widgets")


def _classes() -> Iterator[type[Any]]:
    from textual.dom import DOMNode

    import twindesk.app
    from twindesk import registry
    from twindesk.screens.record_detail import detail_screen

    yield twindesk.app.TwindeskApp
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == info.name:
                    yield value
    for kind in registry.KINDS:
        if kind.mode or kind.sections:
            yield detail_screen(kind.key)


def _bindings(cls: type[Any]) -> list[Binding]:
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


@cache
def binding_ids() -> set[str]:
    return {b.id for cls in _classes() for b in _bindings(cls) if b.id}


def describe_ids() -> list[tuple[str, str, str]]:
    """(id, keys, what it does) of every remappable binding, for ? and the README."""
    seen: dict[str, tuple[str, str, str]] = {}
    for cls in _classes():
        for b in _bindings(cls):
            if b.id and b.id not in seen:
                seen[b.id] = (b.id, b.key, b.tooltip or b.description)
    return sorted(seen.values())


def check_keymap(keymap: dict[str, str], known: set[str]) -> str:
    """"" when the keymap can be applied, else what is wrong with it."""
    for ident in keymap:
        if ident not in known:
            close = difflib.get_close_matches(ident, sorted(known), n=1)
            hint = f" (did you mean “{close[0]}”?)" if close else ""
            return f"[keys] names no binding “{ident}”{hint}. `?` in the app lists every id."
    app_keys = _keys_of(_app_class(), keymap)
    for cls in _classes():
        keys = _keys_of(cls, keymap)
        for key, ids in keys.items():
            # A screen's own key may shadow an app key on purpose (escape, enter);
            # only a key the keymap moved can clash.
            both = ids + (app_keys.get(key, []) if cls is not _app_class() else [])
            moved = [i for i in both if i in keymap]
            if len(set(both)) > 1 and moved:
                return f"[keys] gives “{key}” to both “{both[0]}” and “{both[1]}”; pick another key for one."
    return ""


def _app_class() -> type[Any]:
    import twindesk.app

    return twindesk.app.TwindeskApp


def _keys_of(cls: type[Any], keymap: dict[str, str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for b in _bindings(cls):
        if b.id is None:
            continue
        for key in keymap.get(b.id, b.key).split(","):
            keys.setdefault(key.strip(), []).append(b.id)
    return keys


class KeyDone(Message):
    """Posted to the widget a key went to, right behind the key: it bubbles up
    the same way, so when the app receives it the key has been handled
    (typed, or bound to an action that ran)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class KeyGate:
    """Keys in the order they were typed, none lost, none in the wrong widget.

    Textual forwards each key to the focused widget's queue at once; a Tab
    moves the focus only when it has bubbled back up to the app, behind the
    keys already forwarded, so "Ljubljana⇥Slovenia" typed fast all landed in
    the first field. Keys typed while a new screen is mounting went to a
    screen with no focus yet and were dropped ("n" then "Busan" gave "usan");
    and ctrl+s, handled by the app at once, could save before the last
    characters reached the field.

    So every key is followed by a KeyDone. Characters typed into a text field
    may stream on (they cannot move the focus); any other key waits until
    every key before it is done, and holds the keys after it until it is done
    itself, and until a new screen is mounted and drawn.
    """

    SETTLE_LIMIT = 3.0  # seconds: a screen that never finishes mounting must not swallow keys
    FLIGHT_LIMIT = 1.0  # seconds: a key whose widget vanished (its screen closed) is taken as done

    def __init__(self, app: Any) -> None:
        self.app = app
        self.queue: deque[events.Key] = deque()
        self.in_flight: set[int] = set()  # keys dispatched whose KeyDone has not come back
        self.blocking = False  # a key that may move the focus or change the screen is under way
        self.sent_count = 0
        self.waiting: Any = None  # a screen being mounted
        self.asked = False  # whether the screen was asked to say when it is drawn
        self.since = 0.0

    def watch(self) -> None:
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed)

    def _screen_changed(self, screen: Any) -> None:
        self.waiting = screen
        self.asked = False
        self.since = time.monotonic()

    def _text_key(self, event: events.Key) -> bool:
        return event.is_printable and isinstance(self.app.focused, Input | TextArea)

    def _ready(self, event: events.Key) -> bool:
        if self.blocking:
            return False
        if self.app.desk is None:
            return False  # still opening the database: the first screen is not there yet
        if self.waiting is not None:
            if time.monotonic() - self.since > self.SETTLE_LIMIT:
                self.waiting = None
            elif self.waiting.is_mounted and not self.asked:
                # Mounted is not yet drawn: its widgets (a Select's parts) finish
                # mounting before the next refresh.
                self.asked = True
                screen = self.waiting
                screen.call_after_refresh(lambda: self._settled(screen))
                return False
            else:
                return False
        return self._text_key(event) or not self.in_flight

    def _settled(self, screen: Any) -> None:
        if self.waiting is screen:
            self.waiting = None
        self._retry()

    def admit(self, event: events.Key) -> bool:
        """Whether `event` may go now; if not, it waits its turn."""
        if event.key in ("ctrl+q", "ctrl+c") and self.app.desk is None:
            return True  # quitting while the database opens must work at once
        if self.queue or not self._ready(event):
            self.queue.append(event)
            self._retry()
            return False
        return True

    def sent(self, event: events.Key) -> None:
        """The app has dispatched `event`: follow it to its widget."""
        if not event.is_forwarded:
            return  # a binding of the app took it, in the app's own turn: done already
        text = self._text_key(event)
        self.sent_count += 1
        number = self.sent_count
        self.in_flight.add(number)
        self.blocking = self.blocking or not text
        (self.app.focused or self.app.screen).post_message(KeyDone(number))
        self.app.set_timer(self.FLIGHT_LIMIT, lambda: self.done(number))

    def done(self, number: int) -> None:
        self.in_flight.discard(number)
        if not self.in_flight:
            self.blocking = False
        self._retry()

    def _retry(self) -> None:
        """Drain now if the next key may go; poll while a screen mounts; else
        wait: the KeyDone of a key in flight calls this again."""
        if not self.queue or self.blocking:
            return
        if self.waiting is not None or self.app.desk is None:
            self.app.set_timer(0.005, self._drain)  # look again soon: a screen is still mounting
        elif self._ready(self.queue[0]):
            self.app.call_later(self._drain)

    async def _drain(self) -> None:
        while self.queue and self._ready(self.queue[0]):
            await self.app.deliver_key(self.queue.popleft())
        self._retry()
