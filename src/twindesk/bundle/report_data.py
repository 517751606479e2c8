"""Gathering the council report's figures: SQL inside one read snapshot.

Each query is an aggregate or a capped list. Outcome counts come from one
scan of the outcome table (grouped by area, programme and city, for this
year and the one before); figure totals come from `figure_rollup`, and last
year up to today's date (the year-to-date comparison) from `figure_day`. The
only figures read from the figure table itself are the units of custom
measures, which the rollups do not keep.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from twindesk import taxonomy
from twindesk.bundle import report as r
from twindesk.bundle import snapshot
from twindesk.bundle.report_partners import partner_sections
from twindesk.services.benefits import figures_between

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

ANSWERED = ("accepted", "declined", "attended")


def gather(desk: Desk, year: int) -> r.ReportData:
    if not 1 <= year <= 9999:
        raise ValueError(f"{year} is not a year twindesk can report on.")
    today = desk.today()
    to_date = year == today.year
    period = r.Period(year, dt.date(year, 1, 1), today if to_date else dt.date(year, 12, 31), to_date)
    home = desk.config.home.name
    with snapshot(desk) as conn:
        units = _units(conn)
        counts = OutcomeCounts(conn, period)
        partners, partner_cities = partner_sections(conn, year, units, counts.by_city)
        visits = _visits(conn, year)
        return r.ReportData(
            home=home or "Our city",
            year=year,
            generated=today,
            period=period,
            partnerships=conn.execute("SELECT count(*) FROM partnership WHERE deleted_at IS NULL").fetchone()[0],
            stages=tuple(_stages(desk, conn)),
            key=_key_numbers(conn, year, visits),
            visits=visits,
            invitations=_invitations(conn, year, home or "Our city"),
            areas=tuple(_areas(conn, year, units, counts)),
            area_counts=tuple(_area_counts(counts)),
            benefits=tuple(_benefits(conn, period, units)),
            partners=partners,
            partner_cities=partner_cities,
        )


def year_bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _units(conn: Any) -> dict[str, str]:
    """Measure key -> unit: the seed's, and each custom measure's as typed.

    The rollup keeps no unit, so a custom measure's is looked up in the
    figure table (one scan, only when the rollup holds custom measures); a
    name typed with two units says both."""
    units = {m.key: m.unit for m in taxonomy.load().measures}
    marks = ", ".join("?" for _ in units)
    custom = [m for (m,) in conn.execute(
        f"SELECT DISTINCT measure FROM figure_rollup WHERE n > 0 AND measure NOT IN ({marks})", tuple(units))]
    if not custom:
        return units
    found: dict[str, list[str]] = {}
    rows = conn.execute(
        f"""SELECT measure, unit FROM figure WHERE deleted_at IS NULL AND measure IN ({", ".join("?" for _ in custom)})
            GROUP BY measure, unit ORDER BY measure, count(*) DESC""",
        custom,
    )
    for measure, unit in rows:
        found.setdefault(measure, []).append(unit)
    units.update({m: " or ".join(u for u in us if u) for m, us in found.items()})
    return units


def _unit(units: dict[str, str], measure: str, currency: str) -> str:
    return currency or units.get(measure, "")


def _stages(desk: Desk, conn: Any) -> list[r.StageLine]:
    kinds = taxonomy.load().kind_names
    cities: dict[str, list[str]] = {}
    for row in conn.execute(
        """SELECT p.stage, p.kind, c.name FROM partnership p LEFT JOIN city c ON c.id = p.city_id
           WHERE p.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE LIMIT 5000"""
    ):
        kind = kinds.get(row["kind"], row["kind"]).lower()
        cities.setdefault(row["stage"], []).append(f"{row['name'] or '?'} ({kind})")
    return [
        r.StageLine(s.name, s.count, tuple(cities.get(s.key, [])[: r.MAX_STAGE_CITIES]))
        for s in desk.dashboard.stages()
    ]


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    rank = {key: i for i, key in enumerate(order)}
    return tuple(sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def listing(conn: Any, table: str, where: str, params: tuple[Any, ...], year: int, rows: tuple[Any, ...],
            statuses: tuple[str, ...], directions: tuple[str, ...]) -> r.Listing:
    """Exact counts by status and direction, with how many run into the next year."""
    status: dict[str, int] = {}
    direction: dict[str, int] = {}
    into = 0
    for row in conn.execute(
        f"SELECT x.direction, x.status, count(*), sum(x.end_date > ?) FROM {table} x WHERE {where} GROUP BY 1, 2",
        (f"{year:04d}-12-31", *params),
    ):
        status[row[1]] = status.get(row[1], 0) + row[2]
        direction[row[0]] = direction.get(row[0], 0) + row[2]
        into += row[3] or 0
    return r.Listing(sum(status.values()), rows, _ordered(status, statuses), _ordered(direction, directions), into)


# A visit or invitation belongs to the year it starts in.
STARTS_IN = "x.deleted_at IS NULL AND x.start_date >= ? AND x.start_date <= ?"


def _visits(conn: Any, year: int) -> r.Listing:
    from twindesk.services.visits import STATUSES

    bounds = year_bounds(year)
    rows = tuple(
        r.VisitLine(v["start_date"], v["end_date"], v["direction"], v["city"] or "?", v["status"], v["purpose"])
        for v in conn.execute(
            f"""SELECT x.start_date, x.end_date, x.direction, x.status, x.purpose, c.name AS city
                FROM visit x LEFT JOIN city c ON c.id = x.city_id
                WHERE {STARTS_IN} ORDER BY x.start_date, x.rowid LIMIT ?""",
            (*bounds, r.MAX_LISTED),
        )
    )
    return listing(conn, "visit", STARTS_IN, bounds, year, rows, STATUSES, ("outbound", "inbound"))


def _invitations(conn: Any, year: int, home: str) -> r.Listing:
    from twindesk.services.invitations import STATUSES

    bounds = year_bounds(year)
    rows = tuple(
        r.InvitationLine(i["start_date"], i["end_date"], i["event_name"], i["city"] or home, i["direction"],
                         i["status"])
        for i in conn.execute(
            f"""SELECT x.start_date, x.end_date, x.event_name, x.direction, x.status, c.name AS city
                FROM invitation x LEFT JOIN city c ON c.id = x.host_city_id
                WHERE {STARTS_IN} ORDER BY x.start_date, x.rowid LIMIT ?""",
            (*bounds, r.MAX_LISTED),
        )
    )
    return listing(conn, "invitation", STARTS_IN, bounds, year, rows, STATUSES, ("received", "sent"))


def _key_numbers(conn: Any, year: int, visits: r.Listing) -> r.KeyNumbers:
    bounds = year_bounds(year)
    live = f"{STARTS_IN} AND x.status != 'cancelled'"
    travelled = dict(conn.execute(
        f"""SELECT x.direction, count(m.id) FROM visit x JOIN member m ON m.visit_id = x.id AND m.deleted_at IS NULL
            WHERE {live} GROUP BY x.direction""", bounds,
    ).fetchall())
    directions: dict[str, int] = {}
    for direction, status, n in conn.execute(
        f"SELECT x.direction, x.status, count(*) FROM visit x WHERE {STARTS_IN} GROUP BY 1, 2", bounds
    ):
        if status != "cancelled":
            directions[direction] = directions.get(direction, 0) + n
    answers: dict[str, dict[str, int]] = {"received": {}, "sent": {}}
    for direction, status, n in conn.execute(
        f"SELECT x.direction, x.status, count(*) FROM invitation x WHERE {STARTS_IN} GROUP BY 1, 2", bounds
    ):
        answers.setdefault(direction, {})[status] = n
    budgets: dict[str, dict[str, int]] = {"done": {}, "coming": {}}
    budget_visits = 0
    # Budgets are exact text with two decimals ("12500.00"): summed as whole hundredths.
    for status, currency, n, cents in conn.execute(
        f"""SELECT x.status = 'done', x.budget_currency, count(*),
                   sum(CAST(replace(x.budget_amount, '.', '') AS INTEGER))
            FROM visit x WHERE {live} AND x.budget_amount != '' GROUP BY 1, 2 ORDER BY 2""", bounds,
    ):
        group = budgets["done" if status else "coming"]
        group[currency] = group.get(currency, 0) + (cents or 0)
        budget_visits += n
    received, sent = answers.get("received", {}), answers.get("sent", {})
    return r.KeyNumbers(
        visits_out=directions.get("outbound", 0),
        visits_in=directions.get("inbound", 0),
        visits_cancelled=dict(visits.by_status).get("cancelled", 0),
        travelled_out=travelled.get("outbound", 0),
        travelled_in=travelled.get("inbound", 0),
        received=sum(received.values()),
        received_answered=tuple((s, received[s]) for s in ANSWERED if received.get(s)),
        sent=sum(sent.values()),
        sent_answered=tuple((s, sent[s]) for s in ANSWERED if sent.get(s)),
        budget_done=tuple(r.Money(c, v) for c, v in budgets["done"].items()),
        budget_coming=tuple(r.Money(c, v) for c, v in budgets["coming"].items()),
        budget_visits=budget_visits,
        visits_counted=sum(directions.values()),
    )


class OutcomeCounts:
    """One scan of the outcome table for this year and the year before."""

    def __init__(self, conn: Any, period: r.Period) -> None:
        self.this: dict[tuple[str, str], int] = {}
        self.by_city: dict[str, dict[str, int]] = {}  # city id -> area key -> outcomes this year
        self.before: dict[str, int] = {}  # area key -> outcomes in the same period a year before
        year = period.year
        rows = conn.execute(
            """SELECT area, programme, city_id, substr(happened_on, 1, 4) = ? AS this, count(*),
                      sum(happened_on <= ?) AS to_date
               FROM outcome WHERE deleted_at IS NULL AND happened_on >= ? AND happened_on <= ?
               GROUP BY 1, 2, 3, 4""",
            (f"{year:04d}", period.before_last.isoformat(), period.before_first.isoformat(), year_bounds(year)[1]),
        )
        for area, programme, city_id, this, n, to_date in rows:
            if this:
                self.this[(area, programme)] = self.this.get((area, programme), 0) + n
                if city_id:
                    areas = self.by_city.setdefault(city_id, {})
                    areas[area] = areas.get(area, 0) + n
            else:
                self.before[area] = self.before.get(area, 0) + (to_date if period.to_date else n)

    def area(self, key: str) -> int:
        return sum(n for (a, _), n in self.this.items() if a == key)


def _area_counts(counts: OutcomeCounts) -> list[r.AreaCount]:
    return [
        r.AreaCount(area.number, area.name, counts.area(area.key), counts.before.get(area.key, 0))
        for area in taxonomy.load().areas
    ]


def _areas(conn: Any, year: int, units: dict[str, str], counts: OutcomeCounts) -> list[r.AreaSection]:
    tax = taxonomy.load()
    first, last = year_bounds(year)
    figures: dict[tuple[str, str], list[r.FigureTotal]] = {}
    for row in conn.execute(
        """SELECT area, programme, measure, currency, sum(total) FROM figure_rollup
           WHERE n > 0 AND year = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""",
        (f"{year:04d}",),
    ):
        area, programme, measure, currency, total = row
        figures.setdefault((area, programme), []).append(
            r.FigureTotal(tax.measure_names.get(measure, measure), total, _unit(units, measure, currency))
        )
    recent: dict[str, list[r.RecentOutcome]] = {}
    names = {(a.key, p.key): p.name for a in tax.areas for p in a.programmes}
    # The newest MAX_RECENT per area in one pass; the city is joined to those rows only.
    for row in conn.execute(
        """SELECT o.area, o.programme, o.happened_on, o.title, c.name AS city FROM (
             SELECT area, programme, happened_on, title, city_id, row_number() OVER (
               PARTITION BY area ORDER BY happened_on DESC, rowid DESC) AS n
             FROM outcome WHERE deleted_at IS NULL AND happened_on >= ? AND happened_on <= ?) AS o
           LEFT JOIN city c ON c.id = o.city_id
           WHERE o.n <= ? ORDER BY o.area, o.n""",
        (first, last, r.MAX_RECENT),
    ):
        recent.setdefault(row["area"], []).append(
            r.RecentOutcome(row["happened_on"], row["title"], _unless_named(row["city"] or "", row["title"]),
                            names.get((row["area"], row["programme"]), row["programme"]))
        )
    sections = []
    for area in tax.areas:
        outcomes = counts.area(area.key)
        # The expected-benefits area is reported from figures; its own table
        # is listed only when outcomes were logged against it.
        if not outcomes and area.programmes and all(p.benefit_measures for p in area.programmes):
            continue
        programmes = tuple(
            r.ProgrammeLine(p.name, counts.this.get((area.key, p.key), 0), tuple(figures.get((area.key, p.key), ())))
            for p in area.programmes
        )
        sections.append(r.AreaSection(area.number, area.name, outcomes, programmes, tuple(recent.get(area.key, ()))))
    return sections


def _benefits(conn: Any, period: r.Period, units: dict[str, str]) -> list[r.BenefitSection]:
    tax = taxonomy.load()
    area = tax.area("benefits")
    if area is None:
        return []
    measures = tuple(dict.fromkeys(m for p in area.programmes for m in p.benefit_measures))
    if not measures:
        return []
    marks = ", ".join("?" for _ in measures)
    year, first_year = period.year, period.year - r.CHART_YEARS + 1
    by_year: dict[tuple[str, str], dict[int, float]] = {}
    by_area: dict[tuple[str, str], dict[str, float]] = {}
    area_names = {a.key: a.name for a in tax.areas}
    for measure, currency, y, area_key, total in conn.execute(
        f"""SELECT measure, currency, CAST(year AS INTEGER), area, sum(total) FROM figure_rollup
            WHERE n > 0 AND measure IN ({marks}) AND year >= ? AND year <= ?
            GROUP BY 1, 2, 3, 4""",
        (*measures, f"{min(first_year, year - 1):04d}", f"{year:04d}"),
    ):
        years = by_year.setdefault((measure, currency), {})
        years[y] = years.get(y, 0.0) + total
        if y == year:
            split, name = by_area.setdefault((measure, currency), {}), area_names.get(area_key, area_key)
            split[name] = split.get(name, 0.0) + total
    before = figures_between(conn, measures, period.before_first, period.before_last) if period.to_date else None
    sections = []
    for programme in area.programmes:
        lines = []
        for measure in programme.benefit_measures:
            for (m, currency), years in sorted(by_year.items()):
                if m != measure:
                    continue
                earlier = years.get(year - 1, 0.0) if before is None else before.get((m, currency), 0.0)
                lines.append(r.SeriesLine(
                    tax.measure_names.get(m, m), _unit(units, m, currency), years.get(year, 0.0), earlier,
                    tuple(sorted(by_area.get((m, currency), {}).items(), key=lambda kv: -kv[1])),
                    tuple((y, years.get(y, 0.0)) for y in range(first_year, year + 1)),
                ))
        sections.append(r.BenefitSection(programme.name, programme.summary, tuple(lines)))
    return sections


def _unless_named(city: str, title: str) -> str:
    """The city to add after an outcome's title: none when the title already
    ends with it in brackets ("Site visit (Busan) (Busan)" says it twice)."""
    return "" if city and title.rstrip().endswith(f"({city})") else city
