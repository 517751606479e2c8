"""`twindesk report`: the year's report for the city council.

The figures are gathered first, by SQL, into small frozen dataclasses
(`report_data`), then rendered to Markdown (report_md) or to one
self-contained HTML file (report_html). Every figure is an aggregate query
or a bounded list: figure totals come from `figure_rollup` (kept by
triggers), outcome counts from one GROUP BY, and listed rows are capped,
so the report costs about the same with 100,000 outcomes as with 100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twindesk import taxonomy
from twindesk.bundle import snapshot
from twindesk.bundle.files import write_atomic

FORMATS = ("html", "md")
MAX_LISTED = 500  # visits or invitations listed; the counts stay exact
MAX_RECENT = 20  # outcome titles listed per area
MAX_STAGE_CITIES = 200


@dataclass(frozen=True)
class StageLine:
    name: str
    count: int
    cities: tuple[str, ...]  # "Busan (sister city)", at most MAX_STAGE_CITIES


@dataclass(frozen=True)
class VisitLine:
    start: str
    end: str
    direction: str
    city: str
    status: str
    purpose: str


@dataclass(frozen=True)
class InvitationLine:
    start: str
    end: str
    event: str
    host: str
    direction: str
    status: str


@dataclass(frozen=True)
class Listing:
    """Rows of the year (at most MAX_LISTED) and exact counts."""

    total: int
    rows: tuple[Any, ...]
    by_status: tuple[tuple[str, int], ...]
    by_direction: tuple[tuple[str, int], ...]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class FigureTotal:
    measure: str
    total: float
    unit: str


@dataclass(frozen=True)
class ProgrammeLine:
    name: str
    outcomes: int
    figures: tuple[FigureTotal, ...]


@dataclass(frozen=True)
class RecentOutcome:
    happened_on: str
    title: str
    city: str
    programme: str


@dataclass(frozen=True)
class AreaSection:
    number: int
    name: str
    outcomes: int
    programmes: tuple[ProgrammeLine, ...]
    recent: tuple[RecentOutcome, ...]


@dataclass(frozen=True)
class SeriesLine:
    measure: str
    unit: str
    total: float
    change: float | None  # vs the year before, as a fraction; None when it had nothing


@dataclass(frozen=True)
class BenefitSection:
    name: str
    summary: str
    series: tuple[SeriesLine, ...]


@dataclass(frozen=True)
class ReportData:
    home: str
    year: int
    generated: dt.date
    partnerships: int
    stages: tuple[StageLine, ...]
    visits: Listing
    invitations: Listing
    areas: tuple[AreaSection, ...]
    benefits: tuple[BenefitSection, ...]

    @property
    def title(self) -> str:
        return f"{self.home}: sister-city partnerships with Korea, {self.year}"


def write_report(desk: Any, year: int, fmt: str, out_file: Path) -> Path:
    """Write the report for `year` as "md" or "html" to `out_file`."""
    write(desk, year, fmt, out_file)
    return Path(out_file)


def write(desk: Any, year: int, fmt: str, out_file: Path) -> ReportData:
    """As write_report, returning what the report says (the CLI prints counts)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    data = report_data(desk, year)
    write_atomic(Path(out_file), render(data, fmt))
    return data


def render(data: ReportData, fmt: str) -> list[str]:
    if fmt == "md":
        from twindesk.bundle.report_md import render_markdown

        return render_markdown(data)
    from twindesk.bundle.report_html import render_html

    return render_html(data)


def report_data(desk: Any, year: int) -> ReportData:
    if not 1 <= year <= 9999:
        raise ValueError(f"{year} is not a year twindesk can report on.")
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    with snapshot(desk) as conn:
        return ReportData(
            home=desk.config.home.name or "Our city",
            year=year,
            generated=desk.today(),
            partnerships=conn.execute("SELECT count(*) FROM partnership WHERE deleted_at IS NULL").fetchone()[0],
            stages=tuple(_stages(desk, conn)),
            visits=_visits(conn, first, last),
            invitations=_invitations(conn, first, last, desk.config.home.name or "Home city"),
            areas=tuple(_areas(desk, conn, year, first, last)),
            benefits=tuple(_benefits(desk, year)),
        )


def _stages(desk: Any, conn: Any) -> list[StageLine]:
    kinds = {k.key: k.name.lower() for k in taxonomy.load().kinds}
    cities: dict[str, list[str]] = {}
    for r in conn.execute(
        """SELECT p.stage, p.kind, c.name FROM partnership p LEFT JOIN city c ON c.id = p.city_id
           WHERE p.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE LIMIT 5000"""
    ):
        cities.setdefault(r["stage"], []).append(f"{r['name'] or '?'} ({kinds.get(r['kind'], r['kind'])})")
    return [
        StageLine(s.name, s.count, tuple(cities.get(s.key, [])[:MAX_STAGE_CITIES]))
        for s in desk.dashboard.stages()
    ]


def _counts(conn: Any, sql: str, params: tuple[Any, ...]) -> tuple[tuple[tuple[str, int], ...], ...]:
    """(by status, by direction) from one GROUP BY over both."""
    status: dict[str, int] = {}
    direction: dict[str, int] = {}
    for r in conn.execute(sql, params):
        status[r[1]] = status.get(r[1], 0) + r[2]
        direction[r[0]] = direction.get(r[0], 0) + r[2]
    return tuple(status.items()), tuple(direction.items())


