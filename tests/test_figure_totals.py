"""The running figure totals (by year, schema 2; by day, schema 7) that triggers
keep: whatever is written, they equal the live figures summed directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twindesk.services import Desk
from twindesk.services.benefits import a_year_before, figures_between

from .conftest import released

MEASURES = ("visitors", "media_reach")


def summed(conn, key: str) -> dict[tuple[str, str, str], tuple[float, int]]:
    """Live figures summed from the tables themselves, by `key` of the outcome's day."""
    rows = conn.execute(
        f"""SELECT f.measure, {key}, coalesce(f.currency, ''), sum(f.value), count(*)
            FROM figure f JOIN outcome o ON o.id = f.outcome_id
            WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL GROUP BY 1, 2, 3"""
    )
    return {(m, k, c): (round(total, 6), n) for m, k, c, total, n in rows}


def kept(conn, table: str, key: str) -> dict[tuple[str, str, str], tuple[float, int]]:
    rows = conn.execute(
        f"SELECT measure, {key}, currency, sum(total), sum(n) FROM {table} WHERE n > 0 GROUP BY 1, 2, 3")
    return {(m, k, c): (round(total, 6), n) for m, k, c, total, n in rows}


def assert_totals_agree(desk: Desk) -> None:
    conn = desk.reader()
    assert kept(conn, "figure_day", "day") == summed(conn, "o.happened_on")
    assert kept(conn, "figure_rollup", "year") == summed(conn, "substr(o.happened_on, 1, 4)")


def by_hand(desk: Desk, first: dt.date, last: dt.date) -> dict[tuple[str, str], float]:
    rows = desk.reader().execute(
        """SELECT f.measure, coalesce(f.currency, ''), sum(f.value) FROM figure f JOIN outcome o ON o.id = f.outcome_id
           WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL AND o.happened_on BETWEEN ? AND ? GROUP BY 1, 2""",
        (first.isoformat(), last.isoformat()))
    return {(m, c): total for m, c, total in rows}


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("totals")
    opened = Desk.open(root / "twindesk.db", root / "config.toml")
    yield opened
    opened.close()


days = st.dates(dt.date(2023, 12, 25), dt.date(2025, 1, 5)).map(dt.date.isoformat)
amount = st.sampled_from(["", "0", "1", "7", "250", "12.5"])
step = st.one_of(
    st.tuples(st.just("create"), days, amount, amount),
    st.tuples(st.just("move"), st.integers(0, 9), days),
    st.tuples(st.just("figures"), st.integers(0, 9), amount, amount),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("undo")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_the_kept_totals_equal_the_figures_whatever_is_written(shared, steps):
    desk = shared
    for op, *args in steps:
        live = [r[0] for r in desk.reader().execute("SELECT id FROM outcome WHERE deleted_at IS NULL ORDER BY rowid")]
        if op == "create":
            day, visitors, reach = args
            desk.outcomes.create({"area": "tourism", "programme": "youth_camps", "city": "Busan", "happened_on": day,
                                  "title": "Camp", "description": "", "custom": "", "m_visitors": visitors,
                                  "m_media_reach": reach})
        elif op == "undo":
            desk.undo.undo_last()
        elif live:
            ident = live[args[0] % len(live)]
            values = desk.outcomes.form_values(ident)
            if op == "move":
                desk.outcomes.update(ident, {**values, "happened_on": args[1]})
            elif op == "figures":
                desk.outcomes.update(ident, {**values, "m_visitors": args[1], "m_media_reach": args[2]})
            else:
                desk.outcomes.delete(ident)
        assert_totals_agree(desk)
    first = dt.date(2024, 1, 1)
    for last in (dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 12, 31)):
        expected = by_hand(desk, first, last)
        assert figures_between(desk.reader(), MEASURES, first, last) == pytest.approx(
            {k: v for k, v in expected.items() if k[0] in MEASURES})


def test_the_same_day_a_year_before():
    assert a_year_before(dt.date(2026, 11, 24)) == dt.date(2025, 11, 24)
    assert a_year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert a_year_before(dt.date(2025, 3, 1)) == dt.date(2024, 3, 1)


def test_the_migration_to_schema_7_totals_every_live_figure_by_day(tmp_path):
    with released("schema-v6.db", tmp_path) as desk:
        assert desk.reader().execute("PRAGMA user_version").fetchone()[0] >= 7
        assert_totals_agree(desk)
        # The fixture's edge days: 29 February 2024, the ends of 2024 and 2025, a moved and a deleted outcome.
        assert figures_between(desk.reader(), ("visitors",), dt.date(2025, 1, 1), dt.date(2025, 2, 28)) == {
            ("visitors", ""): pytest.approx(by_hand(desk, dt.date(2025, 1, 1), dt.date(2025, 2, 28))[("visitors", "")])}
        for today in (dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 8, 31), dt.date(2026, 12, 31),
                      dt.date(2025, 2, 28)):
            first = dt.date(today.year - 1, 1, 1)
            assert desk.benefits.year_to_date_before(today, MEASURES) == pytest.approx(
                {k: v for k, v in by_hand(desk, first, a_year_before(today)).items() if k[0] in MEASURES}), today
