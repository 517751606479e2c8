"""Outcomes and benefits on services: figures, validation, totals, year on year."""

from __future__ import annotations

import pytest

from twindesk.services import Invalid


def outcome(**changes: str) -> dict[str, str]:
    values = {
        "area": "tourism",
        "programme": "youth_camps",
        "city": "Busan",
        "happened_on": "2026-08-01",
        "title": "Youth camp in Busan",
        "description": "",
        "custom": "",
    }
    values.update(changes)
    return values


def totals(desk, measure: str) -> dict[int, float]:
    series = [s for b in desk.benefits.benefits() for s in b.series if s.measure == measure]
    return dict(series[0].by_year) if series else {}


def test_an_outcome_with_its_figures_reads_back(desk):
    ident = desk.outcomes.create(outcome(
        m_participants="40", m_trade_value="1,200.50", trade_currency="eur", custom="Host families: 12 families",
        title="Camp [bold]2026[/]",
    )).id
    found = desk.outcomes.get(ident)
    assert found.title == "Camp [bold]2026[/]"
    assert found.city == "Busan" and found.programme_name.startswith("Organization of international youth")
    assert [(f.measure, f.value, f.unit, f.currency) for f in found.figures] == [
        ("participants", 40.0, "people", ""),
        ("trade_value", 1200.5, "money", "EUR"),
        ("Host families", 12.0, "families", ""),
    ]
    row = desk.outcomes.query().fetch(0, 1)[0]
    assert row.cells[1] == "Tourism" and "Participants 40" in row.cells[5]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"area": ""}, "area", "Choose the cooperation area"),
        ({"programme": ""}, "programme", "Choose one of the area's programmes"),
        ({"programme": "student_exchange"}, "programme", "It belongs to Education exchange"),
        ({"city": ""}, "city", "Name the Korean city"),
        ({"m_participants": "-3"}, "m_participants", "cannot be negative"),
        ({"m_visitors": "many"}, "m_visitors", "is not a number"),
        ({"m_trade_value": "500"}, "trade_currency", "currency as an ISO code"),
        ({"m_trade_value": "500", "trade_currency": "XYZ"}, "trade_currency", "XYZ is not one twindesk knows"),
        ({"trade_currency": "EUR"}, "m_trade_value", "no trade value"),
        ({"custom": "lots of people"}, "custom", "name: number unit"),
        ({"custom": "Visitors: 3"}, "custom", "has its own field"),
        ({"custom": f"{'Press articles in national newspapers ' * 2}: 3"}, "custom", "at most 60 characters"),
        ({"custom": "Press: 3 articles in the national and regional newspapers"}, "custom", "at most 30 characters"),
        ({"happened_on": "2026-13-01"}, "happened_on", "not a real date"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(desk, changes, field, message):
    with pytest.raises(Invalid) as caught:
        desk.outcomes.create(outcome(**{"m_participants": "10", **changes}))
    assert message in caught.value.errors[field]
    assert desk.outcomes.query().count() == 0
    assert desk.reader().execute("SELECT count(*) FROM figure").fetchone()[0] == 0


def test_editing_figures_updates_adds_and_removes_in_one_undoable_action(desk):
    ident = desk.outcomes.create(outcome(m_participants="40", m_visitors="100")).id
    values = desk.outcomes.form_values(ident)
    assert values["m_participants"] == "40"
    changed = desk.outcomes.update(
        ident, {**values, "m_participants": "45", "m_visitors": "", "m_media_reach": "5000"}).changed
    assert set(changed) == {"m_participants", "m_visitors", "m_media_reach"}
    assert {f.measure: f.value for f in desk.outcomes.get(ident).figures} == {"participants": 45.0,
                                                                             "media_reach": 5000.0}
    desk.undo.undo_last()
    assert {f.measure: f.value for f in desk.outcomes.get(ident).figures} == {"participants": 40.0,
                                                                             "visitors": 100.0}


def test_benefit_totals_follow_edits_deletes_and_undo(desk):
    first = desk.outcomes.create(outcome(m_visitors="100", happened_on="2025-05-01")).id
    desk.outcomes.create(outcome(m_visitors="150", happened_on="2026-05-01"))
    second = desk.outcomes.create(outcome(m_visitors="50", happened_on="2026-06-01")).id
    assert totals(desk, "visitors") == {2025: 100.0, 2026: 200.0}
    desk.outcomes.delete(second)
    assert totals(desk, "visitors") == {2025: 100.0, 2026: 150.0}
    desk.undo.undo_last()
    assert totals(desk, "visitors") == {2025: 100.0, 2026: 200.0}
    desk.outcomes.update(first, {**desk.outcomes.form_values(first), "happened_on": "2024-05-01"})
    assert totals(desk, "visitors") == {2024: 100.0, 2026: 200.0}


def test_year_on_year_change_and_benefit_mapping(desk):
    desk.outcomes.create(outcome(m_visitors="100", m_media_reach="1000", happened_on="2025-05-01"))
    desk.outcomes.create(outcome(m_visitors="150", happened_on="2026-05-01"))
    desk.outcomes.create(outcome(area="business", programme="sme_exhibitions", m_trade_value="2000",
                                 trade_currency="EUR", m_agreements_signed="2", happened_on="2026-03-01"))
    benefits = {b.key: b for b in desk.benefits.benefits()}
    tourism = {s.measure: s for s in benefits["tourist_arrivals"].series}
    assert tourism["visitors"].total(2026) == 150.0
    assert tourism["visitors"].change(2026) == pytest.approx(0.5)
    assert tourism["media_reach"].change(2026) == pytest.approx(-1.0)
    assert tourism["visitors"].change(2025) is None
    economy = benefits["local_economy"].series[0]
    assert (economy.measure, economy.unit, economy.total(2026)) == ("trade_value", "EUR", 2000.0)
    assert benefits["global_network"].series[0].total(2026) == 2.0


def test_area_view_totals_by_year_and_city(desk):
    desk.outcomes.create(outcome(m_participants="40", happened_on="2025-08-01"))
    desk.outcomes.create(outcome(m_participants="30", city="Jeju", happened_on="2026-08-01"))
    camps = next(p for p in desk.benefits.programme_totals("tourism") if p.programme == "youth_camps")
    assert camps.by_year == ((2025, "Participants", 40.0, "people"), (2026, "Participants", 30.0, "people"))
    assert camps.by_city == (("Busan", "Participants", 40.0, "people"), ("Jeju", "Participants", 30.0, "people"))


def test_filter_outcomes_by_programme_city_and_year(desk):
    desk.outcomes.create(outcome(title="Camp"))
    desk.outcomes.create(outcome(area="education", programme="student_exchange", city="Jinju", title="Exchange",
                                 happened_on="2025-02-01"))
    query = desk.outcomes.query()
    for text, expected in (("student exchange", ["Exchange"]), ("진주", ["Exchange"]), ("2026", ["Camp"]),
                           ("busan camp", ["Camp"])):
        query.text = text
        assert [r.label for r in query.fetch(0, 10)] == expected, text
    query.text = ""
    query.quick = "education"
    assert [r.label for r in query.fetch(0, 10)] == ["Exchange"]


def test_the_list_and_the_detail_show_figures_and_programmes_as_people_read_them(desk):
    ident = desk.outcomes.create(outcome(m_visitors="34924113", m_participants="40")).id
    (row,) = desk.outcomes.query().fetch(0, 5)
    figures = row.cells[-1]
    assert "Visitors 34,924,113" in figures and "Participants 40" in figures and "e+" not in figures
    lines = dict(desk.outcomes.detail_lines(desk.outcomes.row(ident)))
    assert lines["Programme"] == "Organization of international youth cultural exchange camps"  # not "youth_camps"
