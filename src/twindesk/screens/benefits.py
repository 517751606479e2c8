"""The benefits dashboard: the proposal's four expected benefits as figures,
with year-on-year change and a chart over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Label, Static
from textual_plotext import PlotextPlot

from twindesk.screens.base import LiveScreen
from twindesk.services.money import figure, is_currency
from twindesk.text import aligned, axis_ticks, short_number

if TYPE_CHECKING:
    from twindesk.services.benefits import Benefit, Series


def _change(series: Series, year: int) -> Content:
    change = series.change(year)
    if change is None:
        return Content.styled("  new", "$text-muted")
    arrow, style = ("▲", "$text-success") if change >= 0 else ("▼", "$text-error")
    return Content.styled(f"  {arrow} {change:+.0%}", style)


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

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid():
            for i in range(4):
                with Vertical(classes="benefit", id=f"benefit-{i}"):
                    yield Label("", markup=False)
                    yield Static(classes="figures")
                    yield PlotextPlot()
        yield Footer()

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
        benefits = self.desk.benefits.benefits()
        self.sub_title = f"{self.year}, change on {self.year - 1}  (← → another year)"
        for i, benefit in enumerate(benefits[:4]):
            panel = self.query_one(f"#benefit-{i}", Vertical)
            panel.query_one(Label).update(benefit.name)
            panel.query_one(".figures", Static).update(self._figures(benefit))
            self._chart(panel.query_one(PlotextPlot), benefit)

    def _figures(self, benefit: Benefit) -> Content:
        if not benefit.series:
            return Content.styled("No outcome figures feed this benefit yet.", "$text-muted")
        lines = []
        for series in benefit.series:
            lines.append(
                Content.assemble(
                    (f"{series.name:<19}", "$text-muted"),
                    (aligned(figure(series.total(self.year), series.unit)), "bold"),
                    _change(series, self.year),
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
            years = [year for year, _total in series.by_year]
            totals = [total for _year, total in series.by_year]
            plt.bar([str(y) for y in years], totals)
            # plotext would print 34924113.0 on the axis; give it round, short labels.
            ticks = axis_ticks(max(totals, default=0), whole=not is_currency(series.unit))
            plt.yticks(ticks, [short_number(t) for t in ticks])
            plt.title(f"{series.name} ({series.unit}) by year")
        widget.refresh()
