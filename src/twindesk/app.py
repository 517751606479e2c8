"""The Textual app: screens, keys and theme. No SQL here: screens call services.

The first frame is drawn before the database is opened: the store is opened
(migrated and seeded if need be) in a worker thread, then the start screen
appears. SQLModel is imported after the first rows are on screen.
"""

from __future__ import annotations

from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Label
from textual.worker import Worker, WorkerState

from twindesk.commands import (
    CityCommands,
    ExportCommands,
    RecordCommands,
    ScreenCommands,
)

if TYPE_CHECKING:
    from twindesk.services import Desk


# mode -> (module in twindesk.screens, screen class); imported when first shown.
SCREENS = {
    "dashboard": ("dashboard", "DashboardScreen"),
    "directory": ("directory", "DirectoryScreen"),
    "partnerships": ("partnerships", "PartnershipListScreen"),
    "visits": ("visits", "VisitListScreen"),
    "invitations": ("invitations", "InvitationListScreen"),
    "outcomes": ("outcomes", "OutcomeListScreen"),
    "benefits": ("benefits", "BenefitsScreen"),
}


def _screen_class(mode: str) -> type[Screen[None]]:
    module, name = SCREENS[mode]
    return getattr(import_module(f"twindesk.screens.{module}"), name)


def _screen(mode: str) -> Screen[None]:
    return _screen_class(mode)()


class LoadingScreen(Screen[None]):
    edits_text = True  # no records to undo yet
    def compose(self) -> ComposeResult:
        yield Header()
        # markup=False: a failure shows the database's path, which is the user's text.
        yield Label("Opening the database…", id="loading", markup=False)
        yield Footer()


