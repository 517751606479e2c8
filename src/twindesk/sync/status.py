"""Where this copy stands with its hubs: the dashboard's sync line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twindesk.text import plural

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


@dataclass(frozen=True)
class SyncStatus:
    last_sync: dt.datetime | None  # UTC
    hub: str
    unshared: int  # this copy's change sets no hub has yet
    conflicts: int
    marked: tuple[str, ...] = ()  # the records "in conflict" until someone chooses, named
    marked_count: int = 0

    def line(self) -> str:
        if self.last_sync is None and not self.conflicts:
            return f"Not synced with a hub yet ({plural(self.unshared, 'change')} to share): twindesk sync --hub FOLDER"
        if self.last_sync is None:
            shared = "Never synced"
        else:
            shared = f"Last sync {self.last_sync.astimezone():%Y-%m-%d %H:%M}"
        parts = [shared, f"{plural(self.unshared, 'change')} not shared yet"]
        if self.conflicts:
            parts.append(f"{plural(self.conflicts, 'conflict')} {'waits' if self.conflicts == 1 else 'wait'} (y)")
        if self.marked:
            more = self.marked_count - len(self.marked)
            named = ", ".join(self.marked) + (f" and {more:,} more" if more > 0 else "")
            return "  ·  ".join(parts) + f"\n⚠ in conflict until someone chooses: {named}"
        return "  ·  ".join(parts)


def sync_status(desk: Desk) -> SyncStatus:
    conn = desk.reader()
    row = conn.execute("SELECT location, pushed, last_sync FROM hub_state ORDER BY last_sync DESC LIMIT 1").fetchone()
    pushed = row["pushed"] if row else 0
    unshared = conn.execute("SELECT count(*) FROM change_set WHERE replica = ? AND counter > ?",
                            (desk.replica, pushed)).fetchone()[0]
    last = dt.datetime.fromisoformat(row["last_sync"]).replace(tzinfo=dt.UTC) if row and row["last_sync"] else None
    marked, marked_count = desk.conflicts.marked_names()
    return SyncStatus(last, row["location"] if row else "", int(unshared), desk.conflicts.count(), tuple(marked),
                      marked_count)
