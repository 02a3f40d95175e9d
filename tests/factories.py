"""Factories for live-session tests: a workshop with its facilitator, screens and phones."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

from sqlalchemy import select

from facilitation import logins
from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.models import Facilitator, Participant, WorkshopSession
from facilitation.plans import load_plan
from facilitation.workshop import operations
from facilitation.workshop.identity import participant_cookie_name, participant_token, screen_key

_emails = itertools.count(1)


def client_id() -> str:
    return uuid.uuid4().hex


def log_in(app, http, account_id: int) -> None:
    """Give the Flask test client ``http`` a live login of the account, as POST /login
    does: Flask-Login's user id and the key of a new login record (logins.py)."""
    with database(app).sessionmaker() as db:
        _login, key = logins.open_login(db, db.get(Facilitator, account_id))
    with http.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(account_id)
        cookie_session["_fresh"] = True
        cookie_session[logins.SESSION_KEY] = key


class Client:
    """A Socket.IO test client with the Flask test client whose cookies it uses."""

    def __init__(self, app, socketio, auth: dict, http=None):
        self.http = http or app.test_client()
        self.socket = socketio.test_client(app, flask_test_client=self.http, auth=auth)

    def emit(self, event: str, payload=None) -> dict:
        args = () if payload is None else (payload,)
        return self.socket.emit(event, *args, callback=True)

    def received(self, name: str | None = None) -> list:
        messages = self.socket.get_received()
        return [m["args"][0] for m in messages if name is None or m["name"] == name]

    @property
    def connected(self) -> bool:
        return self.socket.is_connected()

    def disconnect(self) -> None:
        if self.socket.is_connected():
            self.socket.disconnect()


def session_of(app, code: str) -> WorkshopSession:
    """The session with ``code`` as stored now, for signing its links (workshop/identity.py);
    an unsaved one for a code no session has (a key for a session that does not exist)."""
    with database(app).sessionmaker() as db:
        stored = db.scalar(select(WorkshopSession).where(WorkshopSession.code == code))
    return stored or WorkshopSession(code=code)


class Workshop:
    def __init__(self, app, socketio, plan_path: Path, scenario: str | None = "first"):
        self.app, self.socketio = app, socketio
        self.plan = load_plan(plan_path)
        scenario_key = self.plan.scenarios[0].key if scenario == "first" else scenario
        with self.db() as db:
            session = operations.create_session(db, self.plan, None, scenario_key)
            self.session_id, self.code = session.id, session.code
        self.clients: list[Client] = []

    def db(self):
        return database(self.app).sessionmaker()

    def session(self) -> WorkshopSession:
        with self.db() as db:
            return db.get(WorkshopSession, self.session_id)

    def stage_index(self, key: str) -> int:
        return self.plan.stage_index(key)

    def _track(self, client: Client) -> Client:
        self.clients.append(client)
        return client

    def facilitator(self) -> Client:
        with self.db() as db:
            account = create_facilitator(db, f"f{next(_emails)}@example.org", "a-long-password")
        http = self.app.test_client()
        log_in(self.app, http, account.id)
        http.account_id = account.id
        return self._track(
            Client(self.app, self.socketio, {"code": self.code, "role": "facilitator"}, http)
        )

    def screen(self, key: str | None = "valid") -> Client:
        with self.app.test_request_context():
            key = screen_key(self.session()) if key == "valid" else key
        auth = {"code": self.code, "role": "screen", "key": key}
        return self._track(Client(self.app, self.socketio, auth))

    def join(self, sector: str = "Health", display_name: str | None = None) -> Participant:
        with self.db() as db:
            return operations.join(db, self.session_id, sector, display_name)

    def phone(self, sector: str = "Health", participant: Participant | None = None) -> Client:
        participant = participant or self.join(sector)
        http = self.app.test_client()
        with self.app.test_request_context():
            token = participant_token(participant, self.code)
        http.set_cookie(participant_cookie_name(self.code), token)
        phone = Client(self.app, self.socketio, {"code": self.code, "role": "participant"}, http)
        phone.participant = participant
        return self._track(phone)

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


class Run(Workshop):
    """A self-paced run of the plan (workshop/runs.py), open from an hour ago for a week
    unless told otherwise; phones and facilitators as for a live workshop."""

    def __init__(self, app, socketio, plan_path: Path, scenario: str | None = "first", **settings):
        from datetime import timedelta

        from facilitation import clock
        from facilitation.workshop import run_operations
        from facilitation.workshop.runs import RunSettings

        self.app, self.socketio = app, socketio
        self.plan = load_plan(plan_path)
        scenario_key = self.plan.scenarios[0].key if scenario == "first" else scenario
        opens_at = settings.pop("opens_at", clock.now() - timedelta(hours=1))
        closes_at = settings.pop("closes_at", clock.now() + timedelta(days=7))
        with self.db() as db:
            session = run_operations.publish_run(
                db,
                self.plan,
                None,
                opens_at=opens_at,
                closes_at=closes_at,
                settings=RunSettings.from_plan(self.plan, **settings),
                scenario_key=scenario_key,
            )
            self.session_id, self.code = session.id, session.code
        self.clients = []

    def join(
        self, sector: str = "Health", display_name: str | None = None, invitation=None
    ) -> Participant:
        with self.db() as db:
            return operations.join(db, self.session_id, sector, display_name, invitation=invitation)
