"""The council report and the brief as Chromium prints them: every page
numbered, no heading left alone at a page's foot, table headers repeated on
the pages a table runs on to, and nothing wider than the paper.

Needs `chromium` and poppler's `pdftotext` (Debian: apt-get install chromium
poppler-utils); skipped where they are missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from twindesk.bundle.brief import write_brief
from twindesk.bundle.report import write_report
from twindesk.bundle.report_html import SECTIONS

from .test_brief import fill as fill_brief
from .test_report import fill as fill_report
from .test_report import visit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs chromium and pdftotext")

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"


def print_pdf(html: Path, tmp_path: Path) -> Path:
    """Print `html` as a user would (no browser header or footer: the page's own)."""
    pdf = tmp_path / (html.stem + ".pdf")
    profile = tmp_path / "profile"
    flags = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    subprocess.run([str(CHROMIUM), *flags, html.as_uri()], check=True, capture_output=True, timeout=120)
    assert pdf.stat().st_size > 0
    return pdf


def pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines of text."""
    text = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


def words(pdf: Path) -> tuple[list[tuple[str, float]], float]:
    """Every word printed, with its right edge, and the paper's width (points)."""
    out = subprocess.run([str(PDFTOTEXT), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ElementTree.fromstring(xml)
    paper = max(float(p.get("width", 0)) for p in root.iter("page"))
    return [(w.text or "", float(w.get("xMax", 0))) for w in root.iter("word")], paper


def check_fits(pdf: Path, long_word: str) -> None:
    """Nothing runs past the right margin, and `long_word` is printed whole:
    wrapped over lines, not cut off at the paper's edge."""
    printed, paper = words(pdf)
    assert max(right for _, right in printed) <= paper - 30  # margins of 14 mm are about 40 pt
    # Cut off, the word ends where the paper does; wrapped, its last piece starts a line of its own.
    texts = [text for text, _ in printed]
    assert any(text.startswith(long_word[:10]) for text in texts)
    assert any(len(text) >= 2 and long_word.endswith(text) and text != long_word for text in texts), \
        [t for t in texts if t[:3] in long_word][:10]


def check_numbered(printed: list[list[str]]) -> None:
    total = len(printed)
    for number, lines in enumerate(printed, 1):
        assert f"Page {number} of {total}" in lines[-1], (number, lines[-1])


@pytest.fixture
def long_report(desk, tmp_path):
    """A year with enough visits that the list runs over pages, and a word too long for any column."""
    fill_report(desk)
    for n in range(70):
        day = f"2026-{1 + n % 11:02d}-{1 + n % 27:02d}"
        purpose = f"{LONG_WORD} {n}" if n == 5 else f"Exchange visit number {n} with a longer purpose to wrap"
        desk.visits.create(visit(day, day, purpose=purpose))
    return desk


def test_the_printed_report_is_numbered_keeps_headings_and_repeats_headers(long_report, tmp_path):
    html = write_report(long_report, 2026, "html", tmp_path / "report.html")
    pdf = print_pdf(html, tmp_path)
    printed = pages(pdf)
    assert len(printed) >= 4
    check_numbered(printed)
    headings = [f"{i}. {name}" for i, (_key, name) in enumerate(SECTIONS, 1)]
    headings += ["Key numbers", "Most recent outcomes", "1. Tourism cooperation", "2. Education exchange",
                 "3. Business and industry", "4. Expected benefits", "Busan 부산 · Busan Metropolitan City"]
    for number, lines in enumerate(printed, 1):
        body = lines[:-1]  # the page number is the last line
        for heading in headings:
            # A section heading is never the last thing on a page: what it heads follows it.
            assert not (body and body[-1] == heading), (number, heading)
    # The visits list runs over pages, and each page it continues on starts with its header again.
    visits_at = next(i for i, lines in enumerate(printed) if "7. Delegation visits" in lines)
    following = printed[visits_at + 1]
    assert following[0].split() == ["Dates", "Direction", "City", "Status", "Purpose"], following[:2]
    # The long word wrapped inside its cell.
    check_fits(pdf, LONG_WORD)


def test_the_printed_brief_is_numbered_and_fits_the_paper(desk, tmp_path):
    ids = fill_brief(desk)
    desk.members.create({"visit_id": ids["visit"], "name": LONG_WORD, "organisation": LONG_WORD,
                         "contact": "a.very.long.address.for.a.member@an-organisation-with-a-long-name.example"})
    html = write_brief(desk, ids["visit"], "html", tmp_path / "brief.html")
    pdf = print_pdf(html, tmp_path)
    printed = pages(pdf)
    check_numbered(printed)
    text = "\n".join("\n".join(lines) for lines in printed)
    assert "Delegation brief: Busan 부산" in text.replace("  ", " ") or "Delegation brief: Busan" in text
    check_fits(pdf, LONG_WORD)
