"""When Python collects cyclic garbage: between keystrokes, not in them.

A Textual screen makes cyclic garbage as it draws (strips that cache
themselves, style nodes made per component class): ~7,000 objects a second
while someone types. CPython clears it with a full collection every few
seconds, which walks every live object and stops the app meanwhile. With
four lists and the dashboard open that was 60-145 ms, landing in the middle
of a keystroke (`python benchmarks/screens.py`: the worst keys).

So, once the first screen is up, the objects alive then (modules, styles,
the first screen: none of it is garbage) are frozen out of every later
pass, CPython's own full collections are switched off, and the app asks
for one when the user has paused (`QUIET`) and enough has piled up; if
someone types for a long time without pausing, it runs anyway (`FORCE`).
`stop` puts everything back: the test suite runs many apps in one process.

Before that, while the app starts, `held` (around the whole app, in the
`twindesk` command, from before it imports the app) switches collection
off altogether:
start-up builds ~150,000 objects and keeps nearly all of them, and the
collections it set off cost ~25 ms of the first frame (350 to 322 ms to
the dashboard's rows at 100,000 records).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PENDING = 10  # young collections since the last full one before a full one is due (CPython's own default)
FORCE = 60  # ... after which it runs even while keys keep coming
QUIET = 0.15  # seconds since the last key: the key's own frames are drawn
NEVER = 1 << 30  # a full-collection threshold that is never reached


@contextmanager
def held() -> Iterator[None]:
    """No collection at all until an IdleCollector starts; as it was after
    (the app may never start: a broken config ends the command first)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_key = clock()
        self._saved: tuple[int, int, int] | None = None
        self._was_enabled = True
        self.full_runs = 0

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is not None:
            return
        gc.collect()
        gc.freeze()
        self._saved, self._was_enabled = gc.get_threshold(), gc.isenabled()
        young, middle, _full = self._saved
        gc.set_threshold(young, middle, NEVER)
        gc.enable()

    def stop(self) -> None:
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        self._saved = None
        gc.unfreeze()
        if not self._was_enabled:
            gc.disable()

    def key(self) -> None:
        """A key came in: the next few frames are the user's."""
        self._last_key = self._clock()

    def due(self) -> bool:
        pending = gc.get_count()[2]
        if pending >= FORCE:
            return True
        return pending >= PENDING and self._clock() - self._last_key >= QUIET

    def tick(self) -> bool:
        """Run a full collection if one is due (called a few times a second)."""
        if self._saved is None or not self.due():
            return False
        gc.collect()
        self.full_runs += 1
        return True
