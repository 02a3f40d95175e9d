"""Consoles whose login has ended are disconnected within seconds, even when nobody told
this worker.

Ending a login disconnects its sockets at once (logins.py calls ``disconnect_ended``, which
``init_app`` registers with it; kick.py reaches every worker), but only where that message can
travel: a `flask facilitator set-password`, `set-role` or `delete` run on a server with
no message queue (one process, the default) reaches no socket, and a console that sends
nothing is never refused by the per-event check (events._login_ended). It would go on
receiving the room's live pushes: people's names, results before they are revealed, notes.

So every ``SWEEP_SECONDS`` the broadcaster's background loop checks the logins of this
worker's open consoles (and of projector and note-taker pages opened with a login) in one
query and disconnects the sockets of any that ended. The pages then connect once more and
are refused at the door ("Please log in as a facilitator.").
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from .. import logins
from ..db import get_db
from ..extensions import socketio
from . import kick, rooms
from .broadcast import broadcaster
from .presence import Presence, presence

log = logging.getLogger(__name__)

SWEEP_SECONDS = 2.0
_last_sweep = 0.0


def disconnect_ended_logins(app: Flask, connections: Presence = presence) -> int:
    """Disconnect this worker's sockets whose login has ended; how many there were."""
    open_logins = connections.by_login()
    if not open_logins:
        return 0
    with app.app_context():
        ended = logins.ended(get_db(), open_logins)
    sids = []
    for sid in (sid for login_id in ended for sid in open_logins[login_id]):
        if socketio.server.manager.is_connected(sid, "/"):
            socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
            sids.append(sid)
        else:  # its disconnect never reached presence: forget it rather than count it
            connections.remove(sid)
    if sids:
        log.info("disconnected %d socket(s) whose login had ended", len(sids))
    return len(sids)


def _tick(app: Flask) -> None:
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep < SWEEP_SECONDS:
        return
    _last_sweep = now
    disconnect_ended_logins(app)


def disconnect_ended(*, login_id: int | None = None, account_id: int | None = None) -> None:
    """Disconnect, on every worker, the sockets opened with a login that ended, or with any
    login of an account whose logins all ended (logins.on_end)."""
    if login_id is not None:
        kick.disconnect_room(rooms.login(login_id))
    if account_id is not None:
        kick.disconnect_room(rooms.account(account_id))


def init_app(_app: Flask) -> None:
    """Ended logins lose their sockets at once (logins.py calls ``disconnect_ended``) and,
    should that miss any, within ``SWEEP_SECONDS`` (the broadcaster's loop runs ``_tick``)."""
    logins.on_end(disconnect_ended)
    broadcaster.hook(tick=_tick)
