"""The council report's section per partner city: its partnerships and
their stage, and that year's visits, invitations, outcomes and figures.

A fixed number of queries whatever the number of partners: each groups by
city, and the listed visits and invitations are the first few per city
(row_number() over the city), so the report stays bounded.
"""

from __future__ import annotations

from typing import Any

from twindesk import taxonomy
from twindesk.bundle import report as r

PARTNER_CITIES = "SELECT city_id FROM partnership WHERE deleted_at IS NULL"
SINCE = ("(SELECT max(s.changed_on) FROM stage_change s WHERE s.partnership_id = p.id "
         "AND s.deleted_at IS NULL)")


def partner_sections(conn: Any, year: int, units: dict[str, str],
                     outcomes_by_city: dict[str, dict[str, int]]) -> tuple[tuple[r.PartnerSection, ...], int]:
    """(the sections, at most MAX_PARTNERS, and the number of partner cities in all)."""
    from twindesk.services.invitations import STATUSES as INVITATION_STATUSES
    from twindesk.services.visits import STATUSES as VISIT_STATUSES

    tax = taxonomy.load()
    cities: dict[str, dict[str, Any]] = {}
    for row in conn.execute(
        f"""SELECT p.city_id, p.kind, p.stage, p.signed_on, p.signed_place, {SINCE} AS since,
                   c.name, c.hangul, c.province
            FROM partnership p JOIN city c ON c.id = p.city_id
            WHERE p.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE, p.created_at"""
    ):
        city = cities.setdefault(row["city_id"], {"row": row, "ties": []})
        city["ties"].append(r.PartnershipLine(
            tax.kind_names.get(row["kind"], row["kind"]), tax.stage_names.get(row["stage"], row["stage"]),
            row["since"] or "", row["signed_on"] or "", row["signed_place"]))
    total = len(cities)
    shown = dict(list(cities.items())[: r.MAX_PARTNERS])
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    visits = _counts(conn, "visit", "city_id", first, last)
    invitations = _counts(conn, "invitation", "host_city_id", first, last)
    visit_rows: dict[str, list[r.VisitLine]] = {}
    for v in _first_rows(conn, "visit", "city_id", "x.purpose", first, last):
        visit_rows.setdefault(v["key"], []).append(
            r.VisitLine(v["start_date"], v["end_date"], v["direction"], "", v["status"], v["what"]))
    invitation_rows: dict[str, list[r.InvitationLine]] = {}
    for i in _first_rows(conn, "invitation", "host_city_id", "x.event_name", first, last):
        invitation_rows.setdefault(i["key"], []).append(
            r.InvitationLine(i["start_date"], i["end_date"], i["what"], "", i["direction"], i["status"]))
    figures: dict[str, list[r.FigureTotal]] = {}
    for city_id, measure, currency, value in conn.execute(
        f"""SELECT city_id, measure, currency, sum(total) FROM figure_rollup
            WHERE n > 0 AND year = ? AND city_id IN ({PARTNER_CITIES}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
        (f"{year:04d}",),
    ):
        figures.setdefault(city_id, []).append(
            r.FigureTotal(tax.measure_names.get(measure, measure), value, currency or units.get(measure, "")))
    area_names = [(a.key, a.name) for a in tax.areas]
    sections = []
    for city_id, city in shown.items():
        row = city["row"]
        by_area = outcomes_by_city.get(city_id, {})
        sections.append(r.PartnerSection(
            city=row["name"], hangul=row["hangul"], province=row["province"], partnerships=tuple(city["ties"]),
            visits=_listing(visits.get(city_id, []), visit_rows.get(city_id, []), VISIT_STATUSES,
                            ("outbound", "inbound")),
            invitations=_listing(invitations.get(city_id, []), invitation_rows.get(city_id, []),
                                 INVITATION_STATUSES, ("received", "sent")),
            outcomes=tuple((name, by_area[key]) for key, name in area_names if by_area.get(key)),
            figures=tuple(figures.get(city_id, ())),
        ))
    return tuple(sections), total


def _counts(conn: Any, table: str, column: str, first: str, last: str) -> dict[str, list[tuple[str, str, int, int]]]:
    out: dict[str, list[tuple[str, str, int, int]]] = {}
    for key, direction, status, n, into in conn.execute(
        f"""SELECT x.{column}, x.direction, x.status, count(*), sum(x.end_date > ?) FROM {table} x
            WHERE x.deleted_at IS NULL AND x.start_date >= ? AND x.start_date <= ?
              AND x.{column} IN ({PARTNER_CITIES}) GROUP BY 1, 2, 3""",
        (last, first, last),
    ):
        out.setdefault(key, []).append((direction, status, n, into or 0))
    return out


def _first_rows(conn: Any, table: str, column: str, what: str, first: str, last: str) -> Any:
    return conn.execute(
        f"""SELECT * FROM (
              SELECT x.{column} AS key, x.start_date, x.end_date, x.direction, x.status, {what} AS what,
                     row_number() OVER (PARTITION BY x.{column} ORDER BY x.start_date, x.rowid) AS n
              FROM {table} x
              WHERE x.deleted_at IS NULL AND x.start_date >= ? AND x.start_date <= ?
                AND x.{column} IN ({PARTNER_CITIES}))
            WHERE n <= ? ORDER BY key, n""",
        (first, last, r.MAX_PARTNER_ROWS),
    )


def _listing(counts: list[tuple[str, str, int, int]], rows: list[Any], statuses: tuple[str, ...],
             directions: tuple[str, ...]) -> r.Listing:
    status: dict[str, int] = {}
    direction: dict[str, int] = {}
    for d, s, n, _ in counts:
        status[s] = status.get(s, 0) + n
        direction[d] = direction.get(d, 0) + n
    rank = lambda order: lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])  # noqa: E731
    return r.Listing(sum(status.values()), tuple(rows), tuple(sorted(status.items(), key=rank(statuses))),
                     tuple(sorted(direction.items(), key=rank(directions))), sum(c[3] for c in counts))
