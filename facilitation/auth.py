"""Facilitator accounts: password hashing and the Flask-Login user loader."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import logins
from .db import get_db
from .errors import Refused
from .extensions import login_manager
from .models import Facilitator, Grant, LoginSession, Series, StoredPlan, WorkshopSession

MIN_PASSWORD = 10


def init_app(app: Flask) -> None:
    """Flask-Login for ``app``: its login page, and accounts loaded from their cookie."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in as a facilitator to see that page."
    login_manager.user_loader(_load_facilitator)


def _load_facilitator(user_id: str) -> Facilitator | None:
    # Only while the cookie's login is live (logins.py), not merely signed.
    return logins.account_for_cookie(get_db(), user_id)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_facilitator(
    db: Session, email: str, password: str, role: str = "facilitator"
) -> Facilitator:
    """An account that can log in: a facilitator (runs sessions) or a researcher (reads
    the sessions and series granted to it)."""
    email = normalise_email(email)
    if role not in ("facilitator", "researcher"):
        raise Refused("The role must be facilitator or researcher.")
    if "@" not in email or len(email) > 254:
        raise Refused("Please give a valid email address.")
    if len(password or "") < MIN_PASSWORD:
        raise Refused(f"The password must have at least {MIN_PASSWORD} characters.")
    if find_facilitator(db, email) is not None:
        raise Refused(f"An account with the email {email} already exists.")
    facilitator = Facilitator(
        email=email, password_hash=generate_password_hash(password), role=role
    )
    db.add(facilitator)
    db.commit()
    return facilitator


def set_password(db: Session, facilitator: Facilitator, password: str) -> None:
    """A new password ends every login of the account: whoever knew the old one is out."""
    if len(password or "") < MIN_PASSWORD:
        raise Refused(f"The password must have at least {MIN_PASSWORD} characters.")
    facilitator.password_hash = generate_password_hash(password)
    db.commit()
    logins.end_all(db, facilitator.id)


def set_role(db: Session, account: Facilitator, role: str) -> bool:
    """Make the account a facilitator or a researcher; False when it already was one.

    Every login of the account ends (its open console is disconnected at once): what a
    login may do was settled by the role it logged in with."""
    if role not in ("facilitator", "researcher"):
        raise Refused("The role must be facilitator or researcher.")
    if account.role == role:
        return False
    account.role = role
    if role != "researcher":
        # Grants are a researcher's; a facilitator reads everything anyway.
        db.execute(delete(Grant).where(Grant.researcher_id == account.id))
    db.commit()
    logins.end_all(db, account.id)
    return True


def delete_account(db: Session, account: Facilitator) -> None:
    """Delete the account: its logins end and its sockets are disconnected; its grants
    go; sessions, series and plans it made stay, no longer naming it."""
    account_id = account.id
    logins.end_all(db, account_id)
    db.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
    db.execute(delete(Grant).where(Grant.researcher_id == account_id))
    for table in (WorkshopSession, Series, StoredPlan):
        db.execute(
            update(table).where(table.created_by_id == account_id).values(created_by_id=None)
        )
    db.delete(account)
    db.commit()


def find_facilitator(db: Session, email: str) -> Facilitator | None:
    return db.scalar(select(Facilitator).where(Facilitator.email == normalise_email(email)))


def authenticate(db: Session, email: str, password: str) -> Facilitator | None:
    facilitator = find_facilitator(db, email)
    if facilitator is None:
        # Same work either way, so timing does not tell which emails have accounts.
        check_password_hash(generate_password_hash("x"), password or "")
        return None
    return facilitator if check_password_hash(facilitator.password_hash, password or "") else None


def facilitator_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Facilitator))
