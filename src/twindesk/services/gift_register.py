"""The register of official gifts: every gift across every visit, by date.

What a city administration declares: what was given or received, to or
from whom, on which visit, its estimated value and what became of it.
"Worth declaring" is a value above the threshold in the config's [gifts]
table (in its currency, when one is set there).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from twindesk.services.listing import Column, PagedQuery, Row
from twindesk.services.money import money

# In the register's narrow column; the form, the detail and the CSV say it whole.
SHORT_DISPOSITIONS = {"": "", "kept": "Kept", "collection": "City collection", "declined": "Declined"}


class GiftQuery(PagedQuery):
    columns = (
        Column("date", "Date", 10, "g.given_on"),
        Column("direction", "Dir", 8, "g.direction"),
        Column("item", "Item", 21, "g.item COLLATE NOCASE"),
        Column("counterpart", "To or from", 17, "g.counterpart COLLATE NOCASE"),
        Column("visit", "Visit", 19, "v.start_date"),
        Column("value", "Value", 14, "CAST(g.value_amount AS REAL)"),
        Column("disposition", "Disposition", 15),
    )
    # CROSS JOIN keeps gifts (hundreds) the outer loop: otherwise SQLite
    # walked every live visit (~200 ms at 100,000) to find their gifts.
    base_sql = ("FROM gift g CROSS JOIN visit v ON v.id = g.visit_id AND v.deleted_at IS NULL "
                "LEFT JOIN city c ON c.id = v.city_id WHERE g.deleted_at IS NULL")
    search_columns = ("lower(g.item)", "lower(g.counterpart)", "lower(g.occasion)", "c.search", "g.given_on")
    select_sql = ("g.id, g.given_on, g.direction, g.item, g.counterpart, g.value_amount, g.value_currency, "
                  "g.disposition, v.start_date, c.name AS city")
    id_sql = "g.id"
    alias = "g."

    def __init__(self, reader: Any, today: dt.date, threshold: float, currency: str) -> None:
        super().__init__(reader)
        self.descending = True  # newest first
        self.today = today
        self.threshold = threshold
        self.currency = currency
        self.quick: str | None = None

    def extra_filters(self) -> tuple[list[str], list[Any]]:
        if self.quick in ("given", "received"):
            return ["g.direction = ?"], [self.quick]
        if self.quick == "this_year":
            return ["g.given_on >= ? AND g.given_on <= ?"], [f"{self.today.year}-01-01", f"{self.today.year}-12-31"]
        if self.quick == "declare":
            return self.over()
        return [], []

    def over(self) -> tuple[list[str], list[Any]]:
        clauses = ["g.value_amount <> '' AND CAST(g.value_amount AS REAL) > ?"]
        params: list[Any] = [self.threshold]
        if self.currency:
            clauses.append("g.value_currency = ?")
            params.append(self.currency)
        return clauses, params

    def to_row(self, r: Any) -> Row:
        worth = (bool(r["value_amount"]) and float(r["value_amount"]) > self.threshold
                 and (not self.currency or r["value_currency"] == self.currency))
        visit = f"{r['city'] or '?'} {r['start_date']}"  # the city, and the day the visit began
        return Row(
            r["id"],
            (r["given_on"] or "", r["direction"], r["item"], r["counterpart"], visit,
             money(r["value_amount"], r["value_currency"]), SHORT_DISPOSITIONS.get(r["disposition"], "")),
            tone="warning" if worth else "",
            label=r["item"],
        )
