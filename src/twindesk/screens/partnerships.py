"""Partnerships: the list (city, kind, stage, since when); the form and the
detail come from the registry (screens.record_actions, screens.record_detail)."""

from __future__ import annotations

from twindesk.screens.record_list import RecordListScreen


class PartnershipListScreen(RecordListScreen):
    kind_key = "partnership"

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Sister and friendly city ties; dormant ones in yellow"
