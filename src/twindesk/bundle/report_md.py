"""The council report as Markdown.

User text is escaped so that it stays text: a `|` or a line break cannot
break a table, and `<`, `*`, `_`, `[` and friends are backslash-escaped so
a Markdown renderer shows them instead of formatting (or passing raw HTML
like `<script>` through).
"""

from __future__ import annotations

import re

from twindesk.bundle.report import ReportData, change, counts_line
from twindesk.text import date_span, number

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&])")


def text(value: str) -> str:
    """User text as literal Markdown inline text on one line."""
    value = " ".join(value.split())  # newlines (and runs of spaces) would end a table row
    return _SPECIAL.sub(r"\\\1", value)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |\n"


def _table(headers: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    rule = ["---:" if i < len(align) and align[i] == "r" else "---" for i in range(len(headers))]
    return [_row(headers), _row(rule), *(_row(r) for r in rows), "\n"]


def render_markdown(data: ReportData) -> list[str]:
    out = [
        f"# {text(data.title)}\n\n",
        f"A report for the city council. Generated on {data.generated.isoformat()} by twindesk.\n\n",
        "## Partnerships by stage\n\n",
        f"{data.partnerships:,} partnership{'' if data.partnerships == 1 else 's'} with Korean cities.\n\n",
    ]
    out += _table(
        ["Stage", "Partnerships", "Cities"],
        [[text(s.name), f"{s.count:,}", text(", ".join(s.cities))] for s in data.stages],
        " r",
    )

    out += [f"## Delegation visits in {data.year}\n\n", counts_line(data.visits, "visit") + "\n\n"]
    if data.visits.rows:
        out += _table(
            ["Dates", "Direction", "City", "Status", "Purpose"],
            [[text(date_span(v.start, v.end)), text(v.direction), text(v.city), text(v.status), text(v.purpose)] for v in data.visits.rows],
        )
        if data.visits.more:
            out.append(f"…and {data.visits.more:,} more.\n\n")

    out += [f"## Festival and event invitations in {data.year}\n\n", counts_line(data.invitations, "invitation") + "\n\n"]
    if data.invitations.rows:
        out += _table(
            ["Dates", "Event", "Host", "Direction", "Status"],
            [[text(date_span(i.start, i.end)), text(i.event), text(i.host), text(i.direction), text(i.status)]
             for i in data.invitations.rows],
        )
        if data.invitations.more:
            out.append(f"…and {data.invitations.more:,} more.\n\n")

    out.append(f"## Outcomes and figures by cooperation area, {data.year}\n\n")
    for area in data.areas:
        out += [
            f"### {area.number}. {text(area.name)}\n\n",
            f"{area.outcomes:,} outcome{'' if area.outcomes == 1 else 's'} logged in {data.year}.\n\n",
        ]
        out += _table(
            ["Programme", "Outcomes", "Figures"],
            [
                [text(p.name), f"{p.outcomes:,}",
                 text(", ".join(f"{f.measure}: {number(f.total)} {f.unit}".strip() for f in p.figures))]
                for p in area.programmes
            ],
            " r",
        )
        if area.recent:
            out.append("Most recent outcomes:\n\n")
            for o in area.recent:
                where = f" ({text(o.city)})" if o.city else ""
                out.append(f"- {text(o.happened_on)}: {text(o.title)}{where}, {text(o.programme)}\n")
            if area.outcomes > len(area.recent):
                out.append(f"- …and {area.outcomes - len(area.recent):,} more\n")
            out.append("\n")

    out.append(f"## Expected benefits, {data.year}\n\n")
    for benefit in data.benefits:
        out += [f"### {text(benefit.name)}\n\n", f"{text(benefit.summary)}\n\n"]
        if benefit.series:
            out += _table(
                ["Measure", str(data.year), f"Change vs {data.year - 1}"],
                [[text(s.measure), text(f"{number(s.total)} {s.unit}".strip()), change(s.change)]
                 for s in benefit.series],
                " rr",
            )
        else:
            out.append("No figures logged yet.\n\n")
    return out
