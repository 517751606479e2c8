"""The council report: its figures, its Markdown and HTML, and `twindesk report`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from twindesk.bundle import files, report, report_md
from twindesk.bundle.report import report_data, write_report
from twindesk.cli import main
from twindesk.services import Desk

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
            **figures: str) -> dict[str, str]:
    return {"area": area, "programme": programme, "city": "Busan", "happened_on": on, "title": title,
            "trade_currency": currency, **{f"m_{k}": v for k, v in figures.items()}}


def fill(desk: Desk) -> Desk:
    desk.today = lambda: TODAY
    desk.partnerships.create({"city": "Busan", "kind": "sister", "stage": "active", "signed_on": "2020-05-01",
                              "stage_changed_on": "2021-01-01"})
    desk.partnerships.create({"city": "Jinju", "kind": "friendly", "stage": "research"})
    desk.visits.create(visit("2026-05-04", "2026-05-07", purpose=SCRIPT))
    desk.visits.create(visit("2025-12-30", "2026-01-02", direction="inbound", city="Jeonju", purpose="새해 방문"))
    desk.visits.create(visit("2025-03-01", "2025-03-03", purpose="Last year's visit"))
    desk.visits.create(visit("2026-09-01", "2026-09-02", status="cancelled", purpose="Called off"))
    desk.invitations.create({"direction": "received", "event_name": "진주 남강유등축제", "host": "Jinju",
                             "start_date": "2026-10-01", "end_date": "2026-10-12", "status": "accepted"})
    desk.invitations.create({"direction": "sent", "event_name": "Jazz | Days", "host": "home",
                             "start_date": "2027-06-01", "end_date": "2027-06-03", "status": "sent"})
    desk.outcomes.create(outcome("2026-05-06", SCRIPT, visitors="120"))
    desk.outcomes.create(outcome("2026-08-15", "부산 불꽃축제 공동 홍보", visitors="80", media_reach="10000"))
    desk.outcomes.create(outcome("2025-08-15", "Last year's promotion", visitors="50"))
    desk.outcomes.create(outcome("2026-03-02", "Kimchi import deal", area="business",
                                 programme="agri_food_trade", trade_value="5000", currency="KRW"))
    return desk


@pytest.fixture
def filled(desk):
    return fill(desk)


def test_report_data_counts_and_sums(filled):
    data = report_data(filled, 2026)
    assert data.home == "Our city" and data.generated == TODAY and data.partnerships == 2
    stages = {s.name: s for s in data.stages}
    assert stages["Active"].count == 1 and stages["Active"].cities == ("Busan (sister city)",)
    assert stages["Research"].cities == ("Jinju (friendly city)",)
    # Dates overlapping the year: the new-year visit counts, last March's does not.
    assert data.visits.total == 3 and [v.start for v in data.visits.rows] == ["2025-12-30", "2026-05-04",
                                                                              "2026-09-01"]
    assert dict(data.visits.by_direction) == {"outbound": 2, "inbound": 1}
    assert dict(data.visits.by_status) == {"done": 2, "cancelled": 1}
    assert data.invitations.total == 1 and data.invitations.rows[0].host == "Jinju"
    areas = {a.name: a for a in data.areas}
    assert "Expected benefits" not in areas  # no outcomes logged against it
    tourism = areas["Tourism cooperation"]
    assert tourism.outcomes == 2
    promotion = tourism.programmes[0]
    assert promotion.outcomes == 2
    assert {(f.measure, f.total) for f in promotion.figures} == {("Visitors", 200.0), ("Media reach", 10000.0)}
    assert [o.title for o in tourism.recent] == ["부산 불꽃축제 공동 홍보", SCRIPT]  # newest first
    business = areas["Business and industry"]
    trade = next(p for p in business.programmes if p.outcomes)
    assert [(f.measure, f.total, f.unit) for f in trade.figures] == [("Trade value", 5000.0, "KRW")]
    benefits = {b.name: b for b in data.benefits}
    (visitors, media) = benefits["Growth in tourist arrivals"].series
    assert (visitors.measure, visitors.total, visitors.change) == ("Visitors", 200.0, 3.0)
    assert media.change is None  # nothing the year before
    assert benefits["Improvement in the quality of education"].series == ()


def test_deleted_records_leave_the_report(filled):
    target = filled.outcomes.query().fetch(0, 10)
    gone = next(r.id for r in target if r.label == SCRIPT)
    filled.outcomes.delete(gone)
    tourism = next(a for a in report_data(filled, 2026).areas if a.number == 1)
    assert tourism.outcomes == 1
    assert {(f.measure, f.total) for f in tourism.programmes[0].figures} == {("Visitors", 80.0),
                                                                              ("Media reach", 10000.0)}


def test_html_report_is_self_contained_and_escapes_user_text(filled, tmp_path):
    filled.config.home.name = "Springfield <b>&</b>"
    out = write_report(filled, 2026, "html", tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # the visit's purpose and the outcome's title
    assert "Springfield &lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>" not in page
    for loader in ("http:", "https:", "//", "src=", "href=", "url(", "@import", "<link", "<img", "<iframe"):
        assert loader not in page.replace("<!DOCTYPE", ""), loader
    assert "부산 불꽃축제 공동 홍보" in page and "진주 남강유등축제" in page and "새해 방문" in page
    assert "Last year&#x27;s visit" not in page
    assert re.search(r"Visitors: 200 visitors", page)
    assert re.search(r"<td>Visitors</td><td class=\"n\">200 visitors</td><td class=\"n\">\+300%</td>", page)
    assert "n/a" in page and "No figures logged yet." in page
    assert "Trade value: 5,000 KRW" in page


def test_markdown_report_keeps_tables_whole(filled, tmp_path):
    filled.invitations.create({"direction": "received", "event_name": "Lantern | parade", "host": "Jinju",
                               "start_date": "2026-04-01", "end_date": "2026-04-01", "status": "received"})
    out = write_report(filled, 2026, "md", tmp_path / "report.md")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Our city: sister-city partnerships with Korea, 2026\n")
    assert r"\<script\>alert(1)\</script\>" in text
    assert not re.search(r"(?<!\\)<", text)  # every < is backslash-escaped: no raw HTML for a renderer
    assert r"| 2026-04-01 | Lantern \| parade | Jinju | received | received |" in text
    assert report_md.text("imported\r\ntext | *x*") == r"imported text \| \*x\*"  # one table row, no emphasis
    assert "| Visitors | 200 visitors | +300% |" in text
    assert "부산 불꽃축제 공동 홍보" in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 6), line  # 3 or 5 columns


def test_long_lists_are_capped_with_exact_counts(filled, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_LISTED", 2)
    monkeypatch.setattr(report, "MAX_RECENT", 1)
    data = report_data(filled, 2026)
    assert data.visits.total == 3 and len(data.visits.rows) == 2 and data.visits.more == 1
    page = report.render(data, "html")
    assert '<p class="more">…and 1 more.</p>\n' in page
    assert '<li class="more">…and 1 more</li>\n' in page
    assert "…and 1 more.\n\n" in report.render(data, "md")


def test_empty_year_and_bad_arguments(desk, tmp_path):
    data = report_data(desk, 1999)
    assert data.visits.total == 0 and data.visits.rows == () and all(a.outcomes == 0 for a in data.areas)
    page = "".join(report.render(data, "html"))
    assert "0 visits." in page
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
        f"Wrote the 2026 report (md) to {out} (visits 3, invitations 1, outcomes 3).\n"
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
