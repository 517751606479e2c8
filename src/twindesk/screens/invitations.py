"""Festival invitations: the list (deadlines stand out) and the form."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from twindesk.screens.record_list import RecordListScreen, quick_bindings
from twindesk.services.invitations import DIRECTIONS, STATUSES
from twindesk.widgets.form import FormField, FormScreen

QUICK = (
    ("1", "RSVP due", "due"),
    ("2", "Upcoming", "upcoming"),
    ("3", "Received", "received"),
    ("4", "Sent", "sent"),
)


def invitation_fields(desk: Any) -> tuple[FormField, ...]:
    home = desk.config.home.name or "your own city"
    return (
        FormField("direction", "Direction", kind="choice",
                  choices=tuple((d.capitalize(), d) for d in DIRECTIONS)),
        FormField("event_name", "Event", placeholder="e.g. Busan Sea Festival 2027"),
        FormField("host", "Host city", placeholder="a Korean city (→ completes), or home",
                  hint=f"Type “home” for an event in {home}.", suggest=desk.cities.suggest),
        FormField("start_date", "Starts", placeholder="YYYY-MM-DD"),
        FormField("end_date", "Ends", placeholder="YYYY-MM-DD"),
        FormField("rsvp_by", "RSVP by", placeholder="YYYY-MM-DD (optional)"),
        FormField("status", "Status", kind="choice", choices=tuple((s.capitalize(), s) for s in STATUSES)),
        FormField("party", "Who goes or performs", kind="notes"),
        FormField("notes", "Notes", kind="notes"),
    )


def edit_invitation(app: App[Any], invitation_id: str | None) -> None:
    desk = app.desk  # type: ignore[attr-defined]
    service = desk.invitations
    values = service.form_values(invitation_id)

    def submit(v: dict[str, Any]) -> object:
        return service.update(invitation_id, v) if invitation_id else service.create(v)

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify("Invitation saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    title = "Edit invitation" if invitation_id else "New invitation"
    app.push_screen(FormScreen(title, invitation_fields(desk), values, submit=submit, check=service.validate), saved)


class InvitationListScreen(RecordListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *quick_bindings(QUICK),
        Binding("l", "log_outcome", "Log outcome", id="invitations.log_outcome",
                tooltip="Log an outcome that came from the highlighted invitation"),
    ]
    noun = "invitation"
    plural = "invitations"
    screen_title = "Festival invitations"
    filter_hint = "Filter: event, host city (English, 한글, old spelling), status, who goes"
    empty_text = "No invitations here: press n to add one."
    quick_filters = QUICK

    @property
    def service(self) -> Any:
        return self.desk.invitations

    def make_query(self) -> Any:
        return self.desk.invitations.query()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "RSVP deadlines within 14 days in yellow, overdue in red"

    def edit_record(self, record_id: str | None) -> None:
        edit_invitation(self.app, record_id)

    def action_log_outcome(self) -> None:
        from twindesk.screens.outcomes import edit_outcome

        row = self.table.current
        found = self.desk.invitations.get(row.id) if row else None
        if found is not None:
            edit_outcome(self.app, None, {"invitation_id": found.id, "city": "" if found.host == "home" else found.host,
                                          "area": "tourism", "programme": "festivals_joint_events",
                                          "happened_on": found.end_date.isoformat(), "title": found.event_name})
