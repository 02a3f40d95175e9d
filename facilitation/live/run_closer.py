"""Self-paced runs end on their closing date without anyone pressing a button.

Every ``CHECK_SECONDS`` the broadcaster's background loop ends the runs whose closing date
has passed (run_operations.close_expired_runs), so their retention period starts, their
pages say they closed and their dashboards show them closed. Joins and answers are refused
from the closing moment itself (runs.window_refusal); this only records it.
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from ..db import get_db, unavailable
from ..workshop.run_operations import close_expired_runs
from .broadcast import broadcaster
from .paced import tell_phones_run_changed

log = logging.getLogger(__name__)

CHECK_SECONDS = 30.0
_last_check = 0.0


def _tick(app: Flask) -> None:
    global _last_check
    now = time.monotonic()
    if now - _last_check < CHECK_SECONDS:
        return
    _last_check = now
    with app.app_context():
        try:
            ended = close_expired_runs(get_db())
        except Exception as error:
            if not unavailable(error):
                raise
            return  # the database is down: the next check tries again
    for session_id in ended:
        tell_phones_run_changed(session_id)
    if ended:
        log.info("closed %d self-paced run(s) on their closing date", len(ended))


def init_app(_app: Flask) -> None:
    broadcaster.hook(tick=_tick)
