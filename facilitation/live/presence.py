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
    role: str  # participant | facilitator | screen
    session_id: int
    code: str
    participant_id: int | None = None


class Presence:
    def __init__(self):
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._participants: dict[int, Counter] = defaultdict(Counter)

    def add(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._connections[sid] = connection
            if connection.participant_id is not None:
                self._participants[connection.session_id][connection.participant_id] += 1

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            connection = self._connections.pop(sid, None)
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


presence = Presence()
