"""The council report as one self-contained HTML file.

Nothing is loaded from anywhere: the style is inline, there is no script,
font, image or link, and a Content-Security-Policy forbids loading anything
should a later edit slip one in. Every piece of text from the database goes
through `html.escape(..., quote=True)` (via `e()`), so a title of
`<script>` is shown as text.
"""

from __future__ import annotations

import html

from twindesk.bundle.report import Listing, ReportData, change, counts_line
from twindesk.text import date_span, number

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", sans-serif;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; line-height: 1.45; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #1f5f8b; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; color: #1f5f8b; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #c9d3dc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef3f7; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.d { white-space: nowrap; }
.muted { color: #5b6770; }
.more { font-style: italic; color: #5b6770; }
ul.recent { padding-left: 1.2rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: str, cls: str = "") -> str:
    return f'<td class="{cls}">{value}</td>' if cls else f"<td>{value}</td>"


def _table(headers: list[tuple[str, str]], rows: list[list[str]]) -> list[str]:
    """`headers` are (text, class); cells are already escaped HTML."""
    head = "".join(f'<th class="{cls}">{e(h)}</th>' if cls else f"<th>{e(h)}</th>" for h, cls in headers)
    out = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"]
    classes = [cls for _, cls in headers]
    out += ["<tr>" + "".join(_cell(c, cls) for c, cls in zip(row, classes, strict=True)) + "</tr>\n" for row in rows]
    out.append("</tbody>\n</table>\n")
    return out


def _more(listing: Listing) -> list[str]:
    return [f'<p class="more">…and {listing.more:,} more.</p>\n'] if listing.more else []


def render_html(data: ReportData) -> list[str]:
    out = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="twindesk">\n',
        f"<title>{e(data.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        f"<h1>{e(data.title)}</h1>\n",
        f'<p class="muted">A report for the city council. Generated on {e(data.generated.isoformat())} '
        "by twindesk.</p>\n",
    ]
    out += _partnerships(data)
    out += _visits(data)
    out += _invitations(data)
    out += _areas(data)
    out += _benefits(data)
    out.append("</body>\n</html>\n")
    return out


def _partnerships(data: ReportData) -> list[str]:
    out = [
        "<section>\n<h2>Partnerships by stage</h2>\n",
        f"<p>{data.partnerships:,} partnership{'' if data.partnerships == 1 else 's'} with Korean cities.</p>\n",
    ]
    out += _table(
        [("Stage", ""), ("Partnerships", "n"), ("Cities", "")],
        [[e(s.name), f"{s.count:,}", e(", ".join(s.cities))] for s in data.stages],
    )
    out.append("</section>\n")
    return out


def _visits(data: ReportData) -> list[str]:
    out = [f"<section>\n<h2>Delegation visits in {data.year}</h2>\n",
           f"<p>{e(counts_line(data.visits, 'visit'))}</p>\n"]
    if data.visits.rows:
        out += _table(
            [("Dates", "d"), ("Direction", ""), ("City", ""), ("Status", ""), ("Purpose", "")],
            [[e(date_span(v.start, v.end)), e(v.direction), e(v.city), e(v.status), e(v.purpose)]
             for v in data.visits.rows],
        )
        out += _more(data.visits)
    out.append("</section>\n")
    return out


def _invitations(data: ReportData) -> list[str]:
    out = [f"<section>\n<h2>Festival and event invitations in {data.year}</h2>\n",
           f"<p>{e(counts_line(data.invitations, 'invitation'))}</p>\n"]
    if data.invitations.rows:
        out += _table(
            [("Dates", "d"), ("Event", ""), ("Host", ""), ("Direction", ""), ("Status", "")],
            [[e(date_span(i.start, i.end)), e(i.event), e(i.host), e(i.direction), e(i.status)]
             for i in data.invitations.rows],
        )
        out += _more(data.invitations)
    out.append("</section>\n")
    return out


def _areas(data: ReportData) -> list[str]:
    out = [f"<section>\n<h2>Outcomes and figures by cooperation area, {data.year}</h2>\n"]
    for area in data.areas:
        out += [
            f"<h3>{area.number}. {e(area.name)}</h3>\n",
            f"<p>{area.outcomes:,} outcome{'' if area.outcomes == 1 else 's'} logged in {data.year}.</p>\n",
        ]
        out += _table(
            [("Programme", ""), ("Outcomes", "n"), ("Figures", "")],
            [
                [e(p.name), f"{p.outcomes:,}",
                 "<br>".join(e(f"{f.measure}: {number(f.total)} {f.unit}".strip()) for f in p.figures)]
                for p in area.programmes
            ],
        )
        if area.recent:
            out.append('<p>Most recent outcomes:</p>\n<ul class="recent">\n')
            for o in area.recent:
                where = f" ({e(o.city)})" if o.city else ""
                out.append(f"<li>{e(o.happened_on)}: {e(o.title)}{where}, "
                           f'<span class="muted">{e(o.programme)}</span></li>\n')
            if area.outcomes > len(area.recent):
                out.append(f'<li class="more">…and {area.outcomes - len(area.recent):,} more</li>\n')
            out.append("</ul>\n")
    out.append("</section>\n")
    return out


def _benefits(data: ReportData) -> list[str]:
    out = [f"<section>\n<h2>Expected benefits, {data.year}</h2>\n"]
    for benefit in data.benefits:
        out += [f"<h3>{e(benefit.name)}</h3>\n", f'<p class="muted">{e(benefit.summary)}</p>\n']
        if benefit.series:
            out += _table(
                [("Measure", ""), (str(data.year), "n"), (f"Change vs {data.year - 1}", "n")],
                [[e(s.measure), e(f"{number(s.total)} {s.unit}".strip()), e(change(s.change))]
                 for s in benefit.series],
            )
        else:
            out.append("<p>No figures logged yet.</p>\n")
    out.append("</section>\n")
    return out
