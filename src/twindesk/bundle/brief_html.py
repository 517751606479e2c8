"""The delegation brief as one self-contained, print-ready HTML file.

Headings carry their Korean name too, so partners on the other side can
follow the document; every name is shown as typed, city names in English
and Hangul. Escaping, the page head and the print style are html_page's.
"""

from __future__ import annotations

import datetime as dt

from twindesk.bundle.brief import Brief, Gift
from twindesk.bundle.html_page import FOOT, bilingual, breakable, dates, e, head, table

EXTRA_STYLE = """
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .4rem 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.private { font-size: .85rem; color: #8a2d2d; border: 1px solid #e3b8b8; padding: .3rem .6rem; }
h3.day { margin-top: 1rem; }
.phone { white-space: nowrap; }
.outside { color: #8a2d2d; font-style: italic; }
@media print { .day-block { break-inside: avoid; page-break-inside: avoid; } }
"""


def _h2(english: str, korean: str) -> str:
    return f'<h2>{e(english)} <span class="ko" lang="ko">{e(korean)}</span></h2>\n'


def _facts(pairs: list[tuple[str, str]]) -> str:
    """A definition list of (label, escaped HTML); empty values are left out."""
    rows = "".join(f"<dt>{e(label)}</dt><dd>{value}</dd>" for label, value in pairs if value)
    return f'<dl class="facts">{rows}</dl>\n' if rows else ""


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def span(start: dt.date, end: dt.date) -> str:
    if start == end:
        return long_date(start)
    return f"{long_date(start)} – {long_date(end)} ({(end - start).days + 1} days)"


def render_html(data: Brief) -> list[str]:
    where = "to" if data.outbound else "from"
    out = [
        head(data.title, EXTRA_STYLE),
        f"<h1>Delegation brief: {bilingual(data.city, data.hangul)}</h1>\n",
        f'<p class="muted">{e(data.direction.capitalize())} visit {where} {e(data.city)}, '
        f"{e(span(data.start, data.end))} · {e(data.status)}</p>\n",
        '<p class="private">Private: this brief holds personal details of the delegation and its contacts. '
        f"Generated on {e(data.generated.isoformat())} by twindesk.</p>\n",
    ]
    for part in (_purpose, _city, _partnership, _members, _itinerary, _gifts, _contacts, _invitations):
        out += part(data)
    out.append(FOOT)
    return out


def _purpose(data: Brief) -> list[str]:
    notes = e(data.notes).replace("\n", "<br>")
    return [_h2("Purpose and dates", "방문 목적과 일정"), _facts([
        ("Purpose", e(data.purpose) or '<span class="muted">not given</span>'),
        ("Dates", e(span(data.start, data.end))),
        ("Direction", e("Outbound: our delegation travels to Korea" if data.outbound
                        else f"Inbound: a delegation from {data.city} visits us")),
        ("Status", e(data.status)),
        ("Cooperation areas", e(", ".join(data.areas))),
        ("Budget", e(data.budget)),
        ("Notes", notes),
    ])]


def _city(data: Brief) -> list[str]:
    industries = "".join(f"<li>{e(i)}</li>" for i in data.industries)
    return [_h2("Partner city", "상대 도시"), _facts([
        ("City", bilingual(data.city, data.hangul)),
        ("Province", e(data.province)),
        ("Kind", e(data.city_kind)),
        ("Industries", f"<ul>{industries}</ul>" if industries else ""),
    ])]


def _partnership(data: Brief) -> list[str]:
    out = [_h2("Partnership", "교류 관계")]
    if not data.partnerships:
        return [*out, f"<p>No partnership with {e(data.city)} is recorded.</p>\n"]
    for p in data.partnerships:
        signed = p.signed_on + (f" at {p.signed_place}" if p.signed_place else "")
        out.append(_facts([
            ("Kind", e(p.kind)), ("Stage now", f"<strong>{e(p.stage)}</strong>"), ("Signed", e(signed)),
            ("Our signatories", e(p.signatories_home)), ("Their signatories", e(p.signatories_partner)),
            ("Sectors", e(", ".join(p.sectors))),
        ]))
        if p.history:
            out.append('<h4>Stage history</h4>\n')
            out += table([("Date", "d"), ("Stage", ""), ("Note", "")],
                         [[e(s.changed_on), e(s.stage), e(s.note)] for s in p.history], widths=(18, 32, 50))
    return out


