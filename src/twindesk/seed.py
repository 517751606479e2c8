"""Filling a database from data/seed.toml.

Runs on every start but costs one SELECT when nothing changed: the seed's
fingerprint is kept in the meta table. When the seed is new or changed, the
cities it has that the database never had are added; a city the user edited
or deleted is never overwritten or revived. Seed rows get deterministic
UUIDs, so the same city has the same id on every machine.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from twindesk import taxonomy
from twindesk.services.changelog import SEED, Author, ChangeWriter

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

NAMESPACE = uuid.UUID("6f1d4c1e-8a43-4f0e-9a53-1c2b7e5d9a10")
FINGERPRINT_KEY = "seed_fingerprint"
SEED_INSTALLATION = SEED
SEED_AUTHOR = Author(SEED, SEED, SEED)
SEED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def city_id(seed_key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"city:{seed_key}"))


def is_current(desk: Desk) -> bool:
    row = desk.reader().execute("SELECT value FROM meta WHERE key = ?", (FINGERPRINT_KEY,)).fetchone()
    return row is not None and row[0] == taxonomy.fingerprint(taxonomy.seed_bytes())


def ensure(desk: Desk) -> int:
    """Add what the seed has and the database lacks; returns how many cities."""
    if is_current(desk):
        return 0
    from twindesk.models import City, Meta

    tax = taxonomy.load()
    added = 0
    with desk.write() as session:
        # Logged as the "seed" replica: identical on every copy, never synced,
        # and out of reach of ctrl+z, which undoes only this copy's own work.
        writer = ChangeWriter(session, SEED_AUTHOR, f"Seed: cities from seed version {tax.version}")
        # The seed's rows are the same on every copy, their times included.
        writer.now = writer.change_set.at = SEED_TIME
        for seed_city in tax.cities:
            ident = city_id(seed_city.key)
            if session.get(City, ident) is not None:
                continue  # present, edited or deleted: the user's word stands
            writer.create(
                City(
                    id=ident,
                    seed_key=seed_city.key,
                    name=seed_city.name,
                    hangul=seed_city.hangul,
                    province=seed_city.province,
                    kind=seed_city.kind,
                    industries=list(seed_city.industries),
                    romanisations=list(seed_city.romanisations),
                    notes=seed_city.notes,
                )
            )
            added += 1
        session.merge(Meta(key=FINGERPRINT_KEY, value=tax.fingerprint))
    return added
