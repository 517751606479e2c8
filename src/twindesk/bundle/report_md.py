"""The council report as Markdown, in the order of the HTML one; the charts
become five-year tables.

User text is escaped so that it stays text: a `|` or a line break cannot
break a table, and `<`, `*`, `_`, `[` and friends are backslash-escaped so
a Markdown renderer shows them instead of formatting (or passing raw HTML
like `<script>` through).
"""

from __future__ import annotations

import re

from twindesk.bundle import report as r
from twindesk.services.money import figure
from twindesk.text import clean, date_span, plural

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&])")


def text(value: str) -> str:
    """User text as literal Markdown inline text on one line."""
    value = " ".join(clean(value, multiline=True).split())  # newlines (and runs of spaces) would end a table row
    return _SPECIAL.sub(r"\\\1", value)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |\n"


def table(headers: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    rule = ["---:" if i < len(align) and align[i] == "r" else "---" for i in range(len(headers))]
    return [_row(headers), _row(rule), *(_row(row) for row in rows), "\n"]


def render_markdown(data: r.ReportData) -> list[str]:
    out = [
        f"# {text(data.title)}\n\n",
        f"A report for the city council. Generated on {data.generated.isoformat()} by twindesk.\n\n",
    ]
    for part in (_summary, _five_years, _partners, _areas, _benefits, _stages, _visits, _invitations):
        out += part(data)
    return out


def _summary(data: r.ReportData) -> list[str]:
    p = data.period
    out = ["## 1. Summary\n\n", f"{text(r.period_note(p))}\n\n"]
    rows = []
    for benefit in data.benefits:
        if not benefit.series:
            rows.append([text(benefit.name), "No figures logged yet", "", "", ""])
        for i, s in enumerate(benefit.series):
            rows.append([text(benefit.name) if i == 0 else "", text(s.measure), text(figure(s.total, s.unit)),
                         text(figure(s.before, s.unit)), r.change(s.change)])
    out += table(["Expected benefit", "Measure", text(p.label), text(p.before_label), "Change"], rows, "  rrr")
    out.append("### Key numbers\n\n")
    out += [f"- {text(line)}\n" for line in r.key_sentences(data)]
    out.append("\nHow to read these figures:\n\n")
    out += [f"- {text(note)}\n" for note in (
        r.new_year_note(data.visits, "visit", data.year),
        "Money is shown in its own currency, to the cent (the won and yen have no cents); currencies are "
        "never added together or converted.",
        r.figures_note(data))]
    return [*out, "\n"]


def _five_years(data: r.ReportData) -> list[str]:
    series = [(b.name, s) for b in data.benefits for s in b.series]
    out = ["## 2. Five years\n\n"]
    if not series:
        return [*out, "No figures logged yet.\n\n"]
    years = [y for y, _ in series[0][1].by_year]
    heads = [str(y) + (" (to date)" if data.period.to_date and y == data.year else "") for y in years]
    out += table(["Expected benefit", "Measure", *heads],
                 [[text(name), text(r.titled(s.measure, s.unit)),
                   *(text(figure(v, s.unit)) for _, v in s.by_year)] for name, s in series],
                 "  " + "r" * len(years))
    out.append("Outcomes logged per cooperation area:\n\n")
    out += table(["Area", text(data.period.label), text(data.period.before_label)],
                 [[f"{c.number}. {text(c.name)}", f"{c.outcomes:,}", f"{c.before:,}"] for c in data.area_counts],
                 " rr")
    return out


def _partners(data: r.ReportData) -> list[str]:
    out = ["## 3. Partner cities\n\n"]
    if not data.partners:
        return [*out, "No partnerships yet.\n\n"]
    for partner in data.partners:
        name = f"{text(partner.city)} {text(partner.hangul)}".strip()
        out.append(f"### {name}" + (f" · {text(partner.province)}" if partner.province else "") + "\n\n")
        for t in partner.partnerships:
            out.append(f"- {text(r.tie_line(t))}\n")
        out.append(f"\n{text(r.counts_line(partner.visits, 'visit'))}\n\n")
        if partner.visits.rows:
            out += table(["Dates", "Direction", "Status", "Purpose"],
                         [[text(date_span(v.start, v.end)), v.direction, v.status, text(v.purpose)]
                          for v in partner.visits.rows])
            if partner.visits.more:
                out.append(f"…and {partner.visits.more:,} more (section 7).\n\n")
        if partner.invitations.total:
            out.append(f"{text(r.counts_line(partner.invitations, 'invitation'))}\n\n")
            out += table(["Dates", "Event", "Direction", "Status"],
                         [[text(date_span(i.start, i.end)), text(i.event), i.direction, i.status]
                          for i in partner.invitations.rows])
        outcomes = sum(n for _, n in partner.outcomes)
        line = plural(outcomes, "outcome") + (
            ": " + ", ".join(f"{n:,} {name.lower()}" for name, n in partner.outcomes) if outcomes else "")
        out.append(f"{text(line)}.\n\n")
        if partner.figures:
            out.append("Figures: " + text("; ".join(f"{f.measure}: {f.shown}" for f in partner.figures)) + ".\n\n")
    if data.partner_cities > len(data.partners):
        out.append(f"…and {data.partner_cities - len(data.partners):,} more partner cities (section 6).\n\n")
    return out


def _areas(data: r.ReportData) -> list[str]:
    out = [f"## 4. Outcomes by cooperation area, {data.year}\n\n"]
    for area in data.areas:
        out.append(f"### {area.number}. {text(area.name)}\n\n{plural(area.outcomes, 'outcome')} logged in "
                   f"{data.year}.\n\n")
        if area.number == 4:
            out.append(f"{text(r.figures_note(data))}\n\n")
        out += table(["Programme", "Outcomes", "Figures"],
                     [[text(p.name), f"{p.outcomes:,}", text(", ".join(f"{f.measure}: {f.shown}" for f in p.figures))]
                      for p in area.programmes], " r")
        if area.recent:
            out.append("Most recent outcomes:\n\n")
            for o in area.recent:
                where = f" ({text(o.city)})" if o.city else ""
                out.append(f"- {text(o.happened_on)}: {text(o.title)}{where}, {text(o.programme)}\n")
            if area.outcomes > len(area.recent):
                out.append(f"- …and {area.outcomes - len(area.recent):,} more\n")
            out.append("\n")
    return out


def _benefits(data: r.ReportData) -> list[str]:
    p = data.period
    out = ["## 5. Expected benefits in detail\n\n", f"{text(r.figures_note(data))}\n\n"]
    for benefit in data.benefits:
        out += [f"### {text(benefit.name)}\n\n", f"{text(benefit.summary)}\n\n"]
        if not benefit.series:
            out.append("No figures logged yet.\n\n")
            continue
        out += table(["Measure", text(p.label), text(p.before_label), "Change", "Logged under"],
                     [[text(s.measure), text(figure(s.total, s.unit)), text(figure(s.before, s.unit)),
                       r.change(s.change), text("; ".join(f"{n}: {figure(v, s.unit)}" for n, v in s.by_area))]
                      for s in benefit.series], " rrr")
    return out


def _stages(data: r.ReportData) -> list[str]:
    out = ["## 6. Partnerships by stage\n\n", f"{plural(data.partnerships, 'partnership')} with Korean cities.\n\n"]
    return out + table(["Stage", "Partnerships", "Cities"],
                       [[text(s.name), f"{s.count:,}", text(", ".join(s.cities))] for s in data.stages], " r")


def _visits(data: r.ReportData) -> list[str]:
    out = [f"## 7. Delegation visits in {data.year}\n\n", text(r.counts_line(data.visits, "visit")) + "\n\n",
           text(r.new_year_note(data.visits, "visit", data.year)) + "\n\n"]
    if data.visits.rows:
        out += table(["Dates", "Direction", "City", "Status", "Purpose"],
                     [[text(date_span(v.start, v.end)), text(v.direction), text(v.city), text(v.status),
                       text(v.purpose)] for v in data.visits.rows])
        if data.visits.more:
            out.append(f"…and {data.visits.more:,} more.\n\n")
    return out


def _invitations(data: r.ReportData) -> list[str]:
    out = [f"## 8. Festival and event invitations in {data.year}\n\n",
           text(r.counts_line(data.invitations, "invitation")) + "\n\n",
           text(r.new_year_note(data.invitations, "invitation", data.year)) + "\n\n"]
    if data.invitations.rows:
        out += table(["Dates", "Event", "Host", "Direction", "Status"],
                     [[text(date_span(i.start, i.end)), text(i.event), text(i.host), text(i.direction),
                       text(i.status)] for i in data.invitations.rows])
        if data.invitations.more:
            out.append(f"…and {data.invitations.more:,} more.\n\n")
    return out
