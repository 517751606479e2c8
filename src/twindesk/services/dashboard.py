"""The dashboard: what is coming up, what is due, what has gone quiet.

Every figure is one bounded SQL query; nothing here grows with the number
of visits beyond an indexed range scan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twindesk import taxonomy
from twindesk.services.invitations import OPEN_STATUSES
from twindesk.services.spans import longest_days

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

HORIZON_DAYS = 60
DUE_DAYS = 14
QUIET_DAYS = 365
LIMIT = 50


@dataclass(frozen=True)
class AgendaItem:
    start: dt.date
    end: dt.date
    kind: str  # the registry kind: "visit" or "invitation"
    record_id: str
    title: str
    city: str
    status: str


@dataclass(frozen=True)
class Deadline:
    rsvp_by: dt.date
    record_id: str
    event_name: str
    city: str
    status: str
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class QuietPartnership:
    record_id: str
    city: str
    kind: str
    stage: str
    last_activity: dt.date | None


@dataclass(frozen=True)
class StageCount:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    agenda: tuple[AgendaItem, ...]
    deadlines: tuple[Deadline, ...]
    quiet: tuple[QuietPartnership, ...]
    stages: tuple[StageCount, ...]
    has_records: bool


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


class DashboardService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def summary(self) -> Dashboard:
        today = self.desk.today()
        return Dashboard(
            today=today,
            agenda=tuple(self.agenda(today)),
            deadlines=tuple(self.deadlines(today)),
            quiet=tuple(self.quiet(today)),
            stages=tuple(self.stages()),
            has_records=self._has_records(),
        )

    def _rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        return self.desk.reader().execute(sql, params).fetchall()

    def _has_records(self) -> bool:
        return bool(
            self._rows(
                """SELECT EXISTS (SELECT 1 FROM partnership WHERE deleted_at IS NULL)
                       OR EXISTS (SELECT 1 FROM visit WHERE deleted_at IS NULL)
                       OR EXISTS (SELECT 1 FROM invitation WHERE deleted_at IS NULL)"""
            )[0][0]
        )

    def agenda(self, today: dt.date) -> list[AgendaItem]:
        """Visits and events under way or starting within 60 days."""
        until = (today + dt.timedelta(days=HORIZON_DAYS)).isoformat()
        now = today.isoformat()
        # Whatever is under way today started at most the longest visit (or
        # event) ago: that bounds the range of the start-date index.
        visits = self._rows(
            """SELECT v.id, v.start_date, v.end_date, v.direction, v.purpose, v.status, c.name AS city
               FROM visit v INDEXED BY ix_visit_live_start JOIN city c ON c.id = v.city_id
               WHERE v.deleted_at IS NULL AND v.status != 'cancelled'
                 AND v.start_date >= date(?, ?) AND v.start_date <= ? AND v.end_date >= ?
               ORDER BY v.start_date LIMIT ?""",
            (now, f"-{longest_days(self.desk.reader(), 'visit')} days", until, now, LIMIT),
        )
        events = self._rows(
            """SELECT i.id, i.start_date, i.end_date, i.event_name, i.status, c.name AS city
               FROM invitation i INDEXED BY ix_invitation_live_start LEFT JOIN city c ON c.id = i.host_city_id
               WHERE i.deleted_at IS NULL AND i.status NOT IN ('declined')
                 AND i.start_date >= date(?, ?) AND i.start_date <= ? AND i.end_date >= ?
               ORDER BY i.start_date LIMIT ?""",
            (now, f"-{longest_days(self.desk.reader(), 'invitation')} days", until, now, LIMIT),
        )
        home = self.desk.config.home.name or "home"
        items = [
            AgendaItem(
                _day(r["start_date"]),
                _day(r["end_date"]),
                "visit",
                r["id"],
                f"{'→' if r['direction'] == 'outbound' else '←'} {r['purpose'] or 'delegation visit'}",
                r["city"],
                r["status"],
            )
            for r in visits
        ] + [
            AgendaItem(
                _day(r["start_date"]),
                _day(r["end_date"]),
                "invitation",
                r["id"],
                r["event_name"],
                r["city"] or home,
                r["status"],
            )
            for r in events
        ]
        items.sort(key=lambda item: (item.start, item.title))
        return items[:LIMIT]

    def deadlines(self, today: dt.date) -> list[Deadline]:
        """Unanswered invitations whose RSVP deadline is past or within 14 days."""
        until = (today + dt.timedelta(days=DUE_DAYS)).isoformat()
        marks = ", ".join("?" for _ in OPEN_STATUSES)
        rows = self._rows(
            f"""SELECT i.id, i.rsvp_by, i.event_name, i.status, c.name AS city
                FROM invitation i INDEXED BY ix_invitation_status_rsvp LEFT JOIN city c ON c.id = i.host_city_id
                WHERE i.deleted_at IS NULL AND i.rsvp_by IS NOT NULL AND i.rsvp_by <= ?
                  AND i.status IN ({marks})
                ORDER BY i.rsvp_by LIMIT ?""",
            (until, *OPEN_STATUSES, LIMIT),
        )
        home = self.desk.config.home.name or "home"
        return [
            Deadline(
                rsvp_by=(due := _day(r["rsvp_by"])),
                record_id=r["id"],
                event_name=r["event_name"],
                city=r["city"] or home,
                status=r["status"],
                days_left=(due - today).days,
            )
            for r in rows
        ]

    def quiet(self, today: dt.date) -> list[QuietPartnership]:
        """Live partnerships with no visit, invitation, outcome or stage change in 12 months."""
        since = (today - dt.timedelta(days=QUIET_DAYS)).isoformat()
        # Each figure is the top of one short index range (schema 6): the
        # newest row of this city or partnership, read backwards from today.
        rows = self._rows(
            """SELECT * FROM (
                 SELECT p.id, p.kind, p.stage, c.name AS city,
                   max(
                     coalesce((SELECT v.end_date FROM visit v INDEXED BY ix_visit_city_end
                               WHERE v.city_id = p.city_id AND v.deleted_at IS NULL
                                 AND v.status != 'cancelled' AND v.start_date <= :today
                               ORDER BY v.end_date DESC LIMIT 1), ''),
                     coalesce((SELECT i.start_date FROM invitation i INDEXED BY ix_invitation_host_start
                               WHERE i.host_city_id = p.city_id AND i.deleted_at IS NULL
                                 AND i.start_date <= :today
                               ORDER BY i.start_date DESC LIMIT 1), ''),
                     coalesce((SELECT o.happened_on FROM outcome o INDEXED BY ix_outcome_partnership_happened
                               WHERE o.partnership_id = p.id AND o.deleted_at IS NULL
                               ORDER BY o.happened_on DESC LIMIT 1), ''),
                     coalesce((SELECT o.happened_on FROM outcome o INDEXED BY ix_outcome_city_happened
                               WHERE o.city_id = p.city_id AND o.deleted_at IS NULL
                               ORDER BY o.happened_on DESC LIMIT 1), ''),
                     coalesce((SELECT s.changed_on FROM stage_change s INDEXED BY ix_stage_change_partnership_on
                               WHERE s.partnership_id = p.id AND s.deleted_at IS NULL
                               ORDER BY s.changed_on DESC LIMIT 1), ''),
                     substr(p.created_at, 1, 10)
                   ) AS last_activity
                 FROM partnership p JOIN city c ON c.id = p.city_id
                 WHERE p.deleted_at IS NULL AND p.stage != 'ended')
               WHERE last_activity < :since
               ORDER BY last_activity LIMIT :limit""",
            {"today": today.isoformat(), "since": since, "limit": LIMIT},
        )
        names, kinds = taxonomy.load().stage_names, taxonomy.load().kind_names
        return [
            QuietPartnership(r["id"], r["city"], kinds.get(r["kind"], r["kind"]), names.get(r["stage"], r["stage"]),
                             _date(r["last_activity"]))
            for r in rows
        ]

    def stages(self) -> list[StageCount]:
        counts = {
            r["stage"]: r["n"]
            for r in self._rows(
                "SELECT stage, count(*) AS n FROM partnership WHERE deleted_at IS NULL GROUP BY stage"
            )
        }
        return [StageCount(s.key, s.name, counts.get(s.key, 0)) for s in taxonomy.load().stages]
