"""The search line stored on each record, rebuilt whenever it changes.

One place decides what a filter box can find for each record type; the
registry names each kind's builder (RecordKind.search).
"""

from __future__ import annotations

from typing import Any

from twindesk import taxonomy
from twindesk.text import search_key


def city_search(city: Any) -> str:
    return search_key(city.name, city.hangul, *city.romanisations, city.province, city.kind, *city.industries)


def visit_search(visit: Any) -> str:
    return search_key(visit.purpose, visit.direction, visit.status, visit.notes)


def invitation_search(inv: Any) -> str:
    return search_key(inv.event_name, inv.direction, inv.status, inv.party)


def outcome_search(outcome: Any) -> str:
    tax = taxonomy.load()
    area = tax.area(outcome.area)
    programme = tax.programme(outcome.area, outcome.programme)
    year = str(outcome.happened_on)[:4]
    return search_key(
        outcome.title,
        outcome.description,
        area.name if area else outcome.area,
        programme.name if programme else outcome.programme,
        year,
    )
