"""What a hub is to the sync engine: a store of immutable change sets.

A hub holds every change set ever shared, each once, by its global id
(replica, counter). Every replica's sets are pushed by that replica alone,
in counter order, so "everything of replica R after counter N" is a cursor
that never misses a set and never re-reads one, however large the hub.

Two kinds plug in: a folder (folder_hub.py: a shared drive, a synced folder,
a USB stick) and a PostgreSQL database (pg_hub.py: an office server).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from twindesk.sync.wire import WireSet


class HubError(Exception):
    """A hub cannot be used now; the message (one line, no password) says why."""


class HubOffline(HubError):
    """The hub is not there (the stick is out, the server unreachable): nothing changed."""


class ReplicaClash(HubError):
    """The hub holds a different change set under one of this copy's ids: the
    database was copied, and two copies now share one replica id."""


class Hub(Protocol):
    hub_id: str  # the same for everyone using this hub, however they reach it
    location: str  # for messages: a folder, or a URL without its password

    def replicas(self) -> dict[str, int]:
        """Each replica the hub has sets of, and its highest counter there."""
        ...

    def read(self, replica: str, after: int) -> Iterator[WireSet]:
        """The replica's sets with counters above `after`, in counter order.
        A set that cannot be trusted ends the replica's stream with BadSet."""
        ...

    def push(self, sets: Sequence[WireSet]) -> None:
        """Add these sets (of this replica, in counter order): all or none.
        A set the hub already holds with the same checksum is skipped (a
        retried push adds nothing twice); one with another checksum raises
        ReplicaClash."""
        ...

    def close(self) -> None: ...
