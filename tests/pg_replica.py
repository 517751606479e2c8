"""One coordinator's laptop in the concurrency test, as its own process:

    python -m tests.pg_replica DB HUB_URL SETS ROUNDS START_FILE

Each round it makes its share of change sets (edits of its own visit and of
one seed city every laptop edits, so merges and conflicts happen), then
syncs. It prints one JSON line: how many sets it made, and every error a
sync raised (class name only: a message could carry data).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(db: str, hub_url: str, sets: int, rounds: int, start_file: str) -> dict[str, object]:
    from twindesk.services import Desk
    from twindesk.sync.engine import sync
    from twindesk.sync.pg_hub import PgHub

    desk = Desk.open(Path(db), Path(db).with_suffix(".toml"))
    try:
        while not Path(start_file).exists():  # every laptop starts at once
            time.sleep(0.01)
        busan = desk.reader().execute("SELECT id FROM city WHERE seed_key = 'busan'").fetchone()[0]
        mine = desk.visits.create({"direction": "inbound", "city": "Jeju", "start_date": "2026-10-01",
                                   "end_date": "2026-10-02", "purpose": f"From {desk.replica[:8]}",
                                   "status": "planned"}).id
        made, errors, per_round = 1, [], -(-sets // rounds)
        for round_ in range(rounds):
            for i in range(min(per_round, sets - made)):
                if i % 10 == 0:
                    desk.cities.update(busan, {"notes": f"{desk.replica[:8]} round {round_} #{i}"})
                else:
                    desk.visits.update(mine, {"notes": f"round {round_} #{i}"})
                made += 1
            with PgHub.connect(hub_url) as hub:
                try:
                    sync(desk, hub, backup=False)
                except Exception as exc:  # reported to the test, which fails on any
                    errors.append(type(exc).__name__)
        return {"made": made, "errors": errors}
    finally:
        desk.close()


if __name__ == "__main__":
    db, url, sets, rounds, start = sys.argv[1:]
    print("RESULT " + json.dumps(main(db, url, int(sets), int(rounds), start)), flush=True)
