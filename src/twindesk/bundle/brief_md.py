"""The delegation brief as Markdown, in the order of the HTML one.

User text goes through report_md.text: one line, every Markdown special
character escaped, so a name cannot break a table or become a link.
"""

from __future__ import annotations

from twindesk.bundle.brief import Brief, Gift
from twindesk.bundle.brief_html import long_date, span
from twindesk.bundle.report_md import table, text


def _facts(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"- **{label}:** {value}\n" for label, value in pairs if value] + ["\n"]


def render_markdown(data: Brief) -> list[str]:
    city = f"{text(data.city)} {text(data.hangul)}".strip()
    where = "to" if data.outbound else "from"
    out = [
        f"# Delegation brief: {city}\n\n",
        f"{data.direction.capitalize()} visit {where} {text(data.city)}, {span(data.start, data.end)} · "
        f"{text(data.status)}\n\n",
        f"*Private: this brief holds personal details of the delegation and its contacts. Generated on "
        f"{data.generated.isoformat()} by twindesk.*\n\n",
        "## Purpose and dates · 방문 목적과 일정\n\n",
    ]
    out += _facts([
        ("Purpose", text(data.purpose) or "not given"), ("Dates", span(data.start, data.end)),
        ("Direction", "Outbound: our delegation travels to Korea" if data.outbound
         else f"Inbound: a delegation from {text(data.city)} visits us"),
        ("Status", text(data.status)), ("Cooperation areas", text(", ".join(data.areas))),
        ("Budget", text(data.budget)), ("Notes", text(data.notes)),
    ])
    out.append("## Partner city · 상대 도시\n\n")
    out += _facts([("City", city), ("Province", text(data.province)), ("Kind", text(data.city_kind)),
                   ("Industries", text(", ".join(data.industries)))])
    out.append("## Partnership · 교류 관계\n\n")
    if not data.partnerships:
        out.append(f"No partnership with {text(data.city)} is recorded.\n\n")
    for p in data.partnerships:
        signed = p.signed_on + (f" at {p.signed_place}" if p.signed_place else "")
        out += _facts([("Kind", text(p.kind)), ("Stage now", f"**{text(p.stage)}**"), ("Signed", text(signed)),
                       ("Our signatories", text(p.signatories_home)),
                       ("Their signatories", text(p.signatories_partner)),
                       ("Sectors", text(", ".join(p.sectors)))])
        if p.history:
            out.append("Stage history:\n\n")
            out += table(["Date", "Stage", "Note"], [[s.changed_on, text(s.stage), text(s.note)] for s in p.history])
    out.append("## Delegation members · 대표단 명단\n\n")
    if data.members:
        out += table(["Name", "Role", "Title and organisation", "Dietary needs", "Contact"],
                     [[text(m.name), text(m.role), text(", ".join(x for x in (m.title, m.organisation) if x)),
                       text(m.dietary), text(m.contact)] for m in data.members])
    else:
        out.append("No members recorded yet.\n\n")
    out += ["## Itinerary · 일정표\n\n", f"**{text(data.times_note)}**\n\n"]
    for day in data.days:
        out.append(f"### {long_date(day.day)}\n\n")
        if not day.items:
            out.append("Nothing planned yet.\n\n")
            continue
        out += table(["Time", "What", "Place", "Host"],
                     [[i.time or "—", text(i.what) + (" (outside the visit's dates)" if i.outside else ""),
                       text(i.place), text(i.host)] for i in day.items])
    out.append("## Gifts · 선물\n\n")
    out += _gifts("To give", data.gifts_to_give, "To") + _gifts("Received", data.gifts_received, "From")
    out.append(f"## Contacts in {text(data.city)} · 연락처\n\n")
    if data.contacts:
        out += table(["Name", "Title and organisation", "E-mail", "Phone", "Languages"],
                     [[text(c.name), text(", ".join(x for x in (c.title, c.organisation) if x)), text(c.email),
                       text(c.phone), text(c.language)] for c in data.contacts])
    else:
        out.append("No contacts recorded for this partnership.\n\n")
    out.append(f"## Open invitations with {text(data.city)} · 초청 현황\n\n")
    if data.invitations:
        out += table(["Event", "Dates", "RSVP by", "Status", "Who goes or performs"],
                     [[text(i.event), i.start if i.start == i.end else f"{i.start} – {i.end}", i.rsvp_by,
                       text(i.status), text(i.party)] for i in data.invitations])
    else:
        out.append("None open.\n\n")
    return out


def _gifts(label: str, gifts: tuple[Gift, ...], who: str) -> list[str]:
    if not gifts:
        return [f"{label}: none recorded.\n\n"]
    return [f"{label}:\n\n", *table(["Gift", who, "Occasion", "Date", "Estimated value", "What became of it"],
                                    [[text(g.item), text(g.counterpart), text(g.occasion), g.given_on, g.value,
                                      g.disposition] for g in gifts])]
