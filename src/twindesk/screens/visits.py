"""Delegation visits: the list, by start date, opening at today; overlapping
visits to one city stand out."""

from __future__ import annotations

from twindesk.screens.record_list import RecordListScreen
from twindesk.services.visits import VisitQuery


class VisitListScreen(RecordListScreen):
    kind_key = "visit"

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "By start date; overlapping visits to the same city in yellow"
        # Open on what is coming, not on the oldest visit: history is above.
        # After the first layout, so the list can scroll to it.
        self.call_after_refresh(self._to_today)

    def _to_today(self) -> None:
        query = self.table.source
        assert isinstance(query, VisitQuery)
        self.table.cursor = query.rows_before(self.desk.today())
