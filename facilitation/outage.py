"""HTTP pages while the database is unreachable or locked: a plain 503, nothing half-written.

Socket.IO events answer the same outage in ``live.events`` (an ack with ``retry``); this
is the page side. The request's database session is rolled back, and the engine's pool
(``pool_pre_ping`` on PostgreSQL) replaces dead connections once the database is back.
"""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from sqlalchemy import exc as sa_exc

from .db import unavailable

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def init_app(app: Flask) -> None:
    # DBAPIError is the parent of OperationalError and of an invalidated connection's error;
    # anything else under it is a real bug and is raised again, as if unhandled.
    app.register_error_handler(sa_exc.DBAPIError, _database_error)
    app.register_error_handler(sa_exc.TimeoutError, _database_error)


def _database_error(error: Exception):
    db = g.get("db")
    if db is not None:
        try:
            db.rollback()
        except Exception:  # noqa: BLE001  (the connection may be gone; the pool drops it)
            log.debug("rollback after a database failure also failed", exc_info=True)
    if not unavailable(error):
        raise error  # a bug, not an outage: Flask's usual 500 (or the test sees it)
    log.warning("database unavailable: %s", error)
    page = render_template("errors/unavailable.html")
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