def _visits(conn: Any, first: str, last: str) -> Listing:
    from twindesk.services.visits import STATUSES

    where = "v.deleted_at IS NULL AND v.start_date <= ? AND v.end_date >= ?"
    by_status, by_direction = _counts(
        conn, f"SELECT v.direction, v.status, count(*) FROM visit v WHERE {where} GROUP BY 1, 2", (last, first)
    )
    rows = conn.execute(
        f"""SELECT v.start_date, v.end_date, v.direction, v.status, v.purpose, c.name AS city
            FROM visit v LEFT JOIN city c ON c.id = v.city_id
            WHERE {where} ORDER BY v.start_date, v.rowid LIMIT ?""",
        (last, first, MAX_LISTED),
    )
    lines = tuple(
        VisitLine(r["start_date"], r["end_date"], r["direction"], r["city"] or "?", r["status"], r["purpose"])
        for r in rows
    )
    return Listing(sum(n for _, n in by_status), lines, _ordered(by_status, STATUSES),
                   _ordered(by_direction, ("outbound", "inbound")))


def _invitations(conn: Any, first: str, last: str, home: str) -> Listing:
    from twindesk.services.invitations import STATUSES

    where = "i.deleted_at IS NULL AND i.start_date <= ? AND i.end_date >= ?"
    by_status, by_direction = _counts(
        conn, f"SELECT i.direction, i.status, count(*) FROM invitation i WHERE {where} GROUP BY 1, 2",
        (last, first),
    )
    rows = conn.execute(
        f"""SELECT i.start_date, i.end_date, i.event_name, i.direction, i.status, c.name AS city
            FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id
            WHERE {where} ORDER BY i.start_date, i.rowid LIMIT ?""",
        (last, first, MAX_LISTED),
    )
    lines = tuple(
        InvitationLine(r["start_date"], r["end_date"], r["event_name"], r["city"] or home, r["direction"],
                       r["status"])
        for r in rows
    )
    return Listing(sum(n for _, n in by_status), lines, _ordered(by_status, STATUSES),
                   _ordered(by_direction, ("received", "sent")))


def _ordered(counts: tuple[tuple[str, int], ...], order: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    rank = {key: i for i, key in enumerate(order)}
    return tuple(sorted(counts, key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def _areas(desk: Any, conn: Any, year: int, first: str, last: str) -> list[AreaSection]:
    counts: dict[tuple[str, str], int] = {
        (r[0], r[1]): r[2]
        for r in conn.execute(
            """SELECT area, programme, count(*) FROM outcome
               WHERE deleted_at IS NULL AND happened_on >= ? AND happened_on <= ? GROUP BY area, programme""",
            (first, last),
        )
    }
    recent: dict[str, list[RecentOutcome]] = {}
    programme_names = {(a.key, p.key): p.name for a in taxonomy.load().areas for p in a.programmes}
    # The newest MAX_RECENT per area in one pass; the city is joined to those rows only.
    for r in conn.execute(
        """SELECT o.area, o.programme, o.happened_on, o.title, c.name AS city FROM (
             SELECT area, programme, happened_on, title, city_id, row_number() OVER (
               PARTITION BY area ORDER BY happened_on DESC, rowid DESC) AS n
             FROM outcome WHERE deleted_at IS NULL AND happened_on >= ? AND happened_on <= ?) AS o
           LEFT JOIN city c ON c.id = o.city_id
           WHERE o.n <= ? ORDER BY o.area, o.n""",
        (first, last, MAX_RECENT),
    ):
        recent.setdefault(r["area"], []).append(
            RecentOutcome(r["happened_on"], r["title"], r["city"] or "",
                          programme_names.get((r["area"], r["programme"]), r["programme"]))
        )
    sections = []
    for area in taxonomy.load().areas:
        outcomes = sum(n for (a, _), n in counts.items() if a == area.key)
        # The expected-benefits area is reported from figures below; list it
        # here only when outcomes were logged against it.
        if not outcomes and area.programmes and all(p.benefit_measures for p in area.programmes):
            continue
        totals = {t.programme: t for t in desk.benefits.programme_totals(area.key)}
        programmes = []
        for programme in area.programmes:
            found = totals.get(programme.key)
            figures = tuple(
                FigureTotal(measure, total, unit)
                for y, measure, total, unit in (found.by_year if found else ())
                if y == year
            )
            programmes.append(ProgrammeLine(programme.name, counts.get((area.key, programme.key), 0), figures))
        sections.append(AreaSection(area.number, area.name, outcomes, tuple(programmes),
                                    tuple(recent.get(area.key, ()))))
    return sections


def _benefits(desk: Any, year: int) -> list[BenefitSection]:
    return [
        BenefitSection(
            b.name,
            b.summary,
            tuple(SeriesLine(s.name, s.unit, s.total(year), s.change(year)) for s in b.series),
        )
        for b in desk.benefits.benefits()
    ]


# Shared by the renderers -----------------------------------------------------
def change(value: float | None) -> str:
    if value is None:
        return "n/a"
    shown = f"{value * 100:+,.1f}".removesuffix(".0")
    return f"{shown}%"


def counts_line(listing: Listing, noun: str) -> str:
    """"12 visits: 8 outbound, 4 inbound. By status: 3 planned, 9 done."""
    total = f"{listing.total:,} {noun}{'' if listing.total == 1 else 's'}"
    if not listing.total:
        return total + "."
    directions = ", ".join(f"{n:,} {key}" for key, n in listing.by_direction)
    statuses = ", ".join(f"{n:,} {key}" for key, n in listing.by_status)
    return f"{total}: {directions}. By status: {statuses}."