def _members(data: Brief) -> list[str]:
    out = [_h2("Delegation members", "대표단 명단")]
    if not data.members:
        return [*out, "<p>No members recorded yet.</p>\n"]
    return out + table(
        [("Name", ""), ("Role", ""), ("Title and organisation", ""), ("Dietary needs", ""), ("Contact", "")],
        [[f"<strong>{e(m.name)}</strong>", e(m.role), e(", ".join(x for x in (m.title, m.organisation) if x)),
          e(m.dietary), breakable(m.contact)] for m in data.members],
        widths=(18, 14, 26, 14, 28),
    )


def _itinerary(data: Brief) -> list[str]:
    out = [_h2("Itinerary", "일정표"), f'<p class="lead"><strong>{e(data.times_note)}</strong></p>\n']
    if not any(day.items for day in data.days):
        out.append("<p>No itinerary items yet.</p>\n")
    for day in data.days:
        out.append(f'<div class="day-block"><h3 class="day">{e(long_date(day.day))}</h3>\n')
        if not day.items:
            out.append('<p class="muted">Nothing planned yet.</p></div>\n')
            continue
        rows = []
        for item in day.items:
            what = e(item.what) + (' <span class="outside">(outside the visit\'s dates)</span>' if item.outside else "")
            rows.append([e(item.time or "—"), what, e(item.place), e(item.host)])
        out += table([("Time", "d"), ("What", ""), ("Place", ""), ("Host", "")], rows, widths=(10, 40, 28, 22))
        out.append("</div>\n")
    return out


def _gift_table(gifts: tuple[Gift, ...], who: str) -> list[str]:
    return table([("Gift", ""), (who, ""), ("Occasion", ""), ("Date", "d"), ("Value", "n"),
                  ("What became of it", "")],
                 [[e(g.item), e(g.counterpart), e(g.occasion), e(g.given_on), e(g.value), e(g.disposition)]
                  for g in gifts],
                 widths=(22, 18, 16, 13, 14, 17))


def _gifts(data: Brief) -> list[str]:
    out = [_h2("Gifts", "선물"), "<h4>To give</h4>\n"]
    out += _gift_table(data.gifts_to_give, "To") if data.gifts_to_give else ['<p class="muted">None recorded.</p>\n']
    out.append("<h4>Received</h4>\n")
    out += (_gift_table(data.gifts_received, "From") if data.gifts_received
            else ['<p class="muted">None recorded.</p>\n'])
    return out


def _contacts(data: Brief) -> list[str]:
    out = [_h2(f"Contacts in {data.city}", "연락처")]
    if not data.contacts:
        return [*out, "<p>No contacts recorded for this partnership.</p>\n"]
    return out + table(
        [("Name", ""), ("Title and organisation", ""), ("E-mail", ""), ("Phone", ""), ("Languages", "")],
        [[f"<strong>{e(c.name)}</strong>", e(", ".join(x for x in (c.title, c.organisation) if x)), breakable(c.email),
          phone(c.phone), e(c.language)] for c in data.contacts],
        widths=(16, 27, 23, 20, 14),
    )


def phone(number: str) -> str:
    """A phone number kept on one line ("+82 10-0844-" then "3004" would be misdialled); a
    number too long for its column still wraps."""
    return f'<span class="phone">{e(number)}</span>' if len(number) <= 20 else e(number)


def _invitations(data: Brief) -> list[str]:
    out = [_h2(f"Open invitations with {data.city}", "초청 현황")]
    if not data.invitations:
        return [*out, "<p>None open.</p>\n"]
    return out + table(
        [("Event", ""), ("Dates", "d"), ("RSVP by", "d"), ("Status", "d"), ("Who goes or performs", "")],
        [[e(i.event), dates(i.start, i.end), e(i.rsvp_by), e(i.status),
          e(i.party)] for i in data.invitations],
    )
