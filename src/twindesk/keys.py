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
from collections.abc import Iterator
from functools import cache
from typing import Any

from textual.binding import Binding

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
