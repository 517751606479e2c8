"""Form text to column values and back, by the registry's field specs.

A form holds text (and, for tick lists, lists of keys). `to_form` turns a
stored value into that text; `check_field` turns typed text into the value
to store, or records a message for the field. One rule per field type,
so every record kind validates the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from twindesk.registry.spec import FieldSpec
from twindesk.services.money import check_amount, check_currency
from twindesk.services.validation import Checker


def to_form(spec: FieldSpec, value: Any, city_name: Callable[[str | None], str]) -> Any:
    if spec.type == "multi":
        return list(value or [])
    if spec.type == "items":
        return ", ".join(value or [])
    if spec.type == "city":
        return city_name(value) if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def shown(spec: FieldSpec | None, value: Any, city_name: Callable[[str | None], str]) -> str:
    """A stored value as a person reads it: a choice by its label, a tick
    list by its labels, a city by its name."""
    if value is None or value == "":
        return ""
    if spec is None:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if spec.type in ("multi", "items"):
        items = json.loads(value) if isinstance(value, str) else list(value)
        names = dict((v, lbl) for lbl, v in spec.options()) if spec.type == "multi" else {}
        return ", ".join(names.get(str(i), str(i)) for i in items)
    if spec.type == "choice":
        return next((lbl for lbl, v in spec.options() if v == value), str(value))
    if spec.type == "city":
        return city_name(str(value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def same(spec: FieldSpec | None, a: Any, b: Any) -> bool:
    """Whether two form values say the same: tick lists compare as sets,
    text ignores surrounding blanks (the service strips them anyway)."""
    if (spec is not None and spec.type == "multi") or isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return set(a or []) == set(b or [])
    return str(a if a is not None else "").strip() == str(b if b is not None else "").strip()


def check_field(check: Checker, spec: FieldSpec, raw: Any, city: Callable[[Checker, FieldSpec, str], Any]) -> Any:
    """The value to store for what was typed in `spec`'s field."""
    name, label = spec.name, spec.label
    if spec.type in ("text", "notes"):
        return check.text(name, raw, label=label, required=spec.required, max_len=spec.max_len,
                          multiline=spec.type == "notes")
    if spec.type == "date":
        return check.date(name, raw, label=label, required=spec.required)
    if spec.type == "time":
        return check.time(name, raw)
    if spec.type == "choice":
        options = spec.options()
        if not options:  # the service checks it (the programme depends on the area)
            return str(raw or "")
        names = [lbl for lbl, _v in options]
        if not raw and spec.required:
            check.fail(name, f"Choose the {label.lower()}: {', '.join(names)}.")
            return ""
        return check.choice(name, str(raw or ""), [v for _l, v in options], label=label, names=names)
    if spec.type == "multi":
        order = [v for _l, v in spec.options()]
        keys = check.items(name, raw or [], label=label, max_items=len(order) or spec.max_items)
        unknown = [k for k in keys if k not in order]
        if unknown:
            check.fail(name, f"Unknown {label.lower().rstrip('s')}: {unknown[0][:30]}; use one of {', '.join(order)}.")
        # Kept in the seed's order, whatever order they were ticked in.
        return sorted((k for k in keys if k in order), key=order.index)
    if spec.type == "items":
        return check.items(name, raw or "", label=label, max_items=spec.max_items, max_len=spec.max_len)
    if spec.type == "city":
        return city(check, spec, str(raw or ""))
    if spec.type == "amount":
        return check_amount(check, name, str(raw or ""), label=label)
    if spec.type == "currency":
        return check_currency(check, name, str(raw or ""), needed=False)
    if spec.type == "hidden":
        value = str(raw or "").strip()
        if spec.required and not value:
            raise LookupError(f"{label} is missing: open the form from its record.")
        return value or None
    raise ValueError(f"unknown field type {spec.type}")
