"""Festival invitations: the list, RSVP deadlines standing out."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from twindesk.screens.record_actions import edit_record
from twindesk.screens.record_list import RecordListScreen


class InvitationListScreen(RecordListScreen):
    kind_key = "invitation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log_outcome", "Log outcome", id="invitations.log_outcome",
                tooltip="Log an outcome that came from the highlighted invitation"),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "RSVP deadlines within 14 days in yellow, overdue in red"

    def action_log_outcome(self) -> None:
        current = self.table.current
        service = self.desk.invitations
        row = service.row(current.id) if current else None
        if row is not None:
            edit_record(self.app, "outcome", None, initial=service.outcome_initial(row), title="Log an outcome")
