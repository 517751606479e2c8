"""The council report: its figures, its Markdown and HTML, and `twindesk report`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from twindesk.bundle import files, report, report_md
from twindesk.bundle.report import report_data, write_report
from twindesk.bundle.report_html import SECTIONS
from twindesk.cli import main
from twindesk.services import Desk

from .conftest import city_id
from .pages import assert_loads_nothing

TODAY = dt.date(2026, 11, 24)
SCRIPT = "<script>alert(1)</script>"


def visit(start: str, end: str, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "direction": "outbound", "city": "Busan", "start_date": start, "end_date": end, "purpose": "Tourism fair",
        "areas": ["tourism"], "status": "done",
    }  # fmt: skip
    values.update(changes)
    return values


def outcome(on: str, title: str, area: str = "tourism", programme: str = "joint_promotion", currency: str = "",
            city: str = "Busan", custom: str = "", **figures: str) -> dict[str, str]:
    return {"area": area, "programme": programme, "city": city, "happened_on": on, "title": title,
            "trade_currency": currency, "custom": custom, **{f"m_{k}": v for k, v in figures.items()}}


def fill(desk: Desk) -> Desk:
    desk.today = lambda: TODAY
    desk.partnerships.create({"city": "Busan", "kind": "sister", "stage": "active", "signed_on": "2020-05-01",
                              "stage_changed_on": "2021-01-01"})
    desk.partnerships.create({"city": "Jinju", "kind": "friendly", "stage": "research"})
    may = desk.visits.create(visit("2026-05-04", "2026-05-07", purpose=SCRIPT, budget_amount="12500",
                                   budget_currency="EUR")).id
    desk.members.create({"visit_id": may, "name": "Anna Becker", "role": "head of delegation"})
    desk.members.create({"visit_id": may, "name": "Ben Ode"})
    new_year = desk.visits.create(visit("2025-12-30", "2026-01-02", direction="inbound", city="Jeonju",
                                        purpose="새해 방문")).id
    desk.members.create({"visit_id": new_year, "name": "김민준"})
    desk.visits.create(visit("2025-03-01", "2025-03-03", purpose="Last year's visit"))
    desk.visits.create(visit("2026-09-01", "2026-09-02", status="cancelled", purpose="Called off",
                             budget_amount="999", budget_currency="EUR"))
    desk.visits.create(visit("2026-12-10", "2026-12-12", status="planned", purpose="Winter visit",
                             budget_amount="3000000", budget_currency="KRW"))
    desk.invitations.create({"direction": "received", "event_name": "진주 남강유등축제", "host": "Jinju",
                             "start_date": "2026-10-01", "end_date": "2026-10-12", "status": "accepted"})
    desk.invitations.create({"direction": "received", "event_name": "Busan Fireworks", "host": "Busan",
                             "start_date": "2026-11-07", "end_date": "2026-11-07", "status": "received"})
    desk.invitations.create({"direction": "sent", "event_name": "Jazz | Days", "host": "home",
                             "start_date": "2027-06-01", "end_date": "2027-06-03", "status": "sent"})
    desk.outcomes.create(outcome("2026-05-06", SCRIPT, visitors="120"))
    desk.outcomes.create(outcome("2026-08-15", "부산 불꽃축제 공동 홍보", visitors="80", media_reach="10000"))
    desk.outcomes.create(outcome("2025-08-15", "Last year's promotion", visitors="50"))
    # After 24 November 2025: not in the same period of last year.
    desk.outcomes.create(outcome("2025-12-01", "Late last year", visitors="1000"))
    desk.outcomes.create(outcome("2026-03-02", "Kimchi import deal", area="business",
                                 programme="agri_food_trade", trade_value="83653.2", currency="USD",
                                 agreements_signed="1"))
    desk.outcomes.create(outcome("2026-04-02", "Counted at the visitor centre", area="benefits",
                                 programme="tourist_arrivals", visitors="30", city="Jinju",
                                 custom="Press articles: 1 articles"))
    return desk


@pytest.fixture
def filled(desk):
    return fill(desk)


def page_of(desk: Desk, tmp_path, fmt: str = "html", year: int = 2026) -> str:
    return write_report(desk, year, fmt, tmp_path / f"report.{fmt}").read_text(encoding="utf-8")


def test_report_data_counts_and_sums(filled):
    data = report_data(filled, 2026)
    assert data.home == "Our city" and data.generated == TODAY and data.partnerships == 2
    stages = {s.name: s for s in data.stages}
    assert stages["Active"].count == 1 and stages["Active"].cities == ("Busan (sister city)",)
    assert stages["Research"].cities == ("Jinju (friendly city)",)
    # A visit belongs to the year it starts in: the new-year visit is 2025's.
    assert [v.start for v in data.visits.rows] == ["2026-05-04", "2026-09-01", "2026-12-10"]
    assert dict(data.visits.by_direction) == {"outbound": 3}
    assert dict(data.visits.by_status) == {"planned": 1, "done": 1, "cancelled": 1}
    assert data.invitations.total == 2 and data.invitations.rows[0].host == "Jinju"
    areas = {a.name: a for a in data.areas}
    tourism = areas["Tourism cooperation"]
    assert tourism.outcomes == 2 and tourism.programmes[0].outcomes == 2
    assert {(f.measure, f.total) for f in tourism.programmes[0].figures} == {("Visitors", 200.0),
                                                                               ("Media reach", 10000.0)}
    assert [o.title for o in tourism.recent] == ["부산 불꽃축제 공동 홍보", SCRIPT]  # newest first
    trade = next(p for p in areas["Business and industry"].programmes if p.outcomes)
    assert {(f.measure, f.total, f.unit) for f in trade.figures} == {("Trade value", 83653.2, "USD"),
                                                                       ("Agreements signed", 1.0, "agreements")}
    benefits = {b.name: b for b in data.benefits}
    (visitors, media) = benefits["Growth in tourist arrivals"].series
    # Every area's visitors (120 + 80 + 30), against 2025 up to 24 November (50, not the December 1,000).
    assert (visitors.total, visitors.before, visitors.change) == (230.0, 50.0, 3.6)
    assert dict(visitors.by_area) == {"Tourism cooperation": 200.0, "Expected benefits": 30.0}
    assert visitors.by_year == ((2022, 0.0), (2023, 0.0), (2024, 0.0), (2025, 1050.0), (2026, 230.0))
    assert media.change is None  # nothing the year before
    assert benefits["Improvement in the quality of education"].series == ()


def test_a_finished_year_is_compared_with_the_whole_year_before(filled):
    data = report_data(filled, 2025)
    assert not data.period.to_date
    (visitors,) = next(b for b in data.benefits if b.name == "Growth in tourist arrivals").series  # no media yet
    assert (visitors.total, visitors.before) == (1050.0, 0.0)
    assert [v.start for v in data.visits.rows] == ["2025-03-01", "2025-12-30"]
    assert data.visits.into_next_year == 1


def test_year_to_date_from_either_side_of_the_year_agrees(filled):
    """Last year up to the same day, early, mid and late in the year (from the daily totals)."""
    for today, expected in ((dt.date(2026, 3, 1), 0.0), (dt.date(2026, 8, 20), 50.0), (dt.date(2026, 12, 5), 1050.0)):
        filled.today = lambda today=today: today
        (visitors, _) = next(b for b in report_data(filled, 2026).benefits if b.series).series
        assert visitors.before == expected, today


def test_summary_comes_first_and_says_how_it_counts(filled, tmp_path):
    page = page_of(filled, tmp_path)
    order = [page.index(f'id="{key}"') for key in ("summary", "charts", "partners", "areas", "benefits",
                                                    "stages", "visits", "invitations")]
    assert order == sorted(order)
    summary = page[page.index('id="summary"'):page.index('id="charts"')]
    assert "2026 to 24 Nov" in summary and "2025 to 24 Nov" in summary
    assert "its figures run from 1 January to 24 November and are compared with the same period of 2025" in summary
    assert re.search(r"<td>Visitors</td><td class=\"n\">230 visitors</td><td class=\"n\">50 visitors</td>"
                     r"<td class=\"n\">\+360%</td>", summary)
    # Key numbers: stages, visits out and in, people who travelled, invitations answered, budgets.
    assert "2 partnerships with Korean cities (1 research, 1 active)." in summary
    assert "2 delegation visits in 2026: 2 outbound and 0 inbound (1 more visit cancelled)." in summary
    assert "2 people travelled: 2 in our delegations abroad and 0 in delegations that came to us." in summary
    assert "Invitations: we answered 1 of the 2 we received (1 accepted)." in summary
    assert "12,500.00 EUR for visits done; 3,000,000 KRW for visits still planned or confirmed" in summary
    assert "not what was finally spent" in summary
    assert "Visits are counted once, in the year they start" in summary


def test_a_visit_over_new_year_is_counted_once_and_said_so(filled, tmp_path):
    first = report_data(filled, 2025)
    second = report_data(filled, 2026)
    starts = [v.start for v in (*first.visits.rows, *second.visits.rows)]
    assert starts.count("2025-12-30") == 1
    page = page_of(filled, tmp_path, year=2025)
    assert "1 visit of 2025 counted here (it runs into 2026)." in page


def test_numbers_keep_units_minor_units_and_singulars(filled, tmp_path):
    for fmt in ("html", "md"):
        page = page_of(filled, tmp_path, fmt)
        assert "83,653.20 USD" in page and "83,653.2 USD" not in page
        assert "1 agreement" in page and "1 agreements" not in page
        assert "Press articles: 1 article" in page and "1 articles" not in page  # a custom measure's unit
        assert "3,000,000 KRW" in page  # the won has no minor unit
        assert "1 more visit cancelled" in page


def test_the_two_visitor_figures_are_explained_with_their_numbers(filled, tmp_path):
    page = page_of(filled, tmp_path)
    note = ("So Visitors reads 30 visitors in the table of area 4 (Expected benefits) but 230 visitors among "
            "the benefits: 200 visitors under Tourism cooperation, 30 visitors under Expected benefits.")
    assert note in page
    area4 = page[page.index("4. Expected benefits</h3>"):]
    assert "Visitors: 30 visitors" in area4[:area4.index("</table>")]


def test_one_section_per_partner_city(filled, tmp_path):
    data = report_data(filled, 2026)
    assert [p.city for p in data.partners] == ["Busan", "Jinju"] and data.partner_cities == 2
    busan, jinju = data.partners
    assert busan.hangul == "부산" and busan.partnerships[0].stage == "Active"
    assert busan.visits.total == 3 and busan.invitations.total == 1
    assert dict(busan.outcomes) == {"Tourism cooperation": 2, "Business and industry": 1}
    assert {(f.measure, f.total) for f in busan.figures} >= {("Visitors", 200.0), ("Trade value", 83653.2)}
    assert jinju.visits.total == 0 and [i.event for i in jinju.invitations.rows] == ["진주 남강유등축제"]
    page = page_of(filled, tmp_path)
    partners = page[page.index('id="partners"'):page.index('id="areas"')]
    assert 'Busan <span class="ko" lang="ko">부산</span>' in partners and "Jeonju" not in partners


def test_charts_are_inline_svg_with_short_axis_numbers(filled, tmp_path):
    filled.outcomes.create(outcome("2024-06-01", "Big year", visitors="34924113"))
    page = page_of(filled, tmp_path)
    charts = page[page.index('id="charts"'):page.index('id="partners"')]
    assert charts.count("<svg ") == 2 + 1 + 1 + 1  # visitors, media reach, trade (USD), agreements, areas
    assert ">30 M</text>" in charts and ">34.9 M</text>" in charts
    assert not re.search(r"\d{5}", charts)  # no raw 34924113.0 anywhere, labels included
    assert "to date</text>" in charts


def test_svg_labels_are_escaped(filled):
    data = report_data(filled, 2026)
    hostile = '<script>x</script>" onload="[bold]'
    benefits = tuple(
        dataclasses.replace(b, series=tuple(dataclasses.replace(s, measure=hostile, unit="&<u>") for s in b.series))
        for b in data.benefits)
    counts = tuple(dataclasses.replace(c, name=hostile) for c in data.area_counts)
    page = "".join(report.render(dataclasses.replace(data, benefits=benefits, area_counts=counts), "html"))
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert svgs and all("<script" not in s and '" onload="' not in s for s in svgs)
    assert "&lt;script&gt;x&lt;/script&gt;&quot; onload=&quot;[bold]" in svgs[0]
    assert "&amp;&lt;u&gt;" in svgs[0]


HOSTILE = "[bold]x[/] <script>alert(1)</script> \x1b]2;PWNED\x1b\\ 진주 😀 & \"q\" 'a'"


def test_html_escapes_hostile_text_everywhere_and_loads_nothing(filled, tmp_path):
    filled.config.home.name = HOSTILE
    filled.cities.update(city_id(filled, "Busan"), {
        "name": "Busan [/]", "hangul": "부산", "province": "<b>Busan</b>", "kind": "metropolitan city",
        "industries": "", "romanisations": "Pusan", "notes": ""})
    filled.visits.create(visit("2026-06-01", "2026-06-02", purpose=HOSTILE, city="Jinju"))
    filled.outcomes.create(outcome("2026-06-02", HOSTILE, city="Jinju", custom=f"{HOSTILE[:20]}: 3 <i>units</i>"))
    page = page_of(filled, tmp_path)
    assert tmp_path.joinpath("report.html").stat().st_mode & 0o777 == 0o600
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    assert "<script" not in page.lower() and "<b>" not in page and "<i>" not in page
    assert "\x1b" not in page  # cleaned when it was saved
    assert "[bold]x[/] &lt;script&gt;alert(1)&lt;/script&gt;" in page and "진주 😀 &amp; &quot;q&quot;" in page
    assert "Busan [/]" in page and "&lt;b&gt;Busan&lt;/b&gt;" in page
    assert_loads_nothing(page)
    for loader in ("http:", "https:", "//", "src=", "url(", "@import", "<link", "<img", "<iframe", "<object"):
        assert loader not in page.replace("<!DOCTYPE", ""), loader
    assert set(re.findall(r'href="([^"]*)"', page)) == {f"#{key}" for key, _ in SECTIONS}  # contents links only


def test_print_style_numbers_pages_and_keeps_headings_with_text(filled, tmp_path):
    page = page_of(filled, tmp_path)
    style = page[page.index("<style>"):page.index("</style>")]
    assert 'counter(page) " of " counter(pages)' in style
    assert "thead { display: table-header-group; }" in style
    assert "overflow-wrap: anywhere" in style and "break-after: avoid" in style
    assert '<nav class="toc">' in page


def test_markdown_report_keeps_tables_whole(filled, tmp_path):
    filled.invitations.create({"direction": "received", "event_name": "Lantern | parade", "host": "Jinju",
                               "start_date": "2026-04-01", "end_date": "2026-04-01", "status": "received"})
    text = page_of(filled, tmp_path, "md")
    assert text.startswith("# Our city: sister-city partnerships with Korea, 2026\n")
    assert text.index("## 1. Summary") < text.index("## 3. Partner cities") < text.index("## 5. Expected")
    assert r"\<script\>alert(1)\</script\>" in text
    assert not re.search(r"(?<!\\)<", text)  # every < is backslash-escaped: no raw HTML for a renderer
    assert r"| 2026-04-01 | Lantern \| parade | Jinju | received | received |" in text
    assert report_md.text("imported\r\ntext | *x*") == r"imported text \| \*x\*"  # one table row, no emphasis
    assert "| Visitors | 230 visitors | 50 visitors | +360% |" in text
    assert "| Growth in tourist arrivals | Visitors | 0 visitors | 0 visitors | 0 visitors | " \
           "1,050 visitors | 230 visitors |" in text  # the five years, in place of a chart
    columns = None
    for line in text.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        columns = columns or pipes
        assert pipes == columns, line  # every row of a table has its header's columns


def test_long_lists_are_capped_with_exact_counts(filled, monkeypatch):
    monkeypatch.setattr(report, "MAX_LISTED", 2)
    monkeypatch.setattr(report, "MAX_RECENT", 1)
    monkeypatch.setattr(report, "MAX_PARTNER_ROWS", 1)
    monkeypatch.setattr(report, "MAX_PARTNERS", 1)
    data = report_data(filled, 2026)
    assert data.visits.total == 3 and len(data.visits.rows) == 2 and data.visits.more == 1
    assert len(data.partners) == 1 and data.partner_cities == 2 and data.partners[0].visits.more == 2
    page = "".join(report.render(data, "html"))
    assert '<p class="more">…and 1 more.</p>\n' in page and '<li class="more">…and 1 more</li>\n' in page
    assert "…and 1 more partner cities" in page and "…and 2 more (section 7)." in page
    assert "…and 1 more.\n\n" in "".join(report.render(data, "md"))


def test_the_report_costs_the_same_number_of_queries_at_any_size(filled):
    def statements() -> int:
        seen: list[str] = []
        conn = filled.reader()
        conn.set_trace_callback(seen.append)
        try:
            report.render(report_data(filled, 2026), "html")
        finally:
            conn.set_trace_callback(None)
        return len(seen)

    small = statements()
    for i, city in enumerate(("Suwon", "Jeonju", "Andong", "Gumi")):
        filled.partnerships.create({"city": city, "kind": "friendly", "stage": "research"})
        for day in range(1, 6):
            filled.visits.create(visit(f"2026-0{i + 1}-{day:02d}", f"2026-0{i + 1}-{day:02d}", city=city))
            filled.outcomes.create(outcome(f"2026-0{i + 1}-{day:02d}", "More", city=city, visitors="5",
                                           custom="Press articles: 2 articles"))
    assert statements() == small


def test_empty_year_and_bad_arguments(desk, tmp_path):
    data = report_data(desk, 1999)
    assert data.visits.total == 0 and data.visits.rows == () and all(a.outcomes == 0 for a in data.areas)
    page = "".join(report.render(data, "html"))
    assert "0 visits." in page and "No partnerships yet." in page
    assert "".join(report.render(data, "md")).count("No figures logged yet") >= 1
    with pytest.raises(ValueError, match="Unknown report format"):
        write_report(desk, 2026, "pdf", tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_a_failed_report_leaves_the_earlier_file(filled, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_bytes(b"earlier report")

    def refuse(*args: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError):
        write_report(filled, 2026, "html", out)
    assert out.read_bytes() == b"earlier report"
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


# The command line --------------------------------------------------------------------------
@pytest.fixture
def on_disk(paths):
    desk = Desk.open(*paths)
    fill(desk)
    desk.close()
    return paths


def test_cli_report(on_disk, tmp_path, capsys):
    db, config = on_disk
    out = tmp_path / "council" / "report.md"
    args = ["--db", str(db), "--config", str(config), "report", "--year", "2026", "--format", "md", "--out", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out == (
        f"Wrote the 2026 report (md) to {out} (visits 3, invitations 2, outcomes 4).\n"
    )
    assert out.read_text(encoding="utf-8").startswith("# Our city")
    assert out.parent.stat().st_mode & 0o777 == 0o700


def test_cli_report_defaults_to_html_for_this_year(on_disk, tmp_path, capsys):
    db, config = on_disk
    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--db", str(db), "--config", str(config)]) == 0
    assert f"report (html) to {out}" in capsys.readouterr().out
    assert f", {dt.date.today().year}</h1>" in out.read_text(encoding="utf-8")


def test_cli_report_refuses_a_bad_year(on_disk, tmp_path, capsys):
    db, _ = on_disk
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(db), "report", "--year", "26", "--out", str(tmp_path / "r.html")])
    assert exited.value.code == 2
    assert "is not a year" in capsys.readouterr().err
