"""Who is connected, per Socket.IO connection: role, session and participant.

Kept in the process: with several workers behind sticky sessions each connection lives on
one worker. Counts of connected participants are per process; the multi-worker set-up
adds them up through the message queue (see broadcast.py).
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass
class Connection:
    role: str  # participant | facilitator | screen | notetaker
    session_id: int
    code: str
    participant_id: int | None = None
    label: str | None = None  # a note-taker's chosen label ("Table A scribe")
    stage: str | None = None  # a projector pinned to this stage key (see pin())


class Presence:
    def __init__(self):
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._participants: dict[int, Counter] = defaultdict(Counter)
        self._pinned: dict[int, Counter] = defaultdict(Counter)  # session -> stage -> screens

    def add(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._connections[sid] = connection
            if connection.participant_id is not None:
                self._participants[connection.session_id][connection.participant_id] += 1

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            connection = self._connections.pop(sid, None)
            if connection is not None and connection.stage is not None:
                self._pinned[connection.session_id][connection.stage] -= 1
            if connection is not None and connection.participant_id is not None:
                counter = self._participants[connection.session_id]
                counter[connection.participant_id] -= 1
                if counter[connection.participant_id] <= 0:
                    del counter[connection.participant_id]
            return connection

    def get(self, sid: str) -> Connection | None:
        return self._connections.get(sid)

    def connected_participants(self, session_id: int) -> int:
        """Participants with at least one open connection (a second tab counts once)."""
        return len(self._participants.get(session_id, ()))

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

    def pinned_stages(self, session_id: int) -> list[str]:
        """Stage keys that at least one projector of the session is pinned to."""
        with self._lock:
            return [key for key, n in self._pinned.get(session_id, {}).items() if n > 0]


presence = Presence()
