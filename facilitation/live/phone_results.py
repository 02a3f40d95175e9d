"""The results part of a phone's ``sync`` reply, counted once for a room of phones.

Every phone of a live session is sent the same results message when it connects: the
current stage's counts (who is connected, who takes part, who answered) and, once
revealed, its results. When a plenary scans the QR code in the same minute, each of
thousands of syncs counted the session's participants and answers again. Phones are pushed
results at most once a second anyway (``broadcast.PHONE_INTERVAL``), so a message up to that
old is what a phone would be showing: it is kept that long for the stage, the reveal and
the breakdown it was counted for.

A statements stage's results are never kept: they hold the statements' texts, and a
statement the facilitator hides must leave every phone's screen with the next message.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from sqlalchemy.orm import Session

from ..activities import activity_type
from ..models import WorkshopSession
from ..workshop.plan_cache import plan_of
from .broadcast import NOT_FOR_PHONES, PHONE_INTERVAL, broadcaster, results_message

# Past this many sessions kept, those older than the age they may be used at are dropped.
FORGET_ABOVE = 64


class _Kept(NamedTuple):
    shape: tuple
    at: float
    message: dict


class PhoneResults:
    def __init__(self, clock=time.monotonic, max_age: float | None = None):
        self.clock = clock
        self.max_age = max_age
        self._kept: dict[int, _Kept] = {}
        self._lock = threading.Lock()

    def _max_age(self) -> float:
        """PHONE_INTERVAL; none where every change is pushed to phones at once
        (``BROADCAST_INTERVAL = 0``, as the tests run)."""
        if self.max_age is not None:
            return self.max_age
        return PHONE_INTERVAL if broadcaster.interval > 0 else 0.0

    def message(self, db: Session, session: WorkshopSession) -> dict:
        """The results message for a phone of SESSION (without what phones are not sent).
        Callers must not change it: phones of the same second share it."""
        stage = plan_of(session).stages[session.stage_index]
        shape = (session.stage_index, session.revealed, session.breakdown or "room")
        keep = self._max_age() > 0 and not activity_type(stage.activity.type).votes_are_results
        now = self.clock()
        if keep:
            with self._lock:
                kept = self._kept.get(session.id)
            if kept is not None and kept.shape == shape and now - kept.at < self._max_age():
                return kept.message
        full = results_message(db, session, with_results=session.revealed, stage=stage)
        light = {key: value for key, value in full.items() if key not in NOT_FOR_PHONES}
        if keep:
            with self._lock:
                if len(self._kept) >= FORGET_ABOVE:  # sessions that ended, or went quiet
                    self._kept = {
                        sid: kept
                        for sid, kept in self._kept.items()
                        if now - kept.at < self._max_age()
                    }
                self._kept[session.id] = _Kept(shape, now, light)
        return light


phone_results = PhoneResults()
