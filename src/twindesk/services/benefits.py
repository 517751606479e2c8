"""The four expected benefits and the area view, read from figure totals.

Totals come from `figure_rollup` (by year, schema 2) and `figure_day` (by
day, schema 7), which triggers keep up to date, so these views cost the same
with 100,000 outcomes as with 100.
Which measures feed which benefit is data: `benefit_measures` in the seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twindesk import taxonomy
from twindesk.services.outcomes import measure_name

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


def a_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier: where "the same period last year" ends.
    29 February has none, so it is the 28th."""
    try:
        return day.replace(year=max(day.year - 1, 1))
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def figures_between(conn: Any, measures: tuple[str, ...], first: dt.date, last: dt.date
                    ) -> dict[tuple[str, str], float]:
    """Each (measure, currency)'s total over the days `first` to `last`, both
    included, from the daily totals (schema 7): at most 366 rows a measure."""
    if not measures:
        return {}
    marks = ", ".join("?" for _ in measures)
    rows = conn.execute(
        f"""SELECT measure, currency, sum(total) FROM figure_day
            WHERE n > 0 AND measure IN ({marks}) AND day >= ? AND day <= ? GROUP BY 1, 2""",
        (*measures, first.isoformat(), last.isoformat()),
    )
    return {(measure, currency): total for measure, currency, total in rows}


@dataclass(frozen=True)
class Series:
    """One measure (in one currency) over the years."""

    measure: str
    name: str
    unit: str  # the currency for money, else the measure's unit
    currency: str  # "" for a measure that is not money
    by_year: tuple[tuple[int, float], ...]  # ascending years

    def total(self, year: int) -> float:
        return dict(self.by_year).get(year, 0.0)

    def change(self, year: int, before: float | None = None) -> float | None:
        """Change on the year before (or on `before`, the same period of it) as
        a fraction; None when that had nothing."""
        before = self.total(year - 1) if before is None else before
        if not before:
            return None
        return (self.total(year) - before) / before


@dataclass(frozen=True)
class Benefit:
    key: str
    name: str
    summary: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class ProgrammeTotals:
    area: str
    programme: str
    name: str
    by_year: tuple[tuple[int, str, float, str], ...]  # (year, measure name, total, unit)
    by_city: tuple[tuple[str, str, float, str], ...]  # (city, measure name, total, unit)


class BenefitService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def year_to_date_before(self, today: dt.date, measures: tuple[str, ...]) -> dict[tuple[str, str], float]:
        """Each (measure, currency)'s total from 1 January to `today`'s date a
        year before: what this year so far is compared with (the council
        report compares the same way)."""
        return figures_between(self.desk.reader(), measures, dt.date(today.year - 1, 1, 1), a_year_before(today))

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return self.desk.reader().execute(sql, params).fetchall()

    def series(self, measures: tuple[str, ...]) -> list[Series]:
        if not measures:
            return []
        marks = ", ".join("?" for _ in measures)
        rows = self._rows(
            f"""SELECT measure, currency, CAST(year AS INTEGER) AS year, sum(total) AS total
                FROM figure_rollup WHERE n > 0 AND measure IN ({marks})
                GROUP BY measure, currency, year ORDER BY measure, currency, year""",
            measures,
        )
        units = {m.key: m.unit for m in taxonomy.load().measures}
        grouped: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for r in rows:
            grouped.setdefault((r["measure"], r["currency"]), []).append((r["year"], r["total"]))
        order = {m: i for i, m in enumerate(measures)}
        return [
            Series(measure, measure_name(measure), currency or units.get(measure, ""), currency or "",
                   tuple(points))
            for (measure, currency), points in sorted(grouped.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
        ]

    def benefits(self) -> list[Benefit]:
        area = taxonomy.load().area("benefits")
        if area is None:
            return []
        return [
            Benefit(p.key, p.name, p.summary, tuple(self.series(p.benefit_measures)))
            for p in area.programmes
            if p.benefit_measures
        ]

    def programme_totals(self, area_key: str) -> list[ProgrammeTotals]:
        """For each programme of an area: totals by year and by partner city."""
        area = taxonomy.load().area(area_key)
        if area is None:
            return []
        units = {m.key: m.unit for m in taxonomy.load().measures}
        by_year = self._rows(
            """SELECT programme, CAST(year AS INTEGER) AS year, measure, currency, sum(total) AS total
               FROM figure_rollup WHERE n > 0 AND area = ?
               GROUP BY programme, year, measure, currency ORDER BY programme, year, measure""",
            (area_key,),
        )
        by_city = self._rows(
            """SELECT r.programme, coalesce(c.name, '—') AS city, r.measure, r.currency, sum(r.total) AS total
               FROM figure_rollup r LEFT JOIN city c ON c.id = r.city_id
               WHERE r.n > 0 AND r.area = ?
               GROUP BY r.programme, city, r.measure, r.currency ORDER BY r.programme, total DESC""",
            (area_key,),
        )
        out = []
        for programme in area.programmes:
            years = tuple(
                (r["year"], measure_name(r["measure"]), r["total"], r["currency"] or units.get(r["measure"], ""))
                for r in by_year if r["programme"] == programme.key
            )
            cities = tuple(
                (r["city"], measure_name(r["measure"]), r["total"], r["currency"] or units.get(r["measure"], ""))
                for r in by_city if r["programme"] == programme.key
            )
            out.append(ProgrammeTotals(area_key, programme.key, programme.name, years, cities))
        return out
