"""Answers that arrive together are written together (a group commit).

In a burst every vote costs a session lock, a few statements and a commit; done one by
one on the server's one thread, 500 votes a second need more than a core. So an answer
handler queues its answer and waits; one background writer takes everything queued,
groups it by session and stores each group with ``operations.record_answers``: one lock
and one commit for the lot. Each phone is still acked only after its answer is committed,
and a refused answer is refused on its own. The batch is whatever queued up while the
last one was written, so a lone vote is written at once and a burst amortises itself.

Off (``ANSWER_BATCHING = False``, or not under gevent) the handler writes its answer
itself, through the same ``record_answers``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import defaultdict

from flask import Flask
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from ..db import database, unavailable
from ..errors import Refused
from ..extensions import socketio
from ..workshop import operations, payloads
from .background import StartOnce

log = logging.getLogger(__name__)

MAX_BATCH = 500
WAIT_SECONDS = 30.0  # longer than the database's own busy timeout would need


class _Pending:
    """One queued answer and, once written, its outcome."""

    def __init__(self, session_id: int, participant_id: int, answer: payloads.AnswerPayload):
        self.session_id = session_id
        self.participant_id = participant_id
        self.answer = answer
        self._done = threading.Event()
        self._outcome: operations.Done | BaseException | None = None

    def settle(self, outcome: operations.Done | BaseException) -> None:
        self._outcome = outcome
        self._done.set()

    def result(self) -> operations.Done:
        if not self._done.wait(WAIT_SECONDS):
            # Reads as an outage: the phone keeps the answer and sends it again.
            raise sa_exc.TimeoutError("the answer writer did not answer in time")
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


class AnswerWriter:
    def __init__(self):
        self.app: Flask | None = None
        self.enabled = False
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._ensure_started = StartOnce(self._run)

    def init_app(self, app: Flask) -> None:
        self.app = app
        self.enabled = bool(app.config.get("ANSWER_BATCHING")) and socketio.async_mode == "gevent"

    def record(
        self, db: Session, session_id: int, participant_id: int, answer: payloads.AnswerPayload
    ) -> operations.Done:
        """Store ``answer`` (or find it already stored) and return its ``Done``."""
        if not self.enabled:
            return operations.record_answer(db, session_id, participant_id, answer)
        self._ensure_started()
        pending = _Pending(session_id, participant_id, answer)
        self._queue.put(pending)
        return pending.result()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self.write(batch)
            except BaseException as error:  # never leave a phone waiting on a dead writer
                log.exception("answer writer failed")
                for pending in batch:
                    if not pending._done.is_set():
                        pending.settle(error)

    def write(self, batch: list[_Pending]) -> None:
        by_session: dict[int, list[_Pending]] = defaultdict(list)
        for pending in batch:
            by_session[pending.session_id].append(pending)
        for session_id, group in by_session.items():
            self._write_group(session_id, group)

    def _write_group(self, session_id: int, group: list[_Pending]) -> None:
        try:
            outcomes = self._store(session_id, group)
        except Exception as error:
            if len(group) == 1 or unavailable(error):
                for pending in group:
                    pending.settle(error)
                return
            # One answer broke the batch in a way the checks did not foresee: write each
            # on its own, so only that one fails.
            log.exception("a batch of %d answers failed; writing them one by one", len(group))
            for pending in group:
                self._write_group(session_id, [pending])
            return
        for pending, outcome in zip(group, outcomes, strict=True):
            pending.settle(outcome)

    def _store(self, session_id: int, group: list[_Pending]) -> list[operations.Done | Refused]:
        with self.app.app_context(), database(self.app).sessionmaker() as db:
            return operations.record_answers(
                db, session_id, [(pending.participant_id, pending.answer) for pending in group]
            )


answer_writer = AnswerWriter()
