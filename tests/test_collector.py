"""The garbage collector's policy for a big room (facilitation/server/collector.py): each
full pass freezes what survived it, and every THAW_SECONDS the frozen objects are thawed so
cyclic garbage among them is collected too."""

from __future__ import annotations

import gc
import weakref

import pytest

from facilitation.server.collector import Collector


@pytest.fixture
def collector():
    now = [1000.0]
    collector = Collector(clock=lambda: now[0], thaw_seconds=60)
    collector.now = now
    gc.callbacks.append(collector)
    yield collector
    gc.callbacks.remove(collector)
    gc.unfreeze()


class Cycle:
    def __init__(self):
        self.me = self


def test_a_full_pass_freezes_what_survived_it(collector):
    kept = [Cycle() for _ in range(100)]
    gc.collect()
    assert gc.get_freeze_count() >= len(kept)


def test_younger_passes_freeze_nothing(collector):
    gc.unfreeze()
    gc.collect(0)
    gc.collect(1)
    assert gc.get_freeze_count() == 0


def test_frozen_cycles_are_collected_after_the_thaw(collector):
    dropped = Cycle()
    alive = weakref.ref(dropped)
    gc.collect()  # frozen now: dropping it leaves a cycle no pass walks
    del dropped
    gc.collect()
    assert alive() is not None
    collector.now[0] += 61
    gc.collect()  # this pass thaws: nothing is frozen until the next
    assert gc.get_freeze_count() == 0
    gc.collect()  # walks everything again, and freezes what survives
    assert alive() is None
    assert gc.get_freeze_count() > 0
