"""The council report's wording: sentences a council member reads aloud
without stumbling (one and many, the stage and the signing said once)."""

from __future__ import annotations

import dataclasses

import pytest

from twindesk.bundle import report
from twindesk.bundle.report import report_data

from .test_report import fill, outcome, page_of


@pytest.fixture
def filled(desk):
    return fill(desk)


def test_invitations_answered_read_right_for_one_and_many(filled):
    data = report_data(filled, 2026)
    one_sent = dataclasses.replace(data.key, sent=1, sent_answered=(("attended", 1),))
    line = report.key_sentences(dataclasses.replace(data, key=one_sent))[3]
    assert line == ("Invitations: we answered 1 of the 2 we received (1 accepted); the one we sent was answered "
                    "(1 attended).")  # not "1 of the 1 invitation we sent were answered"
    some = dataclasses.replace(data.key, received=1, received_answered=(), sent=3, sent_answered=(("declined", 1),))
    line = report.key_sentences(dataclasses.replace(data, key=some))[3]
    assert line == ("Invitations: the one we received awaits our answer; 1 of the 3 we sent was answered "
                    "(1 declined).")


def test_partner_sections_say_the_stage_and_signing_once(filled, tmp_path):
    line = report.PartnershipLine
    assert report.tie_line(line("Sister city", "Signed", "2026-08-24", "2026-08-24", "Daejeon City Hall")) == \
        "Sister city, signed on 2026-08-24 at Daejeon City Hall"  # not "signed since ...; signed ..."
    assert report.tie_line(line("Sister city", "Active", "2021-01-01", "2020-05-01", "")) == \
        "Sister city, active since 2021-01-01; signed on 2020-05-01"
    assert report.tie_line(line("Friendly city", "Research", "", "", "")) == "Friendly city, research"
    for fmt in ("html", "md"):
        page = page_of(filled, tmp_path, fmt)
        assert "Sister city, active since 2021-01-01; signed on 2020-05-01" in page
        assert "signed since" not in page


def test_an_outcome_titled_with_its_city_is_not_followed_by_it_again(filled, tmp_path):
    filled.outcomes.create(outcome("2026-07-01", "Site visit (Busan)", visitors="5"))
    for fmt in ("html", "md"):
        page = page_of(filled, tmp_path, fmt)
        assert "Site visit (Busan)," in page and "(Busan) (Busan)" not in page
        assert "2026-08-15: 부산 불꽃축제 공동 홍보 (Busan)," in page  # other titles still name their city


def test_without_a_home_city_the_report_says_our_city_throughout(filled, tmp_path):
    filled.invitations.create({"direction": "sent", "event_name": "Harbour days", "host": "home",
                               "start_date": "2026-07-01", "end_date": "2026-07-02", "status": "sent"})
    page = page_of(filled, tmp_path)
    invitations = page[page.index('id="invitations"'):]
    assert "<td>Our city</td>" in invitations and "Home city" not in page
    assert page.count("Our city") >= 2  # the title too
