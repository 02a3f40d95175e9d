"""A background task started once, on first use.

Started lazily because it needs the server's async mode (a greenlet under gevent), which
is only known once the app serves; both the broadcaster and the answer writer use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..extensions import socketio


class StartOnce:
    def __init__(self, target: Callable[[], None]):
        self._target = target
        self._lock = threading.Lock()
        self.started = False

    def __call__(self) -> None:
        if self.started:
            return
        with self._lock:
            if self.started:
                return
            self.started = True
        socketio.start_background_task(self._target)
