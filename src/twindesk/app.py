"""The Textual app: screens, keys and theme. No SQL here: screens call services.

The first frame is drawn before the database is opened: the store is opened
(migrated and seeded if need be) in a worker thread, then the start screen
appears. SQLModel is imported after the first rows are on screen.

Every screen and its key come from the registry. Keys can be remapped in
the config's [keys] table (binding id -> keys); the theme chosen is kept.
Writes (undo, delete, export) run in worker threads; a failure anywhere is
a short message, and a bug writes a crash report without personal data
instead of printing a traceback with local variables.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Label
from textual.worker import Worker, WorkerState

from twindesk import registry
from twindesk.collector import IdleCollector
from twindesk.commands import ExportCommands, RecordCommands, ScreenCommands
from twindesk.failures import explain, write_report
from twindesk.keys import KeyDone, KeyGate
from twindesk.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


def screen_class(mode: str) -> type[Screen[None]]:
    path = next(s[5] for s in registry.screens() if s[0] == mode)
    screen: type[Screen[None]] = registry.load(path)
    return screen


def _app_bindings() -> list[BindingType]:
    goes: list[BindingType] = [
        Binding(key, f"go('{mode}')", label, id=f"app.{label.lower()}", tooltip=title)
        for mode, key, label, title, _help, _path in registry.screens()
    ]
    return [
        *goes,
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change or delete"),
        Binding("question_mark,f1", "help", "Keys", id="app.help", tooltip="Every key of this screen"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit", tooltip="Quit (asks if a form has changes)"),
    ]


class LoadingScreen(Screen[None]):
    edits_text = True  # no records to undo yet

    def compose(self) -> ComposeResult:
        yield Header()
        # markup=False: a failure shows the database's path, which is the user's text.
        yield Label("Opening the database…", id="loading", markup=False)
        yield KeysFooter()


class TwindeskApp(App[None]):
    TITLE = "twindesk"
    SUB_TITLE = "partnerships with Korean cities"
    CSS = """
    #loading { padding: 1 2; color: $text-muted; width: 100%; }
    .muted { color: $text-muted; }
    .error-text { color: $text-error; padding: 1 2; }
    """
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = App.COMMANDS | {ScreenCommands, RecordCommands, ExportCommands}
    BINDINGS: ClassVar[list[BindingType]] = _app_bindings()

    def __init__(self, db_path: Path, config_path: Path, *, start: str = "dashboard", new: bool = False,
                 read_only: bool = False) -> None:
        super().__init__()
        self.db_path = db_path
        self.config_path = config_path
        self.start = start
        self.new = new
        self.read_only = read_only
        self.desk: Desk | None = None
        self._leaving_loading = False
        self._background: dict[Worker[Any], tuple[Callable[[Any], None] | None, str]] = {}
        self.keys = KeyGate(self)
        self.collector = IdleCollector()
        self.stopped_with = ""  # what a crash printed, for the tests
        for mode, *_rest in registry.screens():
            self.add_mode(mode, partial(self._mode_screen, mode))

    def _mode_screen(self, mode: str) -> Screen[None]:
        screen = screen_class(mode)()
        # Trap (Textual 8.2.8): a mode's new screen starts out "behind" the app's CSS, so
        # switching to it re-parses every stylesheet of the app twice (~15 ms each, on the
        # first frame of every screen). Ours add no stylesheet of their own (DEFAULT_CSS is
        # applied as they mount), so they are as current as the app.
        screen._css_update_count = self._css_update_count
        return screen

    def on_unmount(self) -> None:
        self.collector.stop()

    def get_default_screen(self) -> Screen[None]:
        return LoadingScreen()

    def on_mount(self) -> None:
        self.keys.watch()
        self.open_desk()

    # Keys: one at a time, never into a screen still being built --------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.collector.key()
            if self.keys.admit(event):
                await self.deliver_key(event)
            return
        await super().on_event(event)

    async def deliver_key(self, event: events.Key) -> None:
        await super().on_event(event)
        self.keys.sent(event)

    def on_key_done(self, message: KeyDone) -> None:
        self.keys.done(message.number)

    # Opening the database -------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_desk(self) -> Desk:
        from twindesk.services.desk import Desk

        desk = Desk.open(self.db_path, self.config_path, new=self.new, read_only=self.read_only)
        screen_class(self.start)  # import it here, off the UI thread
        return desk

    @work(thread=True, exit_on_error=False, group="warm")
    def warm(self) -> None:
        if self.desk is not None:
            self.desk.warm()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "warm" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            # What is alive now (the first screen, SQLModel) stays alive: leave it out of every collection.
            self._collect_between_keys()
            return
        if worker in self._background:
            if event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
                done, action = self._background.pop(worker)
                if event.state == WorkerState.SUCCESS:
                    if done is not None:
                        done(worker.result)
                else:
                    self.notify(explain(worker.error, action, self.db_path), severity="error", markup=False, timeout=10)
            return
        if worker.group == "open" and event.state == WorkerState.SUCCESS:
            self._opened(cast("Desk", worker.result))
        elif worker.group == "open" and event.state == WorkerState.ERROR:
            self._open_failed(worker.error)

    def _collect_between_keys(self) -> None:
        if not self.collector.running:
            self.collector.start()
            self.set_interval(0.1, self.collector.tick, name="collect garbage between keys")

    def _opened(self, desk: Desk) -> None:
        self.desk = desk
        self._apply_config()
        self._leaving_loading = True
        try:
            self.go(self.start)
        finally:
            self._leaving_loading = False
        # Import SQLModel once the first rows are drawn, not while they are.
        self.set_timer(1.0, self.warm)
        if desk.read_only:
            self.notify(f"Read-only: {desk.store.path.name} cannot be written (a read-only file, folder or "
                        "mount). You can look, search and export; nothing can be changed.",
                        severity="warning", timeout=24 * 3600, markup=False)
        elif not desk.home.is_set:
            from twindesk.screens.partner_finder import edit_home

            edit_home(self, first_start=True)

    def _open_failed(self, error: BaseException | None) -> None:
        self._collect_between_keys()  # no warm-up comes to start it
        from twindesk.store import EmptyDatabase

        label = self.query_one("#loading", Label)
        label.add_class("error-text")
        label.update(explain(error, "opening the database", self.db_path))
        if isinstance(error, EmptyDatabase):
            from twindesk.widgets.confirm import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self.new = True
                    label.remove_class("error-text")
                    label.update("Opening the database…")
                    self.open_desk()

            self.push_screen(ConfirmScreen(f"{error.path.name} is empty (0 bytes). Start a new database in it?",
                                           yes="Start new", no="Leave it"), answered)

    def _apply_config(self) -> None:
        """The user's keymap and theme, from the config."""
        assert self.desk is not None
        config = self.desk.config
        if config.keys:
            from twindesk.keys import check_keymap

            problems = check_keymap(config.keys, known_binding_ids())
            if problems:
                self.notify(f"{config.path}: {problems}", severity="error", markup=False, timeout=12)
            else:
                self.set_keymap(config.keys)
        if config.theme:
            if config.theme in self.available_themes:
                self.theme = config.theme
            else:
                self.notify(f"{config.path}: ui.theme “{config.theme}” is not a theme twindesk has.",
                            severity="error", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._keep_theme)

    def _keep_theme(self, theme: Any) -> None:
        if self.desk is None or theme.name == self.desk.config.theme:
            return
        from twindesk import config as config_mod

        def kept(_result: object) -> None:
            if self.desk is not None:
                self.desk.config.theme = theme.name

        self.in_background(lambda: config_mod.update(self.config_path, {("ui", "theme"): theme.name}), kept,
                           "remembering the theme")

    # Navigation -----------------------------------------------------------
    def go(self, mode: str) -> None:
        if self.desk is None:
            return
        self.switch_mode(mode)

    def action_go(self, mode: str) -> None:
        self.go(mode)

    def open_record(self, kind: str, record_id: str) -> None:
        """Show one record on its own screen (from the palette, the dashboard, a detail)."""
        if self.desk is None:
            return
        if getattr(self.screen, "edits_text", False):
            self.notify("A form is open here: save it (ctrl+s) or leave it (escape) first.", severity="warning")
            return
        from twindesk.screens.record_detail import RecordDetailScreen, detail_screen

        screen = self.screen
        target = detail_screen(kind)(record_id)
        if isinstance(screen, RecordDetailScreen) and screen.kind_key == kind:
            self.switch_screen(target)
        else:
            self.push_screen(target)

    # Work off the UI thread ---------------------------------------------
    def in_background(self, work: Callable[[], Any], done: Callable[[Any], None] | None, action: str) -> None:
        """Run `work` in a thread; `done(result)` on the UI thread after, or
        a message if it failed. The UI never waits on the database."""
        worker = self.run_worker(work, thread=True, exit_on_error=False, group="background", description=action)
        self._background[worker] = (done, action)

    def export(self, kind: str) -> None:
        """Write an export beside the database (a calendar of 100,000 events takes a while)."""
        if self.desk is None:
            return
        from twindesk.bundle.exports import write_export

        desk = self.desk
        folder = self.db_path.parent / "exports"
        self.notify("Writing the export…", timeout=2)
        self.in_background(lambda: write_export(desk, kind, folder),
                           lambda target: self.notify(f"Written: {target}", markup=False, timeout=10),
                           "writing the export")

    def sync_now(self) -> None:
        """Sync with the remembered hub, off the UI thread, saying how far it got."""
        from twindesk.window_sync import sync_from_window

        sync_from_window(self)

    def brief(self, visit_id: str) -> None:
        """Write a visit's delegation brief beside the database, off the UI thread."""
        if self.desk is None:
            return
        from twindesk.bundle.exports import write_brief_beside

        desk = self.desk
        self.in_background(lambda: write_brief_beside(desk, visit_id, self.db_path.parent / "exports"),
                           lambda target: self.notify(f"Written: {target}", markup=False, timeout=10),
                           "writing the delegation brief")

    def action_help(self) -> None:
        from twindesk.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Inside a form or dialog, ctrl+z belongs to the text being typed,
        # not to the records underneath; letters that switch screens would
        # leave a half-typed form.
        return not (action in ("undo", "go") and (self.desk is None or getattr(self.screen, "edits_text", False)))

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        """Every key's action, with its failure caught: a message, never a crash."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as exc:
            self.notify(explain(exc, "doing that", self.db_path), severity="error", markup=False, timeout=12)
            return True

    def delay_update(self, delay: float = 0.05) -> None:
        # switch_mode holds repaints for 50 ms to mask the change of screen;
        # leaving the loading screen there is nothing to mask, and the hold
        # would delay the first rows.
        if self._leaving_loading:
            return
        super().delay_update(delay)

    def action_undo(self) -> None:
        desk = self.desk
        if desk is None:
            return
        if desk.read_only:
            self.notify("Read-only: nothing can be undone here.", severity="warning")
            return

        def undone(summary: str | None) -> None:
            if summary is None:
                self.notify("Nothing to undo.", timeout=3)
                return
            self.notify(f"Undone: {summary}", markup=False, timeout=4)
            self.refresh_data()

        self.in_background(desk.undo.undo_last, undone, "undoing")

    def refresh_data(self) -> None:
        """Tell every screen on the stack that records changed."""
        from twindesk.screens.base import LiveScreen

        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                screen.show_records()

    # Leaving ----------------------------------------------------------------
    def unsaved_forms(self) -> list[Any]:
        from twindesk.widgets.form import FormScreen

        # Every mode's stack: the palette's "Go to" leaves a form behind in another mode.
        stacks = getattr(self, "_screen_stacks", {"": self.screen_stack})
        return [s for stack in stacks.values() for s in stack if isinstance(s, FormScreen) and s.dirty]

    async def action_quit(self) -> None:
        forms = self.unsaved_forms()
        if not forms:
            self.exit()
            return
        from twindesk.widgets.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        count = "a form" if len(forms) == 1 else f"{len(forms)} forms"
        self.push_screen(ConfirmScreen(f"You have typed in {count} without saving. Quit and lose it?",
                                       yes="Quit", no="Keep working"), answered)

    def _fatal_error(self) -> None:
        # Textual's own handler prints a traceback with local variables:
        # names, phone numbers and notes. Write a report without them instead.
        error = self._exception
        path = write_report(error, "running twindesk") if error is not None else None
        where = f" A report without your data is in {path}." if path else ""
        name = type(error).__name__ if error is not None else "an error"
        self.stopped_with = f"twindesk stopped after an unexpected error ({name}).{where}"
        self._exit_renderables.append(Text(self.stopped_with))
        self._close_messages_no_wait()


def known_binding_ids() -> set[str]:
    """Every binding id a keymap may name: the app's, the screens' and widgets' of twindesk."""
    from twindesk.keys import binding_ids

    return binding_ids()
