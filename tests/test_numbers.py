"""Numbers as people read them: plurals, units, money's minor units, axis labels."""

from __future__ import annotations

import itertools
import re

import pytest

from twindesk.services.money import figure, money
from twindesk.text import aligned, axis_ticks, number, percent, plural, quantity, short_number, singular

from .ui import SIZE, make_app, ready, screen_text


@pytest.mark.parametrize(("unit", "one"), [
    ("agreements", "agreement"), ("visitors", "visitor"), ("students", "student"), ("people", "person"),
    ("people reached", "person reached"), ("press articles", "press article"), ("companies", "company"),
    ("boxes", "box"), ("EUR", "EUR"), ("km", "km"), ("", ""), ("hours of training", "hour of training"),
])  # fmt: skip
def test_one_of_a_unit_is_singular(unit, one):
    assert singular(unit) == one
    assert quantity(1, unit) == f"1 {one}".strip()
    assert quantity(2, unit) == f"2 {unit}".strip()  # any other amount keeps the plural


def test_counts_take_the_plural_except_for_one():
    assert plural(1, "agreement") == "1 agreement"
    assert plural(0, "agreement") == "0 agreements"
    assert plural(1.5, "agreement") == "1.5 agreements"
    assert plural(12_500, "city", "cities") == "12,500 cities"


def test_money_keeps_its_minor_units():
    assert money(83653.2, "USD") == "83,653.20 USD"
    assert money("12500", "EUR") == "12,500.00 EUR"
    assert money("3000000.00", "KRW") == "3,000,000 KRW"  # a won is not divided
    assert money(0.1 + 0.2, "EUR") == "0.30 EUR"
    assert money("", "EUR") == ""
    assert figure(83653.2, "USD") == "83,653.20 USD"
    assert figure(1, "agreements") == "1 agreement"


@pytest.mark.parametrize(("value", "shown"), [
    (34924113.0, "34.9 M"), (950, "950"), (1234, "1.2 k"), (999_960, "1 M"), (3.3e9, "3.3 bn"), (0, "0"),
    (12.34, "12.3"), (-1_500_000, "-1.5 M"),
])  # fmt: skip
def test_short_numbers_for_axes(value, shown):
    assert short_number(value) == shown


@pytest.mark.parametrize("top", [0.4, 1, 3, 7, 99, 116_690, 34_924_113.0])
def test_axis_ticks_are_round_and_cover_the_top(top):
    ticks = axis_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 6
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    mantissa = f"{steps.pop():e}".split("e")[0]
    assert float(mantissa) in (1, 2, 2.5, 5)
    assert all(t == int(t) for t in axis_ticks(top, whole=True))


def test_aligned_puts_numbers_in_a_column():
    assert aligned("1,200 visitors", 8) == "   1,200 visitors"
    assert aligned("1 agreement", 8).index(" agreement") == aligned("12,345 agreements", 8).index(" agreements")


async def test_benefits_screen_axis_and_units(paths):
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        year = app.desk.today().year
        for on, visitors in ((f"{year - 1}-03-01", "1500000"), (f"{year}-02-01", "34924113")):
            app.desk.outcomes.create({"area": "tourism", "programme": "joint_promotion", "city": "Busan",
                                      "happened_on": on, "title": "Fair", "m_visitors": visitors})
        app.desk.outcomes.create({"area": "benefits", "programme": "global_network", "city": "Busan",
                                  "happened_on": f"{year}-02-01", "title": "Signed", "m_agreements_signed": "1"})
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        assert "34,924,113 visitors" in text
        assert "1 agreement " in text and "1 agreements" not in text
        assert "30 M" in text and not re.search(r"\d{5}", text)  # round axis labels, never raw floats


async def test_area_view_writes_one_agreement(paths):
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.desk.outcomes.create({"area": "business", "programme": "agri_food_trade", "city": "Busan",
                                  "happened_on": "2026-03-01", "title": "Deal", "m_agreements_signed": "1",
                                  "m_trade_value": "83653.2", "trade_currency": "USD"})
        await pilot.press("o", "a")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert "1 agreement" in text and "1 agreements" not in text
        assert "83,653.20 USD" in text


async def test_benefits_screen_compares_this_year_so_far_with_the_same_days_of_last_year(paths):
    """As the council report does: 2026 to 30 June against 2025 to 30 June,
    not against the whole of 2025, and the change to one decimal."""
    import datetime as dt

    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.desk.today = lambda: dt.date(2026, 6, 30)
        for on, visitors in (("2025-03-01", "1000"), ("2025-11-01", "9000"), ("2026-03-01", "1503")):
            app.desk.outcomes.create({"area": "tourism", "programme": "joint_promotion", "city": "Busan",
                                      "happened_on": on, "title": "Fair", "m_visitors": visitors})
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        assert "2026 to 30 Jun, change on the same period of 2025" in text
        assert "1,503 visitors  ▲ +50.3%" in text  # not -85% against the whole of 2025
        assert "2022" in text and "2021" not in text  # five years, as in the report
        await pilot.press("left")  # a finished year: against the whole year before
        await pilot.pause()
        text = screen_text(app)
        assert "2025, change on 2024" in text and "10,000 visitors  new" in text


@pytest.mark.parametrize(("change", "shown"), [
    (0.5, "+50%"), (-0.003, "-0.3%"), (0.0, "+0%"), (12.345, "+1,234.5%"), (-1.0, "-100%"), (0.1234, "+12.3%"),
])
def test_a_change_reads_as_people_write_it(change, shown):
    assert percent(change) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (12500.0, "12,500"), (0.5, "0.5"), (83653.2, "83,653.2"), (34924113.0, "34,924,113"), (0.004, "0"), (3.0, "3"),
])
def test_a_figure_reads_as_people_write_it(value, shown):
    assert number(value) == shown
