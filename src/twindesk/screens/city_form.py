"""The city editor: a FormScreen over the city service."""

from __future__ import annotations

from typing import Any

from textual.app import App

from twindesk.taxonomy import CITY_KINDS
from twindesk.widgets.form import FormField, FormScreen

FIELDS = (
    FormField("name", "English name", placeholder="e.g. Busan"),
    FormField("hangul", "Hangul name", placeholder="e.g. 부산"),
    FormField("province", "Province", placeholder="e.g. South Gyeongsang Province"),
    FormField("kind", "Kind", kind="choice", choices=tuple((k, k) for k in CITY_KINDS)),
    FormField("industries", "Industries", hint="Separate industries with commas.", placeholder="e.g. Tourism, Port logistics"),
    FormField("romanisations", "Older romanisations", hint="Spellings people still type, separated by commas.",
              placeholder="e.g. Pusan"),
    FormField("notes", "Notes", kind="notes"),
)


def edit_city(app: App[Any], city_id: str) -> None:
    desk = app.desk  # type: ignore[attr-defined]
    city = desk.cities.get(city_id)
    if city is None:
        app.notify("This city no longer exists.", severity="warning")
        return
    values = {
        "name": city.name,
        "hangul": city.hangul,
        "province": city.province,
        "kind": city.kind,
        "industries": ", ".join(city.industries),
        "romanisations": ", ".join(city.romanisations),
        "notes": city.notes,
    }

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify("City saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    screen = FormScreen(
        f"Edit city: {city.name}",
        FIELDS,
        values,
        submit=lambda v: desk.cities.update(city_id, v),
        check=desk.cities.validate,
    )
    app.push_screen(screen, saved)
