"""Outcomes: the list (by area, programme, city, year), one outcome, the form."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Select, Static

from twindesk import taxonomy
from twindesk.screens.live import LiveScreen
from twindesk.screens.record_list import RecordListScreen, quick_bindings
from twindesk.services.money import suggest_currency
from twindesk.services.outcomes import MEASURE_FIELD
from twindesk.widgets.fields import field_lines
from twindesk.widgets.form import FormField, FormScreen

QUICK = tuple((str(a.number), a.name.split()[0], a.key) for a in taxonomy.load().areas)
HIDDEN = ("partnership_id", "visit_id", "invitation_id")  # set by where the outcome was logged from


def outcome_fields(desk: Any, area: str) -> tuple[FormField, ...]:
    tax = taxonomy.load()
    measures: list[FormField] = []
    for m in tax.measures:
        measures.append(FormField(MEASURE_FIELD + m.key, m.name, placeholder="amount" if m.currency else m.unit))
        if m.currency:  # the currency sits right under the money it qualifies
            measures.append(FormField("trade_currency", f"{m.name} currency", placeholder="ISO code, e.g. EUR",
                                      suggest=suggest_currency))
    return (
        FormField("area", "Cooperation area", kind="choice", choices=tuple((a.name, a.key) for a in tax.areas)),
        FormField("programme", "Programme", kind="choice", choices=programme_choices(area)),
        FormField("city", "Korean city", placeholder="type-ahead: → completes", suggest=desk.cities.suggest),
        FormField("happened_on", "Date", placeholder="YYYY-MM-DD"),
        FormField("title", "Title", placeholder="e.g. Youth camp in Busan, 40 students"),
        FormField("description", "What happened", kind="notes"),
        *measures,
        FormField("custom", "Other measures", kind="notes",
                  hint="One per line:  name: number unit  (e.g. Host families: 12 families)"),
    )


def programme_choices(area_key: str) -> tuple[tuple[str, str], ...]:
    area = taxonomy.load().area(area_key)
    return tuple((p.name, p.key) for p in area.programmes) if area else ()


class OutcomeForm(FormScreen):
    """The outcome form: the programme list follows the chosen area."""

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "field-area" and isinstance(event.value, str):
            programme = self.query_one("#field-programme", Select)
            choices = programme_choices(event.value)
            current = programme.value
            programme.set_options(choices)
            if current in {key for _name, key in choices}:
                programme.value = current
        self._recheck()


def edit_outcome(app: App[Any], outcome_id: str | None, initial: dict[str, Any] | None = None) -> None:
    desk = app.desk  # type: ignore[attr-defined]
    service = desk.outcomes
    values = service.form_values(outcome_id, initial)
    hidden = {k: values.get(k, "") for k in HIDDEN}

    def submit(v: dict[str, Any]) -> object:
        merged = {**hidden, **v}
        return service.update(outcome_id, merged) if outcome_id else service.create(merged)

    def check(v: dict[str, Any]) -> object:
        return service.validate({**hidden, **v})

    def saved(ok: bool | None) -> None:
        if ok:
            app.notify("Outcome saved.", timeout=3)
            app.refresh_data()  # type: ignore[attr-defined]

    title = "Edit outcome" if outcome_id else "Log an outcome"
    fields = outcome_fields(desk, values.get("area", ""))
    app.push_screen(OutcomeForm(title, fields, values, submit=submit, check=check), saved)


class OutcomeDetailScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "edit", "Edit", id="outcome.edit"),
        Binding("h", "history", "History", id="outcome.history"),
    ]
    DEFAULT_CSS = """
    OutcomeDetailScreen #body { padding: 1 2; }
    OutcomeDetailScreen #title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    """

    def __init__(self, outcome_id: str) -> None:
        super().__init__()
        self.outcome_id = outcome_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Label("", id="title", markup=False)
            yield Static(id="fields")
        yield Footer()

    def on_mount(self) -> None:
        self.show_records()

    def reload(self) -> None:
        outcome = self.app.desk.outcomes.get(self.outcome_id)  # type: ignore[attr-defined]
        if outcome is None:
            self.app.pop_screen()
            return
        self.title = "Outcome"
        self.query_one("#title", Label).update(outcome.title)
        rows = [
            ("Date", outcome.happened_on.isoformat()),
            ("Area", outcome.area_name),
            ("Programme", outcome.programme_name),
            ("City", outcome.city or "—"),
            *[(f.name, f.shown) for f in outcome.figures],
            ("What happened", outcome.description or "—"),
        ]
        self.query_one("#fields", Static).update(field_lines(rows, 22))

    def action_edit(self) -> None:
        edit_outcome(self.app, self.outcome_id)

    def action_history(self) -> None:
        from twindesk.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.outcome_id, "outcome"))


class OutcomeListScreen(RecordListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *quick_bindings(QUICK),
        Binding("a", "areas", "Area view", id="outcomes.areas", tooltip="Totals per programme, by year and city"),
        Binding("b", "benefits", "Benefits", id="outcomes.benefits", tooltip="The four expected benefits"),
    ]
    noun = "outcome"
    plural = "outcomes"
    screen_title = "Outcomes"
    filter_hint = "Filter: title, programme, city (English, 한글), year"
    empty_text = "No outcomes logged: press n to log one."
    quick_filters = QUICK

    @property
    def service(self) -> Any:
        return self.desk.outcomes

    def make_query(self) -> Any:
        return self.desk.outcomes.query()

    def open_record(self, record_id: str) -> None:
        self.app.push_screen(OutcomeDetailScreen(record_id))

    def edit_record(self, record_id: str | None) -> None:
        edit_outcome(self.app, record_id)

    def action_areas(self) -> None:
        from twindesk.screens.area_view import AreaViewScreen

        self.app.push_screen(AreaViewScreen())

    def action_benefits(self) -> None:
        self.app.action_go("benefits")  # type: ignore[attr-defined]
