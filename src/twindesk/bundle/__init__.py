"""Files that leave twindesk: CSV and iCalendar exports and the council report.

Service-layer code: no Textual, no ORM objects. Rows are read with SQL
through the desk's sqlite3 reader and streamed into the file, which is
written atomically and 0600 (bundle.files). The command line and the app's
command palette call the same functions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twindesk.services.desk import Desk


@contextmanager
def snapshot(desk: Desk) -> Iterator[sqlite3.Connection]:
    """One read transaction around a whole export, so that files written
    from several queries agree with each other even if another window
    saves meanwhile (WAL readers see the database as it was at the first
    read)."""
    conn = desk.reader()
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: only the read snapshot ends
