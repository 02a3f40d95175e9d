"""Who is connected, per Socket.IO connection: role, session and participant.

Kept in the process: with several workers behind sticky sessions each connection lives on
one worker. What projectors and the console are shown (how many participants are
connected, which stages projectors are pinned to) must cover every worker, so with a
Redis message queue ``shared`` (cluster_presence.py) adds the other workers' figures to
this worker's exact ones; with one process ``shared`` is None and nothing leaves it.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Protocol


@dataclass
class Connection:
    role: str  # participant | facilitator | screen | notetaker
    session_id: int
    code: str
    participant_id: int | None = None
    label: str | None = None  # a note-taker's chosen label ("Table A scribe")
    stage: str | None = None  # a projector pinned to this stage key (see pin())
    # The generation of the projector or note-taker link this connection came in by (None:
    # a facilitator's login): once the link is revoked it may do nothing more.
    link: int | None = None
    # The facilitator's login a console (or a projector or note-taker page opened with the
    # login rather than a key) relies on: checked on each of its events (logins.py).
    login_id: int | None = None


@dataclass(frozen=True)
class Figures:
    """One worker's share of a session: connected participants and pinned stages."""

    connected: int
    pinned: frozenset[str]


class OtherWorkers(Protocol):
    """What presence needs of the other workers (cluster_presence.SharedPresence)."""

    def changed(self, session_id: int) -> None: ...

    def others(self, session_id: int) -> Figures: ...


class Presence:
    def __init__(self):
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._participants: dict[int, Counter] = defaultdict(Counter)
        self._pinned: dict[int, Counter] = defaultdict(Counter)  # session -> stage -> screens
        self._sessions: Counter = Counter()  # session -> open connections of any role
        self.shared: OtherWorkers | None = None

    def add(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._connections[sid] = connection
            self._sessions[connection.session_id] += 1
            if connection.participant_id is not None:
                self._participants[connection.session_id][connection.participant_id] += 1
        self._changed(connection.session_id)

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            connection = self._connections.pop(sid, None)
            if connection is None:
                return None
            session_id = connection.session_id
            self._sessions[session_id] -= 1
            if self._sessions[session_id] <= 0:
                del self._sessions[session_id]
            if connection.stage is not None:
                self._pinned[session_id][connection.stage] -= 1
            if connection.participant_id is not None:
                counter = self._participants[session_id]
                counter[connection.participant_id] -= 1
                if counter[connection.participant_id] <= 0:
                    del counter[connection.participant_id]
        self._changed(session_id)
        return connection

    def get(self, sid: str) -> Connection | None:
        return self._connections.get(sid)

    def by_login(self) -> dict[int, list[str]]:
        """The sids of this worker's connections opened with a facilitator's login, by login."""
        with self._lock:
            found: dict[int, list[str]] = {}
            for sid, connection in self._connections.items():
                if connection.login_id is not None:
                    found.setdefault(connection.login_id, []).append(sid)
        return found

    def connected_participants(self, session_id: int) -> int:
        """Participants with at least one open connection (a second tab counts once),
        on this worker plus, with several workers, on the others."""
        local = len(self._participants.get(session_id, ()))
        if self.shared is None:
            return local
        return local + self.shared.others(session_id).connected

    def pin(self, sid: str, stage_key: str | None) -> None:
        """Note that the projector on ``sid`` shows ``stage_key`` (None: it follows)."""
        with self._lock:
            connection = self._connections.get(sid)
            if connection is None:
                return
            if connection.stage is not None:
                self._pinned[connection.session_id][connection.stage] -= 1
            connection.stage = stage_key
            if stage_key is not None:
                self._pinned[connection.session_id][stage_key] += 1
        self._changed(connection.session_id)

    def pinned_stages(self, session_id: int) -> list[str]:
        """Stage keys that at least one projector of the session is pinned to, on any
        worker (a push from one worker reaches pinned projectors on all of them)."""
        with self._lock:
            local = [key for key, n in self._pinned.get(session_id, {}).items() if n > 0]
        if self.shared is None:
            return local
        return local + sorted(self.shared.others(session_id).pinned.difference(local))

    def local_figures(self) -> dict[int, Figures]:
        """This worker's own figures for every session it holds a connection to."""
        with self._lock:
            return {
                session_id: Figures(
                    connected=len(self._participants.get(session_id, ())),
                    pinned=frozenset(
                        key for key, n in self._pinned.get(session_id, {}).items() if n > 0
                    ),
                )
                for session_id in self._sessions
            }

    def _changed(self, session_id: int) -> None:
        if self.shared is not None:
            self.shared.changed(session_id)


presence = Presence()
