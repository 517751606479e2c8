"""Delegation visits: the list (overlapping visits stand out) and the visit form."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App
from textual.binding import BindingType

from twindesk import taxonomy
from twindesk.screens.record_list import RecordListScreen, quick_bindings
from twindesk.services.money import suggest_currency
from twindesk.services.visits import DIRECTIONS, STATUSES
from twindesk.widgets.form import FormField, FormScreen

QUICK = (
    ("1", "Upcoming", "upcoming"),
    ("2", "Past", "past"),
    ("3", "Inbound", "inbound"),
    ("4", "Outbound", "outbound"),
    ("5", "Planned", "planned"),
    ("6", "Confirmed", "confirmed"),
    ("7", "Done", "done"),
    ("8", "Cancelled", "cancelled"),
)

DIRECTION_LABELS = {"inbound": "Inbound: a delegation comes to us", "outbound": "Outbound: we go to Korea"}


def visit_fields(desk: Any) -> tuple[FormField, ...]:
    areas = tuple((a.name, a.key) for a in taxonomy.load().areas)
    return (
        FormField("direction", "Direction", kind="choice",
                  choices=tuple((DIRECTION_LABELS[d], d) for d in DIRECTIONS)),
        FormField("city", "Korean city", placeholder="English, 한글 or an old spelling (→ completes)",
                  suggest=desk.cities.suggest),
        FormField("start_date", "Starts", placeholder="YYYY-MM-DD"),
        FormField("end_date", "Ends", placeholder="YYYY-MM-DD (the last day)"),
        FormField("purpose", "Purpose", placeholder="e.g. Port logistics study visit"),
        FormField("areas", "Cooperation areas", kind="multi", choices=areas, hint="space ticks an area"),
        FormField("status", "Status", kind="choice", choices=tuple((s.capitalize(), s) for s in STATUSES)),
        FormField("budget_amount", "Budget", placeholder="e.g. 12500.00 (optional)"),
        FormField("budget_currency", "Currency", placeholder="ISO code, e.g. EUR or KRW (→ completes)",
                  suggest=suggest_currency),
        FormField("notes", "Notes", kind="notes"),
    )


def edit_visit(app: App[Any], visit_id: str | None, initial: dict[str, Any] | None = None) -> None:
    """Open the visit form: a new visit (`initial` pre-fills it) or an edit."""
    desk = app.desk  # type: ignore[attr-defined]
    service = desk.visits
    values = {**service.form_values(visit_id), **(initial or {})}
    saved_id: list[str] = []

    def submit(v: dict[str, Any]) -> object:
        if visit_id:
            saved_id.append(visit_id)
            return service.update(visit_id, v)
        saved_id.append(service.create(v))
        return saved_id[-1]

    def saved(ok: bool | None) -> None:
        if not ok:
            return
        app.notify("Visit saved.", timeout=3)
        overlapping = service.overlaps(saved_id[-1])
        if overlapping:
            others = "; ".join(row.cells[0] for row in overlapping[:3])
            app.notify(
                f"This visit overlaps {len(overlapping)} other visit{'s' if len(overlapping) > 1 else ''} "
                f"to the same city ({others}).", severity="warning", markup=False, timeout=6,
            )
        outside = service.outside_itinerary(saved_id[-1])
        if outside:
            app.notify(f"{outside} itinerary item{'s fall' if outside > 1 else ' falls'} outside the new dates.",
                       severity="warning", timeout=6)
        app.refresh_data()  # type: ignore[attr-defined]

    title = "Edit visit" if visit_id else "New visit"
    app.push_screen(FormScreen(title, visit_fields(desk), values, submit=submit, check=service.validate), saved)


class VisitListScreen(RecordListScreen):
    BINDINGS: ClassVar[list[BindingType]] = quick_bindings(QUICK)
    noun = "visit"
    plural = "visits"
    screen_title = "Delegation visits"
    filter_hint = "Filter: city (English, 한글, old spelling), purpose, status, direction, notes"
    empty_text = "No visits here: press n to add one."
    quick_filters = QUICK

    @property
    def service(self) -> Any:
        return self.desk.visits

    def make_query(self) -> Any:
        return self.desk.visits.query()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "By start date; overlapping visits to the same city in yellow"
        # Open on what is coming, not on the oldest visit: history is above.
        # After the first layout, so the list can scroll to it.
        self.call_after_refresh(self._to_today)

    def _to_today(self) -> None:
        self.table.cursor = self.desk.visits.query().rows_before(self.desk.today())

    def open_record(self, record_id: str) -> None:
        from twindesk.screens.visit_detail import VisitDetailScreen

        self.app.push_screen(VisitDetailScreen(record_id))

    def edit_record(self, record_id: str | None) -> None:
        edit_visit(self.app, record_id)
