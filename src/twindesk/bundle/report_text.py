"""The council report's sentences, shared by its renderers: plain text,
each renderer escapes it. The figures they quote are report's dataclasses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twindesk.services.money import figure
from twindesk.text import percent, plural

if TYPE_CHECKING:
    from twindesk.bundle.report import Listing, Money, PartnershipLine, Period, ReportData


def change(value: float | None) -> str:
    return "n/a" if value is None else percent(value)


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
