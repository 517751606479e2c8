"""The council report as one self-contained, print-ready HTML file.

The summary comes first (the four expected benefits, then key numbers),
then charts, one section per partner city, the cooperation areas, and the
full lists last. Printing gives page numbers, a table of contents whose
entries link to their sections, headings kept with what follows, table
headers repeated on every page, and long words wrapped instead of cut.
Escaping and the page head are html_page's.
"""

from __future__ import annotations

from twindesk.bundle import report as r
from twindesk.bundle.html_page import FOOT, bilingual, dates, e, head, table
from twindesk.bundle.report_svg import area_chart, series_chart
from twindesk.services.money import figure
from twindesk.text import plural

EXTRA_STYLE = """
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .4rem 1.2rem; }
figure { margin: .4rem 0 1rem; }
figure.benefit { break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
.partner + .partner { border-top: 1px solid #c9d3dc; padding-top: .2rem; }
.summary td:first-child { font-weight: 600; }
.summary td.n, .figures td.n { white-space: normal; }
.figures td.pct { white-space: nowrap; }
/* A partner's section may run on to the next page (its table repeats its header); kept whole,
   every partner began a page and left half of the one before it blank. Its heading and opening
   lines stay together, and with the table that follows them. */
@media print { .partner p { break-after: avoid; page-break-after: avoid; } }
"""

SECTIONS = (
    ("summary", "Summary"),
    ("charts", "Charts"),
    ("partners", "Partner cities"),
    ("areas", "Outcomes by cooperation area"),
    ("benefits", "Expected benefits in detail"),
    ("stages", "Partnerships by stage"),
    ("visits", "Delegation visits"),
    ("invitations", "Festival and event invitations"),
)


def _h2(key: str, page: bool = False) -> str:
    number, name = next((i + 1, n) for i, (k, n) in enumerate(SECTIONS) if k == key)
    cls = ' class="page"' if page else ""
    return f'<h2 id="{key}"{cls}>{number}. {e(name)}</h2>\n'


def render_html(data: r.ReportData) -> list[str]:
    out = [
        head(data.title, EXTRA_STYLE),
        f"<h1>{e(data.title)}</h1>\n",
        f'<p class="muted">A report for the city council. Generated on {e(data.generated.isoformat())} '
        "by twindesk.</p>\n",
        '<nav class="toc"><h4>Contents</h4><ol>'
        + "".join(f'<li><a href="#{k}">{e(n)}</a></li>' for k, n in SECTIONS) + "</ol></nav>\n",
    ]
    for part in (_summary, _charts, _partners, _areas, _benefits, _stages, _visits, _invitations):
        out += part(data)
    out.append(FOOT)
    return out


def _summary(data: r.ReportData) -> list[str]:
    p = data.period
    out = ["<section>\n", _h2("summary"), f"<p>{e(r.period_note(p))}</p>\n"]
    rows = []
    for benefit in data.benefits:
        if not benefit.series:
            rows.append([e(benefit.name), '<span class="muted">No figures logged yet</span>', "", "", ""])
        for i, s in enumerate(benefit.series):
            rows.append([e(benefit.name) if i == 0 else "", e(s.measure), e(figure(s.total, s.unit)),
                         e(figure(s.before, s.unit)), e(r.change(s.change))])
    out += table([("Expected benefit", ""), ("Measure", ""), (p.label, "n"), (p.before_label, "n"),
                  ("Change", "n")], rows, "summary", widths=(24, 18, 22, 22, 14))
    out.append("<h3>Key numbers</h3>\n<ul>\n" + "".join(f"<li>{e(s)}</li>\n" for s in r.key_sentences(data))
               + "</ul>\n")
    out.append('<ul class="notes">\n')
    for note in (r.new_year_note(data.visits, "visit", data.year),
                 "Money is shown in its own currency, to the cent (the won and yen have no cents), and amounts "
                 "in different currencies are never added together or converted.",
                 r.figures_note(data)):
        out.append(f"<li>{e(note)}</li>\n")
    out.append("</ul>\n</section>\n")
    return out


