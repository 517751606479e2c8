"""What the report and the brief share as HTML: escaping, the page head
with its Content-Security-Policy, the print style, and tables.

Nothing is loaded from anywhere: the style is inline, there is no script,
font, image or external link (internal links are "#" anchors), and the CSP
forbids loading anything should a later edit slip one in. Inline SVG is
part of the document, not a load, so the CSP needs nothing for it. Every
piece of text from the database goes through `e()`.
"""

from __future__ import annotations

import html

from twindesk.text import clean

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1d232a; --accent: #1f5f8b; --muted: #5b6770; --rule: #c9d3dc; }
body { font-family: system-ui, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans CJK KR",
       "Noto Sans KR", sans-serif; margin: 2rem auto; max-width: 62rem; padding: 0 1rem; color: var(--ink);
       line-height: 1.45; }
h1 { font-size: 1.6rem; border-bottom: 3px solid var(--accent); padding-bottom: .3rem; margin-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; color: var(--accent); border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: .95rem; margin: .9rem 0 .3rem; }
h1, h2, h3, h4, p, li, td, dd, dt, figcaption { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9em; }
th, td { border: 1px solid var(--rule); padding: .28rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef3f7; overflow-wrap: normal; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.d { overflow-wrap: normal; }
.nw { white-space: nowrap; }
.muted, .ko { color: var(--muted); }
.ko { font-weight: normal; }
.more { font-style: italic; color: var(--muted); }
.note { font-size: .88rem; color: var(--muted); }
.notes { font-size: .9rem; background: #f6f8fa; border-left: 3px solid var(--accent);
         padding: .4rem .8rem .4rem 1.6rem; }
nav.toc ol { columns: 2; column-gap: 2rem; padding-left: 1.4rem; }
nav.toc a { color: inherit; text-decoration: none; }
.keep { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #5b6770;
                        font-family: system-ui, sans-serif; } }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  /* A heading's opening line stays with what follows it too, or the heading is left alone at a page foot. */
  h2 + p, h3 + p, h4 + p, p.lead { break-after: avoid; page-break-after: avoid; }
  h2.page { break-before: page; page-break-before: always; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  tr, figure, svg, li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  nav.toc { break-after: avoid; }
}
"""


def e(value: object) -> str:
    """Text (or an attribute value) as HTML that shows it literally.

    Cleaned again on the way out: a config file edited by hand can still
    hold an ESC that was never typed into a form, and `cat` on the file
    would send it to a terminal."""
    return html.escape(clean(str(value), multiline=True), quote=True)


def head(title: str, extra_style: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="twindesk">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}{extra_style}</style>\n</head>\n<body>\n"
    )


FOOT = "</body>\n</html>\n"


def table(headers: list[tuple[str, str]], rows: list[list[str]], cls: str = "",
          widths: tuple[int, ...] = ()) -> list[str]:
    """`headers` are (text, class): "n" numbers, "d" dates and one-word
    values (never wrapped); cells are already escaped HTML. `widths` (per
    cent) fix the layout where wrapping anywhere would squeeze a column."""
    head_cells = "".join(f'<th class="{c}">{e(h)}</th>' if c else f"<th>{e(h)}</th>" for h, c in headers)
    attr = f' class="{cls}"' if cls else ""
    cols = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>" if widths else ""
    style = ' style="table-layout:fixed"' if widths else ""
    out = [f"<table{attr}{style}>{cols}\n<thead><tr>{head_cells}</tr></thead>\n<tbody>\n"]
    classes = [c for _, c in headers]
    for row in rows:
        cells = "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>"
                        for v, c in zip(row, classes, strict=True))
        out.append(f"<tr>{cells}</tr>\n")
    out.append("</tbody>\n</table>\n")
    return out


def dates(start: str, end: str) -> str:
    """A date or a span of dates that may wrap between its two dates, never inside one."""
    if start == end:
        return f'<span class="nw">{e(start)}</span>'
    return f'<span class="nw">{e(start)}</span> – <span class="nw">{e(end)}</span>'


def bilingual(english: str, hangul: str) -> str:
    """"Busan <span lang=ko>부산</span>", escaped."""
    if not hangul:
        return e(english)
    return f'{e(english)} <span class="ko" lang="ko">{e(hangul)}</span>'


def breakable(value: str) -> str:
    """An e-mail address or web address, escaped, that may wrap after "@" and
    "." rather than anywhere ("schmidt.lukas@home.exampl" then "e")."""
    escaped = e(value)
    return escaped.replace("@", "@<wbr>").replace(".", ".<wbr>")
