"""The four expected benefits and the area view, read from figure totals.

Totals come from `figure_rollup`, which triggers keep up to date (schema
version 2), so these views cost the same with 100,000 outcomes as with 100.
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
        if not measures:
            return {}
        first = dt.date(today.year - 1, 1, 1)
        try:
            last = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            last = today.replace(year=today.year - 1, day=28)
        marks = ", ".join("?" for _ in measures)
        # CROSS JOIN keeps the outcome table outside, as the report's query does.
        rows = self._rows(
            f"""SELECT f.measure, f.currency, sum(f.value) AS total FROM outcome o CROSS JOIN figure f
                WHERE f.outcome_id = o.id AND f.deleted_at IS NULL AND f.measure IN ({marks})
                  AND o.deleted_at IS NULL AND o.happened_on >= ? AND o.happened_on <= ?
                GROUP BY 1, 2""",
            (*measures, first.isoformat(), last.isoformat()),
        )
        return {(r["measure"], r["currency"] or ""): r["total"] for r in rows}

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