def _charts(data: r.ReportData) -> list[str]:
    first = data.year - r.CHART_YEARS + 1
    out = ["<section>\n", _h2("charts"),
           f'<p class="note">Each expected benefit from {first} to {data.year}, one chart per measure (and per '
           "currency), each on its own scale."
           + (f" The {data.year} bar is lighter: the year is not over." if data.period.to_date else "")
           + "</p>\n"]
    for benefit in data.benefits:
        out.append(f'<figure class="benefit"><figcaption>{e(benefit.name)}</figcaption>\n')
        if benefit.series:
            out.append('<div class="charts">' + "".join(series_chart(s, data.period) for s in benefit.series)
                       + "</div>\n")
        else:
            out.append('<p class="muted">No figures logged yet.</p>\n')
        out.append("</figure>\n")
    out.append('<figure class="benefit"><figcaption>Outcomes logged per cooperation area</figcaption>\n'
               + area_chart(data.area_counts, data.period) + "</figure>\n</section>\n")
    return out


def _ties(partner: r.PartnerSection) -> str:
    return e(". ".join(r.tie_line(t) for t in partner.partnerships) + ".")


def _partners(data: r.ReportData) -> list[str]:
    out = ["<section>\n", _h2("partners", page=True)]
    if not data.partners:
        out.append("<p>No partnerships yet.</p>\n</section>\n")
        return out
    for partner in data.partners:
        out.append('<div class="partner">\n')
        province = f' <span class="muted">· {e(partner.province)}</span>' if partner.province else ""
        out.append(f"<h3>{bilingual(partner.city, partner.hangul)}{province}</h3>\n<p>{_ties(partner)}</p>\n")
        out.append(f"<p>{e(r.counts_line(partner.visits, 'visit'))}</p>\n")
        if partner.visits.rows:
            out += table([("Dates", "d"), ("Direction", "d"), ("Status", "d"), ("Purpose", "")],
                         [[dates(v.start, v.end), e(v.direction), e(v.status), e(v.purpose)]
                          for v in partner.visits.rows], widths=(27, 11, 11, 51))
            if partner.visits.more:
                out.append(f'<p class="more">…and {partner.visits.more:,} more (section 7).</p>\n')
        if partner.invitations.total:
            out.append(f"<p>{e(r.counts_line(partner.invitations, 'invitation'))}</p>\n")
            out += table([("Dates", "d"), ("Event", ""), ("Direction", "d"), ("Status", "d")],
                         [[dates(i.start, i.end), e(i.event), e(i.direction), e(i.status)]
                          for i in partner.invitations.rows], widths=(27, 51, 11, 11))
        outcomes = sum(n for _, n in partner.outcomes)
        line = plural(outcomes, "outcome") + (
            ": " + ", ".join(f"{n:,} {name.lower()}" for name, n in partner.outcomes) if outcomes else "")
        out.append(f"<p>{e(line)}.</p>\n")
        if partner.figures:
            out.append("<p>Figures: " + e("; ".join(f"{f.measure}: {f.shown}" for f in partner.figures)) + ".</p>\n")
        out.append("</div>\n")
    if data.partner_cities > len(data.partners):
        out.append(f'<p class="more">…and {data.partner_cities - len(data.partners):,} more partner cities '
                   "(all are named in section 6).</p>\n")
    out.append("</section>\n")
    return out


