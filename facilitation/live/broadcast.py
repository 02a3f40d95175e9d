"""Coalesced pushes of results and comments to the rooms of a session.

A vote only marks its session dirty; a background task wakes every ``BROADCAST_INTERVAL``
(0.1 s) and sends each dirty session's aggregate, computed with one grouped query, to its
facilitators and screens. Phones get results (only while revealed) and comments at most
once a second. So a burst of 1,000 votes costs ten recomputes a second, not 1,000.
With ``BROADCAST_INTERVAL = 0`` (tests) every mark is pushed at once.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy.orm import Session

from ..db import database
from ..extensions import socketio
from ..models import WorkshopSession
from ..opinion import live as opinion_live
from ..workshop.aggregates import participant_count, stage_results
from ..workshop.breakouts import people_message
from ..workshop.notes import notes_message
from ..workshop.plan_cache import plan_of
from ..workshop.results_view import breakdown_view, room_view
from ..workshop.runs import is_run
from ..workshop.sessions import session_by_id
from ..workshop.state import comment_wall, console_state, phone_state, session_state
from . import rooms
from .background import StartOnce
from .presence import presence

log = logging.getLogger(__name__)

PHONE_INTERVAL = 1.0
RESULTS, COMMENTS = "results", "comments"
NOTES = "notes"  # note-takers' notes: facilitators and note-takers all, screens shown ones
PEOPLE = "people"  # who takes part and at which table: facilitators only
# What phones are not sent of a results message: they draw light HTML bars of their own,
# not Plotly nor the table, and breakdowns are for the projector and the console. Nor the
# opinion groups: the map and the groups are the room's view on the projector, and a
# participant asks for their own group (``own_opinion_group``) when the plan allows it.
NOT_FOR_PHONES = ("figure", "table", "groups", "folded", "opinion")


def results_message(
    db: Session,
    session: WorkshopSession,
    *,
    with_results: bool,
    stage=None,
    revealed: bool | None = None,
) -> dict:
    """The current stage's counts and (``with_results``) results; or ``stage``'s, as a
    projector pinned to it is shown them (``revealed``: whether its results are shown)."""
    stage = stage or plan_of(session).stages[session.stage_index]
    results = stage_results(db, session, stage)
    message = {
        "seq": session.last_seq,
        "stage": stage.key,
        "connected": presence.connected_participants(session.id),
        "participants": participant_count(db, session.id),
        "answered": results["answered"],
        "revealed": session.revealed if revealed is None else revealed,
    }
    if with_results:
        message.update(room_view(results, stage))
        # A statements stage's opinion groups (opinion/live.py: computed off the loop).
        opinion = opinion_live.opinion_message(db, session, stage)
        if opinion is not None:
            message["opinion"] = opinion
    breakdown = session.breakdown or "room"
    if breakdown == "opinion":
        # The projector draws the opinion map; on a stage without one, the room as usual.
        if stage.activity.opinion_groups is not None:
            message["breakdown"] = breakdown
    elif breakdown != "room":
        message["breakdown"] = breakdown
        if with_results:
            message.update(breakdown_view(db, session, stage, breakdown, results))
    return message


def comments_message(
    db: Session, session: WorkshopSession, *, include_hidden: bool, stage_key: str | None = None
) -> dict:
    stage_key = stage_key or plan_of(session).stages[session.stage_index].key
    return {
        "seq": session.last_seq,
        "stage": stage_key,
        "comments": comment_wall(db, session, stage_key, include_hidden=include_hidden),
    }


class Broadcaster:
    def __init__(self):
        self._lock = threading.Lock()
        self._dirty: dict[int, set[str]] = {}
        self._phone_pending: dict[int, set[str]] = {}
        self._phone_last: dict[int, float] = {}
        self._start = StartOnce(self._run)
        self.app: Flask | None = None
        self.interval = 0.1
        # Extra work hooked in at start-up (``hook``): ``push_hooks`` run in each push of a
        # dirty session as fn(db, session, kinds) (pinned projectors); ``tick_hooks`` run on
        # every wake of the background loop as fn(app) (the countdown closer, the login
        # sweep, shared presence).
        self.push_hooks: list = []
        self.tick_hooks: list = []

    def init_app(self, app: Flask) -> None:
        self.app = app
        self.interval = app.config["BROADCAST_INTERVAL"]
        # Opinion groups are computed off the loop: once one is ready, push it.
        opinion_live.init_app(app, self._opinion_ready)

    def _opinion_ready(self, session_id: int) -> None:
        self.mark(session_id, RESULTS, COMMENTS)

    def hook(self, *, push=None, tick=None) -> None:
        """Add a push hook or a tick hook (see ``__init__``). Once each: create_app runs
        for every app of a process (tests make many) and this broadcaster serves them all."""
        for hooks, hook in ((self.push_hooks, push), (self.tick_hooks, tick)):
            if hook is not None and hook not in hooks:
                hooks.append(hook)

    def ensure_started(self) -> None:
        """Start the background task on first use (it needs the server's async mode)."""
        if self.interval > 0:
            self._start()

    def mark(self, session_id: int, *kinds: str) -> None:
        kinds = kinds or (RESULTS, COMMENTS)
        with self._lock:
            self._dirty.setdefault(session_id, set()).update(kinds)
        if self.interval <= 0:
            self.flush(force_phones=True)

    def push_state(self, session: WorkshopSession) -> None:
        """Facilitator changes are rare and must show at once: send the state now."""
        if is_run(session):
            return  # a run's phones each have their own state; they ask (live/paced.py)
        state = session_state(session)
        phones = phone_state(session, state)  # the same, but for a slides stage's page
        if phones is state:
            socketio.emit(
                "state",
                state,
                to=[
                    rooms.participants(session.id),
                    rooms.screens(session.id),
                    rooms.notetakers(session.id),
                ],
            )
        else:
            socketio.emit("state", phones, to=rooms.participants(session.id))
            socketio.emit(
                "state", state, to=[rooms.screens(session.id), rooms.notetakers(session.id)]
            )
        # Consoles: the same state with the flow (the next stage's title among it).
        socketio.emit("state", console_state(session, state), to=rooms.facilitators(session.id))
        self.mark(session.id, RESULTS, COMMENTS)

    def _run(self) -> None:
        while True:
            socketio.sleep(self.interval)
            try:
                self.flush()
            except Exception:  # keep broadcasting whatever one push did
                log.exception("broadcast failed")
            for hook in self.tick_hooks:
                try:
                    hook(self.app)
                except Exception:
                    log.exception("background tick failed")

    def flush(self, *, force_phones: bool = False) -> None:
        with self._lock:
            dirty, self._dirty = self._dirty, {}
            now = time.monotonic()
            for session_id, kinds in dirty.items():
                self._phone_pending.setdefault(session_id, set()).update(kinds)
            phones = {
                sid: kinds
                for sid, kinds in self._phone_pending.items()
                if force_phones or now - self._phone_last.get(sid, 0) >= PHONE_INTERVAL
            }
            for session_id in phones:
                del self._phone_pending[session_id]
                self._phone_last[session_id] = now
        for session_id in dirty.keys() | phones.keys():
            self._push(session_id, dirty.get(session_id, set()), phones.get(session_id, set()))

    def _push(self, session_id: int, kinds: set[str], phone_kinds: set[str]) -> None:
        with database(self.app).sessionmaker() as db:
            if db.get_bind().dialect.name == "postgresql":
                db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            session = session_by_id(db, session_id)
            if session is None:
                return
            for hook in self.push_hooks:
                hook(db, session, kinds)
            if is_run(session):
                return  # a run has no room to push to: each phone asks (live/paced.py)
            # Each message is built at most once per push, however many rooms it goes to.
            results = None
            if RESULTS in kinds or (RESULTS in phone_kinds and session.revealed):
                results = results_message(db, session, with_results=True)
            if RESULTS in kinds:
                socketio.emit("results", results, to=rooms.facilitators(session_id))
                counts = results
                if not session.revealed:
                    hidden = ("results", "figure", "table", "groups", "folded", "opinion")
                    counts = {k: results[k] for k in results if k not in hidden}
                socketio.emit("results", counts, to=rooms.screens(session_id))
                socketio.emit("results", counts, to=rooms.notetakers(session_id))
            if RESULTS in phone_kinds and session.revealed:
                light = {k: results[k] for k in results if k not in NOT_FOR_PHONES}
                socketio.emit("results", light, to=rooms.participants(session_id))
            public = None
            if COMMENTS in kinds or COMMENTS in phone_kinds:
                public = comments_message(db, session, include_hidden=False)
            if COMMENTS in kinds:
                socketio.emit(
                    "comments",
                    comments_message(db, session, include_hidden=True),
                    to=rooms.facilitators(session_id),
                )
                socketio.emit("comments", public, to=rooms.screens(session_id))
                socketio.emit("comments", public, to=rooms.notetakers(session_id))
            # The people list holds everyone who joined (5,000 at a plenary): at the phones'
            # pace, once a second, not on every push while they join.
            if PEOPLE in phone_kinds:
                socketio.emit(
                    "people", people_message(db, session), to=rooms.facilitators(session_id)
                )
            if NOTES in kinds:
                every_note = notes_message(db, session)
                socketio.emit("notes", every_note, to=rooms.facilitators(session_id))
                socketio.emit("notes", every_note, to=rooms.notetakers(session_id))
                shown = notes_message(db, session, shown_only=True)
                socketio.emit("notes", shown, to=rooms.screens(session_id))
            if COMMENTS in phone_kinds:
                socketio.emit("comments", public, to=rooms.participants(session_id))


broadcaster = Broadcaster()
