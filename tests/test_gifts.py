"""The gift register: value and what became of each gift, across every visit."""

from __future__ import annotations

import csv

import pytest
import tomli_w

from twindesk.bundle.csv_export import export_csv
from twindesk.services import Desk, Invalid

from .syncing import VISIT


@pytest.fixture
def gifts(paths):
    db, config = paths
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(tomli_w.dumps({"installation": {"id": "t"}, "gifts": {"declare_over": 150, "currency": "eur"}}))
    desk = Desk.open(db, config)
    desk.today = lambda: __import__("datetime").date(2026, 12, 2)
    one = desk.visits.create(VISIT).id
    two = desk.visits.create({**VISIT, "city": "Jeju", "start_date": "2025-05-01", "end_date": "2025-05-03"}).id
    desk.gifts.create({"visit_id": one, "item": "Celadon vase", "direction": "received",
                       "counterpart": "Mayor of Busan", "given_on": "2026-12-02", "value_amount": "480",
                       "value_currency": "EUR", "disposition": "collection"})
    desk.gifts.create({"visit_id": one, "item": "Book of photographs", "direction": "given", "given_on": "2026-12-01",
                       "value_amount": "35", "value_currency": "EUR", "disposition": "kept"})
    desk.gifts.create({"visit_id": two, "item": "Tangerines", "direction": "received", "given_on": "2025-05-02",
                       "value_amount": "30000", "value_currency": "KRW"})
    yield desk
    desk.close()


def items(desk: Desk, quick: str | None = None, text: str = "") -> list[str]:
    query = desk.gifts.query()
    query.quick, query.text = quick, text
    return [row.cells[2] for row in query.fetch(0, 50)]


def test_the_register_lists_every_visits_gifts_newest_first(gifts):
    assert items(gifts) == ["Celadon vase", "Book of photographs", "Tangerines"]
    row = gifts.gifts.query().fetch(0, 1)[0]
    assert row.cells[4] == "Busan 2026-12-01"  # the visit's city and first day
    assert row.cells[5] == "480.00 EUR" and row.cells[6] == "City collection"


def test_filters_by_direction_year_and_value_over_the_configured_threshold(gifts):
    assert items(gifts, "given") == ["Book of photographs"]
    assert items(gifts, "this_year") == ["Celadon vase", "Book of photographs"]
    # 30,000 KRW is a larger number, but the threshold is in euros.
    assert items(gifts, "declare") == ["Celadon vase"]
    assert items(gifts, text="2025") == ["Tangerines"]
    assert items(gifts, text="jeju") == ["Tangerines"]
    assert gifts.gifts.query().fetch(0, 3)[0].tone == "warning"


def test_a_value_needs_its_currency_and_a_disposition_is_one_of_the_known_ones(gifts):
    visit = gifts.reader().execute("SELECT id FROM visit LIMIT 1").fetchone()[0]
    with pytest.raises(Invalid) as caught:
        gifts.gifts.create({"visit_id": visit, "item": "Pen", "direction": "given", "value_amount": "12",
                            "disposition": "sold"})
    assert set(caught.value.errors) == {"value_currency", "disposition"}


def test_the_register_exports_as_csv_with_values_and_dispositions(gifts, tmp_path):
    export_csv(gifts, tmp_path)
    with (tmp_path / "gifts.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["item"] for r in rows] == ["Tangerines", "Book of photographs", "Celadon vase"]
    assert rows[2]["value_amount"] == "480.00" and rows[2]["disposition"] == "Handed to the city's collection"
    assert rows[0]["visit_city"] == "Jeju"


async def test_the_register_screen_as_a_user_sees_it(paths):
    """`g` opens the register: every column fits 120 cells, quick keys narrow
    it, a filter that finds nothing says so, and user text is shown as typed."""
    from .ui import HOME, SIZE, make_app, ready, screen_text, settle

    _db, config = paths
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(tomli_w.dumps({"installation": {"id": "t"}, "home": HOME,
                                     "gifts": {"declare_over": 150, "currency": "EUR"}}))
    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        visit = app.desk.visits.create(VISIT).id
        app.desk.gifts.create({"visit_id": visit, "item": "Celadon vase", "direction": "received",
                               "counterpart": "Mayor of Busan", "given_on": "2026-12-02", "value_amount": "480",
                               "value_currency": "EUR", "disposition": "collection"})
        app.desk.gifts.create({"visit_id": visit, "item": "[bold]Fan[/] <b>", "direction": "given",
                               "counterpart": "[$accent]x", "given_on": "2026-12-01", "value_amount": "35",
                               "value_currency": "EUR", "disposition": "declined"})
        await pilot.press("g")
        await settle(pilot)
        shown = screen_text(app)
        assert "Worth declaring (over 150 EUR)" in shown
        assert "Disposition" in shown and "City collection" in shown and "Declined" in shown
        assert "480.00 EUR" in shown and "Busan 2026-12-01" in shown
        assert "[bold]Fan[/] <b>" in shown and "[$accent]x" in shown
        await pilot.press("3")  # worth declaring
        await settle(pilot)
        shown = screen_text(app)
        assert "Celadon vase" in shown and "[bold]Fan[/]" not in shown
        await pilot.press("x", "1")  # given
        await settle(pilot)
        assert "[bold]Fan[/]" in screen_text(app) and "Celadon vase" not in screen_text(app)
        await pilot.press("x", "slash", "z", "z", "z")
        await settle(pilot)
        shown = screen_text(app)
        assert "No gifts match the filter: x clears it." in shown and "No gifts yet" not in shown


async def test_without_a_threshold_the_register_says_how_to_set_one(paths):
    from .ui import SIZE, make_app, ready, screen_text, settle

    app = make_app(paths, start="dashboard")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        shown = screen_text(app)
        assert "Set [gifts] declare_over in the config" in shown
        assert "No gifts yet: add them on a visit's screen (g there)." in shown
