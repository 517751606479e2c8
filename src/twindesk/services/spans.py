"""How long the longest live visit or invitation lasts, in days.

Whatever overlaps a day started at most that long before it, which bounds
a range of a start-date index: the dashboard's agenda, the visit list's
overlap flags and sync's duplicate check all read such a range. Schema 6
keeps an index of the lengths, so this is the top of one index.
"""

from __future__ import annotations

import sqlite3

LENGTH_INDEX = {"visit": "ix_visit_length", "invitation": "ix_invitation_length"}


def longest_days(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute(
        f"""SELECT CAST(coalesce(max(julianday(end_date) - julianday(start_date)), 0) AS INTEGER)
            FROM {table} INDEXED BY {LENGTH_INDEX[table]} WHERE deleted_at IS NULL"""
    ).fetchone()
    return int(row[0])
