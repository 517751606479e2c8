"""The benefits dashboard: the proposal's four expected benefits as figures,
with year-on-year change and a chart over time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Header, Label, Static
from textual_plotext import PlotextPlot

from twindesk.failures import explain
from twindesk.screens.base import LiveScreen
from twindesk.services.money import figure, is_currency
from twindesk.text import aligned, axis_ticks, percent, short_number
from twindesk.widgets.footer import KeysFooter
from twindesk.widgets.paged_table import rows_loader

if TYPE_CHECKING:
    from twindesk.services.benefits import Benefit, Series


CHART_YEARS = 5  # as the council report's charts


def _change(series: Series, year: int, before: float | None) -> Content:
    change = series.change(year, before)
    if change is None:
        return Content.styled("  new", "$text-muted")
    arrow, style = ("▲", "$text-success") if change >= 0 else ("▼", "$text-error")
    return Content.styled(f"  {arrow} {percent(change)}", style)


class BenefitsScreen(LiveScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "year(-1)", "Earlier year", id="benefits.earlier"),
        Binding("right", "year(1)", "Later year", id="benefits.later"),
        Binding("r", "reload", "Refresh", id="benefits.refresh"),
    ]
    DEFAULT_CSS = """
    BenefitsScreen Grid { grid-size: 2 2; grid-gutter: 1 2; padding: 0 1; }
    BenefitsScreen .benefit { border: round $panel; }
    BenefitsScreen .benefit > Label { text-style: bold; color: $text-accent; padding: 0 1; }
    BenefitsScreen .figures { padding: 0 1; height: auto; }
    BenefitsScreen PlotextPlot { height: 1fr; min-height: 6; }
    """

    before: dict[tuple[str, str], float] | None = None  # this year so far is compared with these totals
    loaded = False  # the figures of the year asked for are on screen

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid():
            for i in range(4):
                with Vertical(classes="benefit", id=f"benefit-{i}"):
                    yield Label("", markup=False)
                    yield Static(classes="figures")
                    yield PlotextPlot()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Expected benefits"
        self.year = self.desk.today().year
        self.show_records()

    def action_year(self, delta: int) -> None:
        self.year += delta
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        # Read on the loader thread: a year-to-date sum over 100,000 outcomes
        # took ~90 ms (~1 s the first time, from disk); the screen answers keys meanwhile.
        service, year, today = self.desk.benefits, self.year, self.desk.today()
        self.loaded = False

        def read() -> tuple[list[Benefit], dict[tuple[str, str], float] | None]:
            benefits = service.benefits()
            if year != today.year:
                return benefits, None
            # The year is not over: compare it with the same days of last year, as the report does.
            measures = tuple(dict.fromkeys(s.measure for b in benefits for s in b.series))
            return benefits, service.year_to_date_before(today, measures)

        self.run_worker(self._show(year, read), group="benefits", exclusive=True, exit_on_error=False)

    async def _show(self, year: int,
                    read: Callable[[], tuple[list[Benefit], dict[tuple[str, str], float] | None]]) -> None:
        try:
            benefits, before = await asyncio.wrap_future(rows_loader().submit(read))
        except Exception as error:
            self.notify(explain(error, "reading the benefits"), severity="error", markup=False, timeout=15)
            return
        if year != self.year:  # another year was asked for meanwhile
            return
        self.before = before
        today = self.desk.today()
        if self.before is not None:
            self.sub_title = (f"{self.year} to {today.day} {today:%b}, change on the same period of "
                              f"{self.year - 1}  (← → another year)")
        else:
            self.sub_title = f"{self.year}, change on {self.year - 1}  (← → another year)"
        for i, benefit in enumerate(benefits[:4]):
            panel = self.query_one(f"#benefit-{i}", Vertical)
            panel.query_one(Label).update(benefit.name)
            panel.query_one(".figures", Static).update(self._figures(benefit))
            self._chart(panel.query_one(PlotextPlot), benefit)
        self.loaded = True

    def _figures(self, benefit: Benefit) -> Content:
        if not benefit.series:
            return Content.styled("No outcome figures feed this benefit yet.", "$text-muted")
        lines = []
        # Names padded only as far as the longest here, so "13,681,512 people reached ▲ +15.5%" fits one line.
        pad = max(len(series.name) for series in benefit.series) + 1
        for series in benefit.series:
            lines.append(
                Content.assemble(
                    (f"{series.name:<{pad}}", "$text-muted"),
                    (aligned(figure(series.total(self.year), series.unit)), "bold"),
                    _change(series, self.year,
                            None if self.before is None else self.before.get((series.measure, series.currency), 0.0)),
                )
            )
        return Content("\n").join(lines)

    def _chart(self, widget: PlotextPlot, benefit: Benefit) -> None:
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        if benefit.series:
            # The first measure of a benefit is its headline figure.
            series = benefit.series[0]
            years = list(range(self.year - CHART_YEARS + 1, self.year + 1))
            totals = [series.total(year) for year in years]
            # Narrow bars: at the default width neighbouring years ran together in a terminal's cells.
            plt.bar([str(y) for y in years], totals, width=0.5)
            # plotext would print 34924113.0 on the axis; give it round, short labels.
            ticks = axis_ticks(max(totals, default=0), whole=not is_currency(series.unit))
            plt.yticks(ticks, [short_number(t) for t in ticks])
            plt.title(f"{series.name} ({series.unit}) by year")
        widget.refresh()
