"""`twindesk report`: the year's report for the city council.

The figures are gathered first, by SQL, into small frozen dataclasses
(report_data), then rendered to Markdown (report_md) or to one
self-contained HTML file with inline SVG charts (report_html, report_svg).
Every figure is an aggregate query or a bounded list: figure totals come
from `figure_rollup` (kept by triggers), outcome counts from one GROUP BY,
and listed rows are capped, so the report costs about the same with 100,000
outcomes as with 100.

How things are counted, and said so in the report: a visit or an invitation
belongs to the year it starts in (one from 30 December to 2 January counts
once, in the earlier year); the current year is compared with the same
period of the year before, not with a whole year; money is summed per
currency and never converted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twindesk.bundle.files import write_atomic
from twindesk.bundle.report_text import (
    change,
    counts_line,
    figures_note,
    key_sentences,
    new_year_note,
    period_note,
    tie_line,
    titled,
)
from twindesk.services.benefits import a_year_before
from twindesk.services.money import figure

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

# The sentences (report_text) are found here too, where the renderers and tests look for them.
__all__ = ["FORMATS", "ReportData", "change", "counts_line", "figures_note", "key_sentences", "new_year_note",
           "period_note", "render", "report_data", "tie_line", "titled", "write", "write_report"]

FORMATS = ("html", "md")
MAX_LISTED = 500  # visits or invitations listed; the counts stay exact
MAX_RECENT = 20  # outcome titles listed per area
MAX_STAGE_CITIES = 200
MAX_PARTNERS = 60  # partner-city sections; the stage table names every partner
MAX_PARTNER_ROWS = 8  # visits or invitations listed in one partner's section
CHART_YEARS = 5


@dataclass(frozen=True)
class Period:
    """The stretch of a year being reported, and the same stretch a year before."""

    year: int
    first: dt.date
    last: dt.date  # 31 December, or today for the current year
    to_date: bool  # the year is not over: the comparison is year to date

    @property
    def before_first(self) -> dt.date:
        return self.first.replace(year=max(self.year - 1, 1))

    @property
    def before_last(self) -> dt.date:
        return a_year_before(self.last)

    @property
    def label(self) -> str:
        return f"{self.year} to {_day(self.last)}" if self.to_date else str(self.year)

    @property
    def before_label(self) -> str:
        return f"{self.year - 1} to {_day(self.before_last)}" if self.to_date else str(self.year - 1)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


@dataclass(frozen=True)
class StageLine:
    name: str
    count: int
    cities: tuple[str, ...]  # "Busan (sister city)", at most MAX_STAGE_CITIES


@dataclass(frozen=True)
class VisitLine:
    start: str
    end: str
    direction: str
    city: str
    status: str
    purpose: str


@dataclass(frozen=True)
class InvitationLine:
    start: str
    end: str
    event: str
    host: str
    direction: str
    status: str


@dataclass(frozen=True)
class Listing:
    """Rows of the year (at most MAX_LISTED) and exact counts."""

    total: int
    rows: tuple[Any, ...]
    by_status: tuple[tuple[str, int], ...]
    by_direction: tuple[tuple[str, int], ...]
    into_next_year: int = 0  # of those counted, how many end in the next year

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class FigureTotal:
    measure: str
    total: float
    unit: str  # a currency code for money, else the measure's (plural) unit

    @property
    def shown(self) -> str:
        return figure(self.total, self.unit)


@dataclass(frozen=True)
class ProgrammeLine:
    name: str
    outcomes: int
    figures: tuple[FigureTotal, ...]


@dataclass(frozen=True)
class RecentOutcome:
    happened_on: str
    title: str
    city: str
    programme: str


@dataclass(frozen=True)
class AreaSection:
    number: int
    name: str
    outcomes: int
    programmes: tuple[ProgrammeLine, ...]
    recent: tuple[RecentOutcome, ...]


@dataclass(frozen=True)
class SeriesLine:
    """One measure of a benefit (money: one currency)."""

    measure: str
    unit: str
    total: float  # in the period (year to date for the current year)
    before: float  # in the same period a year before
    by_area: tuple[tuple[str, float], ...]  # where `total` was logged: (area name, amount)
    by_year: tuple[tuple[int, float], ...]  # the chart's years, oldest first; the last is `total`

    @property
    def change(self) -> float | None:
        """As a fraction; None when the period before had nothing."""
        return (self.total - self.before) / self.before if self.before else None


@dataclass(frozen=True)
class BenefitSection:
    name: str
    summary: str
    series: tuple[SeriesLine, ...]


@dataclass(frozen=True)
class AreaCount:
    number: int
    name: str
    outcomes: int
    before: int  # in the same period a year before


@dataclass(frozen=True)
class Money:
    currency: str
    cents: int  # in hundredths, whatever the currency's minor units

    @property
    def shown(self) -> str:
        return figure(self.cents / 100, self.currency)


@dataclass(frozen=True)
class KeyNumbers:
    visits_out: int
    visits_in: int
    visits_cancelled: int
    travelled_out: int  # members of our delegations abroad
    travelled_in: int  # members of delegations that came to us
    received: int
    received_answered: tuple[tuple[str, int], ...]  # (status, n): accepted, declined, attended
    sent: int
    sent_answered: tuple[tuple[str, int], ...]
    budget_done: tuple[Money, ...]  # visits done
    budget_coming: tuple[Money, ...]  # planned or confirmed
    budget_visits: int  # visits (not cancelled) with a budget
    visits_counted: int  # visits (not cancelled) in all


@dataclass(frozen=True)
class PartnershipLine:
    kind: str
    stage: str
    since: str  # the date of the latest stage change, or ""
    signed_on: str
    signed_place: str


@dataclass(frozen=True)
class PartnerSection:
    city: str
    hangul: str
    province: str
    partnerships: tuple[PartnershipLine, ...]
    visits: Listing
    invitations: Listing
    outcomes: tuple[tuple[str, int], ...]  # (area name, outcomes in the year)
    figures: tuple[FigureTotal, ...]


@dataclass(frozen=True)
class ReportData:
    home: str
    year: int
    generated: dt.date
    period: Period
    partnerships: int
    stages: tuple[StageLine, ...]
    key: KeyNumbers
    visits: Listing
    invitations: Listing
    areas: tuple[AreaSection, ...]
    area_counts: tuple[AreaCount, ...]
    benefits: tuple[BenefitSection, ...]
    partners: tuple[PartnerSection, ...]
    partner_cities: int  # partner cities in all (sections are capped)

    @property
    def title(self) -> str:
        return f"{self.home}: sister-city partnerships with Korea, {self.year}"


def write_report(desk: Desk, year: int, fmt: str, out_file: Path) -> Path:
    """Write the report for `year` as "md" or "html" to `out_file`."""
    write(desk, year, fmt, out_file)
    return Path(out_file)


def write(desk: Desk, year: int, fmt: str, out_file: Path) -> ReportData:
    """As write_report, returning what the report says (the CLI prints counts)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    data = report_data(desk, year)
    write_atomic(Path(out_file), render(data, fmt))
    return data


def report_data(desk: Desk, year: int) -> ReportData:
    from twindesk.bundle.report_data import gather

    return gather(desk, year)


def render(data: ReportData, fmt: str) -> list[str]:
    if fmt == "md":
        from twindesk.bundle.report_md import render_markdown

        return render_markdown(data)
    from twindesk.bundle.report_html import render_html

    return render_html(data)
