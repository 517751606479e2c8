"""The delegation brief: what it says, that it is private and self-contained,
and `twindesk brief VISIT`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from twindesk.bundle.brief import brief_data, default_name, write_brief
from twindesk.cli import main
from twindesk.services import Desk

from .pages import assert_loads_nothing

TODAY = dt.date(2026, 4, 20)
HOSTILE = "[bold]x[/] <script>alert(1)</script> \x1b]2;PWNED\x1b\\ 😀 & \"q\""


def fill(desk: Desk) -> dict[str, str]:
    desk.today = lambda: TODAY
    desk.config.home.name = "Springfield, IL"
    ids: dict[str, str] = {}
    ids["partnership"] = desk.partnerships.create({
        "city": "Busan", "kind": "sister", "stage": "research", "stage_changed_on": "2019-03-01"}).id
    values = desk.partnerships.form_values(ids["partnership"])
    desk.partnerships.update(ids["partnership"], {**values, "stage": "active", "signed_on": "2021-05-01",
                                                  "signed_place": "부산시청", "stage_changed_on": "2021-05-01"})
    desk.contacts.create({"partnership_id": ids["partnership"], "name": "김민준", "title": "국제교류 주무관",
                          "email": "minjun@busan.example", "phone": "+82 51 888 1234"})
    ids["visit"] = desk.visits.create({
        "direction": "outbound", "city": "Busan", "start_date": "2026-05-04", "end_date": "2026-05-06",
        "purpose": "Port logistics forum", "areas": ["business"], "status": "confirmed",
        "budget_amount": "83653.2", "budget_currency": "USD"}).id
    desk.members.create({"visit_id": ids["visit"], "name": "Anna Becker", "role": "head of delegation",
                         "title": "Mayor", "organisation": "City Hall", "dietary": "vegetarian",
                         "contact": "anna@springfield.example"})
    desk.members.create({"visit_id": ids["visit"], "name": "이서연", "role": "interpreter", "dietary": "halal"})
    for day, time, what in (("2026-05-05", "14:00", "Port tour"), ("2026-05-04", "", "Arrival day"),
                            ("2026-05-05", "09:30", "Courtesy call"), ("2026-05-04", "18:00", "Welcome dinner")):
        desk.itinerary.create({"visit_id": ids["visit"], "day": day, "time": time, "what": what,
                               "place": "부산시청" if what == "Courtesy call" else ""})
    desk.gifts.create({"visit_id": ids["visit"], "item": "Celadon vase", "direction": "given",
                       "counterpart": "Mayor of Busan"})
    desk.gifts.create({"visit_id": ids["visit"], "item": "Hanji fan", "direction": "received",
                       "counterpart": "Busan delegation", "value_amount": "30000", "value_currency": "KRW",
                       "disposition": "collection"})
    for name, start, status in (("Busan Fireworks", "2026-11-07", "received"), ("Declined festival", "2026-10-01",
                                "declined"), ("Last year's festival", "2025-10-01", "received")):
        desk.invitations.create({"direction": "received", "event_name": name, "host": "Busan", "start_date": start,
                                 "end_date": start, "status": status, "party": "Brass band"})
    desk.invitations.create({"direction": "received", "event_name": "Jinju lanterns", "host": "Jinju",
                             "start_date": "2026-10-01", "end_date": "2026-10-12", "status": "received"})
    ids["inbound"] = desk.visits.create({
        "direction": "inbound", "city": "Jeonju", "start_date": "2026-06-01", "end_date": "2026-06-01",
        "purpose": "Hanok study", "status": "planned"}).id
    desk.itinerary.create({"visit_id": ids["inbound"], "day": "2026-06-01", "time": "10:00", "what": "Welcome"})
    return ids


@pytest.fixture
def filled(desk):
    return desk, fill(desk)


def test_the_brief_gathers_the_whole_visit(filled):
    desk, ids = filled
    data = brief_data(desk, ids["visit"])
    assert (data.city, data.hangul, data.province) == ("Busan", "부산", "Busan Metropolitan City")
    assert "Port logistics" in data.industries
    assert data.budget == "83,653.20 USD"
    (tie,) = data.partnerships
    assert tie.stage == "Active" and tie.signed_place == "부산시청"
    assert [(s.stage, s.changed_on) for s in tie.history] == [("Research", "2019-03-01"), ("Active", "2021-05-01")]
    assert [(m.name, m.dietary) for m in data.members] == [("Anna Becker", "vegetarian"), ("이서연", "halal")]
    assert [(d.day.isoformat(), [i.what for i in d.items]) for d in data.days] == [
        ("2026-05-04", ["Arrival day", "Welcome dinner"]),
        ("2026-05-05", ["Courtesy call", "Port tour"]),
        ("2026-05-06", []),  # every day of the visit, even one with nothing planned
    ]
    assert [g.item for g in data.gifts_to_give] == ["Celadon vase"]
    assert [g.item for g in data.gifts_received] == ["Hanji fan"]
    assert [c.name for c in data.contacts] == ["김민준"]
    # Open: with this city, not over and not closed.
    assert [i.event for i in data.invitations] == ["Busan Fireworks"]


def test_html_brief_says_where_times_are_and_is_private(filled, tmp_path):
    desk, ids = filled
    out = write_brief(desk, ids["visit"], "html", tmp_path / "brief.html")
    assert out.stat().st_mode & 0o777 == 0o600
    page = out.read_text(encoding="utf-8")
    assert 'Delegation brief: Busan <span class="ko" lang="ko">부산</span>' in page
    assert "Korea Standard Time (Asia/Seoul, UTC+9)" in page
    assert page.index("Monday 4 May 2026") < page.index("Arrival day") < page.index("Welcome dinner") \
        < page.index("Tuesday 5 May 2026") < page.index("Courtesy call") < page.index("Port tour")
    # Addresses may wrap after "@" and "." (<wbr>), and read whole.
    assert "anna@<wbr>springfield.<wbr>example" in page and "minjun@<wbr>busan.<wbr>example" in page
    assert '<span class="phone">+82 51 888 1234</span>' in page  # a number is never split over lines
    page = page.replace("<wbr>", "")
    assert "vegetarian" in page and "anna@springfield.example" in page and "+82 51 888 1234" in page
    gifts = page[page.index("Gifts"):page.index("Contacts in Busan")]
    assert gifts.index("To give") < gifts.index("Celadon vase") < gifts.index("Received") < gifts.index("Hanji fan")
    # What a declaration asks: the estimated value, in its currency, and what became of the gift.
    received = gifts[gifts.index("Received"):]
    assert "30,000 KRW" in received and "Handed to the city&#x27;s collection" in received
    assert "Declined festival" not in page and "Jinju lanterns" not in page
    inbound = write_brief(desk, ids["inbound"], "html", tmp_path / "in.html").read_text(encoding="utf-8")
    assert "local time in Springfield, IL" in inbound and "Asia/Seoul" not in inbound
    assert "No partnership with Jeonju is recorded." in inbound


def test_hostile_text_is_shown_as_text_and_nothing_is_loaded(filled, tmp_path):
    desk, ids = filled
    desk.config.home.name = HOSTILE
    desk.members.create({"visit_id": ids["inbound"], "name": HOSTILE, "dietary": "<img src=x>",
                         "contact": "javascript:alert(1)"})
    desk.itinerary.create({"visit_id": ids["inbound"], "day": "2026-06-01", "what": HOSTILE, "place": "//evil"})
    page = write_brief(desk, ids["inbound"], "html", tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page and "\x1b" not in page
    assert "[bold]x[/] &lt;script&gt;alert(1)&lt;/script&gt;" in page and "😀 &amp; &quot;q&quot;" in page
    assert "Content-Security-Policy" in page
    assert_loads_nothing(page)
    md = write_brief(desk, ids["inbound"], "md", tmp_path / "b.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<", md) and "\x1b" not in md
    assert r"\[bold\]x\[/\] \<script\>" in md


def test_markdown_brief(filled, tmp_path):
    desk, ids = filled
    text = write_brief(desk, ids["visit"], "md", tmp_path / "brief.md").read_text(encoding="utf-8")
    assert text.startswith("# Delegation brief: Busan 부산\n")
    hanji = next(line for line in text.splitlines() if "Hanji fan" in line)
    assert "30,000 KRW" in hanji and "Handed to the city's collection" in hanji
    assert "| 09:30 | Courtesy call | 부산시청 |   |" in text
    assert "**All times are Korea Standard Time (Asia/Seoul, UTC+9), where the visit takes place.**" in text
    assert "| Anna Becker | head of delegation | Mayor, City Hall | vegetarian | anna@springfield.example |" in text


def test_a_visit_is_found_by_the_start_of_its_id(filled, tmp_path):
    desk, ids = filled
    visit_id = ids["visit"]
    short = next(n for n in range(1, 37) if not ids["inbound"].startswith(visit_id[:n]))
    assert brief_data(desk, visit_id[:short].upper()).visit_id == visit_id
    # 17 visits: by pigeonhole, two ids share their first hex digit.
    for day in range(1, 16):
        desk.visits.create({"direction": "inbound", "city": "Jinju", "start_date": f"2026-07-{day:02d}",
                            "end_date": f"2026-07-{day:02d}", "status": "planned"})
    live = [r[0] for r in desk.reader().execute("SELECT id FROM visit WHERE deleted_at IS NULL")]
    shared = next(d for d in "0123456789abcdef" if sum(i.startswith(d) for i in live) > 1)
    with pytest.raises(LookupError, match="give more of it"):
        brief_data(desk, shared)
    with pytest.raises(LookupError, match="No visit"):
        brief_data(desk, "ffffffff-ffff")
    with pytest.raises(LookupError, match="hexadecimal"):
        brief_data(desk, "Busan")
    desk.visits.delete(visit_id)
    with pytest.raises(LookupError):
        brief_data(desk, visit_id)


def test_the_suggested_file_name_holds_no_personal_data(filled):
    desk, ids = filled
    data = brief_data(desk, ids["visit"])
    name = default_name(data, "html")
    assert name == f"delegation-brief-2026-05-04-{ids['visit'][:8]}.html"
    assert not any(word in name for word in ("Busan", "Anna", "Becker", "Port"))


def test_cli_brief(paths, tmp_path, capsys):
    desk = Desk.open(*paths)
    ids = fill(desk)
    desk.close()
    db, config = paths
    out = tmp_path / "briefs" / "b.md"
    assert main(["--db", str(db), "--config", str(config), "brief", ids["visit"][:8], "--format", "md",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote the delegation brief (md) to {out}.\n"
    assert out.read_text(encoding="utf-8").startswith("# Delegation brief: Busan")
    missing = tmp_path / "none.html"
    assert main(["brief", "ffffffff", "--out", str(missing), "--db", str(db), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err == "twindesk brief: No visit has an id starting with ffffffff.\n" and not missing.exists()


def test_the_exports_never_import_textual():
    """The app calls write_brief and write_report from a worker; the CLI runs them with no terminal at all."""
    import json
    import subprocess
    import sys

    modules = ("brief", "brief_html", "brief_md", "report", "report_data", "report_partners", "report_html",
               "report_svg", "report_md", "ics_export", "ics_items", "html_page")
    code = ("import sys, json\n" + "".join(f"import twindesk.bundle.{m}\n" for m in modules)
            + "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                       text=True).stdout)
    assert not [m for m in loaded if m == "textual" or m.startswith("textual.")]
