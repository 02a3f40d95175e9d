"""Keep Python's cyclic garbage collector from pausing a big room (docs/architecture.md,
"Garbage collection").

A full collection walks every object the collector tracks, and CPython starts one each time
the objects that survived since the last one reach a quarter of all the others. Each phone
that joins adds its connection's objects, so while 5,000 phones joined, a full pass came
every few seconds and took up to 1.5 s, the whole server stopped: the joins' CPU and the
votes' tail were mostly these passes.

So each full pass ends by freezing what survived it (``gc.freeze``): the next pass walks
only what was made since. What the frozen objects drop is still freed by reference
counting; only garbage in reference cycles among them waits. To give that back, the frozen
objects are thawed every ``THAW_SECONDS``, so the next full pass walks everything once.
"""

from __future__ import annotations

import gc
import time

# How often the frozen objects are walked again: one long pass this often, instead of one
# every few seconds while a room fills.
THAW_SECONDS = 15 * 60


class Collector:
    """The callback that freezes the survivors of each full pass and thaws them now and
    then. Its clock is given so tests can move time."""

    def __init__(self, clock=time.monotonic, thaw_seconds: float = THAW_SECONDS):
        self.clock = clock
        self.thaw_seconds = thaw_seconds
        self.thawed_at = clock()

    def __call__(self, phase: str, info: dict) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        now = self.clock()
        if now - self.thawed_at >= self.thaw_seconds:
            # This pass walked only what was not frozen; let the next one walk everything.
            gc.unfreeze()
            self.thawed_at = now
        else:
            gc.freeze()


def install() -> Collector:
    """Freeze what start-up made (modules, the app, plans: it lives as long as the
    process) and freeze the survivors of every full pass from now on."""
    gc.collect()
    gc.freeze()
    collector = Collector()
    gc.callbacks.append(collector)
    return collector
