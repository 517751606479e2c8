"""Partnerships: the list (city, kind, stage, since when) and the form."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App
from textual.binding import BindingType

from twindesk import taxonomy
from twindesk.screens.record_list import RecordListScreen, quick_bindings
from twindesk.services.partnerships import STAGE_DATE
from twindesk.widgets.form import FormField, FormScreen

QUICK = (
    ("1", "Exploring", "exploring"),
    ("2", "Signed or active", "signed"),
    ("3", "Dormant or ended", "ended"),
)


def partnership_fields(desk: Any) -> tuple[FormField, ...]:
    tax = taxonomy.load()
    return (
        FormField("city", "Korean city", placeholder="e.g. Busan, 부산 or Pusan (→ completes)",
                  suggest=desk.cities.suggest),
        FormField("kind", "Kind", kind="choice", choices=tuple((t.name, t.key) for t in tax.kinds)),
        FormField("stage", "Stage", kind="choice", choices=tuple((t.name, t.key) for t in tax.stages)),
        FormField(STAGE_DATE, "Stage changed on", placeholder="YYYY-MM-DD",
                  hint="The date of the stage change; today if blank."),
        FormField("signed_on", "Signed on", placeholder="YYYY-MM-DD (needed once signed)"),
        FormField("signed_place", "Signed at", placeholder="e.g. Busan City Hall"),
        FormField("signatories_home", "Our signatories", placeholder="e.g. the Mayor"),
        FormField("signatories_partner", "Their signatories", placeholder="e.g. Mayor of Busan"),
        FormField("areas", "Cooperation areas", kind="multi", choices=tuple((a.name, a.key) for a in tax.areas),
                  hint="space ticks an area"),
        FormField("sectors", "Sectors", kind="multi", choices=tuple((t.name, t.key) for t in tax.sectors),
                  hint="space ticks a sector"),
        FormField("notes", "Notes", kind="notes"),
    )


def edit_partnership(app: App[Any], partnership_id: str | None, initial: dict[str, Any] | None = None) -> None:
    """Open the form; `initial` fills fields of a new one (e.g. from the partner finder)."""
    desk = app.desk  # type: ignore[attr-defined]
    service = desk.partnerships
    values = service.form_values(partnership_id, initial)

    def submit(v: dict[str, Any]) -> object:
        return service.update(partnership_id, v) if partnership_id else service.create(v)

    def check(v: dict[str, Any]) -> object:
        return service.validate(v, partnership_id)

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify("Partnership saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    title = "Edit partnership" if partnership_id else "New partnership"
    app.push_screen(FormScreen(title, partnership_fields(desk), values, submit=submit, check=check), saved)


class PartnershipListScreen(RecordListScreen):
    BINDINGS: ClassVar[list[BindingType]] = quick_bindings(QUICK)
    noun = "partnership"
    plural = "partnerships"
    screen_title = "Partnerships"
    filter_hint = "Filter: city (English, 한글, old spelling), kind, stage"
    empty_text = "No partnerships here: press n to add one."
    quick_filters = QUICK

    @property
    def service(self) -> Any:
        return self.desk.partnerships

    def make_query(self) -> Any:
        return self.desk.partnerships.query()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Sister and friendly city ties; dormant ones in yellow"

    def open_record(self, record_id: str) -> None:
        from twindesk.screens.partnership_detail import PartnershipDetailScreen

        self.app.push_screen(PartnershipDetailScreen(record_id))

    def edit_record(self, record_id: str | None) -> None:
        edit_partnership(self.app, record_id)
