"""Outcomes: the list (by area, programme, city, year); `a` the area view,
`b` the benefits."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from twindesk.screens.record_list import RecordListScreen


class OutcomeListScreen(RecordListScreen):
    kind_key = "outcome"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "areas", "Area view", id="outcomes.areas", tooltip="Totals per programme, by year and city"),
        Binding("b", "benefits", "Benefits", id="outcomes.benefits", tooltip="The four expected benefits"),
    ]

    def action_areas(self) -> None:
        from twindesk.screens.area_view import AreaViewScreen

        self.app.push_screen(AreaViewScreen())

    def action_benefits(self) -> None:
        self.twindesk.go("benefits")