class TwindeskApp(App[None]):
    TITLE = "twindesk"
    SUB_TITLE = "partnerships with Korean cities"
    CSS = """
    #loading { padding: 1 2; color: $text-muted; }
    .muted { color: $text-muted; }
    .error-text { color: $text-error; padding: 1 2; }
    """
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = App.COMMANDS | {ScreenCommands, CityCommands, RecordCommands, ExportCommands}

    # (mode, title, help): every screen one key away.
    SCREEN_TITLES: ClassVar[list[tuple[str, str, str]]] = [
        ("dashboard", "Dashboard", "What is coming up, what is due, what has gone quiet"),
        ("directory", "City directory", "The 33 Korean cities and their industries"),
        ("partnerships", "Partnerships", "Sister and friendly city ties and their stages"),
        ("visits", "Delegation visits", "Inbound and outbound delegations"),
        ("invitations", "Festival invitations", "Invitations sent and received, and their RSVP deadlines"),
        ("outcomes", "Outcomes", "Results logged per cooperation area and programme"),
        ("benefits", "Expected benefits", "The four benefits as figures, year on year"),
    ]
    MODES: ClassVar = {mode: partial(_screen, mode) for mode in SCREENS}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "go('dashboard')", "Dashboard", id="app.dashboard", tooltip="The dashboard"),
        Binding("c", "go('directory')", "Cities", id="app.cities", tooltip="The Korean city directory"),
        Binding("p", "go('partnerships')", "Partnerships", id="app.partnerships", tooltip="Partnerships"),
        Binding("v", "go('visits')", "Visits", id="app.visits", tooltip="Delegation visits"),
        Binding("i", "go('invitations')", "Invitations", id="app.invitations", tooltip="Festival invitations"),
        Binding("o", "go('outcomes')", "Outcomes", id="app.outcomes", tooltip="Outcomes per cooperation area"),
        Binding("b", "go('benefits')", "Benefits", id="app.benefits", tooltip="The four expected benefits"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change or delete"),
        Binding("question_mark,f1", "help", "Keys", id="app.help", tooltip="Every key of this screen"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def __init__(self, db_path: Path, config_path: Path, *, start: str = "dashboard") -> None:
        super().__init__()
        self.db_path = db_path
        self.config_path = config_path
        self.start = start
        self.desk: Desk | None = None
        self._leaving_loading = False

    def get_default_screen(self) -> Screen[None]:
        return LoadingScreen()

    def on_mount(self) -> None:
        self.open_desk()

    # Opening the database -------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_desk(self) -> Desk:
        from twindesk.services import Desk

        desk = Desk.open(self.db_path, self.config_path)
        _screen_class(self.start)  # import it here, off the UI thread
        return desk

    @work(thread=True, exit_on_error=False, group="warm")
    def warm(self) -> None:
        if self.desk is not None:
            self.desk.warm()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "open" and event.state == WorkerState.SUCCESS:
            self.desk = worker.result
            self._leaving_loading = True
            try:
                self.go(self.start)
            finally:
                self._leaving_loading = False
            # Import SQLModel once the first rows are drawn, not while they are.
            self.set_timer(1.0, self.warm)
            if not self.desk.home.is_set:
                from twindesk.screens.partner_finder import edit_home

                edit_home(self, first_start=True)
        elif event.state == WorkerState.ERROR:
            self.show_failure(worker.error)

    def show_failure(self, error: BaseException | None) -> None:
        from twindesk.config import ConfigError
        from twindesk.store import SchemaError

        if isinstance(error, SchemaError | ConfigError):
            message = str(error)
        elif isinstance(error, OSError):
            message = f"Could not write the file: {error.strerror or error}. Any earlier file is unchanged."
        else:
            message = f"Something went wrong: {type(error).__name__}. Nothing was written."
        if self.desk is None:
            self.query_one("#loading", Label).update(message)
            self.query_one("#loading", Label).add_class("error-text")
        else:
            self.notify(message, severity="error", markup=False, timeout=8)

    # Navigation -----------------------------------------------------------
    def go(self, mode: str) -> None:
        if self.desk is None:
            return
        self.switch_mode(mode)

    def action_go(self, mode: str) -> None:
        self.go(mode)

    def open_city(self, city_id: str) -> None:
        from twindesk.screens.city_detail import CityDetailScreen

        if self.desk is None:
            return
        if self.current_mode != "directory":
            self.switch_mode("directory")
        self.push_screen(CityDetailScreen(city_id))

    def open_record(self, mode: str, record_id: str) -> None:
        """Show one record on its own screen (from the palette, the dashboard, a city)."""
        if self.desk is None:
            return
        if mode == "directory":
            self.open_city(record_id)
            return
        self.switch_mode(mode)
        # A mode's screen built just now is mounted on the next refresh.
        self.call_after_refresh(self._open_in_mode, record_id)

    def _open_in_mode(self, record_id: str) -> None:
        screen = self.screen
        if getattr(screen, "edits_text", False):
            self.notify("A form is open here: save it (ctrl+s) or leave it (escape) first.", severity="warning")
            return
        opener = getattr(screen, "open_record", None) or getattr(self.screen_stack[0], "open_record", None)
        if opener is not None:
            opener(record_id)

    @work(thread=True, exit_on_error=False, group="export")
    def export(self, kind: str) -> None:
        """Write an export beside the database (a calendar of 100,000 events
        takes a while: off the UI thread)."""
        if self.desk is None:
            return
        from twindesk.bundle.csv_export import export_csv
        from twindesk.bundle.ics_export import export_ics
        from twindesk.bundle.report import write_report

        folder = self.db_path.parent / "exports"
        today = self.desk.today()
        self.call_from_thread(self.notify, "Writing the export…", timeout=2)
        if kind == "csv":
            target = folder / f"csv-{today.isoformat()}"
            export_csv(self.desk, target)
        elif kind == "ics":
            target = folder / "twindesk.ics"
            export_ics(self.desk, target)
        else:
            target = folder / f"council-report-{today.year}.{kind}"
            write_report(self.desk, today.year, kind, target)
        self.call_from_thread(self.notify, f"Written: {target}", markup=False, timeout=10)

    def action_help(self) -> None:
        from twindesk.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Inside a form or dialog, ctrl+z belongs to the text being typed,
        # not to the records underneath.
        # Likewise letters that switch screens would leave a half-typed form.
        if action in ("undo", "go") and (self.desk is None or getattr(self.screen, "edits_text", False)):
            return False
        return True

    def delay_update(self, delay: float = 0.05) -> None:
        # switch_mode holds repaints for 50 ms to mask the change of screen;
        # leaving the loading screen there is nothing to mask, and the hold
        # would delay the first rows.
        if self._leaving_loading:
            return
        super().delay_update(delay)

    def action_undo(self) -> None:
        if self.desk is None:
            return
        summary = self.desk.undo.undo_last()
        if summary is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        self.notify(f"Undone: {summary}", markup=False, timeout=4)
        self.refresh_data()

    def refresh_data(self) -> None:
        """Tell every screen on the stack that records changed."""
        for screen in self.screen_stack:
            reload = getattr(screen, "show_records", None) or getattr(screen, "reload", None)
            if callable(reload):
                reload()