def _areas(data: r.ReportData) -> list[str]:
    out = ["<section>\n", _h2("areas", page=True)]
    for area in data.areas:
        out.append(f'<h3>{area.number}. {e(area.name)}</h3>\n'
                   f"<p>{e(plural(area.outcomes, 'outcome'))} logged in {data.year}.</p>\n")
        if area.number == 4:
            out.append(f'<p class="note">{e(r.figures_note(data))}</p>\n')
        out += table(
            [("Programme", ""), ("Outcomes", "n"), ("Figures", "")],
            [[e(p.name), f"{p.outcomes:,}", "<br>".join(e(f"{f.measure}: {f.shown}") for f in p.figures)]
             for p in area.programmes],
            widths=(46, 12, 42),  # "Trade value: 1,106,198,139 KRW" on one line
        )
        if area.recent:
            out.append('<h4>Most recent outcomes</h4>\n<ul class="recent">\n')
            for o in area.recent:
                where = f" ({e(o.city)})" if o.city else ""
                out.append(f'<li>{e(o.happened_on)}: {e(o.title)}{where}, <span class="muted">{e(o.programme)}'
                           "</span></li>\n")
            if area.outcomes > len(area.recent):
                out.append(f'<li class="more">…and {area.outcomes - len(area.recent):,} more</li>\n')
            out.append("</ul>\n")
    out.append("</section>\n")
    return out


def _benefits(data: r.ReportData) -> list[str]:
    p = data.period
    out = ["<section>\n", _h2("benefits", page=True), f'<p class="note">{e(r.figures_note(data))}</p>\n']
    for benefit in data.benefits:
        out += [f'<div class="keep"><h3>{e(benefit.name)}</h3>\n<p class="muted">{e(benefit.summary)}</p>\n']
        if not benefit.series:
            out.append("<p>No figures logged yet.</p>\n</div>\n")
            continue
        out += table(
            [("Measure", ""), (p.label, "n"), (p.before_label, "n"), ("Change", "n pct"), ("Logged under", "")],
            [[e(s.measure), e(figure(s.total, s.unit)), e(figure(s.before, s.unit)), e(r.change(s.change)),
              "<br>".join(e(f"{name}: {figure(v, s.unit)}") for name, v in s.by_area)]
             for s in benefit.series],
            "figures", widths=(16, 19, 19, 11, 35),
        )
        out.append("</div>\n")
    out.append("</section>\n")
    return out


def _stages(data: r.ReportData) -> list[str]:
    out = ["<section>\n", _h2("stages", page=True),
           f"<p>{e(plural(data.partnerships, 'partnership'))} with Korean cities.</p>\n"]
    out += table([("Stage", ""), ("Partnerships", "n"), ("Cities", "")],
                 [[e(s.name), f"{s.count:,}", e(", ".join(s.cities))] for s in data.stages])
    out.append("</section>\n")
    return out


def _more(listing: r.Listing) -> list[str]:
    return [f'<p class="more">…and {listing.more:,} more.</p>\n'] if listing.more else []


def _visits(data: r.ReportData) -> list[str]:
    out = ["<section>\n", _h2("visits", page=True), f"<p>{e(r.counts_line(data.visits, 'visit'))}</p>\n",
           f'<p class="note">{e(r.new_year_note(data.visits, "visit", data.year))}</p>\n']
    if data.visits.rows:
        out += table(
            [("Dates", "d"), ("Direction", "d"), ("City", ""), ("Status", "d"), ("Purpose", "")],
            [[dates(v.start, v.end), e(v.direction), e(v.city), e(v.status), e(v.purpose)]
             for v in data.visits.rows],
            widths=(26, 11, 15, 11, 37),
        )
        out += _more(data.visits)
    out.append("</section>\n")
    return out


def _invitations(data: r.ReportData) -> list[str]:
    out = ["<section>\n", _h2("invitations", page=True),
           f"<p>{e(r.counts_line(data.invitations, 'invitation'))}</p>\n",
           f'<p class="note">{e(r.new_year_note(data.invitations, "invitation", data.year))}</p>\n']
    if data.invitations.rows:
        out += table(
            [("Dates", "d"), ("Event", ""), ("Host", ""), ("Direction", "d"), ("Status", "d")],
            [[dates(i.start, i.end), e(i.event), e(i.host), e(i.direction), e(i.status)]
             for i in data.invitations.rows],
            widths=(26, 37, 15, 11, 11),
        )
        out += _more(data.invitations)
    out.append("</section>\n")
    return out
