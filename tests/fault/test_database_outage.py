"""The database locked or unreachable: every Socket.IO write acks a clear "can't save right
now" error with ``retry``, HTTP pages answer 503 with a plain page, nothing is half-written,
and the app recovers by itself when the database is back.

SQLite is locked by another connection holding a write transaction longer than the busy
timeout; PostgreSQL is made unreachable through a TCP proxy the test owns (the machine's
PostgreSQL itself is never stopped).
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select

from facilitation.db import UNAVAILABLE, unavailable
from facilitation.models import Answer, Event, Participant, WorkshopSession
from facilitation.workshop.identity import screen_key
from tests.factories import client_id
from tests.fault.proxy import TcpProxy
from tests.fault.steps import schema_url
from tests.support.live import joined as joined_as_phone

CANT_SAVE = {"ok": False, "error": UNAVAILABLE, "retry": True}


def rating(cid: str, score: int = 4) -> dict:
    value = {"ratings": {"better-service": score, "wellbeing": score, "evidence": score}}
    return {"stage": "feature-outcomes", "client_id": cid, "value": value}


def open_rating(workshop, facilitator) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index("feature-outcomes")})["ok"]
    assert facilitator.emit("open_input")["ok"]


def counts(workshop) -> tuple[int, int, int, int]:
    """Answers, events, participants and the session's last seq: what a write would change."""
    with workshop.db() as db:
        return (
            db.scalar(select(func.count()).select_from(Answer)),
            db.scalar(select(func.count()).select_from(Event)),
            db.scalar(select(func.count()).select_from(Participant)),
            db.get(WorkshopSession, workshop.session_id).last_seq,
        )


def times_stored(workshop, cid: str) -> int:
    with workshop.db() as db:
        return db.scalar(select(func.count()).where(Event.client_id == cid))


def join_form(http, code: str):
    return http.post(f"/j/{code}", data={"sector": "Health", "display_name": "", "consent": "yes"})


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "The server can't save right now" in page
    assert "Nothing was changed" in page


def test_only_an_outage_is_answered_as_one():
    """A locked or unreachable database asks for a retry; a bug or a bad write does not."""
    assert unavailable(sa_exc.OperationalError("UPDATE", {}, Exception("database is locked")))
    assert unavailable(sa_exc.TimeoutError("QueuePool limit reached"))
    assert not unavailable(sa_exc.IntegrityError("INSERT", {}, Exception("UNIQUE failed")))
    assert not unavailable(sa_exc.ProgrammingError("SELECT", {}, Exception("no such table")))
    assert not unavailable(ValueError("not a database error"))


# SQLite: locked by another connection ----------------------------------------------------


@contextmanager
def write_lock_held(path):
    """Another process's connection in the middle of a write transaction on PATH."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # takes the write lock and keeps it
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_sqlite_locked_beyond_the_busy_timeout(tmp_path, migrated_db, make_app, make_workshop):
    path = tmp_path / "locked.db"
    shutil.copy(migrated_db, path)
    app = make_app(f"sqlite:///{path}")
    workshop = make_workshop(app)
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_rating(workshop, facilitator)
    before_lock = phone.emit("answer", rating(client_id(), 3))
    assert before_lock["ok"]
    stored = counts(workshop)
    pending = client_id()

    with write_lock_held(path):
        # Every kind of write says so, and asks to be sent again.
        assert phone.emit("answer", rating(pending)) == CANT_SAVE
        assert (
            phone.emit(
                "comment",
                {"stage": "feature-outcomes", "client_id": client_id(), "text": "Locked out"},
            )
            == CANT_SAVE
        )
        assert facilitator.emit("close_input") == CANT_SAVE
        assert facilitator.emit("goto", {"index": 0}) == CANT_SAVE
        assert phone.emit("withdraw") == CANT_SAVE
        # A page that writes (joining) answers 503 with a plain page.
        assert_unavailable_page(join_form(app.test_client(), workshop.code))
        # Reads still work under SQLite's WAL: the phone keeps seeing the session.
        assert phone.emit("sync")["ok"]
        assert counts(workshop) == stored  # nothing half-written

    # The lock is gone: the same submission goes through, once, and the app is whole again.
    again = phone.emit("answer", rating(pending))
    assert again["ok"] and "duplicate" not in again
    assert phone.emit("answer", rating(pending))["duplicate"]
    assert times_stored(workshop, pending) == 1
    assert joined_as_phone(join_form(app.test_client(), workshop.code), workshop.code)
    assert facilitator.emit("close_input")["ok"]
    answers, _events, participants, _seq = counts(workshop)
    # The phone's rating replaced, not added; the newcomer's one new answer is the sector
    # from the join form (its answer to the sector stage).
    assert (answers, participants) == (stored[0] + 1, stored[2] + 1)


# PostgreSQL: unreachable through a proxy --------------------------------------------------


@pytest.mark.services
def test_postgresql_unreachable_then_back(postgres_url, pg_schema, make_app, make_workshop):
    with TcpProxy("127.0.0.1", 5432) as proxy:
        app = make_app(schema_url(postgres_url, pg_schema, port=proxy.port))
        workshop = make_workshop(app)
        facilitator, phone = workshop.facilitator(), workshop.phone()
        open_rating(workshop, facilitator)
        acked = rating(client_id(), 2)
        assert phone.emit("answer", acked)["ok"]
        http = phone.http
        assert http.get(f"/j/{workshop.code}").status_code == 302  # back to the phone page
        stored = counts(workshop)
        # The projector's key names the link's generation, read from the database: sign it
        # while the database is there.
        with app.test_request_context():
            key = screen_key(workshop.session())

        proxy.cut()  # every open connection dropped, new ones refused
        pending = client_id()
        assert phone.emit("answer", rating(pending)) == CANT_SAVE
        assert phone.emit("sync") == CANT_SAVE
        assert facilitator.emit("reveal") == CANT_SAVE
        assert_unavailable_page(http.get(f"/j/{workshop.code}"))
        assert_unavailable_page(join_form(app.test_client(), workshop.code))
        assert app.test_client().get("/healthz").status_code == 503
        assert not workshop.screen(key).connected  # refused (with `retry`) until it is back

        proxy.restore()
        # No restart: the pool replaces its dead connections by itself.
        assert http.get(f"/j/{workshop.code}").status_code == 302
        assert counts(workshop) == stored  # the failed writes left nothing behind
        again = phone.emit("answer", rating(pending))
        assert again["ok"] and "duplicate" not in again
        assert phone.emit("answer", rating(pending))["duplicate"]
        assert times_stored(workshop, pending) == 1
        assert times_stored(workshop, acked["client_id"]) == 1
        assert facilitator.emit("reveal")["ok"]
        assert app.test_client().get("/healthz").status_code == 200
        assert workshop.screen(key).connected
