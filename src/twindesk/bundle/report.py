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
from typing import Any

from twindesk.bundle.files import write_atomic
from twindesk.services.money import figure
from twindesk.text import plural

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
        try:
            return self.last.replace(year=max(self.year - 1, 1))
        except ValueError:  # 29 February: the same period ends on the 28th
            return self.last.replace(year=self.year - 1, day=28)

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


def write_report(desk: Any, year: int, fmt: str, out_file: Path) -> Path:
    """Write the report for `year` as "md" or "html" to `out_file`."""
    write(desk, year, fmt, out_file)
    return Path(out_file)


def write(desk: Any, year: int, fmt: str, out_file: Path) -> ReportData:
    """As write_report, returning what the report says (the CLI prints counts)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    data = report_data(desk, year)
    write_atomic(Path(out_file), render(data, fmt))
    return data


def report_data(desk: Any, year: int) -> ReportData:
    from twindesk.bundle.report_data import gather

    return gather(desk, year)


def render(data: ReportData, fmt: str) -> list[str]:
    if fmt == "md":
        from twindesk.bundle.report_md import render_markdown

        return render_markdown(data)
    from twindesk.bundle.report_html import render_html

    return render_html(data)


# Sentences shared by the renderers (plain text; each renderer escapes) ---------
def change(value: float | None) -> str:
    if value is None:
        return "n/a"
    shown = f"{value * 100:+,.1f}".removesuffix(".0")
    return f"{shown}%"


def counts_line(listing: Listing, noun: str) -> str:
    """"12 visits: 8 outbound, 4 inbound. By status: 3 planned, 9 done."""
    total = plural(listing.total, noun)
    if not listing.total:
        return total + "."
    directions = ", ".join(f"{n:,} {key}" for key, n in listing.by_direction)
    statuses = ", ".join(f"{n:,} {key}" for key, n in listing.by_status)
    return f"{total}: {directions}. By status: {statuses}."


def period_note(period: Period) -> str:
    if period.to_date:
        return (f"{period.year} is not over: its figures run from 1 January to {period.last.day} "
                f"{period.last:%B} and are compared with the same period of {period.year - 1}, not with the "
                "whole of that year.")
    return f"Figures for the whole of {period.year}, compared with the whole of {period.year - 1}."


def new_year_note(listing: Listing, noun: str, year: int) -> str:
    """Counting rule for things that span New Year, with this year's case."""
    rule = (f"{noun.capitalize()}s are counted once, in the year they start: one from 30 December to "
            "2 January counts in the earlier year.")
    if listing.into_next_year:
        these = "it runs" if listing.into_next_year == 1 else "they run"
        rule += f" {plural(listing.into_next_year, noun)} of {year} counted here ({these} into {year + 1})."
    return rule


def tie_line(t: PartnershipLine) -> str:
    """"Sister city, active since 2021-05-01; signed on 2020-05-01 at Busan City Hall", but
    "Sister city, signed on 2026-08-24 at ..." rather than "signed since ...; signed ..."."""
    stage = t.stage.lower()
    at = f" at {t.signed_place}" if t.signed_place else ""
    if t.signed_on and stage == "signed" and t.since in ("", t.signed_on):
        return f"{t.kind}, signed on {t.signed_on}{at}"
    line = f"{t.kind}, {stage}" + (f" since {t.since}" if t.since else "")
    return line + (f"; signed on {t.signed_on}{at}" if t.signed_on else "")


def titled(measure: str, unit: str) -> str:
    """"Trade value (EUR)", "Media reach (people reached)", but "Visitors", not "Visitors (visitors)"."""
    return f"{measure} ({unit})" if unit and unit.casefold() != measure.casefold() else measure


def _moneys(amounts: tuple[Money, ...]) -> str:
    return " and ".join(m.shown for m in amounts)


def _answers(answered: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{n:,} {status}" for status, n in answered)


def key_sentences(data: ReportData) -> list[str]:
    """The short paragraph of key numbers after the summary table."""
    k, year = data.key, data.year
    stages = ", ".join(f"{s.count:,} {s.name.lower()}" for s in data.stages if s.count)
    out = [f"{plural(data.partnerships, 'partnership')} with Korean cities" + (f" ({stages})." if stages else ".")]
    visits = k.visits_out + k.visits_in
    line = (f"{plural(visits, 'delegation visit')} in {year}: {k.visits_out:,} outbound and "
            f"{k.visits_in:,} inbound")
    line += f" ({plural(k.visits_cancelled, 'more visit')} cancelled)." if k.visits_cancelled else "."
    out.append(line)
    travelled = k.travelled_out + k.travelled_in
    out.append(f"{plural(travelled, 'person', 'people')} travelled: {k.travelled_out:,} in our delegations abroad "
               f"and {k.travelled_in:,} in delegations that came to us.")
    if k.received or k.sent:
        answered_in = sum(n for _, n in k.received_answered)
        answered_out = sum(n for _, n in k.sent_answered)
        parts = []
        if k.received:
            if k.received == 1:
                said = "we answered the one we received" if answered_in else "the one we received awaits our answer"
            else:
                said = f"we answered {answered_in:,} of the {k.received:,} we received"
            parts.append(said + (f" ({_answers(k.received_answered)})" if answered_in else ""))
        if k.sent:
            if k.sent == 1:
                said = "the one we sent was answered" if answered_out else "the one we sent awaits an answer"
            else:
                said = f"{answered_out:,} of the {k.sent:,} we sent {'was' if answered_out == 1 else 'were'} answered"
            parts.append(said + (f" ({_answers(k.sent_answered)})" if answered_out else ""))
        out.append(f"Invitations: {'; '.join(parts)}.")
    if k.budget_visits:
        money = []
        if k.budget_done:
            money.append(f"{_moneys(k.budget_done)} for visits done")
        if k.budget_coming:
            money.append(f"{_moneys(k.budget_coming)} for visits still planned or confirmed")
        out.append(f"Budgets recorded for {k.budget_visits:,} of {plural(k.visits_counted, 'visit')}: "
                   f"{'; '.join(money)}. twindesk records each visit's budget, not what was finally spent; "
                   "currencies are added up separately, never converted.")
    else:
        out.append(f"No visit of {year} has a budget recorded.")
    return out


def figures_note(data: ReportData) -> str:
    """Why a measure reads differently in area 4's table and in the benefits,
    quoting the report's own numbers (the first benefit measure logged)."""
    rule = ("The area tables count a figure only under the area its outcome was logged in; the expected "
            "benefits add up the same measure from the outcomes of every area.")
    own_area = next((a.name for a in data.areas if a.number == 4), None)
    for benefit in data.benefits:
        for s in benefit.series:
            if not s.by_area:
                continue
            parts = ", ".join(f"{figure(v, s.unit)} under {name}" for name, v in s.by_area)
            if own_area is None:  # nothing logged under area 4 itself: it has no table
                return f"{rule} So {s.measure}, {figure(s.total, s.unit)} among the benefits, comes from {parts}."
            own = dict(s.by_area).get(own_area, 0.0)
            return (f"{rule} So {s.measure} reads {figure(own, s.unit)} in the table of area 4 ({own_area}) "
                    f"but {figure(s.total, s.unit)} among the benefits: {parts}.")
    return rule
