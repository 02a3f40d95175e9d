"""Logins that last exactly as long as they should: one server-side row per login.

Flask's session cookie is signed, not stored: a copy taken before a logout would otherwise
open the account until the secret key changes. So each login gets a ``LoginSession`` row
and the cookie carries its random key (only its SHA-256 is stored). The cookie is accepted
(``account_for_cookie``, the Flask-Login user loader) only while the row is live, the
account exists and it still has the role it logged in with.

- a logout ends this browser's login: a tablet logged in separately stays logged in;
- a new password, a changed role or a deleted account ends every login of the account.

Sockets outlive the HTTP request that made them (and Flask-SocketIO keeps its own copy of
the cookie's session from the handshake), so ending a login also disconnects its sockets on
every worker, and every event of a socket opened with a login checks its row again
(``login_refusal``: one primary-key look-up; participants never pay it). Disconnecting is
the transport's work: it registers how with ``on_end`` at start-up (live/login_sweep.py),
so this module, which the views and the CLI use, knows nothing of Socket.IO.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from flask import g, session
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import clock
from .models import Facilitator, LoginSession

SESSION_KEY = "login"  # the Flask session field holding this browser's login key
ENDED = "Your login has ended (logged out, or the account was changed); please log in again."

# Called when logins end (see ``on_end``); one list per process, as Socket.IO's server is.
_end_listeners: list[Callable[..., None]] = []


def on_end(listener: Callable[..., None]) -> None:
    """Have ``listener(login_id=...)`` called when one login ends (a logout), and
    ``listener(account_id=...)`` when every login of an account does. Registered once
    however many apps a process makes (tests make many)."""
    if listener not in _end_listeners:
        _end_listeners.append(listener)


def _ended(**which: int) -> None:
    for listener in _end_listeners:
        listener(**which)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_login(db: Session, account: Facilitator) -> tuple[LoginSession, str]:
    """A new live login of ``account``: its row and the key a cookie must carry."""
    key = secrets.token_urlsafe(32)
    login = LoginSession(key_hash=_hash(key), account_id=account.id, role=account.role)
    db.add(login)
    db.commit()
    return login, key


def start(db: Session, account: Facilitator) -> None:
    """Called with ``login_user``: this browser's cookie carries the new login's key."""
    _login, key = open_login(db, account)
    session[SESSION_KEY] = key


def account_for_cookie(db: Session, user_id: str) -> Facilitator | None:
    """The account whose live login this request's cookie carries, else None."""
    key = session.get(SESSION_KEY)
    if not (isinstance(key, str) and isinstance(user_id, str) and user_id.isdigit()):
        return None  # also every cookie made before logins were recorded: log in again
    row = db.execute(
        select(LoginSession, Facilitator)
        .join(Facilitator, Facilitator.id == LoginSession.account_id)
        .where(LoginSession.key_hash == _hash(key))
    ).first()
    if row is None:
        return None
    login, account = row
    if login.ended_at is not None or str(account.id) != user_id or account.role != login.role:
        return None
    g.login_id = login.id
    return account


def current_login_id() -> int | None:
    """The id of the live login this request (or socket handshake) was made with."""
    if not current_user.is_authenticated:  # loads the user, which notes the login in g
        return None
    return g.get("login_id")


def login_refusal(db: Session, login_id: int) -> str | None:
    """Why a socket opened with login ``login_id`` may no longer act (None: it may).

    Reads the database, not the socket's copy of the cookie: a logout, a new password, a
    changed role or a deleted account take effect on the very next event."""
    row = db.execute(
        select(LoginSession.ended_at, LoginSession.role, Facilitator.role)
        .join(Facilitator, Facilitator.id == LoginSession.account_id)
        .where(LoginSession.id == login_id)
    ).first()
    if row is None:
        return ENDED
    ended_at, role_then, role_now = row
    return ENDED if ended_at is not None or role_then != role_now else None


def ended(db: Session, login_ids) -> set[int]:
    """Which of ``login_ids`` no longer allow their sockets to act (``login_refusal`` for
    many logins in one query: the periodic sweep of a worker's open consoles)."""
    ids = set(login_ids)
    if not ids:
        return set()
    live = db.execute(
        select(LoginSession.id)
        .join(Facilitator, Facilitator.id == LoginSession.account_id)
        .where(
            LoginSession.id.in_(ids),
            LoginSession.ended_at.is_(None),
            LoginSession.role == Facilitator.role,
        )
    )
    return ids - set(live.scalars())


def end_this(db: Session) -> None:
    """Logout: end this browser's login and disconnect the sockets it opened."""
    key = session.pop(SESSION_KEY, None)
    if not isinstance(key, str):
        return
    login = db.scalar(select(LoginSession).where(LoginSession.key_hash == _hash(key)))
    if login is None:
        return
    if login.ended_at is None:
        login.ended_at = clock.now()
        db.commit()
    _ended(login_id=login.id)


def end_all(db: Session, account_id: int) -> None:
    """A new password, a changed role, a deleted account: end every login of the account
    and disconnect every socket opened with any of them, on every worker. Commits."""
    db.execute(
        update(LoginSession)
        .where(LoginSession.account_id == account_id, LoginSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
    db.commit()
    # live.js connects once more after a disconnect by the server: refused, the page says
    # "Please log in as a facilitator."
    _ended(account_id=account_id)
