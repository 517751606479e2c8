"""The dashboard, the start screen: the next 60 days, RSVP deadlines,
partnerships gone quiet, and partnerships by stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from twindesk.screens.base import LiveScreen
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.paged_table import fit

if TYPE_CHECKING:
    from twindesk.services.dashboard import Dashboard

WELCOME = (
    "Welcome to twindesk. Nothing is recorded yet. To start:\n\n"
    "  c   browse the 33 Korean cities of the proposal and their industries\n"
    "  m   (in the directory) find partner cities that fit your home city\n"
    "  p   record a partnership      v   plan a delegation visit\n"
    "  i   log a festival invitation ctrl+p   find anything by name\n\n"
    "Or explore sample data:  twindesk demo --db demo.db  then  twindesk --db demo.db"
)


def _span(start, end) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}–{end:%m-%d}"


def _line(text: str, width: int, style: str = "") -> Text:
    """One option on one line: a long title ends in … rather than wrapping."""
    return Text(fit(text, width).rstrip(), style=style)


class DashboardScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("r", "reload", "Refresh", id="dashboard.refresh", tooltip="Read the figures again"),
    ]

    DEFAULT_CSS = """
    DashboardScreen #sync { padding: 0 2; color: $text-muted; height: auto; max-height: 3; }
    DashboardScreen #welcome { padding: 1 2; color: $text; display: none; }
    DashboardScreen.-empty #welcome { display: block; }
    DashboardScreen Grid { grid-size: 2 2; grid-gutter: 1 2; padding: 0 1; }
    DashboardScreen.-empty Grid { display: none; }
    DashboardScreen .panel { border: round $panel; height: 1fr; }
    DashboardScreen .panel:focus-within { border: round $accent; }
    DashboardScreen .panel > Label { text-style: bold; color: $text-accent; padding: 0 1; }
    DashboardScreen OptionList, DashboardScreen OptionList:focus { border: none; height: 1fr; padding: 0; }
    DashboardScreen #stages { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="sync", markup=False)
        yield Static(WELCOME, id="welcome", markup=False)
        with Grid():
            with Vertical(classes="panel"):
                yield Label("Next 60 days: visits and events")
                yield OptionList(id="agenda", markup=False)
            with Vertical(classes="panel"):
                yield Label("RSVP deadlines: overdue and within 14 days")
                yield OptionList(id="deadlines", markup=False)
            with Vertical(classes="panel"):
                yield Label("Gone quiet: nothing in 12 months")
                yield OptionList(id="quiet", markup=False)
            with Vertical(classes="panel"):
                yield Label("Partnerships by stage")
                yield Static(id="stages")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Dashboard"
        self.show_records()
        agenda = self.query_one("#agenda", OptionList)
        agenda.focus()
        if agenda.option_count and agenda.highlighted is None:
            agenda.highlighted = 0

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._board = board = self.desk.dashboard.summary()
        self._fill(board)

    _board: Dashboard | None = None

    def _fill(self, board: Dashboard) -> None:
        self.set_class(not board.has_records, "-empty")
        self.sub_title = f"today {board.today.isoformat()}"
        self._fill_agenda(board)
        self._fill_deadlines(board)
        self._fill_quiet(board)
        self._fill_stages(board)
        from twindesk.sync.status import sync_status

        self.query_one("#sync", Label).update(sync_status(self.desk).line())

    def _width(self) -> int:
        """Cells for one option: half the screen, less the panel's border."""
        return max(20, (self.app.size.width - 2) // 2 - 6)  # and a scrollbar

    def on_resize(self) -> None:
        # Lines are cut to the width: cut them again, without new queries.
        if self._board is not None:
            self._fill(self._board)

    def _fill_list(self, widget_id: str, options: list[Option], empty: str) -> None:
        widget = self.query_one(f"#{widget_id}", OptionList)
        widget.clear_options()
        widget.add_options(options or [Option(empty, disabled=True)])

    def _fill_agenda(self, board: Dashboard) -> None:
        flagged = self.desk.conflicts.marked([a.record_id for a in board.agenda])
        self._fill_list(
            "agenda",
            [
                Option(_line(f"{'⚠ in conflict: ' if a.record_id in flagged else ''}{_span(a.start, a.end):<16} "
                             f"{a.city:<11} {a.title} ({a.status})", self._width(),
                             "bold red" if a.record_id in flagged else ""),
                       id=f"{a.kind}:{a.record_id}")
                for a in board.agenda
            ],
            "Nothing planned in the next 60 days.",
        )

    def _fill_deadlines(self, board: Dashboard) -> None:
        def when(days: int) -> str:
            if days < 0:
                return f"OVERDUE {-days}d"
            return "today" if days == 0 else f"in {days}d"

        options = []
        for d in board.deadlines:
            prompt = _line(f"{d.rsvp_by.isoformat()} {when(d.days_left):<11} {d.event_name} ({d.city})",
                           self._width(), "bold red" if d.overdue else "")
            options.append(Option(prompt, id=f"invitation:{d.record_id}"))
        self._fill_list("deadlines", options, "No RSVP due in the next 14 days.")

    def _fill_quiet(self, board: Dashboard) -> None:
        self._fill_list(
            "quiet",
            [
                Option(
                    _line(f"{q.city:<11} {q.kind:<13} {q.stage:<12} last "
                          f"{q.last_activity.isoformat() if q.last_activity else 'never'}", self._width()),
                    id=f"partnership:{q.record_id}",
                )
                for q in board.quiet
            ],
            "Every partnership has had activity this year.",
        )

    def _fill_stages(self, board: Dashboard) -> None:
        top = max((s.count for s in board.stages), default=0) or 1
        parts = []
        for s in board.stages:
            bar = "█" * round(16 * s.count / top) if s.count else ""
            name = s.name if len(s.name) <= 24 else s.name[:23] + "…"
            parts.append(Content.assemble((f"{name:<24}", "$text-muted"), f"{s.count:>5}  ", (bar, "$accent"), "\n"))
        self.query_one("#stages", Static).update(Content("").join(parts))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            kind, record_id = event.option.id.split(":", 1)
            self.twindesk.open_record(kind, record_id)
